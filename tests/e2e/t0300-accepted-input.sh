#!/bin/sh
# t0300-accepted-input: inputs that differ in form but not in content give
# the same numbers.  CRLF line ends and a UTF-8 byte order mark give exactly
# what the LF version gives; a weight column weighs the confusion counts as
# computed here by hand; a counts.csv holding the (group & age) cells of
# r04's final step, aggregated in Python from its predictions.csv, gives
# exactly the per-group counts and rates of the predictions ingest; and
# numbers are read the same under a locale whose decimal separator is ','.
. "$TOP/tests/e2e/lib/common.sh"

# show_json DB RUN OUT: fairtop show RUN --format json, checked valid.
show_json() {
	run "$3" "$3.err" "$FAIRTOP" --db "$1" show "$2" --format json
	expect_rc "fairtop --db $1 show $2 --format json" 0 "$3.err"
	expect_json "fairtop show $2 --format json" "$3"
}

# same_json WHAT A B [KEY...]: two JSON documents equal, once the given
# top-level keys are dropped (source: the folder name differs on purpose).
same_json() {
	_what=$1
	shift
	python3 - "$@" <<'EOF' || fail "$_what: the outputs differ (see above)"
import json, sys
a_path, b_path, *drop = sys.argv[1:]
a, b = json.load(open(a_path)), json.load(open(b_path))
for k in drop:
    a.pop(k, None)
    b.pop(k, None)
def walk(x, y, at):
    if type(x) != type(y):
        return [f"{at}: expected {x!r}, found {y!r}"]
    if isinstance(x, dict):
        out = [f"{at}: keys: expected {sorted(x)}, found {sorted(y)}"] if x.keys() != y.keys() else []
        for k in x:
            if k in y:
                out += walk(x[k], y[k], f"{at}.{k}")
        return out
    if isinstance(x, list):
        out = [f"{at}: expected {len(x)} items, found {len(y)}"] if len(x) != len(y) else []
        for i, (u, v) in enumerate(zip(x, y)):
            out += walk(u, v, f"{at}[{i}]")
        return out
    return [] if x == y else [f"{at}: expected {x!r}, found {y!r}"]
bad = walk(a, b, "$")
for line in bad[:20]:
    print("FAIL:", line)
sys.exit(1 if bad else 0)
EOF
}

# ---------------------------------------------------------------------
say "== CRLF line ends and a UTF-8 BOM give the numbers of the LF version"
src="$TOP/sample_runs/r01"
if od -An -c "$src/run.csv" "$src/predictions.csv" "$src/metrics.csv" | grep -q '\\r'; then
	fail "sample_runs/r01: expected LF line ends to start from, found CR bytes"
fi
for variant in lf crlf bom crlf-bom; do
	dir="$SCRATCH/ends/$variant/r01"
	mkdir -p "$dir"
	for f in run.csv predictions.csv metrics.csv; do
		case $variant in
		lf) cp "$src/$f" "$dir/$f" ;;
		crlf) sed 's/$/\r/' "$src/$f" >"$dir/$f" ;;
		bom) { printf '\357\273\277'; cat "$src/$f"; } >"$dir/$f" ;;
		crlf-bom) { printf '\357\273\277'; sed 's/$/\r/' "$src/$f"; } >"$dir/$f" ;;
		esac
	done
	db="$SCRATCH/ends/$variant.db"
	run "$SCRATCH/ends/$variant.out" "$SCRATCH/ends/$variant.err" "$FAIRTOP" --db "$db" ingest "$dir"
	expect_rc "ingest r01 with $variant" 0 "$SCRATCH/ends/$variant.err"
	# what ingest counted, without the folder name
	sed "s|$dir|DIR|" "$SCRATCH/ends/$variant.out" >"$SCRATCH/ends/$variant.said"
	show_json "$db" r01 "$SCRATCH/ends/$variant.json"
	run "$SCRATCH/ends/$variant.runs" "$SCRATCH/ends/$variant.runs.err" "$FAIRTOP" --db "$db" runs --format csv
	expect_rc "runs --format csv ($variant)" 0 "$SCRATCH/ends/$variant.runs.err"
done
head -c 3 "$SCRATCH/ends/bom/r01/run.csv" | od -An -tx1 | grep -q 'ef bb bf' ||
	fail "the bom variant: expected run.csv to start with ef bb bf"
grep -q "$(printf '\r')\$" "$SCRATCH/ends/crlf/r01/predictions.csv" ||
	fail "the crlf variant: expected CRLF line ends in predictions.csv"
