#!/bin/sh
# t1200-audit-report: the audit log and the post-mortem report, on a store
# ingested from sample_runs/, rolled back to r02 (--yes, by lead) and with
# one alert acknowledged.
#   audit lists the rows (the three deployments.csv rows, the rollback, the
#   ack); audit --verify exits 0.  Tampering with the sqlite3 shell: with
#   the triggers in place UPDATE and DELETE fail; with a trigger dropped,
#   an edited reason (exit 1 naming that row), a deleted middle row (exit 1
#   naming the row after the gap) and, in another copy, a forged row at the
#   end with a made-up hash (exit 1 naming it) are all caught.
#   report (md) marks the 22 January override **OVERRIDE**, shows the
#   rollback, and a summary naming r02 as deployed and last fair; --format
#   json is valid JSON, timeline sorted by time, summary.deployed "r02";
#   --since 2026-01-20 leaves out the 5 January deployment; --format text
#   marks the override !! OVERRIDE !!.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
o="$SCRATCH/out"
e="$SCRATCH/err"

say "== ingest, rollback, ack"
sample_store "$db"
reason="C07: roll back to last fair model"
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --reason "$reason" --yes --by lead </dev/null
expect_rc "fairtop rollback --yes --by lead" 0 "$e"
run "$o" "$e" "$FAIRTOP" --db "$db" alerts --format json
expect_rc "fairtop alerts --format json" 0 "$e"
expect_json "alerts --format json" "$o"
# r05 left production: its alarms resolved, with the rollback as the
# reason, and stay listed as history; r04's findings (never deployed)
# still fire
python3 - "$o" <<'PY' || fail "alerts after the rollback: see above"
import json, re, sys
a = json.load(open(sys.argv[1]))
r05 = [x for x in a if x["run"] == "r05"]
assert r05, "no alert of r05 listed"
for x in r05:
    assert x["state"] == "resolved", (x["id"], x["state"])
    assert re.fullmatch(r"resolved by rollback #\d+ by lead: r02 replaced r05 in production",
                        x["resolved_reason"] or ""), x["resolved_reason"]
    assert x["began_at"] == "2026-01-21T16:00:00Z", x["began_at"]
