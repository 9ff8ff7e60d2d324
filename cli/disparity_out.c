/*
 * disparity_out.c — an aggregate with its interval, printed.  See
 * disparity_out.h.
 */
#include "cli/disparity_out.h"

#include <string.h>

#include "cli/output.h"
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

const char *disparity_out_text_noted(char *buf, size_t size,
				     const struct aggregate_ci *a,
				     double every_group, int with_metric)
{
	char all[32];
	int metric = with_metric && rate_defined(a->value);
	int differs = rundisparity_differs(every_group, a);
	disparity_out_text(buf, size, a);
	if (!metric && !differs)
		return buf;
	size_t used = strlen(buf);
	snprintf(buf + used, size - used, " (%s%s%s%s)",
		 metric ? a->metric : "", metric && differs ? "; " : "",
		 differs ? output_rate(all, sizeof all, every_group) : "",
		 differs ? " over every group, low-n included" : "");
	return buf;
}

void disparity_out_json(FILE *out, const struct aggregate_ci *a)
{
	fputs("{\"value\": ", out);
	json_number(out, a->value);
	fputs(", \"low\": ", out);
	json_number(out, a->ci.low);
	fputs(", \"high\": ", out);
	json_number(out, a->ci.high);
	fprintf(out, ", \"established\": %s, \"metric\": ",
		a->established ? "true" : "false");
	json_string(out, a->metric);
	fputc('}', out);
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
