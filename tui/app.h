/*
 * app.h — the dashboard's state, shared by its views.
 *
 * The views draw from snapshots that service/ fills (service/snapshot.h)
 * and handle keys by returning what should happen next (ACT_*); only
 * app.c talks to the store.
 */
#ifndef FAIRTOP_APP_H
#define FAIRTOP_APP_H

#include <stddef.h>
#include <stdint.h>

#include "core/groups.h"
#include "core/runinfo.h"
#include "core/policy.h"
#include "storage/driftcache.h"
#include "core/page.h"
#include "service/deploygate.h"
#include "service/incident.h"
#include "service/rollplan.h"
#include "service/snapshot.h"
#include "tui/dialog.h"
#include "tui/model.h"
#include "tui/screen.h"

/* Runs read in one page: the first frame's, then each page read on
 * between keys (service/snapshot.h) — about 10 ms a page. */
#define RUNS_PAGE 1000

/* The Timeline view holds the events of the newest TIMELINE_RUNS runs
 * and what happened since; `fairtop report` has them all. */
#define TIMELINE_RUNS 1000

enum view_id {
	VIEW_RUNS,
	VIEW_COMPARE,
	VIEW_DRIFT,
	VIEW_ALERTS,
	VIEW_TIMELINE,
	VIEW_INCIDENT,
	VIEW_COUNT
};

enum modal {
	MODAL_NONE,
	MODAL_HELP,
	MODAL_PICK_BASELINE,
	MODAL_PICK_CANDIDATE,
	MODAL_ACK,
	MODAL_DETAIL,
	MODAL_ROLLBACK,
	MODAL_DEPLOY,
	MODAL_OUTCOME,
};

/* What a key handler asks for. */
enum {
	ACT_NONE = 0,
	ACT_REDRAW = 1,      /* draw again */
	ACT_QUIT = 2,
	ACT_RELOAD = 4,      /* read the store again */
	ACT_COMPARE = 8,     /* reload the Compare snapshot */
	ACT_DRIFT = 16,      /* reload the Drift snapshot */
	ACT_ACK = 32,        /* acknowledge the selected alert */
	ACT_ROLLBACK = 64,   /* open the rollback dialog */
	ACT_DO_ROLLBACK = 128, /* carry it out */
	ACT_DEPLOY = 256,    /* open the deploy dialog */
	ACT_DO_DEPLOY = 512, /* gate and carry it out */
};

struct app {
	struct store *store;
	struct policy policy;
	int read_only;
	int interactive;  /* on a terminal: reads can be stopped by q */
	deploygate_json_fn *findings_json; /* for the gate decisions d
					    * records */
	struct snapshot snap;
	int reading_paused; /* a page failed: tried again at the next poll */
	int64_t data_version;
	const char *store_state; /* "store deleted", "store replaced:
				  * reopening" (static), or NULL */
	enum view_id view;
	enum modal modal;
	char message[512];
	enum role message_role;
	size_t help_scroll;  /* the help's first line shown */

	/* Runs */
	size_t *rows;
	size_t nrows;
	size_t sel_run, top_run;
	struct field filter;
	int filtering;
	enum sort_key sort;
	int reverse;

	/* Compare */
	char baseline[RUN_ID_MAX + 1], candidate[RUN_ID_MAX + 1];
	struct snap_compare cmp;
	int compare_stale;  /* reload cmp before Compare or Drift draws */
	size_t cmp_scroll;
	size_t pick_sel;

	/* Drift */
	char feature[FEATURE_NAME_MAX + 1]; /* any name ingest takes */
	enum drift_metric metric;
	struct snap_drift drift;
	int drift_stale;
	struct drift_cache drift_cache; /* what Drift read, kept */

	/* Alerts */
	size_t sel_alert, top_alert; /* sel_alert indexes snap.alerts */
	struct field alert_filter;
	int alert_filtering;
	size_t *alert_rows;  /* the indexes of snap.alerts that match */
	size_t nalert_rows;
	struct field ack_note;
	int ack_run;   /* the note is for every firing alert of the run */

	/* Timeline */
	size_t sel_event, top_event;

	/* Incident */
	struct incident inc;
	struct page inc_page;
	int inc_loaded, inc_stale;
	size_t inc_scroll;
	/* Rollback and deploy */
	struct rollplan plan;
	int plan_loaded;
	struct decision_dialog dlg;
	size_t deploy_alt;  /* the deploy dialog's run: plan.alt[] */
	char outcome_title[64];
	char outcome[2048];
	int outcome_ok;
};

/* Lines available to a view: from row `top`, `height` rows. */
void view_runs_draw(struct app *a, int top, int height);
int view_runs_key(struct app *a, int key);
void view_compare_draw(struct app *a, int top, int height);
int view_compare_key(struct app *a, int key);
void view_drift_draw(struct app *a, int top, int height);
int view_drift_key(struct app *a, int key);
void view_alerts_draw(struct app *a, int top, int height);
int view_alerts_key(struct app *a, int key);
void view_timeline_draw(struct app *a, int top, int height);
int view_timeline_key(struct app *a, int key);
void view_incident_draw(struct app *a, int top, int height);
int view_incident_key(struct app *a, int key);

/* Whether the dashboard should open on the Incident view: production
 * fails the policy or has critical alerts firing (the header's facts). */
int app_in_incident(const struct app *a);

/* The header (two lines) and the key bar (last line). */
void header_draw(struct app *a);
void keybar_draw(struct app *a);

/* Modals drawn over the view. */
void modal_draw(struct app *a);

/* A key while the help is open: j/k (arrows) scroll it when the screen
 * is shorter than its box, any other key closes it. */
int modal_help_key(struct app *a, int key);

/* After the store changed (another connection committed: PRAGMA
 * data_version moved) or the dashboard wrote to it: read the header
 * again and mark everything the views show out of date. */
int app_reload(struct app *a, struct fail *f);

/* Read what the current view shows and is out of date (the Runs view's
 * selection stays on the same run).  -1 with *f when the store cannot
 * be read. */
int app_load_for_view(struct app *a, struct fail *f);

/* Rebuild the Runs view's rows after a reload or a filter change. */
void app_rebuild_rows(struct app *a);

/* The selected run's key in the Runs view, or NULL. */
const char *app_selected_run(const struct app *a);

/* Format a rate for a cell: "0.123" or "n/a". */
const char *fmt_rate(char *buf, size_t size, double v);

/* "▲0.123" / "▼0.123" (ASCII "+0.123"/"-0.123"), "n/a". */
const char *fmt_delta(char *buf, size_t size, double before, double after);

#endif
