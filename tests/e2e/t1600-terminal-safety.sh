#!/bin/sh
# t1600-terminal-safety: names that hold terminal escapes are valid input,
# and every output of fairtop is harmless to a terminal.
#
# Every name fairtop reads gets the payload P below: run ids, model,
# version, a parameter's key and value, the sensitive feature and its
# groups (so alert subjects too), metric names and metric groups,
# deployment actors and reasons (deployments.csv and --by/--reason),
# an acknowledgement's note, the deploy hook's output, a label (so the
# class_weights alert's subject), the policy file's exec and path.  P
# holds ESC [2J (clear screen), an OSC 0 title sequence ended by BEL,
# backspace, carriage return, U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-
# TO-RIGHT ISOLATE, a byte that is not UTF-8 (0xff), U+009B (C1 CSI),
# a line feed and a tab.
#
# Checked, for every text, CSV, JSON, JUnit and Markdown output and every
# error message that quotes input: no raw 0x1b, 0x07, 0x08 or 0x0d byte,
# no raw U+202E, U+2066 or U+009B, valid UTF-8.  Text outputs show the
# names with '?' in place of each control character; JSON outputs decode
# back to the original strings (escaped, not dropped: the byte that is
# not UTF-8 becomes U+FFFD); JUnit is well-formed XML.  Then the dashboard
# in tmux (100x30): the names with '?', the header line intact, the
# window title untouched.
#
# Failures are collected, not fatal one by one, so one run lists them all.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/tmux.sh"

# the payload, and a label payload without the ';' and ':' that
# class_weights uses as separators
P=$(printf 'A\033[2J\033]0;title\007B\010C\rD\342\200\256E\342\201\246F\377G\302\233H\nI\t<i>&J')
L=$(printf '0lbl\033[2J\007\010\r\342\200\256\342\201\246\377Z')
# and one for the lines of an INI file (no CR or LF)
I=$(printf 'A\033[2J\033]0;title\007B\010C\342\200\256D\342\201\246E\377F\302\233G')
# P as a text output must show it: one '?' per control character
S='A?[2J?]0;title?B?C?D?E?F?G?H?I?<i>&J'

OUT="$SCRATCH/out"
mkdir -p "$OUT"
: >"$SCRATCH/failures"

# bad WHAT: a failure, recorded; the script goes on
bad() {
	printf 'FAIL: %s\n' "$*"
	printf '%s\n' "$*" >>"$SCRATCH/failures"
}

# ft NAME RC ARGS...: fairtop ARGS with stdout in $OUT/NAME.out and
# stderr in $OUT/NAME.err (both checked at the end); the exit code must
# be RC
ft() {
	_name=$1
	_want=$2
	shift 2
	"$FAIRTOP" "$@" >"$OUT/$_name.out" 2>"$OUT/$_name.err" </dev/null
	_rc=$?
	if [ "$_rc" -ne "$_want" ]; then
		bad "$_name: expected exit code $_want, found $_rc; stderr: $(head -c 300 "$OUT/$_name.err" | od -An -c | tr -s ' \n' ' ' | cut -c1-300)"
	else
		ok "$_name: exit $_rc"
	fi
}

# ---------------------------------------------------------------------
say "== runs whose every name holds the payload"
# quoted CSV field: P holds CR and LF (no '"' or ',')
q() {
	printf '"%s"' "$1"
}
# make_evil DIR ID START UNFAIR [LABEL]: a run of 300 rows, feature FEAT-P
# with groups GRPG-P, GRPH-P and plain; UNFAIR=1 makes GRPG-P's
# positives all predicted negative; LABEL is the negative label (default 0)
make_evil() {
	mkdir -p "$1"
	_neg=${5:-0}
	{
		printf 'key,value\n'
		printf 'run,%s\n' "$(q "$2")"
		printf 'model,%s\n' "$(q "MODEL-$P")"
		printf 'version,%s\n' "$(q "VERSION-$P")"
		printf 'started_at,%s\n' "$3"
		printf 'beta_factor,1\n'
		printf 'sensitive,%s\n' "$(q "FEAT-$P")"
		printf '%s,%s\n' "$(q "PKEY-$P")" "$(q "PVAL-$P")"
		if [ -n "${5:-}" ]; then
			# logged weights that are not the balanced ones: an alert
			# whose subject is the label
			printf 'class_weights,%s\n' "$(q "1:0.5;$_neg:2")"
		fi
	} >"$1/run.csv"
	# (no command substitution in the loop: forks are slow)
	_qg=$(q "GRPG-$P")
	_qh=$(q "GRPH-$P")
	_qn=$(q "$_neg")
	{
		printf 'y_true,y_pred,score,%s\n' "$(q "FEAT-$P")"
		_i=0
		while [ "$_i" -lt 300 ]; do
			case $((_i % 3)) in
			0) _g=$_qg ;;
			1) _g=$_qh ;;
			*) _g=plain ;;
			esac
			if [ $((_i % 2)) -eq 0 ]; then _t=1; else _t=$_qn; fi
			_p=$_t
			[ "$4" = 1 ] && [ "$_t" = 1 ] && [ $((_i % 3)) -eq 0 ] && _p=$_qn
			printf '%s,%s,0.%d,%s\n' "$_t" "$_p" $((_i % 10)) "$_g"
			_i=$((_i + 1))
		done
	} >"$1/predictions.csv"
	{
		printf 'step,timestamp,metric,group,value\n'
		printf '1,,%s,%s,0.5\n' "$(q "METRIC-$P")" "$(q "FEAT-$P=GRPG-$P")"
		printf '1,,%s,,0.7\n' "$(q "METRIC-$P")"
		printf '1,,throughput,,100\n'
	} >"$1/metrics.csv"
}

