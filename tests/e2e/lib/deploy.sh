# deploy.sh — helpers for the end-to-end scripts on deployments, rollback,
# the audit log and the report (t1000, t1100, t1200).  Source it after
# common.sh and store.sh:
#     . "$TOP/tests/e2e/lib/common.sh"
#     . "$TOP/tests/e2e/lib/store.sh"
#     . "$TOP/tests/e2e/lib/deploy.sh"
# POSIX sh only.

# sample_store DB: DB is a fresh store ingested from sample_runs/ (the six
# C07 runs and deployments.csv: r01 and r02 deployed, r05's override of
# 22 January in production).  The first call ingests into
# $SCRATCH/sample-template.db; every call copies that template, so each
# store starts from the same state.
sample_store() {
	_tpl="$SCRATCH/sample-template.db"
	if [ ! -f "$_tpl" ]; then
		"$FAIRTOP" --db "$_tpl" ingest "$TOP/sample_runs" \
			>"$_tpl.out" 2>"$_tpl.err"
		_rc=$?
		if [ "$_rc" -ne 0 ]; then
			printf 'FAIL: fairtop ingest sample_runs: expected exit code 0, found %s\n' "$_rc"
			show_file "$_tpl.err"
			rm -f "$_tpl"
			exit 1
		fi
	fi
	rm -f "$1" "$1-wal" "$1-shm" "$1-journal"
	cp "$_tpl" "$1" || fail "cp $_tpl $1: expected a copy, found an error"
}

# current_run DB: the run of the last done deployment, read with sqlite3
# in the order fairtop uses (time, then id).
current_run() {
	sql "$1" "SELECT run_key FROM deployments WHERE state = 'done' ORDER BY time DESC, id DESC LIMIT 1"
}

# expect_current WHAT DB RUN: the last done deployment in DB is RUN.
expect_current() {
	have_sqlite3 || return 0
	_cur=$(current_run "$2")
	[ "$_cur" = "$3" ] ||
		fail "$1: expected the current deployment (last done row of deployments) to be $3, found '$_cur'"
	ok "$1: $3 is the current deployment (sqlite3)"
}

# expect_deployed_baseline WHAT DB RUN: fairtop's own view of what is in
# production, through `gate --baseline deployed --candidate r01`, whose
# first line names the baseline.  (It records a gate decision: do not use
# it where a test checks that nothing is written.)
expect_deployed_baseline() {
	"$FAIRTOP" --db "$2" gate --baseline deployed --candidate r01 \
		>"$SCRATCH/deployed-baseline.out" 2>"$SCRATCH/deployed-baseline.err"
	_line=$(head -n 1 "$SCRATCH/deployed-baseline.out")
	case "$_line" in
	*"against baseline $3 "* | *"against baseline $3") ;;
	*)
		printf 'FAIL: %s: expected fairtop gate --baseline deployed to use %s, found:\n' "$1" "$3"
		show_file "$SCRATCH/deployed-baseline.out"
		show_file "$SCRATCH/deployed-baseline.err"
		exit 1
		;;
	esac
	ok "$1: fairtop gate --baseline deployed uses $3"
}

# row_count DB TABLE: the number of rows of TABLE.
row_count() {
	sql "$1" "SELECT count(*) FROM $2"
}

# store_state DB: one line that changes when DB is written: the checksum
# of the file (and of a non-empty -wal file beside it) and, when sqlite3 is
# there, the row counts of deployments, audit_log and gate_decisions.
store_state() {
	_s=$(cksum <"$1")
	[ -s "$1-wal" ] && _s="$_s wal:$(cksum <"$1-wal")"
	if command -v sqlite3 >/dev/null 2>&1; then
		_s="$_s deployments:$(row_count "$1" deployments)"
		_s="$_s audit_log:$(row_count "$1" audit_log)"
		_s="$_s gate_decisions:$(row_count "$1" gate_decisions)"
	fi
	printf '%s\n' "$_s"
}

# expect_unchanged WHAT DB BEFORE: store_state DB is still BEFORE.
expect_unchanged() {
	_now=$(store_state "$2")
	[ "$_now" = "$3" ] ||
		fail "$1: expected the store to be unchanged ($3), found $_now"
	ok "$1: nothing written (store checksum and row counts unchanged)"
}

