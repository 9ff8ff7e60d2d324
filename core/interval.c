/*
 * interval.c — the Wilson score interval.  See interval.h.
 */
#include "core/interval.h"

#include <math.h>

#include "core/confusion.h"

struct interval interval_wilson(double k, double n, double z)
{
	struct interval out = {RATE_UNDEFINED, RATE_UNDEFINED};
	if (!(n > 0) || !(k >= 0) || k > n)
		return out;
	double p = k / n;
	double z2 = z * z;
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
