/*
 * test_stepdrift.c — service/stepdrift.c: how a run's groups moved from
 * its first evaluation step to its last, on small stores.
 *
 * r1 is evaluated at steps 10, 15 and 20 (predictions.csv with scores,
 * features sex and age).  Step 15 holds two odd rows of sex=F only: a
 * drift that read the middle step, or the second step instead of the
 * last, would see other rates.  The rows, as (y_true, y_pred, score):
 *
 *   step 10  sex=F  (1,1,.955) (1,1,.955) (0,0,.055) (0,0,.055)
 *            sex=M  (1,1,.855) (1,1,.855) (0,0,.155) (0,0,.155)
 *   step 20  sex=F  (1,1,.915) (1,1,.995) (0,0,.055) (0,0,.055)
 *            sex=M  (1,1,.855) (1,1,.855) (0,1,.855) (0,0,.155)
 *
 * every row with age=y.  Scores sit in the middle of their 1/100 bins
 * (.955 is bin 95), away from any rounding at a bin's edge.
 *
 * Rates, by hand: sex=F is the same at both ends (n 4, selection 2/4 =
 * .5, TPR 1, FPR 0).  sex=M goes from selection .5, TPR 1, FPR 0 to
 * selection 3/4, TPR 2/2 = 1, FPR 1/2, precision 2/3; with the run's
 * beta_factor 2, F-beta = (1+4) P R / (4 P + R) = (10/3) / (11/3) =
 * 10/11 (with beta 1 it would be 0.8).  (all) goes from selection 4/8 =
 * .5, FPR 0/4 to selection 5/8, FPR 1/4.
 *
 * PSI of scores, first vs last, at the default 10 bins (the policy's
 * psi_bins): sex=F has bins 9 and 0 at half each on both sides: 0.
 * sex=M has bins 8 and 1 at .5/.5, then .75/.25:
 *   (.75-.5) ln(.75/.5) + (.25-.5) ln(.25/.5) = .25 ln 1.5 + .25 ln 2
 *   = .25 ln 3.
 * (all), eight rows, bins 0, 1, 8, 9 at .25 each, then .25, .125, .375,
 * .25: .125 ln 1.5 + .125 ln 2 = .125 ln 3.
 * At 100 bins sex=F moves: bin 95 (.5) empties, bins 91 and 99 (.25
 * each) fill; an empty side counts as 1e-4 (core/drift.h):
 *   (1e-4 - .5) ln(1e-4/.5) + 2 (.25 - 1e-4) ln(.25/1e-4)
 *   = .4999 ln 5000 + .4998 ln 2500,
 * so a drift that ignored the policy's bins would be caught.
 *
 * metrics.csv of r1: accuracy .5, .6, .75 at 10, 15, 20; loss .9, .4 at
 * 10, 20; tpr of sex=F 1, .9 at 10, 20.  The spans come overall first,
 * then by metric name: accuracy, loss, then tpr (sex=F).
 *
 * r2 (counts.csv) gains a group at its last step: sex=X is not in the
 * first step, so it has no drift and is left out.  r3 has one step: no
 * drift at all.
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
#include <sys/stat.h>

#include "tests/unit/fixture.h"
#include "core/confusion.h"
#include "core/groups.h"
#include "core/policy.h"
#include "service/stepdrift.h"
#include "storage/ingest.h"
#include "storage/runread.h"

#define EPS 1e-12

/* got within eps of want, else fail naming the expression. */
static void near_double(double got, double want, double eps,
			const char *what, const char *file, int line)
{
	if (!(fabs(got - want) <= eps)) {
		print_error("%s:%d: %s: got %.17g, want %.17g (within %g)\n",
			    file, line, what, got, want, eps);
		_fail(file, line);
	}
}
#define assert_near(got, want, eps) \
	near_double((got), (want), (eps), #got, __FILE__, __LINE__)

static int tmp_make(void **state)
{
	(void)state;
	return fixture_make_dir("stepdrift");
}

static int tmp_done(void **state)
{
	(void)state;
	fixture_remove_tree(fixture_dir);
	return 0;
}

/* Ingest a run folder fixture_dir/key holding run.csv (with beta) and
 * the files given (NULL: none): eval_name is predictions.csv or
 * counts.csv. */
static void ingest(struct store *s, const char *key, const char *beta,
		   const char *eval_name, const char *eval,
		   const char *metrics)
{
	char dir[256], text[512];
	struct ingest_result res;
	struct fail f;
	snprintf(dir, sizeof dir, "%s/%s", fixture_dir, key);
	mkdir(dir, 0755);
	snprintf(text, sizeof text,
		 "key,value\nrun,%s\nmodel,m\nstarted_at,2026-01-01T00:00:00Z\n"
		 "beta_factor,%s\n", key, beta);
	fixture_write_file(dir, "run.csv", text);
	if (eval != NULL)
		fixture_write_file(dir, eval_name, eval);
	if (metrics != NULL)
		fixture_write_file(dir, "metrics.csv", metrics);
	fail_init(&f);
	if (store_ingest_run(s, dir, 0, &res, &f) != 0)
		fail_msg("ingest %s: %s", key, f.msg);
}

static const char R1_PREDICTIONS[] =
	"step,y_true,y_pred,score,sex,age\n"
	"10,1,1,0.955,F,y\n10,1,1,0.955,F,y\n"
	"10,0,0,0.055,F,y\n10,0,0,0.055,F,y\n"
	"10,1,1,0.855,M,y\n10,1,1,0.855,M,y\n"
	"10,0,0,0.155,M,y\n10,0,0,0.155,M,y\n"
	"15,1,0,0.555,F,y\n15,0,1,0.555,F,y\n"
	"20,1,1,0.915,F,y\n20,1,1,0.995,F,y\n"
	"20,0,0,0.055,F,y\n20,0,0,0.055,F,y\n"
	"20,1,1,0.855,M,y\n20,1,1,0.855,M,y\n"
	"20,0,1,0.855,M,y\n20,0,0,0.155,M,y\n";

static const char R1_METRICS[] =
	"step,timestamp,metric,group,value\n"
	"10,,loss,,0.9\n20,,loss,,0.4\n"
	"10,,accuracy,,0.5\n15,,accuracy,,0.6\n20,,accuracy,,0.75\n"
	"10,,tpr,sex=F,1\n20,,tpr,sex=F,0.9\n";

/* stepdrift_load of the run called key under policy p; fails the test
 * when it fails. */
static void load(struct store *s, const char *key, const struct policy *p,
		 struct stepdrift *d)
{
	struct stored_run r;
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_find_run(s, key, &r, &f), 0);
	if (stepdrift_load(s, &r, p, d, &f) != 0)
		fail_msg("stepdrift_load %s: %s", key, f.msg);
	stored_run_release(&r);
}

