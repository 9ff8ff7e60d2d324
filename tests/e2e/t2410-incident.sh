#!/bin/sh
# t2410-incident: the incident on one screen and the post-mortem that
# tells the whole story, on a store ingested from sample_runs/ (r05 in
# production by override, failing; r02 the last fair model; r06 fair and
# never deployed).
#   fairtop incident: exit 1 while production fails; the harmed group
#   with its rates before -> after (checked against TPR and selection
#   rate computed here from predictions.csv, with Wilson intervals), the
#   parameters that changed, the lost coverage, the speed gain marked not
#   comparable, F-beta n/a without beta_factor, the way out; md and json.
#   The dashboard at 80x24 opens on the Incident view and shows all of
#   that without a key; Enter on production in Runs opens it again.
#   report --format md names every C07 cause (class weights 0.917 vs
#   exact, beta_factor, group C absent, 3,800 vs 4,000 rows,
#   data_version, PSI, the override of 22 Jan 2026 with its actor) and
#   the exposure window, still open with no rollback yet; after a
#   rollback the window is closed by it, the rollback is listed, and
#   `incident` says there is nothing to roll back (exit 0).
#   Markdown escapes HTML from the input.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"
. "$TOP/tests/e2e/lib/tmux.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
o="$SCRATCH/out"
e="$SCRATCH/err"
db="$SCRATCH/store.db"
sample_store "$db"

# ---------------------------------------------------------------------
say "== fairtop incident (text)"
run "$o" "$e" "$FAIRTOP" --db "$db" incident
expect_rc "incident while r05 fails" 1 "$e"
expect_contains "incident: the verdict" "$o" \
	"INCIDENT: production r05 fails the policy"
expect_contains "incident: who put it there" "$o" \
	"override by kevin.marchand since 2026-01-22T18:45:00Z"
expect_contains "incident: against the last fair model" "$o" \
	"against r02, the last fair model:"
expect_contains "incident: what changed, only what differs" "$o" \
	"data_version 2026-01-a -> 2026-01-b"
expect_contains "incident: a parameter new in r05" "$o" \
	"optimizer_path (none) -> vectorised"
expect_contains "incident: beta_factor lost" "$o" "beta_factor 0.5 -> missing"
if grep -F -e "learning_rate" "$o" >/dev/null; then
	fail "incident: expected only the parameters that differ, found learning_rate (the same in both)"
fi
ok "incident: parameters equal in both runs are not listed"
expect_contains "incident: lost coverage" "$o" \
	"coverage: 4000 -> 3800 rows (-200) · group=C absent (200 rows before)"
expect_contains "incident: the speed gain is not comparable" "$o" \
	"throughput +93.1 % · latency_ms -48.2 % · loss -4.7 % · accuracy -0.8 pts: not comparable, r05's evaluation lost 200 rows and group=C"
expect_contains "incident: F-beta n/a" "$o" "F-beta 0.863 -> n/a: r05 has no beta_factor"
expect_contains "incident: the way out, as commands" "$o" \
	"fairtop rollback --reason TEXT (to r02, last fair) · fairtop deploy r06 --reason TEXT (newer, fair, never deployed)"
expect_contains "incident: each feature's aggregates both ways" "$o" \
	"group & age: DP difference 0.019 -> 0.178 [0.011, 0.325] · every group 0.019 -> 0.178 · EO difference 0.048 -> 0.335 [0.128, 0.540] · every group 0.060 -> 0.335"
expect_contains "incident: every finding whole" "$o" \
	"FAIL  group=C is in the baseline's evaluation (200 rows) but absent from the candidate's"

