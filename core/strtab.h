/*
 * strtab.h — a string table: each distinct string once, by a stable id.
 *
 * strtab_intern() gives the id of a string, adding a copy on first
 * sight; ids count from 0 in the order strings were first seen, so the
 * table doubles as an array of names (strtab_text(t, id)).  Strings are
 * byte strings of a given length (a NUL inside is one more byte); each
 * copy is NUL-terminated too, for printing.  A copy never moves: its
 * pointer is valid until strtab_release().
 *
 * Built for the ingest hot path, where every sensitive value of every
 * row is interned: a one-byte string (A, B, F, M) is one table read,
 * inline; a string of up to 8 bytes is packed into one word, looked for
 * inline in a slot of recent strings picked by that word (26-40, 65+),
 * and otherwise hashed and compared as one word; longer ones are hashed
 * (FNV-1a, mixed) and compared with memcmp.
 */
#ifndef FAIRTOP_STRTAB_H
#define FAIRTOP_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "core/hashmap.h"

#define STRTAB_MAX HASHMAP_MAX /* strings at most */

struct strtab_entry {
	uint64_t packed; /* a string of up to 8 bytes as one word, else 0 */
	size_t len;
	char *text;      /* owned, NUL-terminated */
};

/* A string of 2 to 8 bytes seen lately, in a slot picked by its
 * bytes: a hit is one compare, without the hash map. */
#define STRTAB_RECENT 64
struct strtab_recent {
	uint64_t packed; /* the string as one word, zero-padded */
	uint32_t len;
	uint32_t id1;    /* its id + 1; 0: an empty slot */
};

struct strtab {
	struct strtab_entry *entry; /* by id */
	size_t count, cap;
	struct hashmap index;
	uint32_t one_byte[256]; /* id + 1 of each 1-byte string, 0 = none */
	struct strtab_recent recent[STRTAB_RECENT];
};

/* An empty table (all zero is one too).  strtab_release() frees every
 * copy and leaves the table empty, ready for use again. */
void strtab_init(struct strtab *t);
void strtab_release(struct strtab *t);

/* strtab_intern() without its shortcuts; call that instead. */
int64_t strtab_intern_full(struct strtab *t, const char *s, size_t len);

/* Up to 8 bytes of s as one word, zero-padded, the first byte lowest
 * (the same word on every machine). */
static inline uint64_t strtab_pack(const char *s, size_t len)
{
	uint64_t w = 0;
	for (size_t i = 0; i < len; i++)
		w |= (uint64_t)(unsigned char)s[i] << (8 * i);
	return w;
}

/* The recent slot of a packed string of len bytes. */
static inline size_t strtab_recent_slot(uint64_t packed, size_t len)
{
	return (size_t)(((packed + len) * UINT64_C(0x9e3779b97f4a7c15)) >>
			58);
}

/* The id of s[0..len) when it can be told inline: a one-byte string
 * (a table read), or one of up to 8 bytes in its recent slot (one
 * compare).  -1 otherwise: s may still be in t. */
static inline int64_t strtab_quick(const struct strtab *t, const char *s,
				   size_t len)
{
	if (len == 1)
		return (int64_t)t->one_byte[(unsigned char)s[0]] - 1;
	if (len >= 2 && len <= 8) {
		uint64_t w = strtab_pack(s, len);
		const struct strtab_recent *c =
			&t->recent[strtab_recent_slot(w, len)];
		if (c->id1 != 0 && c->packed == w && c->len == len)
			return (int64_t)c->id1 - 1;
	}
	return -1;
}

/* The id of s[0..len), copied in when new (s is not kept).  -1 when out
 * of memory or the table holds STRTAB_MAX strings (t as it was). */
static inline int64_t strtab_intern(struct strtab *t, const char *s,
				    size_t len)
{
	int64_t id = strtab_quick(t, s, len);
	return id >= 0 ? id : strtab_intern_full(t, s, len);
}

/* The id of s[0..len), or -1 when it is not in t. */
int64_t strtab_find(const struct strtab *t, const char *s, size_t len);

static inline size_t strtab_count(const struct strtab *t)
{
	return t->count;
}

/* The string of an id below strtab_count(): borrowed from t, valid
 * until strtab_release(), NUL-terminated; its length in bytes. */
static inline const char *strtab_text(const struct strtab *t, size_t id)
{
	return t->entry[id].text;
}

static inline size_t strtab_len(const struct strtab *t, size_t id)
{
	return t->entry[id].len;
}

#endif
