#!/bin/sh
# t1500-bad-corpus: the bad-input corpus of tests/bad_inputs/.  Each case
# is a folder: committed under tests/bad_inputs/NAME, or written at test
# time into $SCRATCH/gen/NAME by tests/bad_inputs/generate.sh (the big
# files, NUL bytes, symbolic links, a FIFO, a path that does not exist).
# The store starts with one good run; each case is then
#   - a folder named deployments-*: `ingest CASE/deployments.csv`;
#   - a folder named policy-*: `gate --policy CASE/policy.ini` (baseline
#     and candidate the good run);
#   - any other: `ingest CASE`.
# refused: exit 65, exactly one line on stderr, "fairtop: " then the path
#          (CASE/FILE:LINE: when the table gives a line), the message
#          holding the fragment; the store and its -wal byte for byte
#          unchanged.
# clean:   (into a copy of the store) exit 0, the run listed by
#          `runs --format json` with exactly the id of the fragment
#          column, `show RUN` (text and JSON) works, the store intact.
# either:  exit 0 as clean, or 65 as refused, never anything else
#          (an input whose right answer is not documented: what matters
#          is that it is not an internal error).
# Every fairtop command runs under a 30 s timeout, so a hang fails.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"

# The TABLE: name | outcome | where | fragment
#   where     FILE:LINE or FILE (relative to the case folder) that the
#             message must start with, or . for the case folder itself
#   fragment  refused: a fixed string the message must hold (empty: only
#             the place is checked); clean: the run id
table() {
	cat <<'EOF'
# -- the path and the folder
missing-path | refused | . | no such file or folder
no-run-csv | refused | . | expected a run folder (holding run.csv)
predictions-and-counts | refused | . | expected predictions.csv or counts.csv, found both
# -- run.csv
run-empty | refused | run.csv:1 | expected the header 'key,value', found an empty file
run-header-only | refused | run.csv:2 | required key 'run'
run-no-header | refused | run.csv:1 | expected the header 'key,value'
run-missing-run | refused | run.csv:5 | required key 'run'
run-missing-model | refused | run.csv:5 | required key 'model'
run-missing-started_at | refused | run.csv:5 | required key 'started_at'
run-duplicate-key | refused | run.csv:4 | expected each key once, found 'model' again
run-extra-column | refused | run.csv:1 | expected the header 'key,value'
run-too-many-fields | refused | run.csv:3 | expected 2 fields (key,value), found 3
run-too-few-fields | refused | run.csv:3 | expected 2 fields (key,value), found 1
run-bad-date | refused | run.csv:4 | found '2026-13-01'
run-date-out-of-range | refused | run.csv:4 | (years 0001 to 9999 in UTC), found '9999-12-31T23:30:00-01:00'
run-beta-nan | refused | run.csv:5 | key 'beta_factor': expected a positive finite number, found 'nan'
run-beta-1e999 | refused | run.csv:5 | key 'beta_factor': expected a positive finite number, found '1e999'
run-beta-negative | refused | run.csv:5 | key 'beta_factor': expected a positive finite number, found '-1'
run-class-weights-negative | refused | run.csv:6 | key 'class_weights'
run-id-too-long | refused | run.csv:2 | expected a run id of 1 to 200 bytes, found 201 bytes
run-sensitive-absent | refused | predictions.csv:1 | expected the sensitive column 'age' named in run.csv
symlink-loop-run-csv | refused | . |
nul-run-csv | refused | run.csv:2 | NUL byte
field-1mb-run-id | refused | run.csv:2 | expected a run id of 1 to 200 bytes, found 1048576 bytes
ok-unknown-run-key | clean | - | ok-unknown-run-key
field-1mb-param | clean | - | field-1mb-param
# -- predictions.csv
pred-empty | refused | predictions.csv:1 | found an empty file
pred-header-only | refused | predictions.csv:2 | expected at least one prediction after the header
pred-missing-y_true | refused | predictions.csv:1 | expected a column 'y_true', found none
pred-missing-y_pred | refused | predictions.csv:1 | expected a column 'y_pred', found none
pred-unknown-column | refused | predictions.csv:1 | found unknown column 'colour'
pred-duplicate-column | refused | predictions.csv:1 | expected each column once, found 'sex' in columns 4 and 5
pred-too-few-fields | refused | predictions.csv:3 | expected 5 fields as in the header, found 4
pred-too-many-fields | refused | predictions.csv:3 | expected 5 fields as in the header, found 6
pred-score-not-numeric | refused | predictions.csv:3 | column 'score': expected a probability of the positive label in [0,1], found 'abc'
pred-score-nan | refused | predictions.csv:3 | column 'score': expected a probability of the positive label in [0,1], found 'nan'
pred-score-inf | refused | predictions.csv:3 | column 'score': expected a probability of the positive label in [0,1], found 'inf'
pred-score-1e999 | refused | predictions.csv:3 | column 'score': expected a probability of the positive label in [0,1], found '1e999'
pred-score-hex | refused | predictions.csv:3 | column 'score': expected a probability of the positive label in [0,1], found '0x1p-1'
pred-score-above-1 | refused | predictions.csv:3 | column 'score': expected a probability of the positive label in [0,1], found '1.5'
pred-score-below-0 | refused | predictions.csv:3 | column 'score': expected a probability of the positive label in [0,1], found '-0.1'
pred-weight-negative | refused | predictions.csv:3 | column 'weight': expected a non-negative finite weight, found '-1'
pred-weight-inf | refused | predictions.csv:3 | column 'weight': expected a non-negative finite weight, found 'inf'
pred-weight-comma | refused | predictions.csv:3 | column 'weight': expected a non-negative finite weight, found '1,5'
pred-step-fraction | refused | predictions.csv:3 | column 'step': expected a whole number >= 0, found '1.5'
pred-y_true-3-class | refused | predictions.csv:4 | column 'y_true': expected a binary label ('1' positive or '0'), found a third class '2'
pred-y_pred-3-class | refused | predictions.csv:4 | column 'y_pred': expected a binary label ('1' positive or '0'), found a third class 'yes'
pred-unterminated-quote | refused | predictions.csv:3 | field 5: expected a closing '"' for the quoted field opened on this line, found the end of the file
pred-quote-mid-field | refused | predictions.csv:3 | field 5: expected no '"' inside an unquoted field
pred-text-after-quote | refused | predictions.csv:3 | field 5: expected a comma or a line end after the closing '"', found 'x'
pred-truncated-mid-row | refused | predictions.csv:4 | expected 5 fields as in the header, found 3
pred-truncated-mid-quote | refused | predictions.csv:3 | expected a closing '"' for the quoted field opened on this line, found the end of the file
pred-sensitive-too-many | refused | predictions.csv:1 | expected at most 6 sensitive features
nul-predictions-field | refused | predictions.csv:3 | field 5: expected text, found a NUL byte
nul-predictions-header | refused | predictions.csv:1 | field 5: expected text, found a NUL byte
columns-100k | refused | predictions.csv:1 | expected at most 6 sensitive features
columns-100k-row | refused | predictions.csv:3 | expected 5 fields as in the header, found 100002
line-10mb-unterminated | refused | predictions.csv:3 | field 5: expected at most 1048576 bytes, found more
# A run file that is there but cannot be read as a file (a symlink loop,
# a dangling link, a folder, a FIFO) must be refused, naming it: fairtop
# 0.1.0 takes it as absent and ingests the run without it (exit 0).
# And two group names longer than 4095 bytes that share their first 4095
# bytes make fairtop 0.1.0 exit 70 (UNIQUE constraint failed).
symlink-loop-predictions | refused | predictions.csv |
symlink-cycle-predictions | refused | predictions.csv |
dangling-predictions | refused | predictions.csv |
predictions-is-folder | refused | predictions.csv |
predictions-fifo | refused | predictions.csv |
long-groups-collide | either | predictions.csv | long-groups-collide
ok-crlf | clean | - | ok-crlf
ok-bom | clean | - | ok-bom
ok-cr-blank-lines | clean | - | ok-cr-blank-lines
ok-group-non-utf8 | clean | - | ok-group-non-utf8
field-1mb-group | refused | predictions.csv:3 | expected a group of at most 1024 bytes
line-10mb-group | refused | predictions.csv:3 | field 5: expected at most 1048576 bytes, found more
groups-100k | refused | predictions.csv:1002 | column 'sex': expected at most 1000 distinct groups, found a 1001st ('g001000')
# -- run ids and names that look like SQL or quoting
ok-id-sql | clean | - | r'; DROP TABLE runs; --
ok-id-quotes | clean | - | r"q"'x
ok-id-semicolons | clean | - | r;1;--;/*x*/
ok-model-sql | clean | - | ok-model-sql
# -- metrics.csv
metrics-header-only | refused | metrics.csv:2 | expected at least one metric row after the header
metrics-duplicate-point | refused | metrics.csv:3 | expected one value per step, metric and group, found a second one for step 1, metric 'accuracy'
metrics-unknown-column | refused | metrics.csv:1 | found unknown column 'unit'
metrics-duplicate-column | refused | metrics.csv:1 | expected each column once, found 'value' in columns 5 and 6
metrics-missing-column | refused | metrics.csv:1 | expected a column 'group'
metrics-value-inf | refused | metrics.csv:2 | column 'value': expected a finite number, found '-inf'
metrics-value-1e999 | refused | metrics.csv:2 | column 'value': expected a finite number, found '1e999'
metrics-bad-timestamp | refused | metrics.csv:2 | column 'timestamp': expected an ISO 8601 time
metrics-empty-metric | refused | metrics.csv:2 | column 'metric': expected a metric name, found an empty field
nul-metrics | refused | metrics.csv:2 | NUL byte
symlink-loop-metrics | refused | metrics.csv |
# -- counts.csv
counts-bad-group | refused | counts.csv:3 | column 'group': expected feature=value
counts-group-feature-twice | refused | counts.csv:2 | column 'group': expected each feature once, found 'sex' twice
counts-negative | refused | counts.csv:3 | column 'fp': expected a non-negative finite count, found '-1'
counts-nan | refused | counts.csv:3 | column 'fp': expected a non-negative finite count, found 'nan'
counts-sum-overflow | refused | counts.csv:4 | expected counts whose sums are finite, found group 'sex=F' at step 1 summing beyond 1.8e308 with this row
counts-derived-overflow | refused | counts.csv:3 | expected counts whose sums are finite, found group '(all)' at step 1 summing beyond 1.8e308
counts-unknown-column | refused | counts.csv:1 | found unknown column 'rows'
counts-missing-column | refused | counts.csv:1 | expected a column 'fn'
symlink-loop-counts | refused | counts.csv |
# -- deployments.csv
deployments-bad-kind | refused | deployments.csv:3 | column 'kind': expected deploy, override or rollback, found 'ship'
deployments-bad-time | refused | deployments.csv:3 | column 'time': expected an ISO 8601 time such as 2026-01-22T14:05:00Z (years 0001 to 9999 in UTC), found '2026-02-30T14:00:00Z'
deployments-future-time | refused | deployments.csv:3 | column 'time': expected a time in the past, found 9999-01-01T00:00:00Z
deployments-override-no-reason | refused | deployments.csv:2 | column 'reason': expected the reason for the override
deployments-empty-actor | refused | deployments.csv:2 | column 'actor'
deployments-unknown-column | refused | deployments.csv:1 | found unknown column 'ticket'
# -- policy files (fairtop gate --policy)
policy-unknown-key | refused | policy.ini:2 | found unknown key 'max_dp_diff'
policy-unknown-section | refused | policy.ini:2 | [fairnes]
policy-out-of-range | refused | policy.ini:2 | min_dp_ratio: expected a number from 0 to 1, found '1.5'
policy-not-a-number | refused | policy.ini:2 | max_dp_difference: expected a number from 0 to 1, found 'nan'
policy-bad-line | refused | policy.ini:2 | expected 'key = value'
EOF
}

