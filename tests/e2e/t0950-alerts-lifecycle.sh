#!/bin/sh
# t0950-alerts-lifecycle: when alerts began, acknowledging a run's alerts at
# once, and why a resolved alert resolved, on the C07 sample store.
#   alerts (text): BEGAN (UTC) instead of FIRST SEEN, r04's alerts shown at
#   r04's started_at (2026-01-18 11:00), the table within 80 columns (also
#   with acknowledged alerts); csv/json: began_at, recorded_at = first_seen.
#   ack --run r04 --by lead --note ...: exit 0, "acknowledged N alerts of r04
#   (one audit entry #M)" with N the firing r04 alerts counted from
#   alerts --format csv before; exactly one new audit row (audit --format
#   json), an 'ack' by lead for r04 whose details list the N alert ids.
#   ack --run r04 again, ack --run r01 (no alerts): exit 0, nothing to
#   acknowledge, no audit row; ack --run nope: exit 2.
#   Usage errors exit 2 and change nothing: ID with --run, neither, --run
#   without a value or empty; alerts --run ''.
#   alerts --run r04: only r04's alerts.
#   A resolved alert (set through sqlite3) shows its reason under the table.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"

say "== the sample runs, ingested into a fresh store"
run ingest.out ingest.err "$FAIRTOP" --db "$db" ingest "$TOP/sample_runs"
expect_rc "fairtop ingest sample_runs" 0 ingest.err
expect_contains "ingest" ingest.out "6 runs ingested, 0 refused"
ok "sample_runs ingested: r01..r06"

# count_alerts CSV RUN STATE: alerts of RUN in STATE in an alerts --format
# csv file (the csv module, not a guess at the quoting)
count_alerts() {
	python3 - "$1" "$2" "$3" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print(sum(1 for r in rows if r["run"] == sys.argv[2] and r["state"] == sys.argv[3]))
EOF
}

# audit_count JSON: rows of audit --format json
audit_count() {
	python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$1"
}

audit_json() {
	run "$1" "$1.err" "$FAIRTOP" --db "$db" audit --format json
	expect_rc "fairtop audit --format json" 0 "$1.err"
	expect_json "fairtop audit --format json" "$1"
}

# table_width TEXT: the widest line of the table at the top of alerts'
# text output (the lines before the first "  #ID message" line)
table_width() {
	awk '/^  #/ { exit } { if (length($0) > w) w = length($0) } END { print w + 0 }' "$1"
}

# ---------------------------------------------------------------------
say "== alerts: BEGAN is the run's time"
run a1.txt a1.err "$FAIRTOP" --db "$db" alerts
expect_rc "fairtop alerts" 0 a1.err
head -n 1 a1.txt | grep -q 'BEGAN (UTC)' ||
	fail "alerts: expected the header to name BEGAN (UTC), found: $(head -n 1 a1.txt)"
if head -n 1 a1.txt | grep -q 'FIRST SEEN'; then
	fail "alerts: expected no FIRST SEEN column any more, found: $(head -n 1 a1.txt)"
fi
ok "alerts: the column is BEGAN (UTC)"
r04_lines=$(awk '$4 == "r04"' a1.txt)
[ -n "$r04_lines" ] || fail "alerts: expected rows of r04, found none"
bad=$(printf '%s\n' "$r04_lines" | grep -v ' 2026-01-18 11:00$' || true)
[ -z "$bad" ] || fail "alerts: expected every r04 row to end with r04's started_at 2026-01-18 11:00, found: $bad"
ok "alerts: r04's alerts began 2026-01-18 11:00 (r04's started_at)"
w=$(table_width a1.txt)
[ "$w" -le 80 ] || fail "alerts: expected the table within 80 columns, found $w"
ok "alerts: the table is $w columns wide"

run a1.csv a1.csv.err "$FAIRTOP" --db "$db" alerts --format csv
expect_rc "fairtop alerts --format csv" 0 a1.csv.err
python3 - a1.csv <<'EOF' || fail "alerts --format csv: see above"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for col in ("began_at", "recorded_at", "resolved_at", "resolved_reason", "first_seen"):
    if col not in rows[0]:
        sys.exit("FAIL: alerts --format csv: expected a column %s, found %s" % (col, list(rows[0])))
