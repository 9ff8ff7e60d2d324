#!/bin/sh
# t2700-mlflow: `ingest --mlflow` reads MLflow's own stores, never
# writing them.  An MLflow 3.x-shaped mlflow.db (the real column sets,
# built with sqlite3), the same with MLflow 3.10's `workspace` columns,
# and an mlruns/ folder: every mapped field checked through show and
# runs --format json, the alias as a deployment observed at import in
# the audit log, the skip counts, re-import changing nothing, the
# store's checksum unchanged, and the refusals (not MLflow's store,
# postgresql://, http://, databricks, a missing file) one line, exit 2.
. "$TOP/tests/e2e/lib/common.sh"

command -v sqlite3 >/dev/null 2>&1 || { say "skip: no sqlite3"; done_ok; }

o="$SCRATCH/out"
e="$SCRATCH/err"
db="$SCRATCH/fairtop.db"
ml="$SCRATCH/mlflow.db"
art="$SCRATCH/artifacts"

A=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1
B=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2
C=ccccccccccccccccccccccccccccccc3
D=ddddddddddddddddddddddddddddddd4
E=eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee5

# schema WS: MLflow 3.x's tables (WS=1: with 3.10's workspace columns)
schema() {
	if [ "$1" = 1 ]; then w=", workspace VARCHAR(63) NOT NULL DEFAULT 'default'"; else w=""; fi
	cat <<SQL
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
INSERT INTO alembic_version VALUES ('1b5f0d9ad7c1');
CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name VARCHAR(256) NOT NULL,
  artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32), creation_time BIGINT,
  last_update_time BIGINT$w);
CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, name VARCHAR(250), source_type VARCHAR(20),
  source_name VARCHAR(500), entry_point_name VARCHAR(50), user_id VARCHAR(256),
  status VARCHAR(9), start_time BIGINT, end_time BIGINT, deleted_time BIGINT,
  source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200),
  experiment_id INTEGER REFERENCES experiments(experiment_id));
CREATE TABLE metrics (key VARCHAR(250), value FLOAT NOT NULL, timestamp BIGINT, run_uuid VARCHAR(32),
  step BIGINT DEFAULT 0 NOT NULL, is_nan BOOLEAN DEFAULT 0 NOT NULL,
  PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan));
CREATE TABLE latest_metrics (key VARCHAR(250), value FLOAT NOT NULL, timestamp BIGINT,
  step BIGINT NOT NULL, is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32), PRIMARY KEY (key, run_uuid));
CREATE TABLE params (key VARCHAR(250), value VARCHAR(8000) NOT NULL, run_uuid VARCHAR(32),
  PRIMARY KEY (key, run_uuid));
CREATE TABLE tags (key VARCHAR(250), value VARCHAR(8000), run_uuid VARCHAR(32), PRIMARY KEY (key, run_uuid));
CREATE TABLE registered_models (name VARCHAR(256), creation_time BIGINT, last_updated_time BIGINT,
  description VARCHAR(5000)$w, PRIMARY KEY (name));
CREATE TABLE model_versions (name VARCHAR(256), version INTEGER, creation_time BIGINT,
  last_updated_time BIGINT, description VARCHAR(5000), user_id VARCHAR(256),
  current_stage VARCHAR(20), source VARCHAR(500), run_id VARCHAR(32), status VARCHAR(20),
  status_message VARCHAR(500), run_link VARCHAR(500), storage_location VARCHAR(500)$w,
  PRIMARY KEY (name, version));
CREATE TABLE registered_model_aliases (alias VARCHAR(256), version INTEGER NOT NULL,
  name VARCHAR(256)$w, PRIMARY KEY (name, alias));
SQL
}

