#!/bin/sh
# t1000-deploy: fairtop deploy, gated, on a fresh store ingested from
# sample_runs/ (r01 and r02 deployed, r05's override of 22 January in
# production).
#   deploy r05 (fails the policy) is refused with exit 1, the gate's
#   findings on stderr (beta_factor; group=C absent, checked where the
#   deployed run is r02), and no deployment added; with --override it exits
#   0 and is recorded as an override by its actor with its reason, with an
#   audit row 'override'; deploy r06 exits 0 (kind deploy, state done).
#   The deploy hook (--exec, no shell): it sees FAIRTOP_RUN, _MODEL,
#   _VERSION, _ACTION, _REASON and _ACTOR; a reason holding shell syntax
#   reaches it verbatim and nothing of it is executed.  A hook exiting 3
#   makes deploy exit 1, the deployment 'failed' with hook_status 3 and the
#   hook's output tail stored, the previous deployment current.  A hook
#   that hangs under a policy [deploy] timeout = 2 is ended and recorded
#   failed (no timing asserted), the previous deployment current.  The
#   policy's [deploy] exec is the hook when --exec is absent; --exec wins
#   over it.  A missing or empty --reason exits 2 and writes nothing.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"

# the hooks run in the current folder, and no ./fairtop.ini may be picked up
cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
o="$SCRATCH/out"
e="$SCRATCH/err"

# last_deployment COLUMNS: those columns of the newest deployments row.
last_deployment() {
	sql "$db" "SELECT $1 FROM deployments ORDER BY id DESC LIMIT 1"
}
# last_audit COLUMNS: those columns of the newest audit_log row.
last_audit() {
	sql "$db" "SELECT $1 FROM audit_log ORDER BY id DESC LIMIT 1"
}

say "== a fresh store from sample_runs"
sample_store "$db"
if have_sqlite3; then
	n=$(row_count "$db" deployments)
	[ "$n" -eq 3 ] || fail "deployments after ingest: expected 3 rows (deployments.csv), found $n"
	ok "3 deployments from deployments.csv"
	expect_current "after ingest" "$db" r05
fi

# ---------------------------------------------------------------------
say "== deploy r05: it fails the policy, refused"
before=$(store_state "$db")
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r05 --reason speed --by kevin
expect_rc "fairtop deploy r05 --reason speed --by kevin" 1 "$e"
ok "deploy r05: exit 1"
grep -E 'FAIL.*beta_factor' "$e" >/dev/null ||
	{ say "FAIL: deploy r05: expected the gate's finding on the missing beta_factor on stderr, found:"; show_file "$e"; exit 1; }
ok "deploy r05: stderr lists the gate's findings, beta_factor among them"
expect_contains "deploy r05" "$e" "--override"
ok "deploy r05: stderr says how to deploy it anyway (--override)"
# The deployed run of this store is r05 itself: fairtop judges r05 against
# r05, so a lost group cannot show.  Not asserted here (see the report);
# the same check against a deployed r02 is asserted below.
if grep -E 'FAIL.*group=C' "$e" >/dev/null; then
	ok "deploy r05: stderr names the lost group=C"
else
	say "KNOWN BUG (not asserted): deploy r05 on the sample store judges r05 against itself (the deployed run), so 'group=C absent' is not listed; stderr says: $(head -n 1 "$e")"
fi
if have_sqlite3; then
	n=$(row_count "$db" deployments)
	[ "$n" -eq 3 ] || fail "deploy r05 refused: expected still 3 deployments, found $n"
	n=$(sql "$db" "SELECT count(*) FROM deployments WHERE actor = 'kevin'")
	[ "$n" -eq 0 ] || fail "deploy r05 refused: expected no deployment by kevin, found $n"
	ok "deploy r05 refused: no deployment added"
	expect_current "deploy r05 refused" "$db" r05
fi

