/*
 * runinfo.h — run.csv: what a run is.
 *
 * A two-column file `key,value` with a header line.  Known keys are
 * checked (required ones present, dates ISO 8601, numbers finite);
 * every other key is kept as a parameter, in file order.
 */
#ifndef FAIRTOP_RUNINFO_H
#define FAIRTOP_RUNINFO_H

#include <stddef.h>

#include "core/classweights.h"
#include "core/fail.h"
#include "core/groups.h"
#include "core/source.h"

/* Names in the `sensitive` key: as many as an evaluation has features. */
#define RUNINFO_MAX_SENSITIVE EVAL_MAX_FEATURES
/* Bytes in a run id: run.csv's `run` and a run named by
 * deployments.csv are refused longer, so RUN_ID_MAX + 1 bytes hold any
 * run id of the store whole, as stored or sanitised (text_sanitize()
 * never makes a text longer). */
#define RUN_ID_MAX 200

struct run_param {
	char *key;
	char *value;
};

struct run_info {
	/* NULL when absent; owned by the struct */
	char *run, *model, *version, *parent, *commit, *data_version;
	char *started_at, *finished_at, *status;
	char *class_weights_text;
	char *positive_label;   /* "1" when absent */
	char *negative_label;   /* NULL when absent: the other label of
				 * predictions.csv; a wide counts.csv
				 * cannot tell it */
	char *sensitive_text;   /* as written */
	double beta_factor;     /* RATE_UNDEFINED when absent */
	struct class_weight class_weights[CLASSWEIGHTS_MAX];
	size_t nclass_weights;  /* 0 when not logged */
	char *sensitive[RUNINFO_MAX_SENSITIVE]; /* split sensitive_text */
	size_t nsensitive;      /* 0: every non-reserved column */
	struct run_param *param; /* the other keys, in file order */
	size_t nparams, params_cap;
};

void runinfo_init(struct run_info *ri);
void runinfo_release(struct run_info *ri);

/* Read run.csv from src (a file or a buffer, named src->name in
 * messages) into *ri (which must be initialised; release it also on
 * error). */
int runinfo_read(const struct source *src, struct run_info *ri,
		 struct fail *f);

/* 1 when s is an ISO 8601 date or date-time: YYYY-MM-DD, optionally
 * followed by THH:MM[:SS[.fraction]] and Z or +HH:MM / -HH:MM (a space
 * may stand for the T). */
int runinfo_is_iso8601(const char *s);

#endif
