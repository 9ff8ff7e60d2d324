/*
 * alerteval.c — alerts for a newly ingested run.  See alerteval.h.
 */
#include "service/alerteval.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "service/judgeload.h"
#include "service/verdict.h"
#include "storage/summary_store.h"
#include "core/alerts.h"
#include "storage/alerts_store.h"
#include "service/headline.h"
#include "storage/runread.h"

int alerteval_run(struct store *s, const char *run_key,
		  const struct policy *p, size_t *raised, size_t *critical,
		  struct fail *f)
{
	struct verdict_ctx vc;
	struct judged_run cand;
	struct judgement j;
	struct run_verdict v, fair;
	const struct judged_run *base = NULL;
	struct alert_new *a = NULL;
	size_t n = 0;
	int rc = -1;
	memset(&v, 0, sizeof v);
	memset(&fair, 0, sizeof fair);
	memset(&cand, 0, sizeof cand);
	memset(&j, 0, sizeof j);
	/* the run's verdict at arrival: against what was in production
	 * when it started, else on its own */
	if (verdict_ctx_init(&vc, s, p, f) != 0 ||
	    judgeload(s, run_key, &cand, f) != 0 ||
	    verdict_ctx_one(&vc, &cand, VERDICT_AT_ARRIVAL, &v, &j, &base,
			    f) != 0)
		goto out;
	if (alerts_from_judgement(&j, p, &a, &n) != 0) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	assert(n == 0 || a != NULL);
	if (store_alerts_sync(s, run_key, base ? base->run.key : NULL,
			      cand.run.started_at, a, n, f) != 0)
		goto out;
	struct run_headline h;
	headline_of(&cand, &j, base ? base->run.key : NULL, &h);
	/* its fair verdict too, and both kept for every screen to read */
	if (store_save_headline(s, cand.run.id, &h, f) != 0 ||
	    verdict_ctx_one(&vc, &cand, VERDICT_FAIR, &fair, NULL, NULL,
			    f) != 0 ||
	    verdict_ctx_flush(&vc, f) != 0)
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
	run_verdict_release(&v);
	run_verdict_release(&fair);
	alerts_free(a, n);
	judgement_release(&j);
	judgeload_release(&cand);
	verdict_ctx_release(&vc);
	return rc;
}

struct stale_arrival {
	struct verdict_ctx *vc;
	char **keys; /* owned copies */
	size_t n, cap;
};

/* Collect the runs whose kept arrival baseline differs from the one the
 * history gives now (a run without a kept summary is judged too). */
static int stale_run(void *ctx, const struct run_headline_row *r,
		     struct fail *f)
{
	struct stale_arrival *sa = ctx;
	struct verdict_run_ref ref = {r->id, r->key, r->started_at};
	char base[256];
	int got = verdict_ctx_baseline(sa->vc, &ref, VERDICT_AT_ARRIVAL, base,
				       sizeof base, NULL, 0, f);
	if (got < 0)
		return -1;
	if (r->kept != NULL && strcmp(r->kept->baseline, base) == 0)
		return 0;
	char *key = strdup(r->key);
	if (key == NULL || ARRAY_GROW(sa->keys, sa->n + 1, sa->cap) != 0) {
		free(key);
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	sa->keys[sa->n++] = key;
	return 0;
}

int alerteval_arrivals(struct store *s, const struct policy *p,
		       size_t *judged, struct fail *f)
{
	struct verdict_ctx vc;
	struct stale_arrival sa = {&vc, NULL, 0, 0};
	int rc = -1;
	if (judged)
		*judged = 0;
	if (verdict_ctx_init(&vc, s, p, f) != 0 ||
	    store_each_run_headline(s, 0, stale_run, &sa, f) != 0)
		goto out;
	for (size_t i = 0; i < sa.n; i++) {
		if (store_begin(s, f) != 0)
			goto out;
		if (alerteval_run(s, sa.keys[i], p, NULL, NULL, f) != 0) {
			store_rollback(s);
			goto out;
		}
		if (store_commit(s, f) != 0)
			goto out;
		if (judged)
			(*judged)++;
	}
	rc = 0;
out:
	for (size_t i = 0; i < sa.n; i++)
		free(sa.keys[i]);
	free(sa.keys);
	verdict_ctx_release(&vc);
	return rc;
}
