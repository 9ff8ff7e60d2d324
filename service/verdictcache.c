/*
 * verdictcache.c — the Runs list's verdicts, kept.  See verdictcache.h.
 */
#include "service/verdictcache.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"

void verdictcache_init(struct verdict_cache *c)
{
	memset(c, 0, sizeof *c);
}

static void entry_release(struct verdict_entry *e)
{
	free(e->v.first);
	free(e->v.against);
}

void verdictcache_release(struct verdict_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		entry_release(&c->e[i]);
	free(c->e);
	hashmap_release(&c->index);
	memset(c, 0, sizeof *c);
}

static uint64_t hash(int64_t run, int64_t baseline)
{
	uint64_t h = (uint64_t)run * 0x9e3779b97f4a7c15u;
	h ^= (uint64_t)baseline * 0xc2b2ae3d27d4eb4fu;
	return h ^ (h >> 29);
}

/* The index of (run, baseline) in c->e, or HASHMAP_NONE with *pos
 * where it would go. */
static uint32_t find(const struct verdict_cache *c, int64_t run,
		     int64_t baseline, struct hashmap_pos *pos)
{
	for (uint32_t i = hashmap_first(&c->index, hash(run, baseline), pos);
	     i != HASHMAP_NONE; i = hashmap_next(&c->index, pos))
		if (c->e[i].run == run && c->e[i].baseline == baseline)
			return i;
	return HASHMAP_NONE;
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
		else
			entry_release(&c->e[i]);
	if (kept < c->n) {
		/* the entries moved: index them again (the slots are kept,
		 * so this cannot run out of memory) */
		c->n = kept;
		hashmap_clear(&c->index);
		for (size_t i = 0; i < c->n; i++)
			if (hashmap_add(&c->index,
					hash(c->e[i].run, c->e[i].baseline),
					(uint32_t)i) != 0) {
				verdictcache_release(c);
				return fail_set(f, FAIL_INTERNAL,
						"out of memory");
			}
	}
	c->filled = 1;
	c->changes = changes;
	c->policy = p;
	memcpy(c->last, baselines, sizeof c->last);
	return 0;
}

const struct cached_verdict *verdictcache_find(const struct verdict_cache *c,
					       int64_t run, int64_t baseline)
{
	struct hashmap_pos pos;
	uint32_t i = find(c, run, baseline, &pos);
	return i != HASHMAP_NONE ? &c->e[i].v : NULL;
}

int verdictcache_put(struct verdict_cache *c, int64_t run, int64_t baseline,
		     int passed, const char *first, const char *against)
{
	struct hashmap_pos pos;
	struct cached_verdict v = {passed != 0, NULL, NULL};
	if ((first != NULL && first[0] && (v.first = strdup(first)) == NULL) ||
	    (v.against = strdup(against ? against : "")) == NULL)
		goto oom;
	uint32_t i = find(c, run, baseline, &pos);
	if (i != HASHMAP_NONE) {
		entry_release(&c->e[i]);
		c->e[i].v = v;
		return 0;
	}
	if (c->n >= HASHMAP_MAX || ARRAY_GROW(c->e, c->n + 1, c->cap) != 0 ||
	    hashmap_put(&c->index, &pos, (uint32_t)c->n) != 0)
		goto oom;
	c->e[c->n++] = (struct verdict_entry){run, baseline, v};
	return 0;
oom:
	free(v.first);
	free(v.against);
	return -1;
}