# runs: A (registered v1, predictions as a plain path), B (v2, the
# champion, counts.csv through a file:// URI), C deleted, D running,
# E artifacts on s3 and no registered version
rows() {
	cat <<SQL
INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
  VALUES (1, 'loan', '$art', 'active', 1767430000000, 1767430000000);
INSERT INTO runs VALUES ('$A', 'a-run', 'LOCAL', '', '', 'maria', 'FINISHED', 1767430800123, 1767431332999, NULL, '', 'active', '$art/$A/artifacts', 1);
INSERT INTO runs VALUES ('$B', 'b-run', 'LOCAL', '', '', 'maria', 'FINISHED', 1768231800000, 1768232400000, NULL, '', 'active', 'file://$art/$B/artifacts', 1);
INSERT INTO runs VALUES ('$C', 'c-run', 'LOCAL', '', '', 'maria', 'FINISHED', 1768300000000, 1768300600000, 1768400000000, '', 'deleted', '$art/$C/artifacts', 1);
INSERT INTO runs VALUES ('$D', 'd-run', 'LOCAL', '', '', 'maria', 'RUNNING', 1768310000000, NULL, NULL, '', 'active', '$art/$D/artifacts', 1);
INSERT INTO runs VALUES ('$E', 'e-run', 'LOCAL', '', '', 'kevin', 'FAILED', 1768320000000, 1768320500000, NULL, '', 'active', 's3://bucket/1/$E/artifacts', 1);
INSERT INTO tags VALUES ('mlflow.source.git.commit', '45f7409e45f4', '$A');
INSERT INTO tags VALUES ('mlflow.runName', 'a-run', '$A');
INSERT INTO tags VALUES ('fairtop.sensitive', 'group,age', '$A');
INSERT INTO tags VALUES ('fairtop.beta_factor', '0.5', '$A');
INSERT INTO tags VALUES ('mlflow.parentRunId', '$A', '$B');
INSERT INTO params VALUES ('class_weight', '{0: 0.917, 1: 1.099}', '$A');
INSERT INTO params VALUES ('learning_rate', '0.001', '$A');
INSERT INTO params VALUES ('data_version', '2026-01-a', '$A');
INSERT INTO params VALUES ('model', 'xgboost, "fast"', '$A');
INSERT INTO params VALUES ('class_weight', 'balanced', '$B');
INSERT INTO params VALUES ('beta_factor', '2', '$B');
INSERT INTO params VALUES ('positive_label', '1', '$B');
INSERT INTO params VALUES ('class_weight', 'None', '$E');
INSERT INTO metrics VALUES ('accuracy', 0.61, 1767430900000, '$A', 1, 0);
INSERT INTO metrics VALUES ('accuracy', 0.625, 1767430950000, '$A', 2, 0);
INSERT INTO metrics VALUES ('accuracy', 0.6238, 1767430960500, '$A', 2, 0);
INSERT INTO metrics VALUES ('tpr/group=A', 0.7123456789012345, 1767430960000, '$A', 2, 0);
INSERT INTO metrics VALUES ('loss', 0, 1767430960000, '$A', 2, 1);
INSERT INTO metrics VALUES ('loss', 1.7976931348623157e308, 1767430970000, '$A', 3, 0);
INSERT INTO metrics VALUES ('throughput', 1200, 1768231900000, '$B', 0, 0);
INSERT INTO metrics VALUES ('accuracy', 0.7, 1768320100000, '$E', 0, 0);
INSERT INTO latest_metrics VALUES ('accuracy', 0.6238, 1767430960500, 2, 0, '$A');
INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES ('loan-approval', 1767430000000, 1768232400000, '');
INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, status, status_message, run_link, storage_location)
  VALUES ('loan-approval', 1, 1767431400000, 1767431400000, '', 'maria', 'None', 'runs:/$A/model', '$A', 'READY', '', '', '');
INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, status, status_message, run_link, storage_location)
  VALUES ('loan-approval', 2, 1768232400000, 1768232400000, '', 'maria', 'None', 'runs:/$B/model', '$B', 'READY', '', '', '');
INSERT INTO registered_model_aliases (alias, version, name) VALUES ('champion', 2, 'loan-approval');
SQL
}

sum_of() {
	sha256sum "$1" | cut -d' ' -f1
}

# ---------------------------------------------------------------------
say "== an MLflow 3.x mlflow.db"
mkdir -p "$art/$A/artifacts/fairtop" "$art/$B/artifacts/fairtop"
cp "$TOP/sample_runs/r01/predictions.csv" "$art/$A/artifacts/fairtop/"
printf 'step,group,tp,fp,tn,fn\n0,group=A,40,10,45,5\n0,group=B,30,20,35,15\n' \
	>"$art/$B/artifacts/fairtop/counts.csv"
{ schema 0; rows; } | sqlite3 "$ml" || fail "sqlite3: expected the MLflow store built"
chmod 444 "$ml"
before=$(sum_of "$ml")
ok "mlflow.db built with sqlite3: 5 runs, 2 registered versions, alias champion"

