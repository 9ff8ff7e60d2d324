/*
 * app.c — the dashboard's loop: read the store, draw, answer keys.
 *
 * Keys are read with a 100 ms timeout, so a key press is answered at
 * once; the store is polled (PRAGMA data_version) every interval and
 * the snapshot reloaded only when another connection committed.  Only
 * the cells that changed reach the terminal (curses), so a refresh does
 * not flicker.  Auto-refresh pauses while the rollback or deploy dialog
 * is open.
 * The terminal is restored on q, SIGINT, SIGTERM and on any error.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui/app.h"

#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/actor.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "service/deployrun.h"
#include "service/incident_page.h"
#include "storage/declock.h"
#include "tui/tui.h"

#define KEY_CTRL_D 4
#define MIN_LINES 24
#define MIN_COLS 80

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Asked by the store while it reads (a Drift or Compare of many groups
 * on a big store can take a while): outside a dialog, SIGINT or
 * SIGTERM, or q typed meanwhile, stop the read at once and the
 * dashboard with it.  Any other key waits its turn. */
static int read_should_stop(void *ctx)
{
	const struct app *a = ctx;
	/* a dialog's decision is recorded whole, signal or not: the
	 * main loop stops after it */
	if (a->modal != MODAL_NONE)
		return 0;
	if (stop_requested)
		return 1;
	struct pollfd in = {STDIN_FILENO, POLLIN, 0};
	if (poll(&in, 1, 0) <= 0)
		return 0;
	nodelay(stdscr, TRUE);
	int key = getch();
	timeout(100);
	if (key == 'q') {
		stop_requested = 1;
		return 1;
	}
	if (key != ERR)
		ungetch(key);
	return 0;
}

const char *fmt_rate(char *buf, size_t size, double v)
{
	if (v != v)
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.3f", v);
	return buf;
}

const char *fmt_delta(char *buf, size_t size, double before, double after)
{
	if (before != before || after != after) {
		snprintf(buf, size, "n/a");
		return buf;
	}
	double d = after - before;
	const char *up = screen_unicode() ? "\xe2\x96\xb2" : "+";
	const char *down = screen_unicode() ? "\xe2\x96\xbc" : "-";
	if (d > 0.0005)
		snprintf(buf, size, "%s%.3f", up, d);
	else if (d < -0.0005)
		snprintf(buf, size, "%s%.3f", down, -d);
	else
		snprintf(buf, size, "=");
	return buf;
}

const char *app_selected_run(const struct app *a)
{
	if (a->nrows == 0 || a->sel_run >= a->nrows)
		return NULL;
	return a->snap.runs[a->rows[a->sel_run]].key;
}

void app_rebuild_rows(struct app *a)
{
	free(a->rows);
	a->rows = calloc(a->snap.nruns ? a->snap.nruns : 1, sizeof *a->rows);
	a->nrows = a->rows ? model_rows_listed(a->snap.runs, a->snap.nruns,
					       a->filter.text, a->sort,
					       a->reverse, a->rows)
			   : 0;
	if (a->sel_run >= a->nrows)
		a->sel_run = a->nrows ? a->nrows - 1 : 0;
}

static void say(struct app *a, enum role r, const char *msg)
{
	snprintf(a->message, sizeof a->message, "%s", msg);
	a->message_role = r;
}

/* Default baseline and candidate: the deployed run and the newest other
 * run (or the two newest). */
static void default_pair(struct app *a)
{
	const struct snapshot *s = &a->snap;
	if (s->nruns < 2)
		return;
	if (!a->baseline[0])
		snprintf(a->baseline, sizeof a->baseline, "%s",
			 s->deployed[0] ? s->deployed : s->runs[1].key);
	if (!a->candidate[0]) {
		for (size_t i = 0; i < s->nruns; i++)
			if (strcmp(s->runs[i].key, a->baseline) != 0) {
				snprintf(a->candidate, sizeof a->candidate,
					 "%s", s->runs[i].key);
				break;
			}
	}
}

static void load_compare(struct app *a)
{
	struct fail f;
	fail_init(&f);
	snap_compare_release(&a->cmp);
	default_pair(a);
	if (!a->baseline[0] || !a->candidate[0])
		return;
	if (snapshot_compare(a->store, &a->policy, a->baseline, a->candidate,
			     &a->cmp, &f) != 0) {
		snap_compare_release(&a->cmp);
		say(a, ROLE_BAD, f.msg);
	}
}

/* The feature whose groups move the most across runs: the default. */
static void pick_feature(struct app *a)
{
	struct fail f;
	fail_init(&f);
	if (snapshot_drift_pick(a->store, &a->drift_cache, a->metric,
				a->feature, sizeof a->feature, &f) != 0)
		a->feature[0] = '\0';
}

