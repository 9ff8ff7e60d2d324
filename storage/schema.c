/*
 * schema.c — the migrations.  See schema.h.
 *
 * Conventions: every table is STRICT; a rate that is undefined (a zero
 * denominator) is NULL, never 0; times are ISO 8601 text in UTC.
 * Tables that later features fill (deployments, alerts, gate decisions,
 * the audit log) exist from the start so that the store's shape is
 * settled early.  The audit log is append-only: triggers refuse UPDATE
 * and DELETE.
 */
#include "storage/schema.h"

/* The triggers that keep the record append-only (schema_guard()):
 * the audit log's since schema 1, and since 10 the tables that
 * `audit --verify` checks against it.  A deployment's facts never
 * change; only a pending one is closed (state, hook status and output
 * set once).  A gate decision never changes.  An acknowledgement is
 * never rewritten (cleared, yes: a resolved alert raised again fires
 * afresh, and the audit log keeps the acknowledgement); no alert is
 * deleted, as the audit log names them by id.  Migration 10 spells
 * these out as they were then; store_open() re-creates any missing
 * from the list below. */
#define GUARD_AUDIT_NO_UPDATE \
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log" \
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
#define GUARD_AUDIT_NO_DELETE \
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log" \
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
#define GUARD_DEPLOYMENTS_NO_UPDATE \
	"CREATE TRIGGER deployments_no_update BEFORE UPDATE ON deployments" \
	" WHEN OLD.state IS NOT 'pending'" \
	"  OR NEW.state NOT IN ('pending', 'done', 'failed')" \
	"  OR OLD.id IS NOT NEW.id OR OLD.time IS NOT NEW.time" \
	"  OR OLD.run_key IS NOT NEW.run_key OR OLD.kind IS NOT NEW.kind" \
	"  OR OLD.actor IS NOT NEW.actor OR OLD.reason IS NOT NEW.reason" \
	"  OR OLD.source IS NOT NEW.source" \
	"  OR OLD.recorded_at IS NOT NEW.recorded_at" \
	" BEGIN SELECT RAISE(ABORT, 'deployments are append-only: only a" \
	" pending deployment is closed'); END;"
#define GUARD_DEPLOYMENTS_NO_DELETE \
	"CREATE TRIGGER deployments_no_delete BEFORE DELETE ON deployments" \
	" BEGIN SELECT RAISE(ABORT, 'deployments are append-only'); END;"
#define GUARD_GATE_NO_UPDATE \
	"CREATE TRIGGER gate_decisions_no_update BEFORE UPDATE" \
	" ON gate_decisions" \
	" BEGIN SELECT RAISE(ABORT, 'gate_decisions is append-only'); END;"
#define GUARD_GATE_NO_DELETE \
	"CREATE TRIGGER gate_decisions_no_delete BEFORE DELETE" \
	" ON gate_decisions" \
	" BEGIN SELECT RAISE(ABORT, 'gate_decisions is append-only'); END;"
#define GUARD_ACK_NO_REWRITE \
	"CREATE TRIGGER alerts_ack_no_rewrite BEFORE UPDATE ON alerts" \
	" WHEN OLD.acknowledged_at IS NOT NULL" \
	"  AND NEW.acknowledged_at IS NOT NULL" \
	"  AND (OLD.acknowledged_at IS NOT NEW.acknowledged_at" \
	"   OR OLD.acknowledged_by IS NOT NEW.acknowledged_by" \
	"   OR OLD.ack_note IS NOT NEW.ack_note)" \
	" BEGIN SELECT RAISE(ABORT, 'an acknowledgement is never" \
	" rewritten'); END;"
#define GUARD_ALERTS_NO_DELETE \
	"CREATE TRIGGER alerts_no_delete BEFORE DELETE ON alerts" \
	" BEGIN SELECT RAISE(ABORT, 'alerts are never deleted: the audit" \
	" log names them'); END;"

static const struct {
	const char *name, *sql;
} guards[] = {
	{"audit_log_no_update", GUARD_AUDIT_NO_UPDATE},
	{"audit_log_no_delete", GUARD_AUDIT_NO_DELETE},
	{"deployments_no_update", GUARD_DEPLOYMENTS_NO_UPDATE},
	{"deployments_no_delete", GUARD_DEPLOYMENTS_NO_DELETE},
	{"gate_decisions_no_update", GUARD_GATE_NO_UPDATE},
	{"gate_decisions_no_delete", GUARD_GATE_NO_DELETE},
	{"alerts_ack_no_rewrite", GUARD_ACK_NO_REWRITE},
	{"alerts_no_delete", GUARD_ALERTS_NO_DELETE},
};