run "$o" "$e" "$FAIRTOP" --db "$db" ingest --mlflow "$ml" --by lead
expect_rc "ingest --mlflow mlflow.db" 0 "$e"
expect_contains "ingest --mlflow: the counts" "$o" \
	"$ml: 3 runs imported, 1 deleted skipped, 1 unfinished skipped (--include-unfinished imports them), 1 NaN and 1 infinite metric points skipped"
ok "ingest --mlflow: 3 runs imported, deleted, unfinished, NaN and infinite points counted"
expect_contains "ingest --mlflow: A" "$o" "ingested $A from $ml: 8000 predictions, 20 groups, 3 metric points"
expect_contains "ingest --mlflow: B" "$o" "ingested $B from $ml: 3 groups, 1 metric points"
expect_contains "ingest --mlflow: E's note" "$o" \
	"imported without evaluation: its artifacts are remote (s3://bucket/1/$E/artifacts); fetch them with \`mlflow artifacts download --run-id $E --artifact-path fairtop\`"
ok "ingest --mlflow: A with its predictions, B with its counts, E's remote artifacts said"
expect_contains "ingest --mlflow: the deployment" "$o" \
	"recorded a deployment of $B observed at import (alias 'champion'): fairtop audit"
ok "ingest --mlflow: the alias champion recorded as a deployment of B"
[ "$(sum_of "$ml")" = "$before" ] || fail "mlflow.db: expected its checksum unchanged, found another"
[ ! -e "$ml-wal" ] && [ ! -e "$ml-journal" ] || fail "mlflow.db: expected no -wal or -journal beside it, found one"
ok "mlflow.db: checksum unchanged after the import, no side file"

# ---------------------------------------------------------------------
say "== every field"
run "$o" "$e" "$FAIRTOP" --db "$db" show "$A" --format json
expect_rc "show A --format json" 0 "$e"
expect_json "show A --format json" "$o"
python3 - "$o" "$A" "$ml" "$db" >"$SCRATCH/fields" 2>&1 <<'PY' || fail "show A: $(cat "$SCRATCH/fields")"
import json, sqlite3, sys
r = json.load(open(sys.argv[1]))
def want(k, v):
    if r.get(k) != v:
        raise SystemExit("%s: expected %r, found %r" % (k, v, r.get(k)))
want("run", sys.argv[2])
want("model", "loan-approval")
want("version", "1")
want("started_at", "2026-01-03T09:00:00Z")
want("finished_at", "2026-01-03T09:08:52Z")
want("status", "FINISHED")
want("commit", "45f7409e45f4")
want("parent", None)
want("data_version", "2026-01-a")
want("beta_factor", 0.5)
want("sensitive", "group,age")
want("positive_label", "1")
want("source", "%s (MLflow run %s)" % (sys.argv[3], sys.argv[2]))
if r["class_weights"]["logged"] != {"0": 0.917, "1": 1.099}:
    raise SystemExit("class_weights: expected 0:0.917;1:1.099, found %r" % r["class_weights"])
if r["evaluation"]["source"] != "predictions" or r["evaluation"]["rows_all_steps"] != 8000:
    raise SystemExit("evaluation: expected the 8000 predictions, found %r" % r["evaluation"])
p = r["parameters"]
for k, v in (("learning_rate", "0.001"), ("mlflow.param.model", 'xgboost, "fast"'),
             ("mlflow.experiment", "loan"), ("mlflow.run_name", "a-run"),
             ("class_weight", "{0: 0.917, 1: 1.099}")):
    if p.get(k) != v:
        raise SystemExit("param %s: expected %r, found %r" % (k, v, p.get(k)))
for k in ("data_version", "beta_factor", "sensitive"):
    if k in p:
        raise SystemExit("%s: expected it taken as the run's, not kept as a parameter" % k)
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[4], uri=True)
pts = c.execute("SELECT m.step, m.timestamp, m.metric, m.grp, m.value FROM metrics m"
                " JOIN runs r ON r.id = m.run_id WHERE r.run_key = ?"
                " ORDER BY m.step, m.metric", (sys.argv[2],)).fetchall()
