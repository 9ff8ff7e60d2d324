#!/bin/sh
# t0150-ingest-large: a predictions.csv of more than 1 MiB is read in two
# halves on two threads (core/predictions.c); the numbers must be those
# computed independently from the CSVs, as for the small files.  The C07
# runs are made large by repeating each one's rows five times (every
# count times five, every rate the same, so the story still holds), and
# compared with c07_expected.py as in t0100; then one large run with a
# bad row in its second half is refused with the message, line number
# included, that reading it whole gives, and leaves the store unchanged.
# `--threads 1` gives the same numbers byte for byte.
. "$TOP/tests/e2e/lib/common.sh"

big="$SCRATCH/big"
db="$SCRATCH/store.db"
exp="$SCRATCH/expected.json"

say "== the C07 runs, each with its rows five times over"
for d in "$TOP"/sample_runs/r0?; do
	r=$(basename "$d")
	mkdir -p "$big/$r" || fail "cannot create $big/$r"
	cp "$d/run.csv" "$d/metrics.csv" "$big/$r/" || fail "cannot copy $d"
	{
		head -n 1 "$d/predictions.csv"
		for k in 1 2 3 4 5; do tail -n +2 "$d/predictions.csv"; done
	} >"$big/$r/predictions.csv" || fail "cannot write $big/$r/predictions.csv"
	size=$(wc -c <"$big/$r/predictions.csv")
	[ "$size" -gt 1048576 ] ||
		fail "$r: expected a predictions.csv above 1 MiB, made $size bytes"
done
ok "6 runs of more than 1 MiB each"

run "$exp" "$SCRATCH/expected.err" python3 "$LIB/c07_expected.py" --json --check "$big"
expect_rc "c07_expected.py --json --check on the large runs" 0 "$SCRATCH/expected.err"

say "== fairtop ingest of the large runs"
run "$SCRATCH/ingest.out" "$SCRATCH/ingest.err" "$FAIRTOP" --db "$db" ingest "$big"
expect_rc "fairtop --db STORE ingest BIG" 0 "$SCRATCH/ingest.err"
expect_contains "ingest total" "$SCRATCH/ingest.out" "6 runs ingested, 0 refused"
for r in r01 r02 r03 r04 r05 r06; do
	out="$SCRATCH/show-$r.json"
	run "$out" "$SCRATCH/show-$r.err" "$FAIRTOP" --db "$db" show "$r" --format json
	expect_rc "fairtop show $r --format json" 0 "$SCRATCH/show-$r.err"
	python3 "$LIB/c07_compare.py" show "$exp" "$r" "$out" ||
		fail "large $r: fairtop show differs from c07_expected.py (see above)"
done
ok "every number of the six large runs as computed from the CSVs"

say "== --threads 1 reads each file whole: the same numbers"
db1="$SCRATCH/one-thread.db"
run "$SCRATCH/ingest1.out" "$SCRATCH/ingest1.err" "$FAIRTOP" --db "$db1" ingest --threads 1 "$big"
expect_rc "fairtop ingest --threads 1 BIG" 0 "$SCRATCH/ingest1.err"
for r in r01 r02 r03 r04 r05 r06; do
	run "$SCRATCH/show1-$r.json" "$SCRATCH/show1-$r.err" "$FAIRTOP" --db "$db1" show "$r" --format json
	expect_rc "fairtop show $r --format json (one thread)" 0 "$SCRATCH/show1-$r.err"
	# the store's path is not in the output; everything else must match
	cmp -s "$SCRATCH/show-$r.json" "$SCRATCH/show1-$r.json" ||
		fail "$r: show --format json differs between one and two threads"
done
ok "show --format json of every run byte for byte the same with one thread"
run "$SCRATCH/threads.out" "$SCRATCH/threads.err" "$FAIRTOP" --db "$db1" ingest --threads 3 "$big"
expect_rc "fairtop ingest --threads 3" 2 "$SCRATCH/threads.err"
expect_contains "--threads 3 is refused" "$SCRATCH/threads.err" \
	"fairtop ingest: --threads: expected 1 or 2, found '3'"
ok "--threads 3: exit 2 with what is expected"

say "== a bad row in the second half: the line of the whole file"
bad="$SCRATCH/bad/r07"
mkdir -p "$bad" || fail "cannot create $bad"
sed 's/^run,r01$/run,r07/' "$big/r01/run.csv" >"$bad/run.csv"
cp "$big/r01/metrics.csv" "$bad/" || fail "cannot copy metrics.csv"
lines=$(wc -l <"$big/r01/predictions.csv")
at=$((lines * 3 / 4))
awk -v at="$at" 'NR == at { sub(/,[01],/, ",7,") } { print }' \
	"$big/r01/predictions.csv" >"$bad/predictions.csv"
before=$(cksum <"$db")
run "$SCRATCH/bad.out" "$SCRATCH/bad.err" "$FAIRTOP" --db "$db" ingest "$bad"
expect_rc "fairtop ingest of a large run with a 3-class label" 65 "$SCRATCH/bad.err"
expect_contains "the message names the line" "$SCRATCH/bad.err" \
	"fairtop: $bad/predictions.csv:$at: "
[ "$(cksum <"$db")" = "$before" ] || fail "the refused ingest changed the store"
ok "refused at line $at of $lines, exit 65, store unchanged"

done_ok
