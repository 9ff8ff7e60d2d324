/*
 * verdict_out.h — a run's verdicts (service/verdict.h) as the commands
 * print them.
 */
#ifndef FAIRTOP_VERDICT_OUT_H
#define FAIRTOP_VERDICT_OUT_H

#include <stdio.h>

#include "service/verdict.h"

struct json_writer; /* core/json.h */

/* {"fair": {...}, "vs_production": {...}, "at_arrival": {...}}, each
 * {"passed": true, "baseline": "r02" | null, "note": "..." | null,
 * "fails": 0, "first": "..." | null, "policy": "digest"}: the next
 * value of w (core/json.h). */
void verdicts_json(struct json_writer *w,
		   const struct run_verdict v[VERDICT_KINDS]);

/* verdicts_json() on its own to out, for callers that print JSON
 * without a writer. */
void verdicts_print_json(FILE *out, const struct run_verdict v[VERDICT_KINDS]);

/* One line: "FAIL against r05: <rule>", "pass on its own (nothing is in
 * production)"; sanitised and whole.  The caller frees it; NULL when
 * out of memory. */
char *verdict_line_new(const struct run_verdict *v);

#endif