# ---------------------------------------------------------------------
say "== fairtop incident --format json: numbers computed independently"
run "$o" "$e" "$FAIRTOP" --db "$db" incident --format json
expect_rc "incident --format json" 1 "$e"
expect_json "incident --format json" "$o"
python3 - "$o" "$TOP/sample_runs" >"$SCRATCH/check.out" 2>&1 <<'EOF'
import csv, json, math, sys
doc = json.load(open(sys.argv[1]))
root = sys.argv[2]
def rows(run):
    with open(f"{root}/{run}/predictions.csv") as f:
        r = list(csv.DictReader(f))
    last = max(int(x["step"]) for x in r)
    return [x for x in r if int(x["step"]) == last]
def wilson(k, n, z=1.959963984540054):
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return p, c - h, c + h
def rates(run, group):
    g = [x for x in rows(run) if x["group"] == group]
    pos = [x for x in g if x["y_true"] == "1"]
    tp = sum(1 for x in pos if x["y_pred"] == "1")
    sel = sum(1 for x in g if x["y_pred"] == "1")
    return {"TPR": wilson(tp, len(pos)), "selection rate": wilson(sel, len(g))}
assert doc["incident"] is True
assert doc["production"]["run"] == "r05" and doc["production"]["passes"] is False
assert doc["last_fair"] == "r02" and doc["compared_with"] == "r02"
harmed = {(h["group"], h["metric"]): h for h in doc["harmed"]}
assert set(harmed) == {("group=B", "TPR"), ("group=B", "selection rate")}, harmed
for (group, metric), h in harmed.items():
    for side, run in (("before", "r02"), ("after", "r05")):
        want = rates(run, group.split("=")[1])[metric]
        got = h[side]
        for k, key in enumerate(("value", "low", "high")):
            assert abs(got[key] - want[k]) < 1e-12, (group, metric, side, key, got[key], want[k])
cov = doc["coverage"]
assert cov["rows_before"] == 4000 and cov["rows_after"] == 3800, cov
assert cov["absent"] == [{"group": "group=C", "rows": 200}], cov
changed = {c["name"]: (c["before"], c["after"]) for c in doc["changed"]}
assert changed["data_version"] == ("2026-01-a", "2026-01-b"), changed
assert changed["optimizer_path"] == (None, "vectorised"), changed
assert changed["beta_factor"] == ("0.5", None), changed
assert "learning_rate" not in changed
claims = {c["name"]: c for c in doc["claims"]}
assert claims["throughput"]["comparable"] is False
assert abs(claims["throughput"]["change"] - 100 * (2317.2 - 1200) / 1200) < 1e-9, claims["throughput"]
assert claims["F-beta"]["after"] is None and claims["F-beta"]["comparable"] is False
assert doc["way_out"] == {"rollback_to": "r02", "deploy_instead": ["r06"]}, doc["way_out"]
fair = {x["feature"]: x for x in doc["fairness"]}
# both ways: r02's intersection EO over every group (0.060) is driven by
# cells under 30 rows the gate leaves out (0.048)
eo = fair["group & age"]["equalized_odds_difference"]
assert round(eo["all_groups_before"], 3) == 0.060 and round(eo["gate_before"], 3) == 0.048, eo
assert fair["group"]["demographic_parity_difference"]["established"] is True
fails = [f for f in doc["findings"] if f["severity"] == "FAIL"]
assert len(fails) == 11, len(fails)
assert all(set(f) >= {"rule", "feature", "group", "baseline", "candidate", "threshold", "message"} for f in fails)
print("ok")
EOF
[ "$(cat "$SCRATCH/check.out")" = ok ] ||
	{ say "FAIL: incident --format json: expected the numbers computed from predictions.csv, found:"; show_file "$SCRATCH/check.out"; exit 1; }
ok "incident --format json: group=B's TPR and selection rate before -> after, and their Wilson intervals, as computed from predictions.csv; coverage, changes, claims, way out"

run "$o" "$e" "$FAIRTOP" --db "$db" incident --format md
expect_rc "incident --format md" 1 "$e"
expect_contains "incident --format md: a heading" "$o" "### INCIDENT: production r05 fails the policy"
expect_contains "incident --format md: list items" "$o" "- coverage: 4000 -> 3800 rows"

