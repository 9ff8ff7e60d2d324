/*
 * groups.c — the per-group reduction of an evaluation.  See groups.h.
 *
 * Each feature's values are interned in a string table (core/strtab.h).
 * Two tables of groups of the same kind: `cells` holds what was added,
 * `groups` what evaluation_finish() derives from it.  Both are a growing
 * array of eval_group indexed by a hash map (core/hashmap.h) on the key
 * (step, mask, value[]).
 */
#include "core/groups.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/hashmap.h"
#include "core/strtab.h"

struct grouptab {
	struct eval_group *item;
	size_t count, cap;
	struct hashmap index;
};

struct evaluation {
	int with_scores;
	size_t nfeatures;
	char *feature[EVAL_MAX_FEATURES];
	struct strtab values[EVAL_MAX_FEATURES];
	struct grouptab cells;
	struct grouptab groups;
	int64_t final_step;
	int any_row;
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

/* --- groups keyed by (step, mask, value[]) ------------------------- */

/* Written out for the six features, not looped: these run once per
 * ingested row, and a loop of six is not unrolled at -O2. */
#if EVAL_MAX_FEATURES != 6
#error "group_hash(), group_matches() and cell_key() assume six features"
#endif

static inline uint64_t group_hash(int64_t step, unsigned mask,
				  const uint32_t *value)
{
	/* a sum of independent products (they run side by side, not one
	 * after another), one mix at the end */
	uint64_t h = (uint64_t)step * UINT64_C(0x9e3779b97f4a7c15) +
		     (uint64_t)mask * UINT64_C(0x8ebc6af09c88c6e3);
	h += value[0] * UINT64_C(0xff51afd7ed558ccd) +
	     value[1] * UINT64_C(0xc4ceb9fe1a85ec53) +
	     value[2] * UINT64_C(0x9fb21c651e98df25);
	h += value[3] * UINT64_C(0xd6e8feb86659fd93) +
	     value[4] * UINT64_C(0xa0761d6478bd642f) +
	     value[5] * UINT64_C(0xe7037ed1a0b428db);
	return mix64(h);
}

static inline int group_matches(const struct eval_group *g, int64_t step,
				unsigned mask, const uint32_t *value)
{
	const uint32_t *v = g->value;
	return ((g->step ^ step) | (int64_t)(g->mask ^ mask) |
		(int64_t)((v[0] ^ value[0]) | (v[1] ^ value[1]) |
			  (v[2] ^ value[2]) | (v[3] ^ value[3]) |
			  (v[4] ^ value[4]) | (v[5] ^ value[5]))) == 0;
}

/* A cell's key: value[j] for the features in mask, 0 for the others. */
static inline void cell_key(uint32_t *key, unsigned mask,
			    const uint32_t *value)
{
	key[0] = mask & 1u ? value[0] : 0;
	key[1] = mask & 2u ? value[1] : 0;
	key[2] = mask & 4u ? value[2] : 0;
	key[3] = mask & 8u ? value[3] : 0;
	key[4] = mask & 16u ? value[4] : 0;
	key[5] = mask & 32u ? value[5] : 0;
}

/* The group for the key, created empty when new; NULL when out of
 * memory, or (*full set) when new and the table holds `max` groups
 * already (max 0: no limit).  The pointer is valid until the next
 * call. */
static struct eval_group *grouptab_get(struct grouptab *t, int with_scores,
				       int64_t step, unsigned mask,
				       const uint32_t *value, size_t max,
				       int *full)
{
	struct hashmap_pos pos;
	uint64_t h = group_hash(step, mask, value);
	for (uint32_t i = hashmap_first(&t->index, h, &pos); i != HASHMAP_NONE;
	     i = hashmap_next(&t->index, &pos)) {
		if (group_matches(&t->item[i], step, mask, value))
			return &t->item[i];
	}
	if (max > 0 && t->count >= max) {
		*full = 1;
		return NULL;
	}
	if (ARRAY_GROW(t->item, t->count + 1, t->cap) != 0)
		return NULL;
	struct eval_group *g = &t->item[t->count];
	memset(g, 0, sizeof *g);
	g->step = step;
	g->mask = mask;
	memcpy(g->value, value, sizeof g->value);
	confusion_init(&g->counts);
	if (with_scores) {
		g->hist = calloc(SCORE_BINS, sizeof *g->hist);
		if (g->hist == NULL)
			return NULL;
	}
	if (hashmap_put(&t->index, &pos, (uint32_t)t->count) != 0) {
		free(g->hist);
		return NULL;
	}
	t->count++;
	return g;
}

static void grouptab_release(struct grouptab *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->item[i].hist);
	free(t->item);
	hashmap_release(&t->index);
	memset(t, 0, sizeof *t);
}

