# tmux.sh — drive the dashboard in a private tmux server, for the
# end-to-end scripts on the dashboard (t1300, t1400).  Source it after
# common.sh:
#     . "$TOP/tests/e2e/lib/common.sh"
#     . "$TOP/tests/e2e/lib/tmux.sh"
# POSIX sh only.  As tmux's own regress suite does: a private socket
# (tmux -L ft-PID -f /dev/null), a fixed size, send-keys, capture-pane -p,
# and polling for what a person should see, for up to 5 s, before
# failing with the screen as it is.  The server is killed when the script
# exits, however it exits (tm_cleanup is on the EXIT trap).
#
# Sessions run a launcher script (tm_launcher) so that quoting stays
# simple: it sets the locale, TERM and NO_COLOR it is given, unsets USER
# and LOGNAME (so the dashboard's "by" field starts empty, as in CI),
# writes fairtop's process id to $TM_PIDFILE, runs fairtop, prints
# "fairtop exited N" and then stays in an interactive shell whose prompt
# is "ft$ ", so the pane survives fairtop.

TM_SOCK="ft-$$"
TM_SCREEN="$SCRATCH/screen.txt"
TM_PIDFILE="$SCRATCH/fairtop.pid"

# tm_need: tmux is installed, else the script is skipped (exit 0) with
# the reason.
tm_need() {
	if ! command -v tmux >/dev/null 2>&1; then
		say "skip: tmux is not installed: the dashboard tests need it (make deps)"
		exit 0
	fi
}

tm() {
	tmux -L "$TM_SOCK" "$@"
}

tm_cleanup() {
	tmux -L "$TM_SOCK" kill-server >/dev/null 2>&1
	return 0
}

trap 'tm_cleanup' EXIT
trap 'tm_cleanup; exit 1' INT TERM HUP

# tm_nap: a tenth of a second (one second where sleep takes integers only).
tm_nap() {
	sleep 0.1 2>/dev/null || sleep 1
}

# tm_settle: half a second, for keys that should change nothing.
tm_settle() {
	for _s in 1 2 3 4 5; do
		tm_nap
	done
}

# tm_utf8_locale: the name of a UTF-8 locale, or nothing.
tm_utf8_locale() {
	for _l in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
		if locale -a 2>/dev/null | grep -q -x -e "$_l"; then
			printf '%s\n' "$_l"
			return 0
		fi
	done
	locale -a 2>/dev/null | grep -i -e 'utf-*8$' | head -n 1
	return 0
}

# tm_term: a TERM tmux emulates and terminfo knows.
tm_term() {
	for _t in tmux-256color screen-256color screen; do
		if infocmp "$_t" >/dev/null 2>&1 ||
			tput -T "$_t" cols >/dev/null 2>&1; then
			printf '%s\n' "$_t"
			return 0
		fi
	done
	printf 'screen\n'
}

# tm_launcher FILE LOCALE COLOR: write the launcher script FILE.  LOCALE
# is LANG and LC_ALL for fairtop; COLOR "no" sets NO_COLOR=1, anything
# else unsets it.  The script's arguments are fairtop's.
tm_launcher() {
	_nc="unset NO_COLOR"
	[ "$3" = no ] && _nc="NO_COLOR=1; export NO_COLOR"
	{
		printf 'unset USER LOGNAME\n'
		printf "LANG='%s'; LC_ALL='%s'; TERM='%s'\n" "$2" "$2" "$(tm_term)"
		printf 'export LANG LC_ALL TERM\n'
		printf '%s\n' "$_nc"
		printf "sh -c 'echo \$\$ >\"\$0\"; exec \"\$@\"' '%s' '%s' \"\$@\"\n" \
			"$TM_PIDFILE" "$FAIRTOP"
		printf 'echo "fairtop exited $?"\n'
		printf "PS1='ft\$ '; export PS1\n"
		printf 'exec sh\n'
	} >"$1"
}

# tm_start W H SCRIPT ARGS...: a new detached session of W x H running
# sh SCRIPT ARGS; the server (started with -f /dev/null) stays, the
# previous session is closed once the new one is there (so the server
# never exits between two sessions).  No argument may hold a single quote.
TM_N=0
TM_SESSION=s0
tm_start() {
	_w=$1
	_h=$2
	shift 2
	_cmd="sh"
	for _a in "$@"; do
		_cmd="$_cmd '$_a'"
	done
	rm -f "$TM_PIDFILE"
	_old=$TM_SESSION
	TM_N=$((TM_N + 1))
	TM_SESSION="s$TM_N"
	tmux -u -L "$TM_SOCK" -f /dev/null new-session -d -s "$TM_SESSION" \
		-x "$_w" -y "$_h" "$_cmd" ||
		fail "tmux new-session: expected a session, found an error"
	tm kill-session -t "$_old" >/dev/null 2>&1
	return 0
}

# tm_resize W H: resize the session's window.
tm_resize() {
	tm resize-window -t "$TM_SESSION" -x "$1" -y "$2" ||
		fail "tmux resize-window -x $1 -y $2: expected it resized"
}

# tm_keys KEY...: tmux key names (Enter, Escape, BTab, j ...).
tm_keys() {
	tm send-keys -t "$TM_SESSION" "$@" || fail "tmux send-keys $*: expected the keys sent"
}

# tm_type TEXT: TEXT typed literally.
tm_type() {
	tm send-keys -t "$TM_SESSION" -l "$1" || fail "tmux send-keys -l $1: expected the keys sent"
}

