#!/bin/sh
# run.sh NAME...: run each fuzzer (the Makefile's FUZZ_NAMES) for
# FUZZ_SECONDS (default 20) on its corpus: the seeds
# under tests/fuzz/seeds/NAME plus what earlier runs found (kept in
# tests/fuzz/work/NAME, not committed).  Crashes are written to
# tests/fuzz/work/crash-NAME-*; keep each as a regression seed once fixed.
cd "$(dirname "$0")/../.." || exit 70
seconds=${FUZZ_SECONDS:-20}
passed=0
failed=0
for name in "$@"; do
	bin=tests/fuzz/fuzz_$name
	work=tests/fuzz/work/$name
	mkdir -p "$work"
	log=tests/fuzz/work/$name.log
	if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix="tests/fuzz/work/crash-$name-" \
		"$work" "tests/fuzz/seeds/$name" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok   fuzz $name: ${runs:-?} executions in ${seconds} s, no crash"
		passed=$((passed + 1))
	else
		echo "FAIL fuzz $name: see $log"
		tail -n 30 "$log" | sed 's/^/     /'
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ -n "${FAIRTOP_COUNTS:-}" ] && echo "$passed $failed" >>"$FAIRTOP_COUNTS"
[ "$failed" -eq 0 ]