static void load_drift(struct app *a)
{
	struct fail f;
	fail_init(&f);
	if (!a->feature[0])
		pick_feature(a);
	snap_drift_release(&a->drift);
	const char *run = app_selected_run(a);
	if (run == NULL && a->candidate[0])
		run = a->candidate;
	if (snapshot_drift(a->store, &a->drift_cache,
			   a->feature[0] ? a->feature : NULL,
			   a->metric, run, &a->drift, &f) != 0)
		say(a, ROLE_BAD, f.msg);
	snprintf(a->feature, sizeof a->feature, "%s", a->drift.feature);
}

/* The Incident view's page, read again. */
static void load_incident(struct app *a)
{
	struct fail f;
	fail_init(&f);
	incident_release(&a->inc);
	page_release(&a->inc_page);
	a->inc_loaded = 0;
	if (incident_make(a->store, &a->policy, &a->inc, &f) != 0) {
		say(a, ROLE_BAD, f.msg);
		return;
	}
	/* read-only, R and d are off: the way out as commands to run
	 * where the store can be written */
	if (incident_page(&a->inc,
			  a->read_only ? INCIDENT_COMMANDS : INCIDENT_KEYS,
			  &a->inc_page) != 0) {
		say(a, ROLE_BAD, "out of memory");
		return;
	}
	a->inc_loaded = 1;
}

int app_in_incident(const struct app *a)
{
	const struct snapshot *s = &a->snap;
	return s->deployed[0] &&
	       ((s->deployed_in_store && !s->deployed_fair) ||
		s->open_critical > 0);
}

int app_reload(struct app *a, struct fail *f)
{
	if (snapshot_refresh(a->store, &a->policy, &a->snap, f) != 0)
		return -1;
	a->compare_stale = 1;
	a->drift_stale = 1;
	a->inc_stale = 1;
	return 0;
}

/* The snapshot parts each view draws from: Compare and Drift need the
 * runs for their default pair and the selected run. */
static unsigned parts_of(enum view_id v)
{
	switch (v) {
	case VIEW_RUNS:
	case VIEW_COMPARE:
	case VIEW_DRIFT:
		return SNAP_RUNS;
	case VIEW_ALERTS:
		return SNAP_ALERTS;
	case VIEW_TIMELINE:
		return SNAP_TIMELINE;
	default:
		return 0;
	}
}

/* Read the runs part (more: its next page, snapshot_read_more(); else
 * what is out of date, snapshot_need()), the selection kept on the same
 * run. */