CORPUS="$TOP/tests/bad_inputs"
GEN="$SCRATCH/gen"

# ft ARGS...: fairtop under a 30 s timeout (exit 124 when it hangs)
if command -v timeout >/dev/null 2>&1; then
	ft() { timeout 30 "$FAIRTOP" "$@"; }
else
	ft() { "$FAIRTOP" "$@"; }
fi

# check_clean NAME DB ID: one python3 (its start-up is slow on a loaded
# machine) over what the commands of a clean case wrote: `runs --format
# json` lists ID (exactly) and 'good'; `show ID` is UTF-8 without ESC,
# BEL or NUL bytes; `show ID --format json` is UTF-8 and valid JSON
check_clean() {
	python3 - "$1" "$3" "$SCRATCH/runs.json" "$SCRATCH/show.out" "$SCRATCH/show.json" <<'EOF2' || exit 1
import json, sys
name, want, runs_path, show_path, json_path = sys.argv[1:]
bad = []
def text(path, what):
    b = open(path, "rb").read()
    try:
        t = b.decode("utf-8")
    except UnicodeDecodeError as e:
        bad.append("%s: expected UTF-8, found %s" % (what, e))
        return None
    for c in (0x1b, 0x07, 0x00):
        if c in b:
            bad.append("%s: expected no raw byte 0x%02x, found one at offset %d" % (what, c, b.index(c)))
    return t
t = text(runs_path, "runs --format json")
if t is not None:
    doc = json.loads(t)
    runs = doc["runs"] if isinstance(doc, dict) else doc
    ids = [r["run"] for r in runs]
    if want not in ids or "good" not in ids:
        bad.append("runs --format json: expected the runs %r and 'good', found %r" % (want, ids))
text(show_path, "show")
t = text(json_path, "show --format json")
if t is not None:
    try:
        json.loads(t)
    except ValueError as e:
        bad.append("show --format json: expected valid JSON, found %s" % e)
for line in bad:
    print("FAIL: %s: %s" % (name, line))
sys.exit(1 if bad else 0)
EOF2
}

