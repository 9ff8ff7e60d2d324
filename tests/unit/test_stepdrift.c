/*
 * test_stepdrift.c — service/stepdrift.c: a run's groups across its own
 * steps.
 *
 * A run with counts at two steps for a feature whose name has
 * FEATURE_NAME_MAX bytes and a group whose value has GROUP_VALUE_MAX
 * bytes (the longest ingest takes): each group's name comes back whole
 * ("feature=value", 1281 bytes; a 300-byte buffer cut it before), in
 * the store's order, with its rates at the first and the last step; the
 * overall is "(all)".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/unit/fixture.h"
#include "core/groups.h"
#include "core/policy.h"
#include "service/stepdrift.h"
#include "storage/ingest.h"
#include "storage/runread.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_longest_names_whole,
						tmp_make, tmp_done),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
