#!/bin/sh
# t0810-low-n-both-ways: show and compare give each aggregate both ways,
# the gate's (groups of at least min_group_size rows, with its interval)
# beside the value over every group (low-n included, as Fairlearn), and
# mark the low-n groups of their tables.
#   Two runs b01 and c01 of the same predictions, written here: race W
#   (400 rows: 200 positive with 160 predicted, 200 negative with 42),
#   Bk (300: 150 with 114, 150 with 30), X (18: 9 with 1, 9 with 0);
#   sex F, M and N, N two negative rows of W, both predicted positive
#   (the cell race=W & sex=N: FPR 1 on 2 rows).  Selection rates: W
#   202/400, Bk 144/300, X 1/18: the gate's DP difference is W - Bk
#   (0.025), over every group W - X (0.449), driven by X's 18 rows.
#   show c01 (text): X marked "X *" with the legend line "* fewer than 30
#   rows: left out of the gate's aggregates"; the DP difference row
#   "0.025 [L, H] not established  0.449"; the headers "GATE (GROUPS >=
#   30 ROWS)" and "EVERY GROUP (LOW-N INCLUDED)"; the cell race=W & sex=N
#   marked in the intersection's table.
#   show c01 --format json: race's intervals.demographic_parity_difference
#   value and value_all_groups as computed here (to 1e-12), gate_values,
#   low_n_groups 1, X low_n true and W false.
#   compare b01 c01 (text): under "demographic parity difference" the row
#   "gate (groups >= 30 rows)  0.025  0.025  0.000  [L, H]  no" then
#   "every group (low-n included)  0.449  0.449  0.000"; "X *" in race's
#   group table with the legend; the intersection's low-n cells named
#   with their rows; --format json: the same values, groups' low_n.
. "$TOP/tests/e2e/lib/common.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"

# rows RACE SEX Y_TRUE Y_PRED COUNT: COUNT rows of predictions.csv.
rows() {
	_i=0
	while [ "$_i" -lt "$5" ]; do
		printf '%s,%s,%s,%s\n' "$3" "$4" "$1" "$2"
		_i=$((_i + 1))
	done
}

# predictions: the rows of the header comment
predictions() {
	printf 'y_true,y_pred,race,sex\n'
	rows W F 1 1 80; rows W F 1 0 20; rows W F 0 1 20; rows W F 0 0 80
	rows W M 1 1 80; rows W M 1 0 20; rows W M 0 1 20; rows W M 0 0 78
	rows W N 0 1 2
	rows Bk F 1 1 57; rows Bk F 1 0 18; rows Bk F 0 1 15; rows Bk F 0 0 60
	rows Bk M 1 1 57; rows Bk M 1 0 18; rows Bk M 0 1 15; rows Bk M 0 0 60
	rows X F 1 1 1; rows X F 1 0 4; rows X F 0 0 4
	rows X M 1 0 4; rows X M 0 0 5
}

for r in b01 c01; do
	mkdir -p "$SCRATCH/runs/$r" || fail "mkdir runs/$r"
	printf 'key,value\nrun,%s\nmodel,m\nstarted_at,2026-03-0%sT09:00:00Z\nbeta_factor,1\nsensitive,"race,sex"\n' \
		"$r" "$([ "$r" = b01 ] && echo 1 || echo 2)" >"$SCRATCH/runs/$r/run.csv"
	predictions >"$SCRATCH/runs/$r/predictions.csv"
done
[ "$(wc -l <"$SCRATCH/runs/c01/predictions.csv" | tr -d ' ')" -eq 719 ] ||
	fail "predictions.csv: expected 718 rows and a header"
run "$SCRATCH/ingest.out" "$SCRATCH/ingest.err" "$FAIRTOP" --db "$db" ingest "$SCRATCH/runs/b01" "$SCRATCH/runs/c01"
expect_rc "fairtop ingest b01 c01" 0 "$SCRATCH/ingest.err"
expect_contains "ingest" "$SCRATCH/ingest.out" "2 runs ingested, 0 refused"
ok "two runs of 718 rows ingested: race W 400, Bk 300, X 18"

