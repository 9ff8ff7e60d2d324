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
#include "cli/deployflow.h"
#include "core/array.h"
#include "cli/output.h"
#include "service/mlflow_import.h"
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

enum {
	OPT_REPLACE,
	OPT_THREADS,
	OPT_MLFLOW,
	OPT_EXPERIMENT,
	OPT_RUN,
	OPT_MODEL,
	OPT_ALIAS,
	OPT_WORKSPACE,
	OPT_UNFINISHED,
	OPT_BY,
};

/* One MLflow run imported or refused, told as a run folder's is. */
static void mlflow_told(void *ctx, const struct mlflow_run_report *r)
{
	const char *name = ctx;
	char shown[512], note[1200];
	if (r->fail != NULL) {
		cli_report(r->fail);
		return;
	}
	const struct ingest_result *res = r->res;
	printf("%s %s from %s: ", res->replaced ? "replaced" : "ingested",
	       res->run_key, output_safe(shown, sizeof shown, name));
	if (res->rows >= 0)
		printf("%lld predictions, ", (long long)res->rows);
	printf("%zu groups, %ld metric points\n", res->groups,
	       res->metric_points);
	if (r->note != NULL)
		printf("  %s\n", output_safe(note, sizeof note, r->note));
	if (r->raised > 0)
		printf("  %zu alert%s for this run (%zu critical): fairtop "
		       "alerts\n", r->raised, r->raised == 1 ? "" : "s",
		       r->critical);
}

static int run_mlflow(struct cmd_args *a, int flags)
{
	struct mlflow_import_options o = {
		.source = a->value[OPT_MLFLOW],
		.filter = {a->value[OPT_EXPERIMENT], a->value[OPT_RUN],
			   a->value[OPT_WORKSPACE]},
		.model = a->value[OPT_MODEL],
		.alias = a->value[OPT_ALIAS] ? a->value[OPT_ALIAS]
					     : "champion",
		.include_unfinished = a->count[OPT_UNFINISHED] > 0,
		.flags = flags,
		.actor = deployflow_actor(a->value[OPT_BY]),
		.policy = a->policy,
	};
	struct mlflow_import_summary sum;
	struct fail f;
	char shown[512], note[1200];
	fail_init(&f);
	if (mlflow_import(a->store, &o, mlflow_told, (void *)o.source, &sum,
			  &f) != 0)
		return cli_report(&f);
	output_safe(shown, sizeof shown, o.source);
	printf("%s: %ld run%s imported", shown, sum.imported,
	       sum.imported == 1 ? "" : "s");
	if (sum.refused > 0)
		printf(", %ld refused", sum.refused);
	if (sum.already > 0)
		printf(", %ld already in the store skipped (--replace "
		       "imports them again)", sum.already);
	if (sum.deleted > 0)
		printf(", %ld deleted skipped", sum.deleted);
	if (sum.unfinished > 0)
		printf(", %ld unfinished skipped (--include-unfinished "
		       "imports them)", sum.unfinished);
	if (sum.nan_points > 0 || sum.infinite_points > 0)
		printf(", %ld NaN and %ld infinite metric point%s skipped",
		       sum.nan_points, sum.infinite_points,
		       sum.nan_points + sum.infinite_points == 1 ? "" : "s");
	printf("\n");
	if (sum.deployed)
		printf("recorded a deployment of %s observed at import "
		       "(alias '%s'): fairtop audit\n", sum.deployed_run,
		       output_safe(note, sizeof note, o.alias));
	else if (sum.alias_note[0] != '\0')
		printf("%s\n", output_safe(note, sizeof note, sum.alias_note));
	return cli_exit_code(sum.worst);
}

static int check(struct cmd_args *a)
{
	static const int only_mlflow[] = {OPT_EXPERIMENT, OPT_RUN, OPT_MODEL,
					  OPT_ALIAS, OPT_WORKSPACE,
					  OPT_UNFINISHED, OPT_BY};
	static const char *const names[] = {
		"experiment", "run", "model", "alias", "workspace",
		"include-unfinished", "by"};
	if (a->value[OPT_MLFLOW] != NULL) {
		if (a->argc > 0)
			return cli_usage_error("ingest", "--mlflow SOURCE: "
					       "expected no PATH beside it, "
					       "found '%s'", a->argv[0]);
		if (deployflow_actor(a->value[OPT_BY]) == NULL)
			return cli_usage_error("ingest", "expected --by NAME "
					       "(no $USER nor login name to "
					       "default to)");
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof only_mlflow / sizeof *only_mlflow; i++)
		if (a->count[only_mlflow[i]] > 0)
			return cli_usage_error("ingest", "--%s: expected "
					       "--mlflow SOURCE with it",
					       names[i]);
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
	if (a->value[OPT_MLFLOW] != NULL)
		return run_mlflow(a, flags);
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
	[OPT_MLFLOW] = {"mlflow", 0, "SOURCE",
			"import from MLflow's store: mlflow.db,\n"
			"sqlite:///PATH or an mlruns/ folder (read-only)",
			OPTION_NONEMPTY, NULL, "an MLflow store", 0},
	[OPT_EXPERIMENT] = {"experiment", 0, "NAME|ID",
			    "with --mlflow: that experiment's runs only",
			    OPTION_NONEMPTY, NULL, "an experiment", 0},
	[OPT_RUN] = {"run", 0, "ID", "with --mlflow: that run only",
		     OPTION_NONEMPTY, NULL, "a run id", 0},
	[OPT_MODEL] = {"model", 0, "NAME",
		       "with --mlflow: the registered model whose alias\n"
		       "is production (default: the one holding it)",
		       OPTION_NONEMPTY, NULL, "a model name", 0},
	[OPT_ALIAS] = {"alias", 0, "NAME",
		       "with --mlflow: the registry alias marking\n"
		       "production (default champion)",
		       OPTION_NONEMPTY, NULL, "an alias", 0},
	[OPT_WORKSPACE] = {"workspace", 0, "NAME",
			   "with --mlflow: that workspace only (MLflow 3.10+)",
			   OPTION_NONEMPTY, NULL, "a workspace", 0},
	[OPT_UNFINISHED] = {"include-unfinished", 0, NULL,
			    "with --mlflow: import RUNNING and SCHEDULED runs "
			    "too", OPTION_FLAG, NULL, NULL, 0},
	[OPT_BY] = {"by", 0, "NAME",
		    "with --mlflow: who records the deployment observed\n"
		    "at import (default: $USER)", OPTION_STRING, NULL, NULL,
		    0},
};

const struct command_spec cmd_ingest_spec = {
	.name = "ingest",
	.summary = "read run folders, or an MLflow store (--mlflow), into the "
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
		"verdicts are stored together or not at all.\n\n"
		"--mlflow SOURCE reads MLflow's own store instead, never "
		"writing it: each run\nbecomes a run (params, tags, metric "
		"history, and its fairtop/predictions.csv\nor counts.csv "
		"artifact when local).  Deleted runs, unfinished runs and "
		"runs\nalready in the store are skipped and counted.  When "
		"the registry alias points\nat a run other than production, "
		"a deployment observed at import is recorded.",
	.check = check,
	.run = run,
};
