#!/bin/sh
# t0800-compare-policy: fairtop compare and fairtop policy.
#   compare r02 r05 (text): the performance block with throughput +93.1 %,
#   the per-group table of `group` with baseline, candidate and change as
#   computed from the CSVs (lib/c07_expected.py), C "absent"; the DP and
#   EO aggregates with the candidate's interval and "yes" (established)
#   for r05 across group, the baseline r02's "V [L, H] not established";
#   --format json: strict JSON, per-group selection rate / TPR / FPR /
#   precision and n of both runs and the aggregates equal the independent
#   values to 1e-12, vs_reference against the largest group; each run's
#   aggregates with value (over the groups of at least 30 rows, computed
#   here), low, high, established (as the bounds say; across group r05's
#   only); the findings with low, high, established;
#   --format csv: Python's csv module, header
#   section,feature,group,metric,baseline,candidate,change then each run's
#   interval_value,low,high,established, values as computed, change =
#   candidate - baseline, the intervals as in the JSON;
#   --reference B: B is the reference of `group` (its vs_reference 0).
#   policy: every key "default" in text and JSON; --policy FILE shows
#   FILE:LINE origins for the keys it sets; $FAIRTOP_POLICY shows
#   "$FAIRTOP_POLICY=FILE:LINE"; ./fairtop.ini is read last; --policy wins
#   over $FAIRTOP_POLICY, which wins over ./fairtop.ini; --format json valid.
. "$TOP/tests/e2e/lib/common.sh"

# no ./fairtop.ini may be picked up: run from the scratch folder
cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
exp="$SCRATCH/expected.json"
chk="$LIB/c07_gate_checks.py"

say "== the sample runs, ingested into a fresh store"
run "$exp" "$SCRATCH/expected.err" python3 "$LIB/c07_expected.py" --json "$TOP/sample_runs"
expect_rc "c07_expected.py --json sample_runs" 0 "$SCRATCH/expected.err"
run "$SCRATCH/ingest.out" "$SCRATCH/ingest.err" "$FAIRTOP" --db "$db" ingest "$TOP/sample_runs"
expect_rc "fairtop ingest sample_runs" 0 "$SCRATCH/ingest.err"
expect_contains "ingest" "$SCRATCH/ingest.out" "6 runs ingested, 0 refused"
ok "sample_runs ingested: r01..r06"

# ---------------------------------------------------------------------
say "== compare r02 r05 (text)"
o="$SCRATCH/cmp.txt"
run "$o" "$o.err" "$FAIRTOP" --db "$db" compare r02 r05
expect_rc "fairtop compare r02 r05" 0 "$o.err"
grep -E '^PERFORMANCE' "$o" >/dev/null ||
	{ say "FAIL: compare r02 r05: expected a PERFORMANCE block, found:"; show_file "$o"; exit 1; }
grep -E '^throughput +1200 +2317\.2 +\+93\.1 %$' "$o" >/dev/null ||
	{ say "FAIL: compare r02 r05: expected 'throughput 1200 2317.2 +93.1 %' in the performance block, found:"; grep -n -i throughput "$o" | sed 's/^/    | /'; exit 1; }
ok "compare r02 r05: performance block, throughput 1200 -> 2317.2, +93.1 %"
python3 "$chk" compare-text "$exp" "$o" r02 r05 || {
	sed -n '/^feature group/,/reference group/p' "$o" | sed 's/^/    | /'
	fail "compare r02 r05: the per-group table of 'group' (see above)"
}
ok "compare r02 r05: per-group table of group with baseline, candidate, change as computed; C absent"
grep -E '^ +C +selection .* absent ' "$o" >/dev/null || fail "compare r02 r05: expected the row of C to say absent"
ok "compare r02 r05: C is 'absent' in the candidate"
expect_contains "compare r02 r05" "$o" "reference group: A"
ok "compare r02 r05: reference group of group is A (the largest)"
grep -A1 -E '^  demographic parity difference *$' "$o" | grep -E '^    gate \(groups >= 30 rows\) +0\.017 +0\.174 +\+0\.157 +\[0\.[0-9]{3}, 0\.[0-9]{3}\] +yes$' >/dev/null ||
	{ say "FAIL: compare r02 r05: expected 'demographic parity difference' then 'gate (groups >= 30 rows) 0.017 0.174 +0.157 [L, H] yes', found:"; grep -n -A2 "parity\|odds" "$o" | sed 's/^/    | /'; exit 1; }
