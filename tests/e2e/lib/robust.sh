# robust.sh — helpers for the robustness scripts (t1700 crash, t1800
# concurrency, t1900 disk, t2000 memory).  Source it after common.sh and
# store.sh:
#     . "$TOP/tests/e2e/lib/common.sh"
#     . "$TOP/tests/e2e/lib/store.sh"
#     . "$TOP/tests/e2e/lib/robust.sh"
# POSIX sh only (dash).  Every helper that checks prints "ok ..." or
# fails with "FAIL: what (expected ..., found ...)".

# nap SECONDS: sleep a fraction of a second (GNU and busybox sleep take
# fractions; elsewhere the nearest whole second, at least 1).
nap() {
	sleep "$1" 2>/dev/null || sleep 1
}

# now_ms: milliseconds since the epoch (date +%s%N where it works, else
# whole seconds * 1000).
now_ms() {
	_ns=$(date +%s%N 2>/dev/null)
	case "$_ns" in
	*N* | '') printf '%s\n' "$(($(date +%s) * 1000))" ;;
	*) printf '%s\n' "$((_ns / 1000000))" ;;
	esac
}

# child_pids PID: the process ids whose parent is PID, one a line
# (pgrep of procps, else /proc).
child_pids() {
	if command -v pgrep >/dev/null 2>&1; then
		pgrep -P "$1"
		return 0
	fi
	for _st in /proc/[0-9]*/stat; do
		cat "$_st" 2>/dev/null
	done | awk -v p="$1" '{
		pid = $1
		sub(/^.*\) /, "")
		if ($2 == p) print pid
	}'
}

# pgid_of PID: the process group of PID (empty when it is gone).
pgid_of() {
	if [ -r "/proc/$1/stat" ]; then
		sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d ' ' -f 3
	else
		ps -o pgid= -p "$1" 2>/dev/null | tr -d ' '
	fi
}

# kill_group PGID: SIGKILL to the process group PGID, never to our own
# group (a hook that did not get a group of its own is killed alone).
kill_group() {
	[ -n "$1" ] || return 0
	_mine=$(pgid_of $$)
	if [ "$1" = "$_mine" ]; then
		say "warning: process group $1 is the test's own: not killed"
		return 0
	fi
	kill -s KILL -- "-$1" 2>/dev/null || :
}

# alive PID: PID is a live process (not a zombie).
alive() {
	if [ -r "/proc/$1/stat" ]; then
		_s=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d ' ' -f 1)
	else
		_s=$(ps -o stat= -p "$1" 2>/dev/null | tr -d ' ')
	fi
	case "$_s" in
	'' | Z*) return 1 ;;
	*) return 0 ;;
	esac
}

# final_step_rows FILE: "STEP ROWS" for predictions.csv FILE: the largest
# value of its step column and the number of rows at that step (without
# a step column: "- ROWS", all rows).  Computed with awk, independently of
# fairtop.
final_step_rows() {
	awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) if ($i == "step") s = i; next }
	/^$/ { next }
	{
		if (!s) { n++; next }
		v = $s + 0
		if (!seen || v > best) { best = v; n = 0; seen = 1 }
		if (v == best) n++
	}
	END { if (s) printf "%d %d\n", best, n; else printf "- %d\n", n }
	' "$1"
}

# delays SEED N MIN MAX: N pseudo-random delays in seconds, uniform on
# [MIN, MAX], from awk's generator seeded with SEED (the same list on
# every run on a given machine), one a line, 4 decimals.
delays() {
	awk -v seed="$1" -v n="$2" -v lo="$3" -v hi="$4" 'BEGIN {
		srand(seed)
		for (i = 0; i < n; i++) printf "%.4f\n", lo + rand() * (hi - lo)
	}'
}

# table_filter DB TABLE RUNKEY: a WHERE clause that keeps the rows of
# TABLE that do not belong to run RUNKEY: by run_id, run_key or
# feature_id when TABLE has such a column, else every row ("1").
table_filter() {
	_cols=$(sqlite3 -batch "$1" "SELECT name FROM pragma_table_info('$2')")
	_runs="(SELECT id FROM runs WHERE run_key = '$3')"
	case "$NL$_cols$NL" in
	*"${NL}run_id$NL"*) printf 'run_id NOT IN %s\n' "$_runs" ;;
	*"${NL}run_key$NL"*) printf "run_key <> '%s'\n" "$3" ;;
	*"${NL}feature_id$NL"*)
		printf 'feature_id NOT IN (SELECT id FROM features WHERE run_id IN %s)\n' "$_runs" ;;
	*) printf '1\n' ;;
	esac
}

