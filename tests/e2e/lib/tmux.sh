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
# (so that the dashboard's "by" field starts empty, as in CI), runs
# fairtop, prints "fairtop exited N" and then stays in a shell whose
# prompt is "ft$ ", so the pane survives fairtop.

TM_SOCK="ft-$$"
TM_SCREEN="$SCRATCH/screen.txt"

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

# tm_utf8_locale: the name of a UTF-8 locale, or nothing.
tm_utf8_locale() {
	for _l in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
		if locale -a 2>/dev/null | grep -qx "$_l"; then
			printf '%s\n' "$_l"
			return 0
		fi
	done
	_l=$(locale -a 2>/dev/null | grep -i -m 1 'utf-\{0,1\}8$')
	[ -n "$_l" ] && printf '%s\n' "$_l"
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

# tm_launcher FILE LOCALE COLOR [PIDFILE]: write the launcher script FILE.
# LOCALE is LANG and LC_ALL for fairtop; COLOR "no" sets NO_COLOR=1,
# anything else unsets it.  With PIDFILE, fairtop's process id is
# written there.  The script's arguments are fairtop's.
tm_launcher() {
	_nc="unset NO_COLOR"
	[ "$3" = no ] && _nc="NO_COLOR=1; export NO_COLOR"
	_pid=${4:-/dev/null}
	cat >"$1" <<EOF
unset USER LOGNAME
LANG='$2'; LC_ALL='$2'; TERM='$(tm_term)'
export LANG LC_ALL TERM
$_nc
sh -c 'echo \$\$ >"\$0"; exec "\$@"' '$_pid' '$FAIRTOP' "\$@"
echo "fairtop exited \$?"
PS1='ft\$ '; export PS1
exec sh
EOF
}

# tm_start W H SCRIPT ARGS...: a new detached session of W x H running
# sh SCRIPT ARGS (the server is started here, with -f /dev/null).
tm_start() {
	_w=$1
	_h=$2
	shift 2
	_cmd="sh"
	for _a in "$@"; do
		_cmd="$_cmd '$_a'"
	done
	tm_cleanup
	tmux -u -L "$TM_SOCK" -f /dev/null new-session -d -x "$_w" -y "$_h" \
		"$_cmd" ||
		fail "tmux new-session: expected a session, found an error"
	tm set-option -g remain-on-exit on >/dev/null 2>&1
}

# tm_keys KEY...: tmux key names (Enter, Escape, BTab, j ...).
tm_keys() {
	tm send-keys "$@" || fail "tmux send-keys $*: expected keys sent"
}

# tm_type TEXT: TEXT typed literally.
tm_type() {
	tm send-keys -l "$1" || fail "tmux send-keys -l $1: expected keys sent"
}

# tm_capture: the pane's text into $TM_SCREEN.
tm_capture() {
	tm capture-pane -p >"$TM_SCREEN" 2>/dev/null || : >"$TM_SCREEN"
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

# tm_expect_re WHAT REGEX: a line of the screen matches REGEX (grep -E).
tm_expect_re() {
	tm_poll -E -e "$2" ||
		tm_fail "$1: expected a screen line matching /$2/ within 5 s"
	ok "$1"
}

# tm_expect_gone WHAT TEXT: TEXT leaves the screen within 5 s.
tm_expect_gone() {
	tm_poll_gone -F -e "$2" ||
		tm_fail "$1: expected \"$2\" to leave the screen within 5 s"
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

# tm_settle: half a second, for keys that should change nothing.
tm_settle() {
	for _s in 1 2 3 4 5; do
		tm_nap
	done
}

# tm_line N: line N (1-based) of the last capture.
tm_line() {
	sed -n "${1}p" "$TM_SCREEN"
}

# tm_format FORMAT: a tmux format of the pane (#{pane_current_command}).
tm_format() {
	tm display-message -p -t "$(tm list-panes -F '#{pane_id}' | head -n 1)" "$1"
}

# tm_expect_command WHAT COMMAND: within 5 s, the pane's foreground
# process is COMMAND.
tm_expect_command() {
	_i=0
	while [ "$_i" -lt 50 ]; do
		_c=$(tm_format '#{pane_current_command}')
		[ "$_c" = "$2" ] && break
		tm_nap
		_i=$((_i + 1))
	done
	[ "$_c" = "$2" ] || {
		tm_capture
		tm_fail "$1: expected the pane to run $2, found '$_c'"
	}
	ok "$1"
}

# tm_run_row RUN: a regex for RUN's row in the Runs view (the mark column,
# 3 wide, then a space, then the run id).
tm_run_row() {
	printf '^[ D][ F]  %s ' "$1"
}