exp = [(1, "2026-01-03T09:01:40Z", "accuracy", "", 0.61),
       (2, "2026-01-03T09:02:40Z", "accuracy", "", 0.6238),
       (2, "2026-01-03T09:02:40Z", "tpr", "group=A", 0.7123456789012345)]
if pts != exp:
    raise SystemExit("metric history: expected %r, found %r" % (exp, pts))
print("ok")
PY
ok "show A: model and version from the registry, times in UTC (ms dropped), commit, fairtop.* tags and params, class weights, params kept, evaluation"
ok "A's metric history: step and time, the last value of a step, tpr/group=A as group=A, full precision, NaN and infinity left out"

run "$o" "$e" "$FAIRTOP" --db "$db" show "$B" --format json
expect_rc "show B --format json" 0 "$e"
python3 - "$o" "$A" >"$SCRATCH/fields" 2>&1 <<'PY' || fail "show B: $(cat "$SCRATCH/fields")"
import json, sys
r = json.load(open(sys.argv[1]))
exp = {"model": "loan-approval", "version": "2", "parent": sys.argv[2], "beta_factor": 2,
       "started_at": "2026-01-12T15:30:00Z", "finished_at": "2026-01-12T15:40:00Z"}
for k, v in exp.items():
    if r.get(k) != v:
        raise SystemExit("%s: expected %r, found %r" % (k, v, r.get(k)))
if r["evaluation"]["source"] != "counts":
    raise SystemExit("evaluation: expected counts, found %r" % r["evaluation"])
if r["class_weights"].get("logged"):
    raise SystemExit("class_weights: expected none for 'balanced', found %r" % r["class_weights"])
if r["parameters"].get("class_weight") != "balanced":
    raise SystemExit("class_weight: expected the param kept, found %r" % r["parameters"])
print("ok")
PY
ok "show B: version 2, parent from mlflow.parentRunId, beta_factor from a param, counts.csv through file://, 'balanced' logs no class weights"

run "$o" "$e" "$FAIRTOP" --db "$db" show "$E" --format json
expect_rc "show E --format json" 0 "$e"
python3 - "$o" >"$SCRATCH/fields" 2>&1 <<'PY' || fail "show E: $(cat "$SCRATCH/fields")"
import json, sys
r = json.load(open(sys.argv[1]))
exp = {"model": "loan", "version": "e-run", "status": "FAILED", "commit": None}
for k, v in exp.items():
    if r.get(k) != v:
        raise SystemExit("%s: expected %r, found %r" % (k, v, r.get(k)))
if r["evaluation"]["source"] != "none":
    raise SystemExit("evaluation: expected none, found %r" % r["evaluation"])
print("ok")
PY
ok "show E: no registered version, so the experiment's name and the run's name; FAILED kept; no evaluation"

run "$o" "$e" "$FAIRTOP" --db "$db" runs --format json
expect_rc "runs --format json" 0 "$e"
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$o" 2>/dev/null || echo '?')
[ "$n" = 3 ] || fail "runs --format json: expected 3 runs (C deleted, D running), found $n"
ok "runs: the 3 imported, not the deleted nor the running one"

# ---------------------------------------------------------------------
say "== the alias as deployment history"
run "$o" "$e" "$FAIRTOP" --db "$db" audit --format json
expect_rc "audit --format json" 0 "$e"
python3 - "$o" "$B" >"$SCRATCH/fields" 2>&1 <<'PY' || fail "audit: $(cat "$SCRATCH/fields")"
import json, sys
rows = json.load(open(sys.argv[1]))
rows = rows.get("rows", rows) if isinstance(rows, dict) else rows
d = [x for x in rows if x.get("action") == "deploy"]
if len(d) != 1:
    raise SystemExit("expected one deploy in the audit log, found %r" % d)
d = d[0]
if d.get("run") != sys.argv[2] and d.get("run_key") != sys.argv[2]:
    raise SystemExit("expected the deploy of B, found %r" % d)
if d.get("actor") != "lead" or not d.get("reason", "").startswith("observed at import: alias 'champion' of registered model 'loan-approval' (version 2)"):
    raise SystemExit("expected by lead, observed at import, found %r" % d)
