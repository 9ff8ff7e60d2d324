#!/bin/sh
# t2710-sql-pushdown: `fairtop sql` on real engines gives what fairtop
# computes from the rows.
#
# Predictions made here with awk (three steps, two sensitive features,
# a group of 4 rows for low-n, scores on the bins' edges: 0, 0.01, 0.07,
# 0.29, 0.5, 0.99, 1), unweighted and weighted, are ingested directly
# from predictions.csv; then loaded into PostgreSQL (a throw-away
# cluster: initdb and pg_ctl from /usr/lib/postgresql/*/bin, run as
# nobody when this runs as root, its Unix socket in a scratch folder,
# no TCP, stopped by the EXIT trap; the socket in a short folder of
# /tmp) and DuckDB (@duckdb/node-api, which
# `make deps` installs into build/npm/), where the queries of `fairtop
# sql` run; their results exported as CSV (for DuckDB's weighted run, as
# a folder of part-*.csv shards with an empty part and a _SUCCESS file,
# as Spark writes) make run folders of counts.csv and scores.csv.
# `fairtop show --format json` of the two ingests must be the same (all
# but evaluation.source), and so must every group's stored counts and
# score histograms: exactly without weights, within 1e-12 relative with
# them.  Then: a NULL label and an unknown one give bad > 0, refused
# with FILE:LINE; a table and a column named with quotes run as named.
. "$TOP/tests/e2e/lib/common.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
o="$SCRATCH/out"
e="$SCRATCH/err"
api="$TOP/build/npm/node_modules/@duckdb/node-api/lib/index.js"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
	say "skip: PostgreSQL not installed (make deps installs postgresql)"
	exit 0
fi
if ! command -v node >/dev/null 2>&1 || [ ! -f "$api" ]; then
	say "skip: @duckdb/node-api not installed (make deps installs it with npm into build/npm/)"
	exit 0
fi

# as_pg CMD...: CMD as the cluster's owner: nobody when root (PostgreSQL
# refuses to run as root), else this user.
as_pg() {
	if [ "$(id -u)" -ne 0 ]; then
		"$@"
		return
	fi
	if command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
		return
	fi
	runuser -u nobody -- "$@"
}

pg="$SCRATCH/pg"
# the socket's folder: short, as a Unix socket's path must be (107 bytes)
sock=$(mktemp -d /tmp/fairtop-pg.XXXXXX) || fail "mktemp"
pg_started=0
cleanup() {
	if [ "$pg_started" -eq 1 ]; then
		as_pg "$pgbin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1
	fi
	rm -rf "$sock"
	:
}
trap 'cleanup' EXIT
trap 'cleanup; exit 1' INT TERM HUP

# ---------------------------------------------------------------------
say "== predictions"
chmod 755 "$SCRATCH"
# gen WEIGHTED: step,y_true,y_pred,score[,weight],sex,age
gen() {
	awk -v weighted="$1" 'BEGIN {
		split("0 0.01 0.07 0.29 0.5 0.99 1", edge, " ")
		printf "step,y_true,y_pred,score%s,sex,age\n", weighted ? ",weight" : ""
		for (step = 1; step <= 3; step++)
			for (i = 0; i < 400; i++) {
				sex = i % 2 ? "F" : "M"
				age = i % 3 == 0 ? "18-25" : i % 3 == 1 ? "26-40" : "41-65"
				if (i < 4)
					age = "65+"
				t = (i * 7 + step) % 5 < 2
				p = (i * 11 + step * 3) % 7 < 3
				if (i % 9 == 0)
					score = edge[1 + int(i / 9) % 7]
				else
					score = ((i * 37 + step * 13) % 1000) / 999
				w = weighted ? sprintf(",%.17g", 0.1 + ((i * 53 + step) % 97) / 13) : ""
				printf "%d,%d,%d,%.17g%s,%s,%s\n", step, t, p, score, w, sex, age
			}
	}'
}
mkdir -p data
gen 0 >data/plain.csv
gen 1 >data/weighted.csv
chmod -R a+rX data
ok "predictions: 1200 rows each, unweighted and weighted"

