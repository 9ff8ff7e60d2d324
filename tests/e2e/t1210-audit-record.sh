#!/bin/sh
# t1210-audit-record: the record beyond the audit log, and the chain's
# tail (issue 15, items 11 and 12).  On a store ingested from
# sample_runs/ (deployments #1-#3 from deployments.csv, #3 the 22 January
# override of r05), rolled back to r02 (#4: pending, then done, through
# the append-only trigger), gated (gate decision #1) and with one alert
# acknowledged:
#   - the triggers refuse rewriting the override, deleting a deployment,
#     a gate decision or an alert, and rewriting the acknowledgement;
#   - after DROP TRIGGER: the override hidden as a deploy, a deployment
#     deleted, a gate decision deleted or flipped to a pass, an
#     acknowledgement rewritten: audit --verify exits 1 naming each, the
#     chain itself still holding;
#   - a trigger dropped alone: --verify exits 1 saying it is missing and
#     re-creates it (with a triggers_restored audit row); the next
#     --verify exits 0; any writable open re-creates it too;
#   - audit head prints COUNT:HASH; --verify --head passes on the store
#     and on the store with rows appended after the anchor (a new ack;
#     a forged row with a correct hash at the end: the anchor cannot see
#     those); it fails on the last rows deleted, on the whole chain
#     rebuilt with recomputed hashes, and on a row before the anchor
#     replaced with the chain recomputed after it; a malformed anchor is
#     a usage error (2).
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
o="$SCRATCH/out"
e="$SCRATCH/err"

have_sqlite3 || { say "sqlite3 missing: skipped"; done_ok; exit 0; }

say "== a store with deployments, a gate decision and an ack"
sample_store "$db"
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --reason "back to fair" --yes --by lead </dev/null
expect_rc "fairtop rollback --yes --by lead" 0 "$e"
run "$o" "$e" "$FAIRTOP" --db "$db" gate --baseline r02 --candidate r05
expect_rc "fairtop gate --baseline r02 --candidate r05" 1 "$e"
alert=$(sql "$db" "SELECT min(id) FROM alerts WHERE state = 'firing'")
run "$o" "$e" "$FAIRTOP" --db "$db" ack "$alert" --by oncall --note "looked at it"
expect_rc "fairtop ack $alert" 0 "$e"
override=$(sql "$db" "SELECT id FROM deployments WHERE kind = 'override'")
[ "$override" = 3 ] || fail "deployments: expected the override to be #3, found '$override'"
[ "$(sql "$db" "SELECT state FROM deployments WHERE id = 4")" = done ] ||
	fail "the rollback (#4): expected state done (closed through the trigger)"
run "$o" "$e" "$FAIRTOP" --db "$db" audit --verify
expect_rc "fairtop audit --verify (untouched)" 0 "$e"
expect_contains "audit --verify" "$o" "deployments, gate decisions and acknowledgements match it"
ok "rolled back (pending -> done), gated, acked: audit --verify exits 0"

# ---------------------------------------------------------------------
say "== the triggers refuse"
refused() { # WHAT SQL
	if sqlite3 -batch "$db" "$2" >"$o" 2>&1; then
		fail "$1 with the triggers in place: expected an error, found success"
	fi
	ok "$1: refused ($(tr -d '\n' <"$o" | sed 's/.*, //'))"
}
refused "the override rewritten as a deploy" "UPDATE deployments SET kind = 'deploy' WHERE id = 3"
refused "a done deployment set back to pending" "UPDATE deployments SET state = 'pending' WHERE id = 4"
refused "a deployment deleted" "DELETE FROM deployments WHERE id = 3"
refused "a gate decision flipped" "UPDATE gate_decisions SET passed = 1"
refused "a gate decision deleted" "DELETE FROM gate_decisions"
refused "an acknowledgement rewritten" "UPDATE alerts SET acknowledged_by = 'nobody' WHERE id = $alert"
refused "an alert deleted" "DELETE FROM alerts WHERE id = $alert"

# ---------------------------------------------------------------------
say "== tampering after DROP TRIGGER"
# broken WHAT SQL TEXT...: on a copy, SQL leaves --verify exiting 1 with
# each TEXT on stderr, while the chain alone still holds
broken() {
	_what=$1 _sql=$2
	shift 2
	t="$SCRATCH/tamper.db"
	rm -f "$t" "$t-wal" "$t-shm"
	cp "$db" "$t"
	sql "$t" "$_sql" >/dev/null
	run "$o" "$e" "$FAIRTOP" --db "$t" audit --verify
	expect_rc "$_what: fairtop audit --verify" 1 "$e"
	for _want in "$@"; do
		expect_contains "$_what: audit --verify" "$e" "$_want"
	done
	if grep -F "BROKEN at row" "$e" >/dev/null; then
		fail "$_what: expected the chain to hold (the table was changed, not the log), found: $(cat "$e")"
	fi
	ok "$_what: audit --verify exits 1: $(grep -v 'trigger' "$e" | head -n 1 | sed 's/.*BROKEN: //')"
}
broken "the override hidden as a deploy" \
	"DROP TRIGGER deployments_no_update; UPDATE deployments SET kind = 'deploy' WHERE id = 3" \
	"deployment #3 is an override in the audit log (row 3) but 'deploy' in the deployments table" \
	"trigger deployments_no_update missing"
