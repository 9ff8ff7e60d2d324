/*
 * screen.c — curses setup and safe drawing.  See screen.h.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui/screen.h"

#include <assert.h>
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static int unicode;
static int colors;
static SCREEN *bench_screen;

int screen_unicode(void)
{
	return unicode;
}

static const short role_pair[ROLE_NROLES][2] = {
	[ROLE_NORMAL] = {-1, -1},          [ROLE_HEADER] = {COLOR_BLACK, COLOR_CYAN},
	[ROLE_TITLE] = {COLOR_CYAN, -1},   [ROLE_SELECTED] = {COLOR_BLACK, COLOR_WHITE},
	[ROLE_GOOD] = {COLOR_GREEN, -1},   [ROLE_WARN] = {COLOR_YELLOW, -1},
	[ROLE_BAD] = {COLOR_RED, -1},      [ROLE_LOUD] = {COLOR_WHITE, COLOR_RED},
	[ROLE_DIM] = {COLOR_BLUE, -1},     [ROLE_TAB] = {COLOR_BLACK, COLOR_YELLOW},
};

int screen_attr(enum role r)
{
	if (colors) {
		int a = COLOR_PAIR(r + 1);
		if (r == ROLE_BAD || r == ROLE_LOUD || r == ROLE_TITLE)
			a |= A_BOLD;
		return a;
	}
	switch (r) {
	case ROLE_HEADER:
	case ROLE_SELECTED:
	case ROLE_TAB:
		return A_REVERSE;
	case ROLE_TITLE:
	case ROLE_BAD:
		return A_BOLD;
	case ROLE_LOUD:
		return A_BOLD | A_REVERSE;
	case ROLE_DIM:
		return A_DIM;
	default:
		return A_NORMAL;
	}
}

int screen_open(enum color_mode mode, FILE *out, int lines, int cols)
{
	setlocale(LC_ALL, "");
	const char *cs = nl_langinfo(CODESET);
	unicode = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
				 strcmp(cs, "utf8") == 0);
	if (out != NULL) {
		/* a virtual screen of a fixed size, for benchmarks */
		char size[32];
		snprintf(size, sizeof size, "%d", lines);
		setenv("LINES", size, 1);
		snprintf(size, sizeof size, "%d", cols);
		setenv("COLUMNS", size, 1);
		bench_screen = newterm(getenv("TERM") ? getenv("TERM")
						      : "xterm",
				       out, stdin);
		if (bench_screen == NULL)
			return -1;
		set_term(bench_screen);
	} else if (initscr() == NULL) {
		return -1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	const char *no_color = getenv("NO_COLOR");
	int want = mode == COLOR_ALWAYS ||
		   (mode == COLOR_AUTO &&
		    (no_color == NULL || no_color[0] == '\0'));
	colors = 0;
	if (want && has_colors() && start_color() == OK) {
		use_default_colors();
		for (int r = 0; r < ROLE_NROLES; r++)
			init_pair((short)(r + 1), role_pair[r][0],
				  role_pair[r][1]);
		colors = 1;
	}
	return 0;
}

void screen_close(void)
{
	if (!isendwin())
		endwin();
	if (bench_screen != NULL) {
		delscreen(bench_screen);
		bench_screen = NULL;
	}
}

size_t screen_width(const char *s)
{
	return text_width(s);
}

/* Sanitise and cut s to width columns into buf. */
static void fit(char *buf, size_t size, const char *s, int width)
{
	assert(buf != NULL && size > 0);
	char clean[2048];
	text_sanitize(clean, sizeof clean, s ? s : "", s ? strlen(s) : 0);
	if (!unicode) {
		/* ASCII locale: anything beyond ASCII shows as '?' */
		for (char *p = clean, *q = clean;; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == 0) {
				*q = 0;
				break;
			}
			if (c < 0x80)
				*q++ = (char)c;
			else if ((c & 0xc0) == 0xc0)
				*q++ = '?';
		}
	}
	size_t chars = screen_width(clean);
	if (width <= 0) {
		buf[0] = '\0';
		return;
	}
	if (chars <= (size_t)width) {
		snprintf(buf, size, "%s", clean);
		return;
	}
	/* keep what fits in width - 1 columns and mark the cut */
	size_t bytes = text_fit(clean, (size_t)width - 1, NULL);
	snprintf(buf, size, "%.*s%s", (int)bytes, clean,
		 unicode ? "\xe2\x80\xa6" : "~");
}

