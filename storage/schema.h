/*
 * schema.h — the store's schema, as numbered migrations.
 *
 * Migration k (1-based) takes a store from PRAGMA user_version k-1 to k.
 * Migrations are only ever appended: a released one never changes.
 */
#ifndef FAIRTOP_SCHEMA_H
#define FAIRTOP_SCHEMA_H

#include <stddef.h>

/* The SQL of migration k (1..schema_version()). */
const char *schema_migration(int k);

/* The newest schema version this build knows. */
int schema_version(void);

/* The k-th (0-based) trigger that keeps the record append-only: its SQL
 * (CREATE TRIGGER) with *name set, or NULL past the last.  Borrowed,
 * static. */
const char *schema_guard(size_t k, const char **name);

#endif
