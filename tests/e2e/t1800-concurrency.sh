#!/bin/sh
# t1800-concurrency: readers and writers on one store at the same time.
#
# On a store ingested from sample_runs/ (r05's override in production),
# for T1800_SECONDS (default 20) seconds:
#   readers: the dashboard, open under tmux (private socket) and polling
#            every 0.2 s (-d 2), its screen captured every 0.25 s; two
#            loops of `fairtop runs` (one text, one --format json);
#   writers, all started at the same moment: three ingests of generated
#            runs of 50,000 rows (new ids cc1, cc2, cc3), each followed
#            by `ingest --replace` of the same run over and over; a
#            `rollback --yes`; a loop of `gate --baseline r02 --candidate
#            r05` (each one stores a decision and an audit row).
# Then: no "locked" or "busy" (SQLite's "database is locked") in any
# output, error output or screen capture; every command exited as it
# should (runs 0, ingest 0, rollback 0, gate 1: r05 fails); each reader
# saw the six sample runs every time; `runs --format json` lists every
# run exactly once; the rollback is recorded (deployment done, audit
# row, r02 in production, the dashboard's header says so); one gate
# decision and one gate_fail audit row per gate that ran; the dashboard
# still runs and shows cc1..cc3; PRAGMA integrity_check is ok and the
# audit chain verifies.  Prints "writers: N, readers: M, nothing lost".
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"
. "$TOP/tests/e2e/lib/robust.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
o="$SCRATCH/out"
e="$SCRATCH/err"
SECONDS_=${T1800_SECONDS:-20}
logs="$SCRATCH/logs"
rm -rf "$logs"
mkdir -p "$logs"

dash=1
if ! command -v tmux >/dev/null 2>&1; then
	say "skip: tmux is not installed: the dashboard does not take part (make deps)"
	dash=0
fi
TMUX_SOCKET="ft1800-$$"
bg_pids=""
cleanup() {
	for _p in $bg_pids; do
		kill "$_p" 2>/dev/null
	done
	[ "$dash" -eq 1 ] && tmux_stop
	:
}
trap 'cleanup' EXIT
trap 'cleanup; exit 1' INT TERM HUP

# ---------------------------------------------------------------------
say "== the store and the runs to ingest"
db="$SCRATCH/conc.db"
sample_store "$db"
new_runs="cc1 cc2 cc3"
i=0
for r in $new_runs; do
	i=$((i + 1))
	d="$SCRATCH/$r"
	rm -rf "$d"
	"$TOP/sample_runs/generate" bench "$d" 50000 "$((1800 + i))" >"$o" 2>"$e" ||
		{ say "FAIL: sample_runs/generate bench $d 50000: expected a run folder, found:"; show_file "$e"; exit 1; }
	sed -e "s/^run,bench\$/run,$r/" \
		-e "s/^started_at,.*/started_at,2026-02-0${i}T09:00:00Z/" \
		"$d/run.csv" >"$d/run.tmp" && mv "$d/run.tmp" "$d/run.csv"
	grep -q -x -e "run,$r" "$d/run.csv" || fail "$d/run.csv: expected the run id $r, found: $(cat "$d/run.csv")"
done
ok "three generated runs of 50000 rows: $new_runs"
gates_before=0
gate_audit_before=0
if have_sqlite3; then
	gates_before=$(row_count "$db" gate_decisions)
	gate_audit_before=$(sql "$db" "SELECT count(*) FROM audit_log WHERE action IN ('gate_pass', 'gate_fail')")
	expect_current "before" "$db" r05
fi