static int popcount(unsigned m)
{
	int n = 0;
	for (; m; m &= m - 1)
		n++;
	return n;
}

/* --- the evaluation ------------------------------------------------- */

struct evaluation *evaluation_new(int with_scores)
{
	struct evaluation *ev = calloc(1, sizeof *ev);
	if (ev != NULL)
		ev->with_scores = with_scores;
	return ev;
}

void evaluation_free(struct evaluation *ev)
{
	if (ev == NULL)
		return;
	for (size_t j = 0; j < ev->nfeatures; j++) {
		free(ev->feature[j]);
		strtab_release(&ev->values[j]);
	}
	grouptab_release(&ev->cells);
	grouptab_release(&ev->groups);
	free(ev);
}

int evaluation_feature(struct evaluation *ev, const char *name, size_t len,
		       struct fail *f)
{
	for (size_t j = 0; j < ev->nfeatures; j++)
		if (strncmp(ev->feature[j], name, len) == 0 &&
		    ev->feature[j][len] == '\0')
			return (int)j;
	if (ev->nfeatures == EVAL_MAX_FEATURES) {
		fail_set(f, FAIL_DATA,
			 "expected at most %d sensitive features, found more",
			 EVAL_MAX_FEATURES);
		return -1;
	}
	char *copy = malloc(len + 1);
	if (copy == NULL) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		return -1;
	}
	memcpy(copy, name, len);
	copy[len] = '\0';
	ev->feature[ev->nfeatures] = copy;
	return (int)ev->nfeatures++;
}

size_t evaluation_feature_count(const struct evaluation *ev)
{
	return ev->nfeatures;
}

const char *evaluation_feature_name(const struct evaluation *ev, size_t j)
{
	return ev->feature[j];
}

int64_t evaluation_value(struct evaluation *ev, size_t j, const char *s,
			 size_t len)
{
	struct strtab *t = &ev->values[j];
	int64_t known = strtab_quick(t, s, len);
	if (known >= 0)
		return known;
	if (strtab_count(t) >= EVAL_MAX_GROUPS && strtab_find(t, s, len) < 0)
		return EVAL_FULL;
	return strtab_intern_full(t, s, len);
}

/* "st", "nd", "rd" or "th", for n written 1st, 2nd, 3rd, 4th. */
static const char *ordinal(size_t n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd"
								    : "th";
}

int evaluation_fail_groups(const struct evaluation *ev, size_t j,
			   const char *s, size_t len, const char *name,
			   long line, struct fail *f)
{
	char feature[64], value[64];
	size_t n = (size_t)EVAL_MAX_GROUPS + 1;
	fail_quote(feature, sizeof feature, ev->feature[j],
		   strlen(ev->feature[j]));
	fail_quote(value, sizeof value, s, len);
	return fail_at(f, name, line,
		       "column '%s': expected at most %d distinct groups, "
		       "found a %zu%s ('%s')", feature, EVAL_MAX_GROUPS, n,
		       ordinal(n), value);
}

int evaluation_fail_cells(const struct evaluation *ev, int64_t step,
			  unsigned mask, const uint32_t *value,
			  const char *name, long line, struct fail *f)
{
	struct eval_group g;
	char label[256], shown[128];
	size_t n = (size_t)EVAL_MAX_CELLS + 1;
	memset(&g, 0, sizeof g);
	g.step = step;
	g.mask = mask;
	memcpy(g.value, value, sizeof g.value);
	/* one feature's label is its bare value: say which feature */
	if (popcount(mask) == 1) {
		char v[128];
		evaluation_group_label(ev, &g, v, sizeof v);
		for (size_t j = 0; j < ev->nfeatures; j++)
			if ((mask >> j) & 1u)
				snprintf(label, sizeof label, "%s=%s",
					 ev->feature[j], v);
	} else {
		evaluation_group_label(ev, &g, label, sizeof label);
	}
	fail_quote(shown, sizeof shown, label, strlen(label));
	return fail_at(f, name, line,
		       "expected at most %d distinct cells (steps times "
		       "combinations of groups), found a %zu%s (step %lld: "
		       "'%s')", EVAL_MAX_CELLS, n, ordinal(n), (long long)step,
		       shown);
}