static int runs_read_keeping_selection(struct app *a, int more,
				       struct fail *f)
{
	char *keep = NULL;
	const char *sel = app_selected_run(a);
	if (sel && (keep = strdup(sel)) == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	int rc = more ? snapshot_read_more(a->store, &a->policy, &a->snap, f)
		      : snapshot_need(a->store, &a->policy, &a->snap,
				      SNAP_RUNS, f);
	if (rc != 0) {
		free(keep);
		return -1;
	}
	app_rebuild_rows(a);
	for (size_t i = 0; keep && i < a->nrows; i++)
		if (strcmp(a->snap.runs[a->rows[i]].key, keep) == 0) {
			a->sel_run = i;
			break;
		}
	free(keep);
	return 0;
}

/* While the runs are read a page at a time: the next page (1: read,
 * draw again), or 0 with nothing left to read.  A failure is said and
 * pauses the reading until the next poll; what was read stays. */
static int read_on(struct app *a)
{
	if (!a->snap.reading.more || !(a->snap.fresh & SNAP_RUNS) ||
	    a->reading_paused)
		return 0;
	struct fail f;
	fail_init(&f);
	if (runs_read_keeping_selection(a, 1, &f) != 0) {
		/* tried again at the next poll of the store, not at once */
		a->reading_paused = 1;
		say(a, ROLE_BAD, f.msg);
	}
	return 1;
}

int app_load_for_view(struct app *a, struct fail *f)
{
	unsigned want = parts_of(a->view);
	if ((want & SNAP_RUNS) && !(a->snap.fresh & SNAP_RUNS) &&
	    runs_read_keeping_selection(a, 0, f) != 0)
		return -1;
	if (snapshot_need(a->store, &a->policy, &a->snap, want, f) != 0)
		return -1;
	/* Compare and Drift are read when a view shows them */
	int needs_compare = a->view == VIEW_COMPARE || a->view == VIEW_DRIFT;
	if (needs_compare && a->compare_stale) {
		load_compare(a);
		a->compare_stale = 0;
	}
	if (a->view == VIEW_DRIFT && a->drift_stale) {
		load_drift(a);
		a->drift_stale = 0;
	}
	if (a->view == VIEW_INCIDENT && a->inc_stale) {
		load_incident(a);
		a->inc_stale = 0;
	}
	return 0;
}

/* Draw the current view, reading first what it shows and is out of
 * date: -1 (with *f) when the store cannot be read. */
static int draw(struct app *a, struct fail *f)
{
	if (app_load_for_view(a, f) != 0)
		return -1;
	erase();
	if (LINES < MIN_LINES || COLS < MIN_COLS) {
		char text[128];
		snprintf(text, sizeof text, "terminal too small: fairtop needs "
			 "%dx%d, this is %dx%d", MIN_COLS, MIN_LINES, COLS,
			 LINES);
		screen_put(LINES / 2, 0, COLS, text, ROLE_BAD);
		if (LINES > 2)
			screen_put(LINES / 2 + 1, 0, COLS, "q quits",
				   ROLE_NORMAL);
		wnoutrefresh(stdscr);
		doupdate();
		return 0;
	}
	header_draw(a);
	int top = 3, height = LINES - 5;
	switch (a->view) {
	case VIEW_RUNS:
		view_runs_draw(a, top, height);
		break;
	case VIEW_COMPARE:
		view_compare_draw(a, top, height);
		break;
	case VIEW_DRIFT:
		view_drift_draw(a, top, height);
		break;
	case VIEW_ALERTS:
		view_alerts_draw(a, top, height);
		break;
	case VIEW_TIMELINE:
		view_timeline_draw(a, top, height);
		break;
	case VIEW_INCIDENT:
		view_incident_draw(a, top, height);
		break;
	default:
		break;
	}
	keybar_draw(a);
	modal_draw(a);
	wnoutrefresh(stdscr);
	doupdate();
	return 0;
}

/* The rollback plan, made again for R or d: 1 made, else 0 with the
 * message saying why not (read-only: `off`). */
static int make_plan(struct app *a, const char *off)
{
	struct fail f;
	fail_init(&f);
	if (a->read_only) {
		say(a, ROLE_WARN, off);
		return 0;
	}
	rollplan_release(&a->plan);
	a->plan_loaded = 0;
	if (rollplan_make(a->store, &a->policy, NULL, &a->plan, &f) != 0) {
		say(a, ROLE_BAD, f.msg);
		return 0;
	}
	a->plan_loaded = 1;
	return 1;
}

static void open_rollback(struct app *a)
{
	if (!make_plan(a, "read-only: rollback is off"))
		return;
	if (a->plan.nothing_to_do) {
		a->modal = MODAL_ROLLBACK; /* says so; any key closes */
		return;
	}
	if (!a->plan.has_current || !a->plan.has_target) {
		say(a, ROLE_BAD, a->plan.no_target);
		return;
	}
	const char *user = actor_default();
	dialog_open(&a->dlg, a->plan.target.run.key, user ? user : "");
	a->modal = MODAL_ROLLBACK;
}

/* Take the decision lock for a rollback or a deploy: 1 held, else 0
 * with the outcome saying why nothing was written. */
static int lock_decision(struct app *a, struct decision_lock *lock,
			 const char *failed_title)
{
	struct fail f;
	fail_init(&f);
	if (decision_lock_take(lock, a->store, 0, NULL, &f) == 0)
		return 1;
	a->outcome_ok = 0;
	snprintf(a->outcome_title, sizeof a->outcome_title, "%s",
		 failed_title);
	snprintf(a->outcome, sizeof a->outcome, "%s; nothing written", f.msg);
	a->modal = MODAL_OUTCOME;
	return 0;
}

/* Put req's run in production (service/deployrun.h) and say how it
 * went in the outcome box, titled done or failed. */
static void carry_out(struct app *a, const struct deploy_request *req,
		      const char *done, const char *failed)
{
	struct fail f;
	struct deploy_outcome o;
	fail_init(&f);
	if (req->hook != NULL && req->hook[0]) {
		struct fail ignored;
		fail_init(&ignored);
		say(a, ROLE_WARN, "running the deploy hook...");
		draw(a, &ignored);
	}
	if (deployrun(a->store, req, &o, &f) != 0) {
		a->outcome_ok = 0;
		snprintf(a->outcome, sizeof a->outcome, "%s", f.msg);
	} else if (o.done) {
		a->outcome_ok = 1;
		snprintf(a->outcome, sizeof a->outcome,
			 "%s is in production (deployment #%lld by %s)\n"
			 "reason: %s", req->run->key, (long long)o.id,
			 req->actor, req->reason);
	} else {
		a->outcome_ok = 0;
		snprintf(a->outcome, sizeof a->outcome,
			 "%s; the previous deployment stays current "
			 "(deployment #%lld recorded as failed)\n%s",
			 deployrun_failure(&o), (long long)o.id,
			 o.hook_started ? o.hook.tail : o.why);
	}
	snprintf(a->outcome_title, sizeof a->outcome_title, "%s",
		 a->outcome_ok ? done : failed);
}

static void do_rollback(struct app *a)
{
	struct fail f;
	struct decision_lock lock;
	fail_init(&f);
	/* one decision at a time; and the plan shown may be stale by now
	 * (the dialog stays open as long as it takes): made again under
	 * the lock, the rollback goes ahead only if it names the same
	 * target */
	if (!lock_decision(a, &lock, "rollback FAILED"))
		return;
	struct rollplan now;
	char target[256];
	store_copy(target, sizeof target, a->plan.target.run.key);
	if (rollplan_make(a->store, &a->policy, NULL, &now, &f) != 0 ||
	    !now.has_target || strcmp(now.target.run.key, target) != 0) {
		a->outcome_ok = 0;
		snprintf(a->outcome_title, sizeof a->outcome_title,
			 "rollback FAILED");
		if (f.kind != FAIL_NONE)
			snprintf(a->outcome, sizeof a->outcome, "%s; nothing "
				 "written", f.msg);
		else
			snprintf(a->outcome, sizeof a->outcome,
				 "production changed while the dialog was "
				 "open: the target is now %s, not %s; nothing "
				 "written (R shows the new plan)",
				 now.has_target ? now.target.run.key : "none",
				 target);
		rollplan_release(&now);
		decision_lock_release(&lock);
		a->modal = MODAL_OUTCOME;
		return;
	}
	rollplan_release(&a->plan);
	a->plan = now;
	/* the same details as `fairtop rollback` records */
	char details[1024], from[600];
	text_json_quote(from, sizeof from, a->plan.current_key);
	snprintf(details, sizeof details,
		 "{\"from\": %s, \"policy_passed\": %s, \"override\": "
		 "false}", from, a->plan.target_fair ? "true" : "false");
	struct deploy_request req = {
		.run = &a->plan.target.run,
		.kind = "rollback",
		.actor = a->dlg.by.text,
		.reason = a->dlg.reason.text,
		.details_json = details,
		.hook = a->policy.deploy_exec,
		.timeout = (int)policy_get(&a->policy, POLICY_DEPLOY_TIMEOUT),
		.policy = &a->policy,
	};
	carry_out(a, &req, "rolled back", "rollback FAILED");
	decision_lock_release(&lock);
	a->modal = MODAL_OUTCOME;
	say(a, ROLE_NORMAL, "");
}

/* The deploy dialog on the newest run on offer (plan.alt[0]); by and
 * reason taken from the rollback dialog when it comes from there
 * (from, else NULL). */
static void deploy_dialog(struct app *a, const struct decision_dialog *from)
{
	struct decision_dialog d;
	const char *user = actor_default();
	a->deploy_alt = 0;
	dialog_open_deploy(&d, a->plan.alt[0].key,
			   from ? from->by.text : user ? user : "");
	if (from != NULL)
		field_set(&d.reason, from->reason.text);
	a->dlg = d;
	a->modal = MODAL_DEPLOY;
}

static void open_deploy(struct app *a)
{
	if (!make_plan(a, "read-only: deploying is off"))
		return;
	if (a->plan.nalt == 0) {
		say(a, ROLE_WARN, "nothing to deploy instead: no run newer "
				  "than production is fair on its own and "
				  "never deployed");
		return;
	}
	deploy_dialog(a, NULL);
}

/* 1 when plan offers the run called key (as recorded) to deploy. */
static int offers(const struct rollplan *plan, const char *key)
{
	for (size_t i = 0; i < plan->nalt; i++)
		if (strcmp(plan->alt[i].run_key, key) == 0)
			return 1;
	return 0;
}

/* The outcome of a deploy the gate refused: why, the failing findings
 * that fit, and that the dashboard never overrides. */
static void refused(struct app *a, const struct deploy_gate *g,
		    const char *shown)
{
	struct strbuf sb = STRBUF_INIT;
	a->outcome_ok = 0;
	snprintf(a->outcome_title, sizeof a->outcome_title, "deploy REFUSED");
	if (g->base != NULL)
		strbuf_addf(&sb, "deploy %s REFUSED: it fails the fairness "
			    "policy against %s, in production", shown,
			    g->base->run.key);
	else
		strbuf_addf(&sb, "deploy %s REFUSED: it fails the fairness "
			    "policy on its own (%s)", shown, g->v.note);
	size_t shown_fails = 0, fails = 0;
	for (size_t i = 0; i < g->j.nfindings; i++) {
		const struct finding *fd = &g->j.finding[i];
		if (fd->severity != FINDING_FAIL)
			continue;
		if (fails++ < 3) {
			strbuf_addf(&sb, "\nFAIL  %s", fd->message);
			shown_fails++;
		}
	}
	if (fails > shown_fails)
		strbuf_addf(&sb, "\nand %zu more failing findings",
			    fails - shown_fails);
	strbuf_addf(&sb, "\nnothing deployed (the gate decision is on "
		    "record); the dashboard never overrides the gate");
	snprintf(a->outcome, sizeof a->outcome, "%s",
		 strbuf_failed(&sb) ? "out of memory" : sb.buf);
	strbuf_release(&sb);
}

/* The deploy dialog's run: gated against production as `fairtop
 * deploy` gates it (service/deploygate.h), refused when it fails,
 * else put in production. */
static void do_deploy(struct app *a)
{
	struct fail f;
	struct decision_lock lock;
	struct deploy_gate g;
	struct rollplan now;
	char key[256], shown[256];
	fail_init(&f);
	deploygate_init(&g);
	snprintf(key, sizeof key, "%s", a->plan.alt[a->deploy_alt].run_key);
	snprintf(shown, sizeof shown, "%s", a->plan.alt[a->deploy_alt].key);
	if (!lock_decision(a, &lock, "deploy FAILED"))
		return;
	/* the plan shown may be stale: made again under the lock, the run
	 * must still be on offer */
	int made = rollplan_make(a->store, &a->policy, NULL, &now, &f);
	a->outcome_ok = 0;
	snprintf(a->outcome_title, sizeof a->outcome_title, "deploy FAILED");
	if (made != 0) {
		snprintf(a->outcome, sizeof a->outcome, "%s; nothing written",
			 f.msg);
	} else if (!offers(&now, key)) {
		snprintf(a->outcome, sizeof a->outcome, "production changed "
			 "while the dialog was open: %s is no longer a newer, "
			 "fair, never deployed run; nothing written (d shows "
			 "what is on offer)", shown);
	} else if (deploygate_load(&g, a->store, key, &f) != 0 ||
		   deploygate_judge(&g, a->store, &a->policy, a->dlg.by.text,
				    a->findings_json, &f) != 0) {
		snprintf(a->outcome, sizeof a->outcome, "%s; nothing written",
			 f.msg);
	} else if (!g.passed) {
		refused(a, &g, shown);
	} else {
		struct deploy_request req;
		deploygate_request(&g, &a->policy, a->dlg.by.text,
				   a->dlg.reason.text, a->policy.deploy_exec,
				   &req);
		carry_out(a, &req, "deployed", "deploy FAILED");
	}
	rollplan_release(&now);
	deploygate_release(&g);
	decision_lock_release(&lock);
	a->modal = MODAL_OUTCOME;
	say(a, ROLE_NORMAL, "");
}

static int do_ack(struct app *a)
{
	struct fail f;
	fail_init(&f);
	const struct stored_alert *x = &a->snap.alerts[a->sel_alert];
	const char *user = actor_default();
	char msg[512];
	if (a->ack_run) {
		size_t n = 0;
		int64_t entry = 0;
		char run[256];
		text_sanitize(run, sizeof run, x->run_key, strlen(x->run_key));
		int done = store_alerts_ack_run(a->store, x->run_key,
						user && *user ? user
							      : "unknown",
						a->ack_note.len ? a->ack_note.text
								: NULL,
						&n, &entry, &f);
		if (done < 0)
			snprintf(msg, sizeof msg, "%s", f.msg);
		else if (n == 0)
			snprintf(msg, sizeof msg, "no firing alert of %s to "
				 "acknowledge", run);
		else
			snprintf(msg, sizeof msg, "acknowledged %zu alert%s of "
				 "%s (one audit entry #%lld)", n,
				 n == 1 ? "" : "s", run, (long long)entry);
		say(a, done < 0 ? ROLE_BAD : ROLE_GOOD, msg);
		return ACT_RELOAD | ACT_REDRAW;
	}
	int got = store_alert_ack(a->store, x->id,
				  user && *user ? user : "unknown",
				  a->ack_note.len ? a->ack_note.text : NULL,
				  &f);
	if (got == 0)
		snprintf(msg, sizeof msg, "alert #%lld acknowledged",
			 (long long)x->id);
	else if (got < 0)
		snprintf(msg, sizeof msg, "%s", f.msg);
	else
		snprintf(msg, sizeof msg, "alert #%lld was not firing",
			 (long long)x->id);
	say(a, got == 0 ? ROLE_GOOD : ROLE_BAD, msg);
	return ACT_RELOAD | ACT_REDRAW;
}

/* A key in the rollback or deploy dialog: Esc closes it saying
 * cancelled, Enter with everything in place asks for submit. */
static int dialog_act(struct app *a, int key, const char *cancelled,
		      int submit)
{
	switch (dialog_key(&a->dlg, key)) {
	case DIALOG_CANCEL:
		a->modal = MODAL_NONE;
		say(a, ROLE_NORMAL, cancelled);
		return ACT_REDRAW | ACT_RELOAD;
	case DIALOG_SUBMIT:
		return submit;
	case DIALOG_REFUSED:
	case DIALOG_NONE:
		break;
	}
	return ACT_REDRAW;
}

/* Keys while a modal is open. */
static int modal_key(struct app *a, int key)
{
	switch (a->modal) {
	case MODAL_HELP:
		return modal_help_key(a, key);
	case MODAL_DETAIL:
	case MODAL_OUTCOME:
		a->modal = MODAL_NONE;
		return ACT_REDRAW | (key == 'q' ? 0 : 0);
	case MODAL_PICK_BASELINE:
	case MODAL_PICK_CANDIDATE:
		if (key == 27) {
			a->modal = MODAL_NONE;
		} else if (key == KEY_DOWN || key == 'j') {
			if (a->pick_sel + 1 < a->snap.nruns)
				a->pick_sel++;
		} else if (key == KEY_UP || key == 'k') {
			if (a->pick_sel > 0)
				a->pick_sel--;
		} else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
			if (a->snap.nruns == 0)
				return ACT_REDRAW;
			char *dst = a->modal == MODAL_PICK_BASELINE
					    ? a->baseline
					    : a->candidate;
			snprintf(dst, sizeof a->baseline, "%s",
				 a->snap.runs[a->pick_sel].key);
			a->modal = MODAL_NONE;
			return ACT_COMPARE | ACT_REDRAW;
		}
		return ACT_REDRAW;
	case MODAL_ACK:
		if (key == 27) {
			a->modal = MODAL_NONE;
			return ACT_REDRAW;
		}
		if (key == '\n' || key == '\r' || key == KEY_ENTER) {
			a->modal = MODAL_NONE;
			return ACT_ACK;
		}
		field_key(&a->ack_note, key);
		return ACT_REDRAW;
	case MODAL_ROLLBACK:
		if (a->plan.nothing_to_do) {
			a->modal = MODAL_NONE;
			return ACT_REDRAW;
		}
		/* the plan's other way out: deploy a newer fair run */
		if (key == KEY_CTRL_D && a->plan.nalt > 0) {
			struct decision_dialog from = a->dlg;
			deploy_dialog(a, &from);
			return ACT_REDRAW;
		}
		return dialog_act(a, key, "rollback cancelled: nothing "
				  "written", ACT_DO_ROLLBACK);
	case MODAL_DEPLOY:
		/* another run on offer */
		if ((key == KEY_RIGHT || key == KEY_LEFT) &&
		    a->plan.nalt > 1) {
			size_t n = a->plan.nalt;
			a->deploy_alt = (a->deploy_alt +
					 (key == KEY_RIGHT ? 1 : n - 1)) % n;
			dialog_set_target(&a->dlg,
					  a->plan.alt[a->deploy_alt].key);
			return ACT_REDRAW;
		}
		return dialog_act(a, key, "deploy cancelled: nothing written",
				  ACT_DO_DEPLOY);
	case MODAL_NONE:
		break;
	}
	return ACT_NONE;
}

