/*
 * decisions.h — gate decisions on record.
 *
 * Every `fairtop gate` verdict is stored with both run ids, the policy in
 * force and the findings, so that a post-mortem can see what was known
 * when a model was let through or stopped.
 */
#ifndef FAIRTOP_DECISIONS_H
#define FAIRTOP_DECISIONS_H

#include <stdint.h>

#include "core/fail.h"
#include "storage/store.h"

/* Record a decision made for actor (with a row in the audit log);
 * policy_json and findings_json are JSON texts.  *id (may be NULL) gets
 * the new row's id. */
int store_record_gate(struct store *s, const char *actor,
		      const char *baseline, const char *candidate, int passed,
		      const char *policy_json, const char *findings_json,
		      int64_t *id, struct fail *f);

#endif
