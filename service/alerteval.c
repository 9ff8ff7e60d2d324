/*
 * alerteval.c — alerts for a newly ingested run.  See alerteval.h.
 */
#include "service/alerteval.h"

#include <stdlib.h>
#include <string.h>

#include "service/judgeload.h"
#include "core/alerts.h"
#include "storage/alerts_store.h"
#include "service/headline.h"
#include "storage/lineage.h"
#include "storage/runread.h"

int alerteval_run(struct store *s, const char *run_key,
		  const struct policy *p, size_t *raised, size_t *critical,
		  struct fail *f)
{
	struct judged_run base, cand;
	struct judgement j;
	struct alert_new *a = NULL;
	size_t n = 0;
	char baseline[512];
	int has_baseline = 0;
	int rc = -1;
	memset(&base, 0, sizeof base);
	memset(&cand, 0, sizeof cand);
	memset(&j, 0, sizeof j);
	int got = judgeload_baseline_for(s, run_key, baseline,
					 sizeof baseline, f);
	if (got < 0)
		return -1;
	has_baseline = got == 0;
	if (judgeload(s, run_key, &cand, f) != 0)
		goto out;
	if (has_baseline) {
		if (judgeload(s, baseline, &base, f) != 0 ||
		    judge_runs(&base.view, &cand.view, p, &j) != 0)
			goto out;
	} else {
		/* no baseline: the rules that need none (parity, odds,
		 * audits), as the run judged against itself */
		if (judge_runs(&cand.view, &cand.view, p, &j) != 0)
			goto out;
	}
	if (alerts_from_judgement(&j, p, &a, &n) != 0) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	if (store_alerts_sync(s, run_key, has_baseline ? baseline : NULL,
			      cand.run.started_at, a, n, f) != 0)
		goto out;
	struct run_headline h;
	headline_of(&cand, &j, has_baseline ? baseline : NULL, &h);
	if (store_save_headline(s, cand.run.id, &h, f) != 0)
		goto out;
	if (raised)
		*raised = n;
	if (critical) {
		*critical = 0;
		for (size_t i = 0; i < n; i++)
			*critical += a[i].severity == ALERT_CRITICAL;
	}
	rc = 0;
out:
	free(a);
	judgement_release(&j);
	judgeload_release(&base);
	judgeload_release(&cand);
	return rc;
}
