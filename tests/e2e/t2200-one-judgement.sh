#!/bin/sh
# t2200-one-judgement: every screen and command tells the same three
# verdicts of each run (fair, vs production, at arrival), with the same
# baselines and policy digest (DESIGN.md, "One judgement").
#   For each state of a store ingested from sample_runs/, the script
#   collects into $SCRATCH/STATE/: runs, show RUN, report, alerts, policy
#   (--format json), gate --baseline deployed --candidate RUN and compare
#   PROD RUN (on a copy, they record decisions), rollback --dry-run, and
#   the dashboard at 120x40 (on a copy): the Runs view, the Timeline with
#   each event selected in turn, the rollback dialog (cancelled).  Then
#   lib/verdicts.py check compares them run by run against runs --format
#   json: show's and report's verdicts field by field; the baselines
#   (production on its own, "in production now", the others against it,
#   at arrival against what the history had in production then, else
#   "nothing was in production when it started"); gate's exit code,
#   passed, baseline, baseline_note, FAIL count and first rule, compare's
#   passed, both with --policy after and before the command; the report's
#   summary (deployed, production_passes, last_fair as the newest deployed
#   run whose fair verdict passes, production's and the candidates' alert
#   counts as alerts --format json) and the at-arrival text of each run
#   event; rollback --dry-run's current verdict, target (the last fair
#   model when production fails, as core/lastfair.h says; when it passes,
#   "production RUN passes the policy: nothing to roll back", exit 0) and
#   passed-over runs; the dashboard's header (production passes/FAILS, how and since
#   when, last fair, N CRITICAL ALERTS), D and F marks, FAIR and VS PROD
#   ("(prod)" on production), each Timeline row a prefix of the report's
#   text and each selected event's whole text equal to it, the dialog's
#   current and target.
#   States: a. as ingested (production r05, fails; last fair r02);
#   a-mixed. --policy with max_eo_difference 0.05 (another digest; r03
#   flips: its equalized odds difference 0.081 is established, while r01,
#   r02 and r06's spreads are within sampling noise under any threshold);
#   c. after rollback --yes by lead (production r02 passes, no CRITICAL
#   ALERTS, r05's alerts resolved by the rollback, r04's firing); d. after
#   deploy r06 (exit 0), and d-mixed (r06 still passes: last fair r06,
#   nothing to roll back).  A second store of r03, r04 and r05 only, with
#   a history deploying r03 then r05 (override): e. production r05 FAILS,
#   last fair r03, the rollback target; e-mixed. nothing deployed passes:
#   last fair none, no rollback target (the same digest as a-mixed);
#   f-mixed. after rollback --yes to r03 under the default policy, r03 in
#   production FAILS under the mixed policy, no rollback target.  The gate's pairs of the issue: r05 ->
#   r02 and r05 -> r06 pass (exit 0), r02 -> r04 and r02 -> r05 fail
#   (exit 1), compare agreeing.  The checker's own test: a copy of state
#   a's captures, doctored one source at a time, must make it fail naming
#   the run and the source.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"
. "$TOP/tests/e2e/lib/tmux.sh"

tm_need
command -v python3 >/dev/null 2>&1 ||
	{ say "skip: python3 is not installed: the JSON checks need it"; exit 0; }
# no ./fairtop.ini may be picked up: run from the scratch folder
cd "$SCRATCH" || fail "cd $SCRATCH"
VP="$LIB/verdicts.py"

loc=$(tm_utf8_locale)
launch="$SCRATCH/dash.sh"
tm_launcher "$launch" "${loc:-C}" no

mixed="$SCRATCH/mixed.ini"
printf '[fairness]\nmax_eo_difference = 0.05\n' >"$mixed"

# ft DB POLICY ARGS...: fairtop on DB, with --policy POLICY before the
# command when POLICY is not empty.
ft() {
	_ft_db=$1
	_ft_pol=$2
	shift 2
	if [ -n "$_ft_pol" ]; then
		"$FAIRTOP" --db "$_ft_db" --policy "$_ft_pol" "$@"
	else
		"$FAIRTOP" --db "$_ft_db" "$@"
	fi
}

# copy_db SRC DST: a copy of the store (with its -wal file, if any).
copy_db() {
	rm -f "$2" "$2-wal" "$2-shm"
	cp "$1" "$2" || fail "cp $1 $2: expected a copy"
	[ -f "$1-wal" ] && { cp "$1-wal" "$2-wal" || fail "cp $1-wal: expected a copy"; }
	return 0
}

