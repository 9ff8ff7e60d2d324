/*
 * disparity_out.c — an aggregate with its interval, printed.  See
 * disparity_out.h.
 */
#include "cli/disparity_out.h"

#include <string.h>

#include "cli/output.h"
#include "core/json.h"
#include "service/rundisparity.h"

const char *disparity_out_text(char *buf, size_t size,
			       const struct aggregate_ci *a)
{
	char ci[64];
	if (!rate_defined(a->value)) {
		snprintf(buf, size, "n/a");
		return buf;
	}
	disparity_format_interval(a->ci, ci, sizeof ci);
	snprintf(buf, size, "%.3f %s %s", a->value, ci,
		 a->established ? "established" : "not established");
	return buf;
}

const char *disparity_out_text_metric(char *buf, size_t size,
				      const struct aggregate_ci *a)
{
	disparity_out_text(buf, size, a);
	if (rate_defined(a->value) && strcmp(a->metric, "selection rate") != 0) {
		size_t used = strlen(buf);
		snprintf(buf + used, size - used, " (%s)", a->metric);
	}
	return buf;
}

const char *disparity_out_gate_text(char *buf, size_t size,
				    const struct aggregate_both *b)
{
	if (b->ci != NULL)
		return disparity_out_text_metric(buf, size, b->ci);
	return output_rate(buf, size, b->gate);
}

const char *disparity_out_gate_header(char *buf, size_t size,
				      double min_group_size, int upper)
{
	snprintf(buf, size, upper ? "GATE (GROUPS >= %g ROWS)"
				  : "gate (groups >= %g rows)",
		 min_group_size);
	return buf;
}

const char *disparity_out_all_header(int upper)
{
	return upper ? "EVERY GROUP (LOW-N INCLUDED)"
		     : "every group (low-n included)";
}

void disparity_out_both_text(FILE *out, int indent,
			     const struct feature_both *b,
			     double min_group_size)
{
	char gate[64];
	const char *header[] = {
		"AGGREGATE",
		disparity_out_gate_header(gate, sizeof gate, min_group_size, 1),
		disparity_out_all_header(1)};
	static const int right[] = {0, 0, 0};
	struct table *t = table_new(3, header, right);
	if (t == NULL)
		return;
	for (int k = 0; k < BOTH_AGGREGATES; k++) {
		char g[128], a[32];
		const char *cells[] = {
			b->a[k].name,
			disparity_out_gate_text(g, sizeof g, &b->a[k]),
			output_rate(a, sizeof a, b->a[k].all_groups)};
		table_add(t, cells);
	}
	table_print(t, out, indent);
	table_free(t);
}

const char *disparity_out_group_label(char *buf, size_t size,
				      const char *label, int low_n)
{
	snprintf(buf, size, "%s%s", label, low_n ? " *" : "");
	return buf;
}

void disparity_out_low_n_legend(FILE *out, int indent, double min_group_size)
{
	fprintf(out, "%*s* fewer than %g rows: left out of the gate's "
		"aggregates\n", indent, "", min_group_size);
}

/* The JSON object; all_groups, when not NULL, written after value. */
static void write_aggregate(struct json_writer *w, const struct aggregate_ci *a,
			    const double *all_groups)
{
	json_object_begin(w);
	json_key(w, "value");
	json_num(w, a->value);
	if (all_groups != NULL) {
		json_key(w, "value_all_groups");
		json_num(w, *all_groups);
	}
	json_key(w, "low");
	json_num(w, a->ci.low);
	json_key(w, "high");
	json_num(w, a->ci.high);
	json_key(w, "established");
	json_bool(w, a->established);
	json_key(w, "metric");
	json_str(w, a->metric);
	json_object_end(w);
}

void disparity_out_write_json(struct json_writer *w,
			      const struct aggregate_ci *a)
{
	write_aggregate(w, a, NULL);
}

void disparity_out_json(FILE *out, const struct aggregate_ci *a)
{
	struct json_writer w;
	json_writer_init(&w, out);
	write_aggregate(&w, a, NULL);
}

void disparity_out_write_both_json(struct json_writer *w,
				   const struct feature_both *b)
{
	json_key(w, "low_n_groups");
	json_integer(w, (long long)b->low_n);
	json_key(w, "gate_values");
	json_object_begin(w);
	for (int k = 0; k < BOTH_AGGREGATES; k++) {
		json_key(w, b->a[k].key);
		json_num(w, b->a[k].gate);
	}
	json_object_end(w);
	json_key(w, "intervals");
	json_object_begin(w);
	for (int k = 0; k < BOTH_AGGREGATES; k++) {
		if (b->a[k].ci == NULL)
			continue;
		json_key(w, b->a[k].key);
		write_aggregate(w, b->a[k].ci, &b->a[k].all_groups);
	}
	json_object_end(w);
}

void disparity_out_csv(FILE *out, const struct aggregate_ci *a)
{
	if (a == NULL) {
		for (int k = 0; k < 4; k++)
			csv_field(out, "", 0);
		return;
	}
	csv_number(out, a->value, 0);
	csv_number(out, a->ci.low, 0);
	csv_number(out, a->ci.high, 0);
	/* undefined is not "no": nothing was compared */
	csv_field(out, !rate_defined(a->value) ? ""
		       : a->established	       ? "yes"
						: "no", 0);
}

void disparity_out_legend(FILE *out, int indent, double confidence,
			  double min_group_size)
{
	fprintf(out, "%*sintervals: %g %% simultaneous over all of a run's "
		"comparisons, groups under %g rows left out\n", indent, "",
		100 * confidence, min_group_size);
}