# run_csv DIR ID: run.csv naming the labels, as the recipe says
run_csv() {
	mkdir -p "$1"
	printf 'key,value\nrun,%s\nmodel,m\nstarted_at,2026-01-22T14:05:00Z\nbeta_factor,1\nsensitive,"sex,age"\npositive_label,1\nnegative_label,0\n' \
		"$2" >"$1/run.csv"
}

# ---------------------------------------------------------------------
say "== PostgreSQL: a throw-away cluster on a Unix socket"
mkdir -p "$pg"
[ "$(id -u)" -ne 0 ] || chown 65534:65534 "$pg" "$sock"
run "$o" "$e" as_pg "$pgbin/initdb" -D "$pg/data" -A trust -U fairtop \
	-E UTF8 --locale=C --no-sync
expect_rc "initdb" 0 "$e"
run "$o" "$e" as_pg "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/log" -w \
	-o "-k $sock -c listen_addresses= -c fsync=off" start
pg_started=1
expect_rc "pg_ctl start" 0 "$pg/log"
ok "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') up, its socket in $sock"

# psql_run OUT FILE: run FILE's SQL on the cluster, stdout in OUT
psql_run() {
	chmod a+r "$2"
	as_pg "$pgbin/psql" -X -q -h "$sock" -U fairtop -d postgres \
		-v ON_ERROR_STOP=1 -f "$2" >"$1" 2>"$e"
}

# pg_export QUERY_FILE OUT: COPY (query) TO STDOUT as CSV with a header
pg_export() {
	{
		printf 'COPY (\n'
		sed -e '/^--/d' -e 's/;$//' "$1"
		printf ') TO STDOUT WITH (FORMAT csv, HEADER);\n'
	} >"$1.copy"
	psql_run "$2" "$1.copy"
}

# A table of each kind: labels as integers (PostgreSQL), a name with a
# double and a single quote in it for the weighted one.
cat >load.sql <<EOF
CREATE TABLE plain (step bigint, y_true integer, y_pred integer,
	score double precision, sex text, age text);
\\copy plain FROM '$SCRATCH/data/plain.csv' CSV HEADER
CREATE TABLE "we""ird 'name" (step bigint, y_true integer, y_pred integer,
	score double precision, weight double precision, sex text, age text);
\\copy "we""ird 'name" FROM '$SCRATCH/data/weighted.csv' CSV HEADER
EOF
psql_run "$o" load.sql || { show_file "$e"; fail "loading the predictions into PostgreSQL"; }
ok "PostgreSQL: both tables loaded, one named we\"ird 'name"

# ---------------------------------------------------------------------
# direct WHICH: ingest data/WHICH.csv as predictions.csv at run/, show
direct() {
	rm -rf run "$1.direct.db"
	run_csv run "$1"
	cp "data/$1.csv" run/predictions.csv
	run "$o" "$e" "$FAIRTOP" --db "$1.direct.db" ingest run
	expect_rc "ingest $1 from predictions.csv" 0 "$e"
	"$FAIRTOP" --db "$1.direct.db" show "$1" --format json >"$1.direct.json" ||
		fail "show $1 (predictions)"
}

# via ENGINE WHICH COUNTS SCORES TOLERANCE: ingest COUNTS (a file or a
# folder) and SCORES as run/counts.csv and run/scores.csv, compare
via() {
	rm -rf run "$2.$1.db"
	run_csv run "$2"
	cp -R "$3" run/counts.csv
	cp "$4" run/scores.csv
	run "$o" "$e" "$FAIRTOP" --db "$2.$1.db" ingest run
	expect_rc "ingest $2 from $1's counts.csv and scores.csv" 0 "$e"
	"$FAIRTOP" --db "$2.$1.db" show "$2" --format json >"$2.$1.json" ||
		fail "show $2 ($1)"
	if ! python3 "$LIB/same_run.py" "$5" "$2.direct.json" "$2.$1.json" \
		"$2.direct.db" "$2.$1.db" >"$o" 2>&1; then
		printf 'FAIL: %s %s: show --format json, counts or score bins differ from the predictions ingest:\n' "$1" "$2"
		show_file "$o"
		exit 1
	fi
	ok "$1, $2: show --format json, every group's counts and score bins equal the predictions ingest ($([ "$5" = 0 ] && echo exactly || echo "within $5 relative"))"
}

