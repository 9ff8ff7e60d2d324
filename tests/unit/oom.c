/*
 * oom.c — the allocation-fault injector.  See oom.h.
 *
 * The linker's --wrap=malloc turns each call to malloc() in the objects
 * it links into a call to __wrap_malloc() here, and __real_malloc() into
 * the C library's (or the sanitizer's) malloc().
 */
#include "tests/unit/oom.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
time_t __wrap_time(time_t *t);

static int counting; /* between oom_start() and oom_stop() */
static long made;    /* allocations since oom_start() */
static long fail_at; /* the one to fail, 0: none */
static int fired;

/* 1 when this allocation is the one to fail. */
static int fail_now(void)
{
	if (!counting)
		return 0;
	made++;
	if (fail_at == 0 || made != fail_at)
		return 0;
	fired = 1;
	errno = ENOMEM;
	return 1;
}

void oom_start(long n)
{
	made = 0;
	fail_at = n;
	fired = 0;
	counting = 1;
}

long oom_stop(void)
{
	counting = 0;
	return made;
}

int oom_fired(void)
{
	return fired;
}

void *__wrap_malloc(size_t size)
{
	return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return fail_now() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return fail_now() ? NULL : __real_strndup(s, n);
}

time_t __wrap_time(time_t *t)
{
	if (t != NULL)
		*t = OOM_NOW;
	return OOM_NOW;
}

/* SQLite's own allocator, and the same behind the countdown. */
static sqlite3_mem_methods sqlite_mem;

static void *sqlite_malloc(int size)
{
	return fail_now() ? NULL : sqlite_mem.xMalloc(size);
}

static void *sqlite_realloc(void *p, int size)
{
	return fail_now() ? NULL : sqlite_mem.xRealloc(p, size);
}

void oom_init(void)
{
	sqlite3_mem_methods m;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_mem) != SQLITE_OK)
		goto refused;
	m = sqlite_mem;
	m.xMalloc = sqlite_malloc;
	m.xRealloc = sqlite_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK ||
	    sqlite3_initialize() != SQLITE_OK)
		goto refused;
	return;
refused:
	fprintf(stderr, "oom: SQLite would not take the allocator (called "
		"after sqlite3_initialize()?)\n");
	abort();
}
