#!/bin/sh
# t2650-limits: nothing grows without bound.
#   A predictions.csv whose 1001st distinct group of 'sex' comes on line
#   1002 is refused there (exit 65, one line, nothing stored); one with
#   1000 groups is taken.  Two features of 101 and 100 values make the
#   10001st cell on line 10002: refused there.  A 200 MB sparse file (a
#   valid header, a row, then zeros) is refused at its first NUL on line
#   3; a line of one 60 MB field is refused once the field passes
#   1 MiB.  Each refusal keeps fairtop's peak memory under 50 MB
#   (/usr/bin/time -f %M; never a check on time).  Weights all zero are
#   refused as no evaluation, on line 2; a group weighing nothing in a
#   weighted file is shown n/a (null in JSON), never 0.
. "$TOP/tests/e2e/lib/common.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
MAX_KB=51200

have_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
	have_time=1
else
	say "skip: the memory checks need GNU time (/usr/bin/time -f %M)"
fi

# a_run DIR ID: run.csv of a run with the feature sex (and age).
a_run() {
	mkdir -p "$1"
	printf 'key,value\nrun,%s\nmodel,m\nstarted_at,2026-01-22T14:05:00Z\nbeta_factor,1\n' \
		"$2" >"$1/run.csv"
}

# refused WHAT DIR MESSAGE: ingest DIR into a store, under GNU time when
# there is one; exit 65, one line on stderr ending with MESSAGE, nothing
# stored, peak memory under MAX_KB.
refused() {
	rm -f "$db"
	if [ "$have_time" -eq 1 ]; then
		/usr/bin/time -o "$SCRATCH/rss" -f %M "$FAIRTOP" --db "$db" ingest "$2" >out 2>err
	else
		"$FAIRTOP" --db "$db" ingest "$2" >out 2>err
	fi
	rc=$?
	expect_rc "$1" 65 err
	_line=$(one_line err) || { say "FAIL: $1: expected one line on stderr, found:"; show_file err; exit 1; }
	case $_line in
	*"$3") ;;
	*) fail "$1: expected the error to end with '$3', found '$_line'" ;;
	esac
	"$FAIRTOP" --db "$db" runs --format csv >runs.csv 2>runs.err
	grep -q -e "$(basename "$2")" runs.csv && fail "$1: expected nothing stored, found: $(cat runs.csv)"
	ok "$1: exit 65, '$_line'"
	if [ "$have_time" -eq 1 ]; then
		_kb=$(tail -n 1 "$SCRATCH/rss")
		[ "$_kb" -lt "$MAX_KB" ] || fail "$1: expected a peak memory under $MAX_KB KB, found $_kb KB"
		ok "$1: peak memory $_kb KB, under $MAX_KB KB"
	fi
}

say "== groups per feature"
a_run g1001 g1001
awk 'BEGIN { print "y_true,y_pred,sex"; for (i = 0; i < 5000; i++) printf "%d,%d,g%d\n", i % 2, int(i / 2) % 2, i }' \
	>g1001/predictions.csv
refused "1001 groups of sex" g1001 \
	"g1001/predictions.csv:1002: column 'sex': expected at most 1000 distinct groups, found a 1001st ('g1000')"

a_run g1000 g1000
awk 'BEGIN { print "y_true,y_pred,sex"; for (i = 0; i < 5000; i++) printf "%d,%d,g%d\n", i % 2, int(i / 2) % 2, i % 1000 }' \
	>g1000/predictions.csv
rm -f "$db"
run out err "$FAIRTOP" --db "$db" ingest g1000
expect_rc "1000 groups of sex" 0 err
expect_contains "1000 groups of sex" out "ingested g1000"
ok "1000 groups of sex: taken"

say "== cells"
a_run cells cells
awk 'BEGIN { print "y_true,y_pred,sex,age"; for (i = 0; i < 10100; i++) printf "1,1,s%d,a%d\n", int(i / 100), i % 100 }' \
	>cells/predictions.csv
refused "the 10001st cell" cells \
	"cells/predictions.csv:10002: expected at most 10000 distinct cells (steps times combinations of groups), found a 10001st (step 0: 'sex=s100 & age=a0')"

say "== a sparse file and a long line"
a_run sparse sparse
printf 'y_true,y_pred,sex\n1,1,F\n' >sparse/predictions.csv
truncate -s 200M sparse/predictions.csv ||
	fail "truncate -s 200M: expected a sparse file"
refused "a 200 MB sparse file" sparse \
	"sparse/predictions.csv:3: field 1: expected text, found a NUL byte"

a_run longline longline
{
	printf 'y_true,y_pred,sex\n1,1,F\n1,0,"'
	head -c 60000000 /dev/zero | tr '\000' x
	printf '"\n'
} >longline/predictions.csv
refused "a 60 MB field" longline \
	"longline/predictions.csv:3: field 3: expected at most 1048576 bytes, found more"
rm -f sparse/predictions.csv longline/predictions.csv

say "== weights all zero"
a_run zero zero
printf 'y_true,y_pred,weight,sex\n1,1,0,F\n0,1,0,M\n1,0,0.0,M\n' >zero/predictions.csv
refused "weights all zero" zero \
	"zero/predictions.csv:2: expected at least one row with a positive weight, found all 3 weights zero: no evaluation"

a_run zgroup zgroup
printf 'y_true,y_pred,weight,sex\n1,1,1,F\n0,1,2,F\n0,1,0,M\n1,0,0,M\n' >zgroup/predictions.csv
rm -f "$db"
run out err "$FAIRTOP" --db "$db" ingest zgroup
expect_rc "a group weighing nothing" 0 err
run out err "$FAIRTOP" --db "$db" show zgroup --format json
expect_rc "show zgroup --format json" 0 err
expect_json "show zgroup --format json" out
python3 - out <<'PY' || fail "a group weighing nothing: expected its rates null, F's defined"
import json, sys
d = json.load(open(sys.argv[1]))
sex = [f for f in d["features"] if f["name"] == "sex"][0]
g = {x["group"]: x for x in sex["groups"]}
m, f = g["M"], g["F"]
for k in ("selection_rate", "tpr", "fpr", "accuracy"):
    if m.get(k, "absent") is not None:
        sys.exit("M %s: expected null, found %r" % (k, m.get(k, "absent")))
if f.get("selection_rate") is None:
    sys.exit("F selection_rate: expected a number, found null")
PY
run out err "$FAIRTOP" --db "$db" show zgroup
grep -E '^ +M ' out | grep -q 'n/a' || { show_file out; fail "show zgroup: expected group M shown n/a"; }
ok "a group weighing nothing: its rates null in JSON and n/a in text, never 0"

done_ok
