#!/bin/sh
# t2600-invisible-and-wide: names that look alike print differently, and
# wide and combining characters keep columns aligned.
#   Two runs, "r1x" and "r1<U+200B>x" (a zero-width space inside): both
#   ingest; `runs` and `show` print the second as "r1?x", never with the
#   raw U+200B, and JSON escapes it as \u200b.  A tag character (U+E0041)
#   in a group prints as '?' too.  The run's groups include "中文" (two
#   wide characters, four columns) and "e" + U+0301 (one column): every
#   line of `fairtop show`'s group tables is as wide on a terminal as its
#   header, and the columns after GROUP start at the same column.
. "$TOP/tests/e2e/lib/common.sh"

command -v python3 >/dev/null 2>&1 ||
	{ say "skip: python3 is not installed: these checks need it"; exit 0; }

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
F="$FAIRTOP"
ZW=$(printf 'r1\342\200\213x')   # r1 U+200B x
CJK=$(printf '\344\270\255\346\226\207')  # 中文
ACUTE=$(printf 'e\314\201')      # e U+0301
TAG=$(printf 'T\363\240\201\201')  # T U+E0041

make_run plain r1x
make_run zw "$ZW"
# groups: F, M, 中文, é (combining) and T<tag>, several rows each
{
	printf 'y_true,y_pred,score,weight,sex\n'
	for g in F M "$CJK" "$ACUTE" "$TAG"; do
		printf '1,1,0.9,1,%s\n0,0,0.2,1,%s\n1,0,0.4,1,%s\n0,1,0.7,1,%s\n' \
			"$g" "$g" "$g" "$g"
	done
} >zw/predictions.csv

run ingest.out ingest.err "$F" --db "$db" ingest plain zw
expect_rc "ingest r1x and r1<U+200B>x" 0 ingest.err
ok "ingest of two runs whose ids look alike: exit 0"

# no_zero_width WHAT FILE: no raw U+200B (e2 80 8b) nor tag (f3 a0 81 81)
no_zero_width() {
	_hex=$(od -An -v -tx1 "$2" | tr -s ' \n' '  ')
	case " $_hex " in
	*" e2 80 8b "* | *" f3 a0 81 81 "*)
		printf 'FAIL: %s: expected no raw U+200B or U+E0041, found one:\n' "$1"
		show_file "$2"
		exit 1
		;;
	esac
}

run runs.out runs.err "$F" --db "$db" runs
expect_rc "runs" 0 runs.err
no_zero_width "runs" runs.out
expect_contains "runs: the id with U+200B shown escaped" runs.out "r1?x"
expect_contains "runs: the plain id" runs.out "r1x"
ok "runs: r1x and r1?x, no raw zero-width space"

run show.out show.err "$F" --db "$db" show "$ZW"
expect_rc "show r1<U+200B>x" 0 show.err
no_zero_width "show" show.out
expect_contains "show: the id escaped" show.out "run r1?x"
expect_contains "show: the tag character escaped" show.out "T?"
ok "show r1<U+200B>x: 'run r1?x', the tag character as '?'"

run show.json show.err "$F" --db "$db" show "$ZW" --format json
expect_rc "show --format json" 0 show.err
no_zero_width "show --format json" show.json
expect_json "show --format json" show.json
grep -F -e 'r1\u200bx' show.json >/dev/null ||
	fail "show --format json: expected the id as \"r1\\u200bx\", found: $(grep -o '"run": *"[^"]*"' show.json | head -n 1)"
python3 - show.json "$ZW" <<'PY' || fail "show --format json: the id does not decode back (see above)"
import json, sys
want = sys.argv[2].encode('utf-8', 'surrogateescape').decode('utf-8')
d = json.load(open(sys.argv[1], encoding='utf-8'))
s = json.dumps(d, ensure_ascii=False)
assert want in s, 'r1\\u200bx not found once decoded'
assert '\U000e0041' in s, 'the tag character not found once decoded'
PY
ok "show --format json: r1\\u200bx escaped, and decodes back (the tag as a surrogate pair)"

# every line of a group table is as wide as its header on a terminal,
# and the N column ends at the same column
python3 - show.out "$CJK" "$ACUTE" <<'PY' || fail "show: the group table's columns are not aligned (see above)"
import sys, unicodedata
def width(s):
    w = 0
    for c in s:
        if unicodedata.combining(c) or unicodedata.category(c) in ('Mn', 'Me'):
            continue
        w += 2 if unicodedata.east_asian_width(c) in ('W', 'F') else 1
    return w
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
cjk, acute = sys.argv[2], sys.argv[3]
tables = 0
for i, line in enumerate(lines):
    if not line.startswith('  GROUP '):
        continue
    head = line
    rows = []
    for l in lines[i + 1:]:
        if not l.startswith('  ') or l.startswith('  AGGREGATE') or l.startswith('  *'):
            break
        rows.append(l)
    if not any(cjk in r for r in rows):
        continue
    tables += 1
    end_n = width(head[:head.index(' N ') + 2])
    for r in rows:
        if width(r) != width(head):
            print('  %r: %d columns, the header %d' % (r, width(r), width(head)))
            sys.exit(1)
        # the N column (right-aligned) ends where the header's N does
        cut = 0
        for k in range(len(r)):
            if width(r[:k]) == end_n:
                cut = k
                break
        if not (r[cut - 1:cut].isdigit() and r[cut:cut + 1] == ' '):
            print('  %r: the N column does not end at column %d' % (r, end_n))
            sys.exit(1)
    if not any(acute in r for r in rows):
        print('  no row with e + U+0301')
        sys.exit(1)
if tables == 0:
    print('  no group table holding the CJK group')
    sys.exit(1)
print('  %d tables aligned' % tables)
PY
ok "show: the tables with the groups 中文 (4 columns) and e+U+0301 (1 column) aligned"

done_ok
