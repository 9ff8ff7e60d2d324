#!/bin/sh
# t0200-bad-input: every bad run folder is refused whole.  Each case below is
# a small run folder made in $SCRATCH and ingested into a store that already
# holds one good run; the ingest must exit 65, print exactly one line on
# stderr, "fairtop: " then the file (FILE:LINE: where a line applies) and the
# expected message, and leave the store file (and its -wal file) byte for
# byte unchanged.  (metrics-duplicate-point fails only once the run's rows
# are being written: it checks the rollback.)
. "$TOP/tests/e2e/lib/common.sh"

# The cases, one a line:  name|base|file|content|expected
#   base      pred: run.csv, predictions.csv, metrics.csv of a good run;
#             counts: the same with counts.csv instead of predictions.csv;
#             missing: PATH does not exist
#   file      the file of the folder that the case writes (or deletes)
#   content   written with printf %b (\n ends a line); @delete removes the
#             file; empty makes an empty file
#   expected  stderr after "fairtop: ", exactly; @DIR@ is the run folder as
#             given to ingest, @FILE@ the file.  A leading ~ asserts only
#             that stderr starts with the rest (the message itself is
#             reported as unclear and not baked in)
cases() {
	cat <<'EOF'
missing-path|missing|||@DIR@: no such file or folder
no-run-csv|pred|run.csv|@delete|@DIR@: expected a run folder (holding run.csv) or a folder of run folders, found neither
empty-run-csv|pred|run.csv||@FILE@:1: expected the header 'key,value', found an empty file
empty-predictions|pred|predictions.csv||@FILE@:1: expected a header line (y_true,y_pred,...), found an empty file
header-only-predictions|pred|predictions.csv|y_true,y_pred,score,weight,sex\n|@FILE@:2: expected at least one prediction after the header, found the end of the file
missing-key-model|pred|run.csv|key,value\nrun,bad\nstarted_at,2026-01-22T14:05:00Z\nbeta_factor,1\nsensitive,sex\n|@FILE@:6: expected a row with the required key 'model', found the end of the file
missing-column-y_true|pred|predictions.csv|y_pred,score,weight,sex\n1,0.9,1,F\n|@FILE@:1: expected a column 'y_true', found none (columns are y_true, y_pred, optional score, weight, step, id, and the sensitive features)
unknown-column|pred|predictions.csv|y_true,y_pred,score,weight,sex,colour\n1,1,0.9,1,F,red\n|@FILE@:1: column 6: expected y_true, y_pred, score, weight, step, id or a sensitive column named in run.csv, found unknown column 'colour'
duplicate-column|pred|predictions.csv|y_true,y_pred,score,sex,sex\n1,1,0.9,F,F\n|@FILE@:1: expected each column once, found 'sex' in columns 4 and 5
too-few-fields|pred|predictions.csv|y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,0.2,M\n|@FILE@:3: expected 5 fields as in the header, found 4
too-many-fields|pred|predictions.csv|y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,0.2,1,M,x\n|@FILE@:3: expected 5 fields as in the header, found 6
score-not-numeric|pred|predictions.csv|y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,abc,1,M\n|@FILE@:3: column 'score': expected a probability of the positive label in [0,1], found 'abc'
score-nan|pred|predictions.csv|y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,nan,1,M\n|@FILE@:3: column 'score': expected a probability of the positive label in [0,1], found 'nan'
score-inf|pred|predictions.csv|y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,inf,1,M\n|@FILE@:3: column 'score': expected a probability of the positive label in [0,1], found 'inf'
weight-negative|pred|predictions.csv|y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,0.2,-1,M\n|@FILE@:3: column 'weight': expected a non-negative finite weight, found '-1'
y_true-3-class|pred|predictions.csv|y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,0.2,1,M\n2,0,0.2,1,M\n|@FILE@:4: column 'y_true': expected a binary label ('1' positive or '0'), found a third class '2'; fairtop judges binary classifiers (set positive_label in run.csv if '1' is not the positive label)
score-above-1|pred|predictions.csv|y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,1.5,1,M\n|@FILE@:3: column 'score': expected a probability of the positive label in [0,1], found '1.5'
unterminated-quote|pred|predictions.csv|y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,0.2,1,"M\n1,0,0.4,1,M\n|@FILE@:3: field 5: expected a closing '"' for the quoted field opened on this line, found the end of the file
metrics-value-abc|pred|metrics.csv|step,timestamp,metric,group,value\n1,2026-01-22T14:05:00Z,accuracy,,0.5\n2,2026-01-22T14:06:00Z,accuracy,,abc\n|@FILE@:3: column 'value': expected a finite number, found 'abc'
counts-negative|counts|counts.csv|step,group,tp,fp,tn,fn\n1,sex=F,1,1,0,0\n1,sex=M,0,-1,1,1\n|@FILE@:3: column 'fp': expected a non-negative finite count, found '-1'
metrics-duplicate-point|pred|metrics.csv|step,timestamp,metric,group,value\n1,2026-01-22T14:05:00Z,accuracy,,0.5\n1,2026-01-22T14:05:00Z,accuracy,,0.6\n|@FILE@:3: expected one value per step, metric and group, found a second one for step 1, metric 'accuracy', group ''
predictions-and-counts|pred|counts.csv|step,group,tp,fp,tn,fn\n1,sex=F,1,1,0,0\n|@DIR@: expected predictions.csv or counts.csv, found both; keep one
EOF
}

