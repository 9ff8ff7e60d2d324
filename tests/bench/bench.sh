#!/bin/sh
# tests/bench/bench.sh — ingest speed and memory of fairtop (`make bench`).
#
# Generates two bench runs with sample_runs/generate (1,000,000 and
# 10,000,000 prediction rows) in tests/bench/work/, reused while they are
# there with the same row count and the generator has not been rebuilt, then
# measures, one after another (never in parallel), best of 3 rounds:
#
#   - the wall-clock rate of `wc -l`, of tests/bench/csvbare (libcsv alone,
#     empty callbacks, one thread), of `fairtop --db FRESH ingest DIR` (two
#     threads) and of the same with `--threads 1`, on the 10M run;
#   - fairtop's ingest rate as a share of the bare libcsv rate: on two
#     threads (the default) target >= 100 %, the second core being there
#     to be used; per thread >= 70 %, both with --threads 1 and on two
#     threads (their share halved);
#   - fairtop's peak RSS (`/usr/bin/time -v`) ingesting the 1M and the 10M
#     runs (target < 16 MB: the readers stream, memory must not grow with
#     the rows).
#
# Rates are MB/s of predictions.csv (MB = 1,000,000 bytes; run.csv is a few
# dozen bytes); peak RSS is in MB of 1,000,000 bytes too.  Every ingest goes
# into a fresh store.  A missed target is printed as MISS, loudly, but the
# exit status stays 0: the figures are for people.  Exit 1 only when the
# bench itself cannot run (missing binary, generator or ingest failure).
#
# Environment: BENCH_SMALL, BENCH_LARGE (row counts, defaults 1000000 and
# 10000000) and BENCH_ROUNDS (default 3), for a quick try.
#
# Run from the top of the tree (make bench does); works from anywhere.

set -u

here=$(cd "$(dirname "$0")" && pwd) || exit 1
top=$(cd "$here/../.." && pwd) || exit 1
cd "$top" || exit 1

SMALL=${BENCH_SMALL:-1000000}
LARGE=${BENCH_LARGE:-10000000}
ROUNDS=${BENCH_ROUNDS:-3}
RATE_TARGET=100  # fairtop (two threads) >= 100 % of bare libcsv
RATE1_TARGET=70  # fairtop --threads 1 >= 70 % of bare libcsv
RSS_TARGET=16    # peak RSS < 16 MB

FAIRTOP=$top/fairtop
CSVBARE=$top/tests/bench/csvbare
GENERATE=$top/sample_runs/generate
WORK=$top/tests/bench/work

die() {
	echo "bench: $*" >&2
	exit 1
}

for b in "$FAIRTOP" "$CSVBARE" "$GENERATE"; do
	[ -x "$b" ] || die "$b is missing: run 'make bench' from the top of the tree"
done
mkdir -p "$WORK" || die "cannot create $WORK"

# now: seconds since the epoch with nanoseconds
now() {
	date +%s.%N
}

# elapsed START END: END - START in seconds
elapsed() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'
}

# ensure_run ROWS: DIR with ROWS prediction rows, generated unless already
# there (the stamp records the row count; a rebuilt generator regenerates)
ensure_run() {
	dir=$WORK/rows-$1
	stamp=$dir/.generated
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$1" ] &&
	    [ -f "$dir/run.csv" ] && [ -f "$dir/predictions.csv" ] &&
	    [ -z "$(find "$GENERATE" -newer "$stamp")" ]; then
		echo "bench: reusing $dir ($1 rows)" >&2
		return 0
	fi
	echo "bench: generating $dir ($1 rows)..." >&2
	rm -rf "$dir"
	"$GENERATE" bench "$dir" "$1" >/dev/null || die "generator failed for $1 rows"
	echo "$1" >"$stamp"
}

# fresh_db: path of an empty store (any old one and its WAL removed)
DB=$WORK/bench.db
fresh_db() {
	rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
}

# check_count FILE ROWS: warn when fairtop's report (FILE) does not say
# it ingested ROWS predictions
check_count() {
	grep -q " $2 predictions" "$1" ||
		echo "bench: warning: expected $2 predictions, fairtop said: $(cat "$1")" >&2
}

# best MIN NEW: the smaller of two durations (MIN empty: NEW)
best() {
	if [ -z "$1" ]; then
		echo "$2"
	else
		awk -v a="$1" -v b="$2" 'BEGIN { print (b < a) ? b : a }'
	fi
}

