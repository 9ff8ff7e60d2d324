/*
 * findings.c — a judgement in text, JSON and JUnit.  See findings.h.
 */
#include "cli/findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/output.h"
#include "core/json.h"
#include "core/number.h"

/* The rules a gate applies, in the order a person reads them: JUnit's
 * testcases. */
static const char *const gate_rules[] = {
	"dp_difference", "dp_ratio",     "eo_difference", "tpr_drop",
	"selection_drop", "missing_group", "group_shrank", "fewer_rows",
	"class_weights",  "beta_factor",
};
#define NRULES (sizeof gate_rules / sizeof *gate_rules)

void findings_print_text(FILE *out, const struct judgement *j, int indent,
			 enum finding_severity least)
{
	char buf[2048];
	for (int sev = FINDING_FAIL; sev <= (int)least; sev++)
		for (size_t i = 0; i < j->nfindings; i++) {
			const struct finding *f = &j->finding[i];
			if ((int)f->severity != sev)
				continue;
			fprintf(out, "%*s%s  %s\n", indent, "",
				finding_severity_name(f->severity),
				output_safe(buf, sizeof buf, f->message));
		}
}

/* v exact (the shortest text that reads back as v), or "n/a". */
static const char *exact(char *buf, size_t size, double v)
{
	if (!rate_defined(v))
		snprintf(buf, size, "n/a");
	else
		number_format_shortest(buf, size, v);
	return buf;
}


void findings_json(struct json_writer *w, const struct judgement *j)
{
	json_array_begin(w);
	for (size_t i = 0; i < j->nfindings; i++) {
		const struct finding *f = &j->finding[i];
		json_space(w, "\n  ");
		json_object_begin(w);
		json_key(w, "severity");
		json_str(w, finding_severity_name(f->severity));
		json_key(w, "rule");
		json_str(w, f->rule);
		json_key(w, "feature");
		json_str(w, f->feature[0] ? f->feature : NULL);
		json_key(w, "group");
		json_str(w, f->group[0] ? f->group : NULL);
		json_key(w, "baseline");
		json_num(w, f->baseline);
		json_key(w, "candidate");
		json_num(w, f->candidate);
		json_key(w, "threshold");
		json_num(w, f->threshold);
		json_key(w, "low");
		json_num(w, f->low);
		json_key(w, "high");
		json_num(w, f->high);
		json_key(w, "established");
		if (f->established < 0)
			json_null(w);
		else
			json_bool(w, f->established);
		json_key(w, "message");
		json_str(w, f->message);
		json_object_end(w);
	}
	if (j->nfindings)
		json_space(w, "\n");
	json_array_end(w);
}

void findings_print_json(FILE *out, const struct judgement *j)
{
	struct json_writer w;
	json_writer_init(&w, out);
	findings_json(&w, j);
}

void findings_perf_json(struct json_writer *w, const struct judgement *j)
{
	json_array_begin(w);
	for (size_t i = 0; i < j->nperf; i++) {
		const struct perf_change *p = &j->perf[i];
		json_object_begin(w);
		json_key(w, "metric");
		json_str(w, p->name);
		json_key(w, "baseline");
		json_num(w, p->baseline);
		json_key(w, "candidate");
		json_num(w, p->candidate);
		json_key(w, p->in_points ? "change_points" : "change_percent");
		json_num(w, p->change);
		json_object_end(w);
	}
	json_array_end(w);
}

void findings_print_perf_json(FILE *out, const struct judgement *j)
{
	struct json_writer w;
	json_writer_init(&w, out);
	findings_perf_json(&w, j);
}

