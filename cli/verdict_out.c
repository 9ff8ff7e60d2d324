/*
 * verdict_out.c — verdicts printed.  See verdict_out.h.
 */
#include "cli/verdict_out.h"

#include <string.h>

#include "cli/output.h"

static void string_or_null(FILE *out, const char *s)
{
	if (s[0])
		json_string(out, s);
	else
		fputs("null", out);
}

void verdict_print_json(FILE *out, const struct run_verdict *v)
{
	fprintf(out, "{\"passed\": %s, \"baseline\": ",
		v->passed ? "true" : "false");
	string_or_null(out, v->baseline);
	fputs(", \"note\": ", out);
	string_or_null(out, v->note);
	fprintf(out, ", \"fails\": %zu, \"first\": ", v->fails);
	string_or_null(out, v->first);
	fputs(", \"policy\": ", out);
	json_string(out, v->policy);
	fputs("}", out);
}

void verdicts_print_json(FILE *out, const struct run_verdict v[VERDICT_KINDS])
{
	fputs("{", out);
	for (int k = 0; k < VERDICT_KINDS; k++) {
		fprintf(out, "%s\"%s\": ", k ? ", " : "",
			verdict_kind_name((enum verdict_kind)k));
		verdict_print_json(out, &v[k]);
	}
	fputs("}", out);
}

const char *verdict_line(char *buf, size_t size, const struct run_verdict *v)
{
	char raw[2048];
	if (v->baseline[0])
		snprintf(raw, sizeof raw, "%s against %s%s%s",
			 verdict_word(v), v->baseline, v->fails ? ": " : "",
			 v->first);
	else
		snprintf(raw, sizeof raw, "%s on its own%s%s%s%s",
			 verdict_word(v), v->note[0] ? " (" : "", v->note,
			 v->note[0] ? ")" : "", v->fails ? ": " : "");
	if (!v->baseline[0] && v->fails)
		snprintf(raw + strlen(raw), sizeof raw - strlen(raw), "%s",
			 v->first);
	return output_safe(buf, size, raw);
}
