#!/bin/sh
# t2300-sampling-noise: runs of a process that is fair by construction must
# not be judged unfair because of sampling noise, and a real gap on a small
# group must still be caught.
#   lib/fair_runs.awk writes ten runs f01..f10 (seeds 1..10, one day
#   apart, in time order), 4000 rows each: grp A 60 %, B 35 %, C 5 % (about
#   200 rows), four age bands of 25 %, y_true 1 with probability 0.3,
#   y_pred 1 with probability 0.8 for a true positive and 0.2 for a true
#   negative in every group (selection rate 0.38, TPR 0.8, FPR 0.2 for all
#   in expectation), the same score distribution for every group, exact
#   class weights and beta_factor: any gap between groups is noise.  They
#   are ingested one by one, in order, into a fresh store, and:
#     1. alerts --format json holds no alert of severity critical;
#     2. deploy f01 --reason ... --by e2e exits 0 (nothing is in
#        production, so it is judged on its own; when refused, f01 is
#        deployed with --override so that 3 and 4 still have a baseline);
#     3. gate --baseline deployed --candidate fNN exits 0 for f02..f10
#        (the baseline named is f01);
#     4. u11 (seed 11, gap 0.30 on grp=C: C's selection rate 0.38 ->
#        0.15 on ~200 rows, TPR 0.8 -> 0.5, FPR 0.2 -> 0) ingested:
#        a. gate --baseline deployed --candidate u11 exits 1;
#        b. a FAIL finding of its gate JSON has group "grp=C";
#        c. alerts --format json holds a critical alert of run u11;
#     5. w12: u11's rows weighted so that group C is carried by three rows
#        of weight 1000 predicted negative (C's weighted selection rate
#        near 0 against 0.38): by Kish's effective size C counts as about
#        three rows, so the huge gap is possible, not established: gate
#        --candidate w12 --baseline w12 exits 0, its grp
#        dp_difference finding is a WARN saying "possible, not
#        established" and "effective rows", with established false and
#        a low bound below 0 in its JSON.
#   Every check runs and prints ok or FAIL; the closing line is
#   "t2300: N passed, N failed" and the exit code 1 when one failed.
#   JSON keys read: alerts: run, severity, rule, subject, message;
#   gate: passed, baseline, findings[].severity, .rule, .feature, .group,
#   .message (lows, highs or an "established" flag, if the gate gains
#   them, are printed but not required).
. "$TOP/tests/e2e/lib/common.sh"

command -v python3 >/dev/null 2>&1 ||
	{ say "skip: python3 is not installed: the JSON checks need it"; exit 0; }
# no ./fairtop.ini may be picked up: run from the scratch folder
cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
runs="$SCRATCH/runs"
GEN="$LIB/fair_runs.awk"
rm -rf "$runs" "$db" "$db-wal" "$db-shm"
mkdir -p "$runs" || fail "mkdir $runs"

# gen ID SEED DAY [GAP GROUP]: run ID from seed SEED, started on
# 2026-02-DAY at 09:00:00Z.
gen() {
	mkdir -p "$runs/$1" || fail "mkdir $runs/$1"
	awk -v out="$runs/$1" -v run="$1" -v seed="$2" \
		-v start="$(printf '2026-02-%02dT09:00:00Z' "$3")" \
		-v gap="${4:-0}" -v gap_group="${5:-}" -f "$GEN" \
		2>"$runs/$1.err" ||
		{ say "FAIL: awk -f fair_runs.awk seed $2: expected a run folder, found:"; show_file "$runs/$1.err"; exit 1; }
}

# ingest ID: fairtop ingest runs/ID, exit 0 (a precondition: fails hard).
ingest() {
	run "$SCRATCH/ingest-$1.out" "$SCRATCH/ingest-$1.err" "$FAIRTOP" --db "$db" ingest "$runs/$1"
	expect_rc "fairtop ingest runs/$1" 0 "$SCRATCH/ingest-$1.err"
}

# alerts_json OUT: fairtop alerts --format json into OUT, exit 0, valid.
alerts_json() {
	run "$1" "$1.err" "$FAIRTOP" --db "$db" alerts --format json
	expect_rc "fairtop alerts --format json" 0 "$1.err"
	expect_json "fairtop alerts --format json" "$1"
}

say "== ten runs of a fair process (seeds 1..10), ingested in time order"
fair=""
i=1
while [ "$i" -le 10 ]; do
	id=$(printf 'f%02d' "$i")
	gen "$id" "$i" "$i"
	ingest "$id"
	fair="$fair $id"
	i=$((i + 1))
done
say "ingested:$fair (4000 rows each, no deployment)"

