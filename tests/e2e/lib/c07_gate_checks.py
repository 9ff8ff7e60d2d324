#!/usr/bin/env python3
"""Check fairtop gate / compare / policy / alerts output against numbers
computed independently of fairtop (EXPECTED.json is `c07_expected.py --json`).

    c07_gate_checks.py gate-json EXPECTED.json GATE.json BASE CAND [REQUIRED...]
        `fairtop gate --format json`: strict JSON, baseline/candidate/passed,
        every finding carries baseline, candidate, threshold, low and high (a
        number or null) and established (true, false or null); each FAIL
        finding about rates is established with its value within [low, high];
        each FAIL finding's numbers equal the independent ones and
        really violate its threshold; REQUIRED is a list of RULE[@FEATURE]
        [/GROUP] that must be among the FAIL findings.  Prints the FAIL rules.
    c07_gate_checks.py junit GATE.xml GATE.json
        `fairtop gate --format junit` parses (xml.dom.minidom); one testcase
        with a <failure> per FAIL finding of the JSON of the same gate
        ("rule feature group"), a passing one per rule without; failures=
        is the JSON's failures, the count of FAIL findings; each FAIL
        finding about rates is a <property> of its testcase with its low,
        high and established, as in the JSON.
    c07_gate_checks.py eo EXPECTED.json GATE.json CAND FEATURE
        the eo_difference FAIL finding of FEATURE equals the independent
        equalized odds difference to 1e-12.
    c07_gate_checks.py policy-in-json POLICY_JSON_TEXT KEY VALUE
        the JSON object (flat "section.key" or nested) holds KEY == VALUE.
    c07_gate_checks.py compare-json EXPECTED.json CMP.json BASE CAND [REFERENCE]
    c07_gate_checks.py compare-csv EXPECTED.json CMP.csv BASE CAND
    c07_gate_checks.py compare-text EXPECTED.json CMP.txt BASE CAND
    c07_gate_checks.py policy-origins POLICY.txt POLICY.json INI|- ORIGIN
    c07_gate_checks.py alerts-story ALERTS.json
    c07_gate_checks.py alerts-pick ALERTS.json RUN
    c07_gate_checks.py alerts-acked ALERTS.json ID BY NOTE
    c07_gate_checks.py alerts-state ALERTS.json STATE [ID_IN] [ID_OUT]
    c07_gate_checks.py alerts-same BEFORE.json AFTER.json ACKED_ID

Numbers compare with a tolerance of 1e-12 (relative to the larger magnitude,
absolute below 1).  Prints "ok ..." lines or "FAIL: ..." lines; exits 1 on
any failure, 2 on bad usage.
"""
import csv
import json
import re
import sys
import xml.dom.minidom

TOL = 1e-12
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$")

bad = []
checked = 0


def check(cond, msg):
    global checked
    checked += 1
    if not cond:
        bad.append(msg)
    return cond


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return False
    return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))


def num(name, expected, found):
    check(close(expected, found), f"{name}: expected {expected!r}, found {found!r}")


def finish(what):
    for b in bad:
        print(f"FAIL: {what}: {b}")
    if bad:
        print(f"{what}: {len(bad)} of {checked} checks failed")
        return 1
    print(f"ok   {what}: {checked} checks")
    return 0


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


def loads_strict(text):
    return json.loads(text, parse_constant=_refuse_constant,
                      object_pairs_hook=_no_duplicates)


def load_expected(path):
    with open(path) as f:
        return json.load(f)


def flatten(obj, prefix=""):
    out = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(flatten(v, f"{prefix}{k}."))
    else:
        out[prefix[:-1]] = obj
    return out


# ------------------------------------------------------------------ gate

# rule -> (aggregate key in c07_expected, comparison): the candidate must be
# on the wrong side of the threshold
AGG_RULES = {
    "dp_difference": ("dp_difference", ">"),
    "dp_ratio": ("dp_ratio", "<"),
    "eo_difference": ("eo_difference", ">"),
}
DROP_RULES = {"tpr_drop": "tpr", "selection_drop": "selection_rate"}
# rules about counts and logged values, not about rates: no interval
NOT_RATES = ("missing_group", "group_shrank", "fewer_rows", "class_weights",
             "beta_factor", "new_group")


def aggregates(groups, min_n):
    """DP difference and ratio, EO difference over the groups of at least
    min_n rows (c07_expected's definitions)."""
    gs = [g for g in groups.values() if g["n"] >= min_n]

    def vals(k):
        return [g[k] for g in gs if g[k] is not None]

    def spread(v):
        return max(v) - min(v) if v else None
    sel = vals("selection_rate")
    tpr_d, fpr_d = spread(vals("tpr")), spread(vals("fpr"))
    return {
        "dp_difference": spread(sel),
        "dp_ratio": min(sel) / max(sel) if sel and max(sel) else None,
        "eo_difference": None if tpr_d is None or fpr_d is None else max(tpr_d, fpr_d),
    }


def pair_values(groups, min_n, key):
    """Every pair's value of a rule over the groups of at least min_n rows:
    the rule may fail on an established pair other than the widest, and
    its finding then carries that pair's value (core/judge.c)."""
    gs = [g for g in groups.values() if g["n"] >= min_n]
    rates = {"dp_difference": ["selection_rate"], "dp_ratio": ["selection_rate"],
             "eo_difference": ["tpr", "fpr"]}[key]
    out = []
    for r in rates:
        v = [g[r] for g in gs if g[r] is not None]
        for a in v:
            for b in v:
                if a > b:
                    out.append(b / a if key == "dp_ratio" else a - b)
    return out


