/*
 * findings.h — printing a judgement (core/judge.h) as text, JSON or
 * JUnit XML, shared by `compare` and `gate`.
 */
#ifndef FAIRTOP_FINDINGS_H
#define FAIRTOP_FINDINGS_H

#include <stdio.h>

#include "core/judge.h"

/* One line per finding of at least severity `least` (FINDING_INFO for
 * all), FAIL first, then WARN, then INFO. */
void findings_print_text(FILE *out, const struct judgement *j, int indent,
			 enum finding_severity least);

/* A JSON array of the findings. */
void findings_print_json(FILE *out, const struct judgement *j);

/* A JSON array of the performance changes. */
void findings_print_perf_json(FILE *out, const struct judgement *j);

/* JUnit XML: one testcase per gate rule; a rule with FAIL findings is a
 * failure listing them; warnings go to system-out. */
void findings_print_junit(FILE *out, const struct judgement *j,
			  const char *baseline, const char *candidate);

/* The findings as a malloc'ed JSON text (caller frees), NULL when out
 * of memory. */
char *findings_to_json(const struct judgement *j);

/* How many of the gate's rules fail (a rule failing for several
 * features or groups counts once): JUnit's failures, and the text's
 * "N fairness rules violated". */
size_t findings_rules_failed(const struct judgement *j);

#endif