# ---------------------------------------------------------------------
say "== 1. no critical alert for runs whose gaps are sampling noise"
alerts_json "$SCRATCH/alerts-fair.json"
if python3 - "$SCRATCH/alerts-fair.json" <<'PY'; then
import json, sys
alerts = json.load(open(sys.argv[1]))
crit = [a for a in alerts if a.get("severity") == "critical"]
other = [a for a in alerts if a.get("severity") != "critical"]
print("     %d alerts: %d critical, %d other (%s)" % (
    len(alerts), len(crit), len(other),
    ", ".join(sorted({"%s %s" % (a.get("severity"), a.get("rule")) for a in other})) or "none"))
byrun = {}
for a in crit:
    byrun.setdefault(a.get("run"), []).append(a)
for run in sorted(byrun):
    rules = ", ".join("%s [%s]" % (a.get("rule"), a.get("subject")) for a in byrun[run])
    print("     critical for %s: %s" % (run, rules))
for a in crit[:3]:
    print("       e.g. %s" % a.get("message"))
sys.exit(1 if crit else 0)
PY
	ok "1. alerts --format json: no critical alert for f01..f10"
else
	not_ok "1. alerts --format json: expected no alert of severity critical for runs of a fair process, found some (above)"
fi

# ---------------------------------------------------------------------
say "== 2. deploy f01 (nothing in production: judged on its own)"
run "$SCRATCH/deploy.out" "$SCRATCH/deploy.err" "$FAIRTOP" --db "$db" deploy f01 --reason "fair baseline (t2300)" --by e2e
if [ "$rc" -eq 0 ]; then
	ok "2. deploy f01 --reason ... --by e2e: exit 0"
else
	not_ok "2. deploy f01 --reason ... --by e2e: expected exit code 0, found $rc; stderr:"
	show_file "$SCRATCH/deploy.err"
	run "$SCRATCH/deploy-o.out" "$SCRATCH/deploy-o.err" "$FAIRTOP" --db "$db" deploy f01 --reason "t2300: a baseline for checks 3 and 4" --by e2e --override
	expect_rc "fairtop deploy f01 --override (so that checks 3 and 4 have a deployed baseline)" 0 "$SCRATCH/deploy-o.err"
	say "     (f01 deployed with --override instead, for checks 3 and 4)"
fi

# ---------------------------------------------------------------------
say "== 3. gate --baseline deployed for f02..f10: all pass"
# gate_json ID: gate --baseline deployed --candidate ID --format json into
# gate-ID.json, its exit code in $rc, and a one-line summary in $line:
# "baseline B, passed P, N FAIL, N WARN: rule [feature] group candidate vs
# threshold; ...".  Not in a subshell: $rc must survive.
gate_json() {
	run "$SCRATCH/gate-$1.json" "$SCRATCH/gate-$1.err" "$FAIRTOP" --db "$db" gate --baseline deployed --candidate "$1" --format json
	_grc=$rc
	if [ "$_grc" -ne 0 ] && [ "$_grc" -ne 1 ]; then
		line="no verdict; stderr: $(head -n 3 "$SCRATCH/gate-$1.err" | tr '\n' ' ')"
		return 0
	fi
	expect_json "fairtop gate --baseline deployed --candidate $1 --format json" "$SCRATCH/gate-$1.json"
	python3 - "$SCRATCH/gate-$1.json" >"$SCRATCH/gate-$1.sum" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
fails = [f for f in g.get("findings", []) if f.get("severity") == "FAIL"]
warns = [f for f in g.get("findings", []) if f.get("severity") == "WARN"]
def extra(f):
    keys = [k for k in ("low", "high", "established") if k in f]
    return "".join(" %s=%s" % (k, f[k]) for k in keys)
def cut(v):
    return "%.3f" % v if isinstance(v, (int, float)) else str(v)
parts = ["%s [%s] %s %s vs %s%s" % (f.get("rule"), f.get("feature"), f.get("group"),
                                    cut(f.get("candidate")), cut(f.get("threshold")), extra(f))
         for f in fails]
print("baseline %s, passed %s, %d FAIL, %d WARN%s" % (
    g.get("baseline"), g.get("passed"), len(fails), len(warns),
    (": " + "; ".join(parts)) if parts else ""))
PY
	line=$(cat "$SCRATCH/gate-$1.sum")
	rc=$_grc
}

bad=""
wrongbase=""
for id in $fair; do
	[ "$id" = f01 ] && continue
	gate_json "$id"
	say "     gate $id: exit $rc, $line"
	[ "$rc" -eq 0 ] || bad="$bad $id"
	case "$line" in
	"baseline f01,"*) ;;
	*) wrongbase="$wrongbase $id" ;;
	esac
done
[ -z "$wrongbase" ] || say "     note: the baseline named for$wrongbase is not f01"
if [ -z "$bad" ]; then
	ok "3. gate --baseline deployed --candidate f02..f10: every one exits 0"
