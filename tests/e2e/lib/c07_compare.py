#!/usr/bin/env python3
"""Compare fairtop's output with the numbers c07_expected.py computes.

    c07_compare.py show EXPECTED.json RUN SHOW.json
        `fairtop show RUN --format json` against EXPECTED.json[RUN]
    c07_compare.py runs EXPECTED.json RUNS.json RUNS.csv
        `fairtop runs --format json` and `--format csv` against EXPECTED.json
    c07_compare.py story RUNS.json|RUNS.csv
        the C07 story told by `fairtop runs`: r04 and r05 have the largest
        demographic parity and equalized odds differences; r02 and r06 are
        at most 0.10 on both

EXPECTED.json is the output of `c07_expected.py --json`.  Numbers compare
with a relative tolerance of 1e-12; an undefined value must be null in JSON
(an empty field in CSV) exactly where the expected one is None.  fairtop's
JSON is parsed strictly: NaN, Infinity and duplicate keys are refused.
Prints one line per failed comparison (expected vs found) and a count;
exits 1 when anything differs.
"""
import csv
import json
import sys

REL_TOL = 1e-12


class Checker:
    def __init__(self, what):
        self.what = what
        self.checked = 0
        self.bad = []

    def num(self, name, expected, found):
        """Numbers with REL_TOL; None must meet None (null)."""
        self.checked += 1
        if expected is None or found is None:
            if expected is not None or found is not None:
                self.bad.append(f"{name}: expected {fmt(expected)}, found {fmt(found)}")
            return
        if isinstance(found, bool) or not isinstance(found, (int, float)):
            self.bad.append(f"{name}: expected the number {expected!r}, found {found!r}")
            return
        if expected == found:
            return
        if abs(expected - found) <= REL_TOL * max(abs(expected), abs(found)):
            return
        rel = abs(expected - found) / max(abs(expected), abs(found))
        self.bad.append(f"{name}: expected {expected!r}, found {found!r} "
                        f"(relative difference {rel:.3g} > {REL_TOL})")

    def eq(self, name, expected, found):
        self.checked += 1
        if expected != found:
            self.bad.append(f"{name}: expected {expected!r}, found {found!r}")

    def true(self, name, cond, detail):
        self.checked += 1
        if not cond:
            self.bad.append(f"{name}: {detail}")

    def report(self):
        for b in self.bad:
            print(f"FAIL {self.what}: {b}")
        if self.bad:
            print(f"{self.what}: {len(self.bad)} of {self.checked} checks failed")
            return 1
        print(f"ok   {self.what}: {self.checked} values match")
        return 0


def fmt(v):
    return "null" if v is None else repr(v)


def _refuse_constant(name):
    raise ValueError(f"not JSON: {name} (an undefined value must be null)")


def _no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def load_strict(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=_refuse_constant,
                         object_pairs_hook=_no_duplicates)


def compare_rates(c, where, exp, got, counts=True):
    for k in ("n", "selection_rate", "tpr", "fpr", "precision", "accuracy",
              "f_beta", "base_rate"):
        c.num(f"{where} {k}", exp[k], got.get(k, "<missing>"))
    if counts:
        for k in ("tp", "fp", "tn", "fn"):
            c.num(f"{where} {k}", exp[k], got.get(k, "<missing>"))
        c.eq(f"{where} rows", exp["n"], got.get("rows", "<missing>"))


def compare_show(expected, run, show):
    e = expected[run]
    c = Checker(f"show {run}")
    c.eq("run", run, show.get("run"))
    c.eq("model", e["model"], show.get("model"))
    c.eq("version", e["version"], show.get("version"))
    c.eq("data_version", e["data_version"], show.get("data_version"))
    c.eq("started_at", e["started_at"], show.get("started_at"))
    c.num("beta_factor", e["beta"], show.get("beta_factor", "<missing>"))
    ev = show.get("evaluation") or {}
    c.eq("evaluation.step (the final step)", e["final_step"], ev.get("step"))
    c.eq("evaluation.rows (rows at the final step)", e["rows"], ev.get("rows"))
    overall = show.get("overall")
    c.true("overall", isinstance(overall, dict), f"expected an object, found {overall!r}")
    if isinstance(overall, dict):
        compare_rates(c, "overall", e["overall"], overall, counts=False)

    # class weights: exact balanced n / (k n_c), logged, largest relative error
    cw = show.get("class_weights") or {}
    exact = cw.get("exact") or {}
    c.eq("class_weights.exact labels", sorted(e["class_weights_exact"]), sorted(exact))
    for label, w in e["class_weights_exact"].items():
        c.num(f"class_weights.exact[{label}]", w, exact.get(label))
    logged = cw.get("logged") or {}
    c.eq("class_weights.logged labels", sorted(e["class_weights_logged"]), sorted(logged))
    for label, w in e["class_weights_logged"].items():
        c.num(f"class_weights.logged[{label}]", w, logged.get(label))
    c.num("class_weights.max_relative_error", e["class_weights_rel_error"],
          cw.get("max_relative_error", "<missing>"))

    feats = {f.get("name"): f for f in show.get("features") or []}
    c.eq("feature names", sorted(e["features"]), sorted(feats))
    for name, ef in e["features"].items():
        gf = feats.get(name)
        if gf is None:
            continue
        c.eq(f"[{name}] kind", ef["kind"], gf.get("kind"))
        for ek, gk in (("dp_difference", "demographic_parity_difference"),
                       ("dp_ratio", "demographic_parity_ratio"),
                       ("eo_difference", "equalized_odds_difference"),
                       ("eo_ratio", "equalized_odds_ratio"),
                       ("eop_difference", "equal_opportunity_difference")):
            c.num(f"[{name}] {gk}", ef[ek], gf.get(gk, "<missing>"))
        groups = {}
        for g in gf.get("groups") or []:
            c.true(f"[{name}] group {g.get('group')!r}", g.get("group") not in groups,
                   "listed twice")
            groups[g.get("group")] = g
        c.eq(f"[{name}] groups", sorted(ef["groups"]), sorted(groups))
        for label, eg in ef["groups"].items():
            if label in groups:
                compare_rates(c, f"[{name}] {label}", eg, groups[label])

    summ = show.get("summary") or {}
    es = e["summary"]
    for k in ("dp_difference", "eo_difference", "worst_tpr"):
        c.num(f"summary.{k}", es[k], summ.get(k, "<missing>"))
    if es["worst_tpr_group"] is not None:
        c.eq("summary.worst_tpr_group", es["worst_tpr_group"], summ.get("worst_tpr_group"))

    if e["beta"] is None:
        # the run has no beta_factor: every F-beta is undefined, i.e. null
        nulls = [overall.get("f_beta") if isinstance(overall, dict) else None]
        nulls += [g.get("f_beta") for f in feats.values() for g in f.get("groups") or []]
        c.true("f_beta without beta_factor", all(v is None for v in nulls),
               f"expected null everywhere, found {[v for v in nulls if v is not None][:3]}")
        c.true("beta_factor without beta_factor", show.get("beta_factor", 0) is None,
               f"expected null, found {show.get('beta_factor', '<missing>')!r}")
    return c.report()


