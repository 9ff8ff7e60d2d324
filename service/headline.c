/*
 * headline.c — a run's headline from its judgement.  See headline.h.
 */
#include "service/headline.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"

void headline_of(const struct judged_run *jr, const struct judgement *j,
		 const char *baseline, struct run_headline *out)
{
	assert(jr != NULL && j != NULL && out != NULL);
	const struct run_summary *s = &jr->lr.summary;
	memset(out, 0, sizeof *out);
	out->accuracy = s->has_overall ? s->overall.accuracy : RATE_UNDEFINED;
	out->f_beta = s->has_overall ? s->overall.f_beta : RATE_UNDEFINED;
	out->dp = s->dp_difference;
	out->eo = s->eo_difference;
	out->worst_tpr = s->worst_tpr;
	out->throughput = RATE_UNDEFINED;
	for (size_t i = 0; i < jr->nmetrics; i++)
		if (strcmp(jr->metrics[i].name, "throughput") == 0)
			out->throughput = jr->metrics[i].value;
	if (rate_defined(s->worst_tpr) && s->worst_tpr_group < jr->lr.ngroups) {
		const struct summary_input *g = &jr->lr.input[s->worst_tpr_group];
		if (g->kind == SUMMARY_FEATURE)
			snprintf(out->worst_group, sizeof out->worst_group,
				 "%s=%s", g->feature, g->label);
		else
			snprintf(out->worst_group, sizeof out->worst_group,
				 "%s", g->label);
	}
	out->final_rows = runload_rows(&jr->lr);
	out->has_groups_digest = 1;
	out->groups_digest = runload_groups_digest(&jr->lr);
	snprintf(out->baseline, sizeof out->baseline, "%s",
		 baseline ? baseline : "");
	out->gate_passed = j->passed;
	for (size_t i = 0; i < j->nfindings; i++)
		if (j->finding[i].severity == FINDING_FAIL &&
		    out->gate_fails++ == 0)
			text_copy_cut(out->gate_first, sizeof out->gate_first,
				      j->finding[i].message);
}