for variant in crlf bom crlf-bom; do
	cmp -s "$SCRATCH/ends/lf.said" "$SCRATCH/ends/$variant.said" ||
		fail "ingest with $variant: expected '$(cat "$SCRATCH/ends/lf.said")', found '$(cat "$SCRATCH/ends/$variant.said")'"
	same_json "show r01 ($variant against lf)" "$SCRATCH/ends/lf.json" "$SCRATCH/ends/$variant.json" source
	cmp -s "$SCRATCH/ends/lf.runs" "$SCRATCH/ends/$variant.runs" ||
		fail "runs --format csv ($variant): expected the lf output, found:${NL}$(cat "$SCRATCH/ends/$variant.runs")"
	ok "$variant: same predictions, groups, metric points, show json and runs csv as LF"
done

# ---------------------------------------------------------------------
say "== a weight column weighs the counts (computed by hand)"
w="$SCRATCH/weighted/w"
mkdir -p "$w"
printf 'key,value\nrun,w\nmodel,m\nstarted_at,2026-01-22T14:05:00Z\nbeta_factor,2\nsensitive,sex\n' >"$w/run.csv"
cat >"$w/predictions.csv" <<'EOF'
y_true,y_pred,weight,sex
1,1,2,F
1,0,0.5,F
0,1,1,F
0,0,3,F
1,1,1,M
0,0,1,M
0,1,0.25,M
EOF
u="$SCRATCH/weighted/u"
mkdir -p "$u"
sed 's/^run,w$/run,u/' "$w/run.csv" >"$u/run.csv"
cut -d, -f1,2,4 "$w/predictions.csv" >"$u/predictions.csv"
run "$SCRATCH/weighted.out" "$SCRATCH/weighted.err" "$FAIRTOP" --db "$SCRATCH/weighted.db" ingest "$w" "$u"
expect_rc "ingest the weighted run and its unweighted twin" 0 "$SCRATCH/weighted.err"
show_json "$SCRATCH/weighted.db" w "$SCRATCH/weighted/w.json"
show_json "$SCRATCH/weighted.db" u "$SCRATCH/weighted/u.json"
python3 - "$SCRATCH/weighted/w.json" "$SCRATCH/weighted/u.json" <<'EOF' || fail "weighted run: numbers differ from the hand computation (see above)"
import json, sys
from fractions import Fraction as F
w = json.load(open(sys.argv[1]))
u = json.load(open(sys.argv[2]))
bad = []
def close(what, want, got):
    want = None if want is None else float(want)
    if want is None or got is None:
        if want is not got:
            bad.append(f"{what}: expected {want}, found {got}")
    elif not (want == got or abs(want - got) <= 1e-12 * max(abs(want), abs(got))):
        bad.append(f"{what}: expected {want!r}, found {got!r}")
# By hand, from the seven rows (weights 2, .5, 1, 3 for F; 1, 1, .25 for M):
#   F: tp 2, fn 0.5, fp 1, tn 3 (n 6.5, 4 rows)
#   M: tp 1, fn 0,  fp 0.25, tn 1 (n 2.25, 3 rows)
#   all: tp 3, fn 0.5, fp 1.25, tn 4 (n 8.75, 7 rows)
# beta 2: F2 = 5 P R / (4 P + R); overall P = 12/17, R = 6/7, F2 = 60/73.
want = {
    "F": dict(rows=4, n=F(13, 2), tp=2, fp=1, tn=3, fn=F(1, 2),
              selection_rate=F(6, 13), tpr=F(4, 5), fpr=F(1, 4),
              precision=F(2, 3), accuracy=F(10, 13)),
    "M": dict(rows=3, n=F(9, 4), tp=1, fp=F(1, 4), tn=1, fn=0,
              selection_rate=F(5, 9), tpr=1, fpr=F(1, 5),
              precision=F(4, 5), accuracy=F(8, 9)),
}
overall = dict(n=F(35, 4), selection_rate=F(17, 35), tpr=F(6, 7), fpr=F(5, 21),
               precision=F(12, 17), accuracy=F(4, 5), f_beta=F(60, 73))
for k, v in overall.items():
    close(f"overall {k}", v, w["overall"][k])
close("evaluation.rows (rows, not weights)", 7, w["evaluation"]["rows"])
sex = [f for f in w["features"] if f["name"] == "sex"][0]
groups = {g["group"]: g for g in sex["groups"]}
if sorted(groups) != ["F", "M"]:
    bad.append(f"sex groups: expected ['F', 'M'], found {sorted(groups)}")
for label, exp in want.items():
    for k, v in exp.items():
        close(f"sex={label} {k}", v, groups.get(label, {}).get(k))