RUNS_TEXT = ("run", "model", "version", "started_at", "worst_tpr_group")
RUNS_NUM = ("rows", "accuracy", "f_beta", "worst_tpr", "dp_difference", "eo_difference")


def expected_runs_row(e):
    s = e["summary"]
    return {
        "run": e["run"], "model": e["model"], "version": e["version"],
        "started_at": e["started_at"], "rows": e["rows"],
        "accuracy": e["overall"]["accuracy"], "f_beta": e["overall"]["f_beta"],
        "worst_tpr": s["worst_tpr"], "worst_tpr_group": s["worst_tpr_group"],
        "dp_difference": s["dp_difference"], "eo_difference": s["eo_difference"],
    }


def compare_runs_rows(c, expected, rows):
    ids = [r.get("run") for r in rows]
    c.eq("runs listed, each once, oldest first", list(expected), ids)
    by = {r.get("run"): r for r in rows}
    for rid, e in expected.items():
        got = by.get(rid)
        if got is None:
            continue
        want = expected_runs_row(e)
        for k in RUNS_TEXT:
            if k == "worst_tpr_group" and want[k] is None:
                continue  # a tie: either group is right
            c.eq(f"{rid} {k}", want[k], got.get(k, "<missing>"))
        for k in RUNS_NUM:
            c.num(f"{rid} {k}", want[k], got.get(k, "<missing>"))


def read_runs_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = []
        for fields in reader:
            if len(fields) != len(header):
                raise ValueError(f"{path}: {len(fields)} fields, header has {len(header)}")
            row = {}
            for k, v in zip(header, fields):
                if k in RUNS_NUM:
                    row[k] = None if v == "" else (int(v) if k == "rows" else float(v))
                else:
                    row[k] = None if v == "" and k == "worst_tpr_group" else v
            rows.append(row)
    return header, rows


def compare_runs(expected, json_path, csv_path):
    rc = 0
    c = Checker("runs --format json")
    data = load_strict(json_path)
    c.true("top level", isinstance(data, list), f"expected a JSON array, found {type(data).__name__}")
    if isinstance(data, list):
        compare_runs_rows(c, expected, data)
    rc |= c.report()
    c = Checker("runs --format csv")
    header, rows = read_runs_csv(csv_path)
    c.eq("csv header", ["run", "model", "version", "started_at", "rows", "accuracy",
                        "f_beta", "worst_tpr", "worst_tpr_group", "dp_difference",
                        "eo_difference", "fair", "vs_production",
                        "vs_production_baseline", "at_arrival",
                        "at_arrival_baseline", "policy_digest"], header)
    compare_runs_rows(c, expected, rows)
    rc |= c.report()
    return rc


def story(path):
    if path.endswith(".csv"):
        _, rows = read_runs_csv(path)
    else:
        rows = load_strict(path)
    c = Checker(f"story ({path.rsplit('/', 1)[-1]})")
    by = {r["run"]: r for r in rows}
    worst = ("r04", "r05")
    others = [i for i in by if i not in worst]
    for k in ("dp_difference", "eo_difference"):
        for w in worst:
            if w not in by:
                c.true(w, False, "missing from fairtop runs")
                continue
            for o in others:
                c.true(f"{k} {w} > {o}",
                       by[w][k] is not None and by[o][k] is not None and by[w][k] > by[o][k],
                       f"expected {w} ({by[w][k]}) above {o} ({by[o][k]})")
        for fair in ("r02", "r06"):
            v = by.get(fair, {}).get(k)
            c.true(f"{k} {fair} <= 0.10", v is not None and v <= 0.10,
                   f"expected at most 0.10, found {v}")
    return c.report()


def main(argv):
    try:
        if len(argv) == 4 and argv[0] == "show":
            with open(argv[1]) as f:
                expected = json.load(f)
            return compare_show(expected, argv[2], load_strict(argv[3]))
        if len(argv) == 4 and argv[0] == "runs":
            with open(argv[1]) as f:
                expected = json.load(f)
            return compare_runs(expected, argv[2], argv[3])
        if len(argv) == 2 and argv[0] == "story":
            return story(argv[1])
    except (ValueError, OSError) as e:
        print(f"FAIL {' '.join(argv[:1])}: {e}")
        return 1
    print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
