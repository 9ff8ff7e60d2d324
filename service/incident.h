/*
 * incident.h — production against the last fair model, on one page.
 *
 * What the on-call engineer needs first, gathered once for the
 * dashboard's Incident view, `fairtop incident` and the report:
 *   - the verdict: does production pass the policy, how many rules it
 *     breaks, its firing critical alerts;
 *   - the harmed groups: each group driving a failing (or possible)
 *     finding, its TPR and selection rate before (the last fair model)
 *     and after (production), each with its 95 % Wilson interval, low-n
 *     marked;
 *   - what changed: only the run parameters that differ, the evaluation's
 *     coverage (rows, groups absent or new), the data (PSI of group
 *     shares, label prior), the class weights logged against exact, and
 *     beta_factor;
 *   - the claims checked: every performance change next to whether it
 *     is comparable at all (an evaluation that lost or gained rows or
 *     groups is not a fair race; an F-beta without beta_factor is n/a);
 *   - the way out: the rollback target and the fair runs never deployed.
 * Every verdict comes from service/verdict.h and core/judge.h, so this
 * page agrees with every other screen.  Strings are as stored
 * (unsanitised): callers sanitise what they print.
 */
#ifndef FAIRTOP_INCIDENT_H
#define FAIRTOP_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/interval.h"
#include "core/judge.h"
#include "core/policy.h"
#include "service/judgeload.h"
#include "service/verdict.h"
#include "storage/store.h"

/* One rate of a group in one run. */
struct incident_rate {
	double value;      /* RATE_UNDEFINED: n/a */
	struct interval ci; /* 95 % Wilson on the effective size */
	double rows;       /* the group's rows (weighted when unknown) */
	int present;       /* the group is in the run's evaluation */
};

/* A group harmed: one of its rates before and after. */
struct incident_harm {
	char *group;            /* "group=B", "group=B & age=18-25" */
	const char *metric;     /* "TPR", "selection rate" (static) */
	struct incident_rate before, after;
	int low_n;              /* either side under min_group_size */
	enum finding_severity severity; /* of the worst finding naming it */
	int established;        /* that finding is established */
};

/* A run parameter that differs; NULL: not recorded in that run. */
struct incident_change {
	char *name, *before, *after;
};

/* A performance change and whether the comparison means anything. */
struct incident_claim {
	char *name;          /* "throughput", "accuracy", "F-beta", ... */
	double before, after; /* RATE_UNDEFINED when n/a */
	double change;       /* % or points (in_points), or undefined */
	int in_points;
	char *why;           /* NULL: comparable; else why not */
};

/* A group in one evaluation but not the other. */
struct incident_group {
	char *name;
	double rows;
};

/* The class-weight audit of one run (core/classweights.h). */
struct incident_weights {
	size_t n;                /* logged weights, 0: none logged */
	struct class_weight logged[CLASSWEIGHTS_MAX];
	double exact[CLASSWEIGHTS_MAX];  /* RATE_UNDEFINED when unknown */
	double error[CLASSWEIGHTS_MAX];  /* relative difference */
	int inexact;             /* a weight beyond the policy's tolerance */
};

/* The PSI of a feature's group shares. */
struct incident_psi {
	char *feature;
	double psi;
	enum finding_severity severity; /* FINDING_INFO: under warning */
	int established;
};

/* One aggregate of a feature both ways (service/rundisparity.h): the
 * gate's (groups of at least min_group_size rows, with the interval of
 * production's) and over every group, low-n included; before (the last
 * fair model, RATE_UNDEFINED when not compared) and after. */
struct incident_aggregate {
	double gate_before, gate_after;
	struct interval ci;          /* production's gate interval */
	int established;             /* production's, 0 or 1 */
	double all_before, all_after;
};

struct incident_fairness {
	char *feature;               /* "group", "group & age" */
	struct incident_aggregate dp, eo; /* DP and EO differences */
	size_t low_n;                /* production's low-n groups */
};

struct incident {
	int active;            /* production fails, or has firing critical
				* alerts */
	struct production prod; /* what is in production */
	char *prod_actor;         /* who put it there, whole; owned */
	struct run_verdict fair; /* production's fair verdict (when in
				  * the store) */
	size_t firing_critical, firing_warning; /* production's alerts */
	char *last_fair;       /* NULL when no deployed run passes */
	int compared;          /* production judged against last_fair */
	/* production (cand) and the last fair model (base), loaded when
	 * compared; cand alone otherwise (when in the store) */
	struct judged_run base, cand;
	int base_loaded, cand_loaded;
	struct judgement j;    /* cand against base (or on its own) */
	struct incident_harm *harm;
	size_t nharm;
	struct incident_change *change;
	size_t nchange;
	long long rows_before, rows_after; /* -1 unknown */
	struct incident_group *absent, *added;
	size_t nabsent, nadded;
	struct incident_psi *psi;
	size_t npsi;
	double prior_before, prior_after; /* overall label prior */
	double beta_before, beta_after;   /* RATE_UNDEFINED: missing */
	struct incident_weights weights_before, weights_after;
	struct incident_claim *claim;
	size_t nclaim;
	struct incident_fairness *fair_agg; /* each feature of production */
	size_t nfair_agg;
	double min_group_size; /* the policy's: smaller groups are low-n */
	char *not_comparable; /* why the evaluations differ; NULL: alike */
	/* the way out */
	char *rollback_to;    /* the rollback target, NULL when none */
	char **deploy_instead; /* fair runs newer than the target, never
				* deployed, newest first */
	size_t ndeploy_instead;
};

/* Gather the incident page.  0, or -1 with *f filled.  Release with
 * incident_release() in every case. */
int incident_make(struct store *s, const struct policy *p,
		  struct incident *out, struct fail *f);
void incident_release(struct incident *in);

/* Whether two evaluations are alike enough for their performance to be
 * compared: the same rows evaluated (-1: not known, taken as alike) and
 * the same groups of sensitive features (their digests,
 * core/groupset.h; NULL: not known, taken as alike).  The Runs view
 * marks a number on this; the incident says why, from the same groups
 * (the groups absent or new, any size).  A new data_version is shown
 * among what changed, and is not by itself a reason: a team moves to
 * new data together. */
int incident_evaluations_alike(long long rows_a, long long rows_b,
			       const uint64_t *groups_a,
			       const uint64_t *groups_b);

/* Whether two F-betas can be compared: the same beta_factor, or one of
 * them missing (that F-beta is n/a).  The incident labels the F-beta
 * claim on this; the Runs view marks F-BETA. */
int incident_betas_alike(double beta_a, double beta_b);

/* The number of findings of severity sev in in->j. */
size_t incident_count(const struct incident *in, enum finding_severity sev);

#endif
