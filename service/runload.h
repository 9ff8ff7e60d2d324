/*
 * runload.h — a stored run with its evaluation summarised, for the
 * commands that show runs.
 */
#ifndef FAIRTOP_RUNLOAD_H
#define FAIRTOP_RUNLOAD_H

#include <stdint.h>

#include "core/strbuf.h"
#include "core/summary.h"
#include "storage/runread.h"

struct loaded_run {
	struct stored_group *groups;
	size_t ngroups;
	struct summary_input *input;
	struct run_summary summary; /* over the final step's groups */
};

/* Load r's groups at its final step and summarise them.  Release with
 * runload_release() (also after an error). */
int runload(struct store *s, const struct stored_run *r,
	    struct loaded_run *out, struct fail *f);
void runload_release(struct loaded_run *lr);

/* "group=B" for the headline's worst group, "" when none, cut to fit
 * buf. */
void runload_group_name(const struct loaded_run *lr, size_t group,
			char *buf, size_t size);

/* The same name appended to out, whole: 0, or -1 when out of memory
 * (out as it was, marked failed). */
int runload_group_name_add(const struct loaded_run *lr, size_t group,
			   struct strbuf *out);

/* 1 when group is called name, as runload_group_name_add() names it;
 * without allocating, so that a lookup by name never fails. */
int runload_group_named(const struct loaded_run *lr, size_t group,
			const char *name);

/* Rows evaluated at the final step (the overall group's), -1 when
 * unknown (counts.csv) or there is no evaluation. */
long long runload_rows(const struct loaded_run *lr);

/* The digest of its groups of sensitive features (core/groupset.h): 0
 * for a run without an evaluation. */
uint64_t runload_groups_digest(const struct loaded_run *lr);

#endif
