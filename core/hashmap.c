/*
 * hashmap.c — growing, filling and removing from the hash index.  See
 * hashmap.h.
 *
 * The slots hold the low 32 bits of each hash and a slot is picked by
 * the low bits, so nslots must stay at most 2^32: HASHMAP_MAX entries
 * at half load need 2^32 slots exactly.
 */
#include "core/hashmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void hashmap_init(struct hashmap *m)
{
	memset(m, 0, sizeof *m);
}

void hashmap_release(struct hashmap *m)
{
	free(m->slot);
	memset(m, 0, sizeof *m);
}

void hashmap_clear(struct hashmap *m)
{
	if (m->slot != NULL)
		memset(m->slot, 0, m->nslots * sizeof *m->slot);
	m->count = 0;
}

/* Move every entry into nslots new slots (a power of two). */
static int rehash(struct hashmap *m, size_t nslots)
{
	struct hashmap_slot *slot = calloc(nslots, sizeof *slot);
	if (slot == NULL)
		return -1;
	size_t mask = nslots - 1;
	for (size_t i = 0; i < m->nslots; i++) {
		if (m->slot[i].index == 0)
			continue;
		size_t at = (size_t)m->slot[i].hash & mask;
		while (slot[at].index != 0)
			at = (at + 1) & mask;
		slot[at] = m->slot[i];
	}
	free(m->slot);
	m->slot = slot;
	m->nslots = nslots;
	return 0;
}

int hashmap_reserve(struct hashmap *m, size_t count)
{
	if (count > HASHMAP_MAX)
		return -1;
	size_t nslots = m->nslots ? m->nslots : HASHMAP_MIN_SLOTS;
	while (count > nslots / 2) {
		/* at most 2^32 slots (count < 2^31), if size_t holds them */
		if (nslots > SIZE_MAX / 2 / sizeof *m->slot)
			return -1;
		nslots *= 2;
	}
	return nslots == m->nslots ? 0 : rehash(m, nslots);
}

int hashmap_put(struct hashmap *m, const struct hashmap_pos *pos,
		uint32_t index)
{
	if (index >= HASHMAP_MAX)
		return -1;
	size_t at = pos->at;
	if ((m->count + 1) * 2 > m->nslots) {
		if (hashmap_reserve(m, m->count + 1) != 0)
			return -1;
		/* the slots moved: find the free one again */
		at = (size_t)pos->hash & (m->nslots - 1);
		while (m->slot[at].index != 0)
			at = (at + 1) & (m->nslots - 1);
	}
	m->slot[at].hash = pos->hash;
	m->slot[at].index = index + 1;
	m->count++;
	return 0;
}

int hashmap_add(struct hashmap *m, uint64_t hash, uint32_t index)
{
	struct hashmap_pos pos;
	for (uint32_t i = hashmap_first(m, hash, &pos); i != HASHMAP_NONE;
	     i = hashmap_next(m, &pos))
		;
	return hashmap_put(m, &pos, index);
}

void hashmap_remove(struct hashmap *m, const struct hashmap_pos *pos)
{
	size_t mask = m->nslots - 1, hole = pos->at;
	for (size_t at = (hole + 1) & mask; m->slot[at].index != 0;
	     at = (at + 1) & mask) {
		/* an entry may fill the hole when the hole lies between
		 * its home slot and where it is (going round) */
		size_t home = (size_t)m->slot[at].hash & mask;
		if (((at - home) & mask) >= ((at - hole) & mask)) {
			m->slot[hole] = m->slot[at];
			hole = at;
		}
	}
	m->slot[hole].index = 0;
	m->slot[hole].hash = 0;
	m->count--;
}
