/*
 * actor.h — who is acting, when no --by says so.
 *
 * As git and sudo do: $USER when it is set and not empty, else the
 * login name of the process's user id.  Every command and the dashboard
 * record the same name for the same person.
 */
#ifndef FAIRTOP_ACTOR_H
#define FAIRTOP_ACTOR_H

/* The default actor: borrowed ($USER, or a static copy of the login
 * name, valid until the next call); NULL when neither is known. */
const char *actor_default(void);

#endif
