/*
 * verdict_out.c — verdicts printed.  See verdict_out.h.
 */
#include "cli/verdict_out.h"

#include <stdlib.h>
#include <string.h>

#include "cli/output.h"
#include "core/json.h"
#include "core/strbuf.h"

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
	json_str(w, v->first);
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

char *verdict_line_new(const struct run_verdict *v)
{
	char *raw;
	if (v->baseline[0])
		raw = strbuf_dupf("%s against %s%s%s", verdict_word(v),
				  v->baseline, v->fails ? ": " : "",
				  v->fails ? verdict_first(v) : "");
	else
		raw = strbuf_dupf("%s on its own%s%s%s%s%s", verdict_word(v),
				  v->note[0] ? " (" : "", v->note,
				  v->note[0] ? ")" : "", v->fails ? ": " : "",
				  v->fails ? verdict_first(v) : "");
	char *line = raw ? output_safe_new(raw) : NULL;
	free(raw);
	return line;
}
