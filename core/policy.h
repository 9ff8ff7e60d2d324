/*
 * policy.h — the fairness policy: thresholds the gate and alerts apply.
 *
 * Read from an INI file (inih): --policy FILE, else $FAIRTOP_POLICY,
 * else the first that exists of ./fairtop.ini,
 * ${XDG_CONFIG_HOME:-$HOME/.config}/fairtop/fairtop.ini and
 * DIR/fairtop/fairtop.ini for each DIR of ${XDG_CONFIG_DIRS:-/etc/xdg},
 * else the built-in defaults.  Every
 * value remembers where it came from, so `fairtop policy` can say so
 * and each gate decision can store the policy in force.  Unknown
 * sections or keys and out-of-range values are refused with file:line.
 */
#ifndef FAIRTOP_POLICY_H
#define FAIRTOP_POLICY_H

#include <stddef.h>

#include "core/fail.h"
#include "core/source.h"

enum policy_key {
	POLICY_MAX_DP_DIFFERENCE,   /* fairness.max_dp_difference */
	POLICY_MIN_DP_RATIO,        /* fairness.min_dp_ratio */
	POLICY_MAX_EO_DIFFERENCE,   /* fairness.max_eo_difference */
	POLICY_MAX_RATE_DROP,       /* fairness.max_rate_drop */
	POLICY_MIN_GROUP_SIZE,      /* fairness.min_group_size */
	POLICY_CONFIDENCE,          /* fairness.confidence */
	POLICY_REQUIRE_GROUPS,      /* coverage.require_baseline_groups */
	POLICY_MAX_GROUP_SHRINK,    /* coverage.max_group_shrink */
	POLICY_REQUIRE_ROWS,        /* coverage.require_baseline_rows */
	POLICY_CLASS_WEIGHT_TOL,    /* audits.class_weight_tolerance */
	POLICY_REQUIRE_BETA,        /* audits.require_beta_factor */
	POLICY_PSI_BINS,            /* drift.psi_bins */
	POLICY_PSI_WARNING,         /* drift.psi_warning */
	POLICY_PSI_CRITICAL,        /* drift.psi_critical */
	POLICY_DEPLOY_TIMEOUT,      /* deploy.timeout (seconds) */
	POLICY_NKEYS
};

struct policy_value {
	double number;      /* numbers and booleans (0/1) */
	char origin[512];   /* "default", "fairtop.ini:3", ... */
};

struct policy {
	struct policy_value value[POLICY_NKEYS];
	char deploy_exec[1024]; /* deploy.exec, "" when none */
	char deploy_exec_origin[512];
	char source[512];       /* the file read, or "built-in defaults" */
	/* "" or, for a file found by the search (not named by --policy or
	 * $FAIRTOP_POLICY) that others may have written (not yours, group-
	 * or world-writable), why it should not be trusted: the CLI prints
	 * it as a warning */
	char warning[1280];
	/* the files the search looks at, in order, one a line
	 * ("./fairtop.ini\n/home/a/.config/fairtop/fairtop.ini\n..."),
	 * whether one was found or not; "" when --policy or
	 * $FAIRTOP_POLICY named the file */
	char searched[2048];
};

/* Description of a key, for `fairtop policy` and the docs. */
struct policy_key_info {
	const char *section, *name;
	double default_value;
	double min, max;
	int is_bool, is_int;
	const char *meaning;
};
const struct policy_key_info *policy_key_info(enum policy_key k);

/* The built-in defaults. */
void policy_defaults(struct policy *p);

/* Read INI from src (a file or a buffer, named src->name in messages
 * and origins) over the values already in *p.  origin_prefix is "" or
 * "$FAIRTOP_POLICY=" (shown before "file:line"). */
int policy_read(struct policy *p, const struct source *src,
		const char *origin_prefix, struct fail *f);

/* Resolve as fairtop does: explicit (may be NULL), then $FAIRTOP_POLICY,
 * then the first file of the search (policy_search()) that exists, then
 * defaults.  A file found by the search that others may write, or that
 * is not the user's (in a system folder of XDG_CONFIG_DIRS: neither the
 * user's nor root's), sets p->warning. */
int policy_load(struct policy *p, const char *explicit_path, struct fail *f);

/* The files the search looks at, in order, from the environment now:
 * "fairtop.ini" (the current folder); $XDG_CONFIG_HOME/fairtop/fairtop.ini,
 * or $HOME/.config/fairtop/fairtop.ini when XDG_CONFIG_HOME is unset,
 * empty or relative (none when HOME is too); DIR/fairtop/fairtop.ini for
 * each absolute DIR of the colon-separated $XDG_CONFIG_DIRS (/etc/xdg
 * when unset or empty).  path[i] of at most POLICY_PATH_MAX bytes; a
 * path that would be longer is left out.  system[i] is 1 for the
 * XDG_CONFIG_DIRS files.  Returns how many (at most POLICY_SEARCH_MAX). */
#define POLICY_SEARCH_MAX 16
#define POLICY_PATH_MAX 1024
struct policy_search {
	char path[POLICY_SEARCH_MAX][POLICY_PATH_MAX];
	int system[POLICY_SEARCH_MAX];
	size_t n;
};
size_t policy_search(struct policy_search *s);

static inline double policy_get(const struct policy *p, enum policy_key k)
{
	return p->value[k].number;
}

/* The policy as a JSON object (for storing with gate decisions) into a
 * malloc'ed string the caller frees; NULL when out of memory.  Every
 * key as "section.name": its number, and "deploy.exec": the hook's
 * command as a string, or null when there is none. */
char *policy_to_json(const struct policy *p);

/* The digest of the keys a verdict depends on (every key but the
 * [deploy] section's) and of the rules' version (JUDGE_RULES_VERSION),
 * 16 hex digits and a NUL: two policies with the same digest judge every
 * run alike.  Kept with each verdict, so that
 * one made under another policy is never shown as current. */
#define POLICY_DIGEST_SIZE 17
void policy_digest(const struct policy *p, char out[POLICY_DIGEST_SIZE]);

#endif