say "== deploy r05 on a store where r02 is deployed: group=C and beta_factor"
copy_sample_runs "$SCRATCH/runs"
db2="$SCRATCH/store-r02.db"
run "$o" "$e" "$FAIRTOP" --db "$db2" ingest "$SCRATCH/runs"
expect_rc "fairtop ingest runs (no deployments.csv)" 0 "$e"
run "$o" "$e" "$FAIRTOP" --db "$db2" deploy r02 --reason "baseline" --by maria
expect_rc "fairtop deploy r02 (nothing deployed yet)" 0 "$e"
ok "deploy r02 on a store with nothing deployed: exit 0"
run "$o" "$e" "$FAIRTOP" --db "$db2" deploy r05 --reason speed --by kevin
expect_rc "fairtop deploy r05 with r02 deployed" 1 "$e"
grep -E 'FAIL.*group=C.*absent' "$e" >/dev/null ||
	{ say "FAIL: deploy r05 with r02 deployed: expected a FAIL finding 'group=C ... absent' on stderr, found:"; show_file "$e"; exit 1; }
grep -E 'FAIL.*beta_factor' "$e" >/dev/null ||
	{ say "FAIL: deploy r05 with r02 deployed: expected a FAIL finding on beta_factor on stderr, found:"; show_file "$e"; exit 1; }
ok "deploy r05 with r02 deployed: exit 1, stderr lists group=C absent and beta_factor"
if have_sqlite3; then
	n=$(row_count "$db2" deployments)
	[ "$n" -eq 1 ] || fail "deploy r05 refused: expected 1 deployment (r02), found $n"
	expect_current "deploy r05 refused (r02 deployed)" "$db2" r02
fi

# ---------------------------------------------------------------------
say "== deploy r05 --override: on the record"
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r05 --reason speed --by kevin --override
expect_rc "fairtop deploy r05 --override" 0 "$e"
ok "deploy r05 --override: exit 0"
if have_sqlite3; then
	row=$(last_deployment "run_key, kind, actor, reason, state")
	[ "$row" = "r05|override|kevin|speed|done" ] ||
		fail "deploy r05 --override: expected the deployment r05|override|kevin|speed|done, found '$row'"
	ok "deploy r05 --override: deployments row r05, kind override, by kevin, reason 'speed', done"
	row=$(last_audit "action, actor, run_key, reason")
	[ "$row" = "override|kevin|r05|speed" ] ||
		fail "deploy r05 --override: expected the audit row override|kevin|r05|speed, found '$row'"
	ok "deploy r05 --override: audit row 'override' by kevin, reason 'speed'"
fi

say "== deploy r06: passes against r05"
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r06 --reason fix --by ana
expect_rc "fairtop deploy r06 --reason fix --by ana" 0 "$e"
ok "deploy r06: exit 0"
if have_sqlite3; then
	row=$(last_deployment "run_key, kind, actor, reason, state")
	[ "$row" = "r06|deploy|ana|fix|done" ] ||
		fail "deploy r06: expected the deployment r06|deploy|ana|fix|done, found '$row'"
	ok "deploy r06: deployments row r06, kind deploy, by ana, reason 'fix', done"
	row=$(last_audit "action, actor, run_key, reason")
	[ "$row" = "deploy|ana|r06|fix" ] ||
		fail "deploy r06: expected the audit row deploy|ana|r06|fix, found '$row'"
	ok "deploy r06: audit row 'deploy' by ana"
	expect_current "deploy r06" "$db" r06
fi
expect_deployed_baseline "deploy r06" "$db" r06

