/*
 * test_alerts.c — core/alerts.c: which findings become alerts, and how
 * loud.
 *
 * Judgements are written by hand, finding by finding, so each rule of
 * alerts.h is tried on its own: a failing finding is a critical alert;
 * a PSI finding is a warning below drift.psi_critical and critical at
 * or above it (with the judge's 1e-12 slack, so that the alert agrees
 * with the finding's own words); other warnings are warnings; notes
 * raise nothing; one alert per (rule, subject), the loudest kept whole;
 * the subject of a disparity is its feature alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alerts.h"

#define NA RATE_UNDEFINED

static struct finding make(enum finding_severity sev, const char *rule,
			   const char *feature, const char *group,
			   double baseline, double candidate, double threshold,
			   const char *message)
{
	struct finding f;
	memset(&f, 0, sizeof f);
	f.severity = sev;
	snprintf(f.rule, sizeof f.rule, "%s", rule);
	f.feature = feature; /* literals: text stays NULL */
	f.group = group;
	f.baseline = baseline;
	f.candidate = candidate;
	f.threshold = threshold;
	f.low = f.high = NA;
	f.established = -1; /* not said: as established */
	f.message = message;
	return f;
}

/* Alerts of findings f[0..n) under the default policy. */
static struct alert_new *alerts_of(struct finding *f, size_t n, size_t *count)
{
	struct judgement j;
	struct policy p;
	struct alert_new *a = NULL;
	memset(&j, 0, sizeof j);
	j.finding = f;
	j.nfindings = n;
	policy_defaults(&p);
	assert_int_equal(alerts_from_judgement(&j, &p, &a, count), 0);
	assert_non_null(a);
	return a;
}

static void test_fail_is_critical(void **state)
{
	(void)state;
	struct finding f[] = {
		make(FINDING_FAIL, "tpr_drop", "sex", "sex=F", 0.8, 0.72, 0.05,
		     "TPR of sex=F fell"),
		make(FINDING_FAIL, "fewer_rows", "", "", 200, 199, NA,
		     "fewer rows"),
		make(FINDING_FAIL, "beta_factor", "", "", NA, NA, NA,
		     "beta_factor is missing"),
		make(FINDING_FAIL, "class_weights", "", "1", 1.6666666666666667,
		     1.667, 1e-9, "class weight of label 1"),
	};
	size_t n;
	struct alert_new *a = alerts_of(f, 4, &n);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(a[i].severity, ALERT_CRITICAL);
	/* subjects: feature/group, the feature or the group, or "" */
	assert_string_equal(a[0].rule, "tpr_drop");
	assert_string_equal(a[0].subject, "sex/sex=F");
	assert_string_equal(a[0].message, "TPR of sex=F fell");
	assert_true(a[0].baseline == 0.8);
	assert_true(a[0].candidate == 0.72);
	assert_true(a[0].threshold == 0.05);
	assert_string_equal(a[1].subject, "");
	assert_true(a[1].baseline == 200);
	assert_false(rate_defined(a[1].threshold));
	assert_string_equal(a[2].subject, "");
	assert_string_equal(a[3].subject, "1");
	assert_string_equal(alert_severity_name(a[0].severity), "critical");
	alerts_free(a, n);
}

