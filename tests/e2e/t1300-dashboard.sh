#!/bin/sh
# t1300-dashboard: the dashboard (fairtop with no command) in a private
# tmux server at 80x24, on stores ingested from sample_runs/ (r05's
# override in production, r02 the last fair run).
#   Runs: r01..r06 with the accuracy, F-beta, worst TPR, DP and EO that
#   `fairtop runs` prints; D on r05, F on r02, FAIL in FAIR and VS PROD
#   for r04; the
#   header's alert counts match `fairtop alerts`.  `/` r0 4 filters to r04,
#   Esc clears; s and S change the sort label and the order.
#   Enter opens Compare with the run as candidate and a FAILS or PASSES
#   banner; b and c (Runs view) and the Compare pickers set the pair:
#   r02 -> r05 FAILS on group=B with throughput +93.1 %; its DP and EO
#   differences with each run's interval, "?" marking r02's as not
#   established.
#   Drift: a chart with lines A, B and C, in braille, and the PSI block.
#   Alerts: CRITICAL r05 alerts; a, a note and Enter acknowledge the
#   selected one (fairtop alerts --format json: acknowledged, note kept).
#   Timeline: "!! OVERRIDE" for r05, its whole reason shown when selected.  ? shows the help, a key closes it.
#   Rollback: R opens the dialog naming r02; Esc cancels and writes
#   nothing; a mistyped confirmation is refused and writes nothing; the
#   right one (by typed after Shift-Tab) rolls back, and every view
#   follows (header, D mark, Compare, Timeline).
#   --read-only: header [read-only], R and a do nothing, nothing written.
#   Resize to 200x60 shows more columns, each as wide as its content (no
#   blank RUN column), the header's "store read at HH:MM:SS UTC", and the
#   whole Compare page,
#   60x20 says "terminal too small", 80x24 draws again.
#   LANG=C: no byte beyond ASCII on any view (no braille, no box lines).
#   NO_COLOR=1: no colour at all, FAIL/pass and FAILS still in words.
#   A run whose id holds an ESC sequence and U+202E shows as "evil?[31m?x",
#   with the header and the table intact.  q quits: fairtop's process is
#   gone, the prompt is back, the terminal out of the alternate screen.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"
. "$TOP/tests/e2e/lib/tmux.sh"

tm_need
command -v python3 >/dev/null 2>&1 ||
	{ say "skip: python3 is not installed: the JSON checks need it"; exit 0; }
cd "$SCRATCH" || fail "cd $SCRATCH"

utf8=$(tm_utf8_locale)
if [ -n "$utf8" ]; then
	say "UTF-8 locale: $utf8"
else
	say "skip: no UTF-8 locale (locale -a): the braille and Unicode checks are skipped"
fi
loc=${utf8:-C}
esc=$(printf '\033')
high=$(printf '[\200-\377]')
braille=$(printf '\342[\240\241\242\243]')

launch="$SCRATCH/dash.sh"
tm_launcher "$launch" "$loc" color

