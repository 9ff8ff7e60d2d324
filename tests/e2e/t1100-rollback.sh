#!/bin/sh
# t1100-rollback: fairtop rollback, on fresh stores ingested from
# sample_runs/ (r01 and r02 deployed, r05's override of 22 January in
# production).
#   --dry-run exits 0, names r02 as the target, explains r05 (in production
#   now, fails the policy), r04 and r03 (never deployed), and writes nothing
#   (store checksum, deployments/audit_log/gate_decisions row counts).
#   --yes rolls back to r02: kind rollback, actor, reason and time recorded,
#   an audit row 'rollback'.  Without --yes and stdin not a terminal it
#   refuses with exit 2 and writes nothing.  On a terminal (tmux) it asks
#   for the target's run id: a wrong id cancels and writes nothing, r02
#   rolls back.  --to r04 (fails the policy) is refused unless --override.
#   A store where no previously deployed run passes the policy says "no
#   fair target", exit 1.  A failing hook leaves the previous deployment
#   current.  A missing --reason exits 2.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
o="$SCRATCH/out"
e="$SCRATCH/err"

# last_deployment DB COLUMNS: those columns of the newest deployments row.
last_deployment() {
	sql "$1" "SELECT $2 FROM deployments ORDER BY id DESC LIMIT 1"
}

# ---------------------------------------------------------------------
say "== rollback --dry-run: the plan, nothing written"
db="$SCRATCH/store.db"
sample_store "$db"
before=$(store_state "$db")
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --dry-run --reason test --by x
expect_rc "fairtop rollback --dry-run --reason test --by x" 0 "$e"
ok "rollback --dry-run: exit 0"
grep -E '^target: *r02([^0-9]|$)' "$o" >/dev/null ||
	{ say "FAIL: rollback --dry-run: expected a line 'target: r02 ...', found:"; show_file "$o"; exit 1; }
ok "rollback --dry-run: names r02 as the target"
grep -E '^ *r05: .*in production now.*fails the policy' "$o" >/dev/null ||
	{ say "FAIL: rollback --dry-run: expected r05 explained as in production now and failing the policy, found:"; show_file "$o"; exit 1; }
ok "rollback --dry-run: r05 passed over: in production now, fails the policy"
for r in r04 r03; do
	grep -E "^ *$r: .*never deployed" "$o" >/dev/null ||
		{ say "FAIL: rollback --dry-run: expected $r explained as never deployed, found:"; show_file "$o"; exit 1; }
	ok "rollback --dry-run: $r passed over: never deployed"
done
grep -E '^ *r04: .*fails the policy' "$o" >/dev/null ||
	{ say "FAIL: rollback --dry-run: expected r04 explained as failing the policy, found:"; show_file "$o"; exit 1; }
ok "rollback --dry-run: r04 fails the policy"
expect_unchanged "rollback --dry-run" "$db" "$before"

say "== rollback without --yes, stdin not a terminal: refused"
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --reason test --by x </dev/null
expect_rc "fairtop rollback --reason test --by x </dev/null" 2 "$e"
expect_contains "rollback without --yes" "$e" "--yes"
ok "rollback without --yes and no terminal: exit 2, says --yes"
expect_unchanged "rollback without --yes" "$db" "$before"

say "== rollback without --reason: exit 2"
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --yes --by x </dev/null
expect_rc "fairtop rollback --yes --by x (no --reason)" 2 "$e"
expect_contains "rollback without --reason" "$e" "--reason"
ok "rollback without --reason: exit 2, names --reason"
expect_unchanged "rollback without --reason" "$db" "$before"

say "== rollback --to r04: r04 fails the policy, refused"
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --to r04 --reason test --by x --yes </dev/null
expect_rc "fairtop rollback --to r04 --yes" 1 "$e"
expect_contains "rollback --to r04" "$e" "--override"
ok "rollback --to r04: exit 1, says --override"
expect_unchanged "rollback --to r04" "$db" "$before"