def check_interval(where, f, value):
    """low, high and established of a finding: numbers or null, and
    true/false/null; a FAIL finding about rates is established and its
    interval holds the value it compares (the aggregate or the fall)."""
    for k in ("low", "high", "established"):
        check(k in f, f"{where}: expected the key {k!r}, found {sorted(f)}")
    lo, hi, est = f.get("low"), f.get("high"), f.get("established")
    for k, v in (("low", lo), ("high", hi)):
        check(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)),
              f"{where}: {k}: expected a number or null, found {v!r}")
    check(est is None or isinstance(est, bool),
          f"{where}: established: expected true, false or null, found {est!r}")
    if value is None:
        return
    check(est is True, f"{where}: a FAIL about rates: expected established true, found {est!r}")
    check(isinstance(lo, (int, float)) and lo <= value + TOL and
          (hi is None or value <= hi + TOL),
          f"{where}: expected low <= {value!r} <= high, found [{lo!r}, {hi!r}]")


def group_label(feature, group):
    """fairtop names a group `feature=value` (or `f1=v1 & f2=v2` for an
    intersection, the same as c07_expected); c07_expected keys a single
    feature's groups by value."""
    if feature is None or group is None:
        return group
    if " & " in feature:
        return group
    pre = feature + "="
    return group[len(pre):] if group.startswith(pre) else group


def gate_json(exp, path, base, cand, required):
    d = load_strict(path)
    check(isinstance(d, dict), f"expected a JSON object, found {type(d).__name__}")
    if not isinstance(d, dict):
        return
    check(d.get("baseline") == base, f"baseline: expected {base!r}, found {d.get('baseline')!r}")
    check(d.get("candidate") == cand, f"candidate: expected {cand!r}, found {d.get('candidate')!r}")
    passed = d.get("passed")
    check(isinstance(passed, bool), f"passed: expected true or false, found {passed!r}")
    findings = d.get("findings")
    check(isinstance(findings, list), f"findings: expected an array, found {findings!r}")
    if not isinstance(findings, list):
        return
    eb, ec = exp[base], exp[cand]
    fails = []
    notes = []
    pol = {k: v for k, v in flatten(d.get("policy") or {}).items() if k.endswith("min_group_size")}
    min_n = list(pol.values())[0] if len(pol) == 1 else 30
    for i, f in enumerate(findings):
        where = f"findings[{i}] ({f.get('severity')} {f.get('rule')} {f.get('feature')} {f.get('group')})"
        for k in ("severity", "rule", "baseline", "candidate", "threshold"):
            check(k in f, f"{where}: expected the key {k!r}, found {sorted(f)}")
        for k in ("baseline", "candidate", "threshold"):
            v = f.get(k)
            check(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)),
                  f"{where}: {k}: expected a number or null, found {v!r}")
        check_interval(where, f, None)
        if f.get("rule") in NOT_RATES:
            check(f.get("established") is None and f.get("low") is None and
                  f.get("high") is None,
                  f"{where}: not about rates: expected low, high and established null, "
                  f"found {f.get('low')!r}, {f.get('high')!r}, {f.get('established')!r}")
        if f.get("severity") != "FAIL":
            continue
        rule, feat, grp = f.get("rule"), f.get("feature"), f.get("group")
        fails.append((rule, feat, grp))
        b, c, t = f.get("baseline"), f.get("candidate"), f.get("threshold")
        if rule in AGG_RULES:
            key, op = AGG_RULES[rule]
            ef = ec["features"].get(feat)
            if not check(ef is not None, f"{where}: no feature {feat!r} in the candidate"):
                continue
            # the value over every group, or over the groups of at least
            # min_group_size rows (the policy: low-n groups do not fail on
            # their own); the two are the same unless a group is small
            small = aggregates(ef["groups"], min_n)
            if "the widest pair" in (f.get("message") or ""):
                pairs = pair_values(ef["groups"], min_n, key)
                check(any(close(p, c) for p in pairs),
                      f"{where} candidate ({key} of {cand} across {feat}): the "
                      f"widest pair is not established, so expected the value "
                      f"of another pair of groups of at least {min_n} rows, "
                      f"found {c!r}")
                notes.append(f"{rule} across {feat}: {c!r} is an established pair's, "
                             f"not the widest's ({small[key]!r})")
            else:
                check(close(ef[key], c) or close(small[key], c),
                      f"{where} candidate ({key} of {cand} across {feat}): expected "
                      f"{ef[key]!r} (every group) or {small[key]!r} (groups of at least "
                      f"{min_n} rows), found {c!r}")
                if not close(ef[key], c) and close(small[key], c):
                    notes.append(f"{rule} across {feat}: {c!r} leaves out the groups under "
                                 f"{min_n} rows (over every group: {ef[key]!r})")
            check_interval(where, f, c)
            if b is not None:  # the baseline's value, when given
                num(f"{where} baseline ({key} of {base} across {feat})",
                    eb["features"][feat][key], b)
            check(isinstance(t, (int, float)) and isinstance(c, (int, float)) and
                  (c > t if op == ">" else c < t),
                  f"{where}: expected candidate {op} threshold, found {c!r} and {t!r}")
        elif rule in DROP_RULES:
            key = DROP_RULES[rule]
            label = group_label(feat, grp)
            gb = eb["features"].get(feat, {}).get("groups", {}).get(label)
            gc = ec["features"].get(feat, {}).get("groups", {}).get(label)
            if not check(gb is not None and gc is not None,
                         f"{where}: group {label!r} of {feat!r} not in both runs"):
                continue
            num(f"{where} baseline ({key} of {label} in {base})", gb[key], b)
            num(f"{where} candidate ({key} of {label} in {cand})", gc[key], c)
            check_interval(where, f, gb[key] - gc[key])
            check(gb[key] - gc[key] > t,
                  f"{where}: expected a fall of more than {t!r}, found "
                  f"{gb[key]!r} -> {gc[key]!r}")
        elif rule == "fewer_rows":
            num(f"{where} baseline (rows of {base})", eb["rows"], b)
            num(f"{where} candidate (rows of {cand})", ec["rows"], c)
            check(ec["rows"] < eb["rows"], f"{where}: the candidate does not have fewer rows")
        elif rule == "missing_group":
            label = group_label(feat, grp)
            gb = eb["features"].get(feat, {}).get("groups", {}).get(label)
            check(gb is not None, f"{where}: group {label!r} not in the baseline")
            check(label not in ec["features"].get(feat, {}).get("groups", {}),
                  f"{where}: group {label!r} is in the candidate")
            if gb is not None:
                num(f"{where} baseline (rows of {label} in {base})", gb["n"], b)
            check(c in (0, None), f"{where} candidate: expected 0 or null, found {c!r}")
        elif rule == "beta_factor":
            check(ec["beta"] is None, f"{where}: {cand} has a beta_factor")
        elif rule == "class_weights":
            exact = ec["class_weights_exact"].get(grp)
            logged = ec["class_weights_logged"].get(grp)
            check(exact is not None and logged is not None,
                  f"{where}: no class weight for label {grp!r}")
            check((close(b, exact) and close(c, logged)) or (close(b, logged) and close(c, exact)),
                  f"{where}: expected the exact weight {exact!r} and the logged {logged!r}, "
                  f"found baseline {b!r} candidate {c!r}")
            check(isinstance(t, (int, float)) and abs(logged - exact) / exact > t,
                  f"{where}: expected a relative error above the threshold {t!r}")
    for req in required:
        m = re.match(r"^([a-z_]+)(?:@([^/]+))?(?:/(.+))?$", req)
        rule, feat, grp = m.group(1), m.group(2), m.group(3)
        hit = [x for x in fails if x[0] == rule and (feat is None or x[1] == feat)
               and (grp is None or x[2] == grp)]
        check(hit, f"expected a FAIL finding {req}, found {fails}")
    check(passed is (not fails),
          f"passed: expected {not fails} ({len(fails)} FAIL findings), found {passed!r}")
    print("failing rules: " + " ".join(sorted({r for r, _, _ in fails})))
    for n in notes:
        print("note: " + n)


