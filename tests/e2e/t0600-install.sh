#!/bin/sh
# make install / make uninstall honour PREFIX and DESTDIR: the binary,
# fairtop(1), fairtop.ini(5) and fairtop-formats(5), and the bash, zsh
# and fish completion scripts (what the installed binary prints); every
# man page renders without warnings.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TOP" || exit 1
dest="$SCRATCH/root"
root="$dest/opt/ft"
make -s install DESTDIR="$dest" PREFIX=/opt/ft >/dev/null || fail "make install failed"
[ -x "$root/bin/fairtop" ] || fail "no $root/bin/fairtop"
"$root/bin/fairtop" --version | grep -q '^fairtop ' || fail "installed binary does not run"
for page in man1/fairtop.1 man5/fairtop.ini.5 man5/fairtop-formats.5; do
	[ -f "$root/share/man/$page" ] || fail "no man page $page installed"
	cmp -s "$root/share/man/$page" "man/${page#*/}" || fail "$page installed differs from man/${page#*/}"
done
echo "ok: install under DESTDIR/PREFIX: the binary and the three man pages"
for s in bash:share/bash-completion/completions/fairtop \
	zsh:share/zsh/site-functions/_fairtop \
	fish:share/fish/vendor_completions.d/fairtop.fish; do
	shell=${s%%:*}
	file="$root/${s#*:}"
	[ -s "$file" ] || fail "no $shell completion at $file"
	"$root/bin/fairtop" completion "$shell" | cmp -s - "$file" ||
		fail "$file is not what 'fairtop completion $shell' prints"
	[ "$(stat -c %a "$file")" = 644 ] || fail "$file: expected mode 644, found $(stat -c %a "$file")"
done
bash -n "$root/share/bash-completion/completions/fairtop" || fail "the installed bash completion does not parse"
echo "ok: install: the bash, zsh and fish completions, as the binary prints them"
make -s uninstall DESTDIR="$dest" PREFIX=/opt/ft >/dev/null || fail "make uninstall failed"
left=$(find "$dest" -type f)
[ -z "$left" ] || fail "files left after uninstall: $left"
echo "ok: uninstall removes every file installed"

for page in man/fairtop.1 man/fairtop.ini.5 man/fairtop-formats.5; do
	warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	[ -z "$warnings" ] || fail "$page: groff warnings: $warnings"
	warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	[ -z "$warnings" ] || fail "$page: man --warnings: $warnings"
	MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q 'SEE ALSO' || fail "$page does not render"
done
for cmd in ingest runs show; do
	grep -q "$cmd" man/fairtop.1 || fail "man page does not mention $cmd"
done
echo "ok: the three man pages render without warnings"
# each page names the other two under SEE ALSO
for page in fairtop.1 fairtop.ini.5 fairtop-formats.5; do
	see=$(sed -n '/^\.SH SEE ALSO/,/^\.SH /p' "man/$page")
	for other in 'fairtop (1)' 'fairtop.ini (5)' 'fairtop\-formats (5)'; do
		case "$page" in "$(echo "$other" | sed 's/\\-/-/; s/ (\(.\))/.\1/')") continue ;; esac
		printf '%s\n' "$see" | grep -F -q ".BR $other" || fail "$page: SEE ALSO does not name $other"
	done
done
echo "ok: SEE ALSO: each man page names the other two"