# ---------------------------------------------------------------------
say "== the dashboard at 80x24 opens on the incident"
tm_need
launch="$SCRATCH/dash.sh"
tm_launcher "$launch" "$(tm_utf8_locale)" no
tm_start 80 24 "$launch" --db "$db"
tm_expect "80x24: the verdict, without a key" \
	"INCIDENT: production r05 fails the policy"
tm_expect_re "80x24: the harmed group, before -> after with intervals" \
	"group=B +TPR +0\\.839 \\[0\\.808, 0\\.866\\] -> 0\\.559 \\[0\\.512, 0\\.605\\]"
tm_expect "80x24: the changed parameters" "data_version 2026-01-a -> 2026-01-b"
tm_expect "80x24: the lost coverage" "coverage: 4000 -> 3800 rows (-200) · group=C absent"
tm_expect "80x24: the speed gain" "throughput +93.1 %"
tm_expect_re "80x24: debunked" "not comparable, r05's evaluation lost 200 rows"
tm_expect "80x24: the way out" "R roll back to r02 (last fair) · d deploy r06"
tm_capture
awk 'length($0) > 80 { exit 1 }' "$TM_SCREEN" || tm_fail "80x24: expected every row within 80 columns"
ok "80x24: every row within 80 columns"
tm_keys G
tm_expect "G: the last finding, whole" "label prior of age=65+ moved from 0.394 to 0.456"
tm_keys 1
tm_expect_re "1: the Runs view, r05's throughput marked" "^D   r05 .* 2317\\.2\\* "
tm_keys g
tm_keys j
tm_expect_re "Runs: r05 selected" "r05 FAILS on its own"
tm_keys Enter
tm_expect "Enter on production: the Incident view, never r05 against itself" \
	"against r02, the last fair model"
tm_expect_not "Enter on production: no comparison of r05 with itself" \
	"baseline r05 (1.4), deployed  ->  candidate r05"
tm_keys q
tm_expect_exited "q exits"

# ---------------------------------------------------------------------
say "== report --format md: the whole story"
run "$o" "$e" "$FAIRTOP" --db "$db" report --format md
expect_rc "report --format md" 0 "$e"
for text in "## Exposure window" "still open" "no rollback yet" \
	"logged as 0.917 (0.91700000000000004) vs exact 0.91743119266055051" \
	"beta_factor is missing from run r05" "group=C is in the baseline's evaluation (200 rows) but absent" \
	"r05 evaluated 3,800 rows, fewer than r02's 4,000" "data_version 2026-01-a -> 2026-01-b" \
	"PSI of the group shares of group" "2026-01-22T18:45:00Z (22 Jan 2026)" "**kevin.marchand**" \
	"alerts firing then (11 critical)" "## Rollbacks" "would go back to r02" \
	"### r05: FAIL against r02"; do
	expect_contains "report --format md" "$o" "$text"
done
ok "report --format md: every C07 cause, the override of 22 Jan with its actor and the alerts firing then, the open exposure window"
run "$o" "$e" "$FAIRTOP" --db "$db" report --format json
expect_json "report --format json" "$o"
python3 - "$o" >"$SCRATCH/check.out" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
w = d["exposure"]
assert len(w) == 1 and w[0]["run"] == "r05" and w[0]["kind"] == "override" and w[0]["closed"] is None, w
c = d["causes"]
assert [x["run"] for x in c["class_weights"]] == ["r04", "r04"], c["class_weights"]
assert [x["rule"] for x in c["coverage"]] == ["fewer_rows", "missing_group"], c["coverage"]
assert d["overrides"][0]["actor"] == "kevin.marchand" and len(d["overrides"][0]["firing_alerts"]) == 12
r05 = [r for r in d["findings_at_arrival"] if r["run"] == "r05"][0]
assert r05["against"] == "r02" and r05["passed"] is False
f = [x for x in r05["findings"] if x["rule"] == "fewer_rows"][0]
assert f["baseline"] == 4000 and f["candidate"] == 3800, f
print("ok")
EOF
[ "$(cat "$SCRATCH/check.out")" = ok ] ||
	{ say "FAIL: report --format json: expected the story structured, found:"; show_file "$SCRATCH/check.out"; exit 1; }
