#!/bin/sh
# tests/bench/scale_bench.sh — how fairtop grows with the runs in the
# store (`make bench-scale`, not part of `make bench`: 100,000 runs take
# many minutes).
#
# For each count in SCALE_RUNS (default "1000 10000 100000"): generates
# (once, reused) that many small runs with tests/bench/genruns.py (4
# groups x SCALE_STEPS steps of counts, default 5, and two metrics),
# ingests them into a fresh store, then measures the ingest time per
# run, the store's size, `fairtop runs` (time and peak RSS, output to
# /dev/null) and the dashboard (`--bench-frames 5`: first frame and
# refresh of each view, in ms).  One round each, one after another.
# FAIRTOP names another binary to measure (default: the tree's).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$top" || exit 1
COUNTS=${SCALE_RUNS:-1000 10000 100000}
STEPS=${SCALE_STEPS:-5}
FAIRTOP=${FAIRTOP:-$top/fairtop}
[ -x "$FAIRTOP" ] || { echo "bench: $FAIRTOP is missing" >&2; exit 1; }
now() { date +%s.%N; }
mkdir -p "$top/tests/bench/work" || exit 1
out=$top/tests/bench/work/scale.out
: >"$out"
for n in $COUNTS; do
	work=$top/tests/bench/work/scale-$n-$STEPS
	if [ ! -f "$work/.done" ]; then
		rm -rf "$work"
		mkdir -p "$work/runs" || exit 1
		echo "bench: generating $n runs..." >&2
		python3 tests/bench/genruns.py "$work/runs" "$n" "$STEPS" 4 || exit 1
		touch "$work/.done"
	fi
	db=$work/store.db
	rm -f "$db" "$db-wal" "$db-shm"
	echo "bench: ingesting $n runs..." >&2
	t0=$(now)
	"$FAIRTOP" --db "$db" ingest "$work/runs" >/dev/null 2>"$work/ingest.err" ||
		{ echo "bench: ingest failed: $(tail -3 "$work/ingest.err")" >&2; exit 1; }
	t1=$(now)
	size=$(cat "$db" "$db-wal" 2>/dev/null | wc -c | tr -d ' ')
	t0r=$(now)
	/usr/bin/time -v -o "$work/time.out" "$FAIRTOP" --db "$db" runs >/dev/null ||
		{ echo "bench: runs failed" >&2; exit 1; }
	t1r=$(now)
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$work/time.out")
	"$FAIRTOP" --db "$db" --bench-frames 5 >"$work/frames.out" ||
		{ echo "bench: --bench-frames failed" >&2; exit 1; }
	frames=$(awk 'NR > 1 { printf "%s%s %s/%s", (NR > 2 ? ", " : ""), $1, $2, $3 }' "$work/frames.out")
	awk -v n="$n" -v a="$t0" -v b="$t1" -v s="$size" -v ra="$t0r" -v rb="$t1r" \
	    -v rss="$rss" -v fr="$frames" 'BEGIN {
		printf "| %d | %.2f ms | %.1f MB | %.2f s, %.1f MB | %s |\n",
		    n, 1000 * (b - a) / n, s / 1e6, rb - ra, rss * 1024 / 1e6, fr }' >>"$out"
done
echo
echo "growth with the runs in the store: runs of 4 groups x $STEPS steps" \
	"($(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null))"
echo "| runs | ingest per run | store | \`runs\`: time, peak RSS | dashboard, ms: view first/refresh |"
echo "|---|---|---|---|---|"
cat "$out"
exit 0