# across the two groups: DP 5/9 - 6/13 = 11/117, ratio 54/65; TPR spread
# 1/5 (ratio 4/5), FPR spread 1/20 (ratio 4/5): EO 1/5, ratio 4/5
close("demographic_parity_difference", F(11, 117), sex["demographic_parity_difference"])
close("demographic_parity_ratio", F(54, 65), sex["demographic_parity_ratio"])
close("equalized_odds_difference", F(1, 5), sex["equalized_odds_difference"])
close("equalized_odds_ratio", F(4, 5), sex["equalized_odds_ratio"])
# balanced class weights come from the label counts (rows): 7 rows,
# 3 positive, 4 negative: 7/6 and 7/8
ex = w["class_weights"]["exact"] or {}
close("class_weights.exact[1] (7 rows / (2 * 3 positive))", F(7, 6), ex.get("1"))
close("class_weights.exact[0] (7 rows / (2 * 4 negative))", F(7, 8), ex.get("0"))
# without the weights the numbers are those of plain counting: TPR(F) 1/2
ug = {g["group"]: g for f in u["features"] if f["name"] == "sex" for g in f["groups"]}
close("unweighted twin sex=F tpr", F(1, 2), ug.get("F", {}).get("tpr"))
close("unweighted twin overall accuracy", F(4, 7), u["overall"]["accuracy"])
if w["overall"]["accuracy"] == u["overall"]["accuracy"]:
    bad.append("the weight column changed nothing")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
EOF
ok "weighted: per-group counts, rates, F-beta (beta 2), DP and EO as computed by hand"
ok "weighted: differs from the unweighted twin, which gives plain counts"

# ---------------------------------------------------------------------
say "== counts.csv of r04's final-step (group & age) cells = its predictions"
c="$SCRATCH/counts/r04"
mkdir -p "$c"
cp "$TOP/sample_runs/r04/run.csv" "$c/run.csv"
python3 - "$TOP/sample_runs/r04/predictions.csv" "$c/counts.csv" <<'EOF' || fail "could not aggregate r04"
import csv, sys
with open(sys.argv[1], newline="") as f:
    rows = list(csv.DictReader(f))
final = max(int(r["step"]) for r in rows)
cells = {}
for r in rows:
    if int(r["step"]) != final:
        continue
    y, p = r["y_true"] == "1", r["y_pred"] == "1"
    i = (0 if p else 3) if y else (1 if p else 2)  # tp fp tn fn
    cells.setdefault((r["group"], r["age"]), [0, 0, 0, 0])[i] += 1
with open(sys.argv[2], "w", newline="") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow(["step", "group", "tp", "fp", "tn", "fn"])
    for (g, a), k in sorted(cells.items()):
        out.writerow([final, f"group={g} & age={a}", *k])
print(f"{len(cells)} cells at step {final}, {sum(map(sum, cells.values()))} rows")
EOF
run "$SCRATCH/counts.out" "$SCRATCH/counts.err" "$FAIRTOP" --db "$SCRATCH/counts.db" ingest "$c"
expect_rc "ingest r04 from counts.csv" 0 "$SCRATCH/counts.err"
run "$SCRATCH/pred.out" "$SCRATCH/pred.err" "$FAIRTOP" --db "$SCRATCH/pred.db" ingest "$TOP/sample_runs/r04"
expect_rc "ingest r04 from predictions.csv" 0 "$SCRATCH/pred.err"
show_json "$SCRATCH/counts.db" r04 "$SCRATCH/counts/counts.json"
show_json "$SCRATCH/pred.db" r04 "$SCRATCH/counts/pred.json"
python3 - "$SCRATCH/counts/pred.json" "$SCRATCH/counts/counts.json" <<'EOF' || fail "counts.csv ingest differs from the predictions ingest (see above)"
import json, sys
p = json.load(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))
bad = []
keys = ("n", "tp", "fp", "tn", "fn", "base_rate", "selection_rate", "tpr", "fpr",
        "precision", "accuracy", "f_beta")
if c["evaluation"]["source"] != "counts":
    bad.append(f"evaluation.source: expected 'counts', found {c['evaluation']['source']!r}")
if c["evaluation"]["step"] != p["evaluation"]["step"]:
    bad.append(f"evaluation.step: expected {p['evaluation']['step']}, found {c['evaluation']['step']}")
for k in keys:
    if k in p["overall"] and p["overall"][k] != c["overall"].get(k):
        bad.append(f"overall {k}: expected {p['overall'][k]!r}, found {c['overall'].get(k)!r}")
pf = {f["name"]: f for f in p["features"]}
cf = {f["name"]: f for f in c["features"]}
if sorted(pf) != sorted(cf):
    bad.append(f"features: expected {sorted(pf)}, found {sorted(cf)}")