R1="RUN1-$P"
R2="RUN2-$P"
R3="RUN3-$P"
runs="$SCRATCH/runs"
make_evil "$runs/a" "$R1" 2026-01-01T00:00:00Z 0
make_evil "$runs/b" "$R2" 2026-01-10T00:00:00Z 1
make_evil "$runs/c" "$R3" 2026-01-15T00:00:00Z 0 "$L"
{
	printf 'time,run,kind,actor,reason\n'
	printf '2026-01-02T00:00:00Z,%s,deploy,%s,%s\n' "$(q "$R1")" "$(q "ACTOR-$P")" "$(q "WHY-$P")"
	printf '2026-01-11T00:00:00Z,%s,override,%s,%s\n' "$(q "$R2")" "$(q "ACTOR-$P")" "$(q "WHY-$P")"
} >"$runs/deployments.csv"
# the policy file: a hostile path and a hostile exec (never run here)
POL="$SCRATCH/pol-$P.ini"
printf '[deploy]\nexec = ship.sh EXEC-%s\n' "$I" >"$POL"

db="$SCRATCH/store.db"
ft ingest 0 --db "$db" ingest "$runs"
ft ack 0 --db "$db" ack 1 --by "BY-$P" --note "NOTE-$P"
ft rollback-dry-run 0 --db "$db" rollback --dry-run --reason "REASON-$P" --by "BY-$P"
ft rollback 0 --db "$db" rollback --yes --reason "REASON-$P" --by "BY-$P"

say "== every listing, in every format"
ft runs 0 --db "$db" runs
ft runs-csv 0 --db "$db" runs --format csv
ft runs-json 0 --db "$db" runs --format json
ft show-r2 0 --db "$db" show "$R2"
ft show-r2-json 0 --db "$db" show "$R2" --format json
ft show-r3 0 --db "$db" show "$R3"
ft show-r3-json 0 --db "$db" show "$R3" --format json
ft compare 0 --db "$db" compare "$R1" "$R2"
ft compare-csv 0 --db "$db" compare "$R1" "$R2" --format csv
ft compare-json 0 --db "$db" compare "$R1" "$R2" --format json
ft compare-ref 0 --db "$db" compare "$R1" "$R2" --reference "GRPH-$P"
ft gate 1 --db "$db" gate --baseline "$R1" --candidate "$R2"
ft gate-json 1 --db "$db" gate --baseline "$R1" --candidate "$R2" --format json
ft gate-junit 1 --db "$db" gate --baseline "$R1" --candidate "$R2" --format junit
ft alerts 0 --db "$db" alerts
ft alerts-csv 0 --db "$db" alerts --format csv
ft alerts-json 0 --db "$db" alerts --format json
ft alerts-acked 0 --db "$db" alerts --state acknowledged
ft report 0 --db "$db" report
ft report-json 0 --db "$db" report --format json
ft report-text 0 --db "$db" report --format text
ft audit 0 --db "$db" audit
ft audit-csv 0 --db "$db" audit --format csv
ft audit-json 0 --db "$db" audit --format json
ft audit-verify 0 --db "$db" audit --verify
ft policy 0 --db "$db" policy
ft policy-file 0 --db "$db" policy --policy "$POL"
ft policy-file-json 0 --db "$db" policy --policy "$POL" --format json
ft rollback-dry-run-after 0 --db "$db" rollback --dry-run --reason "REASON-$P" --by "BY-$P"

