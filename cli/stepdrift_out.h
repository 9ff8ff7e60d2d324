/*
 * stepdrift_out.h — a run's drift across its own steps
 * (service/stepdrift.h) as `fairtop show` prints it: a table, or a JSON
 * object.
 */
#ifndef FAIRTOP_STEPDRIFT_OUT_H
#define FAIRTOP_STEPDRIFT_OUT_H

#include <stdio.h>

#include "service/stepdrift.h"

void stepdrift_print_text(const struct stepdrift *d, FILE *out);

/* {"steps": 2, "first_step": 500 | null, "last_step": 1000 | null,
 * "groups": [{"group", "first", "last", "psi_scores"}...],
 * "metrics": [{"metric", "group", "first_step", "first", "last_step",
 * "last", "points"}...]}: to a writer (core/json.h) as its next value,
 * or alone to out. */
struct json_writer;
void stepdrift_json(struct json_writer *w, const struct stepdrift *d);
void stepdrift_print_json(const struct stepdrift *d, FILE *out);

#endif