# counts DB: the rows of the audit log and, with sqlite3, of deployments:
# one line that changes when the dashboard writes anything on record.
counts() {
	_a=$("$FAIRTOP" --db "$1" audit --format json |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') ||
		fail "fairtop audit --format json: expected a JSON list"
	_d=-
	command -v sqlite3 >/dev/null 2>&1 && _d=$(row_count "$1" deployments)
	printf 'audit=%s deployments=%s\n' "$_a" "$_d"
}

# alerts_summary DB: "CRIT WARN" firing alert counts of the run in
# production (the header's alarms) from the CLI.
alerts_summary() {
	_prod=$("$FAIRTOP" --db "$1" report --format json | python3 -c '
import json, sys
print(json.load(sys.stdin)["summary"]["deployed"] or "")')
	"$FAIRTOP" --db "$1" alerts --format json | python3 -c '
import json, sys
a = [x for x in json.load(sys.stdin)
     if x["state"] == "firing" and x["run"] == sys.argv[1]]
print(sum(x["severity"] == "critical" for x in a),
      sum(x["severity"] == "warning" for x in a))' "$_prod"
}

# regex_of TEXT: TEXT with the ERE specials escaped.
regex_of() {
	printf '%s\n' "$1" | sed 's/[.[^$*+?(){}|\\]/\\&/g'
}

# ---------------------------------------------------------------------
say "== Runs view"
db="$SCRATCH/dash.db"
sample_store "$db"
"$FAIRTOP" --db "$db" runs >"$SCRATCH/runs.txt" 2>"$SCRATCH/runs.err" ||
	fail "fairtop runs: expected exit code 0"
tm_start 80 24 "$launch" --db "$db"
tm_expect "production fails: the dashboard opens on the Incident view" \
	"INCIDENT: production r05 fails the policy"
tm_keys 1
tm_expect "header: production and its verdict, who put it there and since when" \
	" production r05 FAILS — override by kevin.marchand since 2026-01-22 18:45"
tm_expect_re "header: the last fair run beside the tabs" "6 Incident +last fair r02  "
tm_expect_running "the dashboard runs in the alternate screen"
tm_expect_re "80x24: the key bar ends with help and quit, whole" \
	"^ Enter compare .* R rollback  \\? help  q quit *$"
tm_save runs-80x24.txt
for r in r01 r02 r03 r04 r05 r06; do
	line=$(grep -E "^$r " "$SCRATCH/runs.txt") ||
		fail "fairtop runs: expected a row for $r"
	set -- $line
	ver=$3 acc=$6 fb=$7 wtpr=$8 grp=$9
	shift $(($# - 4)) # DP DIFF, EO DIFF, then FAIR and VS PROD
	dp=$1 eo=$2
	# at 80 columns VER, DATE and MODEL give way to the verdicts
	# '*': evaluated on other rows or groups than the last fair model
	re="$(tm_run_row "$r") +$(regex_of "$acc")\\*? +$(regex_of "$fb")\\*? +[0-9.]+\\*? +$(regex_of "$dp") +$(regex_of "$eo") +$(regex_of "$wtpr") $(regex_of "$grp") "
	tm_expect_re "Runs: $r shows ACC $acc, F-BETA $fb, DP $dp, EO $eo, worst TPR $wtpr $grp as fairtop runs does" "$re"
done
tm_expect_re "Runs: r05's throughput is marked: its evaluation lost rows" "^D   r05 .* 2317\\.2\\* "
tm_expect_re "Runs: r06's throughput is not (the same 4000 rows as r02)" "$(tm_run_row r06) .* 1205 "
tm_expect "Runs: the legend says what * means" "* other rows or groups than r02 (last fair)"
tm_expect_re "Runs: D marks r05 (deployed)" "^D   r05 "
tm_expect_re "Runs: F marks r02 (last fair)" "^ F  r02 "
tm_expect_not "Runs: no other run is marked D or F" '^D[ F]  r0[^5] |^[ D]F  r0[^2] '
tm_expect_re "Runs: FAIR and VS PROD say FAIL for r04" "$(tm_run_row r04).* FAIL FAIL +[0-9]+!"
tm_expect_re "Runs: FAIR and VS PROD say pass for r06" "$(tm_run_row r06).* pass pass +"
tm_expect_re "Runs: r05 FAILS on its own, in production" "$(tm_run_row r05).* FAIL \(prod\) +[0-9]+!"
tm_expect_re "Runs: r02 passes on its own and against r05" "$(tm_run_row r02).* pass pass +"
set -- $(alerts_summary "$db")
tm_expect "header: production's critical alerts counted as fairtop alerts does ($1)" \
	"last fair r02  $1!"
tm_expect "Runs: the selected run's verdicts in words" "r06 passes on its own and against r05 in production"
tm_keys j
tm_expect "Runs: for the selected r05, why its numbers have a *" \
	"* r05 evaluated 3800 rows of other groups, r02 (last fair) 4000"
tm_keys k
tm_expect "Runs: r06 selected again, the legend says what * means" \
	"* other rows or groups than r02 (last fair)"

say "== filter and sort"
tm_expect "sort label: date" "sort: date"
tm_keys /
tm_expect "/ opens the filter" "type to filter  Enter done  Esc clear"
tm_type r0
tm_expect "filter: r0 typed" "filter: r0"
tm_expect_re "filter r0: r01 still shown" "$(tm_run_row r01)"
tm_type 4
tm_expect "filter: r04 typed" "filter: r04"
tm_expect_gone "filter r04: r01 r02 r03 r05 r06 hidden" '^[ D][ F]  r0[12356] '
tm_expect_re "filter r04: r04 shown" "$(tm_run_row r04)"
tm_keys Escape
tm_expect_gone "Esc clears the filter" "filter: "
for r in r01 r02 r03 r04 r05 r06; do
	tm_expect_re "after Esc: $r shown again" "$(tm_run_row "$r")"
done
tm_keys s
tm_expect "s: sort by run" "sort: run"
tm_capture
case $(tm_line 5) in
*" r01 "*) ok "sort by run: r01 first" ;;
*) tm_fail "sort by run: expected r01 on the first row (line 5)" ;;
esac
tm_keys s
tm_expect "s again: sort by accuracy" "sort: accuracy"
tm_capture
case $(tm_line 5)$(tm_line 6) in
*" r06 "*" r02 "*) ok "sort by accuracy: r06 (0.898) then r02 (0.889)" ;;
*) tm_fail "sort by accuracy: expected r06 then r02 on lines 5 and 6" ;;
esac
tm_keys S
tm_expect "S: reversed" "sort: accuracy (reversed)"
tm_capture
case $(tm_line 5) in
*" r01 "*) ok "sort by accuracy reversed: r01 (0.862) first" ;;
*) tm_fail "sort by accuracy reversed: expected r01 on the first row" ;;
esac
tm_keys S s s s s s s s
tm_expect_re "s through every key: back to date" "^sort: date( |$)"