def junit(xml_path, json_path):
    dom = xml.dom.minidom.parse(xml_path)
    d = load_strict(json_path)
    fails = [f for f in d["findings"] if f.get("severity") == "FAIL"]
    cases = dom.getElementsByTagName("testcase")
    names = [c.getAttribute("name") for c in cases]
    check(len(names) > 0, "expected testcases, found none")
    check(len(names) == len(set(names)), f"expected testcases named apart, found {names}")
    # a failing finding is a testcase "rule feature group" with a failure
    def case_name(f):
        return " ".join(x for x in (f["rule"], f.get("feature"), f.get("group")) if x)
    failed = [c.getAttribute("name") for c in cases if c.getElementsByTagName("failure")]
    check(sorted(failed) == sorted(case_name(f) for f in fails),
          f"expected a <failure> testcase per FAIL finding {sorted(case_name(f) for f in fails)}, "
          f"found {sorted(failed)}")
    check(d.get("failures") == len(fails),
          f"JSON failures: expected {len(fails)} (its FAIL findings), found {d.get('failures')!r}")
    failing_rules = {f["rule"] for f in fails}
    check(d.get("rules_failed") == len(failing_rules),
          f"JSON rules_failed: expected {len(failing_rules)}, found {d.get('rules_failed')!r}")
    for c in cases:
        check(not c.getElementsByTagName("error"),
              f"testcase {c.getAttribute('name')}: unexpected <error>")
        if not c.getElementsByTagName("failure"):
            check(c.getAttribute("name") not in failing_rules,
                  f"testcase {c.getAttribute('name')}: a rule that fails, as a passing testcase")
    # each FAIL finding about rates: a property of its testcase with its
    # interval and established, as in the JSON
    props = {}
    for c in cases:
        for p in c.getElementsByTagName("property"):
            props[(c.getAttribute("name"), p.getAttribute("name"))] = p.getAttribute("value")
    for f in fails:
        if f.get("established") is None:
            continue
        name = " ".join(x for x in (f.get("feature"), f.get("group")) if x)
        got = props.get((case_name(f), name))
        if not check(got is not None, f"testcase {case_name(f)}: expected a property {name!r}, "
                     f"found {sorted(k[1] for k in props if k[0] == case_name(f))}"):
            continue
        kv = dict(x.split("=", 1) for x in got.split())
        check(kv.get("established") == ("yes" if f["established"] else "no"),
              f"testcase {case_name(f)} property {name!r}: established: expected "
              f"{f['established']!r}, found {got!r}")
        for k in ("low", "high"):
            want = f.get(k)
            v = kv.get(k)
            check((want is None and v == "n/a") or
                  (want is not None and v not in (None, "n/a") and close(want, float(v))),
                  f"testcase {case_name(f)} property {name!r}: {k}: expected {want!r}, found {got!r}")
    for tag in ("testsuites", "testsuite"):
        for el in dom.getElementsByTagName(tag):
            if el.hasAttribute("tests"):
                check(el.getAttribute("tests") == str(len(names)),
                      f"<{tag} tests=>: expected {len(names)}, found {el.getAttribute('tests')}")
            if el.hasAttribute("failures"):
                check(el.getAttribute("failures") == str(len(fails)),
                      f"<{tag} failures=>: expected {len(fails)} (the JSON's FAIL findings), "
                      f"found {el.getAttribute('failures')}")
    print("testcases: " + " ".join(names))
    print("failures: %d" % len(fails))