print("ok")
PY
ok "audit: one deploy of B by lead, 'observed at import: alias champion of registered model loan-approval (version 2)'"
run "$o" "$e" "$FAIRTOP" --db "$db" audit --verify
expect_rc "audit --verify" 0 "$e"
ok "audit --verify: the chain and the record hold with the deployment observed"

# ---------------------------------------------------------------------
say "== importing the same store again"
run "$SCRATCH/audit1" "$e" "$FAIRTOP" --db "$db" audit --format json
run "$o" "$e" "$FAIRTOP" --db "$db" ingest --mlflow "sqlite:///$ml" --by lead
expect_rc "ingest --mlflow sqlite:///mlflow.db again" 0 "$e"
expect_contains "ingest again" "$o" "sqlite:///$ml: 0 runs imported, 3 already in the store skipped (--replace imports them again), 1 deleted skipped, 1 unfinished skipped"
run "$SCRATCH/audit2" "$e" "$FAIRTOP" --db "$db" audit --format json
cmp -s "$SCRATCH/audit1" "$SCRATCH/audit2" || fail "audit: expected no new row after importing again, found a change"
grep -q "recorded a deployment" "$o" && fail "ingest again: expected no deployment recorded, found one"
ok "importing again (through sqlite:///): nothing imported, no deployment, the audit log unchanged"

run "$o" "$e" "$FAIRTOP" --db "$db" ingest --mlflow "$ml" --include-unfinished --by lead
expect_rc "ingest --include-unfinished" 0 "$e"
expect_contains "ingest --include-unfinished" "$o" "ingested $D from $ml"
expect_contains "ingest --include-unfinished" "$o" "$ml: 1 run imported, 3 already in the store skipped"
ok "--include-unfinished: the running run D imported"
[ "$(sum_of "$ml")" = "$before" ] || fail "mlflow.db: expected its checksum unchanged, found another"
ok "mlflow.db: checksum unchanged after three imports"

# ---------------------------------------------------------------------
say "== a bad class_weight: the run refused, named"
bad="$SCRATCH/bad.db"
{ schema 0; rows; printf "UPDATE params SET value = '{0: heavy}' WHERE run_uuid = '%s' AND key = 'class_weight';\n" "$A"; } |
	sqlite3 "$bad" || fail "sqlite3: expected the bad store built"
run "$o" "$e" "$FAIRTOP" --db "$SCRATCH/bad-fairtop.db" ingest --mlflow "$bad" --by lead
expect_rc "ingest --mlflow bad.db" 65 "$e"
expect_contains "ingest --mlflow bad.db" "$e" \
	"fairtop: $bad: run $A: param class_weight: expected {label: weight, ...}, 'balanced' or None, found \"{0: heavy}\""
expect_contains "ingest --mlflow bad.db" "$o" "$bad: 2 runs imported, 1 refused"
ok "a malformed class_weight: that run refused (exit 65) naming the store, the run and the param; the others imported"

# ---------------------------------------------------------------------
say "== MLflow 3.10's workspace columns"
ws="$SCRATCH/ws.db"
{ schema 1; rows; } | sqlite3 "$ws" || fail "sqlite3: expected the workspace store built"
wsum=$(sum_of "$ws")
run "$o" "$e" "$FAIRTOP" --db "$SCRATCH/ws-fairtop.db" ingest --mlflow "$ws" --workspace default --by lead
expect_rc "ingest --mlflow ws.db --workspace default" 0 "$e"
expect_contains "ingest --mlflow ws.db" "$o" "$ws: 3 runs imported, 1 deleted skipped, 1 unfinished skipped"
expect_contains "ingest --mlflow ws.db" "$o" "recorded a deployment of $B observed at import"
ok "a store with workspace columns: read, --workspace default gives its runs and its alias"
run "$o" "$e" "$FAIRTOP" --db "$SCRATCH/ws2-fairtop.db" ingest --mlflow "$ws" --workspace team-b --by lead
expect_rc "ingest --mlflow ws.db --workspace team-b" 0 "$e"
expect_contains "ingest --workspace team-b" "$o" "$ws: 0 runs imported"
ok "--workspace team-b: no runs of that workspace, none imported"
run "$o" "$e" "$FAIRTOP" --db "$SCRATCH/ws3-fairtop.db" ingest --mlflow "$ml" --experiment loan --run "$A" --by lead
expect_rc "ingest --experiment loan --run A" 0 "$e"
expect_contains "ingest --run A" "$o" "$ml: 1 run imported"
expect_contains "ingest --run A" "$o" "alias 'champion' of model 'loan-approval' points at run $B, not in the store: no deployment recorded"
ok "--experiment loan --run A: only A, and no deployment of a run not in the store"
[ "$(sum_of "$ws")" = "$wsum" ] || fail "ws.db: expected its checksum unchanged, found another"
ok "ws.db: checksum unchanged"

