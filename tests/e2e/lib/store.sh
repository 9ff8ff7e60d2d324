# store.sh — helpers to look into a fairtop store with the sqlite3 shell,
# for the end-to-end scripts.  Source it after common.sh:
#     . "$TOP/tests/e2e/lib/store.sh"
# POSIX sh only.  When sqlite3 is not installed, have_sqlite3 fails and
# says so once; a script then skips its store checks with that reason.

# have_sqlite3: sqlite3 is on PATH (prints the reason when not, once).
have_sqlite3() {
	if command -v sqlite3 >/dev/null 2>&1; then
		return 0
	fi
	if [ -z "${_sqlite3_said:-}" ]; then
		say "skip: sqlite3 is not installed: the checks that read the store directly are skipped"
		_sqlite3_said=1
	fi
	return 1
}

# sql DB QUERY: the rows of QUERY (sqlite3 list mode, '|' between columns);
# fails the test when sqlite3 itself fails.
sql() {
	_sql_out=$(sqlite3 -batch "$1" "$2" 2>&1) ||
		fail "sqlite3 $1 \"$2\": expected rows, found an error: $_sql_out"
	printf '%s\n' "$_sql_out"
}

# copy_sample_runs DEST: the six C07 run folders of sample_runs/ (and
# nothing beside them, so no deployments.csv) copied into DEST/rNN; the
# store ingested from DEST then holds the runs with no deployment history.
copy_sample_runs() {
	mkdir -p "$1"
	for _d in "$TOP"/sample_runs/r[0-9]*; do
		[ -f "$_d/run.csv" ] || continue
		cp -R "$_d" "$1/" || fail "cp -R $_d $1: expected a copy, found an error"
	done
}