say "== error messages that quote input"
ft err-show 2 --db "$db" show "NORUN-$P"
ft err-gate 2 --db "$db" gate --baseline "NORUN-$P" --candidate "$R1"
ft err-rollback-to 2 --db "$db" rollback --dry-run --to "NORUN-$P" --reason r --by b
ft err-ack 2 --db "$db" ack "$P" --by b
ft err-command 2 --db "$db" "CMD-$P"
ft err-option 2 --db "$db" runs "--OPT-$P"
ft err-format 2 --db "$db" runs --format "FMT-$P"
ft err-state 2 --db "$db" alerts --state "STATE-$P"
ft err-since 2 --db "$db" report --since "SINCE-$P"
ft err-reingest 65 --db "$db" ingest "$runs/a"
# (the runs refused below go into a copy: the store stays as it is)
cp "$db" "$SCRATCH/copy.db"
bad_run() {
	mkdir -p "$1"
	printf 'key,value\nrun,x\nmodel,m\nstarted_at,2026-01-22T14:05:00Z\nbeta_factor,1\n' >"$1/run.csv"
}
e="$SCRATCH/errs"
bad_run "$e/score"
printf 'y_true,y_pred,score,sex\n1,1,0.9,F\n0,0,%s,M\n' "$(q "SCORE-$P")" >"$e/score/predictions.csv"
ft err-score 65 --db "$SCRATCH/copy.db" ingest "$e/score"
bad_run "$e/column"
printf 'key,value\nrun,x\nmodel,m\nstarted_at,2026-01-22T14:05:00Z\nsensitive,sex\n' >"$e/column/run.csv"
printf 'y_true,y_pred,sex,%s\n1,1,F,a\n' "$(q "COLUMN-$P")" >"$e/column/predictions.csv"
ft err-column 65 --db "$SCRATCH/copy.db" ingest "$e/column"
bad_run "$e/date"
printf 'key,value\nrun,x\nmodel,m\nstarted_at,%s\n' "$(q "DATE-$P")" >"$e/date/run.csv"
ft err-date 65 --db "$SCRATCH/copy.db" ingest "$e/date"
bad_run "$e/label"
printf 'y_true,y_pred,sex\n1,1,F\n0,0,M\n%s,0,M\n' "$(q "LABEL-$P")" >"$e/label/predictions.csv"
ft err-label 65 --db "$SCRATCH/copy.db" ingest "$e/label"
mkdir -p "$e/dep"
printf 'time,run,kind,actor,reason\n2026-01-02T00:00:00Z,r1,%s,a,b\n' "$(q "KIND-$P")" >"$e/dep/deployments.csv"
ft err-deployments 65 --db "$SCRATCH/copy.db" ingest "$e/dep/deployments.csv"
printf '[fairness]\nKEY-%s = 1\n' "$I" >"$e/pol-key.ini"
ft err-policy-key 65 --db "$db" policy --policy "$e/pol-key.ini"
printf '[fairness]\nmax_dp_difference = VALUE-%s\n' "$I" >"$e/pol-value.ini"
ft err-policy-value 65 --db "$db" policy --policy "$e/pol-value.ini"
# the deploy hook's output is shown when it fails
hook="$SCRATCH/hook.sh"
printf '#!/bin/sh\nprintf "HOOK-%%s\\n" "$FAIRTOP_REASON"\nprintf "HOOKERR-%%s\\n" "$FAIRTOP_ACTOR" >&2\nexit 3\n' >"$hook"
chmod +x "$hook"
ft err-hook 1 --db "$SCRATCH/copy.db" deploy "$R1" --reason "REASON-$P" --by "BY-$P" --exec "$hook"
# a deploy refused by the gate names both runs, the groups, the metrics
# and who would override
ft err-deploy-refused 1 --db "$SCRATCH/copy.db" deploy "$R2" --reason "REASON-$P" --by "BY-$P"
# a rollback to a run that fails the policy names it
ft err-rollback-unfair 1 --db "$SCRATCH/copy.db" rollback --dry-run --to "$R2" --reason "REASON-$P" --by "BY-$P"
# an override says who made it
ft deploy-override 0 --db "$SCRATCH/copy.db" deploy "$R2" --override --reason "REASON-$P" --by "BY-$P"
# paths: a sub-folder found by ingest, paths given on the command line
mkdir -p "$e/parent/SUB-$P"
printf 'key,value\nrun,x\n' >"$e/parent/SUB-$P/run.csv"
ft err-subfolder 65 --db "$SCRATCH/copy.db" ingest "$e/parent"
ft err-no-path 65 --db "$SCRATCH/copy.db" ingest "$e/NOPATH-$P"
ft err-no-store 2 --db "$e/NOSTORE-$P.db" runs
ft err-no-policy 2 --db "$db" policy --policy "$e/NOPOLICY-$P.ini"

