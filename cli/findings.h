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

/* A JSON array of the findings, each structured (severity, rule,
 * feature, group, baseline, candidate, threshold, low, high,
 * established, message): to a writer (core/json.h) as its next value,
 * or alone to out. */
struct json_writer;
void findings_json(struct json_writer *w, const struct judgement *j);
void findings_print_json(FILE *out, const struct judgement *j);

/* A JSON array of the performance changes, to a writer or to out. */
void findings_perf_json(struct json_writer *w, const struct judgement *j);
void findings_print_perf_json(FILE *out, const struct judgement *j);

/* JUnit XML: one testcase per failing finding, named by its rule and
 * subject, with its <failure>; one passing testcase per gate rule
 * without a failing finding; warnings go to system-out.  failures= is
 * findings_failed(). */
void findings_print_junit(FILE *out, const struct judgement *j,
			  const char *baseline, const char *candidate);

/* The findings as a malloc'ed JSON text (caller frees), NULL when out
 * of memory. */
char *findings_to_json(const struct judgement *j);

/* How many findings fail: the gate's count of failures, the same in
 * its text ("11 failures"), JSON ("failures") and JUnit (failures=). */
size_t findings_failed(const struct judgement *j);

/* How many rules those failing findings break (a rule failing for
 * several features or groups counts once). */
size_t findings_rules_failed(const struct judgement *j);

#endif