# tm_capture [-e]: the pane's text into $TM_SCREEN (-e: with attributes).
tm_capture() {
	tm capture-pane -t "$TM_SESSION" -p "$@" >"$TM_SCREEN" 2>/dev/null || : >"$TM_SCREEN"
}

# tm_save NAME: a copy of the last capture as $SCRATCH/NAME, for the log.
tm_save() {
	cp "$TM_SCREEN" "$SCRATCH/$1"
}

# tm_show: the screen, for a failure message.
tm_show() {
	printf '  screen:\n'
	sed 's/^/    |/' "$TM_SCREEN"
}

# tm_fail WHAT: fail with the screen.
tm_fail() {
	printf 'FAIL: %s\n' "$1"
	tm_show
	exit 1
}

# tm_poll GREP-ARGS...: poll the screen for up to 5 s until grep
# GREP-ARGS matches it; returns 1 when it never did.
tm_poll() {
	_i=0
	while [ "$_i" -lt 50 ]; do
		tm_capture
		grep -q "$@" "$TM_SCREEN" && return 0
		tm_nap
		_i=$((_i + 1))
	done
	return 1
}

# tm_poll_gone GREP-ARGS...: poll until grep GREP-ARGS no longer matches.
tm_poll_gone() {
	_i=0
	while [ "$_i" -lt 50 ]; do
		tm_capture
		grep -q "$@" "$TM_SCREEN" || return 0
		tm_nap
		_i=$((_i + 1))
	done
	return 1
}

# tm_expect WHAT TEXT: the screen shows TEXT (fixed string) within 5 s.
tm_expect() {
	tm_poll -F -e "$2" ||
		tm_fail "$1: expected the screen to show \"$2\" within 5 s"
	ok "$1"
}

# tm_expect_re WHAT REGEX: a line of the screen matches REGEX (grep -E)
# within 5 s.
tm_expect_re() {
	tm_poll -E -e "$2" ||
		tm_fail "$1: expected a screen line matching /$2/ within 5 s"
	ok "$1"
}

# tm_expect_gone WHAT REGEX: no line matches REGEX (grep -E) within 5 s.
tm_expect_gone() {
	tm_poll_gone -E -e "$2" ||
		tm_fail "$1: expected no screen line matching /$2/ within 5 s, found: $(grep -E -e "$2" "$TM_SCREEN" | head -n 1)"
	ok "$1"
}

# tm_expect_not WHAT REGEX: after half a second for the dashboard to
# answer, no line matches REGEX (grep -E).
tm_expect_not() {
	tm_settle
	tm_capture
	if grep -q -E -e "$2" "$TM_SCREEN"; then
		tm_fail "$1: expected no screen line matching /$2/, found: $(grep -E -e "$2" "$TM_SCREEN" | head -n 1)"
	fi
	ok "$1"
}

# tm_line N: line N (1-based) of the last capture.
tm_line() {
	sed -n "${1}p" "$TM_SCREEN"
}

# tm_pid: the process id of the current session's dashboard.
tm_pid() {
	_i=0
	while [ "$_i" -lt 50 ] && [ ! -s "$TM_PIDFILE" ]; do
		tm_nap
		_i=$((_i + 1))
	done
	cat "$TM_PIDFILE" 2>/dev/null
}

# tm_expect_exited WHAT: within 5 s the dashboard's process is gone, the
# launcher printed "fairtop exited 0", the shell prompt is back, and the
# terminal is out of the alternate screen with its cursor visible.
tm_expect_exited() {
	_pid=$(tm_pid)
	[ -n "$_pid" ] || fail "$1: expected fairtop's process id in $TM_PIDFILE"
	_i=0
	while [ "$_i" -lt 50 ] && kill -0 "$_pid" 2>/dev/null; do
		tm_nap
		_i=$((_i + 1))
	done
	if kill -0 "$_pid" 2>/dev/null; then
		tm_capture
		tm_fail "$1: expected fairtop (pid $_pid) to exit within 5 s, it still runs"
	fi
	tm_poll -e '^fairtop exited [0-9]*$' ||
		tm_fail "$1: expected the line 'fairtop exited N' once fairtop is gone"
	grep -q -x -e 'fairtop exited 0' "$TM_SCREEN" ||
		tm_fail "$1: expected fairtop to exit with 0"
	tm_poll -e '^ft\$' ||
		tm_fail "$1: expected the shell prompt 'ft\$ ' once fairtop is gone"
	_f=$(tm display-message -t "$TM_SESSION" -p '#{alternate_on} #{cursor_flag}')
	[ "$_f" = "0 1" ] ||
		tm_fail "$1: expected the terminal restored (tmux alternate_on 0, cursor_flag 1), found '$_f'"
	ok "$1"
}

# tm_expect_running WHAT: the dashboard runs, in the alternate screen.
tm_expect_running() {
	_pid=$(tm_pid)
	kill -0 "$_pid" 2>/dev/null ||
		{ tm_capture; tm_fail "$1: expected fairtop (pid '$_pid') to run"; }
	_f=$(tm display-message -t "$TM_SESSION" -p '#{alternate_on}')
	[ "$_f" = 1 ] || { tm_capture; tm_fail "$1: expected the alternate screen on, found alternate_on '$_f'"; }
	ok "$1"
}

# tm_run_row RUN: a regex for RUN's row in the Runs view (the mark column,
# 3 wide, then a space, then the run id).
tm_run_row() {
	printf '^[ D][ F]  %s ' "$1"
}
