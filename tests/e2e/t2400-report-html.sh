#!/bin/sh
# t2400-report-html: `report --format html` on the samples, read by
# headless Chromium.
#   The store: sample_runs/ ingested (r01, r02 deployed, r05's override of
#   22 January), then rolled back to r02 with a reason holding <script>.
#   The page: exit 0; self-contained (no http:// or https://, no src=,
#   href=, url( or @import: nothing is fetched); the reason's <script>
#   escaped as text and no <script> element at all.
#   Chromium renders it to a 1280x3000 PNG that is not blank (many
#   colours, most rows inked: tests/e2e/lib/png_stats.py), and, on a copy
#   with a measuring script appended (--dump-dom), the charts drew: seven
#   charts (the deployments, TPR and selection rate for group and for
#   age, DP, EO); TPR of group has the series A, B and C, lines of
#   non-zero extent, C with a gap at r05 (five points, two strokes), B's
#   points at r04 and r05 well below A's (the dip); DP and EO have a
#   series per feature and intersection and the policy's dashed line
#   across the plot, labelled; the deployments chart has four marks, the
#   override of r05 filled red, the rollback to r02.
#   Without chromium the script fails, saying what to install.
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
o="$SCRATCH/out"
e="$SCRATCH/err"
html="$SCRATCH/report.html"

# Chromium runs in a session of its own (setsid), so that it and its
# helpers are stopped together, by that session's id, however the
# script ends.
browser=
stop_browser() {
	[ -n "$browser" ] && kill -KILL -- "-$browser" 2>/dev/null
	browser=
}
trap stop_browser EXIT

# chrome OUT ERR ARGS...: headless Chromium on ARGS, at most 40 s.
chrome() {
	_out=$1
	_err=$2
	shift 2
	setsid timeout -k 5 40 chromium --headless --no-sandbox \
		--disable-gpu --disable-dev-shm-usage --no-first-run \
		--no-default-browser-check --disable-extensions \
		--hide-scrollbars --mute-audio \
		--user-data-dir="$SCRATCH/chromium-profile" "$@" \
		>"$_out" 2>"$_err" &
	browser=$!
	wait "$browser"
	rc=$?
	stop_browser
}

say "== the page"
sample_store "$db"
reason='C07: back to r02 <script>alert("x")</script> & done'
run "$o" "$e" "$FAIRTOP" --db "$db" rollback --reason "$reason" --yes --by lead </dev/null
expect_rc "fairtop rollback --yes --by lead" 0 "$e"
run "$html" "$e" "$FAIRTOP" --db "$db" report --format html
expect_rc "fairtop report --format html" 0 "$e"
expect_contains "report --format html" "$html" "<title>fairtop post-mortem report</title>"
ok "report --format html: exit 0, a page titled"
if grep -n -i -E 'https?://|src=|href=|url\(|@import' "$html" >"$o"; then
	say "FAIL: report --format html: expected nothing fetched (no http://, https://, src=, href=, url( or @import), found:"
	show_file "$o"
	exit 1
fi
ok "report --format html: self-contained, no reference to load"
expect_contains "report --format html" "$html" \
	'C07: back to r02 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; done'
if grep -n -i '<script' "$html" >"$o"; then
	say "FAIL: report --format html: expected no <script> element (the reason's escaped), found:"
	show_file "$o"
	exit 1
fi
ok "report --format html: the reason's <script> is text, escaped"

say "== headless Chromium"
command -v chromium >/dev/null 2>&1 ||
	fail "chromium is not installed: run make deps as root (or apt-get install chromium)"
chrome "$o" "$e" --screenshot="$SCRATCH/report.png" --window-size=1280,3000 \
	"file://$html"
[ "$rc" -eq 0 ] && [ -s "$SCRATCH/report.png" ] || {
	say "FAIL: chromium --screenshot: expected exit 0 and a PNG, found exit $rc"
	show_file "$e"
	exit 1
}
stats=$(python3 "$TOP/tests/e2e/lib/png_stats.py" "$SCRATCH/report.png") ||
	fail "png_stats.py report.png: expected its statistics, found an error"