# intact DB: the store passes SQLite's integrity check, every table of a
# fresh store is still there, and the audit chain verifies
intact() {
	if have_sqlite3; then
		_ic=$(sql "$1" "PRAGMA integrity_check")
		[ "$_ic" = ok ] || fail "integrity_check of $1: expected ok, found $_ic"
		_tables=$(sql "$1" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)")
		[ "$_tables" = "$base_tables" ] ||
			fail "tables of $1: expected '$base_tables', found '$_tables'"
	fi
	run "$SCRATCH/verify.out" "$SCRATCH/verify.err" ft --db "$1" audit --verify
	expect_rc "audit --verify on $1" 0 "$SCRATCH/verify.err"
}

# extra NAME DB: checks of a case beyond its outcome (show's outputs of
# the run are in $SCRATCH/show.out and show.json)
extra() {
	case $1 in
	ok-group-non-utf8)
		# F\377\376, \303(M, \342\202: each byte that is not UTF-8 is a '?'
		# (each group a row or two: low-n, marked ' *' after its name)
		for g in '  F?? *  ' '  ?(M *  ' '  ?? *  '; do
			expect_contains "show ok-group-non-utf8 (group '$g')" "$SCRATCH/show.out" "$g"
		done
		ok "ok-group-non-utf8: the bytes that are not UTF-8 show as '?'"
		;;
	ok-id-sql | ok-id-quotes | ok-id-semicolons)
		if have_sqlite3; then
			_n=$(sql "$2" "SELECT count(*) FROM runs")
			[ "$_n" = 2 ] || fail "$1: expected 2 rows in table runs, found $_n"
			ok "$1: the store holds both runs"
		fi
		;;
	ok-model-sql)
		grep -F -q "\"model\": \"m'); DELETE FROM audit_log; --\"" "$SCRATCH/runs.json" ||
			fail "ok-model-sql: expected the model name as written in runs --format json"
		ok "ok-model-sql: the model name is stored as written"
		;;
	esac
}

