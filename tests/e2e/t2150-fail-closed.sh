#!/bin/sh
# t2150-fail-closed: deploy and rollback on a store that cannot be read
# where it matters fail closed: exit 70, one line on standard error,
# nothing written.
#
# The store is ingested from sample_runs/ (r01 and r02 deployed, r05's
# override of 22 January in production, r02 the last fair model).  Then
# it is damaged the way a disk damages it: the table b-tree leaf pages of
# score_bins that hold nothing but r05's final-step histograms are
# overwritten with 0xff bytes (dd conv=notrunc at (pageno-1)*page_size),
# found with the sqlite3 shell's dbstat table.  Reading r05 then fails
# with "database disk image is malformed"; every other run, the
# deployments and the audit log still read (checked: `compare r02 r06`
# and `audit` exit 0, `compare r02 r05` exits 70; `show r02`, which
# judges r02 against production, exits 70 too).
#   deploy r06 judges r06 against production, r05: the read fails, so it
#   exits 70 with one line, and writes nothing (no deployment, no audit
#   row, no gate decision, no alert of r05 resolved; the file's checksum
#   unchanged).  Judging r06
#   "on its own" because r05 could not be read would deploy it (on an
#   undamaged copy it is deployed, exit 0).
#   rollback --yes must judge r05 to choose its target: exit 70, one line,
#   nothing written.  (On an undamaged copy it rolls back to r02.)
#   `fairtop audit` prints the same before and after.
# Without sqlite3 or its dbstat table the script skips with the reason.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
o="$SCRATCH/out"
e="$SCRATCH/err"

if ! have_sqlite3; then
	say "skip: damaging the store needs the sqlite3 shell"
	exit 0
fi
if ! sqlite3 -batch :memory: "SELECT count(*) FROM dbstat" >/dev/null 2>&1; then
	say "skip: this sqlite3 shell has no dbstat table to find r05's pages"
	exit 0
fi

db="$SCRATCH/store.db"
rm -f "$db" "$db-wal" "$db-shm"
run "$o" "$e" "$FAIRTOP" --db "$db" ingest "$TOP/sample_runs"
expect_rc "fairtop ingest sample_runs" 0 "$e"
ok "ingest sample_runs: exit 0"
[ "$(current_run "$db")" = r05 ] ||
	fail "sample_runs: expected r05 in production, found $(current_run "$db")"
ok "r05 is in production"

# the contrast: on an undamaged copy both commands go through
say "== undamaged copies: deploy r06 and rollback succeed"
cp "$db" "$SCRATCH/copy.db" || fail "cp $db: expected a copy"
run "$o" "$e" "$FAIRTOP" --db "$SCRATCH/copy.db" deploy r06 --reason x --by t
expect_rc "undamaged: fairtop deploy r06" 0 "$e"
expect_current "undamaged: deploy r06" "$SCRATCH/copy.db" r06
rm -f "$SCRATCH/copy.db"*
cp "$db" "$SCRATCH/copy.db" || fail "cp $db: expected a copy"
run "$o" "$e" "$FAIRTOP" --db "$SCRATCH/copy.db" rollback --reason x --by t --yes </dev/null
expect_rc "undamaged: fairtop rollback --yes" 0 "$e"
expect_current "undamaged: rollback" "$SCRATCH/copy.db" r02
rm -f "$SCRATCH/copy.db"*

# ---------------------------------------------------------------------
say "== damage the pages holding r05's final-step score histograms"
# everything in the main file, nothing left in a write-ahead log
sql "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
[ -s "$db-wal" ] && fail "$db-wal: expected it empty after a checkpoint"
deployments_before=$(row_count "$db" deployments)
audit_before=$(row_count "$db" audit_log)
gates_before=$(row_count "$db" gate_decisions)
resolved_before=$(sql "$db" "SELECT count(*) FROM alerts WHERE state = 'resolved'")
run "$SCRATCH/audit-before" "$e" "$FAIRTOP" --db "$db" audit
expect_rc "fairtop audit before the damage" 0 "$e"

