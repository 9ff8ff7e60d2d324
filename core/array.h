/*
 * array.h — growing an array in place: ARRAY_GROW(), after git's
 * ALLOC_GROW().
 *
 * An array is three things its owner keeps side by side: a pointer to
 * the first element (NULL while nothing was allocated), the number of
 * elements in use and the number allocated, a size_t:
 *
 *	struct list { struct item *item; size_t n, cap; } l = {0};
 *
 *	if (ARRAY_GROW(l.item, l.n + 1, l.cap) != 0)
 *		goto out_of_memory;     (l is as it was, still valid)
 *	l.item[l.n++] = x;
 *
 * The capacity at least doubles (from ARRAY_MIN), so appending one at a
 * time costs O(1) amortized.  Sizes are checked, never wrapped: a need
 * whose size in bytes would pass PTRDIFF_MAX (the largest object C can
 * index safely) fails like an allocation that fails.  On failure the
 * pointer and the capacity are left as they were; the elements are the
 * caller's to free either way.
 *
 * The arguments may be evaluated more than once: pass plain lvalues
 * and counts without side effects, as with git's macro.
 */
#ifndef FAIRTOP_ARRAY_H
#define FAIRTOP_ARRAY_H

#include <stddef.h>

#define ARRAY_MIN 16 /* elements allocated at the first growth */

/* Make items, an array of cap elements, hold at least need: 0, or -1
 * when out of memory or when need elements would not fit in
 * PTRDIFF_MAX bytes.  New elements are not initialised. */
#define ARRAY_GROW(items, need, cap) ARRAY_GROW_(items, need, cap, 0)

/* The same, the new elements (from the old capacity on) set to zero
 * bytes, as calloc() would leave them. */
#define ARRAY_GROW_ZERO(items, need, cap) ARRAY_GROW_(items, need, cap, 1)

/* The check that there is room already is inline: the common case costs
 * one comparison.  The sizeof rejects, at compile time, an `items` that
 * is not a pointer-sized object (an array, say); `cap` must be a size_t
 * (a size_t * is passed). */
#define ARRAY_GROW_(items, need, cap, zero)                                \
	((size_t)(need) <= (cap)                                           \
		 ? 0                                                       \
		 : array_grow_to(&(items), &(cap), (size_t)(need),        \
				 sizeof *(items) +                         \
					 0 * sizeof(char[sizeof(items) ==  \
							 sizeof(void *)    \
						 ? 1                       \
						 : -1]),                   \
				 (zero)))

/* What ARRAY_GROW() calls when it must grow: `pitems` is the address of
 * the array's pointer (any object pointer type), *cap its capacity,
 * elem the size of one element.  Call the macro instead. */
int array_grow_to(void *pitems, size_t *cap, size_t need, size_t elem,
		  int zero);

/* The capacity ARRAY_GROW() would choose to hold need elements of elem
 * bytes, from cap: 0 when none would fit in PTRDIFF_MAX bytes. */
size_t array_next_cap(size_t cap, size_t need, size_t elem);

#endif
