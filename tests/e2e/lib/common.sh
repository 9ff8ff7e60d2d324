# common.sh — helpers for the end-to-end scripts tests/e2e/tNNNN-*.sh.
#
# Source it after run.sh has set TOP, FAIRTOP and SCRATCH:
#     . "$TOP/tests/e2e/lib/common.sh"
# POSIX sh only.  Every helper prints what it checks; a failure prints
# "FAIL: what (expected ..., found ...)" and exits 1 at once.
#
# What run.sh counts, from the start of a line: "ok   WHAT" is a check
# passed, "FAIL: WHAT" a check failed (the lines after it, up to the
# next such line or "== section", are shown under it), "skip: WHY" is
# shown as it is.  Anything else is kept in the log only.  So one check
# is one line: WHAT holds no newline.  SCRATCH is the script's own
# folder, under a directory of the run's (tests/e2e/tmp/run.XXXXXX);
# whatever the script starts must be stopped when it exits, however it
# exits (an EXIT trap, as lib/tmux.sh has): run.sh fails the script for
# a process left running with SCRATCH in its environment.

: "${TOP:?run through tests/e2e/run.sh (TOP unset)}"
: "${FAIRTOP:?run through tests/e2e/run.sh (FAIRTOP unset)}"
: "${SCRATCH:?run through tests/e2e/run.sh (SCRATCH unset)}"

LIB="$TOP/tests/e2e/lib"
NL='
'
# every run of fairtop here is in the C locale unless a test says
# otherwise, without colour, and with no store taken from the caller
LC_ALL=C
export LC_ALL
NO_COLOR=1
export NO_COLOR
unset FAIRTOP_DB FAIRTOP_POLICY
# nor a policy from the caller's ~/.config/fairtop or /etc/xdg/fairtop:
# the search's folders are the script's own, empty unless it fills them
XDG_CONFIG_HOME=$SCRATCH/xdg-config-home
XDG_CONFIG_DIRS=$SCRATCH/xdg-config-dirs
export XDG_CONFIG_HOME XDG_CONFIG_DIRS

checks=0

say() {
	printf '%s\n' "$*"
}

fail() {
	printf 'FAIL: %s\n' "$*"
	exit 1
}

ok() {
	checks=$((checks + 1))
	printf 'ok   %s\n' "$*"
}

# run OUT ERR CMD... : run CMD with stdout in OUT and stderr in ERR; the
# exit code is left in $rc.
run() {
	_out=$1
	_err=$2
	shift 2
	"$@" >"$_out" 2>"$_err"
	rc=$?
}

# show_file FILE: its content, indented, for a failure message.
show_file() {
	if [ -s "$1" ]; then
		sed 's/^/    | /' "$1" | head -n 20
	else
		printf '    (empty)\n'
	fi
}

# expect_rc WHAT EXPECTED [ERRFILE]: $rc must be EXPECTED.
expect_rc() {
	if [ "$rc" -ne "$2" ]; then
		printf 'FAIL: %s: expected exit code %s, found %s\n' "$1" "$2" "$rc"
		if [ -n "${3:-}" ]; then
			printf '  stderr:\n'
			show_file "$3"
		fi
		exit 1
	fi
}

# one_line FILE: the file holds exactly one line; prints it.
one_line() {
	_n=$(wc -l <"$1" | tr -d ' ')
	[ "$_n" -eq 1 ] || return 1
	# a last line without a newline would not be counted by wc
	[ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || return 1
	cat "$1"
}

# expect_json WHAT FILE: FILE is valid JSON (python3 -m json.tool).
expect_json() {
	if ! python3 -m json.tool "$2" >/dev/null 2>"$2.jsonerr"; then
		printf 'FAIL: %s: expected valid JSON, python3 -m json.tool says:\n' "$1"
		show_file "$2.jsonerr"
		printf '  found:\n'
		show_file "$2"
		exit 1
	fi
}

# expect_contains WHAT FILE TEXT: FILE holds TEXT (fixed string).
expect_contains() {
	if ! grep -F -e "$3" "$2" >/dev/null; then
		printf 'FAIL: %s: expected the text "%s", found:\n' "$1" "$3"
		show_file "$2"
		exit 1
	fi
}

# no_control_bytes WHAT FILE: no ESC, BEL, U+202E (e2 80 ae) or C1 CSI
# U+009B (c2 9b) bytes.
no_control_bytes() {
	_hex=$(od -An -v -tx1 "$2" | tr -s ' \n' '  ')
	for _b in 1b 07; do
		case " $_hex " in
		*" $_b "*)
			printf 'FAIL: %s: expected no raw 0x%s byte, found one:\n' "$1" "$_b"
			od -c "$2" | grep -n -m 3 -e '033' -e '\\a' | sed 's/^/    /'
			exit 1
			;;
		esac
	done
	case " $_hex " in
	*" e2 80 ae "*)
		printf 'FAIL: %s: expected no raw U+202E (RIGHT-TO-LEFT OVERRIDE), found one\n' "$1"
		exit 1
		;;
	*" c2 9b "*)
		printf 'FAIL: %s: expected no raw U+009B (C1 CSI), found one\n' "$1"
		exit 1
		;;
	esac
}

# make_run DIR ID [MODEL]: a small valid run folder (run.csv,
# predictions.csv with score and weight, metrics.csv).
make_run() {
	mkdir -p "$1"
	printf 'key,value\nrun,%s\nmodel,%s\nstarted_at,2026-01-22T14:05:00Z\nbeta_factor,1\nsensitive,sex\n' \
		"$2" "${3:-m}" >"$1/run.csv"
	printf 'y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,0.2,1,M\n1,0,0.4,1,M\n0,1,0.7,1,F\n' \
		>"$1/predictions.csv"
	printf 'step,timestamp,metric,group,value\n1,2026-01-22T14:05:00Z,accuracy,,0.5\n' \
		>"$1/metrics.csv"
}

# done_ok: the closing line.
done_ok() {
	say "all $checks checks passed"
	exit 0
}

# Soft checks, for a script that reports every check even after one has
# failed (t2300): not_ok prints "FAIL: what" like fail but goes on;
# done_counts NAME prints "NAME: N passed, N failed" and exits 1 when a
# check failed, 0 otherwise.
failed_checks=0

not_ok() {
	failed_checks=$((failed_checks + 1))
	printf 'FAIL: %s\n' "$*"
}

done_counts() {
	say "$1: $checks passed, $failed_checks failed"
	[ "$failed_checks" -eq 0 ] || exit 1
	exit 0
}
