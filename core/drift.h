/*
 * drift.h — how far one distribution moved from another.
 *
 * Population stability index, PSI = sum (a_i - e_i) * ln(a_i / e_i)
 * over bins of shares, e the baseline (expected) and a the candidate
 * (actual).  A bin empty on either side is floored at 1e-4 so the
 * logarithm stays finite.  Used for the shares of a feature's groups
 * and for each group's score distribution.
 */
#ifndef FAIRTOP_DRIFT_H
#define FAIRTOP_DRIFT_H

#include <stddef.h>

#define DRIFT_EMPTY_FLOOR 1e-4

/* PSI between two histograms of n bins (counts or weights, normalised
 * here to shares).  RATE_UNDEFINED when either sums to 0. */
double drift_psi(const double *expected, const double *actual, size_t n);

/* Merge a histogram of `from` equal-width bins into `to` bins (to must
 * divide from): out[j] = sum of in[j*from/to .. (j+1)*from/to). */
void drift_rebin(const double *in, size_t from, double *out, size_t to);

#endif
