/*
 * classweights.h — balanced class weights, exactly.
 *
 * The C07 incident began with class weights computed as round(w, 3).
 * fairtop recomputes the balanced weights w_c = n / (k * n_c) in full
 * double precision from the label counts and compares them with what the
 * training logged.
 */
#ifndef FAIRTOP_CLASSWEIGHTS_H
#define FAIRTOP_CLASSWEIGHTS_H

#include <stddef.h>

#include "core/fail.h"

#define CLASSWEIGHTS_MAX 16
#define CLASSWEIGHTS_LABEL_MAX 64

struct class_weight {
	char label[CLASSWEIGHTS_LABEL_MAX];
	double weight;
};

/* w_c = n / (k * n_c) for counts[0..k), n their sum.  A class with no
 * examples gets RATE_UNDEFINED. */
void classweights_balanced(const double *counts, size_t k, double *weights);

/* Parse "label:weight;label:weight" as logged in run.csv into
 * out[0..*n).  Errors name `where` ("run.csv:9"). */
int classweights_parse(const char *text, const char *where,
		       struct class_weight *out, size_t *n, struct fail *f);

/* Relative difference |logged - exact| / |exact|. */
double classweights_relative_error(double logged, double exact);

/* One logged weight audited: its label's place (0 the positive label, 1
 * the negative, -1 a label the evaluation does not have), the exact
 * balanced weight of that label and the relative difference
 * (RATE_UNDEFINED when either is unknown). */
struct classweight_check {
	int label;
	double exact;
	double relative_error;
};

/* The audit of the C07 incident, in one place for the gate and `show`:
 * each of logged[0..n) against the exact weights of label[0..2) (NULL
 * when unknown) from counts[0..2) (RATE_UNDEFINED when unknown), into
 * out[0..n). */
void classweights_check(const struct class_weight *logged, size_t n,
			const char *const label[2], const double counts[2],
			struct classweight_check *out);

#endif
