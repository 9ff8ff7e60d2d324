/*
 * fixture.c — see fixture.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/fixture.h"

#include "core/strbuf.h"
#include "service/snapshot.h"
#include "storage/deploy_store.h"
#include "storage/ingest.h"

char fixture_dir[64];

int fixture_make_dir(const char *name)
{
	snprintf(fixture_dir, sizeof fixture_dir, "/tmp/fairtop-%s-XXXXXX",
		 name);
	return mkdtemp(fixture_dir) == NULL ? -1 : 0;
}

void fixture_remove_tree(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(path);
		return;
	}
	DIR *d = opendir(path);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char sub[1024];
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		fixture_remove_tree(sub);
	}
	if (d != NULL)
		closedir(d);
	rmdir(path);
}

void fixture_write_file(const char *dir, const char *file, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	FILE *out = fopen(path, "w");
	assert_non_null(out);
	fputs(text, out);
	assert_int_equal(fclose(out), 0);
}

struct store *fixture_open_store(void)
{
	char path[256];
	struct store *s = NULL;
	struct fail f;
	fail_init(&f);
	snprintf(path, sizeof path, "%s/s.db", fixture_dir);
	if (store_open(path, STORE_CREATE, &s, &f) != 0)
		fail_msg("store_open %s: %s", path, f.msg);
	return s;
}

void fixture_ingest_counts(struct store *s, const char *dir_name,
			   const char *key, const char *version,
			   const char *started, const char *counts)
{
	char dir[256], text[1024], line[300] = "";
	struct ingest_result res;
	struct fail f;
	snprintf(dir, sizeof dir, "%s/%s", fixture_dir,
		 dir_name ? dir_name : key);
	mkdir(dir, 0755);
	if (version != NULL)
		snprintf(line, sizeof line, "version,%s\n", version);
	snprintf(text, sizeof text,
		 "key,value\nrun,%s\nmodel,m\n%sstarted_at,%s\n"
		 "beta_factor,1\n", key, line, started);
	fixture_write_file(dir, "run.csv", text);
	snprintf(text, sizeof text, "step,group,tp,fp,tn,fn\n%s", counts);
	fixture_write_file(dir, "counts.csv", text);
	fail_init(&f);
	if (store_ingest_run(s, dir, 0, &res, &f) != 0)
		fail_msg("ingest %s: %s", key, f.msg);
}

void fixture_history(struct store *s, const char *rows)
{
	char path[256];
	struct fail f;
	long added;
	char *text = strbuf_dupf("time,run,kind,actor,reason\n%s", rows);
	assert_non_null(text);
	fixture_write_file(fixture_dir, "deployments.csv", text);
	free(text);
	snprintf(path, sizeof path, "%s/deployments.csv", fixture_dir);
	fail_init(&f);
	if (store_import_deployments(s, path, &added, &f) != 0)
		fail_msg("deployments: %s", f.msg);
}

void fixture_deploy(struct store *s, const char *run, const char *kind)
{
	int64_t id;
	struct fail f;
	fail_init(&f);
	if (store_deployment_begin(s, run, kind, "ann", "ok", &id, &f) != 0 ||
	    store_deployment_finish(s, id, 1, -1, NULL, "{}", &f) != 0)
		fail_msg("%s %s: %s", kind, run, f.msg);
}

const struct snap_run *fixture_run_of(const struct snapshot *snap,
				      const char *key)
{
	for (size_t i = 0; i < snap->nruns; i++)
		if (strcmp(snap->runs[i].key, key) == 0)
			return &snap->runs[i];
	fail_msg("no run %s", key);
	return NULL;
}
