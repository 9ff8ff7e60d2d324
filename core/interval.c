/*
 * interval.c — the Wilson score interval.  See interval.h.
 */
#include "core/interval.h"
#include <assert.h>

#include <math.h>

#include "core/confusion.h"

struct interval interval_wilson(double k, double n, double z)
{
	struct interval out = {RATE_UNDEFINED, RATE_UNDEFINED};
	if (!(n > 0) || !(k >= 0) || k > n)
		return out;
	double p = k / n;
	double z2 = z * z;
	assert(p >= 0 && p <= 1);
	double denom = 1 + z2 / n;
	double centre = (p + z2 / (2 * n)) / denom;
	double half = z / denom * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
	out.low = centre - half;
	out.high = centre + half;
	/* at p = 0 the low bound is exactly 0 and at p = 1 the high bound
	 * exactly 1 (half equals the distance to the edge), which rounding
	 * would miss by an ulp (0.99999999999999989 for 10 of 10) */
	if (out.low < 0 || k == 0)
		out.low = 0;
	if (out.high > 1 || k == n)
		out.high = 1;
	return out;
}

void interval_group_rates(const struct confusion *c, const struct rates *r,
			  double z, struct interval out[GROUP_RATES])
{
	out[GROUP_RATE_SELECTION] = interval_rate(r->selection_rate, r->n_eff, z);
	out[GROUP_RATE_TPR] = interval_rate(r->tpr, r->n_eff_positive, z);
	out[GROUP_RATE_FPR] = interval_rate(r->fpr, r->n_eff_negative, z);
	out[GROUP_RATE_PRECISION] = interval_wilson(c->tp, c->tp + c->fp, z);
}

struct interval interval_rate(double p, double n, double z)
{
	struct interval none = {RATE_UNDEFINED, RATE_UNDEFINED};
	if (!rate_defined(p) || !(n > 0) || !isfinite(n))
		return none;
	return interval_wilson(p * n, n, z);
}

struct interval interval_newcombe(double p1, struct interval w1, double p2,
				  struct interval w2)
{
	struct interval out = {RATE_UNDEFINED, RATE_UNDEFINED};
	if (!rate_defined(p1) || !rate_defined(p2) || !rate_defined(w1.low) ||
	    !rate_defined(w2.low))
		return out;
	double d = p1 - p2;
	out.low = d - sqrt((p1 - w1.low) * (p1 - w1.low) +
			   (w2.high - p2) * (w2.high - p2));
	out.high = d + sqrt((w1.high - p1) * (w1.high - p1) +
			    (p2 - w2.low) * (p2 - w2.low));
	if (out.low < -1)
		out.low = -1;
	if (out.high > 1)
		out.high = 1;
	return out;
}

/* P(Z > z) = erfc(z / sqrt 2) / 2 falls with z: bisect for the z where
 * it equals the tail, until the halves meet at adjacent doubles. */
double normal_upper_quantile(double tail)
{
	if (!(tail > 0) || !(tail < 1))
		return NAN;
	if (tail > 0.5)
		return -normal_upper_quantile(1 - tail);
	double lo = 0, hi = 40;
	for (;;) {
		double mid = lo + (hi - lo) / 2;
		if (mid <= lo || mid >= hi)
			return mid;
		if (0.5 * erfc(mid / 1.4142135623730951) > tail)
			lo = mid;
		else
			hi = mid;
	}
}

double chi2_upper_quantile(double k, double tail)
{
	if (!(k >= 1) || !(tail > 0) || !(tail < 1))
		return NAN;
	if (k == 1) {
		double z = normal_upper_quantile(tail / 2);
		return z * z;
	}
	if (k == 2)
		return -2 * log(tail);
	double v = 2 / (9 * k);
	double c = 1 - v + normal_upper_quantile(tail) * sqrt(v);
	return c > 0 ? k * c * c * c : 0;
}
