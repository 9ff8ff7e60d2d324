#!/bin/sh
# run.sh NAME...: run each fuzzer (the Makefile's FUZZ_NAMES) for
# FUZZ_SECONDS (default 20) on its corpus: the seeds
# under tests/fuzz/seeds/NAME plus what earlier runs found (kept in
# tests/fuzz/work/NAME, not committed).  Crashes are written to
# tests/fuzz/work/crash-NAME-*; keep each as a regression seed once fixed.
# FUZZ_JOBS fuzzers run at once (default: one per core), each on its
# own corpus and log; their results print in the order named.
cd "$(dirname "$0")/../.." || exit 70
seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
passed=0
failed=0

# fuzz_one NAME: run it; its exit status into tests/fuzz/work/NAME.rc
fuzz_one() {
	work=tests/fuzz/work/$1
	mkdir -p "$work"
	tests/fuzz/fuzz_$1 -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="tests/fuzz/work/crash-$1-" \
		"$work" "tests/fuzz/seeds/$1" >"tests/fuzz/work/$1.log" 2>&1
	echo $? >"tests/fuzz/work/$1.rc"
}

# report NAME: say how it went, count it
report() {
	log=tests/fuzz/work/$1.log
	if [ "$(cat "tests/fuzz/work/$1.rc" 2>/dev/null)" = 0 ]; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok   fuzz $1: ${runs:-?} executions in ${seconds} s, no crash"
		passed=$((passed + 1))
	else
		echo "FAIL fuzz $1: see $log"
		tail -n 30 "$log" | sed 's/^/     /'
		failed=$((failed + 1))
	fi
}

mkdir -p tests/fuzz/work
batch=""
n=0
for name in "$@"; do
	rm -f "tests/fuzz/work/$name.rc"
	fuzz_one "$name" &
	batch="$batch $name"
	n=$((n + 1))
	if [ "$n" -ge "$jobs" ]; then
		wait
		for b in $batch; do report "$b"; done
		batch=""
		n=0
	fi
done
wait
for b in $batch; do report "$b"; done
echo "fuzz: $passed passed, $failed failed"
[ -n "${FAIRTOP_COUNTS:-}" ] && echo "$passed $failed" >>"$FAIRTOP_COUNTS"
[ "$failed" -eq 0 ]