for r in rows:
    if r["recorded_at"] != r["first_seen"]:
        sys.exit("FAIL: alert %s: expected recorded_at = first_seen, found %r and %r" % (r["id"], r["recorded_at"], r["first_seen"]))
    if r["run"] == "r04" and r["began_at"] != "2026-01-18T11:00:00Z":
        sys.exit("FAIL: alert %s of r04: expected began_at 2026-01-18T11:00:00Z, found %r" % (r["id"], r["began_at"]))
    if r["resolved_at"] or r["resolved_reason"]:
        sys.exit("FAIL: alert %s: expected no resolution yet, found %r %r" % (r["id"], r["resolved_at"], r["resolved_reason"]))
EOF
ok "alerts --format csv: began_at (r04: 2026-01-18T11:00:00Z), recorded_at = first_seen, no resolution"

firing=$(count_alerts a1.csv r04 firing)
[ "$firing" -gt 0 ] || fail "alerts --format csv: expected firing alerts of r04, found $firing"
ok "r04 has $firing firing alerts"

# ---------------------------------------------------------------------
say "== ack --run r04"
audit_json au1.json
before=$(audit_count au1.json)
run ack.out ack.err "$FAIRTOP" --db "$db" ack --run r04 --by lead --note "rolling back to r02"
expect_rc "fairtop ack --run r04 --by lead" 0 ack.err
want="acknowledged $firing alerts of r04 (one audit entry #$((before + 1)))"
line=$(one_line ack.out) || fail "ack --run r04: expected one line, found: $(cat ack.out)"
[ "$line" = "$want" ] || fail "ack --run r04: expected '$want', found '$line'"
ok "ack --run r04: $line"

audit_json au2.json
after=$(audit_count au2.json)
[ "$after" -eq $((before + 1)) ] ||
	fail "audit after ack --run r04: expected exactly one new row ($((before + 1))), found $after"
python3 - au2.json a1.csv "$firing" <<'EOF' || fail "the audit entry of ack --run r04: see above"
import csv, json, sys
last = json.load(open(sys.argv[1]))[-1]
want = {"actor": "lead", "action": "ack", "run": "r04", "reason": "rolling back to r02"}
for k, v in want.items():
    if last[k] != v:
        sys.exit("FAIL: audit entry #%s: expected %s %r, found %r" % (last["id"], k, v, last[k]))
details = json.loads(last["details"])
ids = sorted(int(r["id"]) for r in csv.DictReader(open(sys.argv[2], newline=""))
             if r["run"] == "r04" and r["state"] == "firing")
if details.get("count") != int(sys.argv[3]) or sorted(details.get("alerts", [])) != ids:
    sys.exit("FAIL: audit entry #%s: expected alerts %s and count %s, found %s" % (last["id"], ids, sys.argv[3], last["details"]))
EOF
ok "audit: one new row, an 'ack' by lead for r04 listing the $firing alerts"

run a2.csv a2.csv.err "$FAIRTOP" --db "$db" alerts --format csv
expect_rc "fairtop alerts --format csv" 0 a2.csv.err
n=$(count_alerts a2.csv r04 firing)
[ "$n" -eq 0 ] || fail "alerts after ack --run r04: expected no firing r04 alert, found $n"
n=$(count_alerts a2.csv r04 acknowledged)
[ "$n" -eq "$firing" ] || fail "alerts after ack --run r04: expected $firing acknowledged r04 alerts, found $n"
for r in r03 r05 r06; do
	a=$(count_alerts a1.csv $r firing)
	b=$(count_alerts a2.csv $r firing)
	[ "$a" -eq "$b" ] || fail "alerts after ack --run r04: expected $r's $a firing alerts untouched, found $b"
done
ok "r04: $firing acknowledged, none firing; r03, r05, r06 untouched"

run a2.txt a2.err "$FAIRTOP" --db "$db" alerts
expect_rc "fairtop alerts" 0 a2.err
expect_contains "alerts after ack --run r04" a2.txt "acknowledged by lead at "
expect_contains "alerts after ack --run r04" a2.txt "rolling back to r02"
w=$(table_width a2.txt)
[ "$w" -le 80 ] || fail "alerts with acknowledged alerts: expected the table within 80 columns, found $w"
ok "alerts: 'acknowledged by lead' and the note shown; the table $w columns wide"