# ---------------------------------------------------------------------
say "== rollback --yes: back to r02, on the record"
reason="C07: roll back to last fair model"
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --reason "$reason" --yes --by lead </dev/null
expect_rc "fairtop rollback --reason '$reason' --yes --by lead" 0 "$e"
ok "rollback --yes: exit 0"
if have_sqlite3; then
	row=$(last_deployment "$db" "run_key, kind, actor, reason, state")
	[ "$row" = "r02|rollback|lead|$reason|done" ] ||
		fail "rollback --yes: expected the deployment r02|rollback|lead|$reason|done, found '$row'"
	ok "rollback --yes: deployments row r02, kind rollback, by lead, reason recorded, done"
	t=$(last_deployment "$db" "time")
	iso_time "$t" || fail "rollback --yes: expected the deployment's time in ISO 8601, found '$t'"
	ok "rollback --yes: time set ($t)"
	row=$(sql "$db" "SELECT action, actor, run_key, reason FROM audit_log ORDER BY id DESC LIMIT 1")
	[ "$row" = "rollback|lead|r02|$reason" ] ||
		fail "rollback --yes: expected the last audit row rollback|lead|r02|$reason, found '$row'"
	ok "rollback --yes: audit row 'rollback' by lead with the reason"
	expect_current "rollback --yes" "$db" r02
fi
expect_deployed_baseline "rollback --yes" "$db" r02

# ---------------------------------------------------------------------
say "== rollback --to r04 --override: rolled back anyway, on the record"
db="$SCRATCH/store-to.db"
sample_store "$db"
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --to r04 --override --reason "forced" --by lead --yes </dev/null
expect_rc "fairtop rollback --to r04 --override --yes" 0 "$e"
ok "rollback --to r04 --override: exit 0"
if have_sqlite3; then
	row=$(last_deployment "$db" "run_key, kind, actor, reason, state")
	[ "$row" = "r04|rollback|lead|forced|done" ] ||
		fail "rollback --to r04 --override: expected the deployment r04|rollback|lead|forced|done, found '$row'"
	ok "rollback --to r04 --override: deployments row r04, kind rollback, by lead, done"
	sql "$db" "SELECT details FROM audit_log WHERE action = 'rollback' ORDER BY id DESC LIMIT 1" >"$SCRATCH/details.json"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d.get("override") is True else 1)' \
		"$SCRATCH/details.json" ||
		{ say "FAIL: rollback --to r04 --override: expected the audit row's details to say override: true, found:"; show_file "$SCRATCH/details.json"; exit 1; }
	ok "rollback --to r04 --override: the audit row records the override"
	expect_current "rollback --to r04 --override" "$db" r04
fi

# ---------------------------------------------------------------------
say "== the confirmation prompt on a terminal (tmux)"
if command -v tmux >/dev/null 2>&1; then
	TMUX_SOCKET="ft1100-$$"
	trap tmux_stop EXIT
	# prompt_session NAME DB: a session running rollback on DB without
	# --yes; its exit code goes to $SCRATCH/NAME.rc
	prompt_session() {
		rm -f "$SCRATCH/$1.rc"
		cat >"$SCRATCH/$1.sh" <<EOF
cd '$SCRATCH' || exit 1
LC_ALL=C NO_COLOR=1 '$FAIRTOP' --db '$2' rollback --reason 'on a terminal' --by lead
echo \$? >'$SCRATCH/$1.rc'
sleep 30
EOF
		tmux_start "$1" 120 40 "$SCRATCH/$1.sh"
	}

	db="$SCRATCH/store-tty-cancel.db"
	sample_store "$db"
	before=$(store_state "$db")
	prompt_session cancel "$db"
	screen="$SCRATCH/cancel.screen"
	tmux_wait_for cancel "type the target run id" 5 "$screen"
	ok "terminal: rollback asks for the target run id"
	for w in CURRENT TARGET r05 r02; do
		expect_contains "terminal: the side-by-side before the prompt" "$screen" "$w"
	done
	ok "terminal: current (r05) and target (r02) side by side"
	tmux -L "$TMUX_SOCKET" send-keys -t cancel 'r04' Enter
	wait_for_file "$SCRATCH/cancel.rc" 5 ||
		{ tmux -L "$TMUX_SOCKET" capture-pane -p -t cancel >"$screen"; say "FAIL: terminal: typing r04: expected rollback to end within 5 s, found:"; show_file "$screen"; exit 1; }
	tmux -L "$TMUX_SOCKET" capture-pane -p -t cancel >"$screen"
	rc=$(cat "$SCRATCH/cancel.rc")
	[ "$rc" -ne 0 ] || fail "terminal: typing a wrong id (r04): expected a non-zero exit code, found 0"
	expect_contains "terminal: typing a wrong id" "$screen" "cancelled"
	ok "terminal: typing a wrong id (r04) cancels (exit $rc)"
	expect_unchanged "terminal: cancelled rollback" "$db" "$before"

	db="$SCRATCH/store-tty-confirm.db"
	sample_store "$db"
	prompt_session confirm "$db"
	screen="$SCRATCH/confirm.screen"
	tmux_wait_for confirm "type the target run id" 5 "$screen"
	tmux -L "$TMUX_SOCKET" send-keys -t confirm 'r02' Enter
	wait_for_file "$SCRATCH/confirm.rc" 5 ||
		{ tmux -L "$TMUX_SOCKET" capture-pane -p -t confirm >"$screen"; say "FAIL: terminal: typing r02: expected rollback to end within 5 s, found:"; show_file "$screen"; exit 1; }
	rc=$(cat "$SCRATCH/confirm.rc")
	if [ "$rc" -ne 0 ]; then
		tmux -L "$TMUX_SOCKET" capture-pane -p -t confirm >"$screen"
		say "FAIL: terminal: typing r02: expected exit code 0, found $rc:"
		show_file "$screen"
		exit 1
	fi
	ok "terminal: typing r02 rolls back (exit 0)"
	if have_sqlite3; then
		row=$(last_deployment "$db" "run_key, kind, actor, reason, state")
		[ "$row" = "r02|rollback|lead|on a terminal|done" ] ||
			fail "terminal: typing r02: expected the deployment r02|rollback|lead|on a terminal|done, found '$row'"
		expect_current "terminal: typing r02" "$db" r02
	fi
	tmux_stop
	trap - EXIT
