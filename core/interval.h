/*
 * interval.h — how sure a group's rate is: the 95 % Wilson score
 * interval.
 *
 * For k successes out of n: with z = 1.959963984540054 (the 97.5 %
 * normal quantile), centre = (p + z^2/2n) / (1 + z^2/n) and half width
 * = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2).  Unlike the normal
 * approximation it stays inside [0,1] and is sensible for small n and
 * for p at 0 or 1.  Weighted counts are used as they are.
 */
#ifndef FAIRTOP_INTERVAL_H
#define FAIRTOP_INTERVAL_H

#define WILSON_Z95 1.959963984540054

struct interval {
	double low, high; /* RATE_UNDEFINED when n is 0 */
};

/* The Wilson interval of k out of n (k <= n) at z. */
struct interval interval_wilson(double k, double n, double z);

#endif
