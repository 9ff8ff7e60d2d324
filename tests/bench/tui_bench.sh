#!/bin/sh
# tests/bench/tui_bench.sh — the dashboard's speed on a large store.
#
# Builds (once, reused) a store of RUNS runs (default 1000), each with a
# counts.csv of 16 groups at STEPS steps (default 200) and a metric
# history of STEPS steps, ingested with fairtop; then runs
# `fairtop --bench-frames N` (each view rendered N times to a virtual
# screen) and prints the time to the first frame and per refresh, on
# the store as it is (no run deployed) and on a copy with the middle run
# deployed.
# Targets: first frame <= 50 ms, refresh <= 10 ms.  Exit 0 even on a
# miss: the figures are for people.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$top" || exit 1
RUNS=${TUI_RUNS:-1000}
STEPS=${TUI_STEPS:-200}
FRAMES=${TUI_FRAMES:-20}
# the store is made by this very binary (what ingest keeps, the schema):
# a rebuilt fairtop makes its own
stamp=$(cksum <"$top/fairtop" | cut -d' ' -f1)
work=$top/tests/bench/work/tui-$RUNS-$STEPS-$stamp
rm -rf $(ls -d "$top"/tests/bench/work/tui-$RUNS-$STEPS* 2>/dev/null |
	grep -v -e "-$stamp\$")
db=$work/store.db
if [ ! -f "$db" ] || [ ! -f "$work/.done" ]; then
	rm -rf "$work"
	mkdir -p "$work/runs"
	echo "bench: generating $RUNS runs x 16 groups x $STEPS steps..."
	python3 tests/bench/genruns.py "$work/runs" "$RUNS" "$STEPS" || exit 1
	echo "bench: ingesting them..."
	t0=$(date +%s.%N)
	"$top/fairtop" --db "$db" ingest "$work/runs" >/dev/null || exit 1
	t1=$(date +%s.%N)
	awk "BEGIN { printf \"bench: ingest took %.1f s\\n\", $t1 - $t0 }"
	touch "$work/.done"
fi
# The same store with a run deployed: every run's verdict is then
# judged against it (and kept between refreshes), the case the kept
# summaries alone cannot answer.  Made once, with the store.
deployed=$work/deployed.db
if [ ! -f "$deployed" ] || [ ! -f "$work/.deployed" ]; then
	rm -f "$deployed" "$deployed-wal" "$deployed-shm"
	cp "$db" "$deployed" || exit 1
	if [ -f "$db-wal" ]; then cp "$db-wal" "$deployed-wal" || exit 1; fi
	mid=$(printf 'run%04d' $((RUNS / 2)))
	"$top/fairtop" --db "$deployed" deploy "$mid" --reason bench \
		--by bench --override >/dev/null || exit 1
	touch "$work/.deployed"
fi

# table LABEL STORE: the timings of each view, with PASS/MISS.
table() {
	echo
	echo "dashboard, $1: $RUNS runs x 16 groups x $STEPS steps" \
		"($FRAMES frames per view)"
	"$top/fairtop" --db "$2" --bench-frames "$FRAMES" | awk '
		NR == 1 { print; next }
		{ first = $2; per = $3
		  printf "%s   %s %s\n", $0,
		    (first <= 50 ? "PASS" : "MISS"), (per <= 10 ? "PASS" : "MISS") }'
}
table "no run deployed" "$db"
table "$(printf 'run%04d' $((RUNS / 2))) deployed" "$deployed"
echo "targets: first frame <= 50 ms (first PASS/MISS), refresh <= 10 ms (second)"
exit 0
