#!/bin/sh
# t1310-dashboard-filters: `/` in the dashboard at 80x24 on a store
# ingested from sample_runs/.
#   Runs: `/` shows the filter's own keys in the key bar (type, Enter,
#   Esc), not "q quit" (q types into the filter).
#   Alerts: `/` filters the alerts as Runs does: "r04" leaves only r04's
#   alerts, with "filter: r04" below; a filter that matches nothing says
#   so; Enter keeps the filter and j/k move among the matches; Esc
#   clears it and every alert is back.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"
. "$TOP/tests/e2e/lib/tmux.sh"

tm_need
cd "$SCRATCH" || fail "cd $SCRATCH"
launch="$SCRATCH/dash.sh"
tm_launcher "$launch" "$(tm_utf8_locale)" no
db="$SCRATCH/dash.db"
sample_store "$db"
tm_start 80 24 "$launch" --db "$db"
tm_keys 1
tm_expect "the Runs view" "[1 Runs]"

say "== Runs: the filter's keys"
tm_keys /
tm_expect_re "Runs /: the key bar names the filter's keys" "^ type to filter  Enter done  Esc clear *$"
tm_expect_not "Runs /: no 'q quit' while q types into the filter" "q quit"
tm_keys Escape
tm_expect "Runs Esc: the usual key bar" "q quit"

say "== Alerts: / filters"
tm_keys 4
tm_expect_re "4: the Alerts view, r05's alerts" "CRITICAL +firing +r05 "
tm_expect "Alerts: the key bar offers / filter" "/ filter"
tm_keys /
tm_expect_re "Alerts /: the key bar names the filter's keys" "^ type to filter  Enter done  Esc clear *$"
tm_type r04
tm_expect "Alerts: the filter as typed" "filter: r04_"
tm_expect_gone "Alerts r04: r05's alerts gone" " r05 +[a-z_]+ "
tm_expect_re "Alerts r04: r04's alerts" "CRITICAL +firing +r04 "
tm_keys Enter
tm_expect "Alerts Enter: the filter stays" "filter: r04"
tm_expect "Alerts Enter: the usual key bar" "q quit"
tm_keys j
tm_expect_not "Alerts j: still only r04's alerts" " r05 +[a-z_]+ "
tm_keys /
tm_type zzz
tm_expect "Alerts: a filter matching nothing says so" "no alert matches the filter"
tm_keys Escape
tm_expect_re "Alerts Esc: every alert back" "CRITICAL +firing +r05 "
tm_expect_gone "Alerts Esc: no filter" "filter: "
tm_keys q
tm_expect_exited "q: fairtop exits"

done_ok
