#!/bin/sh
# t2720-dashboard-many-runs: the dashboard at 80x24 on a store of 2,500
# runs, more than a page of Runs (1,000), than Drift charts (240) and
# than the Timeline holds (the newest 1,000 runs' events).
#   Runs: the newest run on top at once; the older pages follow by
#   themselves: G reaches the oldest run, run0000, and "reading older
#   runs" is gone; `/` finds a run of the last page.
#   Drift: "across the last 240 runs".
#   Timeline: its first line says where it starts and where the earlier
#   events are; G: "[1000 of 1000]".
#   A run ingested while it is open shows on top of Runs and at the end
#   of the Timeline; one started before every other is in the list but
#   not in the Timeline's window.
#   `fairtop runs` still lists all 2,500.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/tmux.sh"

tm_need
cd "$SCRATCH" || fail "cd $SCRATCH"
command -v python3 >/dev/null 2>&1 || fail "python3 is missing: make deps"
db="$SCRATCH/many.db"
python3 "$TOP/tests/bench/genruns.py" "$SCRATCH/runs" 2500 2 4 ||
	fail "genruns.py: expected 2,500 run folders, found an error"
"$FAIRTOP" --db "$db" ingest "$SCRATCH/runs" >/dev/null 2>"$SCRATCH/ingest.err" ||
	fail "ingest of 2,500 runs: $(tail -n 1 "$SCRATCH/ingest.err")"
n=$("$FAIRTOP" --db "$db" runs --format csv | tail -n +2 | wc -l)
[ "$n" -eq 2500 ] || fail "runs --format csv: expected 2500 runs, found $n"
ok "runs lists every one of the 2,500 runs"

launch="$SCRATCH/dash.sh"
tm_launcher "$launch" "$(tm_utf8_locale)" no
tm_start 80 24 "$launch" --db "$db"
tm_keys 1
tm_expect "the Runs view" "[1 Runs]"
tm_expect_re "Runs: the newest run on top" "^ +run2499 "

say "== Runs: the older pages follow"
tm_expect_gone "Runs: read to the end by itself" "reading older runs"
tm_keys G
tm_expect "G: the oldest run, beyond the first page" "run0000 passes on its own"
tm_keys g
tm_expect "g: the newest again" "run2499 passes on its own"
tm_keys /
tm_type run0007
tm_keys Enter
tm_expect_re "/ run0007: a run of the last page" "^ +run0007 "
tm_expect_not "/ run0007: nothing else" "^ +run2499 "
tm_keys /
tm_keys Escape

say "== Drift: the newest 240 runs"
tm_keys 3
tm_expect "Drift says what it charts" "across the last 240 runs"

say "== Timeline: the newest 1,000 runs' events"
tm_keys 5
tm_expect_re "Timeline: where it starts, where the rest is" "^after 2026-[0-9T:-]+Z \(the newest runs\); earlier: fairtop report"
tm_keys G
tm_expect "Timeline G: the last of 1,000 events" "[1000 of 1000]"
tm_expect "Timeline G: the newest run's start" "bench 2499 started"

say "== a run ingested meanwhile"
mkdir -p "$SCRATCH/late/new" "$SCRATCH/late/old"
printf 'key,value\nrun,late-new\nmodel,bench\nstarted_at,2031-01-01T00:00:00Z\nbeta_factor,1\n' \
	>"$SCRATCH/late/new/run.csv"
printf 'key,value\nrun,late-old\nmodel,bench\nstarted_at,2020-01-01T00:00:00Z\nbeta_factor,1\n' \
	>"$SCRATCH/late/old/run.csv"
for d in new old; do
	printf 'step,group,tp,fp,tn,fn\n1,g=g00,450,60,480,120\n1,g=g01,440,70,470,110\n' \
		>"$SCRATCH/late/$d/counts.csv"
	"$FAIRTOP" --db "$db" ingest "$SCRATCH/late/$d" >/dev/null 2>"$SCRATCH/late.err" ||
		fail "ingest late-$d: $(tail -n 1 "$SCRATCH/late.err")"
done
tm_keys G
tm_expect "Timeline: the run started last at its end (a model without a version)" "bench started; at arrival"
tm_expect "Timeline: still the newest 1,000 runs" "[1000 of 1000]"
tm_keys 1
tm_expect_re "Runs: the new run on top" "^ +late-new "
tm_keys G
tm_expect "Runs G: the run started first is the last" "late-old passes on its own"
tm_keys q
tm_expect_exited "q: fairtop exits"

done_ok