n = 0
for name in pf:
    if name not in cf:
        continue
    for k in ("demographic_parity_difference", "demographic_parity_ratio",
              "equalized_odds_difference", "equalized_odds_ratio",
              "equal_opportunity_difference"):
        if pf[name][k] != cf[name][k]:
            bad.append(f"[{name}] {k}: expected {pf[name][k]!r}, found {cf[name][k]!r}")
    pg = {g["group"]: g for g in pf[name]["groups"]}
    cg = {g["group"]: g for g in cf[name]["groups"]}
    if sorted(pg) != sorted(cg):
        bad.append(f"[{name}] groups: expected {sorted(pg)}, found {sorted(cg)}")
    for label, g in pg.items():
        n += 1
        for k in keys:
            if g[k] != cg.get(label, {}).get(k):
                bad.append(f"[{name}] {label} {k}: expected {g[k]!r}, found {cg.get(label, {}).get(k)!r}")
for k in ("dp_difference", "eo_difference", "worst_tpr", "worst_tpr_group"):
    if p["summary"][k] != c["summary"][k]:
        bad.append(f"summary.{k}: expected {p['summary'][k]!r}, found {c['summary'][k]!r}")
for b in bad[:30]:
    print("FAIL:", b)
print(f"{n} groups compared" if not bad else f"{len(bad)} differences")
sys.exit(1 if bad else 0)
EOF
ok "counts.csv: every group's tp/fp/tn/fn and rates, DP and EO equal the predictions ingest exactly"

# ---------------------------------------------------------------------
say "== numbers are read the same under a ',' decimal locale"
comma=
for l in $(locale -a 2>/dev/null); do
	if [ "$(LC_ALL=$l locale decimal_point 2>/dev/null)" = "," ]; then
		comma=$l
		break
	fi
done
how="installed"
if [ -z "$comma" ] && command -v localedef >/dev/null 2>&1; then
	# none installed: build one for this test only (LOCPATH)
	mkdir -p "$SCRATCH/locale"
	if localedef -i de_DE -f UTF-8 "$SCRATCH/locale/de_DE.UTF-8" >/dev/null 2>&1 &&
		[ "$(LOCPATH="$SCRATCH/locale" LC_ALL=de_DE.UTF-8 locale decimal_point 2>/dev/null)" = "," ]; then
		comma=de_DE.UTF-8
		how="built with localedef into \$SCRATCH/locale"
		LOCPATH="$SCRATCH/locale"
		export LOCPATH
	fi
fi
if [ -z "$comma" ]; then
	say "skip: no locale with ',' as decimal separator is installed (locale -a), and none could be built with localedef"
else
	say "using $comma ($how)"
	for r in w r04; do
		case $r in
		w) dir=$w ;;
		*) dir="$TOP/sample_runs/r04" ;;
		esac
		db="$SCRATCH/locale-$r.db"
		LC_ALL=$comma "$FAIRTOP" --db "$db" ingest "$dir" >"$SCRATCH/locale-$r.out" 2>"$SCRATCH/locale-$r.err"
		rc=$?
		expect_rc "LC_ALL=$comma fairtop ingest $r" 0 "$SCRATCH/locale-$r.err"
		LC_ALL=$comma "$FAIRTOP" --db "$db" show "$r" --format json >"$SCRATCH/locale-$r.json" 2>"$SCRATCH/locale-$r.err"
		rc=$?
		expect_rc "LC_ALL=$comma fairtop show $r --format json" 0 "$SCRATCH/locale-$r.err"
		expect_json "LC_ALL=$comma fairtop show $r --format json" "$SCRATCH/locale-$r.json"
		case $r in
		w) ref="$SCRATCH/weighted/w.json" ;;
		*) ref="$SCRATCH/counts/pred.json" ;;
		esac
		same_json "LC_ALL=$comma show $r" "$ref" "$SCRATCH/locale-$r.json" source
		LC_ALL=$comma "$FAIRTOP" --db "$db" runs --format csv >"$SCRATCH/locale-$r.csv" 2>"$SCRATCH/locale-$r.err"
		rc=$?
		expect_rc "LC_ALL=$comma fairtop runs --format csv" 0 "$SCRATCH/locale-$r.err"
		LC_ALL=C "$FAIRTOP" --db "$db" runs --format csv >"$SCRATCH/locale-$r.c.csv" 2>&1
		cmp -s "$SCRATCH/locale-$r.csv" "$SCRATCH/locale-$r.c.csv" ||
			fail "runs --format csv under $comma: expected the C-locale output${NL}$(cat "$SCRATCH/locale-$r.c.csv")${NL}found${NL}$(cat "$SCRATCH/locale-$r.csv")"
		ok "$r under $comma: ingest, show json and runs csv identical to the C locale"
	done
fi

done_ok
