/*
 * lineage.h — which run is deployed now.
 */
#ifndef FAIRTOP_LINEAGE_H
#define FAIRTOP_LINEAGE_H

#include <stddef.h>

#include "core/fail.h"
#include "storage/store.h"

/* The run of the last completed deployment into buf: 0 found, 1 none
 * deployed, -1 error. */
int store_deployed_run(struct store *s, char *buf, size_t size,
		       struct fail *f);

#endif
