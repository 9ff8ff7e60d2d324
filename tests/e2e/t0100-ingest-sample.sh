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
# at most 0.10 on both.  show prints each aggregate with its interval and
# whether it is established: across group, for r04 and r05 only.
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

say "== show: every aggregate with its interval and whether it is established"
# r04 and r05 are unfair on group B beyond sampling noise; r01, r02 and
# r06 are within it.  Each aggregate's value lies in its interval; an
# established difference excludes 0, a ratio's interval lies below 1;
# beside it value_all_groups, the feature's own value over every group,
# and gate_values holds the same value as the interval's.
python3 - "$SCRATCH" <<'EOF' || fail "show --format json: the intervals (see above)"
import json, sys
bad = []
for r in ("r01", "r02", "r04", "r05", "r06"):
    d = json.load(open(f"{sys.argv[1]}/show-{r}.json"))
    iv = d.get("intervals") or {}
    if iv.get("confidence") != 0.95 or iv.get("min_group_size") != 30:
        bad.append(f"{r}: intervals: expected confidence 0.95 and min_group_size 30, found {iv}")
    for f in d["features"]:
        for key in ("demographic_parity_difference", "demographic_parity_ratio",
                    "equalized_odds_difference"):
            a = (f.get("intervals") or {}).get(key)
            if not isinstance(a, dict) or sorted(a) != ["established", "high", "low", "metric", "value",
                                                        "value_all_groups"]:
                bad.append(f"{r} {f['name']} {key}: expected value, value_all_groups, low, high, "
                           f"established, metric, found {a}")
                continue
            # beside the gate's value, the feature's own over every group
            if a["value_all_groups"] != f[key]:
                bad.append(f"{r} {f['name']} {key}: expected value_all_groups {f[key]}, "
                           f"found {a['value_all_groups']}")
            if (f.get("gate_values") or {}).get(key) != a["value"]:
                bad.append(f"{r} {f['name']} {key}: expected gate_values.{key} {a['value']}, "
                           f"found {f.get('gate_values')}")
            v, lo, hi, est = a["value"], a["low"], a["high"], a["established"]
            if v is None or not (lo <= v <= (hi if hi is not None else v)):
                bad.append(f"{r} {f['name']} {key}: expected {v} within [{lo}, {hi}]")
            ratio = key.endswith("ratio")
            want = (hi is not None and hi < 1) if ratio else (lo > 0 or hi < 0)
            if est is not want:
                bad.append(f"{r} {f['name']} {key}: [{lo}, {hi}]: expected established {want}, found {est}")
            if f["name"] == "group" and est is not (r in ("r04", "r05")):
                bad.append(f"{r} across group: {key} {v} [{lo}, {hi}]: expected established "
                           f"{r in ('r04', 'r05')}, found {est}")
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
EOF
ok "show --format json: DP difference, DP ratio, EO difference each with value, low, high, established; across group established for r04 and r05 only"
for r in r04 r02; do
	run "$SCRATCH/show-$r.txt" "$SCRATCH/show-$r.txt.err" "$FAIRTOP" --db "$db" show "$r"
	expect_rc "fairtop show $r" 0 "$SCRATCH/show-$r.txt.err"
done
# the gate's value with its interval, then the value over every group
grep -E '^  demographic parity difference +0\.169 \[0\.[0-9]{3}, 0\.[0-9]{3}\] established +0\.169$' "$SCRATCH/show-r04.txt" >/dev/null ||
	{ say "FAIL: show r04: expected 'demographic parity difference  0.169 [L, H] established  0.169', found:"; grep -n "parity\|odds" "$SCRATCH/show-r04.txt"; exit 1; }
grep -E '^  equalized odds difference +0\.[0-9]{3} \[-?0\.[0-9]{3}, 0\.[0-9]{3}\] not established \((TPR|FPR)\) +0\.[0-9]{3}$' "$SCRATCH/show-r02.txt" >/dev/null ||
	{ say "FAIL: show r02: expected 'equalized odds difference  V [L, H] not established (TPR)  V', found:"; grep -n "parity\|odds" "$SCRATCH/show-r02.txt"; exit 1; }
expect_contains "show r04" "$SCRATCH/show-r04.txt" "intervals: 95 % simultaneous over all of a run's comparisons, groups under 30 rows left out"
ok "show (text): 'V [L, H] established' for r04 across group, 'not established' for r02"

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