# ---------------------------------------------------------------------
say "== the bytes of every output"
python3 - "$OUT" "$P" "$L" "$I" "$S" >"$SCRATCH/bytes.txt" 2>&1 <<'EOF'
import json, os, sys
import xml.dom.minidom

out, P, L, I, S = sys.argv[1:]
# the arguments as bytes, then as JSON should give them back: the byte
# that is not UTF-8 as U+FFFD
P, L, I = (os.fsencode(x).decode("utf-8", "replace") for x in (P, L, I))
fails = []
def bad(name, what):
    fails.append("%s: %s" % (name, what))

CONTROLS = {0x1b: "ESC", 0x07: "BEL", 0x08: "BS", 0x0d: "CR"}
CHARS = {"\u202e": "U+202E", "\u2066": "U+2066", "\u009b": "U+009B (C1 CSI)"}
docs = {}
for fn in sorted(os.listdir(out)):
    path = os.path.join(out, fn)
    b = open(path, "rb").read()
    name = fn
    found = []
    first = len(b)
    for c, what in CONTROLS.items():
        if c in b:
            found.append(what)
            first = min(first, b.index(c))
    t = b.decode("utf-8", "replace")
    try:
        b.decode("utf-8")
    except UnicodeDecodeError as e:
        found.append("invalid UTF-8")
        first = min(first, e.start)
    for ch, what in CHARS.items():
        if ch in t:
            found.append(what)
            first = min(first, len(t[:t.index(ch)].encode("utf-8", "replace")))
    if found:
        bad(name, "expected no raw control bytes, found %s, the first in %r"
            % (", ".join(found), b[max(0, first - 50):first + 12]))
    else:
        docs[name] = t

# text outputs: the names shown with '?' for each control character
shown = {
    "runs.out": ["RUN1-" + S, "RUN2-" + S, "MODEL-" + S],
    "show-r2.out": ["RUN2-" + S, "MODEL-" + S, "VERSION-" + S, "PKEY-" + S, "PVAL-" + S, "FEAT-" + S, "GRPG-" + S, "METRIC-" + S],
    "alerts.out": ["RUN2-" + S, "GRPG-" + S, "NOTE-" + S],
    "audit.out": ["ACTOR-" + S, "WHY-" + S, "BY-" + S, "REASON-" + S],
    "err-show.err": ["NORUN-" + S],
}
for name, wants in shown.items():
    for w in wants:
        if name in docs and w not in docs[name]:
            bad(name, "expected the text %r (the name with '?' for each control), found none" % w)
# one line per run: no raw line feed from a name
for name, n in (("runs.out", 4), ("runs-csv.out", 4)):
    if name in docs and docs[name].count("\n") != n:
        bad(name, "expected %d lines (header and 3 runs), found %d" % (n, docs[name].count("\n")))

# JSON: valid, and the names decode back to the original strings
want = {
    "runs-json.out": ["RUN1-" + P, "RUN2-" + P, "RUN3-" + P, "MODEL-" + P, "VERSION-" + P],
    "show-r2-json.out": ["RUN2-" + P, "MODEL-" + P, "VERSION-" + P, "PKEY-" + P, "PVAL-" + P, "FEAT-" + P, "GRPG-" + P, "GRPH-" + P, "METRIC-" + P],
    "show-r3-json.out": ["RUN3-" + P, L],
    "compare-json.out": ["RUN1-" + P, "RUN2-" + P, "GRPG-" + P, "METRIC-" + P],
    "gate-json.out": ["RUN1-" + P, "RUN2-" + P, "GRPG-" + P],
    "alerts-json.out": ["RUN2-" + P, "RUN3-" + P, "GRPG-" + P, L, "NOTE-" + P, "BY-" + P],
    "report-json.out": ["RUN1-" + P, "RUN2-" + P, "ACTOR-" + P, "WHY-" + P, "BY-" + P, "REASON-" + P],
    "audit-json.out": ["RUN1-" + P, "ACTOR-" + P, "WHY-" + P, "BY-" + P, "REASON-" + P, "NOTE-" + P],
    "policy-file-json.out": ["EXEC-" + I],
}
for name, wants in want.items():
    if name not in docs:
        continue
    try:
        d = json.loads(docs[name])
    except ValueError as e:
        bad(name, "expected valid JSON, found %s" % e)
        continue
    strings = []
    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                strings.append(k)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str):
            # JSON text held in a string (the audit log's details):
            # its strings are names too
            if x[:1] in "{[":
                try:
                    walk(json.loads(x))
                    return
                except ValueError:
                    pass
            strings.append(x)
    walk(d)
    for w in wants:
        if not any(w in s for s in strings):
            bad(name, "expected a string holding %r (escaped, decoded back), found none" % w)
    # no name sanitised instead of escaped
    for s in strings:
        if "title" in s and s.count("title") != s.count(P) + s.count(I):
            bad(name, "expected every name holding the payload as it was written, found %r" % s[:120])
            break

