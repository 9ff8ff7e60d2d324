#!/bin/sh
# t2620-policy-trust: a ./fairtop.ini that others may write is said so.
#   fairtop takes ./fairtop.ini from the working directory: a world- or
#   group-writable one (anyone could relax the gate or set the deploy
#   hook) makes `policy`, `gate` and `deploy` warn on stderr; one that is
#   the user's and writable by the user alone does not.  gate and deploy
#   name the policy file on their first line.  `deploy --exec ""` over a
#   policy with a hook says the hook is skipped.  (A file owned by
#   another user is not made here: it needs root.)
. "$TOP/tests/e2e/lib/common.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
F="$FAIRTOP"
W="fairtop: warning: ./fairtop.ini is world-writable: anyone can relax the gate or set the deploy hook"
G="fairtop: warning: ./fairtop.ini is group-writable: anyone in its group can relax the gate or set the deploy hook"

run ingest.out ingest.err "$F" --db "$db" ingest "$TOP/sample_runs/r01" "$TOP/sample_runs/r02"
expect_rc "ingest r01 r02" 0 ingest.err

printf '[fairness]\nmax_dp_difference = 0.5\n[deploy]\nexec = false\n' >fairtop.ini

chmod 666 fairtop.ini
run policy.out policy.err "$F" policy
expect_rc "policy (world-writable ./fairtop.ini)" 0 policy.err
expect_contains "policy (world-writable)" policy.err "$W"
ok "policy: a world-writable ./fairtop.ini warned of"

run gate.out gate.err "$F" --db "$db" gate --baseline r01 --candidate r02
expect_contains "gate (world-writable)" gate.err "$W"
head -n 1 gate.out | grep -F -e "(policy: fairtop.ini)" >/dev/null ||
	fail "gate: expected the policy file on the first line, found: $(head -n 1 gate.out)"
ok "gate: warned, and the first line names fairtop.ini"

chmod 664 fairtop.ini
run policy.out policy.err "$F" policy
expect_rc "policy (group-writable ./fairtop.ini)" 0 policy.err
expect_contains "policy (group-writable)" policy.err "$G"
ok "policy: a group-writable ./fairtop.ini warned of"

run deploy.out deploy.err "$F" --db "$db" deploy r02 --reason trust --by ci --exec ""
expect_rc "deploy r02 --exec \"\"" 0 deploy.err
expect_contains "deploy (group-writable)" deploy.err "$G"
expect_contains "deploy --exec \"\"" deploy.out "the policy's deploy hook is skipped (--exec \"\")"
ok "deploy --exec \"\": warned, the policy's hook said skipped (not run: it is 'false')"
head -n 1 deploy.out | grep -E -e '^deploy: r02 (against [^ ]+ in production|on its own) \(policy: fairtop\.ini\)$' >/dev/null ||
	fail "deploy: expected the policy file on the first line, found: $(head -n 1 deploy.out)"
ok "deploy: the first line names what it was judged against and fairtop.ini"

chmod 644 fairtop.ini
run policy.out policy.err "$F" policy
expect_rc "policy (own ./fairtop.ini, 0644)" 0 policy.err
[ -s policy.err ] && { printf 'FAIL: policy (0644): expected no warning, found:\n'; show_file policy.err; exit 1; }
ok "policy: the user's own 0644 ./fairtop.ini, no warning"

run rollback.out rollback.err "$F" --db "$db" rollback --to r01 --reason back --by ci --yes --exec ""
expect_contains "rollback --exec \"\"" rollback.out "the policy's deploy hook is skipped (--exec \"\")"
ok "rollback --exec \"\": the policy's hook said skipped"

done_ok