# json_str FILE KEY: the string values of "KEY" in the JSON FILE, in
# order (without Python, which starts slowly: the JSON is checked by
# lib/verdicts.py check).
json_str() {
	grep -o "\"$2\": *\"[^\"]*\"" "$1" | sed 's/.*"\([^"]*\)"$/\1/'
}

# json_run TAG WHAT OUT ARGS...: fairtop ARGS exits 0, its output in OUT.
json_run() {
	_jr_tag=$1
	_jr_what=$2
	_jr_out=$3
	shift 3
	run "$_jr_out" "$_jr_out.err" "$@"
	expect_rc "[$_jr_tag] fairtop $_jr_what" 0 "$_jr_out.err"
}

# rc_run TAG WHAT OUT ARGS...: fairtop ARGS exits 0 or 1 (pass or fail),
# stdout in OUT, the exit code in OUT's name with .rc for .json/.txt.
rc_run() {
	_rr_tag=$1
	_rr_what=$2
	_rr_out=$3
	shift 3
	run "$_rr_out" "$_rr_out.err" "$@"
	case $rc in
	0 | 1) ;;
	*) expect_rc "[$_rr_tag] fairtop $_rr_what (0 pass or 1 fail)" 0 "$_rr_out.err" ;;
	esac
	printf '%s\n' "$rc" >"${_rr_out%.*}.rc"
}

# tm_stable: capture until two captures a tenth of a second apart are
# the same (a frame drawn whole), for up to 5 s.
tm_stable() {
	_i=0
	tm_capture
	while [ "$_i" -lt 50 ]; do
		cp "$TM_SCREEN" "$TM_SCREEN.prev"
		tm_nap
		tm_capture
		cmp -s "$TM_SCREEN" "$TM_SCREEN.prev" && return 0
		_i=$((_i + 1))
	done
	return 0
}

# dashboard TAG DIR DB POLICY NRUNS: the dashboard at 120x40 on a copy
# of DB: the Runs view, the Timeline with each event selected, the
# rollback dialog opened and cancelled, into DIR/dash/.
dashboard() {
	_dh_tag=$1
	_dh_d=$2
	copy_db "$3" "$_dh_d/dash.db"
	if [ -n "$4" ]; then
		tm_start 120 40 "$launch" --db "$_dh_d/dash.db" --policy "$4"
	else
		tm_start 120 40 "$launch" --db "$_dh_d/dash.db"
	fi
	# it may open on the Incident view: the runs are view 1
	tm_keys 1
	_dh_i=0
	while :; do
		tm_capture
		_dh_n=$(grep -c -E '^[ D][ F]  [^ ]+ .* (pass|FAIL) (pass|FAIL|\(prod\)) +[^ ]+ *$' "$TM_SCREEN")
		[ "$_dh_n" -eq "$5" ] && grep -q 'last fair ' "$TM_SCREEN" && break
		_dh_i=$((_dh_i + 1))
		[ "$_dh_i" -lt 50 ] || tm_fail "[$_dh_tag] dashboard: expected $5 rows with FAIR and VS PROD within 5 s"
		tm_nap
	done
	tm_stable
	cp "$TM_SCREEN" "$_dh_d/dash/runs.txt"
	tm_keys 5
	tm_poll -E -e '\[1 of [0-9]+\]' ||
		tm_fail "[$_dh_tag] Timeline: expected the first event selected ([1 of N]) within 5 s"
	tm_stable
	cp "$TM_SCREEN" "$_dh_d/dash/tl-1.txt"
	_dh_n=$(sed -n 's/.*\[1 of \([0-9]*\)\].*/\1/p' "$TM_SCREEN" | head -n 1)
	_dh_k=2
	while [ "$_dh_k" -le "$_dh_n" ]; do
		tm_keys j
		tm_poll -F -e "[$_dh_k of $_dh_n]" ||
			tm_fail "[$_dh_tag] Timeline: j: expected event $_dh_k of $_dh_n selected within 5 s"
		tm_stable
		cp "$TM_SCREEN" "$_dh_d/dash/tl-$_dh_k.txt"
		_dh_k=$((_dh_k + 1))
	done
	tm_keys 1
	tm_poll -F -e "[1 Runs]" || tm_fail "[$_dh_tag] 1: expected the Runs view"
	tm_keys R
	tm_poll -E -e "current: |no fair target|nothing to roll back" ||
		tm_fail "[$_dh_tag] R: expected the rollback dialog (or \"no fair target\", or \"nothing to roll back\") within 5 s"
	tm_stable
	cp "$TM_SCREEN" "$_dh_d/dash/rb.txt"
	if grep -q -F -e "current: " "$TM_SCREEN"; then
		tm_keys Escape
		tm_poll_gone -F -e "current: " || tm_fail "[$_dh_tag] Esc: expected the rollback dialog closed"
	elif grep -q -F -e "nothing to roll back" "$TM_SCREEN"; then
		tm_keys Escape
		tm_poll_gone -F -e "nothing to roll back" || tm_fail "[$_dh_tag] Esc: expected \"nothing to roll back\" closed"
	fi
	tm_keys q
}

