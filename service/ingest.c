/*
 * ingest.c — a run and its verdict at arrival, in one transaction.  See
 * ingest.h.
 */
#include "service/ingest.h"

#include "service/alerteval.h"

struct judged_arrival {
	const struct policy *p;
	size_t *raised, *critical;
};

static int judge_arrival(void *ctx, struct store *s, const char *run_key,
			 struct fail *f)
{
	struct judged_arrival *a = ctx;
	return alerteval_run(s, run_key, a->p, a->raised, a->critical, f);
}

int ingest_run(struct store *s, const char *dir, int flags,
	       const struct policy *p, struct ingest_result *res,
	       size_t *raised, size_t *critical, struct fail *f)
{
	struct judged_arrival a = {p, raised, critical};
	return store_ingest_run_then(s, dir, flags, judge_arrival, &a, res, f);
}

int ingest_parts(struct store *s, const struct ingest_parts *parts,
		 int flags, const struct policy *p, struct ingest_result *res,
		 size_t *raised, size_t *critical, struct fail *f)
{
	struct judged_arrival a = {p, raised, critical};
	return store_ingest_parts_then(s, parts, flags, judge_arrival, &a, res,
				       f);
}
