#!/usr/bin/env python3
"""disparity_ref.py -- an independent reckoning of core/disparity.c's
intervals, for the expected values of test_disparity.c and test_judge.c.

Independent in method where it can be: the normal quantile comes from
Python's statistics.NormalDist (not bisection on erfc), the Wilson bounds
from the closed form (2k + z^2 -+ z sqrt(z^2 + 4k(n-k)/n)) / (2(n + z^2)),
not interval.c's centre and half width.  Newcombe's and MOVER-R's
formulas are the published ones.

  python3 tests/unit/disparity_ref.py k1 n1 k2 n2 families comparisons
prints z, the difference's interval and the ratio k2/n2 / (k1/n1)'s.
"""
import math
import sys
from statistics import NormalDist


def z_of(families, comparisons, confidence=0.95):
    alpha = 1 - confidence
    return NormalDist().inv_cdf(1 - alpha / (2 * families * comparisons))


def wilson(k, n, z):
    root = z * math.sqrt(z * z + 4 * k * (n - k) / n)
    lo = (2 * k + z * z - root) / (2 * (n + z * z))
    hi = (2 * k + z * z + root) / (2 * (n + z * z))
    return (0.0 if k == 0 else lo, 1.0 if k == n else hi)


def newcombe(k1, n1, k2, n2, z):
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    d = p1 - p2
    return (max(-1, d - math.hypot(p1 - l1, u2 - p2)),
            min(1, d + math.hypot(u1 - p1, p2 - l2)))


def mover_ratio(k1, n1, k2, n2, z):
    """p1 / p2 (Donner and Zou 2012)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    pp = p1 * p2
    den = u2 * (2 * p2 - u2)
    disc = pp * pp - l1 * u2 * (2 * p1 - l1) * (2 * p2 - u2)
    lo = max(0, (pp - math.sqrt(disc)) / den) if den > 0 and disc >= 0 else 0
    den = l2 * (2 * p2 - l2)
    disc = pp * pp - u1 * l2 * (2 * p1 - u1) * (2 * p2 - l2)
    hi = (pp + math.sqrt(disc)) / den if den > 0 and disc >= 0 else None
    return lo, hi


if __name__ == "__main__":
    k1, n1, k2, n2, fam, cmp_ = (float(a) for a in sys.argv[1:7])
    z = z_of(fam, cmp_)
    print("z %.17g" % z)
    print("difference %.17g [%.17g, %.17g]" %
          (((k1 / n1 - k2 / n2),) + newcombe(k1, n1, k2, n2, z)))
    lo, hi = mover_ratio(k2, n2, k1, n1, z)
    print("ratio %.17g [%.17g, %s]" % (k2 / n2 / (k1 / n1), lo,
                                      "%.17g" % hi if hi else "unbounded"))