# state TAG DB [POLICY]: collect every source of the verdicts in DB
# (POLICY: --policy FILE) into $SCRATCH/TAG and check that they agree.
state() {
	_st_tag=$1
	_st_db=$2
	_st_pol=${3:-}
	d="$SCRATCH/$_st_tag"
	rm -rf "$d"
	mkdir -p "$d/show" "$d/gate" "$d/compare" "$d/dash"
	printf '%s\n' "$_st_pol" >"$d/policy.path"
	say "== $_st_tag: collecting (policy: ${_st_pol:-default})"

	json_run "$_st_tag" "runs --format json" "$d/runs.json" ft "$_st_db" "$_st_pol" runs --format json
	runs=$(json_str "$d/runs.json" run)
	nruns=$(echo $runs | wc -w)
	[ "$nruns" -gt 0 ] || fail "[$_st_tag] runs --format json: expected runs, found none"
	for r in $runs; do
		json_run "$_st_tag" "show $r --format json" "$d/show/$r.json" ft "$_st_db" "$_st_pol" show "$r" --format json
	done
	json_run "$_st_tag" "report --format json" "$d/report.json" ft "$_st_db" "$_st_pol" report --format json
	json_run "$_st_tag" "alerts --format json" "$d/alerts.json" ft "$_st_db" "" alerts --format json
	json_run "$_st_tag" "policy --format json" "$d/policy.json" ft "$_st_db" "$_st_pol" policy --format json
	prod=$(json_str "$d/report.json" deployed | head -n 1)

	# gate and compare record decisions: on a copy
	copy_db "$_st_db" "$d/gate.db"
	g="$d/gate.db"
	for r in $runs; do
		if [ -n "$_st_pol" ]; then
			rc_run "$_st_tag" "gate --candidate $r --policy" "$d/gate/$r.json" \
				"$FAIRTOP" --db "$g" gate --baseline deployed --candidate "$r" --format json --policy "$_st_pol"
			rc_run "$_st_tag" "--policy gate --candidate $r" "$d/gate/$r.pre.json" \
				"$FAIRTOP" --db "$g" --policy "$_st_pol" gate --baseline deployed --candidate "$r" --format json
		else
			rc_run "$_st_tag" "gate --candidate $r" "$d/gate/$r.json" \
				"$FAIRTOP" --db "$g" gate --baseline deployed --candidate "$r" --format json
		fi
		[ "$r" = "$prod" ] && continue
		if [ -n "$_st_pol" ]; then
			json_run "$_st_tag" "compare $prod $r --policy" "$d/compare/$r.json" \
				"$FAIRTOP" --db "$g" compare "$prod" "$r" --format json --policy "$_st_pol"
			json_run "$_st_tag" "--policy compare $prod $r" "$d/compare/$r.pre.json" \
				"$FAIRTOP" --db "$g" --policy "$_st_pol" compare "$prod" "$r" --format json
		else
			json_run "$_st_tag" "compare $prod $r" "$d/compare/$r.json" \
				"$FAIRTOP" --db "$g" compare "$prod" "$r" --format json
		fi
	done
	rc_run "$_st_tag" "rollback --dry-run" "$d/rollback.txt" \
		ft "$g" "$_st_pol" rollback --dry-run --reason x --by t
	dashboard "$_st_tag" "$d" "$_st_db" "$_st_pol" "$nruns"

	say "== $_st_tag: the sources agree"
	python3 "$VP" check "$d" >"$d/check.out" 2>&1
	_st_rc=$?
	sed "s/^ok   /ok   [$_st_tag] /" "$d/check.out"
	checks=$((checks + $(grep -c '^ok ' "$d/check.out")))
	[ "$_st_rc" -eq 0 ] || exit 1
}

# vget TAG KEY: a value of the state's summary (what lib/verdicts.py get
# prints, read from its summary.txt).
vget() {
	_vg=$(awk -v k="$2" 'index($0, k " ") == 1 { print substr($0, length(k) + 2); exit }' \
		"$SCRATCH/$1/summary.txt")
	[ -n "$_vg" ] || fail "[$1] $2: expected it in $SCRATCH/$1/summary.txt"
	printf '%s\n' "$_vg"
}