def eo(exp, json_path, cand, feature):
    d = load_strict(json_path)
    want = exp[cand]["features"][feature]["eo_difference"]
    hits = [f for f in d["findings"] if f.get("rule") == "eo_difference"
            and f.get("feature") == feature and f.get("severity") == "FAIL"]
    if check(len(hits) == 1, f"expected one FAIL eo_difference finding across {feature}, found {len(hits)}"):
        got = hits[0].get("candidate")
        check(isinstance(got, (int, float)) and abs(got - want) <= 1e-12,
              f"EO difference across {feature}: expected {want!r} (from the CSVs), found {got!r}")
        print(f"EO difference across {feature}: {got!r}, independently {want!r}")


def policy_in_json(text, key, value):
    obj = loads_strict(text)
    flat = flatten(obj)
    hits = {k: v for k, v in flat.items() if k == key or k.endswith("." + key)}
    check(len(hits) == 1, f"expected one value for {key}, found {hits or sorted(flat)}")
    for k, v in hits.items():
        num(k, float(value), v)


# --------------------------------------------------------------- compare

RATES = (("selection", "selection_rate"), ("TPR", "tpr"), ("FPR", "fpr"),
         ("precision", "precision"))
AGGS = (("demographic_parity_difference", "dp_difference", "demographic parity difference"),
        ("demographic_parity_ratio", "dp_ratio", "demographic parity ratio"),
        ("equalized_odds_difference", "eo_difference", "equalized odds difference"),
        ("equalized_odds_ratio", "eo_ratio", "equalized odds ratio"),
        ("equal_opportunity_difference", "eop_difference", "equal opportunity difference"))


# the aggregates with an interval: JSON key, c07_expected key, CSV metric
CI_AGGS = AGGS[:3]


def check_aggregate_ci(where, a, want):
    """An aggregate with its interval: the value (over the groups of at least
    min_group_size rows, computed independently as `want`) within [low,
    high], established exactly when the interval excludes no difference
    (0, or 1 for a ratio)."""
    if not check(isinstance(a, dict), f"{where}: expected an object, found {a!r}"):
        return None
    v, lo, hi, est = a.get("value"), a.get("low"), a.get("high"), a.get("established")
    num(f"{where} value (groups of at least the policy's min_group_size)", want, v)
    if want is None:
        return None
    check(isinstance(lo, (int, float)) and lo <= v + TOL and (hi is None or v <= hi + TOL),
          f"{where}: expected {v!r} within [{lo!r}, {hi!r}]")
    ratio = "ratio" in where
    bound = (hi is not None and hi < 1) if ratio else (lo > 0 or (hi is not None and hi < 0))
    check(est is bound, f"{where}: [{lo!r}, {hi!r}]: expected established {bound}, found {est!r}")
    return est