# store_dump_sql DB RUNKEY: the sqlite3 script that dumps every table of
# DB (and the schema), in quote mode, in rowid order (key order for a
# table WITHOUT ROWID), without the rows of run RUNKEY.  Compute it once
# and feed it to sqlite3 as often as needed.
store_dump_sql() {
	printf '.mode quote\n'
	printf "SELECT type, name, sql FROM sqlite_schema ORDER BY type, name;\n"
	printf 'PRAGMA user_version;\n'
	for _t in $(sqlite3 -batch "$1" "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"); do
		_order=rowid
		[ "$(sqlite3 -batch "$1" "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = '$_t'")" = 1 ] &&
			_order=$(sqlite3 -batch "$1" "SELECT group_concat(name, ', ') FROM (SELECT name FROM pragma_table_info('$_t') WHERE pk > 0 ORDER BY pk)")
		printf "SELECT '%s', * FROM \"%s\" WHERE %s ORDER BY %s;\n" \
			"$_t" "$_t" "$(table_filter "$1" "$_t" "$2")" "$_order"
	done
}

# store_digest_except DB RUNKEY [SQLFILE]: cksum of the dump of DB
# without run RUNKEY (SQLFILE: a store_dump_sql script made earlier).
store_digest_except() {
	if [ -n "${3:-}" ]; then
		sqlite3 -batch "$1" <"$3" | cksum
	else
		store_dump_sql "$1" "$2" | sqlite3 -batch "$1" | cksum
	fi
}

# run_dump DB RUNKEY: the rows of run RUNKEY in every table that holds
# them (runs without ingested_at, which is the time of the ingest), for
# comparing two ingests of the same folder.
run_dump() {
	_id="(SELECT id FROM runs WHERE run_key = '$2')"
	sqlite3 -batch "$1" <<EOF
.mode quote
SELECT run_key, model, version, started_at, beta_factor, positive_label,
       sensitive, evaluation, final_step, rows_evaluated, has_scores
  FROM runs WHERE run_key = '$2';
SELECT * FROM run_params WHERE run_id IN $_id ORDER BY rowid;
SELECT * FROM metrics WHERE run_id IN $_id ORDER BY run_id, metric, grp, step;
SELECT * FROM features WHERE run_id IN $_id ORDER BY rowid;
SELECT g.* FROM groups g JOIN features f ON f.id = g.feature_id
 WHERE f.run_id IN $_id ORDER BY g.rowid;
SELECT * FROM confusion WHERE run_id IN $_id ORDER BY run_id, step, group_id;
SELECT * FROM score_bins WHERE run_id IN $_id ORDER BY rowid;
EOF
}

# run_feature_rows DB RUNKEY: "FEATURE|ROWS" for every feature (overall,
# each sensitive feature, each intersection) of run RUNKEY: the sum of
# its groups' row counts at the run's final step.
run_feature_rows() {
	sqlite3 -batch "$1" "SELECT f.name, sum(c.rows)
	  FROM runs r JOIN features f ON f.run_id = r.id
	  JOIN groups g ON g.feature_id = f.id
	  JOIN confusion c ON c.group_id = g.id AND c.run_id = r.id
	   AND c.step = r.final_step
	 WHERE r.run_key = '$2' GROUP BY f.id ORDER BY f.id"
}

# expect_integrity WHAT DB: PRAGMA integrity_check says ok (and
# foreign_key_check finds nothing).
expect_integrity() {
	_ic=$(sqlite3 -batch "$2" "PRAGMA integrity_check" 2>&1)
	[ "$_ic" = ok ] ||
		fail "$1: expected PRAGMA integrity_check to say ok, found: $(printf '%s' "$_ic" | head -n 5)"
	_fk=$(sqlite3 -batch "$2" "PRAGMA foreign_key_check" 2>&1)
	[ -z "$_fk" ] ||
		fail "$1: expected PRAGMA foreign_key_check to find nothing, found: $(printf '%s' "$_fk" | head -n 5)"
	ok "$1: PRAGMA integrity_check ok, no foreign key broken"
}

# count_run_json FILE RUNKEY: how many objects of the JSON array FILE
# (fairtop runs --format json) have "run" RUNKEY; "invalid" when FILE is
# not JSON.
count_run_json() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
try:
    rows = json.load(open(sys.argv[1]))
except Exception:
    print("invalid")
    sys.exit(0)
print(sum(1 for r in rows if r.get("run") == sys.argv[2]))
EOF
}

# no_lock_words WHAT FILE...: none of FILEs says "locked" or "busy" (as
# SQLite's "database is locked", "database is busy", SQLITE_BUSY).
no_lock_words() {
	_what=$1
	shift
	for _f in "$@"; do
		[ -f "$_f" ] || continue
		if grep -i -E -e 'locked|busy' "$_f" >/dev/null; then
			printf 'FAIL: %s: expected no "locked" or "busy" in %s, found:\n' "$_what" "$_f"
			grep -i -n -E -e 'locked|busy' "$_f" | head -n 5 | sed 's/^/    | /'
			exit 1
		fi
	done
	ok "$_what: no \"locked\" or \"busy\" anywhere"
}