grep -E '^  baseline r02 +DP difference 0\.017 \[-0\.[0-9]{3}, 0\.[0-9]{3}\] not established$' "$o" >/dev/null ||
	{ say "FAIL: compare r02 r05: expected 'baseline r02   DP difference 0.017 [L, H] not established', found:"; grep -n "baseline" "$o" | sed 's/^/    | /'; exit 1; }
ok "compare r02 r05: DP difference across group with the candidate's interval, established; the baseline's, not established"

say "== compare r02 r05 --format json"
o="$SCRATCH/cmp.json"
run "$o" "$o.err" "$FAIRTOP" --db "$db" compare r02 r05 --format json
expect_rc "fairtop compare r02 r05 --format json" 0 "$o.err"
expect_json "compare r02 r05 --format json" "$o"
python3 "$chk" compare-json "$exp" "$o" r02 r05 || fail "compare r02 r05 --format json (see above)"
ok "compare --format json: per-group rates, n and aggregates of both runs as computed, to 1e-12, with intervals and established"

say "== compare r02 r05 --format csv"
o="$SCRATCH/cmp.csv"
run "$o" "$o.err" "$FAIRTOP" --db "$db" compare r02 r05 --format csv
expect_rc "fairtop compare r02 r05 --format csv" 0 "$o.err"
python3 "$chk" compare-csv "$exp" "$o" r02 r05 || fail "compare r02 r05 --format csv (see above)"
ok "compare --format csv: header, values as computed, change = candidate - baseline, intervals and established"

say "== compare r02 r05 --reference B"
o="$SCRATCH/cmp-ref.json"
run "$o" "$o.err" "$FAIRTOP" --db "$db" compare r02 r05 --reference B --format json
expect_rc "fairtop compare r02 r05 --reference B --format json" 0 "$o.err"
python3 "$chk" compare-json "$exp" "$o" r02 r05 B || fail "compare --reference B --format json (see above)"
ok "--reference B (json): B is the reference of group, its vs_reference 0, A's against B"
o="$SCRATCH/cmp-ref.txt"
run "$o" "$o.err" "$FAIRTOP" --db "$db" compare r02 r05 --reference B
expect_rc "fairtop compare r02 r05 --reference B" 0 "$o.err"
expect_contains "compare --reference B" "$o" "reference group: B"
grep -E '^ +B +selection .*\(ref\) *$' "$o" >/dev/null ||
	{ say "FAIL: compare --reference B: expected B's selection row marked (ref), found:"; sed -n '/^feature group/,/reference group/p' "$o" | sed 's/^/    | /'; exit 1; }
ok "--reference B (text): 'reference group: B', B marked (ref)"

# ---------------------------------------------------------------------
say "== fairtop policy: the built-in defaults"
mkdir -p "$SCRATCH/none" "$SCRATCH/cwd"
(cd "$SCRATCH/none" && "$FAIRTOP" policy) >pol.txt 2>pol.err
rc=$?
expect_rc "fairtop policy (no file)" 0 pol.err
(cd "$SCRATCH/none" && "$FAIRTOP" policy --format json) >pol.json 2>pol.err
rc=$?
expect_rc "fairtop policy --format json (no file)" 0 pol.err
expect_json "fairtop policy --format json" pol.json
python3 "$chk" policy-origins pol.txt pol.json - - || fail "fairtop policy: see above"
n=$(grep -c '; default' pol.txt)
ok "policy: every key ($n) says 'default', in text and JSON"

cat >pol.ini <<'EOF'
; a team's policy
[fairness]
max_eo_difference = 0.5

max_dp_difference = 0.25
[drift]
psi_critical = 0.3
EOF
say "== fairtop policy --policy pol.ini"
run pol-file.txt pol.err "$FAIRTOP" policy --policy pol.ini
expect_rc "fairtop policy --policy pol.ini" 0 pol.err
run pol-file.json pol.err "$FAIRTOP" policy --policy pol.ini --format json
expect_rc "fairtop policy --policy pol.ini --format json" 0 pol.err
expect_json "fairtop policy --policy pol.ini --format json" pol-file.json
python3 "$chk" policy-origins pol-file.txt pol-file.json pol.ini pol.ini || fail "policy --policy pol.ini: see above"
expect_contains "policy --policy pol.ini" pol-file.txt "; pol.ini:3 "
ok "policy --policy pol.ini: the keys it sets from pol.ini:LINE (3, 5, 7), the others default"

