/*
 * dialog.h — the state of the dialogs that decide what is in
 * production (R's rollback, d's deploy), and text fields.
 *
 * As k9s does for dangerous actions, the rollback is enabled only once
 * the target's run id is typed into the confirmation field (and a
 * reason and an actor are there).  A deploy asks for the actor and a
 * reason only: the gate judges the run before anything is written, and
 * one that fails is refused.  Pure state: keys in, actions out, so it
 * is tested without a terminal.
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
	DIALOG_SUBMIT, /* Enter with everything in place: go ahead */
	DIALOG_REFUSED /* Enter but not ready: say what is missing */
};

enum dialog_kind {
	DIALOG_ROLLBACK, /* the target's id typed to confirm */
	DIALOG_DEPLOY,   /* by and reason only: no confirm field */
};

struct decision_dialog {
	enum dialog_kind kind;
	char target[FIELD_MAX];
	struct field by, reason, confirm;
	enum dialog_focus focus;
};

/* The rollback dialog for target, by filled with actor. */
void dialog_open(struct decision_dialog *d, const char *target,
		 const char *actor);

/* The deploy dialog for target, by filled with actor. */
void dialog_open_deploy(struct decision_dialog *d, const char *target,
			const char *actor);

/* Another target (the deploy dialog's choice among runs); the fields
 * keep what was typed. */
void dialog_set_target(struct decision_dialog *d, const char *target);

/* 1 when the decision may go: a reason and an actor are given, and for
 * a rollback the confirmation equals the target. */
int dialog_ready(const struct decision_dialog *d);

/* What is missing, in words ("" when ready). */
const char *dialog_missing(const struct decision_dialog *d);

/* Tab / Shift-Tab (KEY_BTAB) / up and down arrows move between fields
 * (by and reason only in a deploy); Enter submits; Esc cancels. */
enum dialog_action dialog_key(struct decision_dialog *d, int key);

#endif
