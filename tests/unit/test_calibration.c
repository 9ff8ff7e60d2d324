/*
 * test_calibration.c — how often the gate cries wolf, and how often it
 * sees a real harm: a deterministic simulation of runs (issue 12).
 *
 * A run is 4 000 rows (the issue's): every twentieth row is in group C
 * (5 %, 200 rows), seven of twenty in B, the rest in A; four age bands
 * in turn, so that each C & age cell holds 50 rows.  A row's true label
 * is positive with probability 0.3; its prediction positive with
 * probability 0.8 for a true positive and 0.2 for a true negative, the
 * same for every group (a fair process), except that an unfair run
 * lowers both for group C by `gap` (its selection rate, TPR and FPR
 * fall by exactly gap).  A score drawn uniform in [0.5, 1) for a
 * positive prediction, [0, 0.5) otherwise, fills the histograms PSI
 * reads.
 *
 * A trial judges a candidate as fairtop does: on its own (the fair
 * verdict, and a deploy when nothing is in production) and against a
 * baseline drawn from the fair process (the gate against production,
 * and the alerts of its arrival).  It alarms when either judgement
 * fails or raises a critical alert (core/alerts.h).  Each trial draws
 * its own baseline, so that one odd baseline is not counted a hundred
 * times.
 *
 * Asserted, at the default policy (confidence 0.95):
 *   - fair candidates alarm in at most 5 % of trials;
 *   - candidates with a gap of 0.15 on C (200 rows) alarm in at least
 *     80 %.
 * `test_calibration --table` prints both rates over a grid of C's size
 * and the gap (make calibrate; README's table).
 *
 * The generator is splitmix64, seeded per trial: the same numbers on
 * every machine and every run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alerts.h"
#include "core/groups.h"
#include "core/judge.h"

/* --- the generator ------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* uniform in [0, 1), 53 bits */
static double uniform(uint64_t *s)
{
	return (double)(splitmix64(s) >> 11) * 0x1.0p-53;
}

/* --- a simulated run ---------------------------------------------------- */

#define NGRP 3
#define NAGE 4
/* overall, grp's, age's, then grp & age's */
#define NGROUPS (1 + NGRP + NAGE + NGRP * NAGE)

static const char *const grp_label[NGRP] = {"A", "B", "C"};
static const char *const age_label[NAGE] = {"18-25", "26-40", "41-65",
					    "65+"};
static char cell_label[NGRP * NAGE][32];

struct sim_run {
	struct summary_input in[NGROUPS];
	double hist_store[NGROUPS][SCORE_BINS];
	const double *hist[NGROUPS];
	struct run_summary sum;
	struct judge_run run;
};

struct sim_params {
	size_t rows;       /* rows of the run */
	size_t c_every;    /* one row in c_every is in C */
	double gap;        /* C's rates lowered by this */
};

static void sim_labels(void)
{
	for (int g = 0; g < NGRP; g++)
		for (int a = 0; a < NAGE; a++)
			snprintf(cell_label[g * NAGE + a],
				 sizeof cell_label[0], "grp=%s & age=%s",
				 grp_label[g], age_label[a]);
}

static void sim_make(struct sim_run *r, const struct sim_params *sp,
		     uint64_t seed, const char *key)
{
	memset(r, 0, sizeof *r);
	struct summary_input *in = r->in;
	in[0].feature = "";
	in[0].kind = SUMMARY_OVERALL;
	in[0].label = "";
	for (int g = 0; g < NGRP; g++) {
		in[1 + g].feature = "grp";
		in[1 + g].kind = SUMMARY_FEATURE;
		in[1 + g].label = grp_label[g];
	}
	for (int a = 0; a < NAGE; a++) {
		in[1 + NGRP + a].feature = "age";
		in[1 + NGRP + a].kind = SUMMARY_FEATURE;
		in[1 + NGRP + a].label = age_label[a];
	}
	for (int k = 0; k < NGRP * NAGE; k++) {
		in[1 + NGRP + NAGE + k].feature = "grp & age";
		in[1 + NGRP + NAGE + k].kind = SUMMARY_INTERSECTION;
		in[1 + NGRP + NAGE + k].label = cell_label[k];
	}
	for (int i = 0; i < NGROUPS; i++)
		confusion_init(&in[i].counts);
	uint64_t s = seed;
	/* the rest of the twenty split 7 : 12 between B and A when
	 * c_every is 20; in general B takes 7/19 of the non-C rows */
	for (size_t i = 0; i < sp->rows; i++) {
		int g = i % sp->c_every == 0 ? 2
		      : (i % sp->c_every) * 19 < 7 * sp->c_every ? 1
								 : 0;
		int a = (int)((i / sp->c_every) % NAGE);
		int truth = uniform(&s) < 0.3;
		double q = truth ? 0.8 : 0.2;
		if (g == 2)
			q -= sp->gap;
		int pred = uniform(&s) < q;
		double u = uniform(&s);
		int bin = (int)((pred ? 0.5 + u / 2 : u / 2) * SCORE_BINS);
		int idx[4] = {0, 1 + g, 1 + NGRP + a,
			      1 + NGRP + NAGE + g * NAGE + a};
		for (int k = 0; k < 4; k++) {
			confusion_add(&in[idx[k]].counts, truth, pred, 1);
			r->hist_store[idx[k]][bin] += 1;
		}
	}
	for (int i = 0; i < NGROUPS; i++)
		r->hist[i] = r->hist_store[i];
	assert_int_equal(summary_build(in, NGROUPS, 1, &r->sum), 0);
	r->run.key = key;
	r->run.groups = in;
	r->run.summary = &r->sum;
	r->run.hist = r->hist;
	r->run.beta_factor = 1;
	r->run.label[0] = "1";
	r->run.label[1] = "0";
	r->run.label_count[0] = r->run.label_count[1] = RATE_UNDEFINED;
}