else
	# shellcheck disable=SC2086 # one run id a line, split on purpose
	n=$(printf "%s\n" $bad | wc -l | tr -d ' ')
	not_ok "3. gate --baseline deployed: expected exit 0 for f02..f10, found exit 1 for $n of 9:$bad (findings above)"
fi

# ---------------------------------------------------------------------
say "== 4. u11: a real gap of 0.30 on grp=C (seed 11), ingested after f10"
gen u11 11 11 0.30 C
ingest u11
gate_json u11
say "     gate u11: exit $rc, $line"
if [ "$rc" -eq 1 ]; then
	ok "4a. gate --baseline deployed --candidate u11: exit 1"
else
	not_ok "4a. gate --baseline deployed --candidate u11: expected exit code 1, found $rc"
fi
if python3 - "$SCRATCH/gate-u11.json" <<'PY'; then
import json, sys
g = json.load(open(sys.argv[1]))
hit = [f for f in g.get("findings", [])
       if f.get("severity") == "FAIL" and f.get("group") == "grp=C"]
for f in hit:
    print("     FAIL %s: %s" % (f.get("rule"), f.get("message")))
sys.exit(0 if hit else 1)
PY
	ok "4b. gate u11 --format json: a FAIL finding names group grp=C"
else
	not_ok "4b. gate u11 --format json: expected a FAIL finding with group \"grp=C\", found none"
	show_file "$SCRATCH/gate-u11.json"
fi
alerts_json "$SCRATCH/alerts-u11.json"
if python3 - "$SCRATCH/alerts-u11.json" <<'PY'; then
import json, sys
alerts = [a for a in json.load(open(sys.argv[1])) if a.get("run") == "u11"]
crit = [a for a in alerts if a.get("severity") == "critical"]
print("     %d alerts for u11, %d critical" % (len(alerts), len(crit)))
for a in crit:
    print("     critical %s [%s]: %s" % (a.get("rule"), a.get("subject"), a.get("message")))
sys.exit(0 if crit else 1)
PY
	ok "4c. alerts --format json: a critical alert for u11"
else
	not_ok "4c. alerts --format json: expected a critical alert of run u11, found none"
fi

# ---------------------------------------------------------------------
say "== 5. w12: group C carried by three heavy weights (Kish)"
mkdir -p "$runs/w12" || fail "mkdir $runs/w12"
sed 's/^run_id,u11$/run_id,w12/; s/^run,u11$/run,w12/' "$runs/u11/run.csv" >"$runs/w12/run.csv"
grep -q 'w12' "$runs/w12/run.csv" || fail "w12: run.csv names no run w12"
cp "$runs/u11/metrics.csv" "$runs/w12/metrics.csv"
# the weight column: 1000 on C's first three rows predicted negative, 1
# on C's others... and on every other row
awk -F, 'BEGIN { OFS = "," }
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print $0, "weight"; next }
{ w = 1
  if ($col["grp"] == "C") { if ($col["y_pred"] == 0 && heavy < 3) { heavy++; w = 1000 } }
  print $0, w }' "$runs/u11/predictions.csv" >"$runs/w12/predictions.csv"
run "$SCRATCH/ingest-w12.out" "$SCRATCH/ingest-w12.err" "$FAIRTOP" --db "$db" ingest "$runs/w12"
expect_rc "fairtop ingest runs/w12" 0 "$SCRATCH/ingest-w12.err"
run "$SCRATCH/gate-w12.json" "$SCRATCH/gate-w12.err" "$FAIRTOP" --db "$db" gate --baseline w12 --candidate w12 --format json
wrc=$rc
if python3 - "$SCRATCH/gate-w12.json" "$wrc" <<'PY'; then
import json, sys
g = json.load(open(sys.argv[1]))
rc = int(sys.argv[2])
hit = [f for f in g.get("findings", [])
       if f.get("rule") == "dp_difference" and f.get("feature") == "grp"]
ok = rc == 0 and len(hit) == 1
for f in hit:
    print("     %s %s: %s" % (f.get("severity"), f.get("rule"), f.get("message")))
    m = f.get("message", "")
    ok = ok and f.get("severity") == "WARN" and \
        "possible, not established" in m and "effective rows" in m
    if "established" in f:
        ok = ok and f["established"] is False and f.get("low") is not None \
            and f["low"] < 0
print("     gate exit %d" % rc)
sys.exit(0 if ok else 1)
PY
	ok "5. gate w12: C's gap on three heavy rows is possible, not established (Kish's effective rows)"
else
	not_ok "5. gate w12: expected exit 0 and a WARN 'possible, not established' on grp with 'effective rows', found otherwise (above)"
	show_file "$SCRATCH/gate-w12.err"
fi

done_counts t2300