def compare_json(exp, path, base, cand, reference):
    d = load_strict(path)
    check(d.get("baseline") == base and d.get("candidate") == cand,
          f"baseline/candidate: expected {base}/{cand}, found {d.get('baseline')}/{d.get('candidate')}")
    eb, ec = exp[base], exp[cand]
    # performance: throughput as measured, change in percent
    perf = {p.get("metric"): p for p in d.get("performance") or []}
    t = perf.get("throughput")
    if check(t is not None, f"performance: expected throughput, found {sorted(perf)}"):
        num("throughput baseline", eb["final_throughput"], t.get("baseline"))
        num("throughput candidate", ec["final_throughput"], t.get("candidate"))
        want = (ec["final_throughput"] / eb["final_throughput"] - 1) * 100
        num("throughput change_percent", want, t.get("change_percent"))
        check(f"{t.get('change_percent', 0):+.1f}" == "+93.1",
              f"throughput change: expected +93.1 %, found {t.get('change_percent')!r}")
    feats = {f.get("name"): f for f in d.get("features") or []}
    check(sorted(feats) == sorted(ec["features"]),
          f"features: expected {sorted(ec['features'])}, found {sorted(feats)}")
    iv = d.get("intervals") or {}
    min_n = iv.get("min_group_size")
    check(iv.get("confidence") == 0.95 and min_n == 30,
          f"intervals: expected confidence 0.95, min_group_size 30, found {iv!r}")
    for i, fd in enumerate(d.get("findings") or []):
        check_interval(f"findings[{i}] ({fd.get('severity')} {fd.get('rule')})", fd, None)
    for name, f in feats.items():
        if name not in ec["features"]:
            continue
        efb, efc = eb["features"][name], ec["features"][name]
        for jk, ek, _ in AGGS:
            num(f"[{name}] baseline {jk}", efb[ek], (f.get("baseline") or {}).get(jk))
            num(f"[{name}] candidate {jk}", efc[ek], (f.get("candidate") or {}).get(jk))
        # each run's aggregates with their intervals; across group, r04's
        # and r05's are established, the fair runs' are not
        for who, run, ef in (("baseline", base, efb), ("candidate", cand, efc)):
            ivs = (f.get(who) or {}).get("intervals") or {}
            small = aggregates(ef["groups"], min_n or 30)
            for jk, ek, _ in CI_AGGS:
                est = check_aggregate_ci(f"[{name}] {who} intervals.{jk}", ivs.get(jk), small[ek])
                if name == "group":
                    check(est is (run in ("r04", "r05")),
                          f"[group] {who} {run} {jk}: expected established "
                          f"{run in ('r04', 'r05')}, found {est!r}")
        groups = {}
        for g in f.get("groups") or []:
            check(g.get("group") not in groups, f"[{name}] group {g.get('group')!r} listed twice")
            groups[g.get("group")] = g
        absent = f.get("absent_from_candidate") or []
        for label, gb in efb["groups"].items():
            gc = efc["groups"].get(label)
            g = groups.get(label)
            if gc is None:
                # a group of the baseline that the candidate lost
                check(label in absent or (g is not None and g.get("candidate") is None),
                      f"[{name}] {label}: expected it reported absent from the candidate, "
                      f"found {g!r} and absent_from_candidate {absent!r}")
                continue
            if not check(g is not None, f"[{name}] group {label!r} missing"):
                continue
            gbj, gcj = g.get("baseline") or {}, g.get("candidate") or {}
            for jk, ek in RATES:
                num(f"[{name}] {label} baseline {jk}", gb[ek], gbj.get(jk))
                num(f"[{name}] {label} candidate {jk}", gc[ek], gcj.get(jk))
                if isinstance(g.get("change"), dict) and jk in g["change"]:
                    num(f"[{name}] {label} change {jk}",
                        None if gb[ek] is None or gc[ek] is None else gc[ek] - gb[ek],
                        g["change"][jk])
            num(f"[{name}] {label} baseline n", gb["n"], gbj.get("n"))
            num(f"[{name}] {label} candidate n", gc["n"], gcj.get("n"))
        # the reference group: the largest in the candidate, or REFERENCE
        if " & " not in name:
            if reference and reference in efc["groups"] and name == "group":
                ref = reference
            else:
                ref = max(efc["groups"], key=lambda k: efc["groups"][k]["n"])
            check(f.get("reference") == ref,
                  f"[{name}] reference: expected {ref!r}, found {f.get('reference')!r}")
            r = efc["groups"][ref]
            for label, g in groups.items():
                vs = g.get("vs_reference") or {}
                gc = efc["groups"].get(label)
                if gc is None:
                    continue
                num(f"[{name}] {label} vs_reference selection_difference (reference {ref})",
                    gc["selection_rate"] - r["selection_rate"], vs.get("selection_difference"))
                num(f"[{name}] {label} vs_reference tpr_difference (reference {ref})",
                    gc["tpr"] - r["tpr"], vs.get("tpr_difference"))
                if label == ref:
                    check(vs.get("selection_difference") == 0 and vs.get("tpr_difference") == 0,
                          f"[{name}] the reference {ref}: expected differences 0, found {vs!r}")


