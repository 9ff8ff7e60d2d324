#!/bin/sh
# t1160-dashboard-deploy: the dashboard's d, the way out the Incident
# view and the rollback dialog name besides the rollback, at 80x24 on
# stores ingested from sample_runs/ (r05's override in production fails
# the policy; r02 the last fair model; r06 newer, fair, never deployed).
#   The Incident view offers "d deploy r06"; d opens the deploy dialog
#   naming r06 with production's verdict, the by field the login name
#   (USER unset, as the CLI records), no confirmation field; Esc cancels
#   and writes nothing; a reason and Enter deploy r06 as `fairtop deploy
#   r06 --reason R --by B` would: a gate_pass and a deploy in `fairtop
#   audit` by the actor typed, details {"gate_passed": true}, r06 in
#   production (`fairtop runs` judges the others against it).
#   Ctrl-D in the rollback dialog opens the deploy dialog instead, with
#   the reason typed so far.
#   With r07 too (a copy of r06 started later whose evaluation lost 200
#   rows of group A, class balance kept: fair on its own): r07 and r06 on
#   offer, newest first, Left/Right cycle them.  With r06 deployed, d on
#   r07 is refused by the gate (fewer rows than production's), said in
#   the outcome box, the gate decision recorded and nothing deployed.
#   A read-only dashboard does not offer d.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
o="$SCRATCH/out"
e="$SCRATCH/err"

. "$TOP/tests/e2e/lib/tmux.sh"
tm_need
launch="$SCRATCH/dash.sh"
tm_launcher "$launch" "$(tm_utf8_locale)" no
login=$(id -un)

# column NAME FILE RUN: NAME's value in RUN's row of a CSV with a header.
column() {
	awk -F, -v name="$1" -v run="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		$1 == run { print $c }' "$2"
}

# ---------------------------------------------------------------------
say "== d on the Incident view: deploy r06"
db="$SCRATCH/dash.db"
sample_store "$db"
before=$(store_state "$db")
tm_start 80 24 "$launch" --db "$db"
tm_expect "dashboard: it opens on the Incident view" "production r05 FAILS"
tm_expect "Incident: d offered" "d deploy r06 (newer, fair, never deployed)"
tm_expect "key bar: d named" "d deploy  R rollback"
tm_keys d
tm_expect "d: the deploy dialog" "deploy a newer fair run"
tm_expect "d: production and its verdict" \
	"current: r05 (override since 2026-01-22T18:45): FAILS the policy"
tm_expect "d: names r06" "deploy:  r06, newer, fair on its own, never deployed"
tm_expect "d: USER unset, by is the login name" "by:      $login"
tm_expect "d: a reason is missing" "missing: a reason"
tm_expect_not "d: no confirmation field, no other run on offer" "confirm:|on offer"
tm_keys Escape
tm_expect "Esc: cancelled" "deploy cancelled: nothing written"
tm_expect_gone "Esc: the dialog is gone" "deploy a newer fair run"
expect_unchanged "Esc in the deploy dialog" "$db" "$before"
expect_current "Esc in the deploy dialog" "$db" r05

tm_keys d
tm_expect "d again: the dialog" "deploy:  r06"
tm_keys Enter
tm_expect "Enter without a reason: refused, says what is missing" "missing: a reason"
expect_unchanged "Enter without a reason" "$db" "$before"
tm_type "r06 is fair and newer"
tm_expect "the reason as typed" "reason:  r06 is fair and newer_"
tm_keys BTab
tm_expect "Shift-Tab: the by field" "by:      ${login}_"
i=0
while [ "$i" -lt "${#login}" ]; do
	tm_keys BSpace
	i=$((i + 1))