else
	say "skip: tmux is not installed: the confirmation prompt on a terminal is not checked"
fi

# ---------------------------------------------------------------------
say "== no previously deployed run passes the policy: no fair target"
nf="$SCRATCH/nofair"
rm -rf "$nf"
mkdir -p "$nf"
cp -R "$TOP/sample_runs/r04" "$TOP/sample_runs/r05" "$nf/" || fail "cp r04 r05 $nf: expected a copy"
printf 'time,run,kind,actor,reason\n%s\n%s\n' \
	'2026-01-19T10:00:00Z,r04,deploy,maria.lopez,"v1.3"' \
	'2026-01-22T18:45:00Z,r05,override,kevin.marchand,"speed"' >"$nf/deployments.csv"
db="$SCRATCH/store-nofair.db"
run "$o" "$e" "$FAIRTOP" --db "$db" ingest "$nf"
expect_rc "fairtop ingest nofair (r04, r05, deployments.csv)" 0 "$e"
expect_current "nofair store" "$db" r05
before=$(store_state "$db")
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --reason "no way back" --by lead --yes </dev/null
expect_rc "fairtop rollback on the nofair store" 1 "$e"
cat "$o" "$e" >"$SCRATCH/nofair.all"
expect_contains "rollback on the nofair store" "$SCRATCH/nofair.all" "no fair target"
ok "no fair target: exit 1, says so"
expect_unchanged "rollback with no fair target" "$db" "$before"
expect_current "rollback with no fair target" "$db" r05

# ---------------------------------------------------------------------
say "== a failing hook during rollback: the previous deployment stays current"
db="$SCRATCH/store-hook.db"
sample_store "$db"
write_failing_hook "$SCRATCH/fail-hook.sh" 3
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --reason "hook fails" --by lead --yes --exec "sh fail-hook.sh" </dev/null
expect_rc "fairtop rollback --exec 'sh fail-hook.sh' --yes" 1 "$e"
ok "rollback with a failing hook: exit 1"
if have_sqlite3; then
	row=$(last_deployment "$db" "run_key, kind, state, hook_status")
	[ "$row" = "r02|rollback|failed|3" ] ||
		fail "rollback with a failing hook: expected the deployment r02|rollback|failed|3, found '$row'"
	ok "rollback with a failing hook: recorded as failed, hook_status 3"
	expect_current "rollback with a failing hook" "$db" r05
fi
expect_deployed_baseline "rollback with a failing hook" "$db" r05

done_ok