broken "a deployment deleted" \
	"DROP TRIGGER deployments_no_delete; DELETE FROM deployments WHERE id = 4" \
	"deployment #4 is in the audit log" "but not in the deployments table"
broken "a history deployment deleted" \
	"DROP TRIGGER deployments_no_delete; DELETE FROM deployments WHERE id = 3" \
	"deployment #3 is in the audit log (row 3) but not in the deployments table"
broken "a deployment added" \
	"INSERT INTO deployments (time, run_key, kind, actor, reason, state, source)
	 VALUES ('2026-01-30T10:00:00Z', 'r05', 'deploy', 'mallory', 'ok', 'done', 'fairtop')" \
	"deployment #5 (a deploy of 'r05' at 2026-01-30T10:00:00Z) is not in the audit log"
broken "a gate decision deleted" \
	"DROP TRIGGER gate_decisions_no_delete; DELETE FROM gate_decisions WHERE id = 1" \
	"gate decision #1 is in the audit log" "but not in the gate_decisions table"
broken "a gate decision flipped to a pass" \
	"DROP TRIGGER gate_decisions_no_update; UPDATE gate_decisions SET passed = 1 WHERE id = 1" \
	"gate decision #1 failed in the audit log" "but passed in the gate_decisions table"
broken "an acknowledgement rewritten" \
	"DROP TRIGGER alerts_ack_no_rewrite; UPDATE alerts SET acknowledged_by = 'someone.else' WHERE id = $alert" \
	"alert #$alert is acknowledged by 'someone.else' in the alerts table but no such acknowledgement"
broken "an acknowledged alert deleted" \
	"DROP TRIGGER alerts_no_delete; DELETE FROM alerts WHERE id = $alert" \
	"alert #$alert is acknowledged in the audit log" "but not in the alerts table"

# ---------------------------------------------------------------------
say "== a trigger dropped is reported and re-created"
t="$SCRATCH/dropped.db"
cp "$db" "$t"
sql "$t" "DROP TRIGGER gate_decisions_no_delete" >/dev/null
run "$o" "$e" "$FAIRTOP" --db "$t" audit --verify
expect_rc "audit --verify, a trigger dropped" 1 "$e"
expect_contains "audit --verify, a trigger dropped" "$e" "trigger gate_decisions_no_delete missing"
[ "$(sql "$t" "SELECT count(*) FROM sqlite_schema WHERE name = 'gate_decisions_no_delete'")" = 1 ] ||
	fail "after the open: expected gate_decisions_no_delete re-created, found it missing"
[ "$(sql "$t" "SELECT count(*) FROM audit_log WHERE action = 'triggers_restored' AND details LIKE '%gate_decisions_no_delete%'")" = 1 ] ||
	fail "after the open: expected a triggers_restored audit row naming gate_decisions_no_delete"
run "$o" "$e" "$FAIRTOP" --db "$t" audit --verify
expect_rc "audit --verify, the trigger re-created" 0 "$e"
ok "a trigger dropped: --verify exits 1 naming it, re-creates it (audited); the next --verify exits 0"
sql "$t" "DROP TRIGGER deployments_no_update; DROP TRIGGER audit_log_no_delete" >/dev/null
run "$o" "$e" "$FAIRTOP" --db "$t" runs
expect_rc "fairtop runs, two triggers dropped" 0 "$e"
[ "$(sql "$t" "SELECT count(*) FROM sqlite_schema WHERE name IN ('deployments_no_update', 'audit_log_no_delete')")" = 2 ] ||
	fail "after fairtop runs: expected both triggers re-created"
if sqlite3 -batch "$t" "UPDATE deployments SET kind = 'deploy' WHERE id = 3" >/dev/null 2>&1; then
	fail "after fairtop runs: expected the override's rewrite refused again, found success"
fi
ok "two triggers dropped: any open (fairtop runs) re-creates them, refusing again"

