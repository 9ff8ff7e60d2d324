#!/bin/sh
# tests/bench/ingest_bench.sh — a folder of many runs into the store
# (`make bench`), side by side with sqlite3's own .import of the same
# rows.
#
# Generates (once, reused) RUNS run folders (default 1000) with
# tests/bench/genruns.py: 16 groups x STEPS steps of counts (default
# 200) and two metrics at STEPS steps each.  Then, one after another,
# best of ROUNDS (default 3):
#
#   - `fairtop ingest` of the folder into a fresh store;
#   - `sqlite3` .import of the same counts and metric rows (one CSV of
#     each, the run's name as a first column) into two plain tables of
#     a fresh database: the floor, SQLite's own CSV import;
#   - `fairtop ingest` of a folder of RUNS tiny runs (one step, one
#     group, one metric point): time per run, the fixed cost of a run
#     (files opened, the run's rows, judging it on arrival, its alerts).
#
# And the store's size per stored row (confusion rows + metric points;
# the file after fairtop closed it, WAL checkpointed), and peak RSS.
# Targets (issue 17): fairtop within 1.5x the .import time, at most 40
# bytes per stored row, a run's fixed cost under 1 ms.  A miss prints
# MISS; exit 0 anyway (the figures are for people), 1 when the bench
# cannot run.  Environment: INGEST_RUNS, INGEST_STEPS, BENCH_ROUNDS.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$top" || exit 1
RUNS=${INGEST_RUNS:-1000}
STEPS=${INGEST_STEPS:-200}
ROUNDS=${BENCH_ROUNDS:-3}
FAIRTOP=${FAIRTOP:-$top/fairtop}
work=$top/tests/bench/work/ingest-$RUNS-$STEPS
die() {
	echo "bench: $*" >&2
	exit 1
}
command -v sqlite3 >/dev/null 2>&1 ||
	die "sqlite3 (the shell) is missing: apt-get install sqlite3"