# ---------------------------------------------------------------------
say "== show c01 (text)"
o="$SCRATCH/show.txt"
run "$o" "$o.err" "$FAIRTOP" --db "$db" show c01
expect_rc "fairtop show c01" 0 "$o.err"
race=$(sed -n '/^feature race$/,/^$/p' "$o")
printf '%s\n' "$race" | grep -E '^  X \* +18 +18 ' >/dev/null ||
	{ say "FAIL: show c01: expected the row of X marked 'X *', found:"; printf '%s\n' "$race" | sed 's/^/    | /'; exit 1; }
printf '%s\n' "$race" | grep -E '^  (W|Bk) +[0-9]' >/dev/null ||
	{ say "FAIL: show c01: expected W and Bk unmarked, found:"; printf '%s\n' "$race" | sed 's/^/    | /'; exit 1; }
printf '%s\n' "$race" | grep -E '^  (W|Bk) \*' >/dev/null &&
	{ say "FAIL: show c01: W or Bk (at least 30 rows) marked low-n:"; printf '%s\n' "$race" | sed 's/^/    | /'; exit 1; }
printf '%s\n' "$race" | grep -Fx "  * fewer than 30 rows: left out of the gate's aggregates" >/dev/null ||
	{ say "FAIL: show c01: expected the legend of the low-n mark under race's table, found:"; printf '%s\n' "$race" | sed 's/^/    | /'; exit 1; }
ok "show c01: X (18 rows) marked 'X *', W and Bk not, the legend line below"
printf '%s\n' "$race" | grep -E '^  AGGREGATE +GATE \(GROUPS >= 30 ROWS\) +EVERY GROUP \(LOW-N INCLUDED\)$' >/dev/null ||
	{ say "FAIL: show c01: expected the aggregates' headers GATE (GROUPS >= 30 ROWS) and EVERY GROUP (LOW-N INCLUDED), found:"; printf '%s\n' "$race" | sed 's/^/    | /'; exit 1; }
printf '%s\n' "$race" | grep -E '^  demographic parity difference +0\.025 \[-?0\.[0-9]{3}, 0\.[0-9]{3}\] not established +0\.449$' >/dev/null ||
	{ say "FAIL: show c01: expected 'demographic parity difference  0.025 [L, H] not established  0.449', found:"; printf '%s\n' "$race" | sed 's/^/    | /'; exit 1; }
ok "show c01: race's DP difference both ways: the gate's 0.025 [L, H] not established beside 0.449 over every group"
inter=$(sed -n '/^intersection race & sex$/,/^$/p' "$o")
printf '%s\n' "$inter" | grep -E '^  race=W & sex=N \* +2 +2 ' >/dev/null ||
	{ say "FAIL: show c01: expected the 2-row cell marked 'race=W & sex=N *', found:"; printf '%s\n' "$inter" | sed 's/^/    | /'; exit 1; }
ok "show c01: the intersection's 2-row cell race=W & sex=N marked"

say "== show c01 --format json"
o="$SCRATCH/show.json"
run "$o" "$o.err" "$FAIRTOP" --db "$db" show c01 --format json
expect_rc "fairtop show c01 --format json" 0 "$o.err"
expect_json "show c01 --format json" "$o"