# ---------------------------------------------------------------------
say "== the deploy hook: its environment, and a reason that is not a command"
write_env_hook "$SCRATCH/env-hook.sh" "$SCRATCH/env.out"
mkdir -p "$SCRATCH/x"
: >"$SCRATCH/x/keep"
rm -f "$SCRATCH/pwned" "$SCRATCH/env.out"
# shellcheck disable=SC2016 # shell syntax kept literal on purpose
nasty='$(touch pwned); rm -rf x'
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r02 --reason "$nasty" --by ana --exec "sh env-hook.sh"
expect_rc "fairtop deploy r02 --exec 'sh env-hook.sh'" 0 "$e"
ok "deploy r02 with a hook: exit 0"
[ -f "$SCRATCH/env.out" ] || fail "deploy r02 --exec: expected the hook to write $SCRATCH/env.out, found no file"
expect_env_value "hook" "$SCRATCH/env.out" FAIRTOP_RUN r02
expect_env_value "hook" "$SCRATCH/env.out" FAIRTOP_MODEL loan-approval
expect_env_value "hook" "$SCRATCH/env.out" FAIRTOP_VERSION 1.1
expect_env_value "hook" "$SCRATCH/env.out" FAIRTOP_ACTION deploy
expect_env_value "hook" "$SCRATCH/env.out" FAIRTOP_REASON "$nasty"
expect_env_value "hook" "$SCRATCH/env.out" FAIRTOP_ACTOR ana
[ ! -e "$SCRATCH/pwned" ] || fail "deploy --reason '$nasty': expected nothing executed, found the file pwned"
[ -f "$SCRATCH/x/keep" ] || fail "deploy --reason '$nasty': expected nothing executed, found x/ removed"
ok "the reason reached the hook verbatim and nothing of it was executed (no pwned, x/ still there)"
if have_sqlite3; then
	row=$(last_deployment "run_key, kind, state, hook_status")
	[ "$row" = "r02|deploy|done|0" ] ||
		fail "deploy r02 with a hook: expected the deployment r02|deploy|done|0 (hook_status 0), found '$row'"
	reason=$(last_deployment "reason")
	[ "$reason" = "$nasty" ] ||
		fail "deploy r02: expected the reason stored verbatim ($nasty), found '$reason'"
	ok "deploy r02: done, hook_status 0, reason stored verbatim"
	expect_current "deploy r02 with a hook" "$db" r02
fi

# ---------------------------------------------------------------------
say "== a hook that exits 3: deploy fails, r02 stays current"
write_failing_hook "$SCRATCH/fail-hook.sh" 3
before_n=0
have_sqlite3 && before_n=$(row_count "$db" deployments)
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r06 --reason "again" --by ana --exec "sh fail-hook.sh"
expect_rc "fairtop deploy r06 --exec 'sh fail-hook.sh' (exits 3)" 1 "$e"
ok "deploy r06 with a failing hook: exit 1"
if have_sqlite3; then
	n=$(row_count "$db" deployments)
	[ "$n" -eq $((before_n + 1)) ] ||
		fail "deploy r06 with a failing hook: expected one deployment row added, found $((n - before_n))"
	row=$(last_deployment "run_key, state, hook_status")
	[ "$row" = "r06|failed|3" ] ||
		fail "deploy r06 with a failing hook: expected the deployment r06|failed|3, found '$row'"
	ok "deploy r06: recorded as failed with hook_status 3"
	last_deployment "hook_output" >"$SCRATCH/hook_output"
	expect_contains "deploy r06: the stored hook output" "$SCRATCH/hook_output" "the registry refused the upload"
	expect_contains "deploy r06: the stored hook output" "$SCRATCH/hook_output" "pushing r06 to the model registry"
	ok "deploy r06: the hook's output (stdout and stderr) stored"
	expect_current "deploy r06 with a failing hook" "$db" r02
fi
expect_deployed_baseline "deploy r06 with a failing hook" "$db" r02

# ---------------------------------------------------------------------
say "== a hook that hangs, with [deploy] timeout = 2: ended, recorded failed"
cat >"$SCRATCH/hang-hook.sh" <<EOF
#!/bin/sh
echo "hook: waiting for the registry"
echo \$\$ >'$SCRATCH/hang-sh.pid'
sleep 60 &
echo \$! >'$SCRATCH/hang-sleep.pid'
wait \$!
echo "hook: never reached"
EOF
printf '[deploy]\ntimeout = 2\n' >"$SCRATCH/timeout.ini"
rm -f "$SCRATCH/hang-sh.pid" "$SCRATCH/hang-sleep.pid"
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r06 --reason "hang" --by ana --exec "sh hang-hook.sh" --policy "$SCRATCH/timeout.ini"
expect_rc "fairtop deploy r06 --exec 'sh hang-hook.sh' --policy timeout.ini" 1 "$e"
ok "deploy r06 with a hanging hook: it ended, exit 1"
if have_sqlite3; then
	row=$(last_deployment "run_key, reason, state")
	[ "$row" = "r06|hang|failed" ] ||
		fail "deploy r06 with a hanging hook: expected the deployment r06|hang|failed, found '$row'"
	ok "deploy r06 with a hanging hook: recorded as failed"
	expect_current "deploy r06 with a hanging hook" "$db" r02