sql() {
	"$FAIRTOP" sql --sensitive sex,age --positive-label 1 \
		--negative-label 0 --step step --score score "$@"
}

say "== unweighted, exactly"
direct plain
sql --dialect postgres --table plain --query counts >pg-plain-counts.sql &&
	sql --dialect postgres --table plain --query scores >pg-plain-scores.sql ||
	fail "fairtop sql --dialect postgres"
pg_export pg-plain-counts.sql pg-plain-counts.csv || { show_file "$e"; fail "PostgreSQL: the counts query"; }
pg_export pg-plain-scores.sql pg-plain-scores.csv || { show_file "$e"; fail "PostgreSQL: the scores query"; }
via postgres plain pg-plain-counts.csv pg-plain-scores.csv 0

duck() {
	node "$LIB/duckdb_run.mjs" "$api" "$@" 2>"$e"
}
types_plain='step:BIGINT,y_true:VARCHAR,y_pred:VARCHAR,score:DOUBLE,sex:VARCHAR,age:VARCHAR'
types_weighted='step:BIGINT,y_true:VARCHAR,y_pred:VARCHAR,score:DOUBLE,weight:DOUBLE,sex:VARCHAR,age:VARCHAR'
sql --dialect duckdb --table plain --query counts >dk-plain-counts.sql &&
	sql --dialect duckdb --table plain --query scores >dk-plain-scores.sql ||
	fail "fairtop sql --dialect duckdb"
duck plain data/plain.csv "$types_plain" dk-plain-counts.sql dk-plain-counts.csv ||
	{ show_file "$e"; fail "DuckDB: the counts query"; }
duck plain data/plain.csv "$types_plain" dk-plain-scores.sql dk-plain-scores.csv ||
	{ show_file "$e"; fail "DuckDB: the scores query"; }
via duckdb plain dk-plain-counts.csv dk-plain-scores.csv 0

say "== weighted, within 1e-12"
direct weighted
t="we\"ird 'name"
sql --dialect postgres --table "$t" --weight weight --query counts >pg-w-counts.sql &&
	sql --dialect postgres --table "$t" --weight weight --query scores >pg-w-scores.sql ||
	fail "fairtop sql --dialect postgres --weight"
pg_export pg-w-counts.sql pg-w-counts.csv || { show_file "$e"; fail "PostgreSQL: the weighted counts query"; }
pg_export pg-w-scores.sql pg-w-scores.csv || { show_file "$e"; fail "PostgreSQL: the weighted scores query"; }
via postgres weighted pg-w-counts.csv pg-w-scores.csv 1e-12

sql --dialect duckdb --table "$t" --weight weight --query counts >dk-w-counts.sql &&
	sql --dialect duckdb --table "$t" --weight weight --query scores >dk-w-scores.sql ||
	fail "fairtop sql --dialect duckdb --weight"
duck "$t" data/weighted.csv "$types_weighted" dk-w-counts.sql dk-w-counts.csv ||
	{ show_file "$e"; fail "DuckDB: the weighted counts query"; }
duck "$t" data/weighted.csv "$types_weighted" dk-w-scores.sql dk-w-scores.csv ||
	{ show_file "$e"; fail "DuckDB: the weighted scores query"; }
# shards as Spark writes them: a header per part, an empty part, _SUCCESS
rm -rf shards
mkdir shards
head -n 1 dk-w-counts.csv >shards/part-00000.csv
sed -n '2,10p' dk-w-counts.csv >>shards/part-00000.csv
head -n 1 dk-w-counts.csv >shards/part-00001.csv
sed -n '11,$p' dk-w-counts.csv >>shards/part-00001.csv
: >shards/part-00002.csv
: >shards/_SUCCESS
[ "$(cat shards/part-*.csv | wc -l)" -eq "$(($(wc -l <dk-w-counts.csv) + 1))" ] ||
	fail "splitting DuckDB's counts into two parts"
via duckdb weighted shards dk-w-scores.csv 1e-12
ok "duckdb: counts.csv a folder of part-*.csv shards (an empty part, a _SUCCESS file) read as one"

