#!/bin/sh
# t1400-dashboard-live: the dashboard follows the store and leaves the
# terminal as it found it.
#   With the dashboard open (-d 5: polling every 0.5 s) on a store holding
#   r01..r05, r06 ingested by another process shows in the Runs view
#   within 2 s, without a key press (and the header's counts follow).
#   `fairtop --db X | cat` (standard output not a terminal) prints what
#   `fairtop --db X runs` prints, not the dashboard.
#   SIGTERM to the dashboard restores the terminal: fairtop exits, the
#   alternate screen is left, the cursor shows again, and the shell in
#   the same pane echoes what is typed and runs it.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/tmux.sh"

tm_need
cd "$SCRATCH" || fail "cd $SCRATCH"
loc=$(tm_utf8_locale)
loc=${loc:-C}
launch="$SCRATCH/dash.sh"
tm_launcher "$launch" "$loc" color
o="$SCRATCH/out"
e="$SCRATCH/err"

# ---------------------------------------------------------------------
say "== a store r01..r05, the dashboard open"
rm -rf "$SCRATCH/runs"
copy_sample_runs "$SCRATCH/runs"
db="$SCRATCH/live.db"
rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
run "$o" "$e" "$FAIRTOP" --db "$db" ingest "$SCRATCH/runs/r01" \
	"$SCRATCH/runs/r02" "$SCRATCH/runs/r03" "$SCRATCH/runs/r04" \
	"$SCRATCH/runs/r05"
expect_rc "fairtop ingest r01..r05" 0 "$e"
tm_start 80 24 "$launch" --db "$db" -d 5
tm_expect_re "dashboard: r05 shown" "$(tm_run_row r05)"
tm_expect_re "dashboard: r01 shown" "$(tm_run_row r01)"
tm_expect_not "dashboard: no r06 yet" "$(tm_run_row r06)"
tm_expect_running "dashboard: running"

say "== r06 ingested by another process"
run "$o" "$e" "$FAIRTOP" --db "$db" ingest "$SCRATCH/runs/r06"
expect_rc "fairtop ingest r06 (another process)" 0 "$e"
# poll for 2 s (20 naps of 0.1 s), no key pressed
i=0
found=
while [ "$i" -lt 20 ]; do
	tm_capture
	if grep -q -E -e "$(tm_run_row r06)" "$TM_SCREEN"; then
		found=1
		break
	fi
	tm_nap
	i=$((i + 1))
done
[ -n "$found" ] ||
	tm_fail "live: expected r06 in the Runs view within 2 s of its ingest, without a key press"
ok "live: r06 shows within 2 s, no key pressed (after about $i tenths)"
case $(tm_line 5) in
*" r06 "*) ok "live: r06 is the first row" ;;
*) tm_fail "live: expected r06 on the first row (line 5)" ;;
esac
prod=$("$FAIRTOP" --db "$db" report --format json | python3 -c '
import json, sys
print(json.load(sys.stdin)["summary"]["deployed"] or "")')
set -- $("$FAIRTOP" --db "$db" alerts --format json | python3 -c '
import json, sys
a = [x for x in json.load(sys.stdin)
     if x["state"] == "firing" and x["run"] == sys.argv[1]]
print(sum(x["severity"] == "critical" for x in a),
      sum(x["severity"] == "warning" for x in a))' "$prod")
if [ -z "$prod" ]; then
	# nothing deployed: no alarm, the runs' alerts are candidates'
	tm_expect "live: nothing in production, no alarm, the candidates counted" \
		"nothing in production  alerts: 0 crit 0 warn  candidates: "
else
	tm_expect "live: the header's count of production's critical alerts follows ($1)" \
		"$1 CRITICAL"
fi
tm_expect_running "live: still running"

# ---------------------------------------------------------------------
say "== SIGTERM restores the terminal"
pid=$(tm_pid)
[ -n "$pid" ] || fail "SIGTERM: expected fairtop's process id"
kill -TERM "$pid" 2>/dev/null || fail "kill -TERM $pid: expected the dashboard to be there"
tm_expect_exited "SIGTERM: fairtop exits, the terminal is restored"
tm_type 'echo ok-$((40 + 2))'
tm_keys Enter
tm_expect_re "SIGTERM: the shell echoes what is typed" '^ft\$ echo ok-\$\(\(40 \+ 2\)\)$'
tm_expect_re "SIGTERM: and runs it" '^ok-42$'
tm_type "stty -a | tr ' ' '\\n' | grep -c -x -e icanon -e echo"
tm_keys Enter
tm_expect_re "SIGTERM: the line discipline is back (stty -a: icanon and echo on)" '^2$'

# ---------------------------------------------------------------------
say "== standard output not a terminal"
run "$o" "$e" "$FAIRTOP" --db "$db" runs
expect_rc "fairtop --db X runs" 0 "$e"
{
	"$FAIRTOP" --db "$db" 2>"$e"
	echo $? >"$SCRATCH/piped.rc"
} | cat >"$SCRATCH/piped"
rc=$(cat "$SCRATCH/piped.rc")
expect_rc "fairtop --db X | cat" 0 "$e"
cmp -s "$o" "$SCRATCH/piped" || {
	say "FAIL: fairtop --db X | cat: expected what fairtop runs prints, found:"
	show_file "$SCRATCH/piped"
	exit 1
}
ok "fairtop --db X | cat: the runs table, as fairtop runs prints it"
for r in r01 r02 r03 r04 r05 r06; do
	expect_contains "fairtop --db X | cat: $r listed" "$SCRATCH/piped" "$r "
done
no_control_bytes "fairtop --db X | cat: no escape sequences" "$SCRATCH/piped"

done_ok
