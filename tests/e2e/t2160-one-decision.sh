#!/bin/sh
# t2160-one-decision: one deploy or rollback at a time per store.
#   A deploy whose hook runs for 6 s holds the store's decision lock: a
#   second deploy with --wait 0, and a rollback with --wait 1, give up
#   with exit 75, one line naming the holder's pid, and write nothing
#   (deployments, audit log and gate decisions unchanged while the first
#   runs); a third deploy with the default wait says it is waiting, then
#   goes ahead once the first is done, gated against what the first put
#   in production, so "in production now" is the run whose hook shipped
#   last.  A --dry-run rollback needs no lock.  --wait outside 0..3600
#   exits 2.  SIGTERM or SIGINT to fairtop while its hook runs stops the
#   hook (it never finishes shipping), records the deployment failed with
#   the reason, and exits 128 + the signal; the previous deployment stays
#   current and the lock is free again.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
sample_store "$db"

counts() {
	have_sqlite3 || { echo "no sqlite3"; return; }
	sql "$1" "SELECT (SELECT count(*) FROM deployments) || ' ' ||
		(SELECT count(*) FROM audit_log) || ' ' ||
		(SELECT count(*) FROM gate_decisions)"
}

say "== a slow deploy holds the store"
"$FAIRTOP" --db "$db" deploy r06 --reason "fair and newer" --by first \
	--exec "sleep 6" >first.out 2>first.err &
first=$!
# the lock is taken before the gate: wait until the first one holds it
i=0
while [ ! -s "$db.decide" ] && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$db.decide" ] || fail "the first deploy: expected it to hold $db.decide within 5 s"
sleep 0.3
before=$(counts "$db")

run second.out second.err "$FAIRTOP" --db "$db" deploy r02 --reason "other" --by second --wait 0
expect_rc "deploy r02 --wait 0 while another deploys" 75 second.err
expect_contains "deploy --wait 0" second.err "another deploy or rollback (pid $first) is deciding on"
[ "$(wc -l <second.err)" -eq 1 ] || { show_file second.err; fail "deploy --wait 0: expected one line on stderr"; }
[ -s second.out ] && { show_file second.out; fail "deploy --wait 0: expected nothing on stdout"; }
ok "deploy --wait 0 while another deploys: exit 75, one line naming pid $first"

run third.out third.err "$FAIRTOP" --db "$db" rollback --reason "x" --by third --yes --wait 1
expect_rc "rollback --wait 1 while another deploys" 75 third.err
expect_contains "rollback --wait 1" third.err "waiting for it"
ok "rollback --wait 1 while another deploys: says it waits, then exit 75"

[ "$(counts "$db")" = "$before" ] ||
	fail "while the first deploys: expected nothing written by the others ($before), found $(counts "$db")"
ok "nothing written by the refused ones ($before deployments, audit rows, gate decisions)"

run dry.out dry.err "$FAIRTOP" --db "$db" rollback --reason "x" --by dry --dry-run
expect_rc "rollback --dry-run while another deploys" 0 dry.err
ok "rollback --dry-run needs no lock: exit 0"

say "== a decision that waits goes ahead after"
run fourth.out fourth.err "$FAIRTOP" --db "$db" deploy r02 --reason "after" --by fourth
rc4=$rc
wait "$first"
rc1=$?
[ "$rc1" -eq 0 ] || { show_file first.err; fail "the first deploy (r06): expected exit 0, found $rc1"; }
[ "$rc4" -eq 0 ] || { show_file fourth.err; fail "the waiting deploy (r02): expected exit 0, found $rc4"; }
expect_contains "the waiting deploy" fourth.err "is deciding on this store; waiting for it"
expect_current "the waiting deploy after the first" "$db" r02
# gated against r06, which the first deploy had put in production
have_sqlite3 && {
	got=$(sql "$db" "SELECT baseline_key FROM gate_decisions ORDER BY id DESC LIMIT 1")
	[ "$got" = "r06" ] || fail "the waiting deploy: expected its gate against r06 (in production once the first was done), found '$got'"
	ok "the waiting deploy was gated against r06, what the first put in production"
}
ok "the first deploy done (r06), the waiting one after it (r02): r02 in production"

run bad.out bad.err "$FAIRTOP" --db "$db" deploy r06 --reason x --by t --wait -1
expect_rc "deploy --wait -1" 2 bad.err
run bad.out bad.err "$FAIRTOP" --db "$db" rollback --reason x --by t --wait 5000
expect_rc "rollback --wait 5000" 2 bad.err
ok "--wait outside 0..3600: exit 2"

say "== a signal while the hook runs"
cat >slow-hook.sh <<'HOOK'
#!/bin/sh
echo "shipping $FAIRTOP_RUN"
sleep 30
echo shipped >"$SCRATCH/shipped-$FAIRTOP_RUN"
HOOK
chmod +x slow-hook.sh
for sig in TERM INT; do
	cur=$(current_run "$db")
	rm -f "$SCRATCH/shipped-r06"
	SCRATCH=$SCRATCH "$FAIRTOP" --db "$db" deploy r06 --reason "signal $sig" \
		--by sig --exec "$SCRATCH/slow-hook.sh" >sig.out 2>sig.err &
	pid=$!
	i=0
	while ! grep -q "running the deploy hook" sig.out 2>/dev/null &&
		[ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	case $sig in TERM) want=143 ;; INT) want=130 ;; esac
	[ "$rc" -eq "$want" ] || { show_file sig.err; fail "SIG$sig during the hook: expected exit $want, found $rc"; }
	expect_contains "SIG$sig during the hook" sig.err "fairtop was interrupted and stopped the deploy hook"
	sleep 0.3
	[ -e "$SCRATCH/shipped-r06" ] && fail "SIG$sig during the hook: the hook went on and shipped"
	have_sqlite3 && {
		got=$(sql "$db" "SELECT state || '|' || substr(hook_output, 1, 40) FROM deployments ORDER BY id DESC LIMIT 1")
		case $got in
		"failed|[stopped: fairtop got signal"*) ;;
		*) fail "SIG$sig during the hook: expected the deployment failed with the reason, found '$got'" ;;
		esac
	}
	expect_current "after SIG$sig during the hook" "$db" "$cur"
	ok "SIG$sig while the hook runs: hook stopped, deployment recorded failed, exit $want, $cur still current"
done
run free.out free.err "$FAIRTOP" --db "$db" deploy r06 --reason "after the signals" --by t --wait 0
expect_rc "deploy after the interrupted ones (--wait 0)" 0 free.err
ok "the lock is free again after an interrupted deploy"

done_ok