int screen_put(int y, int x, int width, const char *s, enum role r)
{
	char buf[4096];
	if (y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + width > COLS)
		width = COLS - x;
	fit(buf, sizeof buf, s, width);
	attrset(screen_attr(r));
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
	return (int)screen_width(buf);
}

int screen_put_wrapped(int y, int x, int width, int lines, const char *s,
		       enum role r)
{
	char clean[2048], line[2048];
	text_sanitize(clean, sizeof clean, s ? s : "", s ? strlen(s) : 0);
	const char *at = clean;
	int used = 0;
	if (x + width > COLS)
		width = COLS - x;
	while (*at != '\0' && used < lines && width > 0) {
		size_t next;
		size_t n = text_wrap(at, (size_t)width, &next);
		if (used == lines - 1 && at[next] != '\0')
			n = strlen(at); /* the last line: screen_put cuts it */
		snprintf(line, sizeof line, "%.*s", (int)n, at);
		screen_fill(y + used, x, width, r);
		screen_put(y + used, x, width, line, r);
		used++;
		at += next;
		if (used == lines)
			break;
	}
	return used;
}

int screen_put_right(int y, int x, int width, const char *s, enum role r)
{
	char buf[4096];
	if (x + width > COLS)
		width = COLS - x;
	fit(buf, sizeof buf, s, width);
	int w = (int)screen_width(buf);
	return screen_put(y, x + width - w, w, buf, r);
}

void screen_fill(int y, int x, int width, enum role r)
{
	if (y < 0 || y >= LINES)
		return;
	if (x + width > COLS)
		width = COLS - x;
	attrset(screen_attr(r));
	for (int i = 0; i < width; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

void screen_rule(int y, int x, int width)
{
	if (x + width > COLS)
		width = COLS - x;
	move(y, x);
	if (unicode)
		for (int i = 0; i < width; i++)
			addstr("\xe2\x94\x80");
	else
		for (int i = 0; i < width; i++)
			addch('-');
}

void screen_box(int y, int x, int h, int w, const char *title)
{
	for (int i = 0; i < h; i++)
		screen_fill(y + i, x, w, ROLE_NORMAL);
	const char *h_line = unicode ? "\xe2\x94\x80" : "-";
	const char *v_line = unicode ? "\xe2\x94\x82" : "|";
	const char *corner[4] = {"+", "+", "+", "+"};
	if (unicode) {
		corner[0] = "\xe2\x94\x8c";
		corner[1] = "\xe2\x94\x90";
		corner[2] = "\xe2\x94\x94";
		corner[3] = "\xe2\x94\x98";
	}
	mvaddstr(y, x, corner[0]);
	mvaddstr(y, x + w - 1, corner[1]);
	mvaddstr(y + h - 1, x, corner[2]);
	mvaddstr(y + h - 1, x + w - 1, corner[3]);
	for (int i = 1; i < w - 1; i++) {
		mvaddstr(y, x + i, h_line);
		mvaddstr(y + h - 1, x + i, h_line);
	}
	for (int i = 1; i < h - 1; i++) {
		mvaddstr(y + i, x, v_line);
		mvaddstr(y + i, x + w - 1, v_line);
	}
	if (title != NULL) {
		char t[256];
		snprintf(t, sizeof t, " %s ", title);
		screen_put(y, x + 2, w - 4, t, ROLE_TITLE);
	}
}