page_size=$(sql "$db" "PRAGMA page_size")
r05=$(sql "$db" "SELECT id || ' ' || final_step FROM runs WHERE run_key = 'r05'")
r05_id=${r05% *}
r05_step=${r05#* }
# r05's rows at its final step, as ranks in rowid order: ingest writes a
# run's rows together, so they are one range of the table's leaves
range=$(sql "$db" "SELECT (SELECT count(*) FROM score_bins WHERE rowid <
	    (SELECT min(rowid) FROM score_bins WHERE run_id = $r05_id AND step = $r05_step)),
	  (SELECT count(*) FROM score_bins WHERE run_id = $r05_id AND step = $r05_step),
	  (SELECT max(rowid) - min(rowid) + 1 FROM score_bins WHERE run_id = $r05_id AND step = $r05_step)")
first=$(printf '%s\n' "$range" | cut -d'|' -f1)
count=$(printf '%s\n' "$range" | cut -d'|' -f2)
span=$(printf '%s\n' "$range" | cut -d'|' -f3)
[ "$count" -gt 0 ] && [ "$count" -eq "$span" ] ||
	fail "r05's score_bins rows at step $r05_step: expected one range of rowids, found $count rows over $span rowids"
# the leaves in key order, each with its rows; keep those whose rows are
# all r05's
pages=$(sql "$db" "SELECT pageno, ncell FROM dbstat WHERE name = 'score_bins'
	    AND pagetype = 'leaf' ORDER BY path" |
	awk -F'|' -v lo="$first" -v hi="$((first + count))" '
		{ if (n >= lo && n + $2 <= hi) printf "%s ", $1; n += $2 }')
[ -n "$pages" ] || fail "expected leaf pages of score_bins holding only r05's rows, found none"
# none of them may belong to anything but score_bins
for p in $pages; do
	owner=$(sql "$db" "SELECT name FROM dbstat WHERE pageno = $p")
	[ "$owner" = score_bins ] || fail "page $p: expected a page of score_bins, found '$owner'"
done
say "pages of r05 (id $r05_id, step $r05_step), $page_size bytes each: $pages"
for p in $pages; do
	head -c "$page_size" /dev/zero | tr '\000' '\377' |
		dd of="$db" bs="$page_size" seek=$((p - 1)) count=1 conv=notrunc 2>"$e" ||
		{ show_file "$e"; fail "dd onto page $p of $db: expected it written"; }
done
ok "overwrote $(echo $pages | wc -w | tr -d ' ') leaf pages of r05 with 0xff bytes"

# ---------------------------------------------------------------------
say "== the damage is selective"
run "$o" "$e" "$FAIRTOP" --db "$db" compare r02 r06
expect_rc "damaged store: fairtop compare r02 r06" 0 "$e"
ok "damaged store: compare r02 r06 (their histograms too) still works"
run "$o" "$e" "$FAIRTOP" --db "$db" compare r02 r05
expect_rc "damaged store: fairtop compare r02 r05" 70 "$e"
expect_contains "damaged store: compare r02 r05" "$e" "malformed"
ok "damaged store: compare r02 r05 exits 70, the store is malformed"
# show judges its run against production: it fails closed as well
run "$o" "$e" "$FAIRTOP" --db "$db" show r02
expect_rc "damaged store: fairtop show r02" 70 "$e"
expect_contains "damaged store: show r02" "$e" "malformed"
ok "damaged store: show r02 (its verdict against r05) exits 70"
run "$o" "$e" "$FAIRTOP" --db "$db" audit
expect_rc "damaged store: fairtop audit" 0 "$e"
cmp -s "$o" "$SCRATCH/audit-before" || {
	say "FAIL: damaged store: expected fairtop audit as before the damage, found:"
	show_file "$o"
	exit 1
}
ok "damaged store: fairtop audit prints what it printed before"
before=$(store_state "$db")

# one_error WHAT: stderr holds one line "fairtop: ..." that says the store
# is malformed; nothing on stdout.
one_error() {
	_line=$(one_line "$e") || {
		say "FAIL: $1: expected one line on standard error, found:"
		show_file "$e"
		exit 1
	}
	case "$_line" in
	"fairtop: "*malformed*) ;;
	*) fail "$1: expected 'fairtop: ... malformed ...', found '$_line'" ;;
	esac
	[ -s "$o" ] && {
		say "FAIL: $1: expected nothing on standard output, found:"
		show_file "$o"
		exit 1
	}
	ok "$1: one line on standard error, nothing on standard output"
}

# nothing_written WHAT: no deployment, no audit row, no gate decision,
# the file unchanged, r05 still in production.
nothing_written() {
	expect_unchanged "$1" "$db" "$before"
	[ "$(row_count "$db" deployments)" = "$deployments_before" ] ||
		fail "$1: expected $deployments_before deployments, found $(row_count "$db" deployments)"
	[ "$(row_count "$db" audit_log)" = "$audit_before" ] ||
		fail "$1: expected $audit_before audit rows, found $(row_count "$db" audit_log)"
	[ "$(row_count "$db" gate_decisions)" = "$gates_before" ] ||
		fail "$1: expected $gates_before gate decisions, found $(row_count "$db" gate_decisions)"
	[ "$(sql "$db" "SELECT count(*) FROM alerts WHERE state = 'resolved'")" = "$resolved_before" ] ||
		fail "$1: expected $resolved_before resolved alerts, found $(sql "$db" "SELECT count(*) FROM alerts WHERE state = 'resolved'")"
	ok "$1: as many deployments, audit rows, gate decisions and resolved alerts as before the damage"
	expect_current "$1" "$db" r05
}

# ---------------------------------------------------------------------
say "== deploy r06: production cannot be read, exit 70"
run "$o" "$e" "$FAIRTOP" --db "$db" deploy r06 --reason x --by t
expect_rc "damaged store: fairtop deploy r06 --reason x --by t" 70 "$e"
ok "deploy r06: exit 70"
one_error "deploy r06"
nothing_written "deploy r06"

say "== rollback --yes: r05 cannot be judged, exit 70"
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --reason x --by t --yes </dev/null
expect_rc "damaged store: fairtop rollback --reason x --by t --yes" 70 "$e"
ok "rollback --yes: exit 70"
one_error "rollback --yes"
nothing_written "rollback --yes"

run "$o" "$e" "$FAIRTOP" --db "$db" audit
expect_rc "damaged store: fairtop audit" 0 "$e"
cmp -s "$o" "$SCRATCH/audit-before" || {
	say "FAIL: after deploy and rollback: expected fairtop audit as before, found:"
	show_file "$o"
	exit 1
}
ok "after deploy and rollback: fairtop audit prints what it printed before"

done_ok