# expect_v TAG KEY VALUE: the state's KEY is VALUE.
expect_v() {
	_v=$(vget "$1" "$2")
	[ "$_v" = "$3" ] || fail "[$1] $2: expected $3, found $_v"
	ok "[$1] $2 is $3"
}

# expect_header TAG LINE TEXT: header line LINE of the Runs view holds TEXT.
expect_header() {
	_h=$(vget "$1" "header$2")
	case $_h in
	*"$3"*) ok "[$1] dashboard header line $2 says \"$3\"" ;;
	*) fail "[$1] dashboard header line $2: expected \"$3\", found \"$_h\"" ;;
	esac
}

db="$SCRATCH/store.db"
sample_store "$db"

# ---------------------------------------------------------------------
state a "$db"
expect_v a production r05
expect_v a production_passes false
expect_v a last_fair r02
expect_v a rollback_target r02
expect_v a fair.r02 pass
expect_v a vs_production.r06 pass
expect_v a at_arrival.r03 pass
expect_v a at_arrival.r03.baseline r02
expect_header a 1 " production r05 FAILS"
expect_header a 2 "last fair r02  $(vget a critical) CRITICAL ALERTS"
digest=$(vget a digest)

say "== the gate's pairs (state a)"
pdb="$SCRATCH/pairs.db"
copy_db "$db" "$pdb"
pairs=
for pair in "r05 r02 0" "r05 r06 0" "r02 r04 1" "r02 r05 1"; do
	set -- $pair
	o="$SCRATCH/pair-$1-$2"
	run "$o.gate.json" "$o.gate.err" "$FAIRTOP" --db "$pdb" gate --baseline "$1" --candidate "$2" --format json
	expect_rc "fairtop gate --baseline $1 --candidate $2" "$3" "$o.gate.err"
	ok "gate --baseline $1 --candidate $2: exit $3"
	json_run pairs "compare $1 $2" "$o.cmp.json" "$FAIRTOP" --db "$pdb" compare "$1" "$2" --format json
	pairs="$pairs $o.gate.json $3 $o.cmp.json $1 $2"
done
python3 "$VP" pairs $pairs >"$SCRATCH/pairs.out" 2>&1
prc=$?
cat "$SCRATCH/pairs.out"
checks=$((checks + $(grep -c '^ok ' "$SCRATCH/pairs.out")))
[ "$prc" -eq 0 ] || exit 1
# r05 is production: the pairs r05 -> r02 and r05 -> r06 are r02's and
# r06's vs_production (both exit 0 above)
expect_v a vs_production.r02 pass
expect_v a vs_production.r06 pass

# ---------------------------------------------------------------------
state a-mixed "$db" "$mixed"
d3=$(vget a-mixed digest)
[ "$d3" != "$digest" ] ||
	fail "[a-mixed] policy digest: expected another digest than the default policy's $digest, found $d3"
ok "[a-mixed] the policy digest $d3 is not the default policy's $digest"
expect_v a-mixed fair.r01 pass
expect_v a-mixed fair.r02 pass
expect_v a-mixed fair.r03 FAIL
expect_v a-mixed fair.r06 pass
expect_v a-mixed vs_production.r06 pass
expect_v a-mixed last_fair r02

# ---------------------------------------------------------------------
say "== rollback --yes by lead"
run "$SCRATCH/rollback.out" "$SCRATCH/rollback.err" \
	"$FAIRTOP" --db "$db" rollback --reason "C07" --by lead --yes </dev/null
expect_rc "fairtop rollback --reason C07 --by lead --yes" 0 "$SCRATCH/rollback.err"
ok "rollback: exit 0"
state c "$db"
[ "$(vget c digest)" = "$digest" ] || fail "[c] policy digest: expected the default policy's $digest, found $(vget c digest)"
ok "[c] the default policy's digest $digest, as in state a"
expect_v c production r02
expect_v c production_passes true
expect_v c last_fair r02
expect_v c critical 0
expect_header c 1 " production r02 passes"
h2=$(vget c header2)
case $h2 in
*"CRITICAL ALERTS"*) fail "[c] dashboard header line 2: expected no CRITICAL ALERTS, found \"$h2\"" ;;
esac
ok "[c] dashboard header line 2 has no CRITICAL ALERTS"
python3 - "$SCRATCH/c/alerts.json" "$SCRATCH/c/report.json" <<'PY' || fail "[c] alerts after the rollback (see above)"
import json, sys
a = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))["summary"]
r05 = [x for x in a if x["run"] == "r05"]
assert r05, "alerts --format json: expected r05's alerts listed, found none"
for x in r05:
    assert x["state"] == "resolved", "r05 alert #%s: expected resolved, found %s" % (x["id"], x["state"])
    assert "rollback" in (x["resolved_reason"] or ""), \
        "r05 alert #%s: expected a resolved_reason naming the rollback, found %r" % (x["id"], x["resolved_reason"])