const char *evaluation_value_name(const struct evaluation *ev, size_t j,
				  uint32_t index)
{
	return strtab_text(&ev->values[j], index);
}

/* The cell, created when new; NULL when out of memory or (*full set)
 * when it would be one more than EVAL_MAX_CELLS. */
static struct eval_group *cell_for(struct evaluation *ev, int64_t step,
				   unsigned mask, const uint32_t *value,
				   int *full)
{
	uint32_t key[EVAL_MAX_FEATURES];
	cell_key(key, mask, value);
	struct eval_group *g = grouptab_get(&ev->cells, ev->with_scores, step,
					    mask, key, EVAL_MAX_CELLS, full);
	if (g != NULL && (!ev->any_row || step > ev->final_step))
		ev->final_step = step;
	if (g != NULL)
		ev->any_row = 1;
	return g;
}

int evaluation_add(struct evaluation *ev, int64_t step, unsigned mask,
		   const uint32_t *value, int truth, int pred, double weight,
		   double score)
{
	/* a cell names only features the evaluation has */
	assert(mask < (1u << evaluation_feature_count(ev)) || mask == 0);
	/* once per row: an existing cell is looked up here, inline;
	 * cell_for() makes a new one */
	uint32_t key[EVAL_MAX_FEATURES];
	struct hashmap_pos pos;
	struct eval_group *g = NULL;
	cell_key(key, mask, value);
	uint64_t h = group_hash(step, mask, key);
	for (uint32_t i = hashmap_first(&ev->cells.index, h, &pos);
	     i != HASHMAP_NONE; i = hashmap_next(&ev->cells.index, &pos)) {
		if (group_matches(&ev->cells.item[i], step, mask, key)) {
			g = &ev->cells.item[i];
			break;
		}
	}
	if (g != NULL) {
		if (step > ev->final_step)
			ev->final_step = step;
	} else {
		int full = 0;
		g = cell_for(ev, step, mask, value, &full);
		if (g == NULL)
			return full ? EVAL_FULL : -1;
	}
	confusion_add(&g->counts, truth, pred, weight);
	if (g->hist != NULL && rate_defined(score)) {
		/* clamped before the conversion: a double beyond int's
		 * range has no defined int value */
		double at = score * SCORE_BINS;
		int bin = at >= SCORE_BINS ? SCORE_BINS - 1
			  : at < 0       ? 0
					 : (int)at;
		g->hist[bin] += weight;
	}
	return 0;
}

int evaluation_add_counts(struct evaluation *ev, int64_t step, unsigned mask,
			  const uint32_t *value, const struct confusion *c)
{
	/* a cell names only features the evaluation has */
	assert(mask < (1u << evaluation_feature_count(ev)) || mask == 0);
	int full = 0;
	struct eval_group *g = cell_for(ev, step, mask, value, &full);
	if (g == NULL)
		return full ? EVAL_FULL : -1;
	confusion_merge(&g->counts, c);
	const struct confusion *sum = &g->counts;
	return isfinite(sum->tp) && isfinite(sum->fp) && isfinite(sum->tn) &&
			       isfinite(sum->fn)
		       ? 0
		       : 1;
}

int evaluation_add_hist(struct evaluation *ev, int64_t step, unsigned mask,
			const uint32_t *value, int bin, double weight)
{
	uint32_t key[EVAL_MAX_FEATURES];
	struct hashmap_pos pos;
	assert(bin >= 0 && bin < SCORE_BINS);
	cell_key(key, mask, value);
	uint64_t h = group_hash(step, mask, key);
	for (uint32_t i = hashmap_first(&ev->cells.index, h, &pos);
	     i != HASHMAP_NONE; i = hashmap_next(&ev->cells.index, &pos)) {
		struct eval_group *g = &ev->cells.item[i];
		if (!group_matches(g, step, mask, key) || g->hist == NULL)
			continue;
		g->hist[bin] += weight;
		return isfinite(g->hist[bin]) ? 0 : -1;
	}
	return 1;
}

/* Add from's counts and histogram into g. */
static void group_add(struct eval_group *g, const struct eval_group *from)
{
	confusion_merge(&g->counts, &from->counts);
	if (g->hist != NULL && from->hist != NULL)
		for (size_t b = 0; b < SCORE_BINS; b++)
			g->hist[b] += from->hist[b];
}

