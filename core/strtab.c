/*
 * strtab.c — the string table.  See strtab.h.
 *
 * The strings live in an array of entries by id (ARRAY_GROW), each with
 * its own copy so that copies stay put when the array moves; a hashmap
 * indexes them by hash.  Strings of up to 8 bytes also carry their bytes
 * packed into one word (zero-padded; with the length compared too, "A"
 * and "A\0" stay apart), which is both their hash's input and what a
 * lookup compares.
 */
#include "core/strtab.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"

void strtab_init(struct strtab *t)
{
	memset(t, 0, sizeof *t);
}

void strtab_release(struct strtab *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->entry[i].text);
	free(t->entry);
	hashmap_release(&t->index);
	memset(t, 0, sizeof *t);
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return mix64(h);
}

/* s's hash; *packed gets s as one word when it has up to 8 bytes. */
static uint64_t text_hash(const char *s, size_t len, uint64_t *packed)
{
	*packed = 0;
	if (len > 8)
		return hash_bytes(s, len);
	*packed = strtab_pack(s, len);
	return mix64(*packed + len);
}

static int entry_is(const struct strtab_entry *e, const char *s, size_t len,
		    uint64_t packed)
{
	return e->len == len && (len <= 8 ? e->packed == packed
					  : memcmp(e->text, s, len) == 0);
}

int64_t strtab_find(const struct strtab *t, const char *s, size_t len)
{
	struct hashmap_pos pos;
	uint64_t packed, h = text_hash(s, len, &packed);
	for (uint32_t i = hashmap_first(&t->index, h, &pos); i != HASHMAP_NONE;
	     i = hashmap_next(&t->index, &pos))
		if (entry_is(&t->entry[i], s, len, packed))
			return i;
	return -1;
}

/* Add s, not in t, where the probe at pos stopped. */
static int64_t add(struct strtab *t, const char *s, size_t len,
		   uint64_t packed, const struct hashmap_pos *pos)
{
	if (t->count >= STRTAB_MAX ||
	    ARRAY_GROW(t->entry, t->count + 1, t->cap) != 0)
		return -1;
	char *copy = malloc(len + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	if (hashmap_put(&t->index, pos, (uint32_t)t->count) != 0) {
		free(copy);
		return -1;
	}
	t->entry[t->count] = (struct strtab_entry){packed, len, copy};
	if (len == 1)
		t->one_byte[(unsigned char)s[0]] = (uint32_t)t->count + 1;
	/* cppcheck-suppress memleak ; copy is kept: the entry owns it */
	return (int64_t)t->count++;
}

/* Put id in the recent slot of a string of 2 to 8 bytes. */
static void remember(struct strtab *t, uint64_t packed, size_t len,
		     int64_t id)
{
	if (len < 2 || len > 8 || id < 0)
		return;
	struct strtab_recent *c = &t->recent[strtab_recent_slot(packed, len)];
	c->packed = packed;
	c->len = (uint32_t)len;
	c->id1 = (uint32_t)id + 1;
}

/* The same probe as strtab_find()'s, written out again: this one runs
 * for every value of every row ingested that strtab_intern() did not
 * settle inline. */
int64_t strtab_intern_full(struct strtab *t, const char *s, size_t len)
{
	struct hashmap_pos pos;
	uint64_t packed, h = text_hash(s, len, &packed);
	int64_t id = -1;
	for (uint32_t i = hashmap_first(&t->index, h, &pos); i != HASHMAP_NONE;
	     i = hashmap_next(&t->index, &pos))
		if (entry_is(&t->entry[i], s, len, packed)) {
			id = i;
			break;
		}
	if (id < 0)
		id = add(t, s, len, packed, &pos);
	remember(t, packed, len, id);
	return id;
}
