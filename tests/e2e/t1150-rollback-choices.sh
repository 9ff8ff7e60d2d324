#!/bin/sh
# t1150-rollback-choices: every way out that `fairtop rollback` and the
# dashboard's R offer, from one plan (service/rollplan.c), on stores
# ingested from sample_runs/ (r04 and r05 fail the policy; r01 r02 r03
# r06 pass; r05's override in production, r02 the last fair model).
#   Production r05 fails: the target is r02, and r06 (newer, fair, never
#   deployed) is offered as "or deploy r06 instead: fairtop deploy r06
#   --reason ..."; no other run is offered.
#   Production r04 (override over r02) fails: r06 is offered, r05 (newer,
#   unfair) is not.
#   Production r02 passes (after the rollback): "production r02 passes the
#   policy: nothing to roll back", exit 0, nothing written, with --yes as
#   with --dry-run; --to r01 still rolls back as named.
#   Dashboard at 80x24: R shows "or deploy r06 instead (newer, fair, never
#   deployed)"; with r02 in production R says nothing to roll back, offers
#   no confirmation field, any key closes it, nothing written.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
o="$SCRATCH/out"
e="$SCRATCH/err"

# offered FILE: the runs offered instead of a rollback, one line.
offered() {
	sed -n 's/^or deploy \([^ ]*\) instead: .*/\1/p' "$1" | tr '\n' ' '
}

# ---------------------------------------------------------------------
say "== production r05 fails: roll back to r02, or deploy r06 instead"
db="$SCRATCH/store.db"
sample_store "$db"
before=$(store_state "$db")
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --dry-run --reason test --by x
expect_rc "rollback --dry-run" 0 "$e"
expect_contains "rollback --dry-run" "$o" "target:  r02, the last fair model"
expect_contains "rollback --dry-run: r06 offered with the command to run" "$o" \
	"or deploy r06 instead: fairtop deploy r06 --reason ... (newer, fair, never deployed)"
got=$(offered "$o")
[ "$got" = "r06 " ] ||
	{ say "FAIL: rollback --dry-run: expected only r06 offered instead, found '$got':"; show_file "$o"; exit 1; }
ok "rollback --dry-run: r06 offered instead, and only r06 (r05 r04 fail, r03 is older)"
expect_unchanged "rollback --dry-run" "$db" "$before"

# ---------------------------------------------------------------------
say "== production r04 fails: r06 offered, r05 (newer, unfair) never"
runs="$SCRATCH/runs"
copy_sample_runs "$runs"
db4="$SCRATCH/store-r04.db"
run "$o" "$e" "$FAIRTOP" --db "$db4" ingest "$runs"
expect_rc "ingest the sample runs without history" 0 "$e"
run "$o" "$e" "$FAIRTOP" --db "$db4" deploy r02 --reason first --by x
expect_rc "deploy r02" 0 "$e"
run "$o" "$e" "$FAIRTOP" --db "$db4" deploy r04 --override --reason forced --by x
expect_rc "deploy r04 --override" 0 "$e"
run "$o" "$e" "$FAIRTOP" --db "$db4" rollback --dry-run --reason test --by x
expect_rc "rollback --dry-run with r04 in production" 0 "$e"
expect_contains "rollback --dry-run with r04 in production" "$o" "target:  r02, the last fair model"
got=$(offered "$o")
[ "$got" = "r06 " ] ||
	{ say "FAIL: rollback with r04 in production: expected r06 offered and r05 not, found '$got':"; show_file "$o"; exit 1; }
ok "rollback with r04 in production: r06 offered, r05 (newer, fails the policy) not"

# ---------------------------------------------------------------------
say "== production r02 passes: nothing to roll back"
reason="C07: roll back to last fair model"
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --reason "$reason" --yes --by lead </dev/null
expect_rc "rollback --yes" 0 "$e"
expect_current "rollback --yes" "$db" r02
before=$(store_state "$db")
for how in --dry-run --yes; do
	run "$o" "$e" "$FAIRTOP" --db "$db" rollback $how --reason again --by lead </dev/null
	expect_rc "rollback $how with r02 in production" 0 "$e"
	line=$(one_line "$o") ||
		{ say "FAIL: rollback $how with r02 in production: expected one line, found:"; show_file "$o"; exit 1; }
	[ "$line" = "production r02 passes the policy: nothing to roll back" ] ||
		fail "rollback $how with r02 in production: expected 'production r02 passes the policy: nothing to roll back', found '$line'"
	ok "rollback $how with r02 in production: says nothing to roll back, exit 0"
	expect_unchanged "rollback $how with r02 in production" "$db" "$before"
done
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --to r01 --reason "named" --yes --by lead </dev/null
expect_rc "rollback --to r01 with r02 in production" 0 "$e"
expect_contains "rollback --to r01" "$o" "target:  r01, chosen with --to: passes the policy"
expect_current "rollback --to r01 with r02 in production" "$db" r01
ok "rollback --to r01 with r02 in production: rolls back as named"

# ---------------------------------------------------------------------
say "== the dashboard's R"
if ! command -v tmux >/dev/null 2>&1; then
	say "skip: tmux is not installed: the dialog is not checked"
	done_ok
fi
. "$TOP/tests/e2e/lib/tmux.sh"
launch="$SCRATCH/dash.sh"
tm_launcher "$launch" "$(tm_utf8_locale)" no

db="$SCRATCH/dash.db"
sample_store "$db"
tm_start 80 24 "$launch" --db "$db"
tm_expect "dashboard: r05 in production" "production r05 FAILS"
tm_expect "dashboard: it opens on the Incident view, with the way out" \
	"R roll back to r02 (last fair) · d deploy r06 (newer, fair, never deployed)"
tm_keys 1
tm_keys R
tm_expect "R: the rollback dialog names r02" "target:  r02, the last fair model: passes the policy"
tm_expect "R: r06 offered instead" "or deploy r06 instead (newer, fair, never deployed)"
tm_expect_not "R: no unfair run offered" "or deploy r0[45]"
tm_keys Escape
tm_expect "Esc: cancelled" "rollback cancelled: nothing written"

run "$o" "$e" "$FAIRTOP" --db "$db" rollback --reason "back" --yes --by lead </dev/null
expect_rc "rollback --yes (dashboard store)" 0 "$e"
before=$(store_state "$db")
tm_expect "dashboard: r02 in production after the rollback" "production r02 passes"
tm_keys R
tm_expect "R with r02 in production: nothing to roll back" \
	"production r02 passes the policy: nothing to roll back"
tm_expect_not "R with r02 in production: no confirmation asked" "confirm:|ROLLS BACK"
tm_keys x
tm_expect_gone "a key closes it" "nothing to roll back"
tm_keys R
tm_expect "R again: nothing to roll back" "nothing to roll back"
tm_keys Enter
tm_expect_gone "Enter closes it" "nothing to roll back"
expect_unchanged "R with r02 in production" "$db" "$before"
expect_current "R with r02 in production" "$db" r02
tm_keys q
tm_expect_exited "q: fairtop exits"

done_ok
