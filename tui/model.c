/*
 * model.c — filtering and sorting runs, filtering alerts.  See model.h.
 */
#include "tui/model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *sort_key_name(enum sort_key k)
{
	static const char *const names[SORT_NKEYS] = {
		"date", "run", "accuracy", "F-beta", "throughput",
		"DP difference", "EO difference", "worst TPR", "alerts"};
	return k < SORT_NKEYS ? names[k] : "?";
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return 1;
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] &&
		       tolower((unsigned char)hay[i]) ==
			       tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

int model_matches(const struct snap_run *run, const char *filter)
{
	return filter == NULL || contains_ci(run->key, filter) ||
	       contains_ci(run->model, filter) ||
	       contains_ci(run->version, filter);
}

static int has_ci(const char *hay, const char *needle)
{
	return hay != NULL && contains_ci(hay, needle);
}

int model_alert_matches(const struct stored_alert *x, const char *filter)
{
	return filter == NULL || filter[0] == '\0' ||
	       has_ci(x->run_key, filter) || has_ci(x->rule, filter) ||
	       has_ci(x->subject, filter) || has_ci(x->severity, filter) ||
	       has_ci(x->state, filter) || has_ci(x->message, filter);
}

static const struct snap_run *sort_runs;
static enum sort_key sort_by;
static int sort_reverse;

static double number_of(const struct snap_run *r)
{
	switch (sort_by) {
	case SORT_ACCURACY:
		return r->accuracy;
	case SORT_F_BETA:
		return r->f_beta;
	case SORT_THROUGHPUT:
		return r->throughput;
	case SORT_DP:
		return r->dp;
	case SORT_EO:
		return r->eo;
	case SORT_WORST_TPR:
		return r->worst_tpr;
	case SORT_ALERTS:
		return (double)(r->critical_alerts * 100000 + r->open_alerts);
	default:
		return 0;
	}
}

static int compare(const void *pa, const void *pb)
{
	const struct snap_run *a = &sort_runs[*(const size_t *)pa];
	const struct snap_run *b = &sort_runs[*(const size_t *)pb];
	int c = 0;
	if (sort_by == SORT_STARTED) {
		/* newest first */
		c = strcmp(b->started, a->started);
	} else if (sort_by == SORT_RUN) {
		c = strcmp(a->key, b->key);
	} else {
		double x = number_of(a), y = number_of(b);
		int ux = x != x, uy = y != y;
		if (ux != uy)
			return ux - uy; /* undefined last, whatever order */
		if (ux && uy)
			return strcmp(b->started, a->started); /* by date */
		/* worst first: high DP, EO and alerts; low accuracy ... */
		int high_first = sort_by == SORT_DP || sort_by == SORT_EO ||
				 sort_by == SORT_ALERTS ||
				 sort_by == SORT_THROUGHPUT ||
				 sort_by == SORT_ACCURACY ||
				 sort_by == SORT_F_BETA;
		c = x < y ? -1 : x > y ? 1 : 0;
		if (high_first)
			c = -c;
		if (sort_by == SORT_WORST_TPR)
			c = x < y ? -1 : x > y ? 1 : 0;
	}
	if (c == 0)
		c = strcmp(b->started, a->started);
	return sort_reverse ? -c : c;
}

static size_t rows_of(const struct snap_run *runs, size_t n,
		      const char *filter, enum sort_key key, int reverse,
		      int listed, size_t *out)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (model_matches(&runs[i], filter))
			out[m++] = i;
	if (listed && key == SORT_STARTED && !reverse)
		return m;
	sort_runs = runs;
	sort_by = key;
	sort_reverse = reverse;
	/* a list sorted already is left as it is (as a stable sort would
	 * leave it), in one pass */
	size_t i = 1;
	while (i < m && compare(&out[i - 1], &out[i]) <= 0)
		i++;
	if (i < m)
		qsort(out, m, sizeof *out, compare);
	sort_runs = NULL;
	return m;
}

size_t model_rows(const struct snap_run *runs, size_t n, const char *filter,
		  enum sort_key key, int reverse, size_t *out)
{
	return rows_of(runs, n, filter, key, reverse, 0, out);
}

size_t model_rows_listed(const struct snap_run *runs, size_t n,
			 const char *filter, enum sort_key key, int reverse,
			 size_t *out)
{
	return rows_of(runs, n, filter, key, reverse, 1, out);
}
