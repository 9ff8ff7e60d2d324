// duckdb_run.mjs — run one query of `fairtop sql --dialect duckdb` on
// DuckDB (the npm package @duckdb/node-api, installed by `make deps`
// into build/npm/) and export its result as CSV with a header, as a user
// would with COPY.  For tests/e2e/t2710-sql-pushdown.sh.
//
//   node duckdb_run.mjs API TABLE CSV TYPES QUERY_FILE OUT_CSV
//
// API is the path of @duckdb/node-api's lib/index.js; TABLE the name of
// the table the query reads (any bytes: quoted here as fairtop quotes
// it); CSV the predictions loaded into it with read_csv and the column
// types TYPES ("name:TYPE,name:TYPE"); QUERY_FILE the query, ending
// with ';'.  Exit 0, or 1 with DuckDB's message on stderr.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [api, table, csv, types, queryFile, out] = process.argv.slice(2);
const { DuckDBInstance } = await import(pathToFileURL(api).href);
const ident = (s) => '"' + s.replaceAll('"', '""') + '"';
const literal = (s) => "'" + s.replaceAll("'", "''") + "'";
const columns = types.split(',').map((pair) => {
	const [name, type] = pair.split(':');
	return `${literal(name)}: ${literal(type)}`;
});
try {
	const instance = await DuckDBInstance.create(':memory:');
	const conn = await instance.connect();
	await conn.run(`CREATE TABLE ${ident(table)} AS SELECT * FROM ` +
		`read_csv(${literal(csv)}, header = true, auto_detect = false, ` +
		`columns = {${columns.join(', ')}})`);
	const query = readFileSync(queryFile, 'utf8').trim().replace(/;$/, '');
	await conn.run(`COPY (${query}\n) TO ${literal(out)} (FORMAT CSV, HEADER)`);
} catch (e) {
	process.stderr.write(`duckdb: ${e.message}\n`);
	process.exit(1);
}