say "== Compare"
tm_keys g j j
tm_expect "j j: r04 selected, its verdicts in words" "r04 FAILS on its own: demographic parity difference"
tm_keys Enter
tm_expect "Enter: the Compare view" "[2 Compare]"
tm_expect "Compare: the selected run is the candidate, the deployed one the baseline" \
	"baseline r05 (1.4), deployed  ->  candidate r04 (1.3)"
tm_expect_re "Compare: the banner says FAILS or PASSES" "^ (FAILS|PASSES)"
tm_keys 1
tm_expect "1: the Runs view" "[1 Runs]"
tm_keys g j j j j b
tm_expect "b: baseline set to r02" "baseline set to r02"
tm_keys g j c
tm_expect "c: candidate set to r05" "candidate set to r05"
tm_keys 2
tm_expect "2: r02 -> r05" "baseline r02 (1.1)  ->  candidate r05 (1.4)"
# the judge's message carries the interval now: at 80 columns the banner
# wraps before the group that drives it
tm_expect_re "Compare r02 -> r05: FAILS, with the interval" '^ FAILS: .* across group [0-9.]+ \[[0-9.]+, [0-9.]+\]'
tm_expect_re "Compare r02 -> r05: FAILS on group=B" "^ FAILS: .*group=B|^driven by group=B"
tm_expect_re "Compare r02 -> r05: DP diff of both runs with intervals, r02's not established, r05's established" \
	'^  DP diff  0\.017 \[-0\.[0-9]{2},0\.[0-9]{2}\]\? -> 0\.174 \[0\.[0-9]{2},0\.[0-9]{2}\]  .*over the policy$'
tm_expect_re "Compare: the intervals' legend" '^FAIRNESS: group  \[95% intervals; \? not established\]'