# ---------------------------------------------------------------------
say "== bad rows are refused, with FILE:LINE"
awk -F, 'NR == 1 || NR > 5 { print; next }
	NR == 2 { $2 = ""; print; next }
	{ print }' OFS=, data/plain.csv >data/bad.csv
chmod a+r data/bad.csv
cat >load-bad.sql <<EOF
CREATE TABLE bad (step bigint, y_true integer, y_pred integer,
	score double precision, sex text, age text);
\\copy bad FROM '$SCRATCH/data/bad.csv' CSV HEADER
EOF
psql_run "$o" load-bad.sql || { show_file "$e"; fail "loading bad.csv"; }
sql --dialect postgres --table bad --query counts >pg-bad.sql || fail "fairtop sql (bad)"
pg_export pg-bad.sql pg-bad.csv || { show_file "$e"; fail "PostgreSQL: the counts query (bad)"; }
line=$(awk -F, 'NR > 1 && $NF > 0 { print NR; exit }' pg-bad.csv)
[ -n "$line" ] || fail "PostgreSQL: expected a cell with bad > 0, found none"
rm -rf run
run_csv run bad
cp pg-bad.csv run/counts.csv
run "$o" "$e" "$FAIRTOP" --db bad.db ingest run
expect_rc "ingest a counts.csv with bad > 0" 65 "$e"
expect_contains "bad > 0 refused" "$e" "run/counts.csv:$line: 1 rows with a missing or unknown label or a bad weight in this cell; fix the data or filter them in the query"
ok "PostgreSQL: a NULL y_true counts in bad; ingest refuses it at counts.csv:$line"

sed -e '2s/^1,1,/1,x,/' data/plain.csv >data/bad2.csv
duck plain data/bad2.csv "$types_plain" dk-plain-counts.sql dk-bad.csv ||
	{ show_file "$e"; fail "DuckDB: the counts query (bad)"; }
line=$(awk -F, 'NR > 1 && $NF > 0 { print NR; exit }' dk-bad.csv)
[ -n "$line" ] || fail "DuckDB: expected a cell with bad > 0, found none"
cp dk-bad.csv run/counts.csv
run "$o" "$e" "$FAIRTOP" --db bad.db ingest run
expect_rc "ingest DuckDB's counts.csv with bad > 0" 65 "$e"
expect_contains "bad > 0 refused (DuckDB)" "$e" "run/counts.csv:$line: 1 rows with a missing or unknown label"
ok "DuckDB: an unknown label 'x' counts in bad; ingest refuses it at counts.csv:$line"

# ---------------------------------------------------------------------
say "== names with quotes are quoted, never pasted"
cat >load-q.sql <<EOF
CREATE TABLE "t""; DROP TABLE plain; --" ("se""x" text, y_true text, y_pred text);
INSERT INTO "t""; DROP TABLE plain; --" VALUES ('F', '1', '1'), ('M', 'no''pe', 'no''pe');
EOF
psql_run "$o" load-q.sql || { show_file "$e"; fail "PostgreSQL: a table named with quotes"; }
"$FAIRTOP" sql --dialect postgres --table 't"; DROP TABLE plain; --' \
	--sensitive 'se"x' --positive-label 1 --negative-label "no'pe" \
	--query counts >pg-q.sql || fail "fairtop sql with quotes"
pg_export pg-q.sql pg-q.csv || { show_file "$e"; fail "PostgreSQL: the query over quoted names"; }
printf 'step,"se""x",rows,rows_positive,tp,fp,tn,fn,w2_positive,w2_negative,bad\n' >want
sort pg-q.csv | grep -v '^step' >got.rows
printf '0,F,1,1,1,0,0,0,1,0,0\n0,M,1,0,0,0,1,0,0,1,0\n' >want.rows
head -n 1 pg-q.csv >got
if ! cmp -s want got || ! cmp -s want.rows got.rows; then
	printf 'FAIL: quoted names: expected\n'
	cat want want.rows | show_file /dev/stdin
	printf '  found:\n'
	show_file pg-q.csv
	exit 1
fi
printf 'SELECT count(*) FROM plain;\n' >count.sql
psql_run "$o" count.sql || fail "table plain is gone"
ok "PostgreSQL: table 't\"; DROP TABLE plain; --', column 'se\"x', label 'no'pe' run as named; plain is still there"

done_ok