set -- $stats
[ "$1" = 1280 ] && [ "$2" = 3000 ] ||
	fail "the screenshot: expected 1280x3000, found ${1}x$2"
[ "$3" -ge 50 ] ||
	fail "the screenshot: expected a page with charts (50 colours or more), found $3 colours"
[ "$4" -ge 1500 ] ||
	fail "the screenshot: expected most of its 3000 rows inked, found $4"
ok "chromium renders the page: 1280x3000, $3 colours, $4 of 3000 rows inked"

# the same page with a script that measures what the charts drew and
# writes it into the page, as JSON, for --dump-dom
measured="$SCRATCH/measured.html"
[ "$(tail -n 2 "$html" | tr '\n' ' ')" = "</body> </html> " ] ||
	fail "report --format html: expected the page to end with </body> and </html>, found: $(tail -n 2 "$html")"
sed '$d' "$html" | sed '$d' >"$measured"
cat >>"$measured" <<'EOF'
<script>
(function () {
	function box(el) {
		var b = el.getBBox();
		return {x: b.x, y: b.y, w: b.width, h: b.height};
	}
	var out = [];
	document.querySelectorAll('svg.chart').forEach(function (svg) {
		var r = svg.getBoundingClientRect();
		var c = {id: svg.id, cls: svg.getAttribute('class'),
			 feature: svg.getAttribute('data-feature'),
			 w: r.width, h: r.height, series: [], policy: null,
			 marks: []};
		svg.querySelectorAll('g.series').forEach(function (g) {
			var line = g.querySelector('path.line');
			var pts = [];
			g.querySelectorAll('path.point').forEach(function (p) {
				var b = box(p);
				pts.push(b.y + b.h / 2);
			});
			c.series.push({name: g.getAttribute('data-series'),
				       line: box(line),
				       strokes: (line.getAttribute('d').match(/M/g) || []).length,
				       points: pts});
		});
		var p = svg.querySelector('.policy-line');
		if (p) {
			var label = svg.querySelector('.policy-label');
			c.policy = {line: box(p),
				    dash: getComputedStyle(p).strokeDasharray,
				    label: label ? label.textContent : ''};
		}
		svg.querySelectorAll('g.mark').forEach(function (m) {
			var s = m.querySelector('.mark-shape');
			c.marks.push({cls: m.getAttribute('class'),
				      run: m.getAttribute('data-run'),
				      fill: getComputedStyle(s).fill,
				      box: box(s)});
		});
		out.push(c);
	});
	var pre = document.createElement('pre');
	pre.id = 'measured';
	pre.textContent = JSON.stringify(out);
	document.body.appendChild(pre);
})();
</script>
</body>
</html>
EOF
chrome "$SCRATCH/dom.html" "$e" --dump-dom --virtual-time-budget=2000 \
	--window-size=1280,3000 "file://$measured"
[ "$rc" -eq 0 ] && [ -s "$SCRATCH/dom.html" ] || {
	say "FAIL: chromium --dump-dom: expected exit 0 and the page, found exit $rc"
	show_file "$e"
	exit 1
}
python3 - "$SCRATCH/dom.html" >"$o" <<'PY'
import html, json, re, sys
dom = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
if not m:
    print('FAIL: the measuring script: expected its <pre id="measured"> in the dumped DOM, found none')
    sys.exit(1)
charts = json.loads(html.unescape(m.group(1)))
failed = 0

def check(what, cond, found):
    global failed
    if cond:
        print('ok   ' + what)
    else:
        failed += 1
        print('FAIL: %s: found %s' % (what, found))

ids = [c['id'] for c in charts]
want = ['chart-timeline', 'chart-tpr-1', 'chart-selection-1', 'chart-tpr-2',
        'chart-selection-2', 'chart-dp', 'chart-eo']
