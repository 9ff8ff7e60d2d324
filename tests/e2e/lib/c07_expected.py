#!/usr/bin/env python3
"""Expected numbers of the C07 sample runs, computed independently of fairtop.

Reads sample_runs/rNN/{run.csv,predictions.csv,metrics.csv} with nothing but
the csv module and computes, at the final checkpoint (the largest step), per
run: rows, accuracy, per-group selection rate / TPR / FPR, demographic parity
difference and equalized odds difference across `group` and across `age`, the
exact balanced class weights n / (2 * n_c) against the logged ones, and the
final throughput.

    c07_expected.py [SAMPLE_DIR]            a table
    c07_expected.py --json [SAMPLE_DIR]     a JSON object keyed by run id
    c07_expected.py --check [SAMPLE_DIR]    also assert the story; exit 1 if not

SAMPLE_DIR defaults to sample_runs/ at the top of the repository.
"""
import csv
import json
import os
import sys

FEATURES = ("group", "age")
REL_TOL = 1e-9


def ratio(a, b):
    return a / b if b else None


def read_kv(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        assert header == ["key", "value"], (path, header)
        return {row[0]: row[1] for row in r if row}


def parse_weights(s):
    out = {}
    for part in s.split(";"):
        label, w = part.split(":")
        out[label] = float(w)
    return out


def f_beta(precision, recall, beta):
    """(1 + b^2) P R / (b^2 P + R); None when undefined."""
    if beta is None or precision is None or recall is None:
        return None
    b2 = beta * beta
    return ratio((1 + b2) * precision * recall, b2 * precision + recall)


def rates(c, beta=None):
    tp, fp, tn, fn = c
    n = tp + fp + tn + fn
    out = {
        "n": n,
        "tp": tp, "fp": fp, "tn": tn, "fn": fn,
        "selection_rate": ratio(tp + fp, n),
        "tpr": ratio(tp, tp + fn),
        "fpr": ratio(fp, fp + tn),
        "accuracy": ratio(tp + tn, n),
        "precision": ratio(tp, tp + fp),
        "base_rate": ratio(tp + fn, n),
    }
    out["f_beta"] = f_beta(out["precision"], out["tpr"], beta)
    return out


def spread_ratio(values):
    values = [v for v in values if v is not None]
    return ratio(min(values), max(values)) if values else None


def full_fairness(groups):
    """Differences and ratios, Fairlearn's between_groups / worst_case."""
    out = fairness(groups)
    sel = [g["selection_rate"] for g in groups.values()]
    tpr = [g["tpr"] for g in groups.values()]
    fpr = [g["fpr"] for g in groups.values()]
    tr, fr = spread_ratio(tpr), spread_ratio(fpr)
    out["dp_ratio"] = spread_ratio(sel)
    out["tpr_ratio"] = tr
    out["fpr_ratio"] = fr
    out["eo_ratio"] = None if tr is None or fr is None else min(tr, fr)
    out["eop_difference"] = out["tpr_difference"]
    return out


def spread(values):
    values = [v for v in values if v is not None]
    return max(values) - min(values) if values else None


def fairness(groups):
    dp = spread(g["selection_rate"] for g in groups.values())
    tpr_d = spread(g["tpr"] for g in groups.values())
    fpr_d = spread(g["fpr"] for g in groups.values())
    eo = None if tpr_d is None or fpr_d is None else max(tpr_d, fpr_d)
    return {"dp_difference": dp, "eo_difference": eo,
            "tpr_difference": tpr_d, "fpr_difference": fpr_d}


INTERSECTION = " & ".join(FEATURES)


def analyse_run(folder):
    run = read_kv(os.path.join(folder, "run.csv"))
    pos = run.get("positive_label", "1")
    beta = float(run["beta_factor"]) if "beta_factor" in run else None
    steps = {}
    with open(os.path.join(folder, "predictions.csv"), newline="") as f:
        for row in csv.DictReader(f):
            steps.setdefault(int(row["step"]), []).append(row)
    evals = {}
    for step, rows in steps.items():
        total = [0, 0, 0, 0]
        by = {feat: {} for feat in FEATURES}
        inter = {}
        cells = {}
        for row in rows:
            y = row["y_true"] == pos
            p = row["y_pred"] == pos
            i = (0 if p else 3) if y else (1 if p else 2)  # tp fp tn fn
            total[i] += 1
            for feat in FEATURES:
                by[feat].setdefault(row[feat], [0, 0, 0, 0])[i] += 1
            key = (row["group"], row["age"])
            inter[key] = inter.get(key, 0) + 1
            label = " & ".join(f"{feat}={row[feat]}" for feat in FEATURES)
            cells.setdefault(label, [0, 0, 0, 0])[i] += 1
            score = float(row["score"])
            assert 0.0 <= score <= 1.0 and (score >= 0.5) == p, row
        ev = {"overall": rates(total)}
        for feat in FEATURES:
            groups = {k: rates(v) for k, v in sorted(by[feat].items())}
            ev[feat] = {"groups": groups, **fairness(groups)}
        ev["min_intersection_rows"] = min(inter.values())
        ev["intersections"] = len(inter)
        full = {}
        for feat, counts in [(f, by[f]) for f in FEATURES] + [(INTERSECTION, cells)]:
            groups = {k: rates(v, beta) for k, v in sorted(counts.items())}
            full[feat] = {"kind": "intersection" if feat == INTERSECTION else "feature",
                          "groups": groups, **full_fairness(groups)}
        ev["full"] = full
        ev["overall_full"] = rates(total, beta)
        evals[step] = ev
    final = max(evals)
    ev = evals[final]
    o = ev["overall"]
    n, n1 = o["n"], o["tp"] + o["fn"]
    n0 = n - n1
    exact = {"1": n / (2 * n1), "0": n / (2 * n0)}
    logged = parse_weights(run["class_weights"]) if "class_weights" in run else {}
    rel = max((abs(logged[k] - exact[k]) / exact[k] for k in exact if k in logged),
              default=None)
    throughput = {}
    mpath = os.path.join(folder, "metrics.csv")
    if os.path.exists(mpath):
        with open(mpath, newline="") as f:
            for row in csv.DictReader(f):
                if row["metric"] == "throughput" and row["group"] == "":
                    throughput[int(row["step"])] = float(row["value"])
    return {
        "run": run["run"],
        "version": run.get("version"),
        "data_version": run.get("data_version"),
        "beta_factor": run.get("beta_factor"),
        "final_step": final,
        "rows": n,
        "accuracy": o["accuracy"],
        "accuracy_step500": evals[min(evals)]["overall"]["accuracy"],
        "groups": {f: ev[f]["groups"] for f in FEATURES},
        "fairness": {f: {k: ev[f][k] for k in ("dp_difference", "eo_difference",
                                                "tpr_difference", "fpr_difference")}
                     for f in FEATURES},
        "min_intersection_rows": ev["min_intersection_rows"],
        "class_weights_exact": exact,
        "class_weights_logged": logged,
        "class_weights_rel_error": rel,
        "class_weights_ok": rel is not None and rel <= REL_TOL,
        "final_throughput": throughput.get(max(throughput)) if throughput else None,
        "model": run.get("model"),
        "started_at": run.get("started_at"),
        "beta": beta,
        "overall": ev["overall_full"],
        "features": ev["full"],
        "summary": summary(ev["full"]),
    }


def summary(full):
    """The headline of `fairtop runs`: worst over the single features."""
    singles = [f for f in FEATURES]
    dp = [full[f]["dp_difference"] for f in singles if full[f]["dp_difference"] is not None]
    eo = [full[f]["eo_difference"] for f in singles if full[f]["eo_difference"] is not None]
    tprs = [(g["tpr"], f"{f}={label}") for f in singles
            for label, g in full[f]["groups"].items() if g["tpr"] is not None]
    worst = min(t for t, _ in tprs) if tprs else None
    at = [name for t, name in tprs if t == worst]
    return {
        "dp_difference": max(dp) if dp else None,
        "eo_difference": max(eo) if eo else None,
        "worst_tpr": worst,
        # None when several groups tie for the worst TPR
        "worst_tpr_group": at[0] if len(at) == 1 else None,
    }


def analyse(sample_dir):
    out = {}
    for name in sorted(os.listdir(sample_dir)):
        folder = os.path.join(sample_dir, name)
        if os.path.isfile(os.path.join(folder, "run.csv")):
            r = analyse_run(folder)
            out[r["run"]] = r
    return out


def fmt(x, nd=4):
    return "n/a" if x is None else f"{x:.{nd}f}"


def table(res):
    lines = []
    head = (f"{'run':4} {'ver':4} {'rows':>5} {'acc':>6} {'acc500':>6} "
            f"{'DPgrp':>6} {'EOgrp':>6} {'DPage':>6} {'EOage':>6} {'minX':>4} "
            f"{'tput':>9} {'beta':>4} {'cw ok':>5} {'cw rel err':>10}")
    lines.append(head)
    for rid, r in res.items():
        fg, fa = r["fairness"]["group"], r["fairness"]["age"]
        lines.append(
            f"{rid:4} {r['version'] or '':4} {r['rows']:5d} {fmt(r['accuracy'])} "
            f"{fmt(r['accuracy_step500'])} {fmt(fg['dp_difference'])} "
            f"{fmt(fg['eo_difference'])} {fmt(fa['dp_difference'])} "
            f"{fmt(fa['eo_difference'])} {r['min_intersection_rows']:4d} "
            f"{fmt(r['final_throughput'], 1):>9} {r['beta_factor'] or '-':>4} "
            f"{'yes' if r['class_weights_ok'] else 'NO':>5} "
            f"{r['class_weights_rel_error']:10.3g}")
    lines.append("")
    lines.append("per group at the final step (selection rate / TPR / FPR, n):")
    for rid, r in res.items():
        cells = []
        for g, v in r["groups"]["group"].items():
            cells.append(f"{g}: {fmt(v['selection_rate'], 3)}/{fmt(v['tpr'], 3)}/"
                         f"{fmt(v['fpr'], 3)} n={v['n']}")
        lines.append(f"  {rid}  " + "   ".join(cells))
    lines.append("")
    lines.append("class weights (exact | logged):")
    for rid, r in res.items():
        e, lg = r["class_weights_exact"], r["class_weights_logged"]
        lines.append(f"  {rid}  1:{e['1']!r};0:{e['0']!r} | "
                     f"1:{lg.get('1')!r};0:{lg.get('0')!r}")
    return "\n".join(lines)


def check(res):
    """The story the sample runs must tell. Returns a list of failures."""
    bad = []

    def want(cond, msg):
        if not cond:
            bad.append(msg)

    ids = ["r01", "r02", "r03", "r04", "r05", "r06"]
    want(list(res) == ids, f"runs {list(res)}")
    if bad:
        return bad
    dp = {i: res[i]["fairness"]["group"]["dp_difference"] for i in ids}
    eo = {i: res[i]["fairness"]["group"]["eo_difference"] for i in ids}
    for i in ("r01", "r02", "r06"):
        for feat in FEATURES:
            f = res[i]["fairness"][feat]
            want(f["dp_difference"] <= 0.10, f"{i} DP across {feat} {f['dp_difference']}")
            want(f["eo_difference"] <= 0.10, f"{i} EO across {feat} {f['eo_difference']}")
    others = ("r01", "r02", "r03", "r06")
    for i in ("r04", "r05"):
        want(all(dp[i] > dp[o] for o in others), f"{i} DP not among the worst")
        want(all(eo[i] > eo[o] for o in others), f"{i} EO not among the worst")
    for i in ids:
        r = res[i]
        want(r["accuracy_step500"] < r["accuracy"], f"{i} step 500 not worse")
        want(r["class_weights_ok"] == (i != "r04"), f"{i} class weights ok={r['class_weights_ok']}")
        want((r["beta_factor"] is None) == (i == "r05"), f"{i} beta_factor {r['beta_factor']}")
        has_c = "C" in r["groups"]["group"]
        want(has_c == (i != "r05"), f"{i} group C present={has_c}")
        if has_c:
            want(r["min_intersection_rows"] >= 8, f"{i} small intersection")
    e4 = res["r04"]["class_weights_exact"]
    want(all(abs(round(w, 3) - w) > 1e-9 for w in e4.values()), "r04 exact weights 3-decimal")
    want(res["r05"]["accuracy"] > res["r04"]["accuracy"], "r05 not more accurate than r04")
    t4, t5 = res["r04"]["final_throughput"], res["r05"]["final_throughput"]
    want(abs(t5 / t4 - 1.931) < 1e-12, f"r05/r04 throughput {t5}/{t4}")
    b = res["r04"]["groups"]["group"]["B"]["tpr"]
    want(0.5 <= b <= 0.6, f"r04 TPR(B) {b}")
    return bad


def main(argv):
    as_json = "--json" in argv
    do_check = "--check" in argv
    args = [a for a in argv if a not in ("--json", "--check")]
    if any(a.startswith("-") for a in args) or len(args) > 1:
        print("usage: c07_expected.py [--json] [--check] [SAMPLE_DIR]", file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    sample_dir = args[0] if args else os.path.join(here, "..", "..", "..", "sample_runs")
    res = analyse(sample_dir)
    if as_json:
        print(json.dumps(res, indent=2, sort_keys=True))
    else:
        print(table(res))
    if do_check:
        bad = check(res)
        for b in bad:
            print("FAIL:", b, file=sys.stderr)
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