say "== FAIRTOP_POLICY=pol.ini fairtop policy"
FAIRTOP_POLICY=pol.ini
export FAIRTOP_POLICY
run pol-env.txt pol.err "$FAIRTOP" policy
expect_rc "FAIRTOP_POLICY=pol.ini fairtop policy" 0 pol.err
run pol-env.json pol.err "$FAIRTOP" policy --format json
expect_rc "FAIRTOP_POLICY=pol.ini fairtop policy --format json" 0 pol.err
unset FAIRTOP_POLICY
expect_json "FAIRTOP_POLICY=pol.ini fairtop policy --format json" pol-env.json
# shellcheck disable=SC2016 # a literal $FAIRTOP_POLICY
python3 "$chk" policy-origins pol-env.txt pol-env.json pol.ini '$FAIRTOP_POLICY=pol.ini' ||
	fail "FAIRTOP_POLICY=pol.ini fairtop policy: see above"
# shellcheck disable=SC2016
expect_contains "FAIRTOP_POLICY=pol.ini fairtop policy" pol-env.txt '; $FAIRTOP_POLICY=pol.ini:3 '
ok "FAIRTOP_POLICY=pol.ini: origins '\$FAIRTOP_POLICY=pol.ini:LINE'"

say "== where the policy comes from: --policy, then \$FAIRTOP_POLICY, then ./fairtop.ini"
printf '[fairness]\nmin_dp_ratio = 0.7\n' >"$SCRATCH/cwd/fairtop.ini"
printf '[fairness]\n\nmin_group_size = 40\n' >env.ini
(cd "$SCRATCH/cwd" && "$FAIRTOP" policy --format json) >src.json 2>src.err
rc=$?
expect_rc "fairtop policy (./fairtop.ini)" 0 src.err
(cd "$SCRATCH/cwd" && "$FAIRTOP" policy) >src.txt 2>src.err
python3 "$chk" policy-origins src.txt src.json "$SCRATCH/cwd/fairtop.ini" fairtop.ini ||
	fail "fairtop policy with ./fairtop.ini: see above"
ok "./fairtop.ini is read when nothing else names a policy (origin fairtop.ini:2)"
(cd "$SCRATCH/cwd" && FAIRTOP_POLICY="$SCRATCH/env.ini" "$FAIRTOP" policy --format json) >src.json 2>src.err
rc=$?
expect_rc "FAIRTOP_POLICY=env.ini fairtop policy (./fairtop.ini too)" 0 src.err
(cd "$SCRATCH/cwd" && FAIRTOP_POLICY="$SCRATCH/env.ini" "$FAIRTOP" policy) >src.txt 2>src.err
python3 "$chk" policy-origins src.txt src.json env.ini "\$FAIRTOP_POLICY=$SCRATCH/env.ini" ||
	fail "FAIRTOP_POLICY over ./fairtop.ini: see above"
ok "\$FAIRTOP_POLICY wins over ./fairtop.ini"
(cd "$SCRATCH/cwd" && FAIRTOP_POLICY="$SCRATCH/env.ini" "$FAIRTOP" policy --policy "$SCRATCH/pol.ini" --format json) >src.json 2>src.err
rc=$?
expect_rc "fairtop policy --policy pol.ini (FAIRTOP_POLICY and ./fairtop.ini too)" 0 src.err
(cd "$SCRATCH/cwd" && FAIRTOP_POLICY="$SCRATCH/env.ini" "$FAIRTOP" policy --policy "$SCRATCH/pol.ini") >src.txt 2>src.err
python3 "$chk" policy-origins src.txt src.json pol.ini "$SCRATCH/pol.ini" ||
	fail "--policy over FAIRTOP_POLICY and ./fairtop.ini: see above"
ok "--policy wins over \$FAIRTOP_POLICY and ./fairtop.ini"

done_ok