tm_expect_re "Compare r02 -> r05: throughput +93.1 %" 'throughput .*\+93\.1 %'
tm_expect_re "Compare 80x24: the banner wraps, its end shown whole" \
	"not considered *$"
tm_expect_re "Compare r02 -> r05: group=C absent from the candidate" "^  C +ABSENT from the candidate"
tm_keys b
tm_expect "Compare b: the baseline picker" "pick the baseline (Enter picks, Esc cancels)"
tm_keys Escape
tm_expect_gone "picker: Esc closes it" "pick the baseline"
tm_expect "picker Esc: the pair is unchanged" "baseline r02 (1.1)  ->  candidate r05 (1.4)"
tm_keys b j j j j j Enter
tm_expect "picker: r01 picked as the baseline" "baseline r01 (1.0)  ->  candidate r05 (1.4)"
tm_keys b j j j j Enter
tm_expect "picker: r02 picked back" "baseline r02 (1.1)  ->  candidate r05 (1.4)"
tm_keys c j Enter
tm_expect "picker: r05 picked as the candidate" "baseline r02 (1.1)  ->  candidate r05 (1.4)"

say "== Drift"
tm_keys 3
tm_expect "3: the Drift view" "TPR of each group of 'group' across runs"
for g in A B C; do
	tm_expect_re "Drift: a line labelled $g with its last value" " $g [01]\.[0-9]{3}( |$)"
done
tm_expect "Drift: the PSI block" "PSI of r05 against r02"
tm_expect_re "Drift: x labels name the runs" "r01 .*r06"
if [ -n "$utf8" ]; then
	tm_capture
	LC_ALL=C grep -q -e "$braille" "$TM_SCREEN" ||
		tm_fail "Drift: expected braille (U+2800..U+28FF) in a UTF-8 locale"
	ok "Drift: the chart is drawn in braille"
fi
tm_save drift-80x24.txt

say "== Alerts and acknowledging"
tm_keys 4
tm_expect "4: the Alerts view" "[4 Alerts]"
tm_expect_re "Alerts: CRITICAL alerts of r05, firing" "CRITICAL +firing +r05 "
tm_keys a
tm_expect_re "a: the acknowledge box" "acknowledge alert #[0-9]+"
id=$(sed -n 's/.*acknowledge alert #\([0-9][0-9]*\).*/\1/p' "$TM_SCREEN" | head -n 1)
tm_type "checked by e2e"
tm_expect "a: the note as typed" "note: checked by e2e_"
tm_keys Enter
tm_expect "Enter: acknowledged" "alert #$id acknowledged"
"$FAIRTOP" --db "$db" alerts --format json >"$SCRATCH/alerts.json" ||
	fail "fairtop alerts --format json: expected exit code 0"
