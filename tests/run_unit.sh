#!/bin/sh
# Run each cmocka unit test binary; print a total line CI can count.
passed=0
failed=0
for t in "$@"; do
	if "$t"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAILED: $t" >&2
	fi
done
echo "unit: $passed passed, $failed failed"
[ -n "${FAIRTOP_COUNTS:-}" ] && echo "$passed $failed" >>"$FAIRTOP_COUNTS"
[ "$failed" -eq 0 ]