assert any(x["run"] == "r04" and x["state"] == "firing" for x in a), "no firing r04 alert"
PY
ok "rollback: r05's alerts resolved with the rollback as reason, r04's still firing"
alert=$(python3 -c '
import json, sys
ids = [a["id"] for a in json.load(open(sys.argv[1])) if a.get("run") == "r04" and a["state"] == "firing"]
print(ids[0] if ids else "")
' "$o") || fail "alerts --format json: expected a list of alerts with id and run, found something else"
[ -n "$alert" ] || fail "alerts: expected a firing alert on r04, found none"
run "$o" "$e" "$FAIRTOP" --db "$db" ack "$alert" --by oncall --note "group C lost, rolled back"
expect_rc "fairtop ack $alert --by oncall" 0 "$e"
ok "rolled back to r02 by lead, alert #$alert acknowledged by oncall"

# ---------------------------------------------------------------------
say "== audit lists the rows"
run "$o" "$e" "$FAIRTOP" --db "$db" audit
expect_rc "fairtop audit" 0 "$e"
for want in "maria.lopez" "kevin.marchand" "override" "rollback" "$reason" "oncall"; do
	expect_contains "fairtop audit" "$o" "$want"
done
grep -E 'oncall +ack' "$o" >/dev/null ||
	{ say "FAIL: fairtop audit: expected the ack row by oncall, found:"; show_file "$o"; exit 1; }
ok "audit: the deployments.csv rows, the override, the rollback by lead and the ack by oncall"
run "$o" "$e" "$FAIRTOP" --db "$db" audit --format json
expect_rc "fairtop audit --format json" 0 "$e"
expect_json "audit --format json" "$o"
if have_sqlite3; then
	n=$(row_count "$db" audit_log)
	m=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$o")
	[ "$n" = "$m" ] || fail "audit --format json: expected $n rows (audit_log), found $m"
	ok "audit --format json: valid JSON, all $n rows"
fi

run "$o" "$e" "$FAIRTOP" --db "$db" audit --verify
expect_rc "fairtop audit --verify (untouched)" 0 "$e"
ok "audit --verify on the untouched store: exit 0"

# ---------------------------------------------------------------------
say "== tampering with the sqlite3 shell"
if have_sqlite3; then
	n=$(row_count "$db" audit_log)
	[ "$n" -ge 4 ] || fail "audit_log: expected at least 4 rows to tamper with, found $n"
	ids=$(sql "$db" "SELECT id FROM audit_log ORDER BY id")
	first=$(printf '%s\n' "$ids" | sed -n 1p)
	mid=$(printf '%s\n' "$ids" | sed -n 3p)
	next=$(printf '%s\n' "$ids" | sed -n 4p)
	lastid=$(printf '%s\n' "$ids" | tail -n 1)

	# with the triggers in place
	t="$SCRATCH/tamper-trig.db"
	cp "$db" "$t"
	before=$(store_state "$t")
	if sqlite3 -batch "$t" "UPDATE audit_log SET reason = 'nothing happened' WHERE id = $mid" >"$o" 2>&1; then
		fail "UPDATE audit_log with the trigger in place: expected an error, found success"
	fi
	expect_contains "UPDATE audit_log with the trigger in place" "$o" "append-only"
	ok "UPDATE audit_log fails with the triggers in place (append-only)"
	if sqlite3 -batch "$t" "DELETE FROM audit_log WHERE id = $mid" >"$o" 2>&1; then
		fail "DELETE FROM audit_log with the trigger in place: expected an error, found success"
	fi
	expect_contains "DELETE FROM audit_log with the trigger in place" "$o" "append-only"
	ok "DELETE FROM audit_log fails with the triggers in place (append-only)"
	expect_unchanged "UPDATE/DELETE refused" "$t" "$before"
	run "$o" "$e" "$FAIRTOP" --db "$t" audit --verify
	expect_rc "fairtop audit --verify after the refused UPDATE/DELETE" 0 "$e"
	ok "audit --verify still exits 0"

	# verify_broken WHAT DB ROW: audit --verify exits 1 and names ROW
	verify_broken() {
		run "$o" "$e" "$FAIRTOP" --db "$2" audit --verify
		expect_rc "$1: fairtop audit --verify" 1 "$e"
		cat "$o" "$e" >"$SCRATCH/verify.all"
		# the first row the message names is the one broken
		_named=$(grep -oE 'row #?[0-9]+' "$SCRATCH/verify.all" | head -n 1 | tr -dc '0-9')
		[ "$_named" = "$3" ] || {
			say "FAIL: $1: expected audit --verify to name row $3 (first), found:"
			show_file "$SCRATCH/verify.all"
			exit 1
		}
		ok "$1: audit --verify exits 1 naming row $3"
	}

	t="$SCRATCH/tamper-update.db"
	cp "$db" "$t"
	sql "$t" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET reason = 'nothing happened' WHERE id = $mid" >/dev/null
	verify_broken "an edited reason (row $mid)" "$t" "$mid"

	t="$SCRATCH/tamper-delete.db"
	cp "$db" "$t"
	sql "$t" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = $mid" >/dev/null
	verify_broken "a deleted middle row ($mid)" "$t" "$next"

	t="$SCRATCH/tamper-insert.db"
	cp "$db" "$t"
	sql "$t" "INSERT INTO audit_log (time, actor, action, run_key, reason, details, prev_hash, hash)
		SELECT '2026-01-23T09:00:00Z', 'mallory', 'deploy', 'r05', 'all green', '{}', hash,
		       '$(printf '%064d' 42)' FROM audit_log WHERE id = $lastid" >/dev/null
	forged=$(sql "$t" "SELECT max(id) FROM audit_log")
	verify_broken "a forged row at the end ($forged)" "$t" "$forged"

	# the first row too: an edit there is not mistaken for a good start
	t="$SCRATCH/tamper-first.db"
	cp "$db" "$t"
	sql "$t" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone.else' WHERE id = $first" >/dev/null
	verify_broken "an edited actor in the first row ($first)" "$t" "$first"
fi

# ---------------------------------------------------------------------
say "== report (markdown)"
run "$o" "$e" "$FAIRTOP" --db "$db" report
expect_rc "fairtop report" 0 "$e"
md="$SCRATCH/report.md"
cp "$o" "$md"
grep -F '**OVERRIDE**' "$md" | grep -F '2026-01-22' | grep -F 'r05' >/dev/null ||
	{ say "FAIL: report: expected the 22 January override of r05 marked **OVERRIDE**, found:"; show_file "$md"; exit 1; }
ok "report: the 22 January override of r05 is marked **OVERRIDE**"
grep -F 'rollback' "$md" | grep -F 'r02' | grep -F 'lead' >/dev/null ||
	{ say "FAIL: report: expected the rollback to r02 by lead in the timeline, found:"; show_file "$md"; exit 1; }
ok "report: the rollback to r02 by lead is in the timeline"
# the summary: the lines that are not timeline table rows
grep -v '^|' "$md" >"$SCRATCH/summary.md"
grep -iE 'deployed (now|currently)|currently deployed|in production' "$SCRATCH/summary.md" | grep -F 'r02' >/dev/null ||
	{ say "FAIL: report: expected the summary to name r02 as deployed, found:"; show_file "$md"; exit 1; }
grep -i 'last fair' "$SCRATCH/summary.md" | grep -F 'r02' >/dev/null ||
	{ say "FAIL: report: expected the summary to name r02 as the last fair model, found:"; show_file "$md"; exit 1; }
ok "report: the summary names r02 as deployed and as the last fair model"
expect_contains "report" "$md" "2026-01-05"
ok "report: the 5 January deployment is in the timeline"
# after the rollback production is r02, also the last fair model: one
# fairness table, each aggregate with its interval and whether it is
# established (r02's group spreads are sampling noise)
expect_contains "report" "$md" "## Fairness of production and of the last fair model"
expect_contains "report" "$md" "### r02 (production)"
grep -Eq '^\| group \| 0\.017 \[-?[0-9.]+, [0-9.]+\] not established \|' "$md" ||
	{ say "FAIL: report: expected r02's group row with DP difference 0.017 [L, H] not established, found:"; show_file "$md"; exit 1; }
ok "report: production r02's aggregates with their intervals, not established"

say "== report --format json"
run "$o" "$e" "$FAIRTOP" --db "$db" report --format json
expect_rc "fairtop report --format json" 0 "$e"
expect_json "report --format json" "$o"
python3 - "$o" >"$SCRATCH/json-check.out" 2>&1 <<'EOF' ||
import json, sys
r = json.load(open(sys.argv[1]))
problems = []
s = r.get("summary", {})
if s.get("deployed") != "r02":
    problems.append("summary.deployed: expected r02, found %r" % (s.get("deployed"),))
if s.get("last_fair") not in (None, "r02"):
    problems.append("summary.last_fair: expected r02, found %r" % (s.get("last_fair"),))
tl = r.get("timeline")
if not isinstance(tl, list) or not tl:
    problems.append("timeline: expected a non-empty list, found %r" % (tl,))
    tl = []
times = [ev.get("time") for ev in tl]
if any(not isinstance(t, str) for t in times):
    problems.append("timeline: expected a time on every event, found %r" % (times,))
elif times != sorted(times):
    problems.append("timeline: expected events sorted by time, found %r" % (times,))
ov = [ev for ev in tl if ev.get("override") is True]
if not any(ev.get("run") == "r05" and str(ev.get("time", "")).startswith("2026-01-22") for ev in ov):
    problems.append("timeline: expected the 22 January override of r05 with override: true, found %r" % (ov,))
if not any(ev.get("event") == "rollback" and ev.get("run") == "r02" for ev in tl):
    problems.append("timeline: expected a rollback event to r02")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF
	{ say "FAIL: report --format json:"; show_file "$SCRATCH/json-check.out"; exit 1; }
ok "report --format json: valid JSON, timeline sorted by time, summary.deployed r02, the override and the rollback"
python3 - "$o" <<'PY' || { say "FAIL: report --format json: fairness (above)"; exit 1; }
import json, sys
d = json.load(open(sys.argv[1]))
fa = d["fairness"]
assert [x["run"] for x in fa] == ["r02"], fa
g = [x for x in fa[0]["features"] if x["feature"] == "group"][0]
for k in ("demographic_parity_difference", "demographic_parity_ratio",
          "equalized_odds_difference"):
    a = g[k]
    assert a["low"] <= a["value"] <= a["high"], a
    assert a["established"] is False, a
print("     fairness r02 group: %r" % g["demographic_parity_difference"])
PY
ok "report --format json: fairness of r02 (production and last fair), low <= value <= high, not established"

say "== report --since 2026-01-20"
run "$o" "$e" "$FAIRTOP" --db "$db" report --since 2026-01-20
expect_rc "fairtop report --since 2026-01-20" 0 "$e"
if grep -F '2026-01-05' "$o" >/dev/null; then
	say "FAIL: report --since 2026-01-20: expected the 5 January deployment left out, found:"
	grep -F '2026-01-05' "$o" | sed 's/^/    | /'
	exit 1
fi
grep -F '**OVERRIDE**' "$o" | grep -F '2026-01-22' >/dev/null ||
	{ say "FAIL: report --since 2026-01-20: expected the 22 January override kept, found:"; show_file "$o"; exit 1; }
ok "report --since 2026-01-20: the 5 January deployment left out, the 22 January override kept"
run "$o" "$e" "$FAIRTOP" --db "$db" report --since 2026-01-20 --format json
expect_rc "fairtop report --since 2026-01-20 --format json" 0 "$e"
expect_json "report --since --format json" "$o"
python3 -c '
import json, sys
tl = json.load(open(sys.argv[1]))["timeline"]
bad = [ev for ev in tl if ev["time"] < "2026-01-20"]
sys.exit(1 if bad or not tl else 0)
' "$o" || { say "FAIL: report --since 2026-01-20 --format json: expected only events at or after 2026-01-20, found:"; show_file "$o"; exit 1; }
ok "report --since 2026-01-20 --format json: only events at or after 2026-01-20"

say "== report --format text"
run "$o" "$e" "$FAIRTOP" --db "$db" report --format text
expect_rc "fairtop report --format text" 0 "$e"
grep -F '!! OVERRIDE !!' "$o" | grep -F '2026-01-22' | grep -F 'r05' >/dev/null ||
	{ say "FAIL: report --format text: expected the 22 January override of r05 marked !! OVERRIDE !!, found:"; show_file "$o"; exit 1; }
ok "report --format text: the override marked !! OVERRIDE !!"
no_control_bytes "report --format text" "$o"
ok "report --format text: no control bytes (NO_COLOR)"

done_ok