# rate BYTES SECONDS: MB/s
rate() {
	awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.1f", n / 1e6 / t; else print "inf" }'
}

ensure_run "$SMALL"
ensure_run "$LARGE"
small_dir=$WORK/rows-$SMALL
large_dir=$WORK/rows-$LARGE
large_csv=$large_dir/predictions.csv
bytes=$(wc -c <"$large_csv" | tr -d ' ')
lines=$(wc -l <"$large_csv" | tr -d ' ')   # also warms the page cache

# ---------------------------------------------------------------- speed
t_wc='' t_bare='' t_ft='' t_ft1=''
i=1
while [ "$i" -le "$ROUNDS" ]; do
	echo "bench: round $i of $ROUNDS on $LARGE rows..." >&2

	t0=$(now)
	n=$(wc -l <"$large_csv") || die "wc -l failed"
	t1=$(now)
	t_wc=$(best "$t_wc" "$(elapsed "$t0" "$t1")")

	t0=$(now)
	n=$("$CSVBARE" "$large_csv") || die "csvbare failed on $large_csv"
	t1=$(now)
	t_bare=$(best "$t_bare" "$(elapsed "$t0" "$t1")")
	[ "$n" = "$lines" ] ||
		echo "bench: warning: csvbare saw $n rows, wc -l $lines lines" >&2

	fresh_db
	t0=$(now)
	"$FAIRTOP" --db "$DB" ingest "$large_dir" >"$WORK/ingest.out" 2>&1 ||
		die "fairtop ingest $large_dir failed: $(cat "$WORK/ingest.out")"
	t1=$(now)
	t_ft=$(best "$t_ft" "$(elapsed "$t0" "$t1")")
	check_count "$WORK/ingest.out" "$LARGE"

	fresh_db
	t0=$(now)
	"$FAIRTOP" --db "$DB" ingest --threads 1 "$large_dir" >"$WORK/ingest.out" 2>&1 ||
		die "fairtop ingest --threads 1 $large_dir failed: $(cat "$WORK/ingest.out")"
	t1=$(now)
	t_ft1=$(best "$t_ft1" "$(elapsed "$t0" "$t1")")
	check_count "$WORK/ingest.out" "$LARGE"

	i=$((i + 1))
done

r_wc=$(rate "$bytes" "$t_wc")
r_bare=$(rate "$bytes" "$t_bare")
r_ft=$(rate "$bytes" "$t_ft")
r_ft1=$(rate "$bytes" "$t_ft1")
share=$(awk -v f="$t_ft" -v b="$t_bare" 'BEGIN { printf "%.1f", 100 * b / f }')
share1=$(awk -v f="$t_ft1" -v b="$t_bare" 'BEGIN { printf "%.1f", 100 * b / f }')
share2=$(awk -v f="$t_ft" -v b="$t_bare" 'BEGIN { printf "%.1f", 50 * b / f }')
# at_least SHARE TARGET: PASS or MISS
at_least() {
	if awk -v s="$1" -v t="$2" 'BEGIN { exit !(s >= t) }'; then
		echo PASS
	else
		echo MISS
	fi
}
v_rate=$(at_least "$share" "$RATE_TARGET")
v_rate1=$(at_least "$share1" "$RATE1_TARGET")
v_rate2=$(at_least "$share2" "$RATE1_TARGET")

# ---------------------------------------------------------------- memory
TIME=/usr/bin/time
rss_small='' rss_large='' v_small='' v_large=''
if [ -x "$TIME" ] && "$TIME" -v true >/dev/null 2>&1; then
	# peak_rss DIR ROWS: MB, from "Maximum resident set size (kbytes)"
	peak_rss() {
		fresh_db
		"$TIME" -v -o "$WORK/time.out" "$FAIRTOP" --db "$DB" ingest "$1" \
			>"$WORK/ingest.out" 2>&1 ||
			die "fairtop ingest $1 under $TIME failed: $(cat "$WORK/ingest.out")"
		check_count "$WORK/ingest.out" "$2"
		kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$WORK/time.out")
		[ -n "$kb" ] || die "no 'Maximum resident set size' in $WORK/time.out"
		awk -v k="$kb" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'
	}
	verdict_rss() {
		if awk -v r="$1" -v t="$RSS_TARGET" 'BEGIN { exit !(r < t) }'; then
			echo PASS
		else
			echo MISS
		fi
	}
	echo "bench: peak RSS on $SMALL rows..." >&2
	rss_small=$(peak_rss "$small_dir" "$SMALL") || exit 1
	echo "bench: peak RSS on $LARGE rows..." >&2
	rss_large=$(peak_rss "$large_dir" "$LARGE") || exit 1
	v_small=$(verdict_rss "$rss_small")
	v_large=$(verdict_rss "$rss_large")