check('seven charts, in order: ' + ', '.join(want), ids == want, ids)
by = {c['id']: c for c in charts}
for c in charts:
    check('%s: drawn with a size (%.0fx%.0f px)' % (c['id'], c['w'], c['h']),
          c['w'] > 300 and c['h'] > 100, (c['w'], c['h']))

for cid, kind in (('chart-tpr-1', 'TPR'), ('chart-selection-1', 'selection rate')):
    c = by.get(cid, {'series': [], 'feature': None})
    names = [s['name'] for s in c['series']]
    check('%s: %s of feature group, series A, B, C' % (cid, kind),
          c['feature'] == 'group' and names == ['A', 'B', 'C'],
          (c['feature'], names))
    s = {x['name']: x for x in c['series']}
    for g in names:
        b = s[g]['line']
        check('%s: line of %s drawn (%.0fx%.0f px)' % (cid, g, b['w'], b['h']),
              b['w'] > 300 and b['h'] > 0, b)
    if set(names) == {'A', 'B', 'C'}:
        check('%s: C absent from r05: a gap (5 points, 2 strokes), never 0' % cid,
              len(s['C']['points']) == 5 and s['C']['strokes'] == 2,
              (len(s['C']['points']), s['C']['strokes']))
        a, bb = s['A']['points'], s['B']['points']
        check('%s: B at r04 and r05 at least 40 px below A (the dip)' % cid,
              len(a) == 6 and len(bb) == 6 and
              bb[3] - a[3] >= 40 and bb[4] - a[4] >= 40,
              (a, bb))
        check('%s: B at r03 and r06 within 40 px of A' % cid,
              len(a) == 6 and len(bb) == 6 and abs(bb[2] - a[2]) < 40 and
              abs(bb[5] - a[5]) < 40, (a, bb))
c = by.get('chart-tpr-2', {'series': [], 'feature': None})
names = [s['name'] for s in c['series']]
check('chart-tpr-2: TPR of feature age, four series',
      c['feature'] == 'age' and names == ['18-25', '26-40', '41-65', '65+'],
      (c['feature'], names))

for cid in ('chart-dp', 'chart-eo'):
    c = by.get(cid, {'series': [], 'policy': None})
    names = [s['name'] for s in c['series']]
    check('%s: a series per feature and intersection' % cid,
          names == ['group', 'age', 'group & age'], names)
    check('%s: every line drawn' % cid,
          all(s['line']['w'] > 300 for s in c['series']) and names,
          [s['line'] for s in c['series']])
    p = c['policy']
    check('%s: the policy line, dashed, across the plot, labelled 0.10' % cid,
          p is not None and p['line']['w'] > 500 and
          p['dash'] not in ('', 'none') and '0.10' in p['label'], p)
    g = [s for s in c['series'] if s['name'] == 'group']
    if p is not None and g and len(g[0]['points']) == 6:
        y = p['line']['y']
        pts = g[0]['points']
        check('%s: group above the policy line at r04 and r05, below it at r01, r02, r06' % cid,
              pts[3] < y and pts[4] < y and pts[0] > y and pts[1] > y and pts[5] > y,
              (y, pts))

t = by.get('chart-timeline', {'marks': []})
marks = [(m['cls'], m['run']) for m in t['marks']]
check('chart-timeline: four deployments: r01, r02, the override of r05, the rollback to r02',
      marks == [('mark mark-deploy', 'r01'), ('mark mark-deploy', 'r02'),
                ('mark mark-override', 'r05'), ('mark mark-rollback', 'r02')],
      marks)
ov = [m for m in t['marks'] if 'mark-override' in m['cls']]
check('chart-timeline: the override filled red',
      ov and ov[0]['fill'] == 'rgb(192, 0, 0)' and ov[0]['box']['w'] > 0,
      ov)
xs = [m['box']['x'] for m in t['marks']]
check('chart-timeline: marks left to right in time', xs == sorted(xs) and
      len(set(xs)) == len(xs), xs)
sys.exit(1 if failed else 0)
PY
prc=$?
cat "$o"
[ "$prc" -eq 0 ] || exit 1
checks=$((checks + $(grep -c '^ok' "$o")))
done_ok