char *findings_to_json(const struct judgement *j)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);
	if (mem == NULL)
		return NULL;
	findings_print_json(mem, j);
	if (fclose(mem) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

size_t findings_failed(const struct judgement *j)
{
	size_t n = 0;
	for (size_t i = 0; i < j->nfindings; i++)
		n += j->finding[i].severity == FINDING_FAIL;
	return n;
}

size_t findings_rules_failed(const struct judgement *j)
{
	size_t rules = 0;
	for (size_t i = 0; i < j->nfindings; i++) {
		const struct finding *f = &j->finding[i];
		if (f->severity != FINDING_FAIL)
			continue;
		size_t k = 0;
		while (k < i && (j->finding[k].severity != FINDING_FAIL ||
				 strcmp(j->finding[k].rule, f->rule) != 0))
			k++;
		rules += k == i; /* the first FAIL of its rule */
	}
	return rules;
}

static int is_gate_rule(const char *rule)
{
	for (size_t r = 0; r < NRULES; r++)
		if (strcmp(gate_rules[r], rule) == 0)
			return 1;
	return 0;
}

/* One failing finding as a testcase named "rule subject" (the feature
 * and group, when it has them).  A finding about rates carries its
 * interval as a property (as pytest's record_property writes them), so
 * that a CI reads how sure the failure is without parsing the message:
 *   <property name="group group=B"
 *             value="low=0.113 high=0.221 established=yes"/>
 * The bounds are those of the value compared with the threshold (the
 * aggregate, or a group's fall), as in the JSON; exact (shortest round
 * trip), n/a when undefined. */
static void junit_failure(FILE *out, const struct finding *f)
{
	char subject[600], value[256], v[2][40];
	snprintf(subject, sizeof subject, "%s%s%s", f->feature,
		 f->feature[0] && f->group[0] ? " " : "", f->group);
	fputs("    <testcase classname=\"fairtop.gate\" name=\"", out);
	xml_text(out, f->rule);
	if (subject[0]) {
		fputc(' ', out);
		xml_text(out, subject);
	}
	fputs("\">\n", out);
	if (f->established >= 0) {
		snprintf(value, sizeof value,
			 "low=%s high=%s established=%s",
			 exact(v[0], sizeof v[0], f->low),
			 exact(v[1], sizeof v[1], f->high),
			 f->established ? "yes" : "no");
		fputs("      <properties>\n        <property name=\"", out);
		xml_text(out, subject);
		fputs("\" value=\"", out);
		xml_text(out, value);
		fputs("\"/>\n      </properties>\n", out);
	}
	fputs("      <failure message=\"", out);
	xml_text(out, f->message);
	fputs("\" type=\"fairness\">", out);
	xml_text(out, f->message);
	fputs("</failure>\n    </testcase>\n", out);
}

void findings_print_junit(FILE *out, const struct judgement *j,
			  const char *baseline, const char *candidate)
{
	/* a failure is a failing finding, as the text and JSON count
	 * them; a gate rule with none is one passing testcase */
	size_t failures = findings_failed(j);
	size_t tests = failures + NRULES;
	for (size_t r = 0; r < NRULES; r++)
		for (size_t i = 0; i < j->nfindings; i++)
			if (j->finding[i].severity == FINDING_FAIL &&
			    strcmp(j->finding[i].rule, gate_rules[r]) == 0) {
				tests--;
				break;
			}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites tests=\"%zu\" failures=\"%zu\">\n", tests,
		failures);
	fputs("  <testsuite name=\"fairtop gate: ", out);
	xml_text(out, candidate);
	fputs(" against ", out);
	xml_text(out, baseline);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		tests, failures);
	for (size_t r = 0; r < NRULES; r++) {
		int any = 0;
		for (size_t i = 0; i < j->nfindings; i++) {
			const struct finding *f = &j->finding[i];
			if (f->severity != FINDING_FAIL ||
			    strcmp(f->rule, gate_rules[r]) != 0)
				continue;
			junit_failure(out, f);
			any = 1;
		}
		if (!any)
			fprintf(out, "    <testcase classname=\"fairtop.gate\" "
				"name=\"%s\">\n    </testcase>\n",
				gate_rules[r]);
	}
	/* failing findings of rules the list above does not name */
	for (size_t i = 0; i < j->nfindings; i++)
		if (j->finding[i].severity == FINDING_FAIL &&
		    !is_gate_rule(j->finding[i].rule))
			junit_failure(out, &j->finding[i]);
	fputs("    <system-out>", out);
	for (size_t i = 0; i < j->nfindings; i++) {
		const struct finding *f = &j->finding[i];
		if (f->severity == FINDING_FAIL)
			continue;
		xml_text(out, finding_severity_name(f->severity));
		fputs(": ", out);
		xml_text(out, f->message);
		fputs("&#10;", out);
	}
	xml_text(out, j->performance_note);
	fputs("</system-out>\n  </testsuite>\n</testsuites>\n", out);
}