[ -x "$FAIRTOP" ] || die "$FAIRTOP is missing: run 'make bench'"
if [ ! -f "$work/.done" ]; then
	rm -rf "$work"
	mkdir -p "$work/runs" "$work/tiny" || die "cannot create $work"
	echo "bench: generating $RUNS runs x 16 groups x $STEPS steps..." >&2
	python3 tests/bench/genruns.py "$work/runs" "$RUNS" "$STEPS" ||
		die "generator failed"
	python3 tests/bench/genruns.py "$work/tiny" "$RUNS" 1 1 ||
		die "generator failed"
	# the same rows for sqlite3: the run's folder name first
	for d in "$work"/runs/*/; do
		r=$(basename "$d")
		awk -v r="$r" 'NR > 1 { print r "," $0 }' "$d/counts.csv" >>"$work/counts.csv"
		awk -v r="$r" 'NR > 1 { print r "," $0 }' "$d/metrics.csv" >>"$work/metrics.csv"
	done
	touch "$work/.done"
fi
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
best() {
	if [ -z "$1" ]; then echo "$2"; else
		awk -v a="$1" -v b="$2" 'BEGIN { print (b < a) ? b : a }'; fi
}
db=$work/store.db
fresh() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }
t_ft='' t_imp='' t_tiny=''
i=1
while [ "$i" -le "$ROUNDS" ]; do
	echo "bench: round $i of $ROUNDS, $RUNS runs..." >&2
	fresh "$db"
	t0=$(now)
	"$FAIRTOP" --db "$db" ingest "$work/runs" >"$work/ingest.out" 2>&1 ||
		die "fairtop ingest failed: $(tail -3 "$work/ingest.out")"
	t1=$(now)
	t_ft=$(best "$t_ft" "$(elapsed "$t0" "$t1")")

	fresh "$work/import.db"
	t0=$(now)
	sqlite3 -batch "$work/import.db" <<SQL || die "sqlite3 .import failed"
CREATE TABLE counts (run TEXT, step INTEGER, grp TEXT, tp INTEGER, fp INTEGER, tn INTEGER, fn INTEGER);
CREATE TABLE metrics (run TEXT, step INTEGER, timestamp TEXT, metric TEXT, grp TEXT, value REAL);
.import --csv $work/counts.csv counts
.import --csv $work/metrics.csv metrics
SQL
	t1=$(now)
	t_imp=$(best "$t_imp" "$(elapsed "$t0" "$t1")")

	fresh "$work/tiny.db"
	t0=$(now)
	"$FAIRTOP" --db "$work/tiny.db" ingest "$work/tiny" >"$work/ingest.out" 2>&1 ||
		die "fairtop ingest of the tiny runs failed: $(tail -3 "$work/ingest.out")"
	t1=$(now)
	t_tiny=$(best "$t_tiny" "$(elapsed "$t0" "$t1")")
	i=$((i + 1))
done
rss=''
if /usr/bin/time -v true >/dev/null 2>&1; then
	fresh "$db"
	/usr/bin/time -v -o "$work/time.out" "$FAIRTOP" --db "$db" ingest "$work/runs" \
		>"$work/ingest.out" 2>&1 || die "fairtop ingest failed"
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$work/time.out" |
		awk '{ printf "%.1f", $1 * 1024 / 1e6 }')
fi
stored=$(sqlite3 -batch "$db" "SELECT (SELECT count(*) FROM confusion) + (SELECT count(*) FROM metrics)")
inrows=$(cat "$work/counts.csv" "$work/metrics.csv" | wc -l | tr -d ' ')
bytes=$(cat "$db" "$db-wal" 2>/dev/null | wc -c | tr -d ' ')
imp_bytes=$(wc -c <"$work/import.db" | tr -d ' ')
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo MISS; fi; }
ratio=$(awk -v a="$t_ft" -v b="$t_imp" 'BEGIN { printf "%.2f", a / b }')
bpr=$(awk -v b="$bytes" -v n="$stored" 'BEGIN { printf "%.1f", b / n }')
ibpr=$(awk -v b="$imp_bytes" -v n="$inrows" 'BEGIN { printf "%.1f", b / n }')
fixed=$(awk -v t="$t_tiny" -v n="$RUNS" 'BEGIN { printf "%.2f", 1000 * t / n }')
echo
echo "ingest of a folder: $RUNS runs x 16 groups x $STEPS steps, best of $ROUNDS" \
	"($(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null))"
printf '%-44s %-30s %-30s %s\n' "measure" "fairtop" "sqlite3 .import (plain tables)" "target"
printf '%-44s %-30s %-30s %s\n' "time" "$t_ft s" "$t_imp s" "fairtop <= 1.5x: $ratio x $(verdict "$ratio <= 1.5")"
printf '%-44s %-30s %-30s %s\n' "rows" "$stored stored" "$inrows imported" ""
printf '%-44s %-30s %-30s %s\n' "rows/s" \
	"$(awk -v n="$stored" -v t="$t_ft" 'BEGIN { printf "%.0f", n / t }')" \
	"$(awk -v n="$inrows" -v t="$t_imp" 'BEGIN { printf "%.0f", n / t }')" ""
printf '%-44s %-30s %-30s %s\n' "per run" \
	"$(awk -v t="$t_ft" -v n="$RUNS" 'BEGIN { printf "%.2f ms", 1000 * t / n }')" \
	"$(awk -v t="$t_imp" -v n="$RUNS" 'BEGIN { printf "%.2f ms", 1000 * t / n }')" ""
printf '%-44s %-30s %-30s %s\n' "file size" \
	"$(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }')" \
	"$(awk -v b="$imp_bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }')" ""
printf '%-44s %-30s %-30s %s\n' "bytes per row" "$bpr" "$ibpr" "<= 40: $(verdict "$bpr <= 40")"
printf '%-44s %-30s %-30s %s\n' "a run's fixed cost ($RUNS runs of 1 row)" "$fixed ms" "" "< 1 ms: $(verdict "$fixed < 1")"
[ -n "$rss" ] && printf '%-44s %-30s %-30s %s\n' "peak RSS, fairtop ingest" "$rss MB" "" ""
exit 0