def compare_csv(exp, path, base, cand):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0] if rows else []
    want = ["section", "feature", "group", "metric", "baseline", "candidate", "change",
            "baseline_interval_value", "baseline_low", "baseline_high", "baseline_established",
            "candidate_interval_value", "candidate_low", "candidate_high",
            "candidate_established"]
    check(header == want, f"header: expected {want}, found {header}")
    if header != want:
        return
    eb, ec = exp[base], exp[cand]
    seen = set()
    n_group = 0
    for i, r in enumerate(rows[1:], 2):
        if not check(len(r) == len(header), f"line {i}: expected {len(header)} fields, found {r}"):
            continue
        sec, feat, grp, metric, b, c, ch = r[:7]
        ci = r[7:]

        def f(x):
            return None if x == "" else float(x)
        key = (sec, feat, grp, metric)
        check(key not in seen, f"line {i}: {key} twice")
        seen.add(key)
        where = f"line {i} {sec},{feat},{grp},{metric}"
        try:
            bv, cv, chv = f(b), f(c), f(ch)
        except ValueError:
            check(False, f"{where}: expected numbers, found {r}")
            continue
        if sec == "group":
            n_group += 1
            ek = dict(RATES).get(metric)
            if not check(ek is not None, f"{where}: unknown metric"):
                continue
            gb = eb["features"].get(feat, {}).get("groups", {}).get(grp)
            gc = ec["features"].get(feat, {}).get("groups", {}).get(grp)
            if gb is not None:
                num(f"{where} baseline", gb[ek], bv)
            if gc is not None:
                num(f"{where} candidate", gc[ek], cv)
            if bv is not None and cv is not None:
                num(f"{where} change = candidate - baseline", cv - bv, chv)
            else:
                check(chv is None, f"{where}: expected an empty change, found {ch!r}")
        elif sec == "fairness":
            ek = {t: e for _, e, t in AGGS}.get(metric)
            if ek is None:
                continue
            num(f"{where} baseline", eb["features"][feat][ek], bv)
            num(f"{where} candidate", ec["features"][feat][ek], cv)
            num(f"{where} change = candidate - baseline", cv - bv, chv)
            if metric not in [t for _, _, t in CI_AGGS]:
                check(ci == [""] * 8, f"{where}: no interval: expected empty fields, found {ci}")
                continue
            for k, (who, run, e) in enumerate((("baseline", base, eb), ("candidate", cand, ec))):
                val, lo, hi, est = ci[4 * k:4 * k + 4]
                try:
                    a = {"value": f(val), "low": f(lo), "high": f(hi),
                         "established": {"yes": True, "no": False}.get(est, est)}
                except ValueError:
                    check(False, f"{where}: {who} interval: expected numbers, found {ci}")
                    continue
                got = check_aggregate_ci(f"{where} {who} interval",
                                         a, aggregates(e["features"][feat]["groups"], 30)[ek])
                if feat == "group":
                    check(got is (run in ("r04", "r05")),
                          f"{where}: {who} {run}: expected established "
                          f"{'yes' if run in ('r04', 'r05') else 'no'}, found {est!r}")
        elif sec == "performance" and metric == "throughput":
            num(f"{where} baseline", eb["final_throughput"], bv)
            num(f"{where} candidate", ec["final_throughput"], cv)
            check(chv is not None and f"{chv:+.1f}" == "+93.1",
                  f"{where}: expected the change +93.1 (%), found {ch!r}")
    check(("performance", "", "", "throughput") in seen, "expected a performance,,,throughput row")
    # every group of both runs that the candidate has, for each rate
    for feat in ("group", "age"):
        for label in ec["features"][feat]["groups"]:
            for metric, _ in RATES:
                check(("group", feat, label, metric) in seen,
                      f"expected a row group,{feat},{label},{metric}")
    print(f"{n_group} per-group rows")


def compare_text(exp, path, base, cand):
    """The per-group table of feature `group`: baseline, candidate, change;
    its aggregates (the gate's row) with the candidate's interval and
    whether it is established, and the baseline's in words."""
    lines = open(path, encoding="utf-8").read().split("\n")
    eb, ec = exp[base], exp[cand]
    text = "\n".join(lines)
    check("intervals: 95 % simultaneous over all of a run's comparisons, groups under 30 rows left out" in lines,
          "expected the intervals' legend line")
    sect = text[text.find("\nfeature group\n"):]
    sect = sect[:sect.find("\n  GROUP ")]
    est = "yes" if cand in ("r04", "r05") else "no"
    bwant = "established" if base in ("r04", "r05") else "not established"
    for _, ek, words in CI_AGGS:
        # its name, then the gate's row (with the interval), then the
        # row over every group
        m = re.search(r"^  " + re.escape(words) + r" *\n    gate \(groups >= 30 rows\)"
                      r" +(\S+) +(\S+) +(\S+) +\[(-?[0-9.]+), (-?[0-9.]+)\] +(yes|no)",
                      sect, re.M)
        if not check(m is not None, f"[group] {words}: expected a row with the candidate's interval "
                     f"and yes/no, found:\n{sect}"):
            continue
        lo, hi = float(m.group(4)), float(m.group(5))
        v = float(m.group(2))
        check(lo <= v + 0.0005 and v <= hi + 0.0005, f"[group] {words}: {v} outside [{lo}, {hi}]")
        check(m.group(6) == est, f"[group] {words}: {cand}: expected established {est}, found {m.group(6)}")
    for short in ("DP difference", "DP ratio", "EO difference"):
        check(re.search(r"^  (baseline " + re.escape(base) + r")? +" + short +
                        r" +[0-9.]+ \[-?[0-9.]+, -?[0-9.]+\] " + bwant + r"( \(|$)", sect, re.M),
              f"[group] expected the baseline's {short} as 'V [L, H] {bwant}', found:\n{sect}")
    try:
        start = lines.index("feature group")
    except ValueError:
        check(False, "expected a 'feature group' block")
        return
    block = []
    for ln in lines[start + 1:]:
        if ln.strip().startswith("reference group"):
            break
        block.append(ln)
    cur = None
    got = {}
    for ln in block:
        m = re.match(r"^  (\S+)?\s+(selection|TPR|FPR|precision)\s+(\S+)\s+(\S+)\s+(\S+)", ln)
        if not m:
            continue
        if m.group(1):
            cur = m.group(1)
        got[(cur, m.group(2))] = (m.group(3), m.group(4), m.group(5))
    for label, gb in eb["features"]["group"]["groups"].items():
        gc = ec["features"]["group"]["groups"].get(label)
        for metric, ek in RATES:
            row = got.get((label, metric))
            if gc is None:
                if metric == "selection":
                    check(row is not None and row[1] == "absent",
                          f"group {label} {metric}: expected 'absent' as candidate, found {row}")
                    check(row is not None and row[0] == f"{gb[ek]:.3f}",
                          f"group {label} {metric}: expected the baseline {gb[ek]:.3f}, found {row}")
                continue
            want = (f"{gb[ek]:.3f}", f"{gc[ek]:.3f}", f"{gc[ek] - gb[ek]:+.3f}")
            check(row == want, f"group {label} {metric}: expected {want}, found {row}")