static const char *const migrations[] = {
	/* 1: the foundation */
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  run_key TEXT NOT NULL UNIQUE,"
	"  model TEXT NOT NULL,"
	"  version TEXT,"
	"  parent TEXT,"
	"  git_commit TEXT,"
	"  data_version TEXT,"
	"  started_at TEXT NOT NULL,"
	"  finished_at TEXT,"
	"  status TEXT,"
	"  beta_factor REAL,"
	"  class_weights TEXT,"
	"  positive_label TEXT NOT NULL,"
	"  negative_label TEXT,"
	"  sensitive TEXT,"
	"  source TEXT NOT NULL,"
	"  evaluation TEXT NOT NULL"
	"    CHECK (evaluation IN ('none', 'predictions', 'counts')),"
	"  final_step INTEGER,"
	"  rows_evaluated INTEGER,"
	"  has_scores INTEGER NOT NULL DEFAULT 0,"
	"  ingested_at TEXT NOT NULL"
	") STRICT;"

	"CREATE TABLE run_params ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (run_id, key)"
	") STRICT;"

	"CREATE TABLE metrics ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  step INTEGER NOT NULL,"
	"  timestamp TEXT,"
	"  metric TEXT NOT NULL,"
	"  grp TEXT NOT NULL,"
	"  value REAL NOT NULL,"
	"  PRIMARY KEY (run_id, metric, grp, step)"
	") STRICT;"

	/* a feature: kind 'overall' (name ''), 'feature' or 'intersection'
	 * (name 'group & age') */
	"CREATE TABLE features ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  kind TEXT NOT NULL"
	"    CHECK (kind IN ('overall', 'feature', 'intersection')),"
	"  position INTEGER NOT NULL,"
	"  UNIQUE (run_id, name)"
	") STRICT;"

	/* a group of a feature: label 'A', or 'group=A & age=18-25' */
	"CREATE TABLE groups ("
	"  id INTEGER PRIMARY KEY,"
	"  feature_id INTEGER NOT NULL REFERENCES features(id)"
	"    ON DELETE CASCADE,"
	"  label TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  UNIQUE (feature_id, label)"
	") STRICT;"

	/* weighted confusion counts per (run, step, group), with the rates
	 * computed from them (NULL where undefined) for SQL readers */
	"CREATE TABLE confusion ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  step INTEGER NOT NULL,"
	"  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,"
	"  rows INTEGER,"
	"  rows_positive INTEGER,"
	"  tp REAL NOT NULL, fp REAL NOT NULL, tn REAL NOT NULL,"
	"  fn REAL NOT NULL,"
	"  base_rate REAL, selection_rate REAL, tpr REAL, fpr REAL,"
	"  precision REAL, accuracy REAL, f_beta REAL,"
	"  PRIMARY KEY (run_id, step, group_id)"
	") STRICT;"

	/* score histograms: bin b covers [b/bins, (b+1)/bins), the last
	 * bin includes 1; only non-empty bins are stored */
	"CREATE TABLE score_bins ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  step INTEGER NOT NULL,"
	"  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,"
	"  bins INTEGER NOT NULL,"
	"  bin INTEGER NOT NULL,"
	"  weight REAL NOT NULL,"
	"  PRIMARY KEY (run_id, step, group_id, bin)"
	") STRICT;"

	"CREATE TABLE deployments ("
	"  id INTEGER PRIMARY KEY,"
	"  time TEXT NOT NULL,"
	"  run_key TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('deploy', 'override',"
	"    'rollback')),"
	"  actor TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'done'"
	"    CHECK (state IN ('pending', 'done', 'failed')),"
	"  hook_status INTEGER,"
	"  hook_output TEXT,"
	"  source TEXT NOT NULL DEFAULT 'fairtop'"
	") STRICT;"

	"CREATE TABLE alerts ("
	"  id INTEGER PRIMARY KEY,"
	"  run_key TEXT NOT NULL,"
	"  rule TEXT NOT NULL,"
	"  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning',"
	"    'critical')),"
	"  state TEXT NOT NULL CHECK (state IN ('firing', 'acknowledged',"
	"    'resolved')),"
	"  subject TEXT NOT NULL DEFAULT '',"
	"  details TEXT NOT NULL DEFAULT '{}',"
	"  first_seen TEXT NOT NULL,"
	"  last_seen TEXT NOT NULL,"
	"  UNIQUE (run_key, rule, subject)"
	") STRICT;"

	"CREATE TABLE gate_decisions ("
	"  id INTEGER PRIMARY KEY,"
	"  time TEXT NOT NULL,"
	"  baseline_key TEXT NOT NULL,"
	"  candidate_key TEXT NOT NULL,"
	"  passed INTEGER NOT NULL CHECK (passed IN (0, 1)),"
	"  policy TEXT NOT NULL,"
	"  findings TEXT NOT NULL"
	") STRICT;"

	"CREATE TABLE audit_log ("
	"  id INTEGER PRIMARY KEY,"
	"  time TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  run_key TEXT,"
	"  reason TEXT,"
	"  details TEXT NOT NULL DEFAULT '{}',"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL"
	") STRICT;"

	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"

	"CREATE INDEX metrics_by_step ON metrics(run_id, step);"
	"CREATE INDEX confusion_by_group ON confusion(group_id);"
	"CREATE INDEX groups_by_feature ON groups(feature_id);"
	"CREATE INDEX features_by_run ON features(run_id);",

	/* 2: alerts say what fired against which baseline, and who
	 * acknowledged them */
	"ALTER TABLE alerts ADD COLUMN baseline_key TEXT;"
	"ALTER TABLE alerts ADD COLUMN message TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;"
	"ALTER TABLE alerts ADD COLUMN acknowledged_at TEXT;"
	"ALTER TABLE alerts ADD COLUMN ack_note TEXT;"
	"CREATE INDEX alerts_by_state ON alerts(state, severity);",

	/* 3: deployment history imported from deployments.csv is taken
	 * once, however often it is ingested */
	"CREATE UNIQUE INDEX deployments_history ON deployments"
	" (time, run_key, kind) WHERE source = 'history';"
	"CREATE INDEX deployments_by_time ON deployments(state, time);",

	/* 4: each run's headline and its gate verdict against the baseline
	 * it was judged against when it arrived, so that the dashboard and
	 * the report need not judge every run again */
	"CREATE TABLE run_summaries ("
	"  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,"
	"  accuracy REAL, f_beta REAL, dp_difference REAL,"
	"  eo_difference REAL, worst_tpr REAL, worst_group TEXT,"
	"  throughput REAL,"
	"  baseline_key TEXT,"
	"  gate_passed INTEGER NOT NULL CHECK (gate_passed IN (0, 1)),"
	"  gate_fails INTEGER NOT NULL,"
	"  gate_first TEXT"
	") STRICT;",

	/* 5: the dashboard's reads in index order, without sorting: runs by
	 * start (newest first is the index read backwards), the alert
	 * listing in its own order (the expressions are those of
	 * store_alerts_list, which SQLite matches as written), and each
	 * run's open alerts counted from the index alone */
	"CREATE INDEX runs_by_start ON runs(started_at, run_key);"
	"CREATE INDEX alerts_listing ON alerts("
	"  (CASE state WHEN 'firing' THEN 0 WHEN 'acknowledged' THEN 1"
	"   ELSE 2 END),"
	"  (CASE severity WHEN 'critical' THEN 0 ELSE 1 END),"
	"  first_seen DESC, id DESC);"
	"CREATE INDEX alerts_by_run ON alerts(run_key, state, severity);",

	/* 6: a run's rows are only ever added (ingest) or deleted with the
	 * run (ingest --replace), never changed in place; a reader that
	 * keeps what it read of each run (the dashboard's drift) reads only
	 * runs with a higher id than it has seen, unless this count moved:
	 * a run deleted (its id may be given again), or a run, one of its
	 * features or its counts changed by hand */
	"CREATE TABLE run_changes ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  count INTEGER NOT NULL"
	") STRICT;"
	"INSERT INTO run_changes (id, count) VALUES (1, 0);"
	"CREATE TRIGGER runs_deleted AFTER DELETE ON runs"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER runs_updated AFTER UPDATE ON runs"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER features_updated AFTER UPDATE ON features"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER confusion_updated AFTER UPDATE ON confusion"
	" BEGIN UPDATE run_changes SET count = count + 1; END;",

	/* 7: an alert's life.  began_at is when its condition began in the
	 * run's own time (the run's started_at for the alerts its
	 * evaluation raises), apart from first_seen, when fairtop recorded
	 * it; alerts already stored take their run's started_at.  A
	 * resolved alert says when and why (no longer raised, or its run
	 * replaced in production by a deploy or rollback, whose id it keeps:
	 * such an alert fires again when its run is put back).
	 *
	 * And the verdicts kept (service/verdict.h): run judged against
	 * baseline (0: on its own) under the policy of that digest.  Such
	 * a verdict depends on the two runs' rows and the policy alone, and
	 * a run's rows are only ever added with a new id or deleted with
	 * the run: a verdict goes with either run, and all of them when
	 * run_changes moves (a run replaced, whose id may be given again,
	 * or rows changed by hand). */
	/* times kept with a fraction of a second (fairtop before this
	 * schema) lose it, as isotime_utc() now writes every time, so
	 * that text order is time order */
	"UPDATE runs SET started_at = substr(started_at, 1, 19) || 'Z'"
	" WHERE substr(started_at, 20, 1) IN ('.', ',')"
	"  AND started_at LIKE '%Z';"
	"UPDATE runs SET finished_at = substr(finished_at, 1, 19) || 'Z'"
	" WHERE substr(finished_at, 20, 1) IN ('.', ',')"
	"  AND finished_at LIKE '%Z';"
	"UPDATE OR IGNORE deployments SET time = substr(time, 1, 19) || 'Z'"
	" WHERE substr(time, 20, 1) IN ('.', ',')"
	"  AND time LIKE '%Z';"
	"ALTER TABLE alerts ADD COLUMN began_at TEXT;"
	"ALTER TABLE alerts ADD COLUMN resolved_at TEXT;"
	"ALTER TABLE alerts ADD COLUMN resolved_reason TEXT;"
	"ALTER TABLE alerts ADD COLUMN resolved_by_deployment INTEGER;"
	"UPDATE alerts SET began_at = (SELECT runs.started_at FROM runs"
	"  WHERE runs.run_key = alerts.run_key)"
	" WHERE began_at IS NULL;"
	"CREATE TABLE verdicts ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  baseline_id INTEGER NOT NULL,"
	"  policy_digest TEXT NOT NULL,"
	"  passed INTEGER NOT NULL CHECK (passed IN (0, 1)),"
	"  fails INTEGER NOT NULL,"
	"  first TEXT,"
	"  PRIMARY KEY (run_id, baseline_id, policy_digest)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TRIGGER verdicts_baseline_deleted AFTER DELETE ON runs"
	" BEGIN DELETE FROM verdicts WHERE baseline_id = OLD.id; END;"
	"CREATE TRIGGER verdicts_stale AFTER UPDATE ON run_changes"
	" BEGIN DELETE FROM verdicts; END;"
	/* a verdict also reads groups, score histograms, metrics and
	 * parameters: changed by hand, they move run_changes too, and so
	 * do rows of a run deleted by hand (not by the run's deletion,
	 * whose cascade would count once per row) */
	/* ingest's upsert of a group (to read its id back) changes
	 * nothing and is not counted */
	"CREATE TRIGGER groups_updated AFTER UPDATE ON groups"
	" WHEN OLD.id IS NOT NEW.id OR OLD.feature_id IS NOT NEW.feature_id"
	"  OR OLD.label IS NOT NEW.label OR OLD.position IS NOT NEW.position"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER score_bins_updated AFTER UPDATE ON score_bins"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER metrics_updated AFTER UPDATE ON metrics"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER run_params_updated AFTER UPDATE ON run_params"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER confusion_deleted AFTER DELETE ON confusion"
	" WHEN EXISTS (SELECT 1 FROM runs WHERE id = OLD.run_id)"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER score_bins_deleted AFTER DELETE ON score_bins"
	" WHEN EXISTS (SELECT 1 FROM runs WHERE id = OLD.run_id)"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER metrics_deleted AFTER DELETE ON metrics"
	" WHEN EXISTS (SELECT 1 FROM runs WHERE id = OLD.run_id)"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER features_deleted AFTER DELETE ON features"
	" WHEN EXISTS (SELECT 1 FROM runs WHERE id = OLD.run_id)"
	" BEGIN UPDATE run_changes SET count = count + 1; END;",

	/* 8: the sums of squared weights of each (run, step, group)'s
	 * positive and negative rows, for Kish's effective sample sizes
	 * (core/confusion.h); NULL where unknown (runs ingested before, and
	 * counts.csv) */
	"ALTER TABLE confusion ADD COLUMN w2_positive REAL;"
	"ALTER TABLE confusion ADD COLUMN w2_negative REAL;",

	/* 9: when fairtop recorded each deployment, apart from when it
	 * happened: the same for its own, the import's time for the
	 * history of deployments.csv (its audit entry's, for rows imported
	 * before; NULL when none is found) */
	"ALTER TABLE deployments ADD COLUMN recorded_at TEXT;"
	"UPDATE deployments SET recorded_at = time WHERE source = 'fairtop';"
	"UPDATE deployments SET recorded_at = (SELECT min(a.time)"
	"  FROM audit_log a WHERE a.action = deployments.kind"
	"  AND a.run_key = deployments.run_key"
	"  AND a.details LIKE '%\"source\": \"deployments.csv\"%')"
	" WHERE source = 'history';",

	/* 10: the record is append-only beyond the audit log: deployments
	 * (closed once), gate decisions and acknowledgements; see the
	 * guards above.  `audit --verify` checks their rows against the
	 * audit log's. */
	GUARD_DEPLOYMENTS_NO_UPDATE GUARD_DEPLOYMENTS_NO_DELETE
	GUARD_GATE_NO_UPDATE GUARD_GATE_NO_DELETE
	GUARD_ACK_NO_REWRITE GUARD_ALERTS_NO_DELETE,

	/* 11: compact rows, most of a store being confusion counts and
	 * metric points.  Both tables lose their rowid (the key is the
	 * row's place: WITHOUT ROWID, no second copy of the key in an
	 * index); confusion loses its seven rates, which any reader
	 * computes from the counts (SQL readers from the view
	 * confusion_rates, with the same arithmetic as
	 * core/confusion.c), and the indexes no read uses
	 * (confusion_by_group, metrics_by_step).  A confusion row goes
	 * with its run (the cascade from runs), no longer through its
	 * group: that cascade needed an index on group_id.  A step's rows
	 * are read in key order, so group ids follow the evaluation's
	 * order within a step (storage/ingest.c assigns them so): the
	 * groups kept before are numbered again by run, feature position
	 * and label, which is that order, and their score bins follow.
	 * Integral counts were already kept as integers by SQLite (a
	 * REAL column stores an exact integer in 1 to 8 bytes and reads
	 * it back as the same double). */
	/* (IF EXISTS: a store made before migration 7 had these
	 * triggers may lack them) */
	"PRAGMA defer_foreign_keys = ON;"
	"CREATE TABLE group_ids ("
	"  old INTEGER PRIMARY KEY, new INTEGER NOT NULL"
	") STRICT;"
	"INSERT INTO group_ids (old, new)"
	" SELECT g.id, (SELECT coalesce(max(id), 0) FROM groups)"
	"  + row_number() OVER (ORDER BY f.run_id, f.position, g.label)"
	" FROM groups g JOIN features f ON f.id = g.feature_id;"
	"DROP TRIGGER IF EXISTS groups_updated;"
	"UPDATE groups SET id = (SELECT new FROM group_ids WHERE old = id);"
	"DROP TRIGGER IF EXISTS score_bins_updated;"
	"UPDATE score_bins SET group_id = (SELECT new FROM group_ids"
	"  WHERE old = group_id);"
	"CREATE TABLE confusion_v11 ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  step INTEGER NOT NULL,"
	"  group_id INTEGER NOT NULL,"
	"  rows INTEGER,"
	"  rows_positive INTEGER,"
	"  tp REAL NOT NULL, fp REAL NOT NULL, tn REAL NOT NULL,"
	"  fn REAL NOT NULL,"
	"  w2_positive REAL, w2_negative REAL,"
	"  PRIMARY KEY (run_id, step, group_id)"
	") STRICT, WITHOUT ROWID;"
	"INSERT INTO confusion_v11 SELECT c.run_id, c.step, m.new, c.rows,"
	" c.rows_positive, c.tp, c.fp, c.tn, c.fn, c.w2_positive,"
	" c.w2_negative FROM confusion c JOIN group_ids m ON m.old = c.group_id"
	" ORDER BY c.run_id, c.step, m.new;"
	"DROP TABLE confusion;"
	"ALTER TABLE confusion_v11 RENAME TO confusion;"
	"DROP TABLE group_ids;"
	"CREATE TABLE metrics_v11 ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  step INTEGER NOT NULL,"
	"  timestamp TEXT,"
	"  metric TEXT NOT NULL,"
	"  grp TEXT NOT NULL,"
	"  value REAL NOT NULL,"
	"  PRIMARY KEY (run_id, metric, grp, step)"
	") STRICT, WITHOUT ROWID;"
	"INSERT INTO metrics_v11 SELECT run_id, step, timestamp, metric, grp,"
	" value FROM metrics ORDER BY run_id, metric, grp, step;"
	"DROP TABLE metrics;"
	"ALTER TABLE metrics_v11 RENAME TO metrics;"
	/* the triggers of migrations 6 and 7 on the tables made again */
	"CREATE TRIGGER confusion_updated AFTER UPDATE ON confusion"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER confusion_deleted AFTER DELETE ON confusion"
	" WHEN EXISTS (SELECT 1 FROM runs WHERE id = OLD.run_id)"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER metrics_updated AFTER UPDATE ON metrics"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER metrics_deleted AFTER DELETE ON metrics"
	" WHEN EXISTS (SELECT 1 FROM runs WHERE id = OLD.run_id)"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER groups_updated AFTER UPDATE ON groups"
	" WHEN OLD.id IS NOT NEW.id OR OLD.feature_id IS NOT NEW.feature_id"
	"  OR OLD.label IS NOT NEW.label OR OLD.position IS NOT NEW.position"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	"CREATE TRIGGER score_bins_updated AFTER UPDATE ON score_bins"
	" BEGIN UPDATE run_changes SET count = count + 1; END;"
	/* kept verdicts read rows, never ids: they stay */
	/* the rates, as core/confusion.c computes them (NULL where
	 * undefined; F-beta with the run's beta_factor) */
	"CREATE VIEW confusion_rates AS"
	" SELECT run_id, step, group_id, base_rate, selection_rate, tpr, fpr,"
	"  precision, accuracy,"
	"  (1 + beta * beta) * precision * tpr"
	"   / nullif(beta * beta * precision + tpr, 0) AS f_beta"
	" FROM (SELECT c.run_id, c.step, c.group_id,"
	"  (c.tp + c.fn) / nullif(c.tp + c.fp + c.tn + c.fn, 0) AS base_rate,"
	"  (c.tp + c.fp) / nullif(c.tp + c.fp + c.tn + c.fn, 0)"
	"   AS selection_rate,"
	"  c.tp / nullif(c.tp + c.fn, 0) AS tpr,"
	"  c.fp / nullif(c.fp + c.tn, 0) AS fpr,"
	"  c.tp / nullif(c.tp + c.fp, 0) AS precision,"
	"  (c.tp + c.tn) / nullif(c.tp + c.fp + c.tn + c.fn, 0) AS accuracy,"
	"  r.beta_factor AS beta"
	"  FROM confusion c JOIN runs r ON r.id = c.run_id);",

	/* 12: what each run's evaluation is, as the incident compares
	 * two (service/incident.h): its rows at the final step (the first
	 * overall group's, as runload_rows() reads them) and its set of
	 * groups as one number (core/groupset.h), so that the Runs view
	 * marks exactly the runs the incident calls not comparable; the
	 * runs kept before get theirs from their rows, the digest through
	 * the aggregate fairtop_groups_digest() every connection has
	 * (storage/store.c) */
	"ALTER TABLE run_summaries ADD COLUMN groups_digest INTEGER;"
	"ALTER TABLE run_summaries ADD COLUMN final_rows INTEGER;"
	"UPDATE run_summaries SET groups_digest = ("
	" SELECT fairtop_groups_digest(fe.name, g.label)"
	" FROM runs r JOIN confusion c ON c.run_id = r.id"
	"  AND c.step = r.final_step"
	" JOIN groups g ON g.id = c.group_id"
	" JOIN features fe ON fe.id = g.feature_id"
	" WHERE r.id = run_summaries.run_id AND fe.kind = 'feature'),"
	" final_rows = ("
	" SELECT c.rows FROM runs r JOIN confusion c ON c.run_id = r.id"
	"  AND c.step = r.final_step"
	" JOIN groups g ON g.id = c.group_id"
	" JOIN features fe ON fe.id = g.feature_id"
	" WHERE r.id = run_summaries.run_id AND fe.kind = 'overall'"
	" ORDER BY c.group_id LIMIT 1);",
};

const char *schema_guard(size_t k, const char **name)
{
	if (k >= sizeof guards / sizeof *guards)
		return NULL;
	*name = guards[k].name;
	return guards[k].sql;
}

const char *schema_migration(int k)
{
	if (k < 1 || k > schema_version())
		return NULL;
	return migrations[k - 1];
}

int schema_version(void)
{
	return (int)(sizeof migrations / sizeof *migrations);
}
