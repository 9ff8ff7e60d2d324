#!/bin/sh
# run.sh — run the end-to-end scripts tests/e2e/tNNNN-*.sh and count
# their checks, as git's test suite does.
#
#     sh tests/e2e/run.sh            every script
#     sh tests/e2e/run.sh t1000 t13  the scripts whose names start so
#
# Each script runs from the top of the tree with TOP, FAIRTOP and
# SCRATCH set; SCRATCH is a folder of its own under this run's
# directory, tests/e2e/tmp/run.XXXXXX (mktemp), so two runs in one tree
# never share a folder.  A script prints "ok   WHAT" for each check that
# passed and "FAIL: WHAT" for one that failed (lib/common.sh), and may
# stop at its first failure.  Its output goes to SCRATCH.log, which this
# runner reads once the script has ended, printing each check numbered
# across the run:
#
#     ok 266 - t1000-deploy: deploy r05: exit 1
#     not ok 267 - t1000-deploy: deploy r05: expected exit code 1, found 0
#     #   (the lines the script printed after its FAIL line, up to 20)
#
# and a line per script: "# t1000-deploy: 52 ok, 1 not ok, exit 1 (6 s)".
# A script that exits non-zero without a FAIL line fails one check,
# "script exited N".  A script must stop what it started (tmux servers,
# fairtop in the background: the EXIT traps of lib/tmux.sh, t1800,
# t1900): a process still running after it ended, with the script's
# SCRATCH in its environment, fails one check more and is stopped here.
#
# At the end, the failed checks again, then the total line
#     e2e: N passed, N failed
# counting checks, not scripts; "N N" is appended to $FAIRTOP_COUNTS
# (make check sums those).  The run's directory is removed when every
# check passed, else kept, and named.  Exit 0 when every check passed.
cd "$(dirname "$0")/../.." || exit 70
top=$(pwd)
want=$*
mkdir -p tests/e2e/tmp || exit 70
run_dir=$(mktemp -d "$top/tests/e2e/tmp/run.XXXXXX") || {
	echo "e2e: could not make a folder under tests/e2e/tmp" >&2
	exit 70
}
# as open as tests/e2e/tmp: t1900 runs fairtop as another user in its
# scratch folder
chmod 755 "$run_dir"
shown_dir=${run_dir#"$top"/}
failures="$run_dir/failures"
: >"$failures"
n=0
passed=0
failed=0
ran=0
interrupted=
trap 'interrupted=SIGINT' INT
trap 'interrupted=SIGTERM' TERM
trap 'interrupted=SIGHUP' HUP

# nap: a tenth of a second (a second where sleep takes integers only).
nap() {
	sleep 0.1 2>/dev/null || sleep 1
}

# chosen NAME: NAME starts with one of the names given, or none was.
chosen() {
	[ -z "$want" ] && return 0
	for _w in $want; do
		case "$1" in
		"$_w"*) return 0 ;;
		esac
	done
	return 1
}

# not_ok WHAT: one failed check more, printed and listed for the end.
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	printf 'not ok %d - %s\n' "$n" "$1" | tee -a "$failures"
}

# diag FILE: the last lines of FILE as comments.
diag() {
	tail -n 10 "$1" | sed 's/^/#   /'
}