ok "report --format json: exposure, causes, overrides with their firing alerts, findings structured"

# ---------------------------------------------------------------------
say "== the override's own time, apart from when it was recorded"
run "$o" "$e" "$FAIRTOP" --db "$db" audit
expect_rc "audit" 0 "$e"
expect_contains "audit: a HAPPENED column" "$o" "RECORDED              HAPPENED"
grep -E -e '^ *3  [0-9T:Z-]+  2026-01-22T18:45:00Z  kevin\.marchand  override  r05 ' "$o" >/dev/null ||
	{ say "FAIL: audit: expected the override recorded at import, happened 2026-01-22T18:45:00Z, found:"; show_file "$o"; exit 1; }
ok "audit: the override at its own time, 22 Jan, beside the import's"
run "$o" "$e" "$FAIRTOP" --db "$db" report --format md
grep -E -e '^\| 2026-01-22T18:45:00Z \| 20[0-9-]+T[0-9:]+Z \| \*\*OVERRIDE\*\* \| r05 \|' "$o" >/dev/null ||
	{ say "FAIL: report --format md: expected the override's timeline row with its recorded time apart, found:"; show_file "$o"; exit 1; }
ok "report: the timeline by event time, the recorded time apart"

# ---------------------------------------------------------------------
say "== after the rollback"
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --reason "C07: group B harmed" --yes --by lead
expect_rc "rollback --yes" 0 "$e"
run "$o" "$e" "$FAIRTOP" --db "$db" report --format md
expect_rc "report after the rollback" 0 "$e"
expect_contains "report: the window closed by the rollback" "$o" "(rollback to r02 by lead): **"
expect_contains "report: the rollback, from -> to, by whom" "$o" "r05 -> r02 by lead, reason: \"C07: group B harmed\""
run "$o" "$e" "$FAIRTOP" --db "$db" incident
expect_rc "incident after the rollback" 0 "$e"
expect_contains "incident: nothing to roll back" "$o" "production r02 passes the policy: nothing to roll back"

# ---------------------------------------------------------------------
say "== Markdown escapes HTML from the input"
runs="$SCRATCH/runs"
copy_sample_runs "$runs"
sed 's/kevin\.marchand,"93.1%/<img src=x onerror=alert(1)>,"<script>alert(1)<\/script> 93.1%/' \
	"$TOP/sample_runs/deployments.csv" >"$runs/deployments.csv"
grep -q '<script>' "$runs/deployments.csv" || fail "expected the crafted reason in deployments.csv"
evil="$SCRATCH/evil.db"
run "$o" "$e" "$FAIRTOP" --db "$evil" ingest "$runs"
expect_rc "ingest with an HTML reason" 0 "$e"
run "$o" "$e" "$FAIRTOP" --db "$evil" report --format md
expect_rc "report --format md (HTML in the input)" 0 "$e"
if grep -E -e '<(script|img)' "$o" >/dev/null; then
	say "FAIL: report --format md: expected no raw HTML from the input, found:"
	grep -n -E -e '<(script|img)' "$o"
	exit 1
fi
expect_contains "report --format md: the reason shown escaped" "$o" "&lt;script>alert(1)&lt;/script>"
run "$o" "$e" "$FAIRTOP" --db "$evil" incident --format md
if grep -E -e '<(script|img)' "$o" >/dev/null; then
	fail "incident --format md: expected no raw HTML from the input"
fi
ok "incident --format md: no raw HTML"
done_ok
