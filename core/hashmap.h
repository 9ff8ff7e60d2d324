/*
 * hashmap.h — an open-addressing hash index over the caller's array.
 *
 * Every table fairtop hashes keeps its entries in a plain array (groups
 * sorted after the fact, verdicts copied out, interned strings looked
 * up by id), so the map does not hold keys or values: it maps a key's
 * hash to the indexes of the entries that may hold it, and the caller,
 * who knows what a key is, compares.  No callbacks, no copies of keys,
 * and the probe loop is inline, so a lookup on a hot path (a cell per
 * ingested row) costs what a hand-written table would:
 *
 *	struct hashmap_pos pos;
 *	uint64_t h = my_hash(key);
 *	for (uint32_t i = hashmap_first(&m, h, &pos); i != HASHMAP_NONE;
 *	     i = hashmap_next(&m, &pos))
 *		if (my_equal(&item[i], key))
 *			return &item[i];
 *	... append the new entry at index n of the array, then
 *	if (hashmap_put(&m, &pos, n) != 0)
 *		... out of memory
 *
 * Linear probing over a power-of-two array of slots, at most half full;
 * a slot keeps the entry's index and the low 32 bits of its hash, so a
 * probe compares the caller's key only on a hash match and growing never
 * asks the caller for hashes again.  The hash should be well mixed (its
 * low bits pick the slot).  Entries can be removed (backward-shift
 * deletion: no tombstones, lookups stay short).
 *
 * An all-zero struct hashmap is an empty map.  Indexes go from 0 to
 * HASHMAP_MAX - 1.
 */
#ifndef FAIRTOP_HASHMAP_H
#define FAIRTOP_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

#define HASHMAP_NONE UINT32_MAX       /* no (further) entry */
#define HASHMAP_MAX UINT32_C(0x7fffffff) /* entries at most */
#define HASHMAP_MIN_SLOTS 64

struct hashmap_slot {
	uint32_t hash;  /* the low 32 bits of the entry's hash */
	uint32_t index; /* the entry's index + 1; 0: a free slot */
};

struct hashmap {
	struct hashmap_slot *slot; /* nslots of them, or NULL */
	size_t nslots;             /* 0 or a power of two */
	size_t count;              /* entries */
};

/* Where a lookup is: after a hit, the entry's slot (for
 * hashmap_remove()); after a miss, the free slot where the key goes
 * (for hashmap_put()). */
struct hashmap_pos {
	size_t at;
	uint32_t hash;
};

/* An empty map (all zero is one too).  hashmap_release() frees the
 * slots and leaves the map empty, ready for use again. */
void hashmap_init(struct hashmap *m);
void hashmap_release(struct hashmap *m);

/* Forget every entry, keeping the slots' memory. */
void hashmap_clear(struct hashmap *m);

/* Make room for count entries in all without growing on the way: 0, or
 * -1 when out of memory or count passes HASHMAP_MAX (m as it was). */
int hashmap_reserve(struct hashmap *m, size_t count);

/* Record index under the hash of the last hashmap_first() or
 * hashmap_next() that gave HASHMAP_NONE at pos (and nothing put or
 * removed since).  0, or -1 when out of memory or index is not below
 * HASHMAP_MAX (m as it was). */
int hashmap_put(struct hashmap *m, const struct hashmap_pos *pos,
		uint32_t index);

/* Record index under hash without looking whether it is there (filling
 * a map from entries known to differ).  0 or -1 as hashmap_put(). */
int hashmap_add(struct hashmap *m, uint64_t hash, uint32_t index);

/* Remove the entry hashmap_first() or hashmap_next() just gave at pos.
 * Other entries may move to other slots (their indexes stay); the
 * caller's array keeps its entry, whose index is now unused. */
void hashmap_remove(struct hashmap *m, const struct hashmap_pos *pos);

/* The probe, inline: the index at pos->at, or further along, whose
 * slot holds pos->hash; HASHMAP_NONE at the first free slot. */
static inline uint32_t hashmap_scan_(const struct hashmap *m,
				     struct hashmap_pos *pos)
{
	size_t mask = m->nslots - 1;
	for (;; pos->at = (pos->at + 1) & mask) {
		const struct hashmap_slot *s = &m->slot[pos->at];
		if (s->index == 0)
			return HASHMAP_NONE;
		if (s->hash == pos->hash)
			return s->index - 1;
	}
}

/* The first entry whose hash is hash (a candidate: compare its key), or
 * HASHMAP_NONE.  *pos is where the probe stands, for hashmap_next(),
 * hashmap_put() or hashmap_remove(). */
static inline uint32_t hashmap_first(const struct hashmap *m, uint64_t hash,
				     struct hashmap_pos *pos)
{
	pos->hash = (uint32_t)hash;
	pos->at = 0;
	if (m->nslots == 0)
		return HASHMAP_NONE;
	pos->at = (size_t)pos->hash & (m->nslots - 1);
	return hashmap_scan_(m, pos);
}

/* The next candidate after the one at pos, or HASHMAP_NONE.  Only after
 * hashmap_first() or hashmap_next() gave an entry. */
static inline uint32_t hashmap_next(const struct hashmap *m,
				    struct hashmap_pos *pos)
{
	pos->at = (pos->at + 1) & (m->nslots - 1);
	return hashmap_scan_(m, pos);
}

#endif
