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
	if (out.low < 0)
		out.low = 0;
	if (out.high > 1)
		out.high = 1;
	return out;
}
