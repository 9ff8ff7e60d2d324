/*
 * report_story.c — the post-mortem's story in Markdown, text and JSON.
 * See report_story.h.
 */
#include "cli/report_story.h"

#include <string.h>

#include "cli/findings.h"
#include "cli/output.h"
#include "cli/page_out.h"
#include "core/json.h"

/* --- Markdown ------------------------------------------------------ */

static void md_window(const struct pm_window *w, const struct postmortem *pm)
{
	char day[32], dur[64];
	printf("- **");
	md_text(stdout, w->run);
	printf(" in production while failing the policy**, from %s (%s, ",
	       w->opened, postmortem_day(day, sizeof day, w->opened));
	md_text(stdout, w->kind);
	printf(" by ");
	md_text(stdout, w->actor);
	printf(")");
	postmortem_duration(dur, sizeof dur, w->seconds);
	if (w->closed) {
		printf(" to %s (", w->closed);
		md_text(stdout, w->closed_kind);
		printf(" to ");
		md_text(stdout, w->closed_run);
		printf(" by ");
		md_text(stdout, w->closed_actor);
		printf("): **%s**\n", dur);
		return;
	}
	printf(": **still open**, %s as of %s", dur, pm->now);
	if (pm->rollback_to) {
		printf("; no rollback yet: `fairtop rollback` would go back "
		       "to ");
		md_text(stdout, pm->rollback_to);
	}
	printf("\n");
}

static void md_override(const struct pm_override *o)
{
	char day[32];
	size_t crit = 0;
	for (size_t k = 0; k < o->nfiring; k++)
		crit += strcmp(o->firing[k].severity, "critical") == 0;
	printf("- **OVERRIDE** %s (%s): ", o->time,
	       postmortem_day(day, sizeof day, o->time));
	md_text(stdout, o->run);
	printf(" deployed by **");
	md_text(stdout, o->actor);
	printf("**");
	if (o->imported)
		printf(" (from deployments.csv, recorded %s)",
		       o->recorded ? o->recorded : "at an unknown time");
	printf(", reason: \"");
	md_text(stdout, o->reason);
	printf("\"; %zu alerts firing then (%zu critical)%s", o->nfiring, crit,
	       o->nfiring ? ":" : "");
	for (size_t k = 0; k < o->nfiring; k++) {
		printf("%s #%lld %s ", k ? "," : "", (long long)o->firing[k].id,
		       o->firing[k].severity);
		md_text(stdout, o->firing[k].rule);
		if (o->firing[k].subject && o->firing[k].subject[0]) {
			printf(" ");
			md_text(stdout, o->firing[k].subject);
		}
	}
	printf("\n");
}

void report_story_md(const struct postmortem *pm)
{
	printf("\n## Exposure window\n\n");
	if (pm->nwindow == 0)
		printf("No run failing the policy was ever in production.\n");
	for (size_t i = 0; i < pm->nwindow; i++)
		md_window(&pm->window[i], pm);

	printf("\n## Causes\n");
	for (int c = 0; c < PM_CAUSES; c++) {
		size_t shown = 0;
		printf("\n### %s\n\n", postmortem_cause_title((enum pm_cause)c));
		for (size_t i = 0; i < pm->nitem; i++) {
			const struct pm_item *it = &pm->item[i];
			if (it->cause != (enum pm_cause)c)
				continue;
			shown++;
			printf("- %s ", finding_severity_name(it->severity));
			md_text(stdout, it->text);
			if (it->against) {
				printf(" (at arrival, against ");
				md_text(stdout, it->against);
				printf(")");
			}
			printf("\n");
		}
		if (shown == 0)
			printf("None found.\n");
	}

	printf("\n## Overrides\n\n");
	if (pm->novr == 0)
		printf("None.\n");
	for (size_t i = 0; i < pm->novr; i++)
		md_override(&pm->ovr[i]);

	printf("\n## Rollbacks\n\n");
	if (pm->nrb == 0) {
		printf("None");
		if (pm->rollback_to) {
			printf(": production still fails the policy; `fairtop "
			       "rollback` would go back to ");
			md_text(stdout, pm->rollback_to);
		}
		printf(".\n");
	}
	for (size_t i = 0; i < pm->nrb; i++) {
		const struct pm_rollback *r = &pm->rb[i];
		printf("- %s: ", r->time);
		md_text(stdout, r->from ? r->from : "nothing");
		printf(" -> ");
		md_text(stdout, r->to);
		printf(" by ");
		md_text(stdout, r->actor);
		printf(", reason: \"");
		md_text(stdout, r->reason);
		printf("\"%s%s\n", strcmp(r->state, "done") ? " — " : "",
		       strcmp(r->state, "done") ? r->state : "");
	}

	printf("\n## Findings of each run at arrival\n");
	for (size_t i = 0; i < pm->nrun; i++) {
		const struct pm_run *r = &pm->run[i];
		printf("\n### ");
		md_text(stdout, r->run);
		printf(": %s", r->passed ? "pass" : "FAIL");
		if (r->against) {
			printf(" against ");
			md_text(stdout, r->against);
		} else {
			printf(" on its own");
		}
		printf("\n\n");
		if (r->j.nfindings == 0)
			printf("No findings.\n");
		for (size_t k = 0; k < r->j.nfindings; k++) {
			printf("- %s ",
			       finding_severity_name(r->j.finding[k].severity));
			md_text(stdout, r->j.finding[k].message);
			printf("\n");
		}
	}
}

