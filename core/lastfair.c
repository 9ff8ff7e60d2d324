/*
 * lastfair.c — production, the last fair model, the rollback target.
 * See lastfair.h.
 */
#include "core/lastfair.h"

#include <assert.h>
#include <string.h>

size_t lastfair_production(const struct deployed_fact *d, size_t n)
{
	for (size_t i = n; i-- > 0;)
		if (d[i].done)
			return i;
	return n;
}

static int passes(const struct deployed_fact *x)
{
	return x->done && x->in_store && x->fair;
}

size_t lastfair_model(const struct deployed_fact *d, size_t n)
{
	for (size_t i = n; i-- > 0;)
		if (passes(&d[i]))
			return i;
	return n;
}

size_t lastfair_rollback_target(const struct deployed_fact *d, size_t n)
{
	assert(d != NULL || n == 0);
	size_t cur = lastfair_production(d, n);
	if (cur == n)
		return n;
	for (size_t i = cur; i-- > 0;)
		if (passes(&d[i]) && strcmp(d[i].run, d[cur].run) != 0)
			return i;
	return n;
}
