#!/bin/sh
# t1320-dashboard-compare-findings: no finding is ever cut in the
# dashboard's Compare view (issue 14, item 3), on the sample store with
# r02 as the baseline and r05 as the candidate.
#   At 80x24, G scrolls to the findings; joined across their wrapped rows
#   (a continuation row is indented under its finding), every finding
#   `fairtop compare r02 r05` prints is on the screen whole, "FAIL  group=C
#   is in the baseline's evaluation (200 rows) but absent from the
#   candidate's" among them, and no row ends cut ("…").  The group tables
#   keep their columns.
#   At 200x60 every finding is one whole row, and nothing is cut.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
o="$SCRATCH/out"
e="$SCRATCH/err"

. "$TOP/tests/e2e/lib/tmux.sh"
tm_need
launch="$SCRATCH/dash.sh"
tm_launcher "$launch" "$(tm_utf8_locale)" no

db="$SCRATCH/dash.db"
sample_store "$db"
run "$o" "$e" "$FAIRTOP" --db "$db" compare r02 r05
expect_rc "fairtop compare r02 r05" 0 "$e"
findings="$SCRATCH/findings"
sed -n 's/^  \(FAIL\|WARN\|INFO\)  /\1  /p' "$o" >"$findings"
n=$(wc -l <"$findings")
[ "$n" -ge 10 ] || { say "FAIL: compare r02 r05: expected its findings, found $n:"; show_file "$o"; exit 1; }
grep -q -x -F "FAIL  group=C is in the baseline's evaluation (200 rows) but absent from the candidate's" "$findings" ||
	{ say "FAIL: compare r02 r05: expected the group=C finding:"; show_file "$findings"; exit 1; }
ok "compare r02 r05: $n findings, the group=C one among them"

# page_rows FILE: the Compare page's rows into FILE, in order, read a
# screen at a time from the top (g, then PgDn to the end), each screen's
# rows placed by its scroll mark "[A-B of N, j/k scroll]".
page_rows() {
	_idx="$1.idx"
	: >"$_idx"
	tm_keys g
	tm_poll -E -e '\[1-[0-9]+ of [0-9]+, j/k scroll\]' ||
		tm_fail "g: expected the Compare page from its first row, with its scroll mark"
	while :; do
		tm_capture
		_mark=$(sed -n 's/.*\[\([0-9]*\)-\([0-9]*\) of \([0-9]*\), j\/k scroll\].*/\1 \2 \3/p' "$TM_SCREEN")
		_from=${_mark%% *}
		_to=${_mark#* }
		_total=${_to#* }
		_to=${_to%% *}
		awk -v a="$_from" -v b="$_to" '
			/\[[0-9]+-[0-9]+ of [0-9]+, j\/k scroll\]/ { m = NR; next }
			m && NR > m && NR <= m + b - a + 1 { print (a + NR - m - 1) "\t" $0 }' \
			"$TM_SCREEN" >>"$_idx"
		[ "$_to" -ge "$_total" ] && break
		_next=$((_from + 10))
		[ "$_next" -gt $((_total - _to + _from)) ] && _next=$((_total - _to + _from))
		tm_keys NPage
		tm_poll -F -e "[$_next-" ||
			tm_fail "PgDn: expected the page from row $_next"
	done
	sort -n -s -u -k1,1 "$_idx" | cut -f2- >"$1"
}

# joined FILE: the findings in FILE (rows of the page), one line each,
# a finding's wrapped rows (indented four) joined with a space.
joined() {
	sed -n '/^FINDINGS *$/,$p' "$1" | awk '
		/^  (FAIL|WARN|INFO)  / { if (l != "") print l; l = substr($0, 3); sub(/ +$/, "", l); next }
		/^    [^ ]/ { s = $0; sub(/^ +/, "", s); sub(/ +$/, "", s); l = l " " s; next }
		{ if (l != "") print l; l = "" }
		END { if (l != "") print l }'
}

say "== 80x24"
tm_start 80 24 "$launch" --db "$db"
tm_expect "the Incident view first" "production r05 FAILS"
tm_keys 1
tm_expect "1: the Runs view" "[1 Runs]"
tm_keys g j j j j b
tm_expect "b: baseline set to r02" "baseline set to r02"
tm_keys g j c
tm_expect "c: candidate set to r05" "candidate set to r05"
tm_keys 2
tm_expect "2: r02 -> r05" "baseline r02 (1.1)  ->  candidate r05 (1.4)"
tm_expect_re "the group table's header, in its columns" \
	'^  GROUP      SELECTION       TPR             FPR             PRECISION *$'
tm_expect_re "a group's row in the table's columns" \
	'^  A          0\.[0-9]{3} [^ ]+ +0\.[0-9]{3} [^ ]+ +0\.[0-9]{3} [^ ]+ +0\.[0-9]{3} '
page="$SCRATCH/compare-page-80x24.txt"
page_rows "$page"
grep -q -x 'FINDINGS *' "$page" || { say "FAIL: 80x24: expected FINDINGS on the page:"; show_file "$page"; exit 1; }
joined "$page" >"$SCRATCH/joined"
while IFS= read -r want; do
	grep -q -x -F -e "$want" "$SCRATCH/joined" ||
		{ say "FAIL: 80x24: expected the finding whole across its rows: $want"; show_file "$page"; exit 1; }
done <"$findings"
ok "80x24: all $n findings whole, each across its wrapped rows"
grep -q -x -F "FAIL  group=C is in the baseline's evaluation (200 rows) but absent from the candidate's" "$SCRATCH/joined" ||
	fail "80x24: expected the group=C finding whole"
ok "80x24: FAIL group=C ... absent from the candidate's, whole across its rows"
grep -q '…' "$page" && { say "FAIL: 80x24: expected no row of the page cut (…)"; show_file "$page"; exit 1; }
ok "80x24: no row of the page cut"

say "== 200x60"
tm_resize 200 60
tm_expect "200x60: the Compare view" "[2 Compare]"
tm_keys G
tm_expect "200x60: the findings" "FINDINGS"
tm_save compare-findings-200x60.txt
while IFS= read -r want; do
	grep -q -x -E -e "  $(printf '%s' "$want" | sed 's/[][\.*^$+?(){}|]/\\&/g') *" "$TM_SCREEN" ||
		tm_fail "200x60: expected the finding on one row, whole: $want"
done <"$findings"
ok "200x60: every finding on one row, whole"
grep -q '…' "$TM_SCREEN" && tm_fail "200x60: expected nothing cut (…)"
ok "200x60: nothing cut"
tm_keys q
tm_expect_exited "q: fairtop exits"

done_ok