# replace_all STRING FROM TO: every FROM in STRING replaced by TO.
replace_all() {
	_s=$1
	_r=
	while :; do
		case $_s in
		*"$2"*)
			_r=$_r${_s%%"$2"*}$3
			_s=${_s#*"$2"}
			;;
		*) break ;;
		esac
	done
	printf '%s' "$_r$_s"
}

# make_base DIR KIND: the good folder a case starts from (run id "bad").
make_base() {
	make_run "$1" bad
	if [ "$2" = counts ]; then
		rm "$1/predictions.csv"
		printf 'step,group,tp,fp,tn,fn\n1,sex=F,1,1,0,0\n1,sex=M,0,0,1,1\n' >"$1/counts.csv"
	fi
}

db="$SCRATCH/store.db"
say "== a store holding one good run"
make_run "$SCRATCH/good" good
run "$SCRATCH/good.out" "$SCRATCH/good.err" "$FAIRTOP" --db "$db" ingest "$SCRATCH/good"
expect_rc "ingest the good run" 0 "$SCRATCH/good.err"
ok "store $db holds run 'good'"

say "== the bases the cases start from are themselves good"
for kind in pred counts; do
	make_base "$SCRATCH/base-$kind" "$kind"
	run "$SCRATCH/base.out" "$SCRATCH/base.err" "$FAIRTOP" --db "$SCRATCH/base-$kind.db" \
		ingest "$SCRATCH/base-$kind"
	expect_rc "ingest the unbroken '$kind' base folder" 0 "$SCRATCH/base.err"
	ok "base '$kind' ingests (exit 0)"
done

cp "$db" "$SCRATCH/store.before"
had_wal=no
if [ -e "$db-wal" ]; then
	had_wal=yes
	cp "$db-wal" "$SCRATCH/store-wal.before"
fi

say "== bad inputs: exit 65, one line 'fairtop: FILE:LINE: message', store unchanged"
ncases=0
cases >"$SCRATCH/cases.txt"
while IFS='|' read -r name base file content expected; do
	[ -n "$name" ] || continue
	ncases=$((ncases + 1))
	dir="$SCRATCH/cases/$name"
	if [ "$base" = missing ]; then
		dir="$SCRATCH/cases/$name/does-not-exist"
		mkdir -p "$SCRATCH/cases/$name"
	else
		make_base "$dir" "$base"
		if [ "$content" = @delete ]; then
			rm -f "$dir/$file"
		else
			printf '%b' "$content" >"$dir/$file"
		fi
	fi
	path="$dir/$file"
	want=$(replace_all "$expected" @DIR@ "$dir")
	want=$(replace_all "$want" @FILE@ "$path")

	err="$SCRATCH/cases/$name.err"
	run "$SCRATCH/cases/$name.out" "$err" "$FAIRTOP" --db "$db" ingest "$dir" </dev/null
	expect_rc "$name: fairtop ingest $dir" 65 "$err"
	line=$(one_line "$err") || {
		say "FAIL: $name: expected exactly one line on stderr, found $(wc -l <"$err" | tr -d ' '):"
		show_file "$err"
		exit 1
	}
	case $line in
	"fairtop: "*) ;;
	*) fail "$name: expected stderr to start with 'fairtop: ', found '$line'" ;;
	esac
	# the file (and line) is named, whatever the message
	case ${want#"~"} in
	"$path":*) where=$path ;;
	*) where=$dir ;;
	esac
	case $line in
	"fairtop: $where:"*) ;;
	*) fail "$name: expected stderr to name '$where:', found '$line'" ;;
	esac
	case $want in
	"~"*)
		prefix=${want#"~"}
		case $line in
		"fairtop: $prefix"*) ;;
		*) fail "$name: expected stderr starting 'fairtop: $prefix', found '$line'" ;;
		esac
		;;
	*)
		[ "$line" = "fairtop: $want" ] ||
			fail "$name: expected stderr${NL}    'fairtop: $want'${NL}  found${NL}    '$line'"
		;;
	esac
	cmp -s "$db" "$SCRATCH/store.before" ||
		fail "$name: expected the store file unchanged, found it differs ($(cmp "$db" "$SCRATCH/store.before" 2>&1))"
	if [ "$had_wal" = yes ]; then
		cmp -s "$db-wal" "$SCRATCH/store-wal.before" ||
			fail "$name: expected the store's -wal file unchanged, found it differs or gone"
	elif [ -s "$db-wal" ]; then
		fail "$name: expected no -wal file beside the store, found one of $(wc -c <"$db-wal") bytes"
	fi
	ok "$name: 65, '$line'"
done <"$SCRATCH/cases.txt"
[ "$ncases" -ge 21 ] || fail "expected at least 21 cases in the table, found $ncases"

say "== nothing of the refused runs is in the store"
run "$SCRATCH/runs.csv" "$SCRATCH/runs.err" "$FAIRTOP" --db "$db" runs --format csv
expect_rc "fairtop runs --format csv" 0 "$SCRATCH/runs.err"
found=$(sed 1d "$SCRATCH/runs.csv" | cut -d, -f1 | tr '\n' ' ')
[ "$found" = "good " ] || fail "runs after the refusals: expected only 'good', found '$found'"
ok "runs lists only 'good' after $ncases refused ingests"

done_ok
