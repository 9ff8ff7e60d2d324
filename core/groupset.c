/*
 * groupset.c — a set of groups as one number.  See groupset.h.
 *
 * Each group is hashed with 64-bit FNV-1a over the feature's bytes, a
 * NUL, and the label's bytes (the NUL keeps ("ab", "c") apart from
 * ("a", "bc")), then mixed with splitmix64's finaliser, so that the
 * sum of several hashes does not cancel along FNV's regularities.
 */
#include "core/groupset.h"

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t groupset_add(uint64_t digest, const char *feature,
		      const char *label)
{
	uint64_t h = fnv1a(UINT64_C(0xcbf29ce484222325), feature);
	h *= UINT64_C(0x100000001b3); /* the NUL between them (xor 0) */
	h = fnv1a(h, label);
	return digest + mix(h);
}
