/*
 * array.c — the growing half of ARRAY_GROW().  See array.h.
 *
 * The array's pointer is read and written through memcpy(): the caller
 * hands over the address of a `struct x *`, and reading that object as
 * a `void *` lvalue would break C's aliasing rules, while copying its
 * bytes is defined (object pointers share one representation on every
 * platform fairtop builds on, which POSIX requires).
 */
#include "core/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t array_next_cap(size_t cap, size_t need, size_t elem)
{
	size_t limit = (size_t)PTRDIFF_MAX / (elem ? elem : 1);
	if (need > limit)
		return 0;
	size_t next = cap <= limit / 2 ? cap * 2 : limit;
	if (next < ARRAY_MIN)
		next = ARRAY_MIN <= limit ? ARRAY_MIN : limit;
	return next < need ? need : next;
}

int array_grow_to(void *pitems, size_t *cap, size_t need, size_t elem,
		  int zero)
{
	if (need <= *cap)
		return 0;
	size_t next = array_next_cap(*cap, need, elem);
	if (next == 0)
		return -1;
	void *items;
	memcpy(&items, pitems, sizeof items);
	void *grown = realloc(items, next * elem);
	if (grown == NULL)
		return -1;
	if (zero)
		memset((char *)grown + *cap * elem, 0, (next - *cap) * elem);
	memcpy(pitems, &grown, sizeof grown);
	*cap = next;
	/* cppcheck-suppress memleak ; grown is kept, written through pitems */
	return 0;
}
