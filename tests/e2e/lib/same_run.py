#!/usr/bin/env python3
"""same_run.py — are two ingests of one run the same?

    python3 same_run.py TOLERANCE A.json B.json A.db B.db

A.json and B.json are `fairtop show RUN --format json` of the run in the
stores A.db and B.db.  They must be equal but for evaluation.source
(`predictions` against `counts`: where the evaluation came from), and
the stores' per-group counts (rows, rows_positive, tp, fp, tn, fn,
w2_positive, w2_negative, in groups' order) and score histograms must be
equal too.  TOLERANCE 0 means exactly; else numbers may differ by that
much relative to the larger (sums of weights added in another order).
Prints each difference and exits 1 when there is one."""
import json
import sqlite3
import sys

tol = float(sys.argv[1])
diffs = []


def same_number(a, b):
    if tol == 0:
        return a == b
    return abs(a - b) <= tol * max(abs(a), abs(b))


def walk(a, b, where):
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None \
            or isinstance(a, str) or isinstance(b, str):
        if a != b:
            diffs.append(f"{where}: {a!r} != {b!r}")
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if not same_number(a, b):
            diffs.append(f"{where}: {a!r} != {b!r}")
    elif isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            diffs.append(f"{where}: keys {list(a)} != {list(b)}")
            return
        for k in a:
            walk(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            diffs.append(f"{where}: {len(a)} items != {len(b)}")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{where}[{i}]")
    else:
        diffs.append(f"{where}: {a!r} != {b!r}")


ja, jb = (json.load(open(p)) for p in sys.argv[2:4])
if ja.get("evaluation", {}).get("source") != "predictions" or \
        jb.get("evaluation", {}).get("source") != "counts":
    diffs.append("evaluation.source: expected predictions and counts")
for j in (ja, jb):
    j.get("evaluation", {}).pop("source", None)
walk(ja, jb, "show")

QUERIES = {
    "confusion": "SELECT c.step, f.name, g.label, c.rows, c.rows_positive,"
                 " c.tp, c.fp, c.tn, c.fn, c.w2_positive, c.w2_negative"
                 " FROM confusion c JOIN groups g ON g.id = c.group_id"
                 " JOIN features f ON f.id = g.feature_id"
                 " ORDER BY c.step, f.position, g.position",
    "score_bins": "SELECT b.step, f.name, g.label, b.bins, b.bin, b.weight"
                  " FROM score_bins b JOIN groups g ON g.id = b.group_id"
                  " JOIN features f ON f.id = g.feature_id"
                  " ORDER BY b.step, f.position, g.position, b.bin",
}
for name, sql in QUERIES.items():
    ra, rb = (sqlite3.connect(p).execute(sql).fetchall()
              for p in sys.argv[4:6])
    if not ra:
        diffs.append(f"{name}: expected rows, found none")
    walk([list(r) for r in ra], [list(r) for r in rb], name)
for d in diffs[:20]:
    print("   ", d)
sys.exit(1 if diffs else 0)