done
tm_type "e2e-deployer"
tm_expect "by as typed" "by:      e2e-deployer_"
tm_expect "ready" "Enter DEPLOYS r06"
tm_keys Enter
tm_expect "Enter: deployed" "r06 is in production (deployment #4 by e2e-deployer)"
tm_expect "the outcome gives the reason" "reason: r06 is fair and newer"
expect_current "d deployed r06" "$db" r06
run "$o" "$e" "$FAIRTOP" --db "$db" audit
expect_rc "fairtop audit" 0 "$e"
grep -E '^ *[0-9]+ +[0-9TZ:-]+ +- +e2e-deployer +gate_pass +r06 *$' "$o" >/dev/null ||
	{ say "FAIL: audit: expected the gate decision (gate_pass r06 by e2e-deployer):"; show_file "$o"; exit 1; }
ok "audit: the gate decision, gate_pass r06 by e2e-deployer"
grep -E '^ *[0-9]+ +[0-9TZ:-]+ +- +e2e-deployer +deploy +r06 +r06 is fair and newer$' "$o" >/dev/null ||
	{ say "FAIL: audit: expected the deploy of r06 by e2e-deployer with its reason:"; show_file "$o"; exit 1; }
ok "audit: the deploy of r06 by e2e-deployer, with the reason"
if have_sqlite3; then
	got=$(sql "$db" "SELECT kind || ' ' || state || ' ' || actor FROM deployments ORDER BY id DESC LIMIT 1")
	[ "$got" = "deploy done e2e-deployer" ] ||
		fail "deployments: expected 'deploy done e2e-deployer', found '$got'"
	got=$(sql "$db" "SELECT details FROM audit_log ORDER BY id DESC LIMIT 1")
	printf '%s\n' "$got" | grep -E -q '^\{"deployment": 4, "time": "[0-9T:-]+Z", "hook_status": null, "gate_passed": true\}$' ||
		fail "audit details: expected {\"deployment\": 4, \"time\": ..., \"hook_status\": null, \"gate_passed\": true} as deploy records, found '$got'"
	ok "the deployment as fairtop deploy records it (kind deploy, done, details gate_passed)"
fi
run "$o" "$e" "$FAIRTOP" --db "$db" runs --format csv
expect_rc "fairtop runs --format csv" 0 "$e"
for r in r01 r05; do
	got=$(column vs_production_baseline "$o" "$r")
	[ "$got" = r06 ] ||
		{ say "FAIL: runs: expected $r judged against r06 in production, found '$got':"; show_file "$o"; exit 1; }
done
ok "runs: r01 and r05 are judged against r06, in production"
tm_keys x
tm_expect "the header: r06 in production" "production r06 passes"
tm_keys q
tm_expect_exited "q: fairtop exits"

# ---------------------------------------------------------------------
say "== Ctrl-D in the rollback dialog: deploy r06 instead"
db="$SCRATCH/dash-r.db"
sample_store "$db"
before=$(store_state "$db")
tm_start 80 24 "$launch" --db "$db"
tm_expect "dashboard: r05 in production" "production r05 FAILS"
tm_keys R
tm_expect "R: the rollback dialog offers r06" \
	"or deploy r06 instead (newer, fair, never deployed): Ctrl-D"
tm_type "bad model"
tm_keys C-d
tm_expect "Ctrl-D: the deploy dialog on r06" "deploy:  r06, newer, fair on its own"
tm_expect "Ctrl-D: the reason typed in the rollback dialog kept" "reason:  bad model_"
tm_keys Escape
tm_expect "Esc: cancelled" "deploy cancelled: nothing written"
expect_unchanged "Ctrl-D then Esc" "$db" "$before"
tm_keys q
tm_expect_exited "q: fairtop exits"

# ---------------------------------------------------------------------
say "== two runs on offer, and one the gate refuses"
runs="$SCRATCH/runs"
copy_sample_runs "$runs"
cp "$TOP/sample_runs/deployments.csv" "$runs/" || fail "cp deployments.csv"
cp -R "$runs/r06" "$runs/r07" || fail "cp -R r06 r07"
# 200 rows of group A at the evaluated step, positives and negatives in
# the run's proportion (1820:2180), so its class weights stay exact
awk -F, 'NR == 1 { print; next }
	$2 == 1000 && $6 == "A" && $3 == 1 && p < 91 { p++; next }
	$2 == 1000 && $6 == "A" && $3 == 0 && q < 109 { q++; next }
	{ print }' "$runs/r06/predictions.csv" >"$runs/r07/predictions.csv" ||
	fail "r07's predictions"
