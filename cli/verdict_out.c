/*
 * verdict_out.c — verdicts printed.  See verdict_out.h.
 */
#include "cli/verdict_out.h"

#include <string.h>

#include "cli/output.h"
#include "core/json.h"

/* One verdict: see verdicts_json(). */
static void write_verdict(struct json_writer *w, const struct run_verdict *v)
{
	json_object_begin(w);
	json_key(w, "passed");
	json_bool(w, v->passed);
	json_key(w, "baseline");
	json_str(w, v->baseline[0] ? v->baseline : NULL);
	json_key(w, "note");
	json_str(w, v->note[0] ? v->note : NULL);
	json_key(w, "fails");
	json_integer(w, (long long)v->fails);
	json_key(w, "first");
	json_str(w, v->first[0] ? v->first : NULL);
	json_key(w, "policy");
	json_str(w, v->policy);
	json_object_end(w);
}

void verdicts_json(struct json_writer *w,
		   const struct run_verdict v[VERDICT_KINDS])
{
	json_object_begin(w);
	for (int k = 0; k < VERDICT_KINDS; k++) {
		json_key(w, verdict_kind_name((enum verdict_kind)k));
		write_verdict(w, &v[k]);
	}
	json_object_end(w);
}

void verdicts_print_json(FILE *out, const struct run_verdict v[VERDICT_KINDS])
{
	struct json_writer w;
	json_writer_init(&w, out);
	verdicts_json(&w, v);
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