# ---------------------------------------------------------------------
if [ "$dash" -eq 1 ]; then
	say "== the dashboard, open on the store"
	launch="$SCRATCH/dash.sh"
	loc=C
	for l in C.UTF-8 C.utf8 en_US.UTF-8; do
		if locale -a 2>/dev/null | grep -q -x -e "$l"; then
			loc=$l
			break
		fi
	done
	{
		printf 'unset USER LOGNAME\n'
		printf "LANG='%s'; LC_ALL='%s'; TERM=screen; NO_COLOR=1\n" "$loc" "$loc"
		printf 'export LANG LC_ALL TERM NO_COLOR\n'
		printf "echo \$\$ >'%s'\n" "$SCRATCH/dash.pid"
		printf "exec '%s' --db '%s' -d 2\n" "$FAIRTOP" "$db"
	} >"$launch"
	rm -f "$SCRATCH/dash.pid"
	tmux_start dash 100 30 "$launch"
	tmux_wait_for dash "production r05 FAILS" 10 "$SCRATCH/screen.txt"
	dash_pid=$(cat "$SCRATCH/dash.pid")
	# it opens on the Incident view (r05 fails): the runs are view 1
	tmux -L "$TMUX_SOCKET" send-keys -t dash 1
	ok "dashboard open (pid $dash_pid), showing r05 deployed"
	cp "$SCRATCH/screen.txt" "$logs/screen-start.txt"
	no_lock_words "the dashboard before the test" "$logs/screen-start.txt"
fi

# ---------------------------------------------------------------------
say "== $SECONDS_ s of readers and writers"
end=$(($(date +%s) + SECONDS_))

# reader_loop NAME ARGS...: fairtop ARGS until the end; every output
# must list r01..r06.  Writes NAME.status: "iterations failures".
reader_loop() {
	_name=$1
	shift
	_n=0
	_bad=0
	while [ "$(date +%s)" -lt "$end" ]; do
		_n=$((_n + 1))
		"$FAIRTOP" --db "$db" "$@" >"$logs/$_name.cur" 2>>"$logs/$_name.err"
		_rc=$?
		_seen=$(grep -c -E -e '(^|"run": ")r0[1-6]([ ,"]|$)' "$logs/$_name.cur")
		if [ "$_rc" -ne 0 ] || [ "$_seen" -ne 6 ]; then
			_bad=$((_bad + 1))
			{
				printf '== iteration %s: exit %s, %s sample runs listed\n' "$_n" "$_rc" "$_seen"
				cat "$logs/$_name.cur"
			} >>"$logs/$_name.bad"
		fi
		cat "$logs/$_name.cur" >>"$logs/$_name.out"
	done
	echo "$_n $_bad" >"$logs/$_name.status"
}

# ingest_loop RUN: ingest RUN, then ingest --replace it until the end.
ingest_loop() {
	_n=1
	_bad=0
	"$FAIRTOP" --db "$db" ingest "$SCRATCH/$1" >>"$logs/ingest-$1.out" 2>>"$logs/ingest-$1.err"
	_rc=$?
	[ "$_rc" -eq 0 ] || { _bad=1; echo "first ingest: exit $_rc" >>"$logs/ingest-$1.bad"; }
	while [ "$(date +%s)" -lt "$end" ]; do
		_n=$((_n + 1))
		"$FAIRTOP" --db "$db" ingest --replace "$SCRATCH/$1" >>"$logs/ingest-$1.out" 2>>"$logs/ingest-$1.err"
		_rc=$?
		[ "$_rc" -eq 0 ] || { _bad=$((_bad + 1)); echo "ingest --replace $_n: exit $_rc" >>"$logs/ingest-$1.bad"; }
	done
	echo "$_n $_bad" >"$logs/ingest-$1.status"
}

# gate_loop: gate r02 -> r05 until the end; each must exit 1.
gate_loop() {
	_n=0
	_bad=0
	while [ "$(date +%s)" -lt "$end" ]; do
		_n=$((_n + 1))
		"$FAIRTOP" --db "$db" gate --baseline r02 --candidate r05 >"$logs/gate.cur" 2>>"$logs/gate.err"
		_rc=$?
		cat "$logs/gate.cur" >>"$logs/gate.out"
		[ "$_rc" -eq 1 ] || { _bad=$((_bad + 1)); echo "gate $_n: exit $_rc" >>"$logs/gate.bad"; }
	done
	echo "$_n $_bad" >"$logs/gate.status"
}

