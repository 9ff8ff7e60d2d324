# fair_runs.awk — one synthetic run folder from a process that is fair by
# construction, for the end-to-end scripts (t2300-sampling-noise).
#
#     mkdir -p DIR
#     awk -v out=DIR -v seed=N -v run=ID -v start=2026-02-01T09:00:00Z \
#         [-v gap=0.30 -v gap_group=C] [-v rows=4000] [-v parent=ID] \
#         -f fair_runs.awk
#
# writes DIR/run.csv, DIR/predictions.csv and DIR/metrics.csv in the
# shapes of sample_runs/ (DESIGN.md, "Inputs"; fairtop-formats(5)).
#
# Each of `rows` rows (default 4000, one evaluation step, 1000) draws on
# its own:
#   grp    A (60 %), B (35 %), C (5 %)
#   age    18-25, 26-40, 41-65, 65+ (25 % each)
#   y_true 1 with probability 0.3
#   y_pred 1 with probability 0.8 when y_true is 1, 0.2 when it is 0: the
#          same for every group, so every group's selection rate is 0.38,
#          TPR 0.8 and FPR 0.2 in expectation, and every gap seen between
#          groups is sampling noise;
#   score  uniform in [0.5, 1) when y_pred is 1, in [0, 0.5) when it is 0,
#          in millionths (so every group has the same score distribution).
# With gap > 0, the rows whose grp is gap_group predict 1 with
# probability 0.8 - gap and 0.2 - gap instead (floored at 0): for gap <=
# 0.2 their selection rate, TPR and FPR fall by exactly gap in
# expectation; above 0.2 the FPR stops at 0, so the selection rate falls
# by 0.3 * gap + 0.14 (gap 0.30: 0.38 -> 0.15, TPR 0.8 -> 0.5, FPR 0).
#
# run.csv carries what the sample runs carry: model, version, parent (when
# given), commit, data_version, started_at, finished_at, status,
# beta_factor, class_weights (balanced, n / (2 n_c), in full precision
# from the labels drawn, as fairtop recomputes them), positive_label,
# sensitive, learning_rate, epochs, batch_size.  metrics.csv: loss,
# accuracy, throughput, latency_ms (overall) and tpr per grp at steps
# 100..1000; accuracy and tpr at step 1000 are those of predictions.csv.
#
# Randomness: awk's rand() differs between awks, so it is not used.  The
# generator is L'Ecuyer's combined multiplicative LCG (CACM 31, 1988):
#     s1 = 40014 s1 mod 2147483563,  s2 = 40692 s2 mod 2147483399,
#     z = s1 - s2 (mod 2147483562, in 1 .. 2147483562), u = z / 2147483563,
# exact in doubles (every product < 2^47), period about 2.3e18.  (Park
# and Miller's minimal standard with its small multiplier 16807 was tried
# first: its successive draws are correlated, and drawing five numbers a
# row gave cells of one "fair" run FPRs 0.141 and 0.259 on 430 rows each,
# six standard errors apart.)  Seed N sets s1 and s2 from N and the first
# hundred draws are thrown away.
# Every value written is printed with an explicit integer or %.17g
# format, so mawk, gawk, busybox awk and the one true awk write the same
# bytes.

function fail(msg) {
	printf "fair_runs.awk: %s\n", msg > "/dev/stderr"
	failed = 1
	exit 2
}

# unif(): the next uniform in (0, 1).
function unif(    z) {
	S1 = (S1 * 40014) % 2147483563
	S2 = (S2 * 40692) % 2147483399
	z = S1 - S2
	if (z < 1)
		z += 2147483562
	return z / 2147483563
}

# days_from_civil(y, m, d): days since 1970-01-01 (proleptic Gregorian;
# H. Hinnant's algorithm, for years >= 1).
function days_from_civil(y, m, d,    era, yoe, doy, doe) {
	if (m <= 2)
		y--
	era = int(y / 400)
	yoe = y - era * 400
	doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}

# iso(t): seconds since the epoch as YYYY-MM-DDTHH:MM:SSZ.
function iso(t,    days, secs, z, era, doe, yoe, y, doy, mp, d, m) {
	days = int(t / 86400)
	secs = t - days * 86400
	z = days + 719468
	era = int(z / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9
	if (m <= 2)
		y++
	return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
		       int(secs / 3600), int(secs % 3600 / 60), secs % 60)
}

# parse_iso(s): YYYY-MM-DDTHH:MM:SSZ as seconds since the epoch.
function parse_iso(s,    days, secs) {
	if (s !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z$/)
		fail("start: expected YYYY-MM-DDTHH:MM:SSZ, found '" s "'")
	days = days_from_civil(substr(s, 1, 4) + 0, substr(s, 6, 2) + 0,
			       substr(s, 9, 2) + 0)
	secs = substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2)
	return days * 86400 + secs
}

# ratio4(a, b): a / b rounded to 4 decimals, as text ("0" when b is 0).
function ratio4(a, b) {
	if (b == 0)
		return "0"
	return sprintf("%.4f", a / b)
}

function kv(k, v) {
	printf "%s,%s\n", k, v > RUNF
}