got=$(python3 -c '
import json, sys
a = [x for x in json.load(open(sys.argv[1])) if x["id"] == int(sys.argv[2])]
print(a[0]["state"], a[0]["ack_note"], a[0]["acknowledged_by"], sep="|") if a else print("missing")
' "$SCRATCH/alerts.json" "$id")
login=$(id -un)
[ "$got" = "acknowledged|checked by e2e|$login" ] ||
	fail "alert #$id: expected acknowledged, note 'checked by e2e', by '$login' (USER unset: the login name, as the CLI records), found '$got'"
ok "fairtop alerts --format json: #$id acknowledged by $login (the login name, USER unset) with the note"
set -- $(alerts_summary "$db")
tm_expect "header: one critical alert fewer ($1 critical)" "last fair r02  $1!"
firing_r05=$("$FAIRTOP" --db "$db" alerts --format json | python3 -c '
import json, sys
print(sum(x["run"] == "r05" and x["state"] == "firing" for x in json.load(sys.stdin)))')
audit_before=$("$FAIRTOP" --db "$db" audit --format json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
tm_keys g A
tm_expect "A: the box for every firing alert of the run" "acknowledge every firing alert of r05"
tm_type "r05 known bad, rollback planned"
tm_keys Enter
tm_expect_re "A: acknowledged, one audit entry" "acknowledged $firing_r05 alerts? of r05 \(one audit entry #[0-9]+\)"
audit_after=$("$FAIRTOP" --db "$db" audit --format json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
[ "$audit_after" -eq $((audit_before + 1)) ] ||
	fail "A: expected one audit entry more ($audit_before + 1), found $audit_after"
ok "A: $firing_r05 alerts of r05 acknowledged with one audit entry"
tm_expect_re "A: production has no firing critical alert left: no alarm beside the tabs" "6 Incident +last fair r02 *$"

say "== Timeline and help"
tm_keys 5
tm_expect "5: the Timeline view" "[5 Timeline]"
tm_expect_re "Timeline: r05's override, marked in words" "!! OVERRIDE +r05 "
tm_expect_re "Timeline: the acknowledgement is on record" " ack +r05 "
tm_keys g j j j j j j j
tm_expect "Timeline: j moves to the 8th event, the override" "   [8 of "
tm_expect "Timeline 80x24: the override's whole reason, wrapped below" \
	"fairness alerts, CI ran partially"
tm_keys '?'
tm_expect "?: the help" "this help; any key closes it"
tm_expect "help: names R" "roll back to the last fair model"
tm_expect "help: names d" "d            Incident: deploy a newer fair run instead, gated"
# 80x24: the box whole, top to bottom, every line of it whole
tm_capture
tm_save help-80x24.txt
# (the box is drawn over the view from column 1)
boxtop=$(grep -n -E '(┌|\+)(─|-) keys ' "$TM_SCREEN" | cut -d: -f1)
boxend=$(grep -n -E '(└|\+)(─|-)+(┘|\+) *$' "$TM_SCREEN" | cut -d: -f1)
[ -n "$boxtop" ] && [ -n "$boxend" ] ||
	tm_fail "help at 80x24: expected the box's top and bottom borders on the screen"
for want in "1-6, Tab     switch view: Runs, Compare, Drift, Alerts, Timeline," \
	"q            quit" \
	"Refreshes when the store changes (another terminal's ingest)."; do
	sed -n "${boxtop},${boxend}p" "$TM_SCREEN" | grep -q -F -e "│ $want " -e "| $want " ||
		tm_fail "help at 80x24: expected the whole line in the box: $want"
done
# a line cut ends in "…" at the box's right border (what the view shows
# right of the box may be cut: it is not the help's)
sed -n "${boxtop},${boxend}p" "$TM_SCREEN" | grep -q -e '…│' -e '… │' -e '~|' -e '~ |' -e 'more: j/k' &&
	tm_fail "help at 80x24: expected no line cut and nothing more to scroll to"
ok "help at 80x24: the box whole, its lines whole within 80 columns"
tm_keys x
tm_expect_gone "help: any key closes it" "this help; any key closes it"

say "== rollback"
tm_keys 1
tm_expect "1: the Runs view" "[1 Runs]"
before=$(counts "$db")
tm_keys R
tm_expect "R: the rollback dialog" "roll back to the last fair model"
tm_expect "dialog: r05 is current and fails" "current: r05 (override since 2026-01-22T18:45): FAILS the policy"
tm_expect "dialog: r02 is the target" "target:  r02, the last fair model: passes the policy"
tm_expect "dialog: asks for r02 to be typed" "type r02 in confirm to enable the rollback"
tm_expect "dialog: USER unset, by is the login name, as the CLI would record" "by:      $login"
tm_keys Escape
tm_expect "Esc: cancelled" "rollback cancelled: nothing written"
tm_expect_gone "Esc: the dialog is gone" "type r02 in confirm"
[ "$(counts "$db")" = "$before" ] ||
	fail "Esc: expected nothing written ($before), found $(counts "$db")"
ok "Esc: nothing written ($before)"
tm_expect "Esc: r05 still in production" "production r05 FAILS"
tm_keys R
tm_expect "R again: the dialog" "type r02 in confirm to enable the rollback"
tm_type "fairness regression"
tm_expect "dialog: the reason as typed" "reason:  fairness regression_"
tm_keys BTab
tm_expect "Shift-Tab: the by field" "by:      ${login}_"
i=0
while [ "$i" -lt "${#login}" ]; do
	tm_keys BSpace
	i=$((i + 1))
done
tm_expect "by: cleared" "by:      _"
tm_type "e2e-tester"
tm_expect "dialog: by as typed" "by:      e2e-tester_"
tm_keys Tab Tab
tm_expect "Tab Tab: the confirm field" "confirm: _"
tm_type r2
tm_keys Enter
tm_expect "mistyped r2: refused, says what is missing" \
	"missing: the target's run id, typed to confirm"
tm_expect "mistyped r2: the dialog stays" "confirm: r2_"
tm_keys BSpace BSpace
tm_type r03
tm_keys Enter
tm_expect "mistyped r03: the dialog stays" "confirm: r03_"
tm_expect_not "mistyped: no outcome box" "rolled back|is in production"
[ "$(counts "$db")" = "$before" ] ||
	fail "mistyped confirmation: expected nothing written ($before), found $(counts "$db")"
ok "mistyped confirmation: nothing written"
tm_expect "mistyped: r05 still in production" "production r05 FAILS"
tm_keys BSpace
tm_type 2
tm_expect "r02 typed: ready" "Enter ROLLS BACK to r02"
tm_keys Enter
tm_expect_re "Enter: rolled back, by the name typed" \
	"r02 is in production \(deployment #[0-9]+ by e2e-tester\)"
tm_expect "outcome: the reason" "reason: fairness regression"
tm_keys x
tm_expect_gone "a key closes the outcome" "any key closes"
tm_expect "header: production r02 passes, rolled back by e2e-tester" " production r02 passes — rollback by e2e-tester since "
tm_expect "header: r02 is the last fair run" "last fair r02"
tm_expect_re "Runs: D and F now on r02" "^DF  r02 "
tm_expect_gone "Runs: D no longer on r05" "^D   r05 "
expect_current "rollback from the dashboard" "$db" r02
"$FAIRTOP" --db "$db" audit --format json >"$SCRATCH/audit.json"
got=$(python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))[-1]
print(a["action"], a["run"], a["actor"], a["reason"], sep="|")' "$SCRATCH/audit.json")
[ "$got" = "rollback|r02|e2e-tester|fairness regression" ] ||
	fail "audit: expected the last row rollback|r02|e2e-tester|fairness regression, found '$got'"
ok "audit: the rollback on record, by e2e-tester, with the reason"
tm_keys 5
tm_expect_re "Timeline: the rollback, marked" "<< rollback +r02 .*e2e-tester"
tm_expect "Timeline: the summary follows" "production: r02 (passes)   last fair: r02"
tm_keys 2
tm_expect "Compare: r02 is now the deployed baseline" "baseline r02 (1.1), deployed  ->  candidate r05 (1.4)"
tm_keys 1
tm_expect_re "Runs: r05 now FAILS against r02" "$(tm_run_row r05).* FAIL "
tm_keys q
tm_expect_exited "q: fairtop exits, the shell is back"

say "== --read-only"
before=$(counts "$db")
tm_start 80 24 "$launch" --db "$db" --read-only
tm_expect "read-only: the header says so" "[read-only]"
tm_expect_not "read-only: the key bar offers no rollback" "R rollback"
tm_keys R
tm_expect "read-only: R says it is off" "read-only: rollback is off"
tm_expect_not "read-only: R opens no dialog" "roll back to the last fair model"
tm_keys 4
tm_expect_re "read-only: the Alerts view" "CRITICAL +firing"
tm_keys a
tm_expect "read-only: a says it is off" "read-only: acknowledging is off"
tm_expect_not "read-only: a opens no box" "acknowledge alert #"
tm_keys q
tm_expect_exited "read-only: q exits"
[ "$(counts "$db")" = "$before" ] ||
	fail "read-only: expected nothing written ($before), found $(counts "$db")"
ok "read-only: nothing written"

say "== resize"
tm_start 80 24 "$launch" --db "$db"
tm_keys 1
tm_expect_re "80x24: the Runs view" "$(tm_run_row r06)"
tm_expect_not "80x24: no MODEL column" " MODEL "
tm_resize 200 60
tm_expect "200x60: the MODEL column" " MODEL "
tm_expect "200x60: the DATE column" " DATE "
tm_expect_re "200x60: r05's model and date" "$(tm_run_row r05) +loan-approval +1\.4 +2026-01-21 "
tm_expect_re "200x60: RUN and MODEL as wide as their content, the spare width at the right" \
	"^    RUN   MODEL         VER  DATE  "
tm_expect_re "200x60: the header says what its clock is" " store read at [0-2][0-9]:[0-5][0-9]:[0-5][0-9] UTC *$"
tm_keys 2
tm_expect "200x60: the whole Compare page, findings included" "FINDINGS"
tm_expect_gone "200x60: no scroll marker" "j/k scroll]"
tm_save compare-200x60.txt
tm_resize 60 20
tm_expect "60x20: terminal too small" "terminal too small: fairtop needs 80x24, this is 60x20"
tm_expect_not "60x20: no table drawn over it" "FINDINGS| production r0"
tm_resize 80 24
tm_expect "80x24 again: the header" " production r02 passes"
tm_expect "80x24 again: the Compare view" "[2 Compare]"
tm_expect_gone "80x24 again: the too-small message is gone" "terminal too small"
tm_keys q
tm_expect_exited "after resizing: q exits"

# ---------------------------------------------------------------------
say "== a run id with an ESC sequence and U+202E"
evil_db="$SCRATCH/evil.db"
sample_store "$evil_db"
evil=$(printf 'evil\033[31m\342\200\256x')
make_run "$SCRATCH/evil-run" "$evil"
"$FAIRTOP" --db "$evil_db" ingest "$SCRATCH/evil-run" >"$SCRATCH/evil.out" 2>"$SCRATCH/evil.err" ||
	{ say "FAIL: fairtop ingest evil-run: expected exit code 0"; show_file "$SCRATCH/evil.err"; exit 1; }
tm_start 90 24 "$launch" --db "$evil_db"
tm_keys 1
tm_expect_re "evil: the run shows with ? for ESC and U+202E" "^    evil\?\[31m\?x +"
tm_capture
no_control_bytes "evil: the Runs view" "$TM_SCREEN"
case $(tm_line 1) in
" production r05 FAILS"*) ok "evil: the header is intact" ;;
*) tm_fail "evil: expected the header on line 1" ;;
esac
evil_line=$(grep -e '^    evil?' "$TM_SCREEN")
r05_line=$(grep -e '^D   r05 ' "$TM_SCREEN")
[ "${#evil_line}" -le 90 ] || tm_fail "evil: expected its row within 90 columns"
# ALERTS is right-aligned in the last column: aligned rows end together
[ "${#evil_line}" -eq "${#r05_line}" ] ||
	tm_fail "evil: expected its row to end where r05's does (${#r05_line}), found ${#evil_line}"
ok "evil: the table stays aligned (rows end at column ${#r05_line})"
tm_keys 4
tm_expect_re "evil: its alerts in the Alerts view" "firing +evil\?\["
no_control_bytes "evil: the Alerts view" "$TM_SCREEN"
tm_keys 5
tm_expect_re "evil: its run in the Timeline" " run +evil\?\["
no_control_bytes "evil: the Timeline" "$TM_SCREEN"
case $(tm_line 1) in
" production r05 FAILS"*) ok "evil: the header is still intact" ;;
*) tm_fail "evil: expected the header on line 1 after every view" ;;
esac
tm_keys q
tm_expect_exited "evil: q exits"

