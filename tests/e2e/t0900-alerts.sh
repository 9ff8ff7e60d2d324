#!/bin/sh
# t0900-alerts: the alerts raised when the C07 sample runs are ingested into
# a fresh store (with their deployments.csv), and ack.
#   alerts --format json: strict JSON; critical alerts for r04 and r05, none
#   for r01, r02 and r06, no alert at all for r01 and r02; every alert has
#   ISO 8601 first_seen <= last_seen; no (run, rule, subject) twice.
#   ack ID --by alice --note looked: exit 0; the alert is acknowledged by
#   alice with the note; the audit log holds one 'ack' row by alice
#   (sqlite3); acking it again exits 1, a missing id exits 2.
#   --state firing / acknowledged filter.
#   ingest --replace r05: the same alerts (count, ids, first_seen), the
#   acknowledged one still acknowledged by alice with its note.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
chk="$LIB/c07_gate_checks.py"

say "== the sample runs, ingested into a fresh store"
run "$SCRATCH/ingest.out" "$SCRATCH/ingest.err" "$FAIRTOP" --db "$db" ingest "$TOP/sample_runs"
expect_rc "fairtop ingest sample_runs" 0 "$SCRATCH/ingest.err"
expect_contains "ingest" "$SCRATCH/ingest.out" "6 runs ingested, 0 refused"
ok "sample_runs ingested: r01..r06"

# alerts_json OUT [ARGS...]: fairtop alerts --format json ARGS into OUT, exit 0,
# valid JSON
alerts_json() {
	_ao=$1
	shift
	run "$_ao" "$_ao.err" "$FAIRTOP" --db "$db" alerts --format json "$@"
	expect_rc "fairtop alerts --format json $*" 0 "$_ao.err"
	expect_json "fairtop alerts --format json $*" "$_ao"
}

# ---------------------------------------------------------------------
say "== alerts --format json after the ingest"
alerts_json a1.json
python3 "$chk" alerts-story a1.json || fail "alerts after the ingest: see above"
ok "critical alerts for r04 and r05; none critical for r01, r02, r06; none at all for r01, r02; first_seen/last_seen"
run a1.txt a1.err "$FAIRTOP" --db "$db" alerts
expect_rc "fairtop alerts" 0 a1.err
ok "alerts (text): exit 0"

# ---------------------------------------------------------------------
say "== ack"
id=$(python3 "$chk" alerts-pick a1.json r05) || fail "alerts: expected a firing critical alert for r05 ($id)"
ok "the alert to acknowledge: #$id (r05, critical, firing)"
run ack.out ack.err "$FAIRTOP" --db "$db" ack "$id" --by alice --note "looked"
expect_rc "fairtop ack $id --by alice --note looked" 0 ack.err
ok "ack $id --by alice --note looked: exit 0"
alerts_json a2.json
python3 "$chk" alerts-acked a2.json "$id" alice looked || fail "after ack: see above"
ok "alert $id: acknowledged, by alice, note 'looked' (json)"
run a2.txt a2.err "$FAIRTOP" --db "$db" alerts --state acknowledged
expect_rc "fairtop alerts --state acknowledged" 0 a2.err
expect_contains "alerts --state acknowledged (text)" a2.txt "alice"
expect_contains "alerts --state acknowledged (text)" a2.txt "looked"
ok "alerts --state acknowledged (text): alice and the note shown"
if have_sqlite3; then
	rows=$(sql "$db" "SELECT actor, action FROM audit_log WHERE action = 'ack'")
	[ "$rows" = "alice|ack" ] ||
		fail "audit_log after one ack: expected one row 'alice|ack', found: $(printf '%s' "$rows" | tr '\n' ' ')"
	ok "audit_log: one 'ack' row, by alice"
fi

run ack2.out ack2.err "$FAIRTOP" --db "$db" ack "$id" --by bob --note "again"
expect_rc "fairtop ack $id (already acknowledged)" 1 ack2.err
[ -s ack2.err ] || fail "ack $id again: expected a message on stderr, found none"
ok "ack $id again: exit 1, $(head -n 1 ack2.err)"
run ack3.out ack3.err "$FAIRTOP" --db "$db" ack 999999 --by alice
expect_rc "fairtop ack 999999 (no such alert)" 2 ack3.err
[ -s ack3.err ] || fail "ack 999999: expected a message on stderr, found none"
ok "ack 999999 (missing): exit 2, $(head -n 1 ack3.err)"
alerts_json a3.json
python3 "$chk" alerts-acked a3.json "$id" alice looked || fail "after the refused acks: see above"
ok "alert $id: still acknowledged by alice with the note 'looked' after the refused acks"
if have_sqlite3; then
	rows=$(sql "$db" "SELECT actor, action FROM audit_log WHERE action = 'ack'")
	[ "$rows" = "alice|ack" ] ||
		fail "audit_log after refused acks: expected still one row 'alice|ack', found: $(printf '%s' "$rows" | tr '\n' ' ')"
	ok "audit_log: the refused acks added no 'ack' row"
fi

# ---------------------------------------------------------------------
say "== alerts --state"
total=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' a3.json)
alerts_json firing.json --state firing
python3 "$chk" alerts-state firing.json firing "" "$id" >state.out ||
	{ cat state.out; fail "alerts --state firing: see above"; }
n=$(head -n 1 state.out)
[ "$n" -eq $((total - 1)) ] || fail "alerts --state firing: expected $((total - 1)) alerts (all but #$id), found $n"
ok "--state firing: $n alerts, all firing, #$id not among them"
alerts_json acked.json --state acknowledged
python3 "$chk" alerts-state acked.json acknowledged "$id" >state.out ||
	{ cat state.out; fail "alerts --state acknowledged: see above"; }
n=$(head -n 1 state.out)
[ "$n" -eq 1 ] || fail "alerts --state acknowledged: expected 1 alert (#$id), found $n"
ok "--state acknowledged: only #$id"

# ---------------------------------------------------------------------
say "== ingest --replace r05: no duplicate alert, the acknowledgement kept"
sleep 1 # a later second for last_seen
run re.out re.err "$FAIRTOP" --db "$db" ingest --replace "$TOP/sample_runs/r05"
expect_rc "fairtop ingest --replace sample_runs/r05" 0 re.err
ok "ingest --replace sample_runs/r05: exit 0"
alerts_json a4.json
python3 "$chk" alerts-same a3.json a4.json "$id" || fail "alerts after ingest --replace r05: see above"
ok "the same $total alerts (ids, first_seen), #$id still acknowledged by alice with the note"
python3 "$chk" alerts-story a4.json || fail "alerts after ingest --replace r05: see above"
ok "no (run, rule, subject) twice; the story unchanged"
if have_sqlite3; then
	rows=$(sql "$db" "SELECT actor, action FROM audit_log WHERE action = 'ack'")
	[ "$rows" = "alice|ack" ] ||
		fail "audit_log after ingest --replace: expected one row 'alice|ack', found: $(printf '%s' "$rows" | tr '\n' ' ')"
	ok "audit_log: still one 'ack' row, by alice"
fi

done_ok