static void test_psi_by_threshold(void **state)
{
	(void)state;
	/* psi_warning 0.10, psi_critical 0.25 */
	struct finding f[] = {
		make(FINDING_WARN, "psi_shares", "sex", "", NA, 0.12, 0.1,
		     "warning"),
		make(FINDING_WARN, "psi_shares", "age", "", NA, 0.25, 0.25,
		     "critical, exactly at it"),
		make(FINDING_WARN, "psi_scores", "sex", "sex=F", NA, 17.2, 0.25,
		     "critical"),
		make(FINDING_WARN, "psi_scores", "sex", "sex=M", NA, 0.2499,
		     0.1, "warning, under"),
		/* 0.25 - 1e-13: the judge calls it critical (its slack) */
		make(FINDING_WARN, "psi_scores", "age", "age=old", NA,
		     0.25 - 1e-13, 0.25, "critical, within the slack"),
	};
	size_t n;
	struct alert_new *a = alerts_of(f, 5, &n);
	assert_int_equal(n, 5);
	assert_int_equal(a[0].severity, ALERT_WARNING);
	assert_string_equal(a[0].subject, "sex");
	assert_int_equal(a[1].severity, ALERT_CRITICAL);
	assert_string_equal(a[1].subject, "age");
	assert_int_equal(a[2].severity, ALERT_CRITICAL);
	assert_string_equal(a[2].subject, "sex/sex=F");
	assert_int_equal(a[3].severity, ALERT_WARNING);
	assert_int_equal(a[4].severity, ALERT_CRITICAL);
	assert_string_equal(alert_severity_name(a[0].severity), "warning");
	alerts_free(a, n);

	/* at the critical level but not established beyond noise (the
	 * histograms of a small group): a warning */
	struct finding g = make(FINDING_WARN, "psi_scores", "grp", "grp=C",
				NA, 1.5, 0.25, "possible, not established");
	g.established = 0;
	a = alerts_of(&g, 1, &n);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].severity, ALERT_WARNING);
	alerts_free(a, n);
	g.established = 1;
	a = alerts_of(&g, 1, &n);
	assert_int_equal(a[0].severity, ALERT_CRITICAL);
	alerts_free(a, n);
}

static void test_other_warnings(void **state)
{
	(void)state;
	struct finding f[] = {
		make(FINDING_WARN, "low_n", "sex", "", NA, 0.3, 0.1, "low-n"),
		make(FINDING_WARN, "tpr_drop", "sex", "sex=M", 0.8, 0.5, 0.05,
		     "low-n drop"),
		make(FINDING_WARN, "missing_group", "sex", "sex=X", 40, 0, NA,
		     "missing, not required"),
	};
	size_t n;
	struct alert_new *a = alerts_of(f, 3, &n);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(a[i].severity, ALERT_WARNING);
	assert_string_equal(a[0].subject, "sex");
	assert_string_equal(a[1].subject, "sex/sex=M");
	assert_string_equal(a[2].subject, "sex/sex=X");
	alerts_free(a, n);
}

static void test_info_no_alert(void **state)
{
	(void)state;
	struct finding f[] = {
		make(FINDING_INFO, "prior_shift", "sex", "sex=F", 0.5, 0.56,
		     0.05, "note"),
		make(FINDING_INFO, "new_group", "sex", "sex=X", NA, 10, NA,
		     "note"),
		make(FINDING_FAIL, "dp_difference", "sex", "sex=F", NA, 0.12,
		     0.1, "fails"),
	};
	size_t n;
	struct alert_new *a = alerts_of(f, 3, &n);
	assert_int_equal(n, 1);
	assert_string_equal(a[0].rule, "dp_difference");
	alerts_free(a, n);

	/* notes only: nothing, and still an array to free */
	a = alerts_of(f, 2, &n);
	assert_int_equal(n, 0);
	alerts_free(a, n);
	a = alerts_of(NULL, 0, &n);
	assert_int_equal(n, 0);
	alerts_free(a, n);
}

