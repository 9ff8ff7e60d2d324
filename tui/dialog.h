/*
 * dialog.h — the rollback dialog's state, and text fields.
 *
 * As k9s does for dangerous actions, the rollback is enabled only once
 * the target's run id is typed into the confirmation field (and a
 * reason and an actor are there).  Pure state: keys in, actions out, so
 * it is tested without a terminal.
 */
#ifndef FAIRTOP_DIALOG_H
#define FAIRTOP_DIALOG_H

#include <stddef.h>

#define FIELD_MAX 256

/* A one-line text field. */
struct field {
	char text[FIELD_MAX];
	size_t len;
};

/* Apply a key to a field: printable bytes are added, Backspace removes
 * the last character (a whole UTF-8 sequence).  Returns 1 when the key
 * was taken. */
int field_key(struct field *fl, int key);
void field_set(struct field *fl, const char *text);

enum dialog_focus { FOCUS_BY, FOCUS_REASON, FOCUS_CONFIRM, FOCUS_COUNT };

enum dialog_action {
	DIALOG_NONE,   /* key taken, nothing to do */
	DIALOG_CANCEL, /* Esc: close, nothing written */
	DIALOG_SUBMIT, /* Enter with everything in place: roll back */
	DIALOG_REFUSED /* Enter but not ready: say what is missing */
};

struct rollback_dialog {
	char target[FIELD_MAX];
	struct field by, reason, confirm;
	enum dialog_focus focus;
};

void dialog_open(struct rollback_dialog *d, const char *target,
		 const char *actor);

/* 1 when the rollback may go: confirmation equals the target, and a
 * reason and an actor are given. */
int dialog_ready(const struct rollback_dialog *d);

/* What is missing, in words ("" when ready). */
const char *dialog_missing(const struct rollback_dialog *d);

/* Tab / Shift-Tab (KEY_BTAB) / arrows move between fields; Enter
 * submits; Esc cancels. */
enum dialog_action dialog_key(struct rollback_dialog *d, int key);

#endif