sed 's/^run,r06$/run,r07/; s/^version,1.5$/version,1.6/; s/^parent,r05$/parent,r06/;
	s/2026-01-26T/2026-01-28T/' "$runs/r06/run.csv" >"$runs/r07/run.csv" ||
	fail "r07's run.csv"
sed 's/2026-01-26T/2026-01-28T/' "$runs/r06/metrics.csv" >"$runs/r07/metrics.csv" ||
	fail "r07's metrics.csv"
db="$SCRATCH/dash-7.db"
run "$o" "$e" "$FAIRTOP" --db "$db" ingest "$runs"
expect_rc "ingest the sample runs and r07" 0 "$e"
tm_start 80 24 "$launch" --db "$db"
tm_expect "Incident: r07 and r06 offered" "d deploy r07"
tm_keys d
tm_expect "d: the newest first, r07" "deploy:  r07, newer, fair on its own"
tm_expect "d: two on offer" "1 of 2 on offer: Left/Right for another"
tm_keys Right
tm_expect "Right: r06" "deploy:  r06, newer, fair on its own"
tm_expect "Right: the second" "2 of 2 on offer"
tm_keys Right
tm_expect "Right again: back to r07" "deploy:  r07, newer"
tm_keys Left
tm_expect "Left: r06" "deploy:  r06, newer"
tm_keys Escape
tm_expect "Esc: cancelled" "deploy cancelled: nothing written"
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r06 --reason "fair" --by lead
expect_rc "fairtop deploy r06" 0 "$e"
before=$(store_state "$db")
tm_expect "the dashboard follows: r06 in production" "production r06 passes"
tm_keys 6
tm_keys d
tm_expect "d with r06 in production: r07 on offer" "deploy:  r07, newer, fair on its own"
tm_type "more recent"
tm_keys Enter
tm_expect "Enter: the outcome box" "deploy REFUSED"
# the box's text, its wrapped rows joined
boxed=$(sed -n 's/^[^│]*│ \(.*[^ ]\) *│ *$/\1/p' "$TM_SCREEN" | tr '\n' ' ')
for want in \
	"deploy r07 REFUSED: it fails the fairness policy against r06, in production" \
	"FAIL  the candidate evaluated 3800 rows, fewer than the baseline's 4000" \
	"the dashboard never overrides the gate"; do
	case "$boxed" in
	*"$want"*) ok "the refusal says: $want" ;;
	*) tm_fail "the refusal: expected the box to say \"$want\"" ;;
	esac
done
expect_current "r07 refused" "$db" r06
if have_sqlite3; then
	got=$(sql "$db" "SELECT action || ' ' || run_key || ' ' || actor FROM audit_log ORDER BY id DESC LIMIT 1")
	[ "$got" = "gate_fail r07 $login" ] ||
		fail "r07 refused: expected the gate decision recorded (gate_fail r07 $login), found '$got'"
	n=$(sql "$db" "SELECT count(*) FROM deployments WHERE run_key = 'r07'")
	[ "$n" -eq 0 ] || fail "r07 refused: expected no deployment of r07, found $n"
	ok "r07 refused: the gate decision recorded, no deployment"
fi
tm_keys x
tm_keys q
tm_expect_exited "q: fairtop exits"

# ---------------------------------------------------------------------
say "== read-only: no d"
db="$SCRATCH/dash-ro.db"
sample_store "$db"
before=$(store_state "$db")
tm_start 80 24 "$launch" --db "$db" --read-only
tm_expect "read-only: the Incident view" "production r05 FAILS"
tm_expect_not "read-only: the key bar does not offer d" "d deploy  "
tm_keys d
tm_expect "read-only: d says deploying is off" "read-only: deploying is off"
tm_expect_not "read-only: no dialog" "deploy a newer fair run"
expect_unchanged "read-only d" "$db" "$before"
tm_keys q
tm_expect_exited "q: fairtop exits"

done_ok