static const struct step_group *find(const struct stepdrift *d,
				     const char *name)
{
	for (size_t i = 0; i < d->ngroups; i++)
		if (strcmp(d->group[i].name, name) == 0)
			return &d->group[i];
	fail_msg("no group '%s' in the drift", name);
	return NULL;
}

static void test_first_and_last_step(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	struct stepdrift d;
	policy_defaults(&p);
	ingest(s, "r1", "2", "predictions.csv", R1_PREDICTIONS, R1_METRICS);
	load(s, "r1", &p, &d);

	assert_int_equal(d.nsteps, 3);
	assert_int_equal(d.first_step, 10);
	assert_int_equal(d.last_step, 20);
	/* overall, each feature's groups; the intersections (sex=F & age=y,
	 * sex=M & age=y) are left out */
	assert_int_equal(d.ngroups, 4);
	assert_string_equal(d.group[0].name, "(all)");
	for (size_t i = 0; i < d.ngroups; i++)
		assert_null(strstr(d.group[i].name, "&"));

	const struct step_group *f = find(&d, "sex=F");
	assert_near(f->first.n, 4, EPS);
	assert_near(f->last.n, 4, EPS);
	assert_near(f->first.selection_rate, 0.5, EPS);
	assert_near(f->last.selection_rate, 0.5, EPS);
	assert_near(f->last.tpr, 1, EPS);
	assert_near(f->last.fpr, 0, EPS);
	assert_near(f->psi, 0, EPS);

	const struct step_group *m = find(&d, "sex=M");
	assert_near(m->first.selection_rate, 0.5, EPS);
	assert_near(m->first.fpr, 0, EPS);
	assert_near(m->last.selection_rate, 0.75, EPS);
	assert_near(m->last.tpr, 1, EPS);
	assert_near(m->last.fpr, 0.5, EPS);
	assert_near(m->last.precision, 2.0 / 3.0, EPS);
	/* the run's beta_factor 2, not 1 (which gives 0.8) */
	assert_near(m->last.f_beta, 10.0 / 11.0, EPS);
	assert_near(m->psi, 0.25 * log(3), EPS);

	const struct step_group *all = find(&d, "(all)");
	assert_near(all->first.n, 8, EPS);
	assert_near(all->first.selection_rate, 0.5, EPS);
	assert_near(all->last.selection_rate, 0.625, EPS);
	assert_near(all->first.fpr, 0, EPS);
	assert_near(all->last.fpr, 0.25, EPS);
	assert_near(all->psi, 0.125 * log(3), EPS);

	/* age has one group, y: every row, so it moves as (all) does */
	const struct step_group *age = find(&d, "age=y");
	assert_near(age->last.selection_rate, 0.625, EPS);
	assert_near(age->psi, 0.125 * log(3), EPS);

	/* the metric history: overall first, then by name */
	assert_int_equal(d.nspans, 3);
	assert_string_equal(d.spans[0].metric, "accuracy");
	assert_string_equal(d.spans[0].group, "");
	assert_int_equal(d.spans[0].points, 3);
	assert_int_equal(d.spans[0].first_step, 10);
	assert_int_equal(d.spans[0].last_step, 20);
	assert_near(d.spans[0].first, 0.5, EPS);
	assert_near(d.spans[0].last, 0.75, EPS);
	assert_string_equal(d.spans[1].metric, "loss");
	assert_int_equal(d.spans[1].points, 2);
	assert_near(d.spans[1].first, 0.9, EPS);
	assert_near(d.spans[1].last, 0.4, EPS);
	assert_string_equal(d.spans[2].metric, "tpr");
	assert_string_equal(d.spans[2].group, "sex=F");
	assert_near(d.spans[2].first, 1, EPS);
	assert_near(d.spans[2].last, 0.9, EPS);

	stepdrift_release(&d);
	assert_null(d.group);
	assert_int_equal(d.ngroups, 0);
	assert_null(d.spans);
	store_free(s);
}

