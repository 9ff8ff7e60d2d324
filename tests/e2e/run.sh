#!/bin/sh
# Run every end-to-end test script tests/e2e/tNNNN-*.sh from the top of
# the tree, each in its own scratch folder, and print a total line.
# A script passes when it exits 0; it prints what it checked.
cd "$(dirname "$0")/../.." || exit 70
top=$(pwd)
passed=0
failed=0
rm -rf tests/e2e/tmp
mkdir -p tests/e2e/tmp
for t in tests/e2e/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	scratch="$top/tests/e2e/tmp/$name"
	mkdir -p "$scratch"
	if TOP="$top" FAIRTOP="$top/fairtop" SCRATCH="$scratch" \
		sh "$t" >"$scratch.log" 2>&1; then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name"
		sed 's/^/     /' "$scratch.log" | tail -n 30
	fi
done
echo "e2e: $passed passed, $failed failed"
[ -n "${FAIRTOP_COUNTS:-}" ] && echo "$passed $failed" >>"$FAIRTOP_COUNTS"
[ "$failed" -eq 0 ]