/* Whether from's values and cells fit into `into` beside its own
 * (EVAL_MAX_GROUPS, EVAL_MAX_CELLS). */
static int merge_fits(const struct evaluation *into,
		      const struct evaluation *from)
{
	size_t new_cells = 0;
	for (size_t j = 0; j < from->nfeatures; j++) {
		const struct strtab *t = &from->values[j];
		size_t fresh = 0;
		for (size_t k = 0; k < strtab_count(t); k++)
			fresh += strtab_find(&into->values[j],
					     strtab_text(t, k),
					     strtab_len(t, k)) < 0;
		if (strtab_count(&into->values[j]) + fresh > EVAL_MAX_GROUPS)
			return 0;
	}
	for (size_t i = 0; i < from->cells.count; i++) {
		const struct eval_group *c = &from->cells.item[i];
		uint32_t key[EVAL_MAX_FEATURES] = {0};
		int known = 1;
		for (size_t j = 0; j < from->nfeatures && known; j++) {
			if (!((c->mask >> j) & 1u))
				continue;
			const struct strtab *t = &from->values[j];
			int64_t v = strtab_find(&into->values[j],
						strtab_text(t, c->value[j]),
						strtab_len(t, c->value[j]));
			known = v >= 0;
			key[j] = (uint32_t)v;
		}
		if (known) {
			struct hashmap_pos pos;
			uint64_t h = group_hash(c->step, c->mask, key);
			known = 0;
			for (uint32_t k = hashmap_first(&into->cells.index, h,
							&pos);
			     k != HASHMAP_NONE && !known;
			     k = hashmap_next(&into->cells.index, &pos))
				known = group_matches(&into->cells.item[k],
						      c->step, c->mask, key);
		}
		new_cells += !known;
	}
	return into->cells.count + new_cells <= EVAL_MAX_CELLS;
}

int evaluation_merge(struct evaluation *into, const struct evaluation *from)
{
	if (from->nfeatures != into->nfeatures)
		return -1;
	if (!merge_fits(into, from))
		return EVAL_FULL;
	for (size_t i = 0; i < from->cells.count; i++) {
		const struct eval_group *c = &from->cells.item[i];
		uint32_t value[EVAL_MAX_FEATURES] = {0};
		for (size_t j = 0; j < from->nfeatures; j++) {
			if (!((c->mask >> j) & 1u))
				continue;
			const struct strtab *t = &from->values[j];
			int64_t v = strtab_intern(&into->values[j],
						  strtab_text(t, c->value[j]),
						  strtab_len(t, c->value[j]));
			if (v < 0)
				return -1;
			value[j] = (uint32_t)v;
		}
		int full = 0;
		struct eval_group *g = cell_for(into, c->step, c->mask, value,
						&full);
		if (g == NULL)
			return -1;
		group_add(g, c);
	}
	return 0;
}

/* Add cell into the derived group (step, sub, value & sub). */
static int derive_into(struct evaluation *ev, const struct eval_group *cell,
		       unsigned sub)
{
	uint32_t key[EVAL_MAX_FEATURES];
	for (size_t j = 0; j < EVAL_MAX_FEATURES; j++)
		key[j] = (sub >> j) & 1u ? cell->value[j] : 0;
	int full = 0;
	struct eval_group *g = grouptab_get(&ev->groups, cell->hist != NULL,
					    cell->step, sub, key, 0, &full);
	if (g == NULL)
		return -1;
	group_add(g, cell);
	return 0;
}

static const struct evaluation *sort_ev;


static int compare_groups(const void *pa, const void *pb)
{
	const struct eval_group *a = pa, *b = pb;
	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	return evaluation_group_order(sort_ev, a, b);
}

int evaluation_group_order(const struct evaluation *ev,
			   const struct eval_group *a,
			   const struct eval_group *b)
{
	if (a->mask != b->mask) {
		int ca = popcount(a->mask), cb = popcount(b->mask);
		if (ca != cb)
			return ca - cb;
		return a->mask < b->mask ? -1 : 1;
	}
	for (size_t j = 0; j < ev->nfeatures; j++) {
		if (!((a->mask >> j) & 1u))
			continue;
		int c = strcmp(strtab_text(&ev->values[j], a->value[j]),
			       strtab_text(&ev->values[j], b->value[j]));
		if (c != 0)
			return c;
	}
	return 0;
}

/* A given group's step and its index, to take the groups step by step. */
struct step_index {
	int64_t step;
	size_t index;
};