# capture_loop: the dashboard's screen every 0.25 s, appended.
capture_loop() {
	_n=0
	while [ "$(date +%s)" -lt "$end" ]; do
		_n=$((_n + 1))
		tmux -L "$TMUX_SOCKET" capture-pane -p -t dash >>"$logs/screens.txt" 2>>"$logs/capture.err"
		nap 0.25
	done
	echo "$_n 0" >"$logs/capture.status"
}

readers=2
reader_loop runs-text runs &
bg_pids="$bg_pids $!"
reader_loop runs-json runs --format json &
bg_pids="$bg_pids $!"
if [ "$dash" -eq 1 ]; then
	readers=3
	capture_loop &
	bg_pids="$bg_pids $!"
fi
nap 1
# the writers, at the same moment
for r in $new_runs; do
	ingest_loop "$r" &
	bg_pids="$bg_pids $!"
done
"$FAIRTOP" --db "$db" rollback --reason "t1800: roll back under load" --yes --by conc \
	</dev/null >"$logs/rollback.out" 2>"$logs/rollback.err" &
rollback_pid=$!
gate_loop &
bg_pids="$bg_pids $!"
writers=5

wait "$rollback_pid"
rollback_rc=$?
for p in $bg_pids; do
	wait "$p"
done
bg_pids=""
ok "$SECONDS_ s done"

