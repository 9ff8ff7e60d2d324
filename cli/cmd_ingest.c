/*
 * cmd_ingest.c — `fairtop ingest [--replace] [--threads N] PATH...`
 *
 * Each PATH is a run folder (it holds run.csv) or a folder whose
 * sub-folders are run folders, ingested in name order.  Every run is
 * its own transaction: a bad run is refused whole and reported, the
 * others still go in, and the exit code is 65 if any was refused.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/array.h"
#include "cli/output.h"
#include "service/alerteval.h"
#include "service/ingest.h"
#include "core/policy.h"
#include "storage/deploy_store.h"
#include "storage/ingest.h"

struct tally {
	int ingested, refused;
	enum fail_kind worst;
	const struct policy *policy;
	int history_first; /* the deployments.csv files are imported */
};

static void ingest_one(struct store *s, const char *dir, int flags,
		       struct tally *t)
{
	struct ingest_result res;
	struct fail f;
	char shown[512];
	fail_init(&f);
	/* the run, its alerts and its verdicts: all stored, or none */
	size_t raised = 0, critical = 0;
	if (ingest_run(s, dir, flags, t->policy, &res, &raised, &critical,
		       &f) != 0) {
		cli_report(&f);
		t->refused++;
		if (f.kind > t->worst)
			t->worst = f.kind;
		return;
	}
	t->ingested++;
	printf("%s %s from %s: ", res.replaced ? "replaced" : "ingested",
	       res.run_key, output_safe(shown, sizeof shown, dir));
	if (res.rows >= 0)
		printf("%lld predictions, ", (long long)res.rows);
	printf("%zu groups, %ld metric points\n", res.groups,
	       res.metric_points);
	if (raised > 0)
		printf("  %zu alert%s for this run (%zu critical): fairtop "
		       "alerts\n", raised, raised == 1 ? "" : "s", critical);
}

static void ingest_deployments(struct store *s, const char *path,
			       struct tally *t)
{
	struct fail f;
	char shown[512];
	long added = 0;
	fail_init(&f);
	if (store_import_deployments(s, path, &added, &f) != 0) {
		cli_report(&f);
		t->refused++;
		if (f.kind > t->worst)
			t->worst = f.kind;
		return;
	}
	printf("ingested %s: %ld deployment%s new to the store\n",
	       output_safe(shown, sizeof shown, path), added,
	       added == 1 ? "" : "s");
	if (added == 0)
		return;
	/* runs already stored were judged at arrival against the history
	 * known then: those whose baseline changed are judged again */
	size_t judged = 0;
	if (alerteval_arrivals(s, t->policy, &judged, &f) != 0) {
		cli_report(&f);
		if (f.kind > t->worst)
			t->worst = f.kind;
		return;
	}
	if (judged > 0)
		printf("  %zu run%s judged again at arrival against the new "
		       "history (fairtop alerts)\n", judged,
		       judged == 1 ? "" : "s");
}

static int is_deployments_file(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return strcmp(base, "deployments.csv") == 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder of run folders: ingest each, in name order. */
static void ingest_folder(struct store *s, const char *dir, int flags,
			  struct tally *t)
{
	char shown[512];
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	if (d == NULL) {
		fprintf(stderr, "fairtop: %s: no such file or folder\n",
			output_safe(shown, sizeof shown, dir));
		t->refused++;
		t->worst = FAIL_DATA;
		return;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		size_t len = strlen(dir);
		snprintf(path, sizeof path, "%s%s%s", dir,
			 len && dir[len - 1] == '/' ? "" : "/", e->d_name);
		if (!ingest_is_run_folder(path))
			continue;
		if (ARRAY_GROW(names, n + 1, cap) != 0)
			break;
		names[n] = strdup(path);
		if (names[n] != NULL)
			n++;
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr, "fairtop: %s: expected a run folder (holding "
			"run.csv) or a folder of run folders, found neither\n",
			output_safe(shown, sizeof shown, dir));
		t->refused++;
		t->worst = FAIL_DATA;
	}
	/* the deployment history first: alerts judge each run against
	 * what was deployed when it started */
	char deployments[4096];
	struct stat sb;
	snprintf(deployments, sizeof deployments, "%s/deployments.csv", dir);
	if (!t->history_first && stat(deployments, &sb) == 0)
		ingest_deployments(s, deployments, t);
	qsort(names, n, sizeof *names, compare_names);
	for (size_t i = 0; i < n; i++) {
		ingest_one(s, names[i], flags, t);
		free(names[i]);
	}
	free(names);
}

