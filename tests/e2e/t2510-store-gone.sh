#!/bin/sh
# t2510-store-gone: the dashboard notices a store that is gone.
#   With the dashboard open (-d 5: polling every 0.5 s) on a store of
#   r01..r03, the store deleted: the header says "STORE DELETED" and q
#   still quits.  Opened again, the store replaced by `mv` with another
#   one ingested elsewhere (r04..r06): the dashboard shows r04..r06 and
#   no longer r01, and the header no longer says anything is wrong.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/tmux.sh"

tm_need
cd "$SCRATCH" || fail "cd $SCRATCH"
loc=$(tm_utf8_locale)
loc=${loc:-C}
launch="$SCRATCH/dash.sh"
tm_launcher "$launch" "$loc" no
o="$SCRATCH/out"
e="$SCRATCH/err"
rm -rf "$SCRATCH/runs"
copy_sample_runs "$SCRATCH/runs"
db="$SCRATCH/store.db"
other="$SCRATCH/elsewhere/other.db"
# fresh STORE RUN...: a store of those runs
fresh() {
	_db=$1
	shift
	rm -f "$_db" "$_db-wal" "$_db-shm"
	mkdir -p "$(dirname "$_db")"
	for _r in "$@"; do
		run "$o" "$e" "$FAIRTOP" --db "$_db" ingest "$SCRATCH/runs/$_r"
		expect_rc "ingest $_r into $_db" 0 "$e"
	done
}

say "== the store deleted under the dashboard"
fresh "$db" r01 r02 r03
tm_start 100 30 "$launch" --db "$db" -d 5
tm_expect_re "r03 shown" "$(tm_run_row r03)"
rm -f "$db" "$db-wal" "$db-shm"
tm_expect "deleted: the header says so" "STORE DELETED"
tm_expect_re "deleted: what it held still shown" "$(tm_run_row r03)"
tm_keys q
tm_expect_exited "deleted: q quits"

say "== the store replaced by mv"
fresh "$db" r01 r02 r03
fresh "$other" r04 r05 r06
tm_start 100 30 "$launch" --db "$db" -d 5
tm_expect_re "r01 shown" "$(tm_run_row r01)"
mv "$other" "$db"
tm_expect_re "replaced: r06 shown" "$(tm_run_row r06)"
tm_expect_re "replaced: r04 shown" "$(tm_run_row r04)"
tm_expect_gone "replaced: r01 gone" "$(tm_run_row r01)"
tm_expect_not "replaced: the header says nothing is wrong once reopened" "STORE (DELETED|REPLACED)"
tm_expect_running "replaced: running"

say "== deleted, then a new store put at the path"
rm -f "$db" "$db-wal" "$db-shm"
tm_expect "deleted again: the header says so" "STORE DELETED"
fresh "$other" r01 r02
mv "$other" "$db"
tm_expect_re "new store: r02 shown" "$(tm_run_row r02)"
tm_expect_gone "new store: r06 gone" "$(tm_run_row r06)"
tm_keys q
tm_expect_exited "new store: q quits"
done_ok
