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

/* A group's rates with an interval, in this order everywhere they are
 * shown (show, compare). */
enum group_rate {
	GROUP_RATE_SELECTION,
	GROUP_RATE_TPR,
	GROUP_RATE_FPR,
	GROUP_RATE_PRECISION,
	GROUP_RATES
};

/* The Wilson intervals at z of a group's selection rate, TPR and FPR on
 * their effective sample sizes (r, from confusion_rates(c): Kish's for
 * weighted rows, the rows themselves otherwise), and of its precision on
 * its weighted predicted positives (squared weights are not kept by
 * prediction). */
struct rates;
struct confusion;
void interval_group_rates(const struct confusion *c, const struct rates *r,
			  double z, struct interval out[GROUP_RATES]);

/* The Wilson interval of a proportion p observed on an effective sample
 * of n (Kish's, for weighted rows: confusion.h): k = p n.  Undefined
 * when p is or n is not positive. */
struct interval interval_rate(double p, double n, double z);

/* Newcombe's hybrid score interval (1998, method 10) of the difference
 * p1 - p2 of two independent proportions, from their Wilson intervals
 * w1, w2 at the same z:
 *   low  = d - sqrt((p1 - l1)^2 + (u2 - p2)^2)
 *   high = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 * Its coverage is close to nominal for small samples and proportions
 * near 0 or 1, where the Wald interval's is not.  Undefined when
 * either side is. */
struct interval interval_newcombe(double p1, struct interval w1, double p2,
				  struct interval w2);

/* The standard normal's upper quantile: z with P(Z > z) = tail,
 * 0 < tail < 1, to full double precision (bisection on erfc, which
 * keeps its digits far out in the tail, where 1 - tail would not).
 * NAN outside (0,1). */
double normal_upper_quantile(double tail);

/* The chi-squared distribution's upper quantile: x with P(X > x) = tail
 * on k degrees of freedom; exact for k = 1 (a squared normal) and k = 2
 * (an exponential), Wilson and Hilferty's cube-root approximation
 * beyond (within 1 % for k >= 3 at the tails used here).  NAN when
 * k < 1 or tail is outside (0,1). */
double chi2_upper_quantile(double k, double tail);

#endif
