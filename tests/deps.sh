#!/bin/sh
# Install the Debian packages fairtop needs, when any is missing.
# As root: apt-get update, then apt-get install of what is missing.
# Otherwise: print the exact apt-get line and fail.
missing=""
for pkg in "$@"; do
	case "$pkg" in
	python3) command -v python3 >/dev/null 2>&1 && continue ;;
	# a Node.js from elsewhere (NodeSource's) carries its own npm
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)
	case "$status" in
	*"ok installed"*) ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "fairtop: missing Debian packages:$missing" >&2
	echo "fairtop: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "make deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || exit 1
apt-get install -y -qq --no-install-recommends $missing || exit 1
