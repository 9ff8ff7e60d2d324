/*
 * cmd_dashboard.c — `fairtop` with no command: the dashboard.
 *
 * When standard output is not a terminal it prints `fairtop runs`
 * instead, so `fairtop | less` and scripts get text.
 */
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/findings.h"
#include "storage/store.h"
#include "tui/tui.h"

int cmd_dashboard(struct cli *cli, const struct dashboard_options *d)
{
	if (d->bench_frames <= 0 && !isatty(STDOUT_FILENO)) {
		char *runs_argv[] = {"runs", NULL};
		return command_run(&cmd_runs_spec, cli, 1, runs_argv);
	}
	struct tui_options opt = {
		.db_path = store_default_path(cli->db_path),
		.policy_path = d->policy_path,
		.interval_tenths = d->interval_tenths,
		.color = d->color,
		.read_only = d->read_only,
		.findings_json = findings_to_json,
		.bench_frames = d->bench_frames,
	};
	struct fail f;
	fail_init(&f);
	int rc = tui_run(&opt, &f);
	if (f.kind != FAIL_NONE)
		return cli_report(&f);
	return rc;
}
