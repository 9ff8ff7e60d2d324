/*
 * screen.h — the terminal: setup, colours, and drawing text safely.
 *
 * Everything drawn goes through screen_put(), which strips control
 * characters (core/text.h) and clips to a width counted in characters,
 * so no name from an input file can move the cursor or spill over.
 * Colours follow NO_COLOR and --color; every status also reads through
 * a sign or a word, never colour alone.  UTF-8 locales get Unicode
 * lines and braille; others get ASCII.
 */
#ifndef FAIRTOP_SCREEN_H
#define FAIRTOP_SCREEN_H

#include <stddef.h>
#include <stdio.h>

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* What a piece of text is, mapped to colour and attributes. */
enum role {
	ROLE_NORMAL,
	ROLE_HEADER,   /* the header bar and key bar */
	ROLE_TITLE,    /* section titles */
	ROLE_SELECTED, /* the selected row */
	ROLE_GOOD,     /* passes */
	ROLE_WARN,
	ROLE_BAD,      /* fails, critical */
	ROLE_LOUD,     /* overrides: never to be missed */
	ROLE_DIM,
	ROLE_TAB,      /* the current view's tab */
	ROLE_NROLES
};

/* Start curses on the terminal (or, for benchmarks, on `out` with a
 * given size: pass NULL for the real terminal).  Returns 0 or -1. */
int screen_open(enum color_mode mode, FILE *out, int lines, int cols);
void screen_close(void);

/* 1 when the locale is UTF-8 (Unicode lines, braille charts). */
int screen_unicode(void);

/* Draw s at (y, x) in at most width characters with role r; a cut text
 * ends in "…" ("~" in ASCII).  Returns the characters drawn. */
int screen_put(int y, int x, int width, const char *s, enum role r);

/* Like screen_put, right-aligned in width. */
int screen_put_right(int y, int x, int width, const char *s, enum role r);

/* Fill a row segment with spaces in role r. */
void screen_fill(int y, int x, int width, enum role r);

/* A horizontal rule. */
void screen_rule(int y, int x, int width);

/* A box with a title (for dialogs). */
void screen_box(int y, int x, int h, int w, const char *title);

/* Terminal columns of a sanitised UTF-8 string (text_width: two for a
 * wide character, none for a combining mark). */
size_t screen_width(const char *s);

/* s sanitised and word-wrapped into at most `lines` lines of `width`
 * from (y, x), each line filled in the role's colours; the last line
 * ends in "…" when there is more.  Returns the lines used. */
int screen_put_wrapped(int y, int x, int width, int lines, const char *s,
		       enum role r);

/* The attribute curses uses for a role (for the chart). */
int screen_attr(enum role r);

#endif