# ---------------------------------------------------------------------
say "== LANG=C: ASCII only"
ascii="$SCRATCH/dash-ascii.sh"
tm_launcher "$ascii" C color
tm_start 90 24 "$ascii" --db "$evil_db"
tm_keys 1
# check_ascii WHAT: the screen holds no byte beyond ASCII
check_ascii() {
	if LC_ALL=C grep -n -e "$high" "$TM_SCREEN" >"$SCRATCH/high.txt"; then
		printf 'FAIL: %s: expected ASCII only, found bytes beyond it on:\n' "$1"
		sed 's/^/    /' "$SCRATCH/high.txt" | head -n 5
		tm_show
		exit 1
	fi
	ok "$1: ASCII only"
}
tm_expect_re "C: the Runs view" "$(tm_run_row r06)"
tm_expect_re "C: the evil run, beyond-ASCII shown as ?" "^    evil\?\[31m\?x +"
check_ascii "C: Runs"
tm_keys 2
tm_expect_re "C: Compare banner" "^ (FAILS|PASSES)"
tm_expect_re "C: Compare deltas as + and -, after the interval" '-> [0-9.]+ \[-?[0-9.]+,-?[0-9.]+\]\??  ([-+][0-9]\.[0-9]{3}|=)'
check_ascii "C: Compare"
tm_keys 3
tm_expect_re "C: Drift chart axis" "^ [01]\.[0-9]{2}\|"
tm_expect "C: Drift PSI block" "PSI of"
check_ascii "C: Drift"
tm_keys 4
tm_expect_re "C: Alerts" "CRITICAL +firing"
check_ascii "C: Alerts"
tm_keys 5
tm_expect "C: Timeline" "!! OVERRIDE"
check_ascii "C: Timeline"
tm_keys '?'
tm_expect "C: help box in ASCII" "+- keys ---"
check_ascii "C: help"
tm_keys x R
tm_expect "C: rollback dialog box in ASCII" "+- roll back to the last fair model ---"
check_ascii "C: rollback dialog"
tm_keys Escape
tm_expect "C: rollback cancelled" "rollback cancelled: nothing written"
tm_keys q
tm_expect_exited "C: q exits"