static void test_policy_bins(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	struct stepdrift d;
	policy_defaults(&p);
	ingest(s, "r1", "2", "predictions.csv", R1_PREDICTIONS, NULL);

	/* 100 bins: sex=F's positives moved within bin 9 of 10, not
	 * within a bin of 100 */
	p.value[POLICY_PSI_BINS].number = 100;
	load(s, "r1", &p, &d);
	assert_near(find(&d, "sex=F")->psi,
			    0.4999 * log(5000) + 0.4998 * log(2500), 1e-9);
	/* sex=M's scores stay in bins 15 and 85: the same as at 10 */
	assert_near(find(&d, "sex=M")->psi, 0.25 * log(3), EPS);
	assert_int_equal(d.nspans, 0);
	stepdrift_release(&d);

	/* one bin holds every score: nothing can move */
	p.value[POLICY_PSI_BINS].number = 1;
	load(s, "r1", &p, &d);
	assert_near(find(&d, "sex=M")->psi, 0, EPS);
	assert_near(find(&d, "(all)")->psi, 0, EPS);
	stepdrift_release(&d);
	store_free(s);
}

static void test_group_new_at_last_step(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	struct stepdrift d;
	policy_defaults(&p);
	/* sex=F: selection 10/20 = .5, then (10+10)/20 = 1; sex=X only at
	 * step 2, 10 rows selecting 5; (all) at step 2: 25/30 */
	ingest(s, "r2", "1", "counts.csv",
	       "step,group,tp,fp,tn,fn\n"
	       "1,sex=F,10,0,10,0\n"
	       "2,sex=F,10,10,0,0\n2,sex=X,5,0,5,0\n",
	       NULL);
	load(s, "r2", &p, &d);
	assert_int_equal(d.nsteps, 2);
	assert_int_equal(d.first_step, 1);
	assert_int_equal(d.last_step, 2);
	assert_int_equal(d.ngroups, 2);
	assert_string_equal(d.group[0].name, "(all)");
	assert_string_equal(d.group[1].name, "sex=F");
	assert_near(d.group[0].first.selection_rate, 0.5, EPS);
	assert_near(d.group[0].last.selection_rate, 25.0 / 30.0,
			    EPS);
	assert_near(d.group[1].first.selection_rate, 0.5, EPS);
	assert_near(d.group[1].last.selection_rate, 1, EPS);
	/* counts.csv has no scores: no PSI */
	assert_false(rate_defined(d.group[0].psi));
	assert_false(rate_defined(d.group[1].psi));
	stepdrift_release(&d);
	store_free(s);
}