BEGIN {
	if (out == "")
		fail("out: the run folder to write (it must exist)")
	if (seed !~ /^[0-9]+$/ || seed + 0 < 1 || seed + 0 > 2000)
		fail("seed: expected an integer 1..2000, found '" seed "'")
	if (run == "")
		fail("run: the run id")
	if (start == "")
		fail("start: the run's started_at, YYYY-MM-DDTHH:MM:SSZ")
	if (rows == "")
		rows = 4000
	if (rows !~ /^[0-9]+$/ || rows + 0 < 1 || rows + 0 > 200000)
		fail("rows: expected an integer 1..200000, found '" rows "'")
	rows += 0
	gap += 0
	if (gap < 0 || gap > 0.8)
		fail("gap: expected a number 0 .. 0.8, found '" gap "'")
	if (gap > 0 && gap_group !~ /^[ABC]$/)
		fail("gap_group: expected A, B or C, found '" gap_group "'")
	t0 = parse_iso(start)
	S1 = ((seed + 0) * 7919 + 12345) % 2147483562 + 1
	S2 = ((seed + 0) * 104729 + 54321) % 2147483398 + 1
	for (i = 0; i < 100; i++)
		unif()

	STEP = 1000
	PREDF = out "/predictions.csv"
	RUNF = out "/run.csv"
	METF = out "/metrics.csv"

	# ---- predictions.csv
	printf "id,step,y_true,y_pred,score,grp,age\n" > PREDF
	nage = split("18-25 26-40 41-65 65+", agename, " ")
	for (i = 1; i <= rows; i++) {
		# five draws a row, whatever is drawn: the rows of a seed are
		# the same with and without a gap, but for the predictions
		u = unif()
		g = u < 0.60 ? "A" : (u < 0.95 ? "B" : "C")
		a = agename[int(unif() * nage) + 1]
		y = unif() < 0.3 ? 1 : 0
		p = y ? 0.8 : 0.2
		if (gap > 0 && g == gap_group)
			p = p > gap ? p - gap : 0
		yp = unif() < p ? 1 : 0
		k = int(unif() * 500000)        # 0 .. 499999
		if (yp)
			k += 500000
		printf "%d,%d,%d,%d,%d.%06d,%s,%s\n", i, STEP, y, yp,
		       int(k / 1000000), k % 1000000, g, a > PREDF
		n1 += y
		ok += (y == yp)
		tp[g] += (y && yp)
		pos[g] += y
	}
	close(PREDF)
	n0 = rows - n1
	if (n1 == 0 || n0 == 0)
		fail("every row drew the same label: no balanced class weights")

	# ---- metrics.csv: ten steps, one every ~40 s plus a little noise
	printf "step,timestamp,metric,group,value\n" > METF
	tput0 = 1050 + int(unif() * 100)          # samples/s, whole
	t = t0
	ng = split("A B C", gname, " ")
	for (s = 1; s <= 10; s++) {
		step = s * 100
		tput = s == 1 ? tput0 - 70 : tput0 + int((unif() - 0.5) * 30)
		t += int(100 * 512 / tput)
		ts = iso(t)
		x = (10 - s) / 9
		printf "%d,%s,loss,,%.4f\n", step, ts,
		       0.45 + 0.24 * x * x + (s < 10 ? (unif() - 0.5) * 0.01 : 0) > METF
		acc = ok / rows
		if (s < 10)
			acc = 0.62 + (acc - 0.62) * s / 10
		printf "%d,%s,accuracy,,%.4f\n", step, ts, acc > METF
		printf "%d,%s,throughput,,%d\n", step, ts, tput > METF
		printf "%d,%s,latency_ms,,%.3f\n", step, ts, 512 * 1000 / tput > METF
		for (j = 1; j <= ng; j++) {
			g = gname[j]
			v = pos[g] ? tp[g] / pos[g] : 0
			if (s < 10)
				v = 0.45 + (v - 0.45) * s / 10
			printf "%d,%s,tpr,grp=%s,%.4f\n", step, ts, g, v > METF
		}
	}
	close(METF)
	t1 = t + 95                                 # + the evaluation

	# ---- run.csv
	printf "key,value\n" > RUNF
	kv("run", run)
	kv("model", "loan-approval")
	kv("version", "2." seed)
	if (parent != "")
		kv("parent", parent)
	kv("commit", sprintf("%06x%06x", int(unif() * 16777216), int(unif() * 16777216)))
	kv("data_version", "2026-02-a")
	kv("started_at", iso(t0))
	kv("finished_at", iso(t1))
	kv("status", "FINISHED")
	kv("beta_factor", "0.5")
	kv("class_weights", sprintf("1:%.17g;0:%.17g", rows / (2 * n1), rows / (2 * n0)))
	kv("positive_label", "1")
	kv("sensitive", "\"grp,age\"")
	kv("learning_rate", "0.001")
	kv("epochs", "10")
	kv("batch_size", "512")
	kv("seed", seed)
	kv("injected_gap", gap > 0 ? sprintf("%s:%.2f", gap_group, gap) : "none")
	close(RUNF)
	exit 0
}