/* --- text ---------------------------------------------------------- */

void report_story_text(const struct postmortem *pm)
{
	char a[2048], b[512], c[512], day[32], dur[64];
	printf("\nexposure window\n");
	if (pm->nwindow == 0)
		printf("  no run failing the policy was ever in production\n");
	for (size_t i = 0; i < pm->nwindow; i++) {
		const struct pm_window *w = &pm->window[i];
		postmortem_duration(dur, sizeof dur, w->seconds);
		printf("  %s in production while failing the policy, from %s "
		       "(%s, %s by %s)", output_safe(a, sizeof a, w->run),
		       w->opened, postmortem_day(day, sizeof day, w->opened),
		       output_safe(b, sizeof b, w->kind),
		       output_safe(c, sizeof c, w->actor));
		if (w->closed)
			printf(" to %s (%s to %s): %s\n", w->closed,
			       output_safe(b, sizeof b, w->closed_kind),
			       output_safe(c, sizeof c, w->closed_run), dur);
		else
			printf(": still open, %s as of %s%s%s\n", dur, pm->now,
			       pm->rollback_to ? "; no rollback yet: fairtop "
						 "rollback would go back to "
					       : "",
			       pm->rollback_to ? output_safe(b, sizeof b,
							     pm->rollback_to)
					       : "");
	}
	for (int k = 0; k < PM_CAUSES; k++) {
		printf("\ncause: %s\n", postmortem_cause_title((enum pm_cause)k));
		size_t shown = 0;
		for (size_t i = 0; i < pm->nitem; i++) {
			const struct pm_item *it = &pm->item[i];
			if (it->cause != (enum pm_cause)k)
				continue;
			shown++;
			printf("  %-4s %s\n", finding_severity_name(it->severity),
			       output_safe(a, sizeof a, it->text));
		}
		if (shown == 0)
			printf("  none found\n");
	}
	printf("\noverrides\n");
	if (pm->novr == 0)
		printf("  none\n");
	for (size_t i = 0; i < pm->novr; i++) {
		const struct pm_override *o = &pm->ovr[i];
		printf("  !! %s (%s) %s by %s: \"%s\"; %zu alerts firing then\n",
		       o->time, postmortem_day(day, sizeof day, o->time),
		       output_safe(b, sizeof b, o->run),
		       output_safe(c, sizeof c, o->actor),
		       output_safe(a, sizeof a, o->reason), o->nfiring);
	}
	printf("\nrollbacks\n");
	if (pm->nrb == 0)
		printf("  none%s%s\n",
		       pm->rollback_to ? ": production still fails; fairtop "
					 "rollback would go back to "
				       : "",
		       pm->rollback_to ? output_safe(b, sizeof b, pm->rollback_to)
				       : "");
	for (size_t i = 0; i < pm->nrb; i++) {
		const struct pm_rollback *r = &pm->rb[i];
		printf("  << %s %s -> %s by %s: \"%s\"\n", r->time,
		       output_safe(b, sizeof b, r->from ? r->from : "nothing"),
		       output_safe(c, sizeof c, r->to),
		       output_safe(day, sizeof day, r->actor),
		       output_safe(a, sizeof a, r->reason));
	}
	printf("\nfindings of each run at arrival\n");
	for (size_t i = 0; i < pm->nrun; i++) {
		const struct pm_run *r = &pm->run[i];
		printf("  %s: %s %s%s\n", output_safe(b, sizeof b, r->run),
		       r->passed ? "pass" : "FAIL",
		       r->against ? "against " : "on its own",
		       r->against ? output_safe(c, sizeof c, r->against) : "");
		findings_print_text(stdout, &r->j, 4, FINDING_INFO);
	}
}

/* --- JSON ---------------------------------------------------------- */

