/*
 * test_policy.c — core/policy.c: the fairness policy read with inih.
 *
 * Covers the built-in defaults (DESIGN.md "Policy"); a full INI file
 * read from memory and from a temporary file, every value's origin
 * "file:line"; where policy_load() looks: an explicit path, then
 * $FAIRTOP_POLICY (its origins prefixed "$FAIRTOP_POLICY="), then
 * ./fairtop.ini, then $XDG_CONFIG_HOME/fairtop/fairtop.ini (or
 * $HOME/.config/...), then each folder of $XDG_CONFIG_DIRS, then the
 * defaults, the files searched, and the warnings for a file found by the
 * search that others may write; and refusals with their whole
 * messages: an unknown key or section, a value out of range, not a
 * number, psi_bins not dividing 100, a bool that is not true or false,
 * a line without '=', psi_warning above psi_critical, a line longer
 * than inih's buffer; the first bad line is the one reported.  Finally
 * policy_to_json() against the expected text, and a small JSON checker
 * over it.  And man/fairtop.ini.5 against the parser's table: every key
 * under its section with its type, default and range as the table says
 * them, and no key the table does not have.
 *
 * Expected numbers are the literals of the INI text; expected JSON
 * numbers were printed by Python's "%.17g" % x, independently of
 * number_format_exact().
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/policy.h"
#include "core/text.h"

/* --- the temporary folder ------------------------------------------- */

static char tmpdir[64];
static char startdir[4096];

/* Each test gets a fresh folder and $FAIRTOP_POLICY unset; the search's
 * folders are under it (XDG_CONFIG_HOME=tmpdir/home-config,
 * XDG_CONFIG_DIRS=tmpdir/sys1:tmpdir/sys2, HOME=tmpdir/home), so no
 * policy of the machine's is read.  The working directory is restored
 * after it. */
static int tmp_make(void **state)
{
	(void)state;
	char v[256];
	strcpy(tmpdir, "/tmp/fairtop-policy-XXXXXX");
	if (mkdtemp(tmpdir) == NULL || getcwd(startdir, sizeof startdir) == NULL)
		return -1;
	unsetenv("FAIRTOP_POLICY");
	snprintf(v, sizeof v, "%s/home-config", tmpdir);
	setenv("XDG_CONFIG_HOME", v, 1);
	snprintf(v, sizeof v, "%s/sys1:%s/sys2", tmpdir, tmpdir);
	setenv("XDG_CONFIG_DIRS", v, 1);
	snprintf(v, sizeof v, "%s/home", tmpdir);
	setenv("HOME", v, 1);
	return 0;
}

