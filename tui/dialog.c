/*
 * dialog.c — text fields and the rollback and deploy dialogs.  See
 * dialog.h.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui/dialog.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define KEY_ESCAPE 27

void field_set(struct field *fl, const char *text)
{
	snprintf(fl->text, sizeof fl->text, "%s", text ? text : "");
	fl->len = strlen(fl->text);
}

int field_key(struct field *fl, int key)
{
	if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (fl->len == 0)
			return 1;
		do
			fl->len--;
		while (fl->len > 0 &&
		       ((unsigned char)fl->text[fl->len] & 0xc0) == 0x80);
		fl->text[fl->len] = '\0';
		return 1;
	}
	if (key >= 0x20 && key <= 0xff && key != 127) {
		if (fl->len + 1 >= sizeof fl->text)
			return 1;
		fl->text[fl->len++] = (char)key;
		fl->text[fl->len] = '\0';
		return 1;
	}
	return 0;
}

void dialog_open(struct decision_dialog *d, const char *target,
		 const char *actor)
{
	memset(d, 0, sizeof *d);
	snprintf(d->target, sizeof d->target, "%s", target);
	field_set(&d->by, actor);
	d->focus = FOCUS_REASON;
}

void dialog_open_deploy(struct decision_dialog *d, const char *target,
			const char *actor)
{
	dialog_open(d, target, actor);
	d->kind = DIALOG_DEPLOY;
}

void dialog_set_target(struct decision_dialog *d, const char *target)
{
	snprintf(d->target, sizeof d->target, "%s", target);
}

int dialog_ready(const struct decision_dialog *d)
{
	return dialog_missing(d)[0] == '\0';
}

const char *dialog_missing(const struct decision_dialog *d)
{
	if (d->by.len == 0)
		return d->kind == DIALOG_DEPLOY ? "who is deploying (by)"
						: "who is rolling back (by)";
	if (d->reason.len == 0)
		return "a reason";
	if (d->kind == DIALOG_ROLLBACK &&
	    strcmp(d->confirm.text, d->target) != 0)
		return "the target's run id, typed to confirm";
	return "";
}

enum dialog_action dialog_key(struct decision_dialog *d, int key)
{
	/* a deploy's fields are by and reason */
	int n = d->kind == DIALOG_DEPLOY ? FOCUS_CONFIRM : FOCUS_COUNT;
	switch (key) {
	case KEY_ESCAPE:
		return DIALOG_CANCEL;
	case '\t':
	case KEY_DOWN:
		d->focus = (enum dialog_focus)((d->focus + 1) % n);
		return DIALOG_NONE;
	case KEY_BTAB:
	case KEY_UP:
		d->focus = (enum dialog_focus)((d->focus + n - 1) % n);
		return DIALOG_NONE;
	case '\n':
	case '\r':
	case KEY_ENTER:
		return dialog_ready(d) ? DIALOG_SUBMIT : DIALOG_REFUSED;
	default:
		break;
	}
	struct field *fl = d->focus == FOCUS_BY       ? &d->by
			 : d->focus == FOCUS_REASON ? &d->reason
						    : &d->confirm;
	field_key(fl, key);
	return DIALOG_NONE;
}