# ---------------------------------------------------------------- policy

def read_ini(path):
    """{(section, key): (value, line)} of a policy INI file."""
    out = {}
    sec = ""
    for i, ln in enumerate(open(path, encoding="utf-8"), 1):
        t = ln.strip()
        if not t or t[0] in ";#":
            continue
        if t.startswith("[") and t.endswith("]"):
            sec = t[1:-1].strip()
            continue
        k, _, v = t.partition("=")
        out[(sec, k.strip())] = (v.split(";")[0].strip(), i)
    return out


def policy_origins(text_path, json_path, ini, origin):
    """`fairtop policy` (text) and `--format json`: the same keys; each key
    set in INI comes from ORIGIN:LINE with INI's value, every other key is
    'default'."""
    d = load_strict(json_path)
    vals = d.get("values") if isinstance(d, dict) else None
    if not check(isinstance(vals, list) and vals, f"expected a 'values' array, found {d!r}"):
        return
    set_keys = read_ini(ini) if ini != "-" else {}
    text = {}
    sec = ""
    for ln in open(text_path, encoding="utf-8"):
        ln = ln.rstrip("\n")
        m = re.match(r"^\[(\w+)\]$", ln)
        if m:
            sec = m.group(1)
            continue
        m = re.match(r"^(\w+) = (.*?)\s+; (\S+) ", ln)
        if m:
            check((sec, m.group(1)) not in text, f"text: {sec}.{m.group(1)} twice")
            text[(sec, m.group(1))] = (m.group(2), m.group(3))
    jkeys = [(v.get("section"), v.get("key")) for v in vals]
    check(sorted(jkeys) == sorted(text),
          f"text and json list different keys: {sorted(set(jkeys) ^ set(text))}")
    for k in set_keys:
        check(k in jkeys, f"the key {k[0]}.{k[1]} of {ini} is not listed")
    for v in vals:
        k = (v.get("section"), v.get("key"))
        if k in set_keys:
            want = f"{origin}:{set_keys[k][1]}"
            check(close(float(set_keys[k][0]), v.get("value")),
                  f"{k[0]}.{k[1]}: expected the value {set_keys[k][0]} of {ini}, found {v.get('value')!r}")
        else:
            want = "default"
        check(v.get("origin") == want,
              f"json {k[0]}.{k[1]}: expected the origin {want!r}, found {v.get('origin')!r}")
        t = text.get(k)
        check(t is not None and t[1] == want,
              f"text {k[0]}.{k[1]}: expected '; {want}', found {t!r}")
    print(f"{len(vals)} keys, {len(set_keys)} from {origin if set_keys else '(no file)'}")


# ---------------------------------------------------------------- alerts

def load_alerts(path):
    d = load_strict(path)
    if isinstance(d, dict) and isinstance(d.get("alerts"), list):
        d = d["alerts"]
    check(isinstance(d, list), f"expected a JSON array of alerts, found {type(d).__name__}")
    return d if isinstance(d, list) else []


def alerts_story(path):
    alerts = load_alerts(path)
    by = {}
    for a in alerts:
        by.setdefault(a.get("run"), []).append(a)
        for k in ("id", "severity", "state", "run", "first_seen", "last_seen"):
            check(k in a, f"alert {a.get('id')}: expected the key {k!r}, found {sorted(a)}")
        fs, ls = a.get("first_seen"), a.get("last_seen")
        check(isinstance(fs, str) and ISO.match(fs) and isinstance(ls, str) and ISO.match(ls),
              f"alert {a.get('id')}: expected ISO 8601 first_seen/last_seen, found {fs!r} {ls!r}")
        check(isinstance(fs, str) and isinstance(ls, str) and fs <= ls,
              f"alert {a.get('id')}: first_seen {fs!r} after last_seen {ls!r}")
    ids = [a.get("id") for a in alerts]
    check(len(ids) == len(set(ids)), f"alert ids listed twice: {ids}")
    keys = [(a.get("run"), a.get("rule"), a.get("subject")) for a in alerts]
    check(len(keys) == len(set(keys)), "the same (run, rule, subject) raised twice")

    def crit(r):
        return [a for a in by.get(r, []) if a.get("severity") == "critical"]
    for r in ("r04", "r05"):
        check(crit(r), f"{r}: expected a critical alert, found {[(a.get('severity'), a.get('rule')) for a in by.get(r, [])]}")
    for r in ("r01", "r02", "r06"):
        check(not crit(r), f"{r}: expected no critical alert, found {[a.get('rule') for a in crit(r)]}")
    for r in ("r01", "r02"):
        check(not by.get(r), f"{r}: expected no alert, found {[a.get('rule') for a in by.get(r, [])]}")
    print(" ".join(f"{r}:{len(by.get(r, []))}({len(crit(r))} critical)"
                   for r in ("r01", "r02", "r03", "r04", "r05", "r06")))


