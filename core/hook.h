/*
 * hook.h — running the team's deploy hook, without a shell.
 *
 * The command (from the policy's [deploy] exec or --exec) is split into
 * words on blanks, with '...' and "..." grouping words; nothing is
 * expanded, and user text (the reason, the actor) reaches the hook only
 * through its environment: FAIRTOP_RUN, FAIRTOP_MODEL, FAIRTOP_VERSION,
 * FAIRTOP_ACTION, FAIRTOP_REASON, FAIRTOP_ACTOR.  The hook runs in its
 * own process group; past the timeout the group gets SIGTERM, then
 * SIGKILL two seconds later.  The same when fairtop itself gets SIGINT
 * (Ctrl-C), SIGTERM or SIGHUP while the hook runs: the hook is stopped,
 * the signal noted in the result, so that the caller records the
 * deployment failed before it exits, instead of dying with the hook
 * still shipping and the deployment pending forever.
 */
#ifndef FAIRTOP_HOOK_H
#define FAIRTOP_HOOK_H

#include "core/fail.h"

#define HOOK_TAIL 4096

struct hook_env {
	const char *run, *model, *version, *action, *reason, *actor;
};

struct hook_result {
	int status;    /* exit status; -1 when killed by a signal */
	int signal;    /* the signal that ended it, 0 when none */
	int timed_out; /* killed after the timeout */
	int stopped_by; /* the signal fairtop got that stopped it, or 0 */
	char tail[HOOK_TAIL]; /* the end of its stdout and stderr */
};

/* Run command with env for at most timeout_seconds.  Returns 0 when the
 * hook ran (whatever its status: see *r), -1 when it could not be
 * started (*f says why). */
int hook_run(const char *command, const struct hook_env *env,
	     int timeout_seconds, struct hook_result *r, struct fail *f);

#endif