enum { OPT_REPLACE, OPT_THREADS };

static int check(struct cmd_args *a)
{
	if (a->argc == 0)
		return cli_usage_error("ingest", "expected at least one PATH "
				       "(a run folder or a folder of them)");
	return EXIT_OK;
}

static int run(struct cmd_args *a)
{
	struct store *s = a->store;
	int argc = a->argc;
	char **argv = a->argv;
	int flags = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 0 : INGEST_ONE_THREAD;
	if (a->count[OPT_REPLACE])
		flags |= INGEST_REPLACE;
	if (a->value[OPT_THREADS] != NULL)
		flags = strcmp(a->value[OPT_THREADS], "1") == 0
				? flags | INGEST_ONE_THREAD
				: flags & ~INGEST_ONE_THREAD;
	struct tally t = {0, 0, FAIL_NONE, a->policy, 0};
	/* every deployment history first, wherever it is among the PATHs:
	 * each run is judged at arrival against what was in production
	 * when it started */
	for (int i = 0; i < argc; i++) {
		struct stat sb;
		char history[4096];
		int is_dir = stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode);
		if (!is_dir && is_deployments_file(argv[i])) {
			ingest_deployments(s, argv[i], &t);
			continue;
		}
		snprintf(history, sizeof history, "%s/deployments.csv",
			 argv[i]);
		if (is_dir && !ingest_is_run_folder(argv[i]) &&
		    stat(history, &sb) == 0)
			ingest_deployments(s, history, &t);
	}
	t.history_first = 1;
	for (int i = 0; i < argc; i++) {
		struct stat sb;
		int is_dir = stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode);
		if (!is_dir && is_deployments_file(argv[i]))
			continue;
		else if (!is_dir || ingest_is_run_folder(argv[i]))
			ingest_one(s, argv[i], flags, &t);
		else
			ingest_folder(s, argv[i], flags, &t);
	}
	if (t.ingested + t.refused > 1)
		printf("%d run%s ingested, %d refused\n", t.ingested,
		       t.ingested == 1 ? "" : "s", t.refused);
	return cli_exit_code(t.worst);
}

static const char *const threads[] = {"1", "2", NULL};

static const struct option_spec options[] = {
	[OPT_REPLACE] = {"replace", 0, NULL,
			 "overwrite runs already in the store", OPTION_FLAG,
			 NULL, NULL, 0},
	[OPT_THREADS] = {"threads", 0, "N",
			 "1 or 2: threads reading a predictions.csv of 1 MiB "
			 "or\nmore (default 2, or 1 on a one-CPU machine)",
			 OPTION_CHOICE, threads, NULL, 0},
};

const struct command_spec cmd_ingest_spec = {
	.name = "ingest",
	.summary = "read run folders (or folders of run folders) into the "
		   "store",
	.args = "PATH...",
	.options = options,
	.noptions = sizeof options / sizeof *options,
	.store = COMMAND_STORE_CREATE,
	.policy = 1,
	.policy_help = "the policy for alerts (see fairtop policy)",
	.help = "Read run folders into the store.  A run folder holds "
		"run.csv and optionally\nmetrics.csv and predictions.csv "
		"(or counts.csv); a PATH holding run folders\ningests each "
		"of them, and its deployments.csv (the deployment history)\n"
		"first; a PATH may also be a deployments.csv.\nA bad file is "
		"refused whole with file:line and what\nwas expected; nothing "
		"of that run is stored.\n\n"
		"Each run ingested is judged at arrival, against the run in "
		"production when it\nstarted (else on its own), and raises "
		"alerts (fairtop alerts); the run, its\nalerts and its "
		"verdicts are stored together or not at all.",
	.check = check,
	.run = run,
};