# leftovers SCRATCH: "PID (NAME)" of each live process whose environment
# holds SCRATCH=SCRATCH, one a line.  Linux (/proc) and GNU grep (-z);
# elsewhere nothing is found.  One grep for every process: starting a
# process per process costs seconds on a slow machine.
leftovers() {
	[ -r /proc/self/environ ] || return 0
	grep -l -s -z -x -F -e "SCRATCH=$1" /proc/[0-9]*/environ 2>/dev/null |
		while IFS= read -r _f; do
			_p=${_f#/proc/}
			_p=${_p%/environ}
			printf '%s (%s)\n' "$_p" "$(cat "/proc/$_p/comm" 2>/dev/null)"
		done
}

# stop_leftovers SCRATCH: wait up to 2 s for what the script started to
# end on its own; stop what is still running (TERM, then KILL) and fail
# a check naming it.
stop_leftovers() {
	_left=$(leftovers "$1")
	_i=0
	while [ -n "$_left" ] && [ "$_i" -lt 20 ]; do
		nap
		_left=$(leftovers "$1")
		_i=$((_i + 1))
	done
	[ -n "$_left" ] || return 0
	_pids=$(printf '%s\n' "$_left" | cut -d ' ' -f 1)
	# shellcheck disable=SC2086 # a list of process ids, split on purpose
	kill $_pids 2>/dev/null
	_i=0
	while [ "$_i" -lt 20 ] && [ -n "$(leftovers "$1")" ]; do
		nap
		_i=$((_i + 1))
	done
	_still=$(leftovers "$1" | cut -d ' ' -f 1)
	# shellcheck disable=SC2086 # the same
	[ -n "$_still" ] && kill -9 $_still 2>/dev/null
	not_ok "$name: still running after the script ended (stopped by run.sh): $(printf '%s\n' "$_left" | tr '\n' ' ' | sed 's/ *$//; s/) /), /g')"
}

# report LOG: each check of the script's output LOG, numbered from n+1;
# the counts "passed failed" go to $run_dir/counts.
report() {
	awk -v name="$name" -v n="$n" -v failures="$failures" \
		-v counts="$run_dir/counts" '
	function clean(s) {
		gsub(/[\001-\010\013-\037\177]/, "?", s)
		return s
	}
	/^ok[: ] */ {
		sub(/^ok:? +/, "")
		n++
		ok++
		printf "ok %d - %s: %s\n", n, name, clean($0)
		indiag = 0
		next
	}
	/^FAIL: / {
		sub(/^FAIL: +/, "")
		n++
		bad++
		line = sprintf("not ok %d - %s: %s", n, name, clean($0))
		print line
		print line >>failures
		indiag = 1
		shown = 0
		next
	}
	/^skip/ {
		printf "# %s: %s\n", name, clean($0)
		indiag = 0
		next
	}
	/^== / { indiag = 0; next }
	indiag {
		if (shown < 20)
			printf "#   %s\n", clean($0)
		else if (shown == 20)
			printf "#   ... (more in the log)\n"
		shown++
	}
	END { printf "%d %d\n", ok, bad >counts }
	' "$1"
}

for t in tests/e2e/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	chosen "$name" || continue
	[ -n "$interrupted" ] && break
	ran=$((ran + 1))
	scratch="$run_dir/$name"
	log="$scratch.log"
	mkdir -p "$scratch"
	failed_before=$failed
	start=$(date +%s)
	TOP="$top" FAIRTOP="$top/fairtop" SCRATCH="$scratch" \
		sh "$t" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	report "$log"
	read -r ok bad <"$run_dir/counts"
	n=$((n + ok + bad))
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		not_ok "$name: script exited $rc"
		diag "$log"
	fi
	stop_leftovers "$scratch"
	bad=$((failed - failed_before))
	line="# $name: $ok ok"
	[ "$bad" -gt 0 ] && line="$line, $bad not ok"
	[ "$rc" -ne 0 ] && line="$line, exit $rc"
	[ "$ok" -eq 0 ] && [ "$bad" -eq 0 ] && line="$line (no check printed)"
	printf '%s (%d s)\n' "$line" "$secs"
done
rm -f "$run_dir/counts"

if [ "$ran" -eq 0 ]; then
	echo "e2e: no script tests/e2e/t*.sh matches: $want" >&2
	rm -rf "$run_dir"
	rmdir tests/e2e/tmp 2>/dev/null
	exit 2
fi
[ -n "$interrupted" ] && not_ok "run.sh: interrupted by $interrupted after $ran scripts"
if [ "$failed" -gt 0 ]; then
	echo "# failed checks:"
	sed 's/^/#   /' "$failures"
	echo "# kept for a look: $shown_dir (each script's output in NAME.log, its files in NAME/)"
else
	# a script may leave a folder read-only (t1900 restores them)
	chmod -R u+w "$run_dir" 2>/dev/null
	rm -rf "$run_dir" ||
		echo "# could not remove $shown_dir"
	rmdir tests/e2e/tmp 2>/dev/null
fi
echo "e2e: $passed passed, $failed failed"
[ -n "${FAIRTOP_COUNTS:-}" ] && echo "$passed $failed" >>"$FAIRTOP_COUNTS"
[ "$failed" -eq 0 ]