static int compare_step_index(const void *pa, const void *pb)
{
	const struct step_index *a = pa, *b = pb;
	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Groups given as they are (mixed masks): each step that has no overall
 * gets the sum of its first feature's groups.  The groups are taken in
 * step order through a sorted index, so the work is O(n log n) in the
 * number of groups, not O(n^2). */
static int derive_missing_overalls(struct evaluation *ev)
{
	size_t given = ev->groups.count;
	int rc = 0;
	struct step_index *order = malloc((given ? given : 1) * sizeof *order);
	if (order == NULL)
		return -1;
	for (size_t i = 0; i < given; i++) {
		order[i].step = ev->groups.item[i].step;
		order[i].index = i;
	}
	qsort(order, given, sizeof *order, compare_step_index);
	for (size_t i = 0, end; i < given && rc == 0; i = end) {
		int has_overall = 0;
		unsigned first = 0;
		for (end = i; end < given && order[end].step == order[i].step;
		     end++) {
			unsigned m = ev->groups.item[order[end].index].mask;
			if (m == 0)
				has_overall = 1;
			if (popcount(m) == 1 && (first == 0 || m < first))
				first = m;
		}
		for (size_t k = i; k < end && !has_overall && rc == 0; k++) {
			/* a copy: derive_into may move the groups */
			struct eval_group copy = ev->groups.item[order[k].index];
			if (copy.mask == first)
				rc = derive_into(ev, &copy, 0);
		}
	}
	free(order);
	return rc;
}

int evaluation_finish(struct evaluation *ev)
{
	struct grouptab *cells = &ev->cells;
	unsigned single_mask = 0;
	int mixed = 0;
	for (size_t i = 0; i < cells->count; i++) {
		if (i == 0)
			single_mask = cells->item[i].mask;
		else if (cells->item[i].mask != single_mask)
			mixed = 1;
	}
	for (size_t i = 0; i < cells->count; i++) {
		const struct eval_group *cell = &cells->item[i];
		if (!mixed) {
			/* cells of one feature set: every subset of it,
			 * the overall (0) included, is a sum of cells */
			unsigned m = cell->mask;
			for (unsigned sub = m;; sub = (sub - 1) & m) {
				if (derive_into(ev, cell, sub) != 0)
					return -1;
				if (sub == 0)
					break;
			}
		} else if (derive_into(ev, cell, cell->mask) != 0) {
			return -1;
		}
	}
	if (mixed && derive_missing_overalls(ev) != 0)
		return -1;
	sort_ev = ev;
	if (ev->groups.count > 0) /* item is NULL when nothing was added */
		qsort(ev->groups.item, ev->groups.count,
		      sizeof *ev->groups.item, compare_groups);
	sort_ev = NULL;
	/* the order changed: the index is stale */
	hashmap_release(&ev->groups.index);
	return 0;
}

size_t evaluation_group_count(const struct evaluation *ev)
{
	return ev->groups.count;
}

const struct eval_group *evaluation_group(const struct evaluation *ev,
					  size_t i)
{
	return &ev->groups.item[i];
}

int evaluation_weighs_nothing(const struct evaluation *ev)
{
	for (size_t i = 0; i < ev->groups.count; i++) {
		const struct confusion *c = &ev->groups.item[i].counts;
		if (c->tp > 0 || c->fp > 0 || c->tn > 0 || c->fn > 0)
			return 0;
	}
	return 1;
}

int64_t evaluation_final_step(const struct evaluation *ev)
{
	return ev->final_step;
}

void evaluation_mask_name(const struct evaluation *ev, unsigned mask,
			  char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t j = 0; j < ev->nfeatures && used < size; j++) {
		if (!((mask >> j) & 1u))
			continue;
		int n = snprintf(buf + used, size - used, "%s%s",
				 used ? " & " : "", ev->feature[j]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

void evaluation_group_label(const struct evaluation *ev,
			    const struct eval_group *g, char *buf, size_t size)
{
	size_t used = 0;
	int single = popcount(g->mask) == 1;
	buf[0] = '\0';
	for (size_t j = 0; j < ev->nfeatures && used < size; j++) {
		if (!((g->mask >> j) & 1u))
			continue;
		const char *v = strtab_text(&ev->values[j], g->value[j]);
		int n = single ? snprintf(buf + used, size - used, "%s", v)
			       : snprintf(buf + used, size - used, "%s%s=%s",
					  used ? " & " : "", ev->feature[j], v);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}