/* 1 when judging cand against base fails or raises a critical alert. */
static int alarms(const struct sim_run *base, const struct sim_run *cand,
		  const struct policy *p)
{
	struct judgement j;
	assert_int_equal(judge_runs(&base->run, &cand->run, p, &j), 0);
	int alarm = !j.passed;
	struct alert_new *a = NULL;
	size_t n = 0;
	assert_int_equal(alerts_from_judgement(&j, p, &a, &n), 0);
	for (size_t i = 0; i < n; i++) {
		alarm |= a[i].severity == ALERT_CRITICAL;
		/* CALIBRATION_VERBOSE=1: what alarmed, to see which rule
		 * noise reaches */
		if (a[i].severity == ALERT_CRITICAL &&
		    getenv("CALIBRATION_VERBOSE") != NULL)
			printf("    %s: %s\n", cand->run.key, a[i].message);
	}
	alerts_free(a, n);
	judgement_release(&j);
	return alarm;
}

/* The share of `trials` candidates (gap as given) that alarm on their
 * own or against a fair baseline. */
static double alarm_rate(const struct sim_params *sp, size_t trials,
			 uint64_t seed)
{
	static struct sim_run base, cand;
	struct sim_params fair = *sp;
	struct policy p;
	policy_defaults(&p);
	fair.gap = 0;
	size_t alarmed = 0;
	for (size_t t = 0; t < trials; t++) {
		sim_make(&base, &fair, seed + 2 * t, "base");
		sim_make(&cand, sp, seed + 2 * t + 1, "cand");
		alarmed += alarms(&cand, &cand, &p) || alarms(&base, &cand, &p);
		summary_release(&base.sum);
		summary_release(&cand.sum);
	}
	return (double)alarmed / (double)trials;
}

#ifndef TRIALS
#define TRIALS 400
#endif

static void test_fair_runs_rarely_alarm(void **state)
{
	(void)state;
	struct sim_params sp = {4000, 20, 0};
	double rate = alarm_rate(&sp, TRIALS, 0x5eed0001u);
	printf("  fair runs (C of 200 rows, cells of 50): %.1f %% alarmed "
	       "in %d trials (at most 5 %%)\n", 100 * rate, TRIALS);
	assert_true(rate <= 0.05);
}

static void test_real_gap_detected(void **state)
{
	(void)state;
	struct sim_params sp = {4000, 20, 0.15};
	double rate = alarm_rate(&sp, TRIALS, 0x5eed0002u);
	printf("  gap of 0.15 on C (200 rows): %.1f %% detected in %d trials "
	       "(at least 80 %%)\n", 100 * rate, TRIALS);
	assert_true(rate >= 0.80);
}

/* The same, on 50 and 1 000 rows: the simulation itself is checked by
 * two cases whose answers are not in doubt. */
static void test_extremes(void **state)
{
	(void)state;
	struct sim_params big = {20000, 20, 0.15}; /* C of 1 000 rows */
	assert_true(alarm_rate(&big, 50, 0x5eed0003u) >= 0.98);
	struct sim_params tiny = {1000, 20, 0.15}; /* C of 50 rows */
	assert_true(alarm_rate(&tiny, 100, 0x5eed0004u) <= 0.5);
}

static int print_table(void)
{
	static const size_t sizes[] = {50, 100, 200, 500, 1000};
	static const double gaps[] = {0, 0.05, 0.10, 0.15, 0.20};
	printf("Share of runs that fail the gate or raise a critical alert "
	       "(%d trials each;\nrows of group C across, the real gap of "
	       "C's rates down; 4 000 rows but C's\ntwentieth, default "
	       "policy, confidence 0.95):\n\n", TRIALS);
	printf("| gap \\ C rows |");
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++)
		printf(" %5zu |", sizes[k]);
	printf("\n|---|");
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++)
		printf("---|");
	printf("\n");
	for (size_t g = 0; g < sizeof gaps / sizeof *gaps; g++) {
		printf("| %.2f |", gaps[g]);
		for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
			struct sim_params sp = {sizes[k] * 20, 20, gaps[g]};
			printf(" %4.1f %% |",
			       100 * alarm_rate(&sp, TRIALS,
						0x7ab1e000u + 1000 * g + k));
			fflush(stdout);
		}
		printf("\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	sim_labels();
	if (argc > 1 && strcmp(argv[1], "--table") == 0)
		return print_table();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fair_runs_rarely_alarm),
		cmocka_unit_test(test_real_gap_detected),
		cmocka_unit_test(test_extremes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