static void test_one_per_rule_and_subject(void **state)
{
	(void)state;
	/* low_n twice for sex (difference and ratio): one alert.  Then
	 * psi_shares of sex as a warning, then again as critical: one
	 * alert, the critical one, its message and values with it */
	struct finding f[] = {
		make(FINDING_WARN, "low_n", "sex", "", NA, 0.3, 0.1,
		     "difference, low-n"),
		make(FINDING_WARN, "low_n", "sex", "", NA, 0.667, 0.8,
		     "ratio, low-n"),
		make(FINDING_WARN, "psi_shares", "sex", "", NA, 0.12, 0.1,
		     "PSI 0.120 (warning)"),
		make(FINDING_WARN, "psi_shares", "sex", "", NA, 0.3, 0.25,
		     "PSI 0.300 (critical)"),
		make(FINDING_WARN, "psi_shares", "sex", "", NA, 0.11, 0.1,
		     "PSI 0.110 (warning)"),
		make(FINDING_WARN, "low_n", "age", "", NA, 0.2, 0.1,
		     "age, low-n"),
	};
	size_t n;
	struct alert_new *a = alerts_of(f, 6, &n);
	assert_int_equal(n, 3);
	assert_string_equal(a[0].rule, "low_n");
	assert_string_equal(a[0].subject, "sex");
	assert_string_equal(a[0].message, "difference, low-n");
	assert_int_equal(a[0].severity, ALERT_WARNING);
	assert_string_equal(a[1].rule, "psi_shares");
	assert_string_equal(a[1].subject, "sex");
	assert_int_equal(a[1].severity, ALERT_CRITICAL);
	assert_string_equal(a[1].message, "PSI 0.300 (critical)");
	assert_true(a[1].candidate == 0.3);
	assert_true(a[1].threshold == 0.25);
	assert_string_equal(a[2].subject, "age");
	alerts_free(a, n);
}

static void test_disparity_keyed_by_feature(void **state)
{
	(void)state;
	/* the group driving a disparity is not part of its subject: the
	 * same feature driven by F, then by M, is one alert */
	struct finding f[] = {
		make(FINDING_FAIL, "dp_difference", "sex", "sex=F", NA, 0.12,
		     0.1, "driven by F"),
		make(FINDING_FAIL, "dp_difference", "sex", "sex=M", NA, 0.15,
		     0.1, "driven by M"),
		make(FINDING_FAIL, "dp_ratio", "sex", "sex=F", NA, 0.7, 0.8,
		     "ratio"),
		make(FINDING_FAIL, "eo_difference", "sex & age",
		     "sex=F & age=old", NA, 0.2, 0.1, "intersection"),
		make(FINDING_FAIL, "dp_difference", "age", "age=old", NA, 0.2,
		     0.1, "age"),
	};
	size_t n;
	struct alert_new *a = alerts_of(f, 5, &n);
	assert_int_equal(n, 4);
	assert_string_equal(a[0].rule, "dp_difference");
	assert_string_equal(a[0].subject, "sex");
	assert_string_equal(a[0].message, "driven by F");
	assert_string_equal(a[1].rule, "dp_ratio");
	assert_string_equal(a[1].subject, "sex");
	assert_string_equal(a[2].rule, "eo_difference");
	assert_string_equal(a[2].subject, "sex & age");
	assert_string_equal(a[3].rule, "dp_difference");
	assert_string_equal(a[3].subject, "age");
	alerts_free(a, n);
}

static void test_from_policy(void **state)
{
	(void)state;
	/* the critical threshold is the policy's, not a constant */
	struct finding f[] = {
		make(FINDING_WARN, "psi_shares", "sex", "", NA, 0.3, 0.25,
		     "PSI 0.300"),
	};
	struct judgement j;
	struct policy p;
	struct alert_new *a = NULL;
	size_t n;
	memset(&j, 0, sizeof j);
	j.finding = f;
	j.nfindings = 1;
	policy_defaults(&p);
	p.value[POLICY_PSI_CRITICAL].number = 0.5;
	assert_int_equal(alerts_from_judgement(&j, &p, &a, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].severity, ALERT_WARNING);
	alerts_free(a, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_is_critical),
		cmocka_unit_test(test_psi_by_threshold),
		cmocka_unit_test(test_other_warnings),
		cmocka_unit_test(test_info_no_alert),
		cmocka_unit_test(test_one_per_rule_and_subject),
		cmocka_unit_test(test_disparity_keyed_by_feature),
		cmocka_unit_test(test_from_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
