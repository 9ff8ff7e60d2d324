/*
 * tui.h — the dashboard's entry point.
 */
#ifndef FAIRTOP_TUI_H
#define FAIRTOP_TUI_H

#include "core/fail.h"
#include "service/deploygate.h"
#include "tui/screen.h"

struct tui_options {
	const char *db_path;
	const char *policy_path;  /* NULL: the usual resolution */
	int interval_tenths;      /* store polling, default 10 */
	enum color_mode color;
	int read_only;            /* no R, no d, no a */
	deploygate_json_fn *findings_json; /* the gate decision's findings,
					    * for d (cli/findings.h) */
	int bench_frames;         /* > 0: render to a virtual screen, time */
};

/* Run the dashboard until q.  Returns an exit code (0 on q, 70 on an
 * error, with *f filled). */
int tui_run(const struct tui_options *opt, struct fail *f);

#endif
