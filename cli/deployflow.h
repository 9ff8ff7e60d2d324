/*
 * deployflow.h — a deployment from the command line: carried out by
 * service/deployrun.h, told in plain words here.
 */
#ifndef FAIRTOP_DEPLOYFLOW_H
#define FAIRTOP_DEPLOYFLOW_H

#include "service/deployrun.h"

/* Carry out the request and say what happened.  Returns an exit code:
 * 0 done, 1 the hook failed or timed out, 70 the store failed. */
int deployflow_run(struct store *s, const struct deploy_request *req);

/* The hook to run: --exec's value (borrowed) when given, else the
 * policy's; an empty --exec over a policy's hook says so on stdout. */
const char *deployflow_hook(const char *exec, const struct policy *p);

/* The actor: explicit, else $USER; NULL when neither. */
const char *deployflow_actor(const char *explicit_actor);

#endif