static int handle_key(struct app *a, int key)
{
	/* a resize is not a key press: it closes nothing */
	if (key == KEY_RESIZE)
		return ACT_REDRAW;
	/* nothing acts unseen: a screen too small takes only q */
	if (LINES < MIN_LINES || COLS < MIN_COLS)
		return key == 'q' ? ACT_QUIT : ACT_NONE;
	if (a->modal != MODAL_NONE)
		return modal_key(a, key);
	if (a->view == VIEW_RUNS && a->filtering)
		return view_runs_key(a, key);
	if (a->view == VIEW_ALERTS && a->alert_filtering)
		return view_alerts_key(a, key);
	switch (key) {
	case 'q':
		return ACT_QUIT;
	case '?':
		a->modal = MODAL_HELP;
		return ACT_REDRAW;
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
		a->view = (enum view_id)(key - '1');
		return ACT_REDRAW;
	case 'i':
		a->view = VIEW_INCIDENT;
		return ACT_REDRAW;
	case '\t':
		a->view = (enum view_id)((a->view + 1) % VIEW_COUNT);
		return ACT_REDRAW;
	case KEY_BTAB:
		a->view = (enum view_id)((a->view + VIEW_COUNT - 1) %
					 VIEW_COUNT);
		return ACT_REDRAW;
	case 'R':
		return ACT_ROLLBACK;
	}
	a->message[0] = '\0';
	switch (a->view) {
	case VIEW_RUNS:
		return view_runs_key(a, key);
	case VIEW_COMPARE:
		return view_compare_key(a, key);
	case VIEW_DRIFT:
		return view_drift_key(a, key);
	case VIEW_ALERTS:
		return view_alerts_key(a, key);
	case VIEW_TIMELINE:
		return view_timeline_key(a, key);
	case VIEW_INCIDENT:
		return view_incident_key(a, key);
	default:
		return ACT_NONE;
	}
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void app_release(struct app *a)
{
	snapshot_release(&a->snap);
	snap_compare_release(&a->cmp);
	snap_drift_release(&a->drift);
	driftcache_release(&a->drift_cache);
	rollplan_release(&a->plan);
	incident_release(&a->inc);
	page_release(&a->inc_page);
	free(a->rows);
	free(a->alert_rows);
	store_free(a->store);
}

/* The store's path against the file opened, each poll: a store deleted
 * is said in the header (what it held stays on the screen); another
 * file at the path (mv, or made again) is opened and read in its place,
 * the header saying so until it is.  1 when the screen changed, 0 when
 * not, -1 with *f when the new store was read and could not be. */
static int follow_store(struct app *a, const struct tui_options *opt)
{
	static const char deleted[] = "STORE DELETED: showing what it held";
	static const char replaced[] = "STORE REPLACED: reopening";
	const char *was = a->store_state;
	struct store *fresh = NULL;
	struct fail f;
	if (a->modal == MODAL_ROLLBACK || a->modal == MODAL_DEPLOY)
		return 0;
	switch (store_file_state(a->store)) {
	case STORE_FILE_SAME:
		a->store_state = NULL;
		return was != NULL;
	case STORE_FILE_GONE:
		a->store_state = deleted;
		return was != deleted;
	case STORE_FILE_REPLACED:
		break;
	}
	fail_init(&f);
	if (store_open(opt->db_path,
		       opt->read_only ? STORE_OPEN_READ_ONLY : STORE_OPEN_READ,
		       &fresh, &f) != 0) {
		/* half-made, or not a store: said, tried again next poll */
		a->store_state = replaced;
		return was != replaced;
	}
	driftcache_release(&a->drift_cache);
	driftcache_init(&a->drift_cache);
	snapshot_store_changed(&a->snap);
	rollplan_release(&a->plan);
	a->plan_loaded = 0;
	store_free(a->store);
	a->store = fresh;
	if (a->interactive)
		store_set_interrupt(a->store, read_should_stop, a);
	a->read_only = opt->read_only || fresh->read_only;
	a->store_state = NULL;
	fail_init(&f);
	if (snapshot_data_version(a->store, &a->data_version, &f) != 0 ||
	    app_reload(a, &f) != 0) {
		say(a, ROLE_BAD, f.msg);
		return 1;
	}
	return 1;
}

/* Render each view n times to a virtual screen and print the timings. */
static int bench(struct app *a, int frames)
{
	static const char *const names[VIEW_COUNT] = {"runs", "compare",
						       "drift", "alerts",
						       "timeline", "incident"};
	printf("view        first frame (ms)   per refresh (ms)\n");
	for (int v = 0; v < VIEW_COUNT; v++) {
		struct fail f;
		fail_init(&f);
		a->view = (enum view_id)v;
		double t0 = now_seconds();
		if (app_reload(a, &f) != 0 || draw(a, &f) != 0)
			return -1;
		double first = now_seconds() - t0;
		double t1 = now_seconds();
		for (int i = 0; i < frames; i++) {
			if (app_reload(a, &f) != 0 || draw(a, &f) != 0)
				return -1;
		}
		double per = (now_seconds() - t1) / (frames ? frames : 1);
		printf("%-10s %10.1f %18.2f\n", names[v],
			first * 1000, per * 1000);
	}
	/* what the Runs list reads on after its first frame, page after
	 * page between keys, until it holds every run: its whole read,
	 * then a refresh of the whole list */
	struct fail f;
	fail_init(&f);
	a->view = VIEW_RUNS;
	double t0 = now_seconds();
	if (app_reload(a, &f) != 0 || draw(a, &f) != 0)
		return -1;
	a->message[0] = '\0'; /* what a view said before is not read_on's */
	while (read_on(a)) {
		if (a->message[0]) {
			fprintf(stderr, "fairtop: --bench-frames: %s\n",
				a->message);
			return -1;
		}
		if (draw(a, &f) != 0)
			return -1;
	}
	double whole = now_seconds() - t0;
	double t1 = now_seconds();
	for (int i = 0; i < frames; i++)
		if (app_reload(a, &f) != 0 || draw(a, &f) != 0)
			return -1;
	printf("%-10s %10.1f %18.2f\n", "runs-all", whole * 1000,
	       (now_seconds() - t1) / (frames ? frames : 1) * 1000);
	return 0;
}

int tui_run(const struct tui_options *opt, struct fail *f)
{
	struct app a;
	int rc = 70;
	FILE *devnull = NULL;
	memset(&a, 0, sizeof a);
	a.read_only = opt->read_only;
	a.findings_json = opt->findings_json;
	a.metric = DRIFT_TPR;
	driftcache_init(&a.drift_cache);
	if (policy_load(&a.policy, opt->policy_path, f) != 0 ||
	    store_open(opt->db_path,
		       opt->read_only ? STORE_OPEN_READ_ONLY : STORE_OPEN_READ,
		       &a.store, f) != 0)
		return f->kind == FAIL_USAGE ? 2 : f->kind == FAIL_DATA ? 65 : 70;
	/* a store this user may not write: read-only, as --read-only */
	a.read_only |= a.store->read_only;
	/* a first frame reads a page of runs; the rest follow between
	 * keys */
	a.snap.page_size = RUNS_PAGE;
	a.snap.timeline_runs = TIMELINE_RUNS;
	if (snapshot_data_version(a.store, &a.data_version, f) != 0 ||
	    app_reload(&a, f) != 0)
		goto out;
	/* the incident first, while there is one */
	if (app_in_incident(&a))
		a.view = VIEW_INCIDENT;

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (opt->bench_frames > 0) {
		devnull = fopen("/dev/null", "w");
		if (devnull == NULL || screen_open(COLOR_NEVER, devnull, 40,
						   160) != 0) {
			fail_set(f, FAIL_INTERNAL, "cannot open a virtual "
				 "screen");
			goto out;
		}
		rc = bench(&a, opt->bench_frames) == 0 ? 0 : 70;
		screen_close();
		goto out;
	}
	if (screen_open(opt->color, NULL, 0, 0) != 0) {
		fail_set(f, FAIL_INTERNAL, "cannot start the terminal (is "
			 "TERM set?)");
		goto out;
	}
	/* a store reopened under the screen says nothing on stderr */
	store_notices(0);
	a.interactive = 1;
	store_set_interrupt(a.store, read_should_stop, &a);
	double interval = opt->interval_tenths / 10.0;
	double next_poll = now_seconds() + interval;
	int dirty = 1;
	while (!stop_requested) {
		if (dirty) {
			if (draw(&a, f) != 0)
				break;
			dirty = 0;
		}
		/* reading on: look for a key without waiting */
		int reading = a.snap.reading.more &&
			      (a.snap.fresh & SNAP_RUNS) && !a.reading_paused;
		timeout(reading ? 0 : 100);
		int key = getch();
		if (key == ERR && reading)
			dirty |= read_on(&a);
		if (key != ERR) {
			int act = handle_key(&a, key);
			if (act & ACT_QUIT)
				break;
			if (act & ACT_ROLLBACK)
				open_rollback(&a);
			if (act & ACT_DO_ROLLBACK) {
				do_rollback(&a);
				act |= ACT_RELOAD;
			}
			if (act & ACT_DEPLOY)
				open_deploy(&a);
			if (act & ACT_DO_DEPLOY) {
				do_deploy(&a);
				act |= ACT_RELOAD;
			}
			if (act & ACT_ACK)
				act |= do_ack(&a);
			if (act & ACT_RELOAD) {
				if (app_reload(&a, f) != 0)
					break;
				snapshot_data_version(a.store, &a.data_version,
						      f);
			} else {
				if (act & ACT_COMPARE)
					a.compare_stale = 1;
				if (act & (ACT_DRIFT | ACT_COMPARE))
					a.drift_stale = 1;
			}
			dirty = 1;
		}
		double now = now_seconds();
		if (now >= next_poll) {
			next_poll = now + interval;
			a.reading_paused = 0;
			int64_t v;
			int moved = follow_store(&a, opt);
			if (moved < 0)
				break;
			dirty |= moved;
			if (a.store_state == NULL && a.modal != MODAL_ROLLBACK &&
			    a.modal != MODAL_DEPLOY &&
			    snapshot_data_version(a.store, &v, f) == 0 &&
			    v != a.data_version) {
				a.data_version = v;
				if (app_reload(&a, f) != 0)
					break;
				dirty = 1;
			}
		}
	}
	screen_close();
	store_notices(1);
	if (stop_requested)
		fail_init(f); /* asked to stop: a read cut short is no error */
	rc = f->kind != FAIL_NONE ? 70 : 0;
out:
	if (devnull)
		fclose(devnull);
	app_release(&a);
	return rc;
}