# ---------------------------------------------------------------------
say "== an mlruns/ folder"
mr="$SCRATCH/mlruns"
mkdir -p "$mr/0" "$mr/1/$A/metrics/tpr" "$mr/1/$A/params" "$mr/1/$A/tags" \
	"$mr/1/$A/artifacts/fairtop" "$mr/1/$C" "$mr/models/loan-approval/version-1" \
	"$mr/models/loan-approval/aliases"
printf 'artifact_location: file://%s/0\nexperiment_id: '"'"'0'"'"'\nlifecycle_stage: active\nname: Default\n' "$mr" >"$mr/0/meta.yaml"
printf 'artifact_location: file://%s/1\nexperiment_id: '"'"'1'"'"'\nlifecycle_stage: active\nname: loan\n' "$mr" >"$mr/1/meta.yaml"
cat >"$mr/1/$A/meta.yaml" <<YAML
artifact_uri: file://$mr/1/$A/artifacts
end_time: 1767431332999
entry_point_name: ''
experiment_id: '1'
lifecycle_stage: active
run_id: $A
run_name: a-run
run_uuid: $A
source_name: ''
source_type: 4
source_version: ''
start_time: 1767430800123
status: 3
tags: []
user_id: maria
YAML
sed -e "s/$A/$C/g" -e 's/lifecycle_stage: active/lifecycle_stage: deleted/' "$mr/1/$A/meta.yaml" >"$mr/1/$C/meta.yaml"
printf '1767430900000 0.61 1\n1767430950000 0.625 2\n1767430960500 0.6238 2\n' >"$mr/1/$A/metrics/accuracy"
printf '1767430960000 0.7123456789012345 2\n' >"$mr/1/$A/metrics/tpr/group=A"
printf '1767430960000 nan 2\n1767430970000 inf 3 ds 1a2b\n' >"$mr/1/$A/metrics/loss"
printf '{0: 0.917, 1: 1.099}' >"$mr/1/$A/params/class_weight"
printf '0.001' >"$mr/1/$A/params/learning_rate"
printf '2026-01-a' >"$mr/1/$A/params/data_version"
printf '45f7409e45f4' >"$mr/1/$A/tags/mlflow.source.git.commit"
printf 'group,age' >"$mr/1/$A/tags/fairtop.sensitive"
printf '0.5' >"$mr/1/$A/tags/fairtop.beta_factor"
cp "$TOP/sample_runs/r01/predictions.csv" "$mr/1/$A/artifacts/fairtop/"
printf 'name: loan-approval\n' >"$mr/models/loan-approval/meta.yaml"
printf 'name: loan-approval\nrun_id: %s\nsource: runs:/%s/model\nversion: 1\n' "$A" "$A" \
	>"$mr/models/loan-approval/version-1/meta.yaml"