fi
# the hook's processes are gone (or zombies waiting for their reaper)
for pidfile in "$SCRATCH/hang-sh.pid" "$SCRATCH/hang-sleep.pid"; do
	[ -s "$pidfile" ] || fail "hanging hook: expected it to write $pidfile, found none"
	pid=$(cat "$pidfile")
	tries=100
	while kill -0 "$pid" 2>/dev/null; do
		case "$(ps -o stat= -p "$pid" 2>/dev/null)" in
		Z*) break ;;
		esac
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "hanging hook: expected process $pid ($(basename "$pidfile" .pid)) to be killed, found it alive after 10 s"
		sleep 0.1
	done
done
ok "hanging hook: the hook and its child were killed"

# ---------------------------------------------------------------------
say "== the policy's [deploy] exec is the hook when --exec is absent"
write_env_hook "$SCRATCH/policy-hook.sh" "$SCRATCH/policy-env.out"
printf '[deploy]\nexec = sh policy-hook.sh\n' >"$SCRATCH/exec.ini"
rm -f "$SCRATCH/policy-env.out"
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r06 --reason "via the policy" --by bo --policy "$SCRATCH/exec.ini"
expect_rc "fairtop deploy r06 --policy exec.ini" 0 "$e"
[ -f "$SCRATCH/policy-env.out" ] ||
	fail "deploy r06 --policy exec.ini: expected the policy's hook to run (write policy-env.out), found no file"
expect_env_value "policy hook" "$SCRATCH/policy-env.out" FAIRTOP_RUN r06
expect_env_value "policy hook" "$SCRATCH/policy-env.out" FAIRTOP_VERSION 1.5
expect_env_value "policy hook" "$SCRATCH/policy-env.out" FAIRTOP_REASON "via the policy"
expect_env_value "policy hook" "$SCRATCH/policy-env.out" FAIRTOP_ACTOR bo
if have_sqlite3; then
	row=$(last_deployment "run_key, kind, state, hook_status")
	[ "$row" = "r06|deploy|done|0" ] ||
		fail "deploy r06 --policy exec.ini: expected the deployment r06|deploy|done|0, found '$row'"
	ok "deploy r06 through the policy's hook: done, hook_status 0"
	expect_current "deploy r06 through the policy's hook" "$db" r06
fi

say "== --exec wins over the policy's [deploy] exec; an override's hook sees ACTION=override"
rm -f "$SCRATCH/policy-env.out" "$SCRATCH/env.out"
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r05 --reason "speed again" --by kevin --override \
	--exec "sh env-hook.sh" --policy "$SCRATCH/exec.ini"
expect_rc "fairtop deploy r05 --override --exec 'sh env-hook.sh' --policy exec.ini" 0 "$e"
[ -f "$SCRATCH/env.out" ] || fail "deploy --exec with a policy exec: expected the --exec hook to run, found no env.out"
[ ! -e "$SCRATCH/policy-env.out" ] || fail "deploy --exec with a policy exec: expected the policy's hook not to run, found policy-env.out"
ok "deploy --exec with a policy exec: only the --exec hook ran"
expect_env_value "override hook" "$SCRATCH/env.out" FAIRTOP_RUN r05
expect_env_value "override hook" "$SCRATCH/env.out" FAIRTOP_VERSION 1.4
expect_env_value "override hook" "$SCRATCH/env.out" FAIRTOP_ACTION override
expect_env_value "override hook" "$SCRATCH/env.out" FAIRTOP_ACTOR kevin
if have_sqlite3; then
	row=$(last_deployment "run_key, kind, actor, state")
	[ "$row" = "r05|override|kevin|done" ] ||
		fail "deploy r05 --override with a hook: expected r05|override|kevin|done, found '$row'"
	ok "deploy r05 --override with a hook: recorded as an override, done"
fi

# ---------------------------------------------------------------------
say "== --reason is required"
before=$(store_state "$db")
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r06 --by ana
expect_rc "fairtop deploy r06 --by ana (no --reason)" 2 "$e"
expect_contains "deploy without --reason" "$e" "--reason"
ok "deploy without --reason: exit 2, names --reason"
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r06 --reason "" --by ana
expect_rc "fairtop deploy r06 --reason '' --by ana" 2 "$e"
ok "deploy with an empty --reason: exit 2"
expect_unchanged "deploy without a reason" "$db" "$before"

done_ok