def alerts_pick(path, run):
    alerts = load_alerts(path)
    pick = [a for a in alerts if a.get("run") == run and a.get("severity") == "critical"
            and a.get("state") == "firing"]
    # prefer the alert for the lost group when there is one
    pick.sort(key=lambda a: (a.get("rule") != "missing_group", a.get("id")))
    if not pick:
        print(f"FAIL: no firing critical alert for {run}")
        sys.exit(1)
    print(pick[0]["id"])


def alerts_acked(path, aid, by, note):
    alerts = load_alerts(path)
    hits = [a for a in alerts if str(a.get("id")) == aid]
    if not check(len(hits) == 1, f"expected alert {aid} once, found {len(hits)}"):
        return
    a = hits[0]
    check(a.get("state") == "acknowledged",
          f"alert {aid}: expected state acknowledged, found {a.get('state')!r}")
    vals = [str(v) for v in flatten(a).values()]
    check(a.get("acknowledged_by", by) == by and by in vals,
          f"alert {aid}: expected acknowledged by {by!r}, found {a!r}")
    check(a.get("ack_note", note) == note and note in vals,
          f"alert {aid}: expected the note {note!r}, found {a!r}")


def alerts_state(path, state, id_in, id_out):
    alerts = load_alerts(path)
    states = {a.get("state") for a in alerts}
    check(states <= {state}, f"--state {state}: expected only {state}, found {states}")
    ids = {str(a.get("id")) for a in alerts}
    if id_in:
        check(id_in in ids, f"--state {state}: expected alert {id_in}, found {sorted(ids)}")
    if id_out:
        check(id_out not in ids, f"--state {state}: expected no alert {id_out}, found it")
    print(len(alerts))


def alerts_same(before, after, acked):
    a = {str(x["id"]): x for x in load_alerts(before)}
    b = {str(x["id"]): x for x in load_alerts(after)}
    check(len(a) == len(b), f"expected {len(a)} alerts, found {len(b)}")
    check(sorted(a) == sorted(b), f"expected the ids {sorted(a)}, found {sorted(b)}")
    for k in a:
        if k not in b:
            continue
        for f in ("run", "rule", "subject", "severity", "first_seen"):
            check(a[k].get(f) == b[k].get(f),
                  f"alert {k}: {f} changed from {a[k].get(f)!r} to {b[k].get(f)!r}")
        check(b[k].get("last_seen", "") >= a[k].get("last_seen", ""),
              f"alert {k}: last_seen went back from {a[k].get('last_seen')!r} to {b[k].get('last_seen')!r}")
        if k != acked:
            check(a[k].get("state") == b[k].get("state"),
                  f"alert {k}: state changed from {a[k].get('state')!r} to {b[k].get('state')!r}")
    if acked in b:
        x, y = a.get(acked, {}), b[acked]
        check(y.get("state") == "acknowledged",
              f"alert {acked}: expected still acknowledged, found {y.get('state')!r}")
        for f in ("acknowledged_by", "acknowledged_at", "ack_note"):
            check(x.get(f) == y.get(f), f"alert {acked}: {f} changed from {x.get(f)!r} to {y.get(f)!r}")


def main(argv):
    cmd = argv[0] if argv else ""
    try:
        if cmd == "gate-json" and len(argv) >= 5:
            gate_json(load_expected(argv[1]), argv[2], argv[3], argv[4], argv[5:])
        elif cmd == "junit" and len(argv) == 3:
            junit(argv[1], argv[2])
        elif cmd == "eo" and len(argv) == 5:
            eo(load_expected(argv[1]), argv[2], argv[3], argv[4])
        elif cmd == "policy-in-json" and len(argv) == 4:
            policy_in_json(argv[1], argv[2], argv[3])
        elif cmd == "compare-json" and len(argv) in (5, 6):
            compare_json(load_expected(argv[1]), argv[2], argv[3], argv[4],
                         argv[5] if len(argv) == 6 else None)
        elif cmd == "compare-csv" and len(argv) == 5:
            compare_csv(load_expected(argv[1]), argv[2], argv[3], argv[4])
        elif cmd == "compare-text" and len(argv) == 5:
            compare_text(load_expected(argv[1]), argv[2], argv[3], argv[4])
        elif cmd == "policy-origins" and len(argv) == 5:
            policy_origins(argv[1], argv[2], argv[3], argv[4])
        elif cmd == "alerts-story" and len(argv) == 2:
            alerts_story(argv[1])
        elif cmd == "alerts-pick" and len(argv) == 3:
            alerts_pick(argv[1], argv[2])
            return 0
        elif cmd == "alerts-acked" and len(argv) == 5:
            alerts_acked(argv[1], argv[2], argv[3], argv[4])
        elif cmd == "alerts-state" and len(argv) in (3, 4, 5):
            alerts_state(argv[1], argv[2], argv[3] if len(argv) > 3 else "",
                         argv[4] if len(argv) > 4 else "")
        elif cmd == "alerts-same" and len(argv) == 4:
            alerts_same(argv[1], argv[2], argv[3])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (ValueError, OSError, KeyError, TypeError, AttributeError,
            xml.parsers.expat.ExpatError) as e:
        print(f"FAIL: {cmd}: {type(e).__name__}: {e}")
        return 1
    return finish(cmd)


if __name__ == "__main__":
    import xml.parsers.expat  # noqa: F401  (for the except clause)
    sys.exit(main(sys.argv[1:]))