r04 = [x for x in a if x["run"] == "r04"]
assert r04 and all(x["state"] == "firing" for x in r04), \
    "alerts --format json: expected r04's alerts firing, found %r" % [(x["id"], x["state"]) for x in r04]
assert s["open_alerts"]["critical"] == 0, "report summary.open_alerts.critical: expected 0, found %r" % s["open_alerts"]
print("ok   [c] alerts --format json: r05's %d alerts resolved by the rollback, r04's %d firing; "
      "report open_alerts critical 0" % (len(r05), len(r04)))
PY
checks=$((checks + 1))

# ---------------------------------------------------------------------
say "== deploy r06"
run "$SCRATCH/deploy.out" "$SCRATCH/deploy.err" \
	"$FAIRTOP" --db "$db" deploy r06 --reason "fair and newer" --by lead </dev/null
expect_rc "fairtop deploy r06 --reason 'fair and newer' --by lead (r06 passes against r02)" 0 "$SCRATCH/deploy.err"
ok "deploy r06: exit 0"
state d "$db"
expect_v d production r06
expect_v d production_passes true
expect_v d last_fair r06
expect_v d vs_production.r02.baseline r06
expect_v d at_arrival.r06.baseline r05
expect_header d 1 " production r06 passes"

state d-mixed "$db" "$mixed"
expect_v d-mixed production r06
expect_v d-mixed production_passes true
expect_v d-mixed last_fair r06
expect_v d-mixed rollback_target none
expect_header d-mixed 1 " production r06 passes"

# ---------------------------------------------------------------------
say "== a store of r03, r04 and r05: r03 deployed, then r05 (override)"
edb="$SCRATCH/e.db"
mkdir -p "$SCRATCH/e-history" || fail "mkdir $SCRATCH/e-history"
hist="$SCRATCH/e-history/deployments.csv"
cat >"$hist" <<'EOF'
time,run,kind,actor,reason
2026-01-16T10:00:00Z,r03,deploy,maria.lopez,"v1.2"
2026-01-22T18:45:00Z,r05,override,kevin.marchand,"throughput"
EOF
run "$SCRATCH/e-ingest.out" "$SCRATCH/e-ingest.err" "$FAIRTOP" --db "$edb" ingest \
	"$hist" "$TOP/sample_runs/r03" "$TOP/sample_runs/r04" "$TOP/sample_runs/r05"
expect_rc "fairtop ingest e-history/deployments.csv r03 r04 r05" 0 "$SCRATCH/e-ingest.err"
state e "$edb"
expect_v e production r05
expect_v e production_passes false
expect_v e last_fair r03
expect_v e rollback_target r03
expect_header e 1 " production r05 FAILS"
state e-mixed "$edb" "$mixed"
[ "$(vget e-mixed digest)" = "$d3" ] ||
	fail "[e-mixed] policy digest: expected a-mixed's $d3, found $(vget e-mixed digest)"
ok "[e-mixed] the policy digest is a-mixed's $d3"
expect_v e-mixed production_passes false
expect_v e-mixed last_fair none
expect_v e-mixed rollback_target none
expect_header e-mixed 2 "last fair none"
run "$SCRATCH/e-rollback.out" "$SCRATCH/e-rollback.err" \
	"$FAIRTOP" --db "$edb" rollback --reason "C07" --by lead --yes </dev/null
expect_rc "fairtop rollback (store e) --reason C07 --by lead --yes" 0 "$SCRATCH/e-rollback.err"
ok "rollback (store e): exit 0, to r03"
state f-mixed "$edb" "$mixed"
expect_v f-mixed production r03
expect_v f-mixed production_passes false
expect_v f-mixed last_fair none
expect_v f-mixed rollback_target none
expect_header f-mixed 1 " production r03 FAILS"

# ---------------------------------------------------------------------
say "== the checker catches a source that disagrees"
python3 "$VP" selftest "$SCRATCH/a" "$SCRATCH/doctored" >"$SCRATCH/selftest.out" 2>&1
src=$?
cat "$SCRATCH/selftest.out"
checks=$((checks + $(grep -c '^ok ' "$SCRATCH/selftest.out")))
[ "$src" -eq 0 ] || exit 1

done_ok
