/*
 * runload.c — load and summarise a run.  See runload.h.
 */
#include "service/runload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/groupset.h"

static enum summary_kind kind_of(const char *kind)
{
	if (strcmp(kind, "overall") == 0)
		return SUMMARY_OVERALL;
	if (strcmp(kind, "feature") == 0)
		return SUMMARY_FEATURE;
	return SUMMARY_INTERSECTION;
}

int runload(struct store *s, const struct stored_run *r,
	    struct loaded_run *out, struct fail *f)
{
	memset(out, 0, sizeof *out);
	if (r->final_step >= 0 &&
	    store_run_groups(s, r->id, r->final_step, &out->groups,
			     &out->ngroups, f) != 0)
		return -1;
	out->input = calloc(out->ngroups ? out->ngroups : 1,
			    sizeof *out->input);
	if (out->input == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	for (size_t i = 0; i < out->ngroups; i++) {
		out->input[i].feature = out->groups[i].feature;
		out->input[i].kind = kind_of(out->groups[i].kind);
		out->input[i].label = out->groups[i].label;
		out->input[i].counts = out->groups[i].counts;
	}
	if (summary_build(out->input, out->ngroups, r->beta_factor,
			  &out->summary) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	return 0;
}

void runload_release(struct loaded_run *lr)
{
	summary_release(&lr->summary);
	stored_groups_free(lr->groups, lr->ngroups);
	free(lr->input);
	memset(lr, 0, sizeof *lr);
}

void runload_group_name(const struct loaded_run *lr, size_t group,
			char *buf, size_t size)
{
	if (group >= lr->ngroups) {
		buf[0] = '\0';
		return;
	}
	const struct stored_group *g = &lr->groups[group];
	if (strcmp(g->kind, "feature") == 0)
		snprintf(buf, size, "%s=%s", g->feature, g->label);
	else
		snprintf(buf, size, "%s", g->label);
}

int runload_group_name_add(const struct loaded_run *lr, size_t group,
			   struct strbuf *out)
{
	if (group >= lr->ngroups)
		return strbuf_failed(out) ? -1 : 0;
	const struct stored_group *g = &lr->groups[group];
	if (strcmp(g->kind, "feature") == 0)
		return strbuf_addf(out, "%s=%s", g->feature, g->label);
	return strbuf_addstr(out, g->label);
}

int runload_group_named(const struct loaded_run *lr, size_t group,
			const char *name)
{
	if (group >= lr->ngroups)
		return 0;
	const struct stored_group *g = &lr->groups[group];
	if (strcmp(g->kind, "feature") != 0)
		return strcmp(name, g->label) == 0;
	size_t n = strlen(g->feature);
	return strncmp(name, g->feature, n) == 0 && name[n] == '=' &&
	       strcmp(name + n + 1, g->label) == 0;
}

uint64_t runload_groups_digest(const struct loaded_run *lr)
{
	uint64_t digest = 0;
	for (size_t i = 0; i < lr->ngroups; i++)
		if (lr->input[i].kind == SUMMARY_FEATURE)
			digest = groupset_add(digest, lr->input[i].feature,
					      lr->input[i].label);
	return digest;
}

long long runload_rows(const struct loaded_run *lr)
{
	for (size_t i = 0; i < lr->ngroups; i++)
		if (lr->input[i].kind == SUMMARY_OVERALL)
			return lr->groups[i].counts.rows;
	return -1;
}