# ---------------------------------------------------------------------
say "== NO_COLOR=1: words, no colour"
sgr_colour="$esc\\[([0-9]*;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9]*)*m"
tm_start 80 24 "$launch" --db "$db"
tm_keys 1
tm_expect_re "colour on: the Runs view" "$(tm_run_row r06)"
tm_capture -e
grep -q -E -e "$sgr_colour" "$TM_SCREEN" ||
	tm_fail "colour on (NO_COLOR unset): expected colour attributes in capture-pane -e"
ok "colour on (NO_COLOR unset): colours are used"
tm_keys q
tm_expect_exited "colour on: q exits"
nocolor="$SCRATCH/dash-nocolor.sh"
tm_launcher "$nocolor" "$loc" no
tm_start 80 24 "$nocolor" --db "$evil_db"
tm_keys 1
tm_expect_re "NO_COLOR: FAIL in words" "$(tm_run_row r04).* FAIL "
tm_expect_re "NO_COLOR: pass in words" "$(tm_run_row r06).* pass "
tm_expect_re "NO_COLOR: D and F marks in letters" "^D   r05 "
tm_capture -e
if grep -E -e "$sgr_colour" "$TM_SCREEN" >/dev/null; then
	tm_fail "NO_COLOR: expected no colour attributes in capture-pane -e"
fi
ok "NO_COLOR: no colour attributes"
tm_keys 2
tm_expect_re "NO_COLOR: Compare banner in words" "^ (FAILS|PASSES)"
tm_capture -e
if grep -E -e "$sgr_colour" "$TM_SCREEN" >/dev/null; then
	tm_fail "NO_COLOR: expected no colour attributes on Compare"
fi
ok "NO_COLOR: Compare without colour"
tm_keys q
tm_expect_exited "NO_COLOR: q exits"

done_ok