static int remove_one(const char *path, const struct stat *sb, int type,
		      struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static int tmp_done(void **state)
{
	(void)state;
	if (chdir(startdir) != 0)
		return -1;
	nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	unsetenv("FAIRTOP_POLICY");
	return 0;
}

/* Make tmpdir/rel (and its folders) holding text with mode; path gets
 * its full name. */
static void write_deep(const char *rel, const char *text, mode_t mode,
		       char *path, size_t size)
{
	snprintf(path, size, "%s/%s", tmpdir, rel);
	for (char *slash = strchr(path + strlen(tmpdir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	FILE *out = fopen(path, "w");
	assert_non_null(out);
	fputs(text, out);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* Write text to tmpdir/name; path gets the full name. */
static void write_tmp(const char *name, const char *text, char *path,
		      size_t size)
{
	snprintf(path, size, "%s/%s", tmpdir, name);
	FILE *out = fopen(path, "w");
	assert_non_null(out);
	fputs(text, out);
	assert_int_equal(fclose(out), 0);
}

/* --- helpers ---------------------------------------------------------- */

/* Read NUL-terminated INI text, named `name`, over *p. */
static int read_text(struct policy *p, const char *text, const char *name,
		     struct fail *f)
{
	struct source src = source_buffer(text, strlen(text), name);
	return policy_read(p, &src, "", f);
}

/* Read the file at path, named by its path, over *p. */
static int read_path(struct policy *p, const char *path, struct fail *f)
{
	struct source src = source_file(path, path);
	return policy_read(p, &src, "", f);
}

/* Read text as "t.ini" over the defaults; expect failure with exactly
 * want as the message. */
static void refused(const char *text, const char *want)
{
	struct policy p;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	assert_int_not_equal(read_text(&p, text, "t.ini", &f), 0);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg, want);
}

/* The full policy of the tests, every key set, none to its default. */
static const char full_ini[] =
	"# fairtop policy for the tests\n"               /* 1 */
	"[fairness]\n"                                   /* 2 */
	"max_dp_difference = 0.15\n"                     /* 3 */
	"min_dp_ratio = 0.75\n"                          /* 4 */
	"max_eo_difference = 0.2\n"                      /* 5 */
	"max_rate_drop = 0.02\n"                         /* 6 */
	"min_group_size = 50\n"                          /* 7 */
	"confidence = 0.9\n"                             /* 8 */
	"[coverage]\n"                                   /* 9 */
	"require_baseline_groups = false\n"              /* 10 */
	"max_group_shrink = 0.25\n"                      /* 11 */
	"require_baseline_rows = false\n"                /* 12 */
	"; audits of the incident\n"                     /* 13 */
	"[audits]\n"                                     /* 14 */
	"class_weight_tolerance = 1e-6\n"                /* 15 */
	"require_beta_factor = false\n"                  /* 16 */
	"[drift]\n"                                      /* 17 */
	"psi_bins = 20\n"                                /* 18 */
	"psi_warning = 0.2\n"                            /* 19 */
	"psi_critical = 0.3\n"                           /* 20 */
	"[deploy]\n"                                     /* 21 */
	"timeout = 60\n"                                 /* 22 */
	"exec = ./deploy.sh --fast\n";                   /* 23 */

/* Check the values of full_ini and that each origin is prefix+name:line. */
static void check_full(const struct policy *p, const char *prefix,
		       const char *name)
{
	static const struct {
		enum policy_key key;
		double value;
		int line;
	} want[] = {
		{POLICY_MAX_DP_DIFFERENCE, 0.15, 3},
		{POLICY_MIN_DP_RATIO, 0.75, 4},
		{POLICY_MAX_EO_DIFFERENCE, 0.2, 5},
		{POLICY_MAX_RATE_DROP, 0.02, 6},
		{POLICY_MIN_GROUP_SIZE, 50, 7},
		{POLICY_CONFIDENCE, 0.9, 8},
		{POLICY_REQUIRE_GROUPS, 0, 10},
		{POLICY_MAX_GROUP_SHRINK, 0.25, 11},
		{POLICY_REQUIRE_ROWS, 0, 12},
		{POLICY_CLASS_WEIGHT_TOL, 1e-6, 15},
		{POLICY_REQUIRE_BETA, 0, 16},
		{POLICY_PSI_BINS, 20, 18},
		{POLICY_PSI_WARNING, 0.2, 19},
		{POLICY_PSI_CRITICAL, 0.3, 20},
		{POLICY_DEPLOY_TIMEOUT, 60, 22},
	};
	char origin[1024];
	assert_int_equal(sizeof want / sizeof *want, POLICY_NKEYS);
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		assert_true(policy_get(p, want[i].key) == want[i].value);
		snprintf(origin, sizeof origin, "%s%s:%d", prefix, name,
			 want[i].line);
		assert_string_equal(p->value[want[i].key].origin, origin);
	}
	assert_string_equal(p->deploy_exec, "./deploy.sh --fast");
	snprintf(origin, sizeof origin, "%s%s:23", prefix, name);
	assert_string_equal(p->deploy_exec_origin, origin);
	snprintf(origin, sizeof origin, "%s%s", prefix, name);
	assert_string_equal(p->source, origin);
}

/* --- defaults --------------------------------------------------------- */

static void test_defaults(void **state)
{
	(void)state;
	struct policy p;
	policy_defaults(&p);
	/* DESIGN.md "Policy", and policy.h's table */
	assert_true(policy_get(&p, POLICY_MAX_DP_DIFFERENCE) == 0.10);
	assert_true(policy_get(&p, POLICY_MIN_DP_RATIO) == 0.80);
	assert_true(policy_get(&p, POLICY_MAX_EO_DIFFERENCE) == 0.10);
	assert_true(policy_get(&p, POLICY_MAX_RATE_DROP) == 0.05);
	assert_true(policy_get(&p, POLICY_MIN_GROUP_SIZE) == 30);
	assert_true(policy_get(&p, POLICY_CONFIDENCE) == 0.95);
	assert_true(policy_get(&p, POLICY_REQUIRE_GROUPS) == 1);
	assert_true(policy_get(&p, POLICY_MAX_GROUP_SHRINK) == 0.5);
	assert_true(policy_get(&p, POLICY_REQUIRE_ROWS) == 1);
	assert_true(policy_get(&p, POLICY_CLASS_WEIGHT_TOL) == 1e-9);
	assert_true(policy_get(&p, POLICY_REQUIRE_BETA) == 1);
	assert_true(policy_get(&p, POLICY_PSI_BINS) == 10);
	assert_true(policy_get(&p, POLICY_PSI_WARNING) == 0.1);
	assert_true(policy_get(&p, POLICY_PSI_CRITICAL) == 0.25);
	assert_true(policy_get(&p, POLICY_DEPLOY_TIMEOUT) == 300);
	for (int k = 0; k < POLICY_NKEYS; k++) {
		assert_string_equal(p.value[k].origin, "default");
		/* the table's default is the value in force */
		assert_true(policy_key_info(k)->default_value ==
			    policy_get(&p, k));
	}
	assert_string_equal(p.deploy_exec, "");
	assert_string_equal(p.deploy_exec_origin, "default");
	assert_string_equal(p.source, "built-in defaults");
	assert_string_equal(policy_key_info(POLICY_PSI_BINS)->section, "drift");
	assert_string_equal(policy_key_info(POLICY_PSI_BINS)->name, "psi_bins");
}

/* --- reading a whole file --------------------------------------------- */

static void test_read_buffer_full(void **state)
{
	(void)state;
	struct policy p;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	assert_int_equal(read_text(&p, full_ini, "full.ini", &f), 0);
	assert_int_equal(f.kind, FAIL_NONE);
	check_full(&p, "", "full.ini");
}

static void test_read_file_full(void **state)
{
	(void)state;
	struct policy p;
	struct fail f;
	char path[256];
	write_tmp("policy.ini", full_ini, path, sizeof path);
	policy_defaults(&p);
	fail_init(&f);
	assert_int_equal(read_path(&p, path, &f), 0);
	check_full(&p, "", path);
}

static void test_read_keeps_unset_defaults(void **state)
{
	(void)state;
	struct policy p;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	/* no final newline; spaces around '=' and an inline comment;
	 * true and false are the words for booleans */
	assert_int_equal(read_text(&p,
				   "[fairness]\n"
				   "max_dp_difference=0.2 ; looser\n"
				   "[audits]\n"
				   "require_beta_factor = true",
				   "part.ini", &f),
			 0);
	assert_true(policy_get(&p, POLICY_MAX_DP_DIFFERENCE) == 0.2);
	assert_string_equal(p.value[POLICY_MAX_DP_DIFFERENCE].origin,
			    "part.ini:2");
	assert_true(policy_get(&p, POLICY_REQUIRE_BETA) == 1);
	assert_string_equal(p.value[POLICY_REQUIRE_BETA].origin, "part.ini:4");
	assert_true(policy_get(&p, POLICY_MIN_DP_RATIO) == 0.80);
	assert_string_equal(p.value[POLICY_MIN_DP_RATIO].origin, "default");
	assert_string_equal(p.source, "part.ini");
}

static void test_missing_file(void **state)
{
	(void)state;
	struct policy p;
	struct fail f;
	char path[256];
	snprintf(path, sizeof path, "%s/absent.ini", tmpdir);
	policy_defaults(&p);
	fail_init(&f);
	assert_int_not_equal(read_path(&p, path, &f), 0);
	assert_int_equal(f.kind, FAIL_USAGE);
	char want[512];
	snprintf(want, sizeof want, "%s: cannot open the policy file", path);
	assert_string_equal(f.msg, want);
}

/* --- where policy_load looks ------------------------------------------ */

static void test_load_explicit(void **state)
{
	(void)state;
	struct policy p;
	struct fail f;
	char path[256], env[256];
	write_tmp("policy.ini", full_ini, path, sizeof path);
	/* an explicit path wins over $FAIRTOP_POLICY */
	write_tmp("env.ini", "[fairness]\nmax_dp_difference = 0.3\n", env,
		  sizeof env);
	assert_int_equal(setenv("FAIRTOP_POLICY", env, 1), 0);
	fail_init(&f);
	assert_int_equal(policy_load(&p, path, &f), 0);
	check_full(&p, "", path);
}

static void test_load_env(void **state)
{
	(void)state;
	struct policy p;
	struct fail f;
	char path[256], local[256];
	write_tmp("env.ini", full_ini, path, sizeof path);
	/* $FAIRTOP_POLICY wins over ./fairtop.ini */
	write_tmp("fairtop.ini", "[fairness]\nmax_dp_difference = 0.3\n",
		  local, sizeof local);
	assert_int_equal(chdir(tmpdir), 0);
	assert_int_equal(setenv("FAIRTOP_POLICY", path, 1), 0);
	fail_init(&f);
	assert_int_equal(policy_load(&p, NULL, &f), 0);
	check_full(&p, "$FAIRTOP_POLICY=", path);
	/* an error in it names the file without the prefix */
	write_tmp("env.ini", "[fairness]\nmax_dp_difference = 2\n", path,
		  sizeof path);
	fail_init(&f);
	assert_int_not_equal(policy_load(&p, NULL, &f), 0);
	char want[512];
	snprintf(want, sizeof want, "%s:2: max_dp_difference: expected a "
		 "number from 0 to 1, found '2'", path);
	assert_string_equal(f.msg, want);
	/* an empty $FAIRTOP_POLICY is as if unset: ./fairtop.ini */
	assert_int_equal(setenv("FAIRTOP_POLICY", "", 1), 0);
	fail_init(&f);
	assert_int_equal(policy_load(&p, NULL, &f), 0);
	assert_string_equal(p.value[POLICY_MAX_DP_DIFFERENCE].origin,
			    "fairtop.ini:2");
}

static void test_load_current_directory(void **state)
{
	(void)state;
	struct policy p;
	struct fail f;
	char path[256];
	write_tmp("fairtop.ini", full_ini, path, sizeof path);
	assert_int_equal(chdir(tmpdir), 0);
	fail_init(&f);
	assert_int_equal(policy_load(&p, NULL, &f), 0);
	check_full(&p, "", "fairtop.ini");
}

static void test_load_defaults(void **state)
{
	(void)state;
	struct policy p, d;
	struct fail f;
	/* an empty folder, no $FAIRTOP_POLICY: the built-in defaults,
	 * whatever was in *p before */
	assert_int_equal(chdir(tmpdir), 0);
	memset(&p, 0x5a, sizeof p);
	fail_init(&f);
	assert_int_equal(policy_load(&p, NULL, &f), 0);
	policy_defaults(&d);
	/* and the files it looked for, in order */
	char want[1024];
	snprintf(want, sizeof want, "./fairtop.ini\n"
		 "%s/home-config/fairtop/fairtop.ini\n"
		 "%s/sys1/fairtop/fairtop.ini\n%s/sys2/fairtop/fairtop.ini",
		 tmpdir, tmpdir, tmpdir);
	assert_string_equal(p.searched, want);
	memcpy(d.searched, p.searched, sizeof d.searched);
	assert_memory_equal(&p, &d, sizeof p);
	assert_string_equal(p.source, "built-in defaults");
	assert_string_equal(p.warning, "");
}

/* policy_search()'s list from the environment as it is now: want[0..n),
 * the system's from want[first_system] on. */
static void search_is(const char *const *want, size_t n, size_t first_system)
{
	struct policy_search s;
	assert_int_equal(policy_search(&s), n);
	assert_int_equal(s.n, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(s.path[i], want[i]);
		assert_int_equal(s.system[i], i >= first_system);
	}
}

static void test_search_order(void **state)
{
	(void)state;
	setenv("HOME", "/home/a", 1);
	setenv("XDG_CONFIG_HOME", "/cfg/a/", 1);
	setenv("XDG_CONFIG_DIRS", "/etc/one:relative::/etc/two/", 1);
	const char *const all[] = {"fairtop.ini", "/cfg/a/fairtop/fairtop.ini",
				   "/etc/one/fairtop/fairtop.ini",
				   "/etc/two/fairtop/fairtop.ini"};
	search_is(all, 4, 2);
	/* XDG_CONFIG_HOME unset, empty or relative: $HOME/.config; its
	 * XDG_CONFIG_DIRS unset or empty: /etc/xdg */
	const char *const home[] = {"fairtop.ini",
				    "/home/a/.config/fairtop/fairtop.ini",
				    "/etc/xdg/fairtop/fairtop.ini"};
	const char *const unset[] = {"", "rel", NULL};
	for (size_t i = 0; i < 3; i++) {
		if (unset[i])
			setenv("XDG_CONFIG_HOME", unset[i], 1);
		else
			unsetenv("XDG_CONFIG_HOME");
		if (unset[i])
			setenv("XDG_CONFIG_DIRS", "", 1);
		else
			unsetenv("XDG_CONFIG_DIRS");
		search_is(home, 3, 2);
	}
	/* no HOME either: no user's file */
	unsetenv("HOME");
	const char *const none[] = {"fairtop.ini",
				    "/etc/xdg/fairtop/fairtop.ini"};
	search_is(none, 2, 1);
	/* a folder too long for a path is left out, not cut */
	char longdir[POLICY_PATH_MAX];
	memset(longdir, 'x', sizeof longdir - 1);
	longdir[0] = '/';
	longdir[sizeof longdir - 1] = '\0';
	setenv("XDG_CONFIG_HOME", longdir, 1);
	search_is(none, 2, 1);
	unsetenv("XDG_CONFIG_HOME");
}

static const char pick_ini[] = "[fairness]\n; which file\nmin_dp_ratio = %s\n";

/* policy_load() in tmpdir reads the file at want (origin want:3) with
 * min_dp_ratio = ratio, and warns with warning (NULL: no warning). */
static void loads(const char *want, double ratio, const char *warning)
{
	struct policy p;
	struct fail f;
	char origin[1200];
	assert_int_equal(chdir(tmpdir), 0);
	fail_init(&f);
	assert_int_equal(policy_load(&p, NULL, &f), 0);
	assert_string_equal(p.source, want);
	snprintf(origin, sizeof origin, "%s:3", want);
	assert_string_equal(p.value[POLICY_MIN_DP_RATIO].origin, origin);
	assert_true(policy_get(&p, POLICY_MIN_DP_RATIO) == ratio);
	assert_string_equal(p.warning, warning ? warning : "");
}

static void test_load_xdg(void **state)
{
	(void)state;
	char sys2[512], sys1[512], user[512], home[512], local[512], text[128];
	snprintf(text, sizeof text, pick_ini, "0.4");
	write_deep("sys2/fairtop/fairtop.ini", text, 0644, sys2, sizeof sys2);
	loads(sys2, 0.4, NULL);
	/* the first folder of XDG_CONFIG_DIRS holding one */
	snprintf(text, sizeof text, pick_ini, "0.3");
	write_deep("sys1/fairtop/fairtop.ini", text, 0644, sys1, sizeof sys1);
	loads(sys1, 0.3, NULL);
	/* $HOME/.config is not looked at while XDG_CONFIG_HOME is set */
	snprintf(text, sizeof text, pick_ini, "0.25");
	write_deep("home/.config/fairtop/fairtop.ini", text, 0644, home,
		   sizeof home);
	loads(sys1, 0.3, NULL);
	/* the user's over the system's */
	snprintf(text, sizeof text, pick_ini, "0.2");
	write_deep("home-config/fairtop/fairtop.ini", text, 0600, user,
		   sizeof user);
	loads(user, 0.2, NULL);
	/* $HOME/.config when XDG_CONFIG_HOME is unset */
	unsetenv("XDG_CONFIG_HOME");
	loads(home, 0.25, NULL);
	/* ./fairtop.ini over them all */
	snprintf(text, sizeof text, pick_ini, "0.1");
	write_deep("fairtop.ini", text, 0644, local, sizeof local);
	loads("fairtop.ini", 0.1, NULL);
	/* a bad file found by the search is refused, not skipped */
	unlink(local);
	write_deep("home/.config/fairtop/fairtop.ini", "[fairness]\nx = 1\n",
		   0644, home, sizeof home);
	struct policy p;
	struct fail f;
	fail_init(&f);
	assert_int_not_equal(policy_load(&p, NULL, &f), 0);
	char want[1200];
	snprintf(want, sizeof want, "%s:2: expected a key of [fairness] (see "
		 "fairtop policy), found unknown key 'x'", home);
	assert_string_equal(f.msg, want);
}

static void test_load_xdg_trust(void **state)
{
	(void)state;
	char user[512], sys[512], text[128], want[1400];
	snprintf(text, sizeof text, pick_ini, "0.2");
	write_deep("home-config/fairtop/fairtop.ini", text, 0666, user,
		   sizeof user);
	snprintf(want, sizeof want, "%s is world-writable: anyone can relax "
		 "the gate or set the deploy hook", user);
	loads(user, 0.2, want);
	assert_int_equal(chmod(user, 0664), 0);
	snprintf(want, sizeof want, "%s is group-writable: anyone in its "
		 "group can relax the gate or set the deploy hook", user);
	loads(user, 0.2, want);
	unlink(user);
	snprintf(text, sizeof text, pick_ini, "0.3");
	write_deep("sys2/fairtop/fairtop.ini", text, 0646, sys, sizeof sys);
	snprintf(want, sizeof want, "%s is world-writable: anyone can relax "
		 "the gate or set the deploy hook", sys);
	loads(sys, 0.3, want);
	assert_int_equal(chmod(sys, 0644), 0);
	loads(sys, 0.3, NULL);
	/* owned by another user: only root can make one (uid 65534, nobody) */
	if (geteuid() == 0) {
		assert_int_equal(chown(sys, 65534, 65534), 0);
		snprintf(want, sizeof want, "%s is not yours: its owner can "
			 "relax the gate or set the deploy hook", sys);
		loads(sys, 0.3, want);
		write_deep("home-config/fairtop/fairtop.ini", text, 0644, user,
			   sizeof user);
		assert_int_equal(chown(user, 65534, 65534), 0);
		snprintf(want, sizeof want, "%s is not yours: its owner can "
			 "relax the gate or set the deploy hook", user);
		loads(user, 0.3, want);
	}
}

/* --- refusals ----------------------------------------------------------- */

static void test_unknown_key(void **state)
{
	(void)state;
	refused("[fairness]\nmax_dp_diff = 0.1\n",
		"t.ini:2: expected a key of [fairness] (see fairtop policy), "
		"found unknown key 'max_dp_diff'");
	/* [deploy] knows timeout and exec only */
	refused("[deploy]\nexec = x\ncommand = y\n",
		"t.ini:3: expected a key of [deploy] (see fairtop policy), "
		"found unknown key 'command'");
}

static void test_unknown_section(void **state)
{
	(void)state;
	refused("# misspelt\n[fairnes]\nmax_dp_difference = 0.1\n",
		"t.ini:3: expected a section [fairness], [coverage], "
		"[audits], [drift] or [deploy], found 'max_dp_difference' in "
		"[fairnes]");
	/* a key before any section is in section "" */
	refused("max_dp_difference = 0.1\n",
		"t.ini:1: expected a section [fairness], [coverage], "
		"[audits], [drift] or [deploy], found 'max_dp_difference' in "
		"[]");
}

static void test_out_of_range(void **state)
{
	(void)state;
	refused("[fairness]\nmax_dp_difference = 1.5\n",
		"t.ini:2: max_dp_difference: expected a number from 0 to 1, "
		"found '1.5'");
	refused("[fairness]\nmin_dp_ratio = -0.1\n",
		"t.ini:2: min_dp_ratio: expected a number from 0 to 1, "
		"found '-0.1'");
	refused("[fairness]\nmin_group_size = 0\n",
		"t.ini:2: min_group_size: expected a whole number from 1 to "
		"1e+12, found '0'");
	refused("[fairness]\nmin_group_size = 2.5\n",
		"t.ini:2: min_group_size: expected a whole number from 1 to "
		"1e+12, found '2.5'");
	refused("[fairness]\nconfidence = 1\n",
		"t.ini:2: confidence: expected a number from 0.5 to 0.999999, "
		"found '1'");
	refused("[fairness]\nconfidence = 0.4\n",
		"t.ini:2: confidence: expected a number from 0.5 to 0.999999, "
		"found '0.4'");
	refused("\n[deploy]\ntimeout = 86401\n",
		"t.ini:3: timeout: expected a whole number from 1 to 86400, "
		"found '86401'");
}

static void test_not_a_number(void **state)
{
	(void)state;
	refused("[drift]\npsi_warning = abc\n",
		"t.ini:2: psi_warning: expected a number from 0 to 1e+06, "
		"found 'abc'");
	refused("[fairness]\nmax_dp_difference = 0,1\n",
		"t.ini:2: max_dp_difference: expected a number from 0 to 1, "
		"found '0,1'");
	refused("[fairness]\nmax_dp_difference = nan\n",
		"t.ini:2: max_dp_difference: expected a number from 0 to 1, "
		"found 'nan'");
	refused("[fairness]\nmax_dp_difference =\n",
		"t.ini:2: max_dp_difference: expected a number from 0 to 1, "
		"found ''");
}

static void test_psi_bins_divides_100(void **state)
{
	(void)state;
	refused("[drift]\npsi_bins = 30\n",
		"t.ini:2: psi_bins: expected a whole number from 1 to 100 "
		"that divides 100, found '30'");
	refused("[drift]\npsi_bins = 200\n",
		"t.ini:2: psi_bins: expected a whole number from 1 to 100 "
		"that divides 100, found '200'");
	/* every divisor of 100 is taken */
	static const int divisors[] = {1, 2, 4, 5, 10, 20, 25, 50, 100};
	for (size_t i = 0; i < sizeof divisors / sizeof *divisors; i++) {
		char text[64];
		struct policy p;
		struct fail f;
		snprintf(text, sizeof text, "[drift]\npsi_bins = %d\n",
			 divisors[i]);
		policy_defaults(&p);
		fail_init(&f);
		assert_int_equal(read_text(&p, text, "t.ini", &f), 0);
		assert_true(policy_get(&p, POLICY_PSI_BINS) == divisors[i]);
	}
}

static void test_bool(void **state)
{
	(void)state;
	refused("[audits]\nrequire_beta_factor = maybe\n",
		"t.ini:2: require_beta_factor: expected true or false, found "
		"'maybe'");
	refused("[coverage]\nrequire_baseline_rows = 2\n",
		"t.ini:2: require_baseline_rows: expected true or false, "
		"found '2'");
}

static void test_syntax(void **state)
{
	(void)state;
	refused("[fairness]\nmax_dp_difference 0.1\n",
		"t.ini:2: expected 'key = value', '[section]' or a comment");
	refused("[fairness\nmax_dp_difference = 0.1\n",
		"t.ini:1: expected 'key = value', '[section]' or a comment");
}

static void test_psi_warning_above_critical(void **state)
{
	(void)state;
	/* FILE:LINE of the later of the two, expected and found */
	refused("[drift]\npsi_warning = 0.3\npsi_critical = 0.2\n",
		"t.ini:3: psi_critical: expected at least psi_warning (0.3, "
		"t.ini:2), found 0.2");
	refused("[drift]\npsi_critical = 0.2\n\npsi_warning = 0.3\n",
		"t.ini:4: psi_warning: expected at most psi_critical (0.2, "
		"t.ini:2), found 0.3");
	/* against the default psi_critical 0.25 */
	refused("[drift]\npsi_warning = 0.5\n",
		"t.ini:2: psi_warning: expected at most psi_critical (0.25, "
		"default), found 0.5");
	/* against the default psi_warning 0.1 */
	refused("[drift]\npsi_critical = 0.05\n",
		"t.ini:2: psi_critical: expected at least psi_warning (0.1, "
		"default), found 0.05");
	/* equal is allowed */
	struct policy p;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	assert_int_equal(read_text(&p, "[drift]\npsi_warning = 0.25\n",
				   "t.ini", &f),
			 0);
}

static void test_first_error_reported(void **state)
{
	(void)state;
	/* a bad value first, then a syntax error */
	refused("[fairness]\nmax_dp_difference = 7\n\nnonsense\n",
		"t.ini:2: max_dp_difference: expected a number from 0 to 1, "
		"found '7'");
	/* a syntax error first, then a bad value */
	refused("[fairness]\nnonsense\nmax_dp_difference = 7\n",
		"t.ini:2: expected 'key = value', '[section]' or a comment");
	/* two bad values: the first */
	refused("[fairness]\nmin_dp_ratio = 2\nmax_eo_difference = 3\n",
		"t.ini:2: min_dp_ratio: expected a number from 0 to 1, "
		"found '2'");
	/* an unknown key, then a bad value */
	refused("[drift]\nbins = 10\npsi_bins = 7\n",
		"t.ini:2: expected a key of [drift] (see fairtop policy), "
		"found unknown key 'bins'");
}

/* inih reads a line into a buffer of 200 bytes and takes what does not
 * fit for a line of its own.  A line of 199 bytes fits; a longer one is
 * refused at its own line number, and the lines after it keep theirs. */
static void test_long_line(void **state)
{
	(void)state;
	char text[1024], value[400], path[256];
	struct policy p;
	struct fail f;

	/* "exec = " and 192 x: 199 bytes, then the newline */
	memset(value, 'x', 192);
	value[192] = '\0';
	snprintf(text, sizeof text,
		 "[deploy]\nexec = %s\n[fairness]\nmax_dp_difference = 0.3\n",
		 value);
	policy_defaults(&p);
	fail_init(&f);
	assert_int_equal(read_text(&p, text, "t.ini", &f), 0);
	assert_string_equal(p.deploy_exec, value);
	assert_string_equal(p.deploy_exec_origin, "t.ini:2");
	assert_string_equal(p.value[POLICY_MAX_DP_DIFFERENCE].origin,
			    "t.ini:4");

	/* one byte more: refused at line 2, from memory and from a file */
	memset(value, 'x', 193);
	value[193] = '\0';
	snprintf(text, sizeof text,
		 "[deploy]\nexec = %s\n[fairness]\nmax_dp_difference = 0.3\n",
		 value);
	refused(text, "t.ini:2: expected a line of at most 199 bytes, found "
		"a longer one");
	write_tmp("long.ini", text, path, sizeof path);
	policy_defaults(&p);
	fail_init(&f);
	assert_int_not_equal(read_path(&p, path, &f), 0);
	char want[512];
	snprintf(want, sizeof want, "%s:2: expected a line of at most 199 "
		 "bytes, found a longer one", path);
	assert_string_equal(f.msg, want);

	/* a bad value after a long line keeps its own line number */
	memset(value, 'x', 300);
	value[300] = '\0';
	snprintf(text, sizeof text,
		 "[fairness]\nmax_dp_difference = 3\n# %s\n", value);
	refused(text, "t.ini:2: max_dp_difference: expected a number from 0 "
		"to 1, found '3'");
	snprintf(text, sizeof text,
		 "# %s\n[fairness]\nmax_dp_difference = 3\n", value);
	refused(text, "t.ini:1: expected a line of at most 199 bytes, found "
		"a longer one");

	/* the last line may be 199 bytes without a newline */
	memset(value, 'y', 192);
	value[192] = '\0';
	snprintf(text, sizeof text, "[deploy]\nexec = %s", value);
	policy_defaults(&p);
	fail_init(&f);
	assert_int_equal(read_text(&p, text, "t.ini", &f), 0);
	assert_string_equal(p.deploy_exec, value);
}

/* --- JSON ------------------------------------------------------------ */

/* A small JSON checker, enough for policy_to_json: an object of string
 * keys and number values (RFC 8259 grammar for both). */
static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static const char *json_string(const char *s)
{
	if (*s++ != '"')
		return NULL;
	while (*s != '"') {
		if ((unsigned char)*s < 0x20)
			return NULL;
		if (*s == '\\') {
			s++;
			if (strchr("\"\\/bfnrtu", *s) == NULL || *s == '\0')
				return NULL;
		}
		s++;
	}
	return s + 1;
}

static const char *json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (isdigit((unsigned char)*s))
			s++;
	else
		return NULL;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return NULL;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return NULL;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return s;
}

/* 1 when s is one JSON object of string: number, string or null
 * members; *count gets the number of members. */
static int json_flat_object(const char *s, size_t *count)
{
	*count = 0;
	s = skip_ws(s);
	if (*s++ != '{')
		return 0;
	s = skip_ws(s);
	if (*s == '}')
		return *skip_ws(s + 1) == '\0';
	for (;;) {
		if ((s = json_string(skip_ws(s))) == NULL)
			return 0;
		s = skip_ws(s);
		if (*s++ != ':')
			return 0;
		s = skip_ws(s);
		if (strncmp(s, "null", 4) == 0)
			s += 4;
		else if ((s = *s == '"' ? json_string(s) : json_number(s)) ==
			 NULL)
			return 0;
		(*count)++;
		s = skip_ws(s);
		if (*s == '}')
			return *skip_ws(s + 1) == '\0';
		if (*s++ != ',')
			return 0;
	}
}

static void test_json_checker(void **state)
{
	(void)state;
	size_t n;
	assert_true(json_flat_object("{}", &n));
	assert_true(json_flat_object("{\"a\": 1, \"b\": -0.5e-3}", &n));
	assert_int_equal(n, 2);
	assert_false(json_flat_object("{\"a\": 1,}", &n));
	assert_false(json_flat_object("{\"a\": nan}", &n));
	assert_false(json_flat_object("{\"a\": 01}", &n));
	assert_false(json_flat_object("{\"a\": 1.}", &n));
	assert_false(json_flat_object("{\"a\": 1} x", &n));
	assert_false(json_flat_object("{a: 1}", &n));
	assert_true(json_flat_object("{\"a\": null, \"b\": \"x\\\"y\"}", &n));
	assert_int_equal(n, 2);
	assert_false(json_flat_object("{\"a\": \"x}", &n));
}

static void test_json_defaults(void **state)
{
	(void)state;
	struct policy p;
	policy_defaults(&p);
	char *json = policy_to_json(&p);
	assert_non_null(json);
	/* the numbers as Python prints "%.17g" % x */
	assert_string_equal(json,
		"{\"fairness.max_dp_difference\": 0.10000000000000001, "
		"\"fairness.min_dp_ratio\": 0.80000000000000004, "
		"\"fairness.max_eo_difference\": 0.10000000000000001, "
		"\"fairness.max_rate_drop\": 0.050000000000000003, "
		"\"fairness.min_group_size\": 30, "
		"\"fairness.confidence\": 0.94999999999999996, "
		"\"coverage.require_baseline_groups\": 1, "
		"\"coverage.max_group_shrink\": 0.5, "
		"\"coverage.require_baseline_rows\": 1, "
		"\"audits.class_weight_tolerance\": 1.0000000000000001e-09, "
		"\"audits.require_beta_factor\": 1, "
		"\"drift.psi_bins\": 10, "
		"\"drift.psi_warning\": 0.10000000000000001, "
		"\"drift.psi_critical\": 0.25, "
		"\"deploy.timeout\": 300, "
		"\"deploy.exec\": null}");
	size_t n;
	assert_true(json_flat_object(json, &n));
	assert_int_equal(n, POLICY_NKEYS + 1);
	free(json);
}

static void test_json_read(void **state)
{
	(void)state;
	struct policy p;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	assert_int_equal(read_text(&p, full_ini, "full.ini", &f), 0);
	char *json = policy_to_json(&p);
	assert_non_null(json);
	size_t n;
	assert_true(json_flat_object(json, &n));
	assert_int_equal(n, POLICY_NKEYS + 1);
	assert_non_null(strstr(json, "\"fairness.max_dp_difference\": "
				     "0.14999999999999999, "));
	assert_non_null(strstr(json, "\"audits.class_weight_tolerance\": "
				     "9.9999999999999995e-07, "));
	assert_non_null(strstr(json, "\"coverage.require_baseline_rows\": "
				     "0, "));
	assert_non_null(strstr(json, "\"deploy.timeout\": 60, "
				     "\"deploy.exec\": \"./deploy.sh --fast\"}"));
	free(json);
}

/* A hook command with quotes, a backslash and a control character
 * stays one valid JSON string. */
static void test_json_exec_escaped(void **state)
{
	(void)state;
	struct policy p;
	policy_defaults(&p);
	snprintf(p.deploy_exec, sizeof p.deploy_exec,
		 "sh -c \"echo a\\b\"\t\x01");
	char *json = policy_to_json(&p);
	assert_non_null(json);
	size_t n;
	assert_true(json_flat_object(json, &n));
	assert_int_equal(n, POLICY_NKEYS + 1);
	assert_non_null(strstr(json, "\"deploy.exec\": "
				     "\"sh -c \\\"echo a\\\\b\\\"\\u0009\\u0001\"}"));
	free(json);
}

/* --- the man page -------------------------------------------------- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	static char buf[1 << 17];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* text with '-' written "\-", as roff wants it, into out. */
static void roff_escape(char *out, size_t size, const char *text)
{
	size_t n = 0;
	for (; *text && n + 3 < size; text++) {
		if (*text == '-')
			out[n++] = '\\';
		out[n++] = *text;
	}
	out[n] = '\0';
}

/* Every key of the table in man/fairtop.ini.5, under ".SS [section]",
 * as ".TP\n.B name\n" followed by its type, default and range in the
 * words of the parser's messages (%g); every key the page lists under
 * KEYS is the table's (or [deploy] exec). */
static void test_man_page(void **state)
{
	(void)state;
	const char *man = slurp("man/fairtop.ini.5");
	if (man == NULL)
		man = slurp("../../man/fairtop.ini.5");
	assert_non_null(man);
	const char *keys = strstr(man, "\n.SH KEYS\n");
	assert_non_null(keys);
	const char *keys_end = strstr(keys + 1, "\n.SH ");
	assert_non_null(keys_end);
	int bad = 0;
	for (int k = 0; k < POLICY_NKEYS; k++) {
		const struct policy_key_info *ki = policy_key_info(k);
		char head[64], want[256], line[256];
		snprintf(head, sizeof head, "\n.SS [%s]\n", ki->section);
		const char *sec = strstr(keys, head);
		if (sec == NULL || sec > keys_end) {
			print_error("fairtop.ini.5: no section [%s]\n",
				    ki->section);
			bad = 1;
			continue;
		}
		const char *sec_end = strstr(sec + 1, "\n.S");
		snprintf(head, sizeof head, "\n.TP\n.B %s\n", ki->name);
		const char *at = strstr(sec, head);
		if (at == NULL || at > sec_end) {
			print_error("fairtop.ini.5: [%s] %s is not listed\n",
				    ki->section, ki->name);
			bad = 1;
			continue;
		}
		at += strlen(head);
		if (ki->is_bool)
			snprintf(line, sizeof line, "A boolean; default %s.",
				 ki->default_value ? "true" : "false");
		else
			snprintf(line, sizeof line,
				 "A %s; default %g; from %g to %g.",
				 ki->is_int ? "whole number" : "number",
				 ki->default_value, ki->min, ki->max);
		roff_escape(want, sizeof want, line);
		size_t n = strcspn(at, "\n");
		if (strlen(want) != n || strncmp(at, want, n) != 0) {
			print_error("fairtop.ini.5: [%s] %s: expected '%s', "
				    "found '%.*s'\n", ki->section, ki->name,
				    want, (int)n, at);
			bad = 1;
		}
	}
	/* and the reverse: each ".TP\n.B name" under KEYS is a key */
	for (const char *p = strstr(keys, "\n.TP\n.B "); p && p < keys_end;
	     p = strstr(p + 1, "\n.TP\n.B ")) {
		const char *name = p + strlen("\n.TP\n.B ");
		size_t n = strcspn(name, "\n");
		int known = n == 4 && strncmp(name, "exec", 4) == 0;
		for (int k = 0; k < POLICY_NKEYS && !known; k++) {
			const char *kn = policy_key_info(k)->name;
			known = strlen(kn) == n && strncmp(kn, name, n) == 0;
		}
		if (!known) {
			print_error("fairtop.ini.5: lists '%.*s', not a key of "
				    "the policy\n", (int)n, name);
			bad = 1;
		}
	}
	assert_int_equal(bad, 0);
}

/* A policy file at a path longer than the copies kept for display:
 * the source and each value's origin are cut visibly, at a character,
 * and stay valid UTF-8. */
static void test_long_path_cut_visibly(void **state)
{
	(void)state;
	char name[1400];
	size_t n = 0;
	while (n + 2 < 1300) { /* "/\xc3\xa9" ... : 600 two-byte characters */
		memcpy(name + n, "\xc3\xa9", 2);
		n += 2;
	}
	memcpy(name + n, ".ini", 5);
	struct policy p;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	assert_int_equal(read_text(&p, "[fairness]\nmax_dp_difference = 0.2\n",
				   name, &f),
			 0);
	size_t len = strlen(p.source);
	assert_true(len < sizeof p.source);
	assert_true(len >= sizeof p.source - 5);
	assert_string_equal(p.source + len - 3, "...");
	assert_true(text_is_safe(p.source, len));
	const char *origin = p.value[POLICY_MAX_DP_DIFFERENCE].origin;
	len = strlen(origin);
	assert_string_equal(origin + len - 3, "...");
	assert_true(text_is_safe(origin, len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_path_cut_visibly),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_read_buffer_full),
		cmocka_unit_test_setup_teardown(test_read_file_full, tmp_make,
						tmp_done),
		cmocka_unit_test(test_read_keeps_unset_defaults),
		cmocka_unit_test_setup_teardown(test_missing_file, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_load_explicit, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_load_env, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_load_current_directory,
						tmp_make, tmp_done),
		cmocka_unit_test_setup_teardown(test_search_order, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_load_xdg, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_load_xdg_trust, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_load_defaults, tmp_make,
						tmp_done),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_not_a_number),
		cmocka_unit_test(test_psi_bins_divides_100),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_psi_warning_above_critical),
		cmocka_unit_test(test_first_error_reported),
		cmocka_unit_test_setup_teardown(test_long_line, tmp_make,
						tmp_done),
		cmocka_unit_test(test_json_checker),
		cmocka_unit_test(test_json_defaults),
		cmocka_unit_test(test_json_read),
		cmocka_unit_test(test_json_exec_escaped),
		cmocka_unit_test(test_man_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