# ---------------------------------------------------------------------
say "== nothing to acknowledge"
run again.out again.err "$FAIRTOP" --db "$db" ack --run r04 --by lead
expect_rc "fairtop ack --run r04 (again)" 0 again.err
expect_contains "ack --run r04 again" again.out "nothing to acknowledge"
ok "ack --run r04 again: exit 0, $(cat again.out)"
run r01.out r01.err "$FAIRTOP" --db "$db" ack --run r01 --by lead
expect_rc "fairtop ack --run r01 (no alerts)" 0 r01.err
expect_contains "ack --run r01" r01.out "nothing to acknowledge"
ok "ack --run r01: exit 0, $(cat r01.out)"
run nope.out nope.err "$FAIRTOP" --db "$db" ack --run nope --by lead
expect_rc "fairtop ack --run nope (no such run)" 2 nope.err
[ -s nope.err ] || fail "ack --run nope: expected a message on stderr, found none"
ok "ack --run nope: exit 2, $(head -n 1 nope.err)"

# ---------------------------------------------------------------------
say "== usage errors"
usage() {
	_what=$1
	shift
	run u.out u.err "$FAIRTOP" --db "$db" "$@"
	expect_rc "fairtop $_what" 2 u.err
	[ -s u.err ] || fail "$_what: expected a message on stderr, found none"
	ok "$_what: exit 2, $(head -n 1 u.err)"
}
id=$(python3 -c 'import csv,sys; print(next(r["id"] for r in csv.DictReader(open(sys.argv[1], newline="")) if r["run"] == "r05" and r["state"] == "firing"))' a2.csv)
usage "ack $id --run r05 (both)" ack "$id" --run r05 --by lead
usage "ack (neither)" ack --by lead
usage "ack --run (no value)" ack --by lead --run
usage "ack --run ''" ack --run "" --by lead
usage "alerts --run ''" alerts --run ""
audit_json au3.json
[ "$(audit_count au3.json)" -eq "$after" ] ||
	fail "audit after the refused commands: expected still $after rows, found $(audit_count au3.json)"
run a3.csv a3.csv.err "$FAIRTOP" --db "$db" alerts --format csv
n=$(count_alerts a3.csv r05 firing)
[ "$n" -eq "$(count_alerts a1.csv r05 firing)" ] ||
	fail "after the refused commands: expected r05's firing alerts untouched, found $n"
ok "the refused commands changed nothing (audit, r05's alerts)"

run help.out help.err "$FAIRTOP" ack --help
expect_rc "fairtop ack --help" 0 help.err
expect_contains "ack --help" help.out "--run RUN"
ok "ack --help: names --run RUN"

# ---------------------------------------------------------------------
say "== alerts --run"
run run.json run.json.err "$FAIRTOP" --db "$db" alerts --run r04 --format json
expect_rc "fairtop alerts --run r04 --format json" 0 run.json.err
expect_json "alerts --run r04 --format json" run.json
python3 - run.json "$firing" <<'EOF' || fail "alerts --run r04: see above"
import json, sys
a = json.load(open(sys.argv[1]))
if len(a) != int(sys.argv[2]) or any(x["run"] != "r04" for x in a):
    sys.exit("FAIL: alerts --run r04: expected %s alerts, all r04's, found %s" % (sys.argv[2], [(x["id"], x["run"]) for x in a]))
for x in a:
    if x["began_at"] != "2026-01-18T11:00:00Z" or x["recorded_at"] != x["first_seen"] or x["resolved_at"] is not None:
        sys.exit("FAIL: alert %s: expected began_at 2026-01-18T11:00:00Z, recorded_at = first_seen, resolved_at null, found %s" % (x["id"], x))
EOF
ok "alerts --run r04 --format json: the $firing alerts of r04 only, began_at, recorded_at"

# ---------------------------------------------------------------------
say "== a resolved alert says why"
if have_sqlite3; then
	rid=$(sql "$db" "SELECT min(id) FROM alerts WHERE run_key = 'r05'")
	sql "$db" "UPDATE alerts SET state = 'resolved', resolved_at = '2026-01-28T09:00:00Z', resolved_reason = 'resolved by rollback #4 by lead: r02 replaced r05 in production' WHERE id = $rid" >/dev/null
	run a4.txt a4.err "$FAIRTOP" --db "$db" alerts --state resolved
	expect_rc "fairtop alerts --state resolved" 0 a4.err
	expect_contains "alerts --state resolved" a4.txt "  #$rid "
	expect_contains "alerts --state resolved" a4.txt "      resolved at 2026-01-28T09:00:00Z: resolved by rollback #4 by lead: r02 replaced r05 in production"
	ok "alerts --state resolved: #$rid with 'resolved at ...: resolved by rollback #4 ...' on an indented line"
