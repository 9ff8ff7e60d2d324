#!/bin/sh
# t2610-errors-and-limits: errors in the promised form
# "FILE:LINE: expected ..., found ...", and limits the same in the code,
# README and the man page (sensitive features, class weights, groups per
# feature, cells).
#   A policy whose psi_warning is above its psi_critical; run.csv with
#   17 class weights (CLASSWEIGHTS_MAX is 16); run.csv naming 7 sensitive
#   columns (EVAL_MAX_FEATURES is 6): each refused with the file, the
#   line, what was expected and what was found.  The numbers README and
#   fairtop.1 give for `sensitive` and `class_weights` are the code's.
. "$TOP/tests/e2e/lib/common.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
F="$FAIRTOP"

# expect_line WHAT FILE TEXT: FILE is one line, exactly TEXT
expect_line() {
	_got=$(one_line "$2") ||
		{ printf 'FAIL: %s: expected one line, found:\n' "$1"; show_file "$2"; exit 1; }
	[ "$_got" = "$3" ] ||
		fail "$1: expected \"$3\", found \"$_got\""
}

printf '[drift]\npsi_warning = 0.3\npsi_critical = 0.2\n' >psi.ini
run policy.out policy.err "$F" policy --policy psi.ini
expect_rc "policy --policy psi.ini (warning above critical)" 65 policy.err
expect_line "policy psi.ini" policy.err \
	"fairtop: psi.ini:3: psi_critical: expected at least psi_warning (0.3, psi.ini:2), found 0.2"
ok "psi_warning above psi_critical: psi.ini:3: expected ..., found ..."

make_run cw r-cw
w=""
i=0
while [ $i -le 16 ]; do
	w="$w${w:+;}c$i:1"
	i=$((i + 1))
done
printf 'class_weights,%s\n' "$w" >>cw/run.csv
run cw.out cw.err "$F" --db "$db" ingest cw
expect_rc "ingest of 17 class weights" 65 cw.err
expect_line "ingest of 17 class weights" cw.err \
	"fairtop: cw/run.csv:7: key 'class_weights': expected at most 16 labels, found a 17th, 'c16'"
ok "17 class weights: cw/run.csv:7: expected at most 16 labels, found a 17th"

make_run s7 r-s7
sed 's/^sensitive,sex$/sensitive,"sex,a,b,c,d,e,f"/' s7/run.csv >s7/run.tmp &&
	mv s7/run.tmp s7/run.csv
run s7.out s7.err "$F" --db "$db" ingest s7
expect_rc "ingest naming 7 sensitive columns" 65 s7.err
expect_line "ingest naming 7 sensitive columns" s7.err \
	"fairtop: s7/run.csv:6: key 'sensitive': expected at most 6 columns, found a 7th, 'f'"
ok "7 sensitive columns: s7/run.csv:6: expected at most 6 columns, found a 7th"

# the code's limits, and what README and the man page say of them
features=$(sed -n 's/^#define EVAL_MAX_FEATURES \([0-9]*\).*/\1/p' "$TOP/core/groups.h")
labels=$(sed -n 's/^#define CLASSWEIGHTS_MAX \([0-9]*\).*/\1/p' "$TOP/core/classweights.h")
[ -n "$features" ] && [ -n "$labels" ] ||
	fail "the limits: expected EVAL_MAX_FEATURES and CLASSWEIGHTS_MAX in the headers"
readme_s=$(grep -e '^| `sensitive` |' "$TOP/README.md" | sed -n 's/.*at most \([0-9]*\).*/\1/p')
readme_f=$(grep -e 'At most [0-9]*$' "$TOP/README.md" | sed -n 's/.*At most \([0-9]*\)$/\1/p')
readme_c=$(grep -e '^| `class_weights` |' "$TOP/README.md" | sed -n 's/.*at most \([0-9]*\) labels.*/\1/p')
man_s=$(sed -n 's/^comma\\-separated, each once, at most \([0-9]*\)).*/\1/p' "$TOP/man/fairtop.1")
man_f=$(sed -n 's/^At most \([0-9]*\) sensitive features\.$/\1/p' "$TOP/man/fairtop.1")
man_c=$(sed -n 's/.*at most \([0-9]*\) labels);$/\1/p' "$TOP/man/fairtop.1")
groups=$(sed -n 's/^#define EVAL_MAX_GROUPS \([0-9]*\).*/\1/p' "$TOP/core/groups.h")
cells=$(sed -n 's/^#define EVAL_MAX_CELLS \([0-9]*\).*/\1/p' "$TOP/core/groups.h")
[ -n "$groups" ] && [ -n "$cells" ] ||
	fail "the limits: expected EVAL_MAX_GROUPS and EVAL_MAX_CELLS in core/groups.h"
readme_g=$(grep -e '^| groups per sensitive feature |' "$TOP/README.md" | sed -n 's/^[^|]*|[^|]*| \([0-9]*\) distinct.*/\1/p')
readme_x=$(grep -e '^| cells |' "$TOP/README.md" | sed -n 's/^[^|]*|[^|]*| \([0-9,]*\) distinct.*/\1/p' | tr -d ,)
man_g=$(sed -n 's/^at most \([0-9]*\) distinct values$/\1/p' "$TOP/man/fairtop-formats.5")
man_x=$(sed -n 's/^at most \([0-9]*\) distinct (step, combination.*/\1/p' "$TOP/man/fairtop-formats.5")
for pair in "README groups per feature:$readme_g:$groups" \
	"README cells:$readme_x:$cells" \
	"man groups per feature:$man_g:$groups" \
	"man cells:$man_x:$cells" \
	"README sensitive key:$readme_s:$features" \
	"README sensitive features:$readme_f:$features" \
	"man sensitive key:$man_s:$features" \
	"man sensitive features:$man_f:$features" \
	"README class_weights:$readme_c:$labels" \
	"man class_weights:$man_c:$labels"; do
	what=${pair%%:*}
	rest=${pair#*:}
	said=${rest%%:*}
	code=${rest#*:}
	[ "$said" = "$code" ] ||
		fail "$what: expected at most $code (the code's limit), found '$said'"
	ok "$what: at most $code, as in the code"
done

done_ok
