#!/bin/sh
# npm_deps.sh PREFIX PACKAGE@VERSION: install an npm package (pinned)
# into PREFIX/node_modules of the tree, for the e2e tests (t2710 runs
# DuckDB through @duckdb/node-api, whose binary ships in the package).
# Nothing is done when that version is there already.  Without node or
# npm, or when the install fails (no network), says so and exits 0:
# the test that needs it then says "skip:" (make deps installs node and
# npm from Debian first, so on CI it is there).
prefix=$1
spec=$2
name=${spec%@*}
version=${spec##*@}
pkg="$prefix/node_modules/$name/package.json"
if [ -f "$pkg" ] && grep -q "\"version\": \"$version\"" "$pkg"; then
	exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "make deps: node or npm missing: $spec not installed (t2710 will skip DuckDB)" >&2
	exit 0
fi
echo "make deps: npm install $spec into $prefix"
mkdir -p "$prefix" || exit 1
if ! npm install --no-save --no-audit --no-fund --loglevel=error \
	--prefix "$prefix" "$spec"; then
	echo "make deps: npm install $spec failed (t2710 will skip DuckDB)" >&2
fi
exit 0