fi

# ---------------------------------------------------------------------
say "== production's alarms: resolved when it is replaced, back when it returns"
db2=$SCRATCH/redeploy.db
run i2.out i2.err "$FAIRTOP" --db "$db2" ingest "$TOP/sample_runs"
expect_rc "fairtop ingest sample_runs (second store)" 0 i2.err
r05_open() {
	"$FAIRTOP" --db "$db2" alerts --run r05 --format json | python3 -c '
import json, sys
print(sum(x["state"] in ("firing", "acknowledged") for x in json.load(sys.stdin)))'
}
before=$(r05_open)
[ "$before" -gt 0 ] || fail "r05: expected open alerts after ingest, found $before"
run rb.out rb.err "$FAIRTOP" --db "$db2" rollback --reason "C07" --by lead --yes
expect_rc "fairtop rollback --yes" 0 rb.err
[ "$(r05_open)" -eq 0 ] || fail "after the rollback: expected r05's alerts resolved, found $(r05_open) open"
ok "rollback to r02: r05's $before alerts resolved"
run rd.out rd.err "$FAIRTOP" --db "$db2" deploy r05 --reason "again" --by kevin --override
expect_rc "fairtop deploy r05 --override" 0 rd.err
[ "$(r05_open)" -eq "$before" ] ||
	fail "r05 back in production: expected its $before alerts firing again, found $(r05_open)"
run rp.json rp.err "$FAIRTOP" --db "$db2" report --format json
python3 - rp.json <<'EOF' || fail "report after r05 was deployed again: see above"
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
assert s["deployed"] == "r05" and s["production_passes"] is False, s
assert s["open_alerts"]["critical"] > 0, s
EOF
ok "deploy r05 again: its $before alerts fire again, and report counts them as production's"

# ---------------------------------------------------------------------
say "== the history ingested after the runs: the same alerts"
# every run is judged at arrival against what was in production when it
# started, whatever order the history and the runs came in
alert_keys() {
	"$FAIRTOP" --db "$1" alerts --format json | python3 -c '
import json, sys
for x in sorted(json.load(sys.stdin), key=lambda x: (x["run"], x["rule"], x["subject"])):
    print(x["run"], x["rule"], x["subject"], x["severity"], x["state"], x["baseline"])'
}
dbf=$SCRATCH/folder.db
dbl=$SCRATCH/history-last.db
dbs=$SCRATCH/history-later.db
"$FAIRTOP" --db "$dbf" ingest "$TOP/sample_runs" >/dev/null 2>&1 || fail "ingest sample_runs"
"$FAIRTOP" --db "$dbl" ingest "$TOP"/sample_runs/r0? "$TOP/sample_runs/deployments.csv" >/dev/null 2>&1 ||
	fail "ingest r0? deployments.csv"
"$FAIRTOP" --db "$dbs" ingest "$TOP"/sample_runs/r0? >/dev/null 2>&1 || fail "ingest r0?"
run later.out later.err "$FAIRTOP" --db "$dbs" ingest "$TOP/sample_runs/deployments.csv"
expect_rc "ingest deployments.csv after the runs" 0 later.err
expect_contains "ingest deployments.csv after the runs" later.out "runs judged again at arrival against the new history"
alert_keys "$dbf" >keys-folder.txt
alert_keys "$dbl" >keys-last.txt
alert_keys "$dbs" >keys-later.txt
[ -s keys-folder.txt ] || fail "alerts of the sample store: expected some, found none"
cmp -s keys-folder.txt keys-last.txt || { diff keys-folder.txt keys-last.txt; fail "history named last: expected the same alerts as the folder's ingest (see above)"; }
cmp -s keys-folder.txt keys-later.txt || { diff keys-folder.txt keys-later.txt; fail "history ingested later: expected the same alerts as the folder's ingest (see above)"; }
ok "the same $(wc -l <keys-folder.txt) alerts (run, rule, subject, severity, state, baseline) whether the history comes first, last or later"

done_ok
