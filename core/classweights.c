/*
 * classweights.c — balanced class weights.  See classweights.h.
 */
#include "core/classweights.h"

#include <math.h>
#include <string.h>

#include "core/confusion.h"
#include "core/number.h"

void classweights_balanced(const double *counts, size_t k, double *weights)
{
	double n = 0;
	for (size_t i = 0; i < k; i++)
		n += counts[i];
	for (size_t i = 0; i < k; i++)
		weights[i] = rate_ratio(n, (double)k * counts[i]);
}

double classweights_relative_error(double logged, double exact)
{
	if (exact == 0)
		return logged == 0 ? 0 : INFINITY;
	return fabs(logged - exact) / fabs(exact);
}

void classweights_check(const struct class_weight *logged, size_t n,
			const char *const label[2], const double counts[2],
			struct classweight_check *out)
{
	double exact[2] = {RATE_UNDEFINED, RATE_UNDEFINED};
	if (rate_defined(counts[0]) && rate_defined(counts[1]))
		classweights_balanced(counts, 2, exact);
	for (size_t i = 0; i < n; i++) {
		int k = -1;
		for (int c = 0; c < 2 && k < 0; c++)
			if (label[c] != NULL &&
			    strcmp(logged[i].label, label[c]) == 0)
				k = c;
		out[i].label = k;
		out[i].exact = k >= 0 ? exact[k] : RATE_UNDEFINED;
		out[i].relative_error =
			rate_defined(out[i].exact)
				? classweights_relative_error(logged[i].weight,
							      out[i].exact)
				: RATE_UNDEFINED;
	}
}

int classweights_parse(const char *text, const char *where,
		       struct class_weight *out, size_t *n, struct fail *f)
{
	char shown[64], label[64]; /* input quoted for messages */
	const char *p = text;
	*n = 0;
	if (*p == '\0')
		return fail_set(f, FAIL_DATA,
				"%s: key 'class_weights': expected "
				"'label:weight;label:weight', found an empty "
				"value", where);
	while (*p != '\0') {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *colon = memchr(p, ':', len);
		if (colon == NULL || colon == p)
			return fail_set(f, FAIL_DATA,
					"%s: key 'class_weights': expected "
					"'label:weight', found '%s'", where,
					fail_quote(shown, sizeof shown, p, len));
		size_t label_len = (size_t)(colon - p);
		double w;
		const char *num = colon + 1;
		size_t num_len = len - label_len - 1;
		if (number_parse(num, num_len, &w) != NUMBER_OK || w < 0)
			return fail_set(f, FAIL_DATA,
					"%s: key 'class_weights': expected a "
					"non-negative finite weight after '%s:', "
					"found '%s'", where,
					fail_quote(label, sizeof label, p,
						   label_len),
					fail_quote(shown, sizeof shown, num,
						   num_len));
		if (*n == CLASSWEIGHTS_MAX)
			return fail_set(f, FAIL_DATA,
					"%s: key 'class_weights': expected at "
					"most %d labels, found a %dth, '%s'",
					where, CLASSWEIGHTS_MAX,
					CLASSWEIGHTS_MAX + 1,
					fail_quote(label, sizeof label, p,
						   label_len));
		if (label_len >= CLASSWEIGHTS_LABEL_MAX)
			return fail_set(f, FAIL_DATA,
					"%s: key 'class_weights': expected a "
					"label of at most %d bytes, found %zu "
					"bytes, '%s'", where,
					CLASSWEIGHTS_LABEL_MAX - 1, label_len,
					fail_quote(label, sizeof label, p,
						   label_len));
		for (size_t i = 0; i < *n; i++)
			if (strlen(out[i].label) == label_len &&
			    memcmp(out[i].label, p, label_len) == 0)
				return fail_set(f, FAIL_DATA,
						"%s: key 'class_weights': "
						"expected each label once, "
						"found '%s' twice", where,
						fail_quote(label, sizeof label,
							   p, label_len));
		memcpy(out[*n].label, p, label_len);
		out[*n].label[label_len] = '\0';
		out[*n].weight = w;
		(*n)++;
		p += len;
		if (*p == ';')
			p++;
	}
	return 0;
}
