/*
 * drift.c — population stability index.  See drift.h.
 */
#include "core/drift.h"

#include <assert.h>
#include <math.h>

#include "core/confusion.h"

double drift_psi(const double *expected, const double *actual, size_t n)
{
	double total_e = 0, total_a = 0;
	for (size_t i = 0; i < n; i++) {
		total_e += expected[i];
		total_a += actual[i];
	}
	if (!(total_e > 0) || !(total_a > 0))
		return RATE_UNDEFINED;
	double psi = 0;
	for (size_t i = 0; i < n; i++) {
		double e = expected[i] / total_e;
		double a = actual[i] / total_a;
		if (e == 0)
			e = DRIFT_EMPTY_FLOOR;
		if (a == 0)
			a = DRIFT_EMPTY_FLOOR;
		psi += (a - e) * log(a / e);
	}
	return psi;
}

void drift_rebin(const double *in, size_t from, double *out, size_t to)
{
	/* psi_bins divides SCORE_BINS: the policy refuses any other */
	assert(to > 0 && from % to == 0);
	size_t width = from / to;
	for (size_t j = 0; j < to; j++) {
		out[j] = 0;
		for (size_t i = j * width; i < (j + 1) * width; i++)
			out[j] += in[i];
	}
}