static void json_window(struct json_writer *w, const struct pm_window *x)
{
	json_object_begin(w);
	json_key(w, "run");
	json_str(w, x->run);
	json_key(w, "kind");
	json_str(w, x->kind);
	json_key(w, "actor");
	json_str(w, x->actor);
	json_key(w, "opened");
	json_str(w, x->opened);
	json_key(w, "closed");
	json_str(w, x->closed);
	json_key(w, "closed_by_run");
	json_str(w, x->closed_run);
	json_key(w, "closed_kind");
	json_str(w, x->closed_kind);
	json_key(w, "seconds");
	json_count(w, x->seconds);
	json_object_end(w);
}

static void json_causes(struct json_writer *w, const struct postmortem *pm)
{
	json_object_begin(w);
	for (int c = 0; c < PM_CAUSES; c++) {
		json_space(w, "\n  ");
		json_key(w, postmortem_cause_key((enum pm_cause)c));
		json_array_begin(w);
		for (size_t i = 0; i < pm->nitem; i++) {
			const struct pm_item *it = &pm->item[i];
			if (it->cause != (enum pm_cause)c)
				continue;
			json_object_begin(w);
			json_key(w, "run");
			json_str(w, it->run);
			json_key(w, "against");
			json_str(w, it->against);
			json_key(w, "rule");
			json_str(w, it->rule);
			json_key(w, "severity");
			json_str(w, finding_severity_name(it->severity));
			json_key(w, "text");
			json_str(w, it->text);
			json_object_end(w);
		}
		json_array_end(w);
	}
	json_object_end(w);
}

static void json_override(struct json_writer *w, const struct pm_override *v)
{
	json_object_begin(w);
	json_key(w, "time");
	json_str(w, v->time);
	json_key(w, "run");
	json_str(w, v->run);
	json_key(w, "actor");
	json_str(w, v->actor);
	json_key(w, "reason");
	json_str(w, v->reason);
	json_key(w, "state");
	json_str(w, v->state);
	json_key(w, "recorded");
	json_str(w, v->recorded);
	json_key(w, "from_history");
	json_bool(w, v->imported);
	json_key(w, "firing_alerts");
	json_array_begin(w);
	for (size_t k = 0; k < v->nfiring; k++) {
		json_object_begin(w);
		json_key(w, "id");
		json_integer(w, (long long)v->firing[k].id);
		json_key(w, "severity");
		json_str(w, v->firing[k].severity);
		json_key(w, "rule");
		json_str(w, v->firing[k].rule);
		json_key(w, "subject");
		json_str(w, v->firing[k].subject);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

static void json_rollback(struct json_writer *w, const struct pm_rollback *r)
{
	json_object_begin(w);
	json_key(w, "time");
	json_str(w, r->time);
	json_key(w, "from");
	json_str(w, r->from);
	json_key(w, "to");
	json_str(w, r->to);
	json_key(w, "actor");
	json_str(w, r->actor);
	json_key(w, "reason");
	json_str(w, r->reason);
	json_key(w, "state");
	json_str(w, r->state);
	json_object_end(w);
}

void report_story_json(struct json_writer *w, const struct postmortem *pm)
{
	json_space(w, "\n ");
	json_key(w, "exposure");
	json_array_begin(w);
	for (size_t i = 0; i < pm->nwindow; i++) {
		json_space(w, "\n  ");
		json_window(w, &pm->window[i]);
	}
	json_array_end(w);
	json_space(w, "\n ");
	json_key(w, "rollback_to");
	json_str(w, pm->rollback_to);
	json_space(w, "\n ");
	json_key(w, "causes");
	json_causes(w, pm);
	json_space(w, "\n ");
	json_key(w, "overrides");
	json_array_begin(w);
	for (size_t i = 0; i < pm->novr; i++) {
		json_space(w, "\n  ");
		json_override(w, &pm->ovr[i]);
	}
	json_array_end(w);
	json_space(w, "\n ");
	json_key(w, "rollbacks");
	json_array_begin(w);
	for (size_t i = 0; i < pm->nrb; i++) {
		json_space(w, "\n  ");
		json_rollback(w, &pm->rb[i]);
	}
	json_array_end(w);
	json_space(w, "\n ");
	json_key(w, "findings_at_arrival");
	json_array_begin(w);
	for (size_t i = 0; i < pm->nrun; i++) {
		const struct pm_run *r = &pm->run[i];
		json_space(w, "\n  ");
		json_object_begin(w);
		json_key(w, "run");
		json_str(w, r->run);
		json_key(w, "against");
		json_str(w, r->against);
		json_key(w, "passed");
		json_bool(w, r->passed);
		json_key(w, "findings");
		findings_json(w, &r->j);
		json_object_end(w);
	}
	json_array_end(w);
}
