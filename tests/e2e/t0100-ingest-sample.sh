#!/bin/sh
# t0100-ingest-sample: the C07 sample runs go into a fresh store, and every
# number fairtop shows for them (show --format json, runs --format json and
# csv) equals the one computed independently from the CSVs by
# tests/e2e/lib/c07_expected.py, within a relative tolerance of 1e-12:
# rows at the final step, accuracy, F-beta with the run's own beta_factor
# (null for r05, which has none), per-group counts, selection rate, TPR, FPR,
# precision for `group`, `age` and `group & age`, demographic parity and
# equalized odds differences and ratios, exact class weights.  Then the
# story: r04 and r05 have the largest DP and EO differences; r02 and r06 are
# at most 0.10 on both.
. "$TOP/tests/e2e/lib/common.sh"

db="$SCRATCH/store.db"
exp="$SCRATCH/expected.json"

say "== the sample runs are what the story needs (c07_expected.py --check)"
run "$exp" "$SCRATCH/expected.err" python3 "$LIB/c07_expected.py" --json --check "$TOP/sample_runs"
expect_rc "c07_expected.py --json --check sample_runs" 0 "$SCRATCH/expected.err"
runs=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))))' "$exp")
[ "$runs" = "r01 r02 r03 r04 r05 r06" ] ||
	fail "runs in sample_runs: expected r01 r02 r03 r04 r05 r06, found $runs"
ok "expected numbers computed for $runs"

say "== fairtop ingest sample_runs into a fresh store"
[ ! -e "$db" ] || fail "the store $db exists before the test"
run "$SCRATCH/ingest.out" "$SCRATCH/ingest.err" "$FAIRTOP" --db "$db" ingest sample_runs
expect_rc "fairtop --db STORE ingest sample_runs" 0 "$SCRATCH/ingest.err"
[ ! -s "$SCRATCH/ingest.err" ] || {
	say "FAIL: ingest sample_runs: expected nothing on stderr, found:"
	show_file "$SCRATCH/ingest.err"
	exit 1
}
for r in $runs; do
	expect_contains "ingest reports $r" "$SCRATCH/ingest.out" "ingested $r from sample_runs/$r"
done
expect_contains "ingest total" "$SCRATCH/ingest.out" "6 runs ingested, 0 refused"
ok "6 runs ingested, exit 0, nothing on stderr"

say "== fairtop show RUN --format json, for every run, against c07_expected.py"
for r in $runs; do
	out="$SCRATCH/show-$r.json"
	run "$out" "$SCRATCH/show-$r.err" "$FAIRTOP" --db "$db" show "$r" --format json
	expect_rc "fairtop show $r --format json" 0 "$SCRATCH/show-$r.err"
	expect_json "fairtop show $r --format json" "$out"
	python3 "$LIB/c07_compare.py" show "$exp" "$r" "$out" ||
		fail "fairtop show $r --format json differs from c07_expected.py (see above)"
	ok "show $r: valid JSON, every number as computed from the CSVs"
done

say "== r05 has no beta_factor: its F-beta is null, never 0 or NaN"
python3 - "$SCRATCH/show-r05.json" <<'EOF' || fail "r05: an undefined F-beta is not null (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
vals = [d["overall"]["f_beta"]] + [g["f_beta"] for f in d["features"] for g in f["groups"]]
bad = [v for v in vals if v is not None]
if d["beta_factor"] is not None or bad:
    print(f"FAIL: r05: expected beta_factor and every f_beta null, found beta_factor "
          f"{d['beta_factor']!r} and {len(bad)} f_beta values such as {bad[:1]}")
    sys.exit(1)
EOF
ok "r05: beta_factor null, overall and per-group f_beta null"

say "== fairtop runs --format json and --format csv"
run "$SCRATCH/runs.json" "$SCRATCH/runs-json.err" "$FAIRTOP" --db "$db" runs --format json
expect_rc "fairtop runs --format json" 0 "$SCRATCH/runs-json.err"
expect_json "fairtop runs --format json" "$SCRATCH/runs.json"
run "$SCRATCH/runs.csv" "$SCRATCH/runs-csv.err" "$FAIRTOP" --db "$db" runs --format csv
expect_rc "fairtop runs --format csv" 0 "$SCRATCH/runs-csv.err"
python3 "$LIB/c07_compare.py" runs "$exp" "$SCRATCH/runs.json" "$SCRATCH/runs.csv" ||
	fail "fairtop runs differs from c07_expected.py (see above)"
ok "runs json and csv: each run once, every number as computed from the CSVs"
line=$(grep '^r05,' "$SCRATCH/runs.csv" | cut -d, -f7)
[ -z "$line" ] || fail "runs --format csv: r05 f_beta: expected an empty field, found '$line'"
ok "runs csv: r05 f_beta is an empty field"

say "== the story, as fairtop runs tells it"
python3 "$LIB/c07_compare.py" story "$SCRATCH/runs.json" ||
	fail "the story is not told by fairtop runs --format json (see above)"
python3 "$LIB/c07_compare.py" story "$SCRATCH/runs.csv" ||
	fail "the story is not told by fairtop runs --format csv (see above)"
ok "r04 and r05 have the largest DP and EO differences; r02 and r06 <= 0.10 on both"

done_ok
