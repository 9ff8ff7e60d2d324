#!/bin/sh
# Run each cmocka unit test binary; print a total line CI can count: the
# tests cmocka ran, passed and failed, over every program.
#
# test_number checks that numbers are read the same in a locale whose
# decimal point is ','; a machine may have none installed, so one is
# compiled here from Debian's locale sources (package locales) into
# tests/unit/locale/ and given to that test alone through LOCPATH.
here=$(cd "$(dirname "$0")" && pwd) || exit 1
locale_dir=$here/unit/locale
if [ ! -d "$locale_dir/de_DE.UTF-8" ] && command -v localedef >/dev/null 2>&1 &&
    [ -f /usr/share/i18n/locales/de_DE ]; then
	mkdir -p "$locale_dir" &&
		localedef -i de_DE -f UTF-8 "$locale_dir/de_DE.UTF-8" 2>/dev/null ||
		echo "unit: could not compile de_DE.UTF-8; the locale test may skip" >&2
fi
passed=0
failed=0
programs_failed=0
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
# The programs run UNIT_JOBS at a time (default: one per core), each
# into its own file; their output is then shown in the order given.
# Each works in a folder of its own (mkdtemp), so none meets another.
jobs=${UNIT_JOBS:-$(nproc 2>/dev/null || echo 2)}
# The longest (the allocation-fault sweep) starts first, so that the
# others run beside it instead of after it; shown in its place all the
# same.
i=0
for t in "$@"; do
	i=$((i + 1))
	printf '%s %s\n' "$i" "$t"
done | awk '/test_oom$/ { print; next } { rest[n++] = $0 }
	END { for (k = 0; k < n; k++) print rest[k] }' | LOCALE_DIR=$locale_dir WORK=$work xargs -P "$jobs" -L 1 sh -c '
	case "$2" in
	*test_number) LOCPATH=$LOCALE_DIR "$2" >"$WORK/$1.out" 2>&1 ;;
	*) "$2" >"$WORK/$1.out" 2>&1 ;;
	esac
	echo $? >"$WORK/$1.rc"' sh
# Counts are cmocka's tests, read from each program's summary lines
# ("[  PASSED  ] 7 test(s)." and "[  FAILED  ] 2 test(s), listed
# below:"); a program that fails without a summary (a crash, a
# sanitizer's abort) counts one failure.
i=0
for t in "$@"; do
	i=$((i + 1))
	out=$work/$i.out
	rc=$(cat "$work/$i.rc" 2>/dev/null || echo 127)
	cat "$out" 2>/dev/null
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" 2>/dev/null | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed.*/\1/p' "$out" 2>/dev/null | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		programs_failed=$((programs_failed + 1))
		[ -z "$f" ] && failed=$((failed + 1))
		echo "FAILED: $t (exit $rc)" >&2
	fi
done
echo "unit: $passed passed, $failed failed ($# programs, $programs_failed failing)"
[ -n "${FAIRTOP_COUNTS:-}" ] && echo "$passed $failed" >>"$FAIRTOP_COUNTS"
[ "$programs_failed" -eq 0 ] && [ "$failed" -eq 0 ]