else
	echo "bench: $TIME (GNU time) is missing: install the Debian package 'time'" \
		"(apt-get install time); peak RSS skipped" >&2
fi
fresh_db

# ---------------------------------------------------------------- table
mb=$(awk -v n="$bytes" 'BEGIN { printf "%.1f", n / 1e6 }')
echo
echo "fairtop bench — $(uname -m), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cores, best of $ROUNDS, one after another"
if [ -r /proc/loadavg ]; then
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	echo "load average at the end: $load (other work on the machine slows every rate)"
fi
echo "file: $large_csv"
echo "      $bytes bytes ($mb MB), $lines lines ($LARGE rows + header)"
echo
printf '%-40s %12s  %-10s %s\n' "measure" "value" "target" "result"
printf '%-40s %12s  %-10s %s\n' "----------------------------------------" "------------" "----------" "------"
printf '%-40s %8s MB/s  %-10s %s\n' "wc -l" "$r_wc" "" ""
printf '%-40s %8s MB/s  %-10s %s\n' "csvbare (bare libcsv)" "$r_bare" "" ""
printf '%-40s %8s MB/s  %-10s %s\n' "fairtop ingest (fresh store)" "$r_ft" "" ""
printf '%-40s %10s %%  %-10s %s\n' "fairtop / bare libcsv" "$share" ">= $RATE_TARGET %" "$v_rate"
printf '%-40s %10s %%  %-10s %s\n' "  the same per thread (halved)" "$share2" ">= $RATE1_TARGET %" "$v_rate2"
printf '%-40s %8s MB/s  %-10s %s\n' "fairtop ingest --threads 1" "$r_ft1" "" ""
printf '%-40s %10s %%  %-10s %s\n' "fairtop --threads 1 / bare libcsv" "$share1" ">= $RATE1_TARGET %" "$v_rate1"
if [ -n "$rss_small" ]; then
	printf '%-40s %10s MB  %-10s %s\n' "peak RSS fairtop ingest, $SMALL rows" "$rss_small" "< $RSS_TARGET MB" "$v_small"
	printf '%-40s %10s MB  %-10s %s\n' "peak RSS fairtop ingest, $LARGE rows" "$rss_large" "< $RSS_TARGET MB" "$v_large"
else
	printf '%-40s %12s  %-10s %s\n' "peak RSS fairtop ingest" "skipped" "< $RSS_TARGET MB" "(install 'time')"
fi
echo
echo "times (s): wc -l $t_wc, csvbare $t_bare, fairtop $t_ft, fairtop --threads 1 $t_ft1; MB = 10^6 bytes"
echo "fairtop reads a predictions.csv of 1 MiB or more in two halves on two threads;"
echo "csvbare is one thread.  Targets: two threads >= $RATE_TARGET %, each thread >= $RATE1_TARGET % of it."

misses=0
for v in "$v_rate" "$v_rate2" "$v_rate1" "$v_small" "$v_large"; do
	[ "$v" = MISS ] && misses=$((misses + 1))
done
echo
if [ "$misses" -gt 0 ]; then
	echo "################################################################"
	echo "###  MISS: $misses target(s) missed — see the table above"
	[ "$v_rate" = MISS ] &&
		echo "###  MISS: fairtop ingest is $share % of bare libcsv (target >= $RATE_TARGET %)"
	[ "$v_rate2" = MISS ] &&
		echo "###  MISS: fairtop ingest on two threads is $share2 % of bare libcsv per thread (target >= $RATE1_TARGET %)"
	[ "$v_rate1" = MISS ] &&
		echo "###  MISS: fairtop ingest --threads 1 is $share1 % of bare libcsv (target >= $RATE1_TARGET %)"
	[ "$v_small" = MISS ] &&
		echo "###  MISS: peak RSS $rss_small MB at $SMALL rows (target < $RSS_TARGET MB)"
	[ "$v_large" = MISS ] &&
		echo "###  MISS: peak RSS $rss_large MB at $LARGE rows (target < $RSS_TARGET MB)"
	echo "################################################################"
else
	echo "bench: all targets met (PASS)"
fi
exit 0