# ---------------------------------------------------------------------
say "== the corpus"
sh "$CORPUS/generate.sh" "$GEN" >"$SCRATCH/gen.out" 2>&1 ||
	fail "tests/bad_inputs/generate.sh: expected the generated cases, found an error:${NL}$(cat "$SCRATCH/gen.out")"
ok "generated cases written into $GEN"
# the table without comments, blank lines and the blanks around '|'
table | grep -v -e '^#' -e '^[[:space:]]*$' |
	sed -e 's/[[:space:]]*|[[:space:]]*/|/g' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' >"$SCRATCH/table.txt"
ncases=$(wc -l <"$SCRATCH/table.txt" | tr -d ' ')
[ "$ncases" -ge 40 ] || fail "expected at least 40 cases in the table, found $ncases"
# every committed folder is a case, and every case has a folder (but
# missing-path)
for d in "$CORPUS"/*/; do
	n=$(basename "$d")
	grep -q "^$n|" "$SCRATCH/table.txt" || fail "tests/bad_inputs/$n: expected a line in the table, found none"
done
while IFS='|' read -r name _; do
	[ "$name" = missing-path ] && continue
	[ -e "$CORPUS/$name" ] || [ -e "$GEN/$name" ] ||
		fail "case $name: expected tests/bad_inputs/$name or a generated folder, found neither"
done <"$SCRATCH/table.txt"
ok "$ncases cases in the table; every folder of tests/bad_inputs is one"

say "== a store holding one good run"
db="$SCRATCH/store.db"
make_run "$SCRATCH/good" good
run "$SCRATCH/good.out" "$SCRATCH/good.err" ft --db "$db" ingest "$SCRATCH/good"
expect_rc "ingest the good run" 0 "$SCRATCH/good.err"
cp "$db" "$SCRATCH/store.before"
had_wal=no
if [ -e "$db-wal" ]; then
	had_wal=yes
	cp "$db-wal" "$SCRATCH/store-wal.before"
fi
base_tables=
if have_sqlite3; then
	base_tables=$(sql "$db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)")
fi
ok "store $db holds run 'good'"

# restore DB: DB made again the store holding only the good run
restore() {
	rm -f "$1" "$1-wal" "$1-shm"
	cp "$SCRATCH/store.before" "$1"
	if [ "$had_wal" = yes ]; then
		cp "$SCRATCH/store-wal.before" "$1-wal"
	fi
	return 0
}

# store_unchanged NAME
store_unchanged() {
	cmp -s "$db" "$SCRATCH/store.before" ||
		fail "$1: expected the store file unchanged, found it differs ($(cmp "$db" "$SCRATCH/store.before" 2>&1))"
	if [ "$had_wal" = yes ]; then
		cmp -s "$db-wal" "$SCRATCH/store-wal.before" ||
			fail "$1: expected the store's -wal file unchanged, found it differs or gone"
	elif [ -s "$db-wal" ]; then
		fail "$1: expected no -wal file beside the store, found one of $(wc -c <"$db-wal") bytes"
	fi
}

# check_refused NAME DIR WHERE FRAGMENT ERR: stderr and the store after
# an exit 65
check_refused() {
	# exactly one line, ended by a newline (read in the shell: process
	# start-ups are slow on a loaded machine)
	_x=
	if ! { IFS= read -r _line && ! IFS= read -r _x && [ -z "$_x" ]; } <"$5"; then
		say "FAIL: $1: expected exactly one line on stderr, found $(wc -l <"$5" | tr -d ' ') (and maybe an unterminated one):"
		show_file "$5"
		exit 1
	fi
	case $3 in
	.)
		case $_line in
		"fairtop: $2:"* | "fairtop: $2/"*) ;;
		*) fail "$1: expected stderr to start 'fairtop: $2:', found '$_line'" ;;
		esac
		;;
	*:*)
		case $_line in
		"fairtop: $2/$3: "*) ;;
		*) fail "$1: expected stderr to start 'fairtop: $2/$3: ', found '$_line'" ;;
		esac
		;;
	*)
		case $_line in
		"fairtop: $2/$3:"*) ;;
		*) fail "$1: expected stderr to start 'fairtop: $2/$3:', found '$_line'" ;;
		esac
		;;
	esac
	if [ -n "$4" ]; then
		case $_line in
		*"$4"*) ;;
		*) fail "$1: expected the message to hold \"$4\", found '$_line'" ;;
		esac
	fi
	store_unchanged "$1"
}

# one_case NAME OUTCOME WHERE FRAGMENT: run and check one case; meant
# for a subshell: a failure exits it with 1; it exits 10 when the case
# was refused as it should, 11 when it was ingested as it should.
one_case() {
	name=$1
	outcome=$2
	where=$3
	fragment=$4
	if [ -e "$CORPUS/$name" ]; then
		dir="$CORPUS/$name"
	else
		dir="$GEN/$name"
	fi
	case $outcome in
	refused | either) target=$db ;;
	clean)
		target="$SCRATCH/clean.db"
		restore "$target"
		;;
	*) fail "$name: expected outcome refused, clean or either in the table, found '$outcome'" ;;
	esac
	err="$SCRATCH/case.err"
	out="$SCRATCH/case.out"
	case $name in
	policy-*)
		cmd="gate --baseline good --candidate good --policy $dir/policy.ini"
		run "$out" "$err" ft --db "$target" gate --baseline good --candidate good --policy "$dir/policy.ini" </dev/null
		;;
	deployments-*)
		cmd="ingest $dir/deployments.csv"
		run "$out" "$err" ft --db "$target" ingest "$dir/deployments.csv" </dev/null
		;;
	*)
		cmd="ingest $dir"
		run "$out" "$err" ft --db "$target" ingest "$dir" </dev/null
		;;
	esac
	[ "$rc" -eq 124 ] && fail "$name: fairtop $cmd: expected an answer, found it still running after 30 s"
	if [ "$outcome" = either ]; then
		case $rc in
		0) outcome=clean ;;
		65) outcome=refused ;;
		*)
			printf 'FAIL: %s: fairtop %s: expected exit 0 (ingested) or 65 (refused), found %s\n' "$name" "$cmd" "$rc"
			show_file "$err"
			exit 1
			;;
		esac
	fi
	case $outcome in
	refused)
		expect_rc "$name: fairtop $cmd" 65 "$err"
		check_refused "$name" "$dir" "$where" "$fragment" "$err"
		ok "$name: 65, fairtop: CASE${_line#"fairtop: $dir"}"
		exit 10
		;;
	clean)
		expect_rc "$name: fairtop $cmd" 0 "$err"
		intact "$target"
		run "$SCRATCH/runs.json" "$SCRATCH/runs.err" ft --db "$target" runs --format json
		expect_rc "$name: runs --format json" 0 "$SCRATCH/runs.err"
		run "$SCRATCH/show.out" "$SCRATCH/show.err" ft --db "$target" show "$fragment"
		expect_rc "$name: show '$fragment'" 0 "$SCRATCH/show.err"
		run "$SCRATCH/show.json" "$SCRATCH/show.err" ft --db "$target" show "$fragment" --format json
		expect_rc "$name: show '$fragment' --format json" 0 "$SCRATCH/show.err"
		check_clean "$name" "$target" "$fragment"
		extra "$name" "$target"
		ok "$name: 0, listed as '$fragment', show (text, json) works, store intact"
		exit 11
		;;
	esac
}

say "== each case: refused (65, one line, store unchanged) or clean (0, listed)"
nrefused=0
nclean=0
nfailed=0
failed=
while IFS='|' read -r name outcome where fragment; do
	(one_case "$name" "$outcome" "$where" "$fragment") </dev/null
	st=$?
	case $st in
	10) nrefused=$((nrefused + 1)) ;;
	11) nclean=$((nclean + 1)) ;;
	*)
		nfailed=$((nfailed + 1))
		failed="$failed $name"
		;;
	esac
	checks=$((checks + 1))
	# the next case starts from the store holding only the good run
	[ "$st" -eq 10 ] || restore "$db"
done <"$SCRATCH/table.txt"

say "t1500: $ncases bad-input cases tried: $nrefused refused, $nclean ingested cleanly, $nfailed failed"
[ "$nfailed" -eq 0 ] || fail "$nfailed of $ncases cases failed:$failed"
# the generated cases are 26 MB: kept only when something failed
rm -rf "$GEN" "$SCRATCH/clean.db" "$SCRATCH/clean.db-wal" "$SCRATCH/show.json"
done_ok