# ---------------------------------------------------------------------
say "== nothing locked, nothing failed"
no_lock_words "every output, error output and screen" "$logs"/*.out "$logs"/*.err \
	"$logs"/screens.txt "$logs"/*.bad

[ "$rollback_rc" -eq 0 ] || {
	say "FAIL: fairtop rollback --yes under load: expected exit 0, found $rollback_rc"
	show_file "$logs/rollback.err"
	exit 1
}
ok "rollback --yes under load: exit 0"
expect_contains "rollback --yes under load" "$logs/rollback.out" "r02 is now in production"

summary=""
for s in runs-text runs-json ingest-cc1 ingest-cc2 ingest-cc3 gate; do
	[ -f "$logs/$s.status" ] || fail "$s: expected its loop to finish and write $logs/$s.status, found none"
	set -- $(cat "$logs/$s.status")
	if [ "$2" -ne 0 ]; then
		say "FAIL: $s: expected every one of its $1 commands to succeed, found $2 failures:"
		show_file "$logs/$s.bad"
		show_file "$logs/$s.err"
		exit 1
	fi
	ok "$s: $1 commands, all as expected"
	summary="$summary $s=$1"
done
set -- $(cat "$logs/gate.status")
gates=$1
ingests=0
for r in $new_runs; do
	set -- $(cat "$logs/ingest-$r.status")
	ingests=$((ingests + $1))
done
[ -s "$logs/runs-text.err" ] &&
	{ say "FAIL: fairtop runs: expected nothing on standard error, found:"; show_file "$logs/runs-text.err"; exit 1; }
[ -s "$logs/runs-json.err" ] &&
	{ say "FAIL: fairtop runs --format json: expected nothing on standard error, found:"; show_file "$logs/runs-json.err"; exit 1; }
ok "the readers wrote nothing on standard error"

say "== every run once, the rollback and every gate decision recorded"
run "$o" "$e" "$FAIRTOP" --db "$db" runs --format json
expect_rc "fairtop runs --format json after the load" 0 "$e"
expect_json "fairtop runs --format json after the load" "$o"
for r in r01 r02 r03 r04 r05 r06 $new_runs; do
	c=$(count_run_json "$o" "$r")
	[ "$c" = 1 ] || fail "runs --format json after the load: expected $r exactly once, found $c"
done
total=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$o")
[ "$total" -eq 9 ] || fail "runs --format json after the load: expected 9 runs, found $total"
ok "runs --format json: r01..r06 and $new_runs, each exactly once, 9 in all"
run "$o" "$e" "$FAIRTOP" --db "$db" show cc2 --format json
expect_rc "fairtop show cc2 --format json" 0 "$e"
rows=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["evaluation"]["rows"])' "$o")
[ "$rows" = 50000 ] || fail "show cc2: expected 50000 rows evaluated, found $rows"
ok "show cc2: 50000 rows evaluated"

if have_sqlite3; then
	expect_integrity "after the load" "$db"
	expect_current "after the load" "$db" r02
	last=$(sql "$db" "SELECT kind || '|' || run_key || '|' || state || '|' || actor FROM deployments WHERE actor = 'conc'")
	[ "$last" = "rollback|r02|done|conc" ] ||
		fail "after the load: expected one deployment 'rollback|r02|done|conc', found '$last'"
	ok "after the load: the rollback's deployment is done"
	a=$(sql "$db" "SELECT count(*) FROM audit_log WHERE action = 'rollback' AND actor = 'conc' AND run_key = 'r02'")
	[ "$a" -eq 1 ] || fail "after the load: expected one audit row 'rollback' by conc for r02, found $a"
	ok "after the load: the rollback is on the audit log"
	g=$(($(row_count "$db" gate_decisions) - gates_before))
	[ "$g" -eq "$gates" ] ||
		fail "after the load: expected $gates new gate decisions (one per gate run), found $g"
	ga=$(($(sql "$db" "SELECT count(*) FROM audit_log WHERE action IN ('gate_pass', 'gate_fail')") - gate_audit_before))
	[ "$ga" -eq "$gates" ] ||
		fail "after the load: expected $gates new gate audit rows, found $ga"
	ok "after the load: $gates gates, $gates decisions and $gates audit rows"
	for r in $new_runs; do
		n=$(sql "$db" "SELECT count(*) FROM runs WHERE run_key = '$r'")
		[ "$n" -eq 1 ] || fail "after the load: expected one runs row for $r, found $n"
		dup=$(sql "$db" "SELECT count(*) FROM (SELECT rule, subject FROM alerts WHERE run_key = '$r' GROUP BY rule, subject HAVING count(*) > 1)")
		[ "$dup" -eq 0 ] || fail "after the load: expected no duplicate alert for $r, found $dup"
	done
	ok "after the load: one runs row per new run, no duplicate alert"
fi
run "$o" "$e" "$FAIRTOP" --db "$db" audit --verify
expect_rc "fairtop audit --verify after the load" 0 "$e"
ok "audit --verify after the load: the chain holds"

if [ "$dash" -eq 1 ]; then
	say "== the dashboard followed"
	kill -0 "$dash_pid" 2>/dev/null ||
		{ say "FAIL: the dashboard: expected it still running, found it gone; its screen:"; tmux -L "$TMUX_SOCKET" capture-pane -p -t dash | sed 's/^/    |/'; exit 1; }
	ok "the dashboard still runs"
	tmux_wait_for dash "production r02 passes" 5 "$SCRATCH/screen.txt"
	ok "the dashboard's header: r02 deployed"
	for r in $new_runs; do
		tmux_wait_for dash " $r " 5 "$SCRATCH/screen.txt"
	done
	ok "the dashboard shows $new_runs"
	cp "$SCRATCH/screen.txt" "$logs/screen-end.txt"
	no_lock_words "the dashboard at the end" "$logs/screen-end.txt"
	set -- $(cat "$logs/capture.status")
	summary="$summary screens=$1"
fi

say "commands:$summary (ingests: $ingests, gates: $gates, rollback: 1)"
say "writers: $writers, readers: $readers, nothing lost"
done_ok
