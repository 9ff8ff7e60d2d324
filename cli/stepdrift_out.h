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
void stepdrift_print_json(const struct stepdrift *d, FILE *out);

#endif