# iso_time VALUE: VALUE looks like 2026-01-22T18:45:00Z.
iso_time() {
	printf '%s\n' "$1" |
		grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})$' \
			>/dev/null
}

# write_env_hook FILE OUT: a deploy hook script FILE (run it as `sh FILE`)
# that writes the FAIRTOP_* variables of its environment to OUT, one
# NAME=value line each, prints "hook done" and exits 0.
write_env_hook() {
	cat >"$1" <<EOF
#!/bin/sh
{
	printf 'FAIRTOP_RUN=%s\n' "\$FAIRTOP_RUN"
	printf 'FAIRTOP_MODEL=%s\n' "\$FAIRTOP_MODEL"
	printf 'FAIRTOP_VERSION=%s\n' "\$FAIRTOP_VERSION"
	printf 'FAIRTOP_ACTION=%s\n' "\$FAIRTOP_ACTION"
	printf 'FAIRTOP_REASON=%s\n' "\$FAIRTOP_REASON"
	printf 'FAIRTOP_ACTOR=%s\n' "\$FAIRTOP_ACTOR"
} >'$2'
echo "hook done"
EOF
}

# write_failing_hook FILE STATUS: a hook that prints two lines (one on
# stdout, one on stderr) and exits STATUS.
write_failing_hook() {
	cat >"$1" <<EOF
#!/bin/sh
echo "hook: pushing \$FAIRTOP_RUN to the model registry"
echo "hook: the registry refused the upload" >&2
exit $2
EOF
}

# write_hanging_hook FILE: a hook that prints a line and sleeps 60 s.
write_hanging_hook() {
	cat >"$1" <<'EOF'
#!/bin/sh
echo "hook: waiting for the registry"
sleep 60
echo "hook: never reached"
EOF
}

# expect_env_value WHAT FILE NAME VALUE: FILE (written by the env hook)
# holds the line NAME=VALUE exactly.
expect_env_value() {
	_line=$(grep -e "^$3=" "$2" | head -n 1)
	[ "$_line" = "$3=$4" ] ||
		fail "$1: expected the hook to see $3=$4, found '$_line'"
	ok "$1: the hook saw $3=$4"
}

# ---------------------------------------------------------------------
# tmux, for the prompts that need a terminal.  One private server per
# script (socket ftNNNN-PID), killed on exit.

# tmux_start NAME WIDTH HEIGHT SCRIPT: a detached session running
# `sh SCRIPT` on the private server $TMUX_SOCKET (set it first).
tmux_start() {
	unset TMUX
	tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s "$1" -x "$2" -y "$3" \
		"sh '$4'" || fail "tmux new-session $1: expected a session, found an error"
}

# tmux_wait_for SESSION TEXT SECONDS OUT: poll the pane (capture-pane -p
# into OUT) every 0.1 s until it shows TEXT; fails after SECONDS.
tmux_wait_for() {
	_tries=$(($3 * 10))
	while [ "$_tries" -gt 0 ]; do
		tmux -L "$TMUX_SOCKET" capture-pane -p -t "$1" >"$4" 2>/dev/null
		grep -F -e "$2" "$4" >/dev/null && return 0
		sleep 0.1
		_tries=$((_tries - 1))
	done
	printf 'FAIL: tmux session %s: expected "%s" on the screen within %s s, found:\n' "$1" "$2" "$3"
	show_file "$4"
	exit 1
}

# wait_for_file FILE SECONDS: poll until FILE exists and is not empty.
wait_for_file() {
	_tries=$(($2 * 10))
	while [ "$_tries" -gt 0 ]; do
		[ -s "$1" ] && return 0
		sleep 0.1
		_tries=$((_tries - 1))
	done
	return 1
}

# tmux_stop: kill the private server (no error when it is gone) and
# remove its socket file, which tmux leaves behind.
tmux_stop() {
	_sock=$(tmux -L "$TMUX_SOCKET" display-message -p '#{socket_path}' 2>/dev/null)
	tmux -L "$TMUX_SOCKET" kill-server >/dev/null 2>&1 || :
	[ -n "$_sock" ] && [ -S "$_sock" ] && rm -f "$_sock"
	:
}
