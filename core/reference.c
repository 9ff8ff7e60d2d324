/*
 * reference.c — disparities against a reference group.  See
 * reference.h.
 */
#include "core/reference.h"

#include <string.h>

size_t reference_pick(const struct rates *rates, const char *const *labels,
		      size_t n, const char *wanted)
{
	size_t best = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		if (wanted != NULL) {
			if (strcmp(labels[i], wanted) == 0)
				return i;
			continue;
		}
		if (best == (size_t)-1 || rates[i].n > rates[best].n)
			best = i;
	}
	return best;
}

static double difference(double a, double b)
{
	if (!rate_defined(a) || !rate_defined(b))
		return RATE_UNDEFINED;
	return a - b;
}

void reference_disparities(const struct rates *rates, size_t n, size_t ref,
			   struct disparity *out)
{
	const struct rates *r = &rates[ref];
	for (size_t i = 0; i < n; i++) {
		const struct rates *g = &rates[i];
		out[i].selection_difference =
			difference(g->selection_rate, r->selection_rate);
		out[i].selection_ratio =
			rate_ratio(g->selection_rate, r->selection_rate);
		out[i].tpr_difference = difference(g->tpr, r->tpr);
		out[i].tpr_ratio = rate_ratio(g->tpr, r->tpr);
		out[i].fpr_difference = difference(g->fpr, r->fpr);
		out[i].fpr_ratio = rate_ratio(g->fpr, r->fpr);
	}
}
