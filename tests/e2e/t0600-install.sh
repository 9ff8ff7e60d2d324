#!/bin/sh
# make install / make uninstall honour PREFIX and DESTDIR, and the man
# page renders without warnings.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TOP" || exit 1
dest="$SCRATCH/root"
make -s install DESTDIR="$dest" PREFIX=/opt/ft >/dev/null || fail "make install failed"
[ -x "$dest/opt/ft/bin/fairtop" ] || fail "no $dest/opt/ft/bin/fairtop"
[ -f "$dest/opt/ft/share/man/man1/fairtop.1" ] || fail "no man page installed"
"$dest/opt/ft/bin/fairtop" --version | grep -q '^fairtop ' || fail "installed binary does not run"
echo "ok: install under DESTDIR/PREFIX"
make -s uninstall DESTDIR="$dest" PREFIX=/opt/ft >/dev/null || fail "make uninstall failed"
[ ! -e "$dest/opt/ft/bin/fairtop" ] || fail "binary left after uninstall"
[ ! -e "$dest/opt/ft/share/man/man1/fairtop.1" ] || fail "man page left after uninstall"
echo "ok: uninstall removes both"

warnings=$(groff -man -Tutf8 -ww -z man/fairtop.1 2>&1)
[ -z "$warnings" ] || fail "man page warnings: $warnings"
MANWIDTH=80 man -l man/fairtop.1 2>/dev/null | grep -q 'fairtop' || fail "man page does not render"
for cmd in ingest runs show; do
	grep -q "$cmd" man/fairtop.1 || fail "man page does not mention $cmd"
done
echo "ok: man page renders without warnings"