static void test_one_step(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	struct stepdrift d;
	policy_defaults(&p);
	ingest(s, "r3", "1", "counts.csv",
	       "step,group,tp,fp,tn,fn\n5,sex=F,1,1,1,1\n5,sex=M,1,1,1,1\n",
	       "step,timestamp,metric,group,value\n5,,loss,,0.3\n");
	load(s, "r3", &p, &d);
	/* one step: nothing to compare, but the metric history is there */
	assert_int_equal(d.nsteps, 1);
	assert_int_equal(d.ngroups, 0);
	assert_int_equal(d.nspans, 1);
	assert_string_equal(d.spans[0].metric, "loss");
	assert_int_equal(d.spans[0].points, 1);
	assert_near(d.spans[0].first, 0.3, EPS);
	assert_near(d.spans[0].last, 0.3, EPS);
	stepdrift_release(&d);
	store_free(s);
}

static void test_longest_names_whole(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct fail f;
	char feature[FEATURE_NAME_MAX + 1], value[GROUP_VALUE_MAX + 1];
	char dir[256];
	memset(feature, 'f', FEATURE_NAME_MAX);
	feature[FEATURE_NAME_MAX] = '\0';
	memset(value, 'v', GROUP_VALUE_MAX);
	value[GROUP_VALUE_MAX] = '\0';
	snprintf(dir, sizeof dir, "%s/long", fixture_dir);
	mkdir(dir, 0755);
	fixture_write_file(dir, "run.csv",
			   "key,value\nrun,long\nmodel,m\n"
			   "started_at,2026-01-01T00:00:00Z\nbeta_factor,1\n");
	size_t size = 8 * (FEATURE_NAME_MAX + GROUP_VALUE_MAX + 64);
	char *text = malloc(size);
	assert_non_null(text);
	size_t used = (size_t)snprintf(text, size, "step,group,tp,fp,tn,fn\n");
	for (int step = 1; step <= 2; step++) {
		/* TPR 10 step / (10 step + 10) at each step */
		used += (size_t)snprintf(text + used, size - used,
					 "%d,%s=%s,%d,5,50,10\n", step,
					 feature, value, 10 * step);
		used += (size_t)snprintf(text + used, size - used,
					 "%d,%s=short,%d,5,50,10\n", step,
					 feature, 10 * step);
	}
	fixture_write_file(dir, "counts.csv", text);
	free(text);
	struct ingest_result res;
	fail_init(&f);
	if (store_ingest_run(s, dir, 0, &res, &f) != 0)
		fail_msg("ingest: %s", f.msg);

	struct stored_run r;
	assert_int_equal(store_find_run(s, "long", &r, &f), 0);
	struct policy p;
	policy_defaults(&p);
	struct stepdrift d;
	if (stepdrift_load(s, &r, &p, &d, &f) != 0)
		fail_msg("stepdrift_load: %s", f.msg);
	assert_int_equal(d.nsteps, 2);
	assert_int_equal(d.ngroups, 3);
	char want[FEATURE_NAME_MAX + 1 + GROUP_VALUE_MAX + 1];
	snprintf(want, sizeof want, "%s=short", feature);
	int seen_all = 0, seen_short = 0, seen_long = 0;
	for (size_t i = 0; i < d.ngroups; i++) {
		const struct step_group *g = &d.group[i];
		if (strcmp(g->name, "(all)") == 0) {
			seen_all++;
			continue;
		}
		if (strcmp(g->name, want) == 0) {
			seen_short++;
		} else {
			assert_int_equal(strlen(g->name),
					 FEATURE_NAME_MAX + 1 + GROUP_VALUE_MAX);
			assert_memory_equal(g->name, feature, FEATURE_NAME_MAX);
			assert_int_equal(g->name[FEATURE_NAME_MAX], '=');
			assert_string_equal(g->name + FEATURE_NAME_MAX + 1,
					    value);
			seen_long++;
		}
		assert_true(g->first.tpr == 10.0 / 20.0);
		assert_true(g->last.tpr == 20.0 / 30.0);
	}
	assert_int_equal(seen_all, 1);
	assert_int_equal(seen_short, 1);
	assert_int_equal(seen_long, 1);
	stepdrift_release(&d);
	stepdrift_release(&d); /* released: empty, twice is fine */
	stored_run_release(&r);
	store_free(s);
}

#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_first_and_last_step),
		IN_TMP(test_policy_bins),
		IN_TMP(test_group_new_at_last_step),
		IN_TMP(test_one_step),
		IN_TMP(test_longest_names_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