# ---------------------------------------------------------------------
say "== compare b01 c01 (text)"
o="$SCRATCH/cmp.txt"
run "$o" "$o.err" "$FAIRTOP" --db "$db" compare b01 c01
expect_rc "fairtop compare b01 c01" 0 "$o.err"
race=$(sed -n '/^feature race$/,/^$/p' "$o")
printf '%s\n' "$race" | grep -A2 -E '^  demographic parity difference *$' >"$SCRATCH/dp.txt"
sed -n 2p "$SCRATCH/dp.txt" | grep -E '^    gate \(groups >= 30 rows\) +0\.025 +0\.025 +0\.000 +\[-?0\.[0-9]{3}, 0\.[0-9]{3}\] +no$' >/dev/null &&
	sed -n 3p "$SCRATCH/dp.txt" | grep -E '^    every group \(low-n included\) +0\.449 +0\.449 +0\.000 *$' >/dev/null ||
	{ say "FAIL: compare b01 c01: expected under 'demographic parity difference' the gate's row 0.025 with [L, H] no, then every group's 0.449, found:"; printf '%s\n' "$race" | sed 's/^/    | /'; exit 1; }
ok "compare b01 c01: DP difference both ways, the gate's 0.025 with its interval, every group's 0.449"
printf '%s\n' "$race" | grep -E '^  X \* +selection ' >/dev/null &&
	printf '%s\n' "$race" | grep -Fx "  * fewer than 30 rows: left out of the gate's aggregates" >/dev/null ||
	{ say "FAIL: compare b01 c01: expected 'X *' in race's group table and the legend, found:"; printf '%s\n' "$race" | sed 's/^/    | /'; exit 1; }
ok "compare b01 c01: X marked in the group table, with the legend"
expect_contains "compare b01 c01" "$o" "cells under 30 rows, left out of the gate's aggregates: "
expect_contains "compare b01 c01" "$o" "race=W & sex=N (2)"
ok "compare b01 c01: the intersection's low-n cells named with their rows"

say "== compare b01 c01 --format json"
o="$SCRATCH/cmp.json"
run "$o" "$o.err" "$FAIRTOP" --db "$db" compare b01 c01 --format json
expect_rc "fairtop compare b01 c01 --format json" 0 "$o.err"
expect_json "compare b01 c01 --format json" "$o"
# both JSON outputs: show's feature is the candidate's of compare, its
# groups' low_n the candidate's
python3 - "$SCRATCH/show.json" "$o" <<'EOF' || fail "show c01 and compare b01 c01 --format json: both ways (see above)"
import json, sys
bad = []
gate, every = 202 / 400 - 144 / 300, 202 / 400 - 1 / 18


def race(d):
    return {x["name"]: x for x in d["features"]}["race"]


def both(where, f):
    a = f["intervals"]["demographic_parity_difference"]
    if abs(a["value"] - gate) > 1e-12 or abs(a["value_all_groups"] - every) > 1e-12:
        bad.append(f"{where}: intervals.demographic_parity_difference: expected value {gate} "
                   f"and value_all_groups {every}, found {a}")
    if abs(f["demographic_parity_difference"] - every) > 1e-12:
        bad.append(f"{where}: demographic_parity_difference: expected {every} (every group), "
                   f"found {f['demographic_parity_difference']}")
    if abs(f["gate_values"]["demographic_parity_difference"] - gate) > 1e-12:
        bad.append(f"{where}: gate_values: expected demographic_parity_difference {gate}, "
                   f"found {f['gate_values']}")
    if f["low_n_groups"] != 1:
        bad.append(f"{where}: low_n_groups: expected 1, found {f['low_n_groups']}")


show, cmp = race(json.load(open(sys.argv[1]))), race(json.load(open(sys.argv[2])))
both("show", show)
both("compare baseline", cmp["baseline"])
both("compare candidate", cmp["candidate"])
for where, groups in (("show", show["groups"]), ("compare", cmp["groups"])):
    for g in groups:
        want = g["group"] == "X"
        got = [g["low_n"]] + [g[w]["low_n"] for w in ("baseline", "candidate") if w in g]
        if any(x is not want for x in got):
            bad.append(f"{where}: group {g['group']}: expected low_n {want}, found {got}")
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
EOF
ok "show c01 and compare b01 c01 --format json: value 0.025 (the gate's) and value_all_groups 0.449 (the feature's own), gate_values, low_n_groups 1, X low_n and no other"

done_ok
