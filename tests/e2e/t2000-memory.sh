#!/bin/sh
# t2000-memory: the whole command-line flow under a memory checker: no
# memory error, no definite leak, in any command, on its success and on
# its error paths.
#
# The tool: valgrind memcheck (--error-exitcode=99 --leak-check=full
# --errors-for-leak-kinds=definite) when it is installed: it checks the
# very binary under test, and the flow below takes about a minute under
# it on two cores.  Else an ASan+UBSan+LSan build of fairtop, made in a
# copy of the tree under $SCRATCH (never in place).  T2000_TOOL=asan
# forces the second.  Without either the script is skipped.
#
# The flow, on a fresh store: ingest sample_runs (and again: refused),
# runs (text, json), show (text, json), compare, gate (fail, and a pass
# in junit), policy, alerts, ack, deploy --override, deploy with a
# failing hook, rollback --yes, rollback --dry-run, report (md, json),
# audit --verify, the dashboard off a terminal and one --bench-frames
# frame (every view drawn off screen); then
# bad input: a run with a bad label, a bad policy file, an unknown run,
# an unknown command, a missing store.  Each command must exit with its
# own code (never 99) and its log must show 0 errors and no definite
# leak.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/robust.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
o="$SCRATCH/out"
e="$SCRATCH/err"
logs="$SCRATCH/mem"
rm -rf "$logs"
mkdir -p "$logs"

tool=${T2000_TOOL:-}
if [ -z "$tool" ]; then
	if command -v valgrind >/dev/null 2>&1; then
		tool=valgrind
	else
		tool=asan
	fi
fi
bin="$FAIRTOP"
case "$tool" in
valgrind)
	command -v valgrind >/dev/null 2>&1 ||
		{ say "skip: valgrind is not installed (T2000_TOOL=valgrind)"; exit 0; }
	say "tool: valgrind memcheck ($(valgrind --version)): it checks the binary under test itself, and the whole flow fits the time budget under it"
	;;
asan)
	why="valgrind is not installed"
	[ -n "${T2000_TOOL:-}" ] && why="T2000_TOOL=asan"
	say "tool: AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer build ($why)"
	tree="$SCRATCH/asan-tree"
	rm -rf "$tree"
	mkdir -p "$tree"
	# a copy of what fairtop is built from (not the tests: we are in
	# their scratch folder), without objects, so that all is built anew
	(cd "$TOP" && tar cf - --exclude='*.o' --exclude='*.d' \
		Makefile core storage tui cli) | (cd "$tree" && tar xf -) ||
		fail "copying the sources of $TOP into $tree: expected a copy, found an error"
	if ! make -C "$tree" -B fairtop \
		CFLAGS='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		>"$SCRATCH/asan-build.log" 2>&1; then
		if grep -q -i -e 'sanitize' "$SCRATCH/asan-build.log"; then
			say "skip: the compiler cannot build with -fsanitize=address,undefined and valgrind is not installed"
			exit 0
		fi
		say "FAIL: make -B fairtop with ASan: expected a binary, found:"
		tail -n 20 "$SCRATCH/asan-build.log" | sed 's/^/    | /'
		exit 1
	fi
	bin="$tree/fairtop"
	ok "ASan+UBSan build: $bin"
	ASAN_OPTIONS="detect_leaks=1:exitcode=99:abort_on_error=0"
	UBSAN_OPTIONS="halt_on_error=1:exitcode=99:print_stacktrace=1"
	export ASAN_OPTIONS UBSAN_OPTIONS
	;;
*)
	fail "T2000_TOOL: expected valgrind or asan, found '$tool'"
	;;
esac

step=0
pending=""
# mem_start EXPECTED-RC LABEL ARGS...: start fairtop ARGS under the tool,
# in the background; its stdout, stderr, exit code and the tool's report
# go to $logs/NN-LABEL.{out,err,rc,log}.  mem_join checks it.
mem_start() {
	_want=$1
	_label=$2
	shift 2
	step=$((step + 1))
	_base="$logs/$(printf '%02d' "$step")-$_label"
	printf '%s\n' "$*" >"$_base.args"
	(
		if [ "$tool" = valgrind ]; then
			valgrind -q --error-exitcode=99 --leak-check=full \
				--errors-for-leak-kinds=definite --show-leak-kinds=definite \
				--log-file="$_base.log" "$bin" "$@" >"$_base.out" 2>"$_base.err" </dev/null
			echo $? >"$_base.rc"
		else
			ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$_base.log" \
				UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$_base.log" \
				"$bin" "$@" >"$_base.out" 2>"$_base.err" </dev/null
			echo $? >"$_base.rc"
			# log_path appends the process id
			cat "$_base.log".* >"$_base.log" 2>/dev/null
			rm -f "$_base.log".*
		fi
	) &
	pending="$pending $_base:$_want"
}