# JUnit: well-formed XML
if "gate-junit.out" in docs:
    try:
        xml.dom.minidom.parseString(docs["gate-junit.out"].encode("utf-8"))
    except Exception as e:
        bad("gate-junit.out", "expected well-formed XML, found %s" % e)

for f in fails:
    print("FAIL: " + f)
print("checked %d output files" % len(os.listdir(out)))
sys.exit(1 if fails else 0)
EOF
st=$?
cat "$SCRATCH/bytes.txt"
if [ "$st" -eq 0 ]; then
	ok "every output: no raw control bytes, bidi controls or invalid UTF-8; names shown with '?'; JSON decodes to the names; JUnit is XML"
else
	grep '^FAIL: ' "$SCRATCH/bytes.txt" | sed 's/^FAIL: //' >>"$SCRATCH/failures"
fi

# ---------------------------------------------------------------------
say "== the dashboard (tmux, 120x30)"
dash() {
	# dash LOCALE: open the dashboard in LOCALE and check its screens
	tm_launcher "$SCRATCH/launch.sh" "$1" no
	tm_start 120 30 "$SCRATCH/launch.sh" --db "$db"
	if ! tm_poll -F -e ' production '; then
		tm_show
		bad "dashboard ($1): expected the header ' production ' within 5 s"
		return
	fi
	for view in 1 2 4 5; do
		tm_keys "$view"
		tm_settle
		tm_capture
		cp "$TM_SCREEN" "$SCRATCH/screen-$1-$view.txt"
		# the header: the first line is the header, the deployed run
		# (RUN1, after the rollback) with '?' for its controls
		case $(tm_line 1) in
		" production RUN1-A?[2J?]0;title?B?C?D?E?F?G"*) ;;
		*)
			tm_show
			bad "dashboard ($1) view $view: expected line 1 to start ' production RUN1-A?[2J?]0;title?B?C?D?E?F?G', found '$(tm_line 1)'"
			;;
		esac
		tm_line 2 | grep -q '1 Runs.*2 Compare.*3 Drift.*4 Alerts.*5 Timeline' ||
			bad "dashboard ($1) view $view: expected the view tabs on line 2, found '$(tm_line 2)'"
		case $view in
		1) _want='MODEL-A?[2J?' ;;
		2) _want='GRPG-A?[2J?]0;title?B?C?D?E?F?G' ;;
		4) _want='FEAT-A?[2J?]0;title?B?C?D?E?F?G' ;;
		5) _want='by ACTOR-A?[2J?]' ;;
		esac
		grep -F -q -e "$_want" "$TM_SCREEN" ||
			bad "dashboard ($1) view $view: expected '$_want' on the screen, found none"
		python3 - "$TM_SCREEN" <<'EOF' || bad "dashboard ($1) view $view: raw controls on the screen (see above)"
import sys
t = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
for ch, what in (("\u202e", "U+202E"), ("\u2066", "U+2066"), ("\x1b", "ESC"), ("\x07", "BEL")):
    if ch in t:
        print("FAIL: the screen holds a raw", what)
        sys.exit(1)
EOF
	done
	_title=$(tm display-message ${TM_SESSION:+-t $TM_SESSION} -p '#{pane_title}')
	case $_title in
	*title*) bad "dashboard ($1): expected the window title untouched, found '$_title'" ;;
	esac
	tm_keys q
	tm_poll -F -e 'fairtop exited 0' || bad "dashboard ($1): expected 'fairtop exited 0' after q"
	ok "dashboard ($1): names with '?', header intact in views 1, 2, 4, 5, title '$_title'"
}
if command -v tmux >/dev/null 2>&1; then
	loc=$(tm_utf8_locale)
	if [ -n "$loc" ]; then
		dash "$loc"
	else
		say "skip: no UTF-8 locale for the dashboard in UTF-8"
	fi
	dash C
else
	say "skip: tmux is not installed: the dashboard checks are skipped"
fi

# ---------------------------------------------------------------------
nfail=$(wc -l <"$SCRATCH/failures" | tr -d ' ')
if [ "$nfail" -ne 0 ]; then
	say "t1600: $nfail failures:"
	sed 's/^/  - /' "$SCRATCH/failures"
	exit 1
fi
done_ok
