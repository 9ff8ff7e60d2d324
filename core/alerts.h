/*
 * alerts.h — which findings become alerts, and how loud.
 *
 * Alert rules, applied to the judgement of a newly ingested run against
 * the deployed run (or the previous run when none is deployed):
 *   - every finding that fails the gate (a policy breach, a group's TPR
 *     or selection-rate drop, a coverage loss, an audit finding) is
 *     critical;
 *   - PSI of group shares or of a score distribution is a warning at
 *     drift.psi_warning and critical at drift.psi_critical when it is
 *     established beyond sampling noise (core/disparity.h), else a
 *     warning;
 *   - other warnings (low-n disparities) are warnings;
 *   - notes are not alerts.
 * The state (firing, acknowledged, resolved) lives in the store.
 */
#ifndef FAIRTOP_ALERTS_H
#define FAIRTOP_ALERTS_H

#include <stddef.h>

#include "core/judge.h"
#include "core/policy.h"

enum alert_severity {
	ALERT_WARNING,
	ALERT_CRITICAL,
};

struct alert_new {
	enum alert_severity severity;
	char rule[48];
	/* whole, never cut (the subject is the alert's identity); never
	 * NULL; into `text` when alerts_from_judgement() made them */
	const char *subject;  /* "feature/group", "feature", "group" or "" */
	const char *message;
	double baseline, candidate, threshold; /* RATE_UNDEFINED when n/a */
	char *text;           /* owned: subject and message, or NULL */
};

/* The alerts a judgement raises, one per (rule, subject).  *out is
 * malloc'ed: the caller frees it with alerts_free(); -1 when out of
 * memory. */
int alerts_from_judgement(const struct judgement *j, const struct policy *p,
			  struct alert_new **out, size_t *n);
/* Free a[0..n) and what each holds; alerts_free(NULL, 0) does nothing. */
void alerts_free(struct alert_new *a, size_t n);

/* "warning", "critical" */
const char *alert_severity_name(enum alert_severity s);

#endif