# ---------------------------------------------------------------------
say "== the anchor: audit head, --verify --head"
run "$o" "$e" "$FAIRTOP" --db "$db" audit head
expect_rc "fairtop audit head" 0 "$e"
anchor=$(cat "$o")
count=$(sql "$db" "SELECT count(*) FROM audit_log")
last=$(sql "$db" "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
[ "$anchor" = "$count:$last" ] || fail "audit head: expected $count:$last, found '$anchor'"
ok "audit head prints COUNT:HASH of the last row ($count:$(printf %.12s "$last")...)"
run "$o" "$e" "$FAIRTOP" --db "$db" audit --verify --head "$anchor"
expect_rc "audit --verify --head (the same store)" 0 "$e"
expect_contains "audit --verify --head" "$o" "extends the anchor"
for bad in "12" "x:$last" "$count:abc" "$count:$(printf %064d 0)x"; do
	run "$o" "$e" "$FAIRTOP" --db "$db" audit --verify --head "$bad"
	expect_rc "audit --verify --head '$bad'" 2 "$e"
done
run "$o" "$e" "$FAIRTOP" --db "$db" audit head --verify
expect_rc "audit head --verify" 2 "$e"
ok "a malformed anchor, or head with --verify: usage error (2)"

# anchored WHAT DB RC [TEXT]: --verify --head "$anchor" on DB exits RC
anchored() {
	run "$o" "$e" "$FAIRTOP" --db "$2" audit --verify --head "$anchor"
	expect_rc "$1: audit --verify --head" "$3" "$e"
	[ -z "$4" ] || expect_contains "$1: audit --verify --head" "$e" "$4"
	ok "$1: audit --verify --head exits $3"
}
# the chain recomputed from row FROM on (SHA-256 as chain.h says), after
# SQL: a forger who knows how fairtop hashes
rechain() { # DB FROM SQL
	python3 - "$1" "$2" "$3" <<'PY' || fail "rechain: see above"
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
start = int(sys.argv[2])
# the triggers dropped for the rewrite and put back after it
guards = [r[0] for r in db.execute("SELECT sql FROM sqlite_schema WHERE name IN ('audit_log_no_update', 'audit_log_no_delete')")]
db.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; " + sys.argv[3])
def enc(x):
    if x is None:
        return b"-,"
    b = str(x).encode()
    return str(len(b)).encode() + b":" + b + b","
rows = db.execute("SELECT id, time, actor, action, run_key, reason, details FROM audit_log ORDER BY id").fetchall()
prev = "0" * 64
for i, r in enumerate(rows, 1):
    if r[0] != i:
        db.execute("UPDATE audit_log SET id = ? WHERE id = ?", (i, r[0]))
    if i >= start:
        h = hashlib.sha256(enc(prev) + b"".join(enc(x) for x in (i,) + tuple(r[1:]))).hexdigest()
        db.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, i))
        prev = h
    else:
        prev = db.execute("SELECT hash FROM audit_log WHERE id = ?", (i,)).fetchone()[0]
for g in guards:
    db.execute(g)
db.commit()
PY
}

t="$SCRATCH/appended.db"
cp "$db" "$t"
other=$(sql "$t" "SELECT min(id) FROM alerts WHERE state = 'firing'")
run "$o" "$e" "$FAIRTOP" --db "$t" ack "$other" --by oncall
expect_rc "fairtop ack $other" 0 "$e"
anchored "a row appended by fairtop after the anchor" "$t" 0

t="$SCRATCH/cut.db"
cp "$db" "$t"
sql "$t" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = $count" >/dev/null
run "$o" "$e" "$FAIRTOP" --db "$t" audit --verify
if grep -F "BROKEN at row" "$e" >/dev/null; then
	fail "the last row deleted: expected the chain alone to hold, found: $(cat "$e")"
fi
# (the open re-creates the trigger with an audit row of its own, in the
# place of the row deleted: still not the anchor's)
anchored "the last row deleted (the chain alone holds)" "$t" 1 "does not extend the anchor"

t="$SCRATCH/rebuilt.db"
cp "$db" "$t"
rechain "$t" 1 "UPDATE audit_log SET action = 'deploy' WHERE id = 3"
anchored "the whole chain rebuilt, the override's row made a deploy" "$t" 1 "or the chain rebuilt"

t="$SCRATCH/replaced.db"
cp "$db" "$t"
rechain "$t" 5 "UPDATE audit_log SET reason = 'all good' WHERE id = 5"
run "$o" "$e" "$FAIRTOP" --db "$t" audit --verify
expect_rc "a row before the anchor replaced, chain recomputed: audit --verify (no anchor)" 0 "$e"
anchored "a row before the anchor replaced, the chain recomputed after it" "$t" 1 "row $count's hash"

t="$SCRATCH/forged.db"
cp "$db" "$t"
sql "$t" "INSERT INTO audit_log (time, actor, action, run_key, reason, details, prev_hash, hash)
	VALUES ('2026-01-30T10:00:00Z', 'mallory', 'note', NULL, 'nothing to see', '{}', '', '')" >/dev/null
rechain "$t" $((count + 1)) ""
run "$o" "$e" "$FAIRTOP" --db "$t" audit --verify --head "$anchor"
expect_rc "a forged row appended after the anchor" 0 "$e"
ok "a forged row appended after the anchor, hashed as fairtop hashes: not caught (the anchor covers rows up to it only)"

done_ok
