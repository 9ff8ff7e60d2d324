/*
 * actor.c — the default actor.  See actor.h.
 */
#include "core/actor.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

const char *actor_default(void)
{
	static char login[256];
	const char *user = getenv("USER");
	if (user != NULL && *user != '\0')
		return user;
	struct passwd *pw = getpwuid(getuid());
	if (pw == NULL || pw->pw_name == NULL || pw->pw_name[0] == '\0')
		return NULL;
	snprintf(login, sizeof login, "%s", pw->pw_name);
	return login;
}
