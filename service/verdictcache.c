/*
 * verdictcache.c — the Runs list's verdicts, kept.  See verdictcache.h.
 */
#include "service/verdictcache.h"

#include <stdlib.h>
#include <string.h>

void verdictcache_init(struct verdict_cache *c)
{
	memset(c, 0, sizeof *c);
}

void verdictcache_release(struct verdict_cache *c)
{
	free(c->e);
	free(c->slot);
	memset(c, 0, sizeof *c);
}

static size_t hash(int64_t run, int64_t baseline)
{
	uint64_t h = (uint64_t)run * 0x9e3779b97f4a7c15u;
	h ^= (uint64_t)baseline * 0xc2b2ae3d27d4eb4fu;
	return (size_t)(h ^ (h >> 29));
}

/* The slot of (run, baseline): its entry's, or the free one where it
 * would go. */
static size_t slot_of(const struct verdict_cache *c, int64_t run,
		      int64_t baseline)
{
	size_t at = hash(run, baseline) & (c->nslots - 1);
	while (c->slot[at]) {
		const struct verdict_entry *x = &c->e[c->slot[at] - 1];
		if (x->run == run && x->baseline == baseline)
			break;
		at = (at + 1) & (c->nslots - 1);
	}
	return at;
}

/* Hash the entries again into nslots slots (a power of two). */
static int rehash(struct verdict_cache *c, size_t nslots)
{
	size_t *slot = calloc(nslots, sizeof *slot);
	if (slot == NULL)
		return -1;
	free(c->slot);
	c->slot = slot;
	c->nslots = nslots;
	for (size_t i = 0; i < c->n; i++)
		c->slot[slot_of(c, c->e[i].run, c->e[i].baseline)] = i + 1;
	return 0;
}

static int among(int64_t id, const int64_t *ids)
{
	for (size_t i = 0; i < VERDICTCACHE_BASELINES; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

int verdictcache_update(struct verdict_cache *c, struct store *s,
			const struct policy *p,
			const int64_t baselines[VERDICTCACHE_BASELINES],
			struct fail *f)
{
	int64_t changes = 0;
	if (store_run_changes(s, &changes, f) != 0) {
		verdictcache_release(c);
		return -1;
	}
	if (!c->filled || changes != c->changes || p != c->policy)
		verdictcache_release(c);
	/* own-verdicts (baseline 0) stay with every pass */
	size_t kept = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i].baseline == 0 || among(c->e[i].baseline, baselines) ||
		    among(c->e[i].baseline, c->last))
			c->e[kept++] = c->e[i];
	if (kept < c->n) {
		c->n = kept;
		if (rehash(c, c->nslots) != 0) {
			verdictcache_release(c);
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		}
	}
	c->filled = 1;
	c->changes = changes;
	c->policy = p;
	memcpy(c->last, baselines, sizeof c->last);
	return 0;
}

const struct run_headline *verdictcache_find(const struct verdict_cache *c,
					     int64_t run, int64_t baseline)
{
	if (c->nslots == 0)
		return NULL;
	size_t at = slot_of(c, run, baseline);
	return c->slot[at] ? &c->e[c->slot[at] - 1].h : NULL;
}

int verdictcache_put(struct verdict_cache *c, int64_t run, int64_t baseline,
		     const struct run_headline *h)
{
	if ((c->n + 1) * 2 > c->nslots &&
	    rehash(c, c->nslots ? c->nslots * 2 : 1024) != 0)
		return -1;
	size_t at = slot_of(c, run, baseline);
	if (c->slot[at]) {
		c->e[c->slot[at] - 1].h = *h;
		return 0;
	}
	if (store_grow((void **)&c->e, &c->cap, c->n + 1, sizeof *c->e) != 0)
		return -1;
	c->e[c->n] = (struct verdict_entry){run, baseline, *h};
	c->slot[at] = ++c->n;
	return 0;
}