# mem_join: wait for the commands started, then check each: exit code as
# expected (never 99), the tool's report clean.  $o and $e are the output
# and error output of the last one.
mem_join() {
	wait
	for _p in $pending; do
		_base=${_p%:*}
		_want=${_p##*:}
		_label=${_base##*/}
		_label=${_label#[0-9][0-9]-}
		_args=$(cat "$_base.args")
		rc=$(cat "$_base.rc" 2>/dev/null)
		[ -n "$rc" ] || fail "fairtop $_args: expected an exit code, found none"
		touch "$_base.log"
		if [ "$rc" -eq 99 ] ||
			{ [ "$tool" = valgrind ] && grep -q -E -e 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]' "$_base.log"; } ||
			{ [ "$tool" = asan ] && [ -s "$_base.log" ]; }; then
			printf 'FAIL: fairtop %s: expected no memory error and no definite leak under %s, found (exit %s):\n' "$_args" "$tool" "$rc"
			head -n 60 "$_base.log" | sed 's/^/    | /'
			exit 1
		fi
		if [ "$rc" -ne "$_want" ]; then
			printf 'FAIL: fairtop %s (under %s): expected exit %s, found %s\n' "$_args" "$tool" "$_want" "$rc"
			show_file "$_base.err"
			exit 1
		fi
		ok "$_label: exit $rc, clean under $tool"
		o="$_base.out"
		e="$_base.err"
	done
	pending=""
}

# mem EXPECTED-RC LABEL ARGS...: one command, checked at once.
mem() {
	mem_start "$@"
	mem_join
}

db="$SCRATCH/mem.db"
rm -f "$db" "$db-wal" "$db-shm"
t0=$(date +%s)

say "== the flow (two commands at a time where they do not depend on each other)"
mem 0 ingest --db "$db" ingest "$TOP/sample_runs"
expect_contains "ingest sample_runs" "$o" "6 runs ingested, 0 refused"
mem_start 65 ingest-again --db "$db" ingest "$TOP/sample_runs"
mem_start 0 runs --db "$db" runs
mem_join
expect_contains "runs" "$o" "r05"
mem_start 0 show --db "$db" show r04
mem_start 0 runs-json --db "$db" runs --format json
mem_join
expect_json "runs --format json" "$o"
mem_start 0 compare --db "$db" compare r02 r05
mem_start 0 show-json --db "$db" show r05 --format json
mem_join
expect_json "show r05 --format json" "$o"
mem_start 1 gate-fail --db "$db" gate --baseline r02 --candidate r05
mem_start 0 gate-junit --db "$db" gate --baseline deployed --candidate r06 --format junit
mem_join
mem_start 0 policy --db "$db" policy
mem_start 0 alerts --db "$db" alerts --format csv
mem_join
id=$(awk -F, 'NR == 2 { print $1 }' "$o")
[ -n "$id" ] || fail "alerts --format csv: expected a first alert id, found none"
mem 0 ack --db "$db" ack "$id" --by a --note "t2000"
mem 0 deploy-override --db "$db" deploy r04 --reason "t2000 override" --by a --override
mem 1 deploy-hook-fails --db "$db" deploy r06 --reason "t2000 hook" --by a --exec "sh -c 'exit 3'"
mem 0 rollback --db "$db" rollback --reason "t2000 rollback" --yes --by a
mem_start 0 report --db "$db" report
mem_start 0 rollback-dry-run --db "$db" rollback --dry-run --reason x --by a
mem_join
mem_start 0 audit-verify --db "$db" audit --verify
mem_start 0 report-json --db "$db" report --format json
mem_join
expect_json "report --format json" "$o"
mem_start 0 dashboard-off-terminal --db "$db"
mem_start 0 dashboard-bench-frame --db "$db" --bench-frames 1
mem_join

say "== bad input"
bad="$SCRATCH/bad/b1"
mkdir -p "$bad"
printf 'key,value\nrun,b1\nmodel,m\nstarted_at,2026-01-01\n' >"$bad/run.csv"
printf 'y_true,y_pred,sex\n1,1,F\n0,x,M\n' >"$bad/predictions.csv"
printf '[fairness]\nmax_dp_diff = 1\n' >"$SCRATCH/bad.ini"
mem_start 65 bad-policy --db "$db" gate --baseline r02 --candidate r05 --policy "$SCRATCH/bad.ini"
mem_start 65 bad-run --db "$db" ingest "$bad"
mem_join
expect_contains "bad run" "$e" "predictions.csv:3"
mem_start 2 unknown-run --db "$db" show nope
mem_start 2 unknown-command --db "$db" frob
mem_join
mem 2 no-store --db "$SCRATCH/none.db" runs

t1=$(date +%s)
say "memory: $step commands under $tool in $((t1 - t0)) s: 0 errors, 0 definite leaks"
done_ok
