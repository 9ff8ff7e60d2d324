#!/bin/sh
# Run each cmocka unit test binary; print a total line CI can count.
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
for t in "$@"; do
	case "$t" in
	*test_number) run() { LOCPATH=$locale_dir "$@"; } ;;
	*) run() { "$@"; } ;;
	esac
	if run "$t"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAILED: $t" >&2
	fi
done
echo "unit: $passed passed, $failed failed"
[ -n "${FAIRTOP_COUNTS:-}" ] && echo "$passed $failed" >>"$FAIRTOP_COUNTS"
[ "$failed" -eq 0 ]
