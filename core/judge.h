/*
 * judge.h — a candidate judged against a baseline, fairness first.
 *
 * The rules of the C07 post-mortem, applied to two runs' final-step
 * evaluations under a policy (policy.h):
 *   - demographic parity difference and ratio, equalized odds
 *     difference, for every feature and intersection of the candidate;
 *   - no group's TPR or selection rate falling by more than the
 *     policy's max_rate_drop against the baseline;
 *   - coverage: every baseline group present, none shrunk beyond the
 *     tolerance, no fewer evaluated rows than the baseline;
 *   - the incident's audits: class weights exact, beta_factor present;
 *   - drift: PSI of group shares and score distributions warns, label
 *     prior shift is noted; neither fails the gate on its own.
 * A rule comparing rates fails only when its breach is established
 * beyond sampling noise (core/disparity.h): the point estimate is beyond
 * the threshold and the simultaneous interval of the comparison behind
 * it excludes no-difference.  A breach that noise could explain warns,
 * "possible, not established", with its interval and sizes.
 * Groups smaller than min_group_size are low-n: their disparities warn
 * and are shown, but do not fail on their own.  Performance is reported
 * next to the verdict and never weighed in it.
 */
#ifndef FAIRTOP_JUDGE_H
#define FAIRTOP_JUDGE_H

#include <stddef.h>

#include "core/classweights.h"
#include "core/policy.h"
#include "core/summary.h"

/* The version of the rules below: part of every verdict's policy digest
 * (core/policy.h), so that a verdict kept by a fairtop with other rules
 * is never read as current.  Change it with any change to what the
 * rules decide. */
#define JUDGE_RULES_VERSION "2026-12-06.2"

/* A metric's last overall value from metrics.csv. */
struct judge_metric {
	const char *name;
	double value;
};

/* One run, as the judge needs it.  Everything borrowed. */
struct judge_run {
	const char *key;
	const struct summary_input *groups; /* final step, summary order */
	const struct run_summary *summary;  /* built over groups */
	const double *const *hist;          /* per group SCORE_BINS, or NULL */
	double beta_factor;                 /* RATE_UNDEFINED when absent */
	const struct class_weight *logged;  /* class_weights as logged */
	size_t nlogged;
	const char *label[2];               /* positive, negative label */
	double label_count[2];              /* rows per label, or undefined */
	const struct judge_metric *metrics;
	size_t nmetrics;
};

enum finding_severity {
	FINDING_FAIL,    /* fails the gate */
	FINDING_WARN,    /* shown, raises a warning alert */
	FINDING_INFO,    /* a note: shown by compare */
};

struct finding {
	enum finding_severity severity;
	char rule[48];       /* e.g. "eo_difference", "missing_group" */
	/* The names and the message are whole, never cut (a group's name
	 * may run to INTERSECTION_NAME_MAX bytes); never NULL.  They point
	 * into `text`, which the judgement owns (judgement_release() frees
	 * it); a finding built by hand may leave text NULL and point them
	 * at strings it keeps. */
	const char *feature; /* "" when not about a feature */
	const char *group;   /* the group that drives it, "" when none */
	double baseline;     /* RATE_UNDEFINED when not applicable */
	double candidate;
	double threshold;
	/* how sure: the simultaneous interval of the value compared with
	 * the threshold (core/disparity.h) and whether the finding is
	 * established beyond sampling noise; established is -1 and the
	 * bounds RATE_UNDEFINED for findings that are not about rates */
	double low, high;
	int established;
	const char *message; /* plain words, one line */
	char *text;          /* owned: feature, group and message */
};

struct perf_change {
	char name[128];
	double baseline, candidate;
	double change;   /* relative change in %, or points for rates */
	int in_points;   /* 1: change is in percentage points */
};

/* Every PSI the judge computed, alarming or not (for the dashboard's
 * drift marks). */
struct drift_value {
	char what[16];      /* "shares" or "scores" */
	const char *feature; /* whole; into text, as a finding's */
	const char *group;   /* "" for shares */
	double psi;
	char *text;          /* owned: feature and group */
};

struct judgement {
	struct finding *finding;
	size_t nfindings;
	int passed;                 /* no FINDING_FAIL */
	struct perf_change *perf;   /* accuracy, F-beta, metrics.csv */
	size_t nperf;
	char performance_note[1024]; /* "throughput +93.1 %, ...: not
				      * considered by the fairness gate" */
	struct drift_value *drift;
	size_t ndrift;
};

/* Judge candidate against baseline.  The same pointer for both judges
 * the run on its own: the rules relative to a baseline (falls,
 * coverage, drift) are not run.  Returns -1 when out of memory.
 * Release with judgement_release(). */
int judge_runs(const struct judge_run *baseline,
	       const struct judge_run *candidate, const struct policy *p,
	       struct judgement *out);
void judgement_release(struct judgement *j);

/* Audits of one run on its own (class weights, beta_factor), added to
 * out; used by judge_runs and by `show`. */
int judge_audit_run(const struct judge_run *run, const struct policy *p,
		    struct judgement *out);

/* "FAIL", "WARN", "INFO" */
const char *finding_severity_name(enum finding_severity s);

#endif