printf '1' >"$mr/models/loan-approval/aliases/champion"
chmod -R a-w "$mr"
treesum=$(find "$mr" -type f | sort | xargs sha256sum | sha256sum)
run "$o" "$e" "$FAIRTOP" --db "$SCRATCH/mr-fairtop.db" ingest --mlflow "$mr" --by lead
expect_rc "ingest --mlflow mlruns" 0 "$e"
expect_contains "ingest --mlflow mlruns" "$o" "$mr: 1 run imported, 1 deleted skipped, 1 NaN and 1 infinite metric points skipped"
expect_contains "ingest --mlflow mlruns" "$o" "ingested $A from $mr: 8000 predictions, 20 groups, 3 metric points"
expect_contains "ingest --mlflow mlruns" "$o" "recorded a deployment of $A observed at import (alias 'champion')"
ok "mlruns/: A imported with its predictions, the deleted run and NaN and infinite points counted, the alias recorded"
run "$o" "$e" "$FAIRTOP" --db "$SCRATCH/mr-fairtop.db" show "$A" --format json
expect_rc "show A (mlruns)" 0 "$e"
python3 - "$o" "$A" "$SCRATCH/mr-fairtop.db" >"$SCRATCH/fields" 2>&1 <<'PY' || fail "show A (mlruns): $(cat "$SCRATCH/fields")"
import json, sqlite3, sys
r = json.load(open(sys.argv[1]))
exp = {"model": "loan-approval", "version": "1", "started_at": "2026-01-03T09:00:00Z",
       "finished_at": "2026-01-03T09:08:52Z", "status": "FINISHED", "commit": "45f7409e45f4",
       "data_version": "2026-01-a", "beta_factor": 0.5, "sensitive": "group,age"}
for k, v in exp.items():
    if r.get(k) != v:
        raise SystemExit("%s: expected %r, found %r" % (k, v, r.get(k)))
if r["class_weights"]["logged"] != {"0": 0.917, "1": 1.099}:
    raise SystemExit("class_weights: found %r" % r["class_weights"])
if r["parameters"].get("learning_rate") != "0.001":
    raise SystemExit("learning_rate: found %r" % r["parameters"])
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[3], uri=True)
pts = c.execute("SELECT m.step, m.timestamp, m.metric, m.grp, m.value FROM metrics m"
                " JOIN runs r ON r.id = m.run_id WHERE r.run_key = ?"
                " ORDER BY m.step, m.metric", (sys.argv[2],)).fetchall()
exp = [(1, "2026-01-03T09:01:40Z", "accuracy", "", 0.61),
       (2, "2026-01-03T09:02:40Z", "accuracy", "", 0.6238),
       (2, "2026-01-03T09:02:40Z", "tpr", "group=A", 0.7123456789012345)]
if pts != exp:
    raise SystemExit("metric history: expected %r, found %r" % (exp, pts))
print("ok")
PY
ok "show A (mlruns): the same fields as from mlflow.db; metrics/tpr/group=A as tpr for group=A"
[ "$(find "$mr" -type f | sort | xargs sha256sum | sha256sum)" = "$treesum" ] ||
	fail "mlruns/: expected every file unchanged, found a change"
ok "mlruns/: every file's checksum unchanged"

# ---------------------------------------------------------------------
say "== refusals: one line, exit 2"
printf 'not a database, just text\n' >"$SCRATCH/notes.db"
sqlite3 "$SCRATCH/other.db" "CREATE TABLE runs (id INTEGER);" || fail "sqlite3: expected other.db"
mkdir -p "$SCRATCH/empty-folder"
for src in "$SCRATCH/notes.db" "$SCRATCH/other.db" "$db" "$SCRATCH/empty-folder" \
	"postgresql://mlflow:s3cret@db.example:5432/mlflow" "http://localhost:5000" \
	"https://mlflow.example" "databricks" "databricks://profile" "mysql://u:s3cret@h/db" \
	"$SCRATCH/missing.db"; do
	run "$o" "$e" "$FAIRTOP" --db "$SCRATCH/refused.db" ingest --mlflow "$src" --by lead
	expect_rc "ingest --mlflow $src" 2 "$e"
	line=$(one_line "$e") || fail "ingest --mlflow $src: expected one line on stderr, found: $(cat "$e")"
	case $line in
	"fairtop: "*) ;;
	*) fail "ingest --mlflow $src: expected 'fairtop: ...', found: $line" ;;
	esac
	grep -q s3cret "$e" && fail "ingest --mlflow $src: expected the password left out, found: $line"
	ok "ingest --mlflow $src: exit 2, $line"
done
run "$o" "$e" "$FAIRTOP" --db "$SCRATCH/refused.db" ingest --experiment loan sample_runs
expect_rc "ingest --experiment without --mlflow" 2 "$e"
expect_contains "ingest --experiment without --mlflow" "$e" "--experiment: expected --mlflow SOURCE with it"
ok "--experiment without --mlflow: a usage error, exit 2"

done_ok
