#!/bin/sh
# tests/bench/mlflow_bench.sh — `fairtop ingest --mlflow` of 1,000 runs
# (`make bench`).
#
# Builds, with sqlite3, an MLflow 3.x-shaped mlflow.db of MLFLOW_RUNS
# runs (default 1000) in tests/bench/work/: each with 6 params, 3 tags,
# 4 metrics of 20 steps (two of them per group: tpr/group=A, tpr/group=B)
# and a registered version for one run in ten, the last of them the
# champion; no artifacts (the evaluation's ingest is bench.sh's).  Then
# times, best of BENCH_ROUNDS (default 3), the import into a fresh store
# and prints the total and the time per run.  Exit 1 only when the bench
# cannot run.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
work="$top/tests/bench/work"
n=${MLFLOW_RUNS:-1000}
rounds=${BENCH_ROUNDS:-3}
fairtop="$top/fairtop"
command -v sqlite3 >/dev/null 2>&1 || { echo "mlflow bench: sqlite3 missing" >&2; exit 1; }
[ -x "$fairtop" ] || { echo "mlflow bench: build fairtop first" >&2; exit 1; }
mkdir -p "$work"
ml="$work/mlflow-$n.db"
rm -f "$ml"
sqlite3 "$ml" <<SQL || exit 1
CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name VARCHAR(256) NOT NULL,
  artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32), creation_time BIGINT, last_update_time BIGINT);
CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, name VARCHAR(250), source_type VARCHAR(20),
  source_name VARCHAR(500), entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(9),
  start_time BIGINT, end_time BIGINT, deleted_time BIGINT, source_version VARCHAR(50),
  lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER);
CREATE TABLE metrics (key VARCHAR(250), value FLOAT NOT NULL, timestamp BIGINT, run_uuid VARCHAR(32),
  step BIGINT DEFAULT 0 NOT NULL, is_nan BOOLEAN DEFAULT 0 NOT NULL,
  PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan));
CREATE TABLE params (key VARCHAR(250), value VARCHAR(8000) NOT NULL, run_uuid VARCHAR(32), PRIMARY KEY (key, run_uuid));
CREATE TABLE tags (key VARCHAR(250), value VARCHAR(8000), run_uuid VARCHAR(32), PRIMARY KEY (key, run_uuid));
CREATE TABLE registered_models (name VARCHAR(256) PRIMARY KEY, creation_time BIGINT, last_updated_time BIGINT, description VARCHAR(5000));
CREATE TABLE model_versions (name VARCHAR(256), version INTEGER, creation_time BIGINT, last_updated_time BIGINT,
  description VARCHAR(5000), user_id VARCHAR(256), current_stage VARCHAR(20), source VARCHAR(500),
  run_id VARCHAR(32), status VARCHAR(20), status_message VARCHAR(500), run_link VARCHAR(500),
  storage_location VARCHAR(500), PRIMARY KEY (name, version));
CREATE TABLE registered_model_aliases (alias VARCHAR(256), version INTEGER NOT NULL, name VARCHAR(256), PRIMARY KEY (name, alias));
INSERT INTO experiments VALUES (1, 'bench', '/nonexistent', 'active', 0, 0);
CREATE TEMP TABLE i AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $n) SELECT x FROM c;
CREATE TEMP TABLE s AS WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < 19) SELECT x FROM c;
INSERT INTO runs SELECT printf('%032x', x), 'run-' || x, 'LOCAL', '', '', 'bench', 'FINISHED',
  1767225600000 + x * 60000, 1767225600000 + x * 60000 + 30000, NULL, '', 'active',
  '/nonexistent/' || x || '/artifacts', 1 FROM i;
INSERT INTO params SELECT k, v, printf('%032x', x) FROM i,
  (SELECT 'learning_rate' k, '0.001' v UNION ALL SELECT 'epochs', '10' UNION ALL SELECT 'batch_size', '512'
   UNION ALL SELECT 'class_weight', '{0: 0.917, 1: 1.099}' UNION ALL SELECT 'beta_factor', '0.5'
   UNION ALL SELECT 'optimizer', 'adam');
INSERT INTO tags SELECT k, v, printf('%032x', x) FROM i,
  (SELECT 'mlflow.source.git.commit' k, '45f7409e45f4' v UNION ALL SELECT 'mlflow.runName', 'run'
   UNION ALL SELECT 'fairtop.sensitive', 'group');
INSERT INTO metrics SELECT k, 0.5 + s.x / 100.0, 1767225600000 + i.x * 60000 + s.x * 1000, printf('%032x', i.x), s.x, 0
  FROM i, s, (SELECT 'accuracy' k UNION ALL SELECT 'loss' UNION ALL SELECT 'tpr/group=A' UNION ALL SELECT 'tpr/group=B');
INSERT INTO registered_models VALUES ('bench-model', 0, 0, '');
INSERT INTO model_versions SELECT 'bench-model', x / 10, 0, 0, '', 'bench', 'None', '', printf('%032x', x),
  'READY', '', '', '' FROM i WHERE x % 10 = 0;
INSERT INTO registered_model_aliases SELECT 'champion', max(version), 'bench-model' FROM model_versions;
SQL

best=""
for r in $(seq 1 "$rounds"); do
	db="$work/mlflow-bench.db"
	rm -f "$db" "$db-wal" "$db-shm" "$db.decide"
	t0=$(date +%s.%N)
	"$fairtop" --db "$db" ingest --mlflow "$ml" --by bench >"$work/mlflow-bench.out" 2>&1 ||
		{ echo "mlflow bench: the import failed:" >&2; tail -3 "$work/mlflow-bench.out" >&2; exit 1; }
	t1=$(date +%s.%N)
	t=$(awk "BEGIN {print $t1 - $t0}")
	if [ -z "$best" ] || [ "$(awk "BEGIN {print ($t < $best)}")" = 1 ]; then best=$t; fi
done
grep -q "$n runs imported" "$work/mlflow-bench.out" ||
	{ echo "mlflow bench: expected $n runs imported, found:" >&2; tail -2 "$work/mlflow-bench.out" >&2; exit 1; }
awk -v t="$best" -v n="$n" 'BEGIN {
	printf "ingest --mlflow of %d MLflow runs (80 metric points each), fresh store: %.2f s, %.2f ms per run\n",
		n, t, t * 1000 / n }'
