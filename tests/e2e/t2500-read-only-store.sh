#!/bin/sh
# t2500-read-only-store: a store this user may read but not write.
#
# Two WAL stores made read-only (the file 444, its folder 555), read by
# a user other than root (as root: as nobody, through setpriv or
# runuser, as t1900 does; root ignores the permissions):
#   clean: checkpointed, no -wal or -shm file beside it (SQLite cannot
#          create the -shm file it needs: fairtop reads it as immutable);
#   live:  copied with its -wal and -shm files while another connection
#          held it, r07 only in the -wal file.
# Every reading command (runs, show, compare, alerts, report, audit
# --verify, incident; policy reads no store) exits as it does on a
# writable copy and prints the same, with one line on stderr: a note
# that the store is read-only and changes are disabled.  gate prints its
# verdict and exits by it (0 pass, 1 fail), saying on stderr that the
# decision could not be recorded.  Writing commands (ingest, deploy,
# rollback, ack) exit 70 with one line naming the store and saying it is
# read-only, and leave every byte of it as it was.  The dashboard opens
# on it under tmux, shows the runs and says "read-only"; --read-only
# does the same on a writable store, which it then leaves untouched.
# Root only, in a private mount namespace: a read-only bind mount is
# read the same way.
if [ "$(id -u)" -eq 0 ] && [ -z "${T2500_IN_NS:-}" ] &&
	command -v unshare >/dev/null 2>&1 &&
	unshare -m --propagation private true 2>/dev/null; then
	T2500_IN_NS=1
	export T2500_IN_NS
	exec unshare -m --propagation private sh "$0" "$@"
fi
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"
. "$TOP/tests/e2e/lib/tmux.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
o="$SCRATCH/out"
e="$SCRATCH/err"
if ! have_sqlite3; then
	say "skip: the store checks need sqlite3"
	exit 0
fi
mounts=""
cleanup() {
	tm_cleanup
	for _m in $mounts; do
		umount "$_m" 2>/dev/null || umount -l "$_m" 2>/dev/null
	done
	# a folder left read-only would stop run.sh from removing tmp/
	chmod -R u+w "$SCRATCH" 2>/dev/null
	:
}
trap 'cleanup' EXIT
trap 'cleanup; exit 1' INT TERM HUP

# as_other CMD...: CMD as a user other than root (nobody), through
# setpriv or runuser; returns 127 when neither works.
as_other() {
	if command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
		return
	fi
	if command -v runuser >/dev/null 2>&1; then
		runuser -u nobody -- "$@"
		return
	fi
	return 127
}

# ---------------------------------------------------------------------
say "== the stores"
chmod 755 "$SCRATCH"
runs="$SCRATCH/runs"
rm -rf "$runs"
mkdir -p "$runs"
cp -R "$TOP/sample_runs/r06" "$runs/r07"
sed -e 's/^run,r06$/run,r07/' "$TOP/sample_runs/r06/run.csv" >"$runs/r07/run.csv"
cp -R "$TOP/sample_runs/r06" "$runs/r08"
sed -e 's/^run,r06$/run,r08/' "$TOP/sample_runs/r06/run.csv" >"$runs/r08/run.csv"
chmod -R a+rX "$runs"

rw="$SCRATCH/rw"
mkdir -p "$rw"
sample_store "$rw/clean.db"
sample_store "$rw/live.db"
# live: r07 ingested while another connection holds the store, so that
# the -wal and -shm files stay, r07 in the -wal file only
fifo="$SCRATCH/hold"
rm -f "$fifo"
mkfifo "$fifo" || fail "mkfifo: expected a fifo"
sqlite3 "$rw/live.db" <"$fifo" >/dev/null 2>&1 &
holder=$!
exec 3>"$fifo"
printf 'SELECT count(*) FROM runs;\n' >&3
run "$o" "$e" "$FAIRTOP" --db "$rw/live.db" ingest "$runs/r07"
expect_rc "ingest r07 into live (held by another connection)" 0 "$e"
[ -s "$rw/live.db-wal" ] && [ -f "$rw/live.db-shm" ] ||
	fail "live: expected -wal and -shm files while another connection holds it"
mkdir -p "$SCRATCH/ro-live"
cp "$rw/live.db" "$rw/live.db-wal" "$rw/live.db-shm" "$SCRATCH/ro-live/" ||
	fail "cp live: expected a copy"
exec 3>&-
wait "$holder"
mkdir -p "$SCRATCH/ro-clean"
cp "$rw/clean.db" "$SCRATCH/ro-clean/clean.db"
[ ! -e "$SCRATCH/ro-clean/clean.db-shm" ] || fail "clean: expected no -shm file"
# the writable twin of live: its copy, once the holder let go
cp "$SCRATCH/ro-live/live.db" "$SCRATCH/ro-live/live.db-wal" "$SCRATCH/ro-live/live.db-shm" "$rw/" 2>/dev/null
for d in "$SCRATCH/ro-clean" "$SCRATCH/ro-live"; do
	chmod 444 "$d"/*
	chmod 555 "$d"
done
[ "$(sql "$rw/live.db" "PRAGMA journal_mode")" = wal ] || fail "live: expected a WAL store"
[ "$(sql "$rw/clean.db" "PRAGMA journal_mode")" = wal ] || fail "clean: expected a WAL store"
ok "two WAL stores, 444 in 555 folders: clean (no side files), live (r07 in its -wal)"

runner=""
if [ "$(id -u)" -ne 0 ]; then
	say "  fairtop runs as $(id -un 2>/dev/null || id -u)"
elif [ "$(as_other "$FAIRTOP" --version 2>/dev/null)" = "fairtop 0.1.0" ] &&
	as_other test -r "$SCRATCH/ro-live/live.db"; then
	say "  fairtop runs as nobody (the test runs as root, for whom permissions do not count)"
	runner=as_other
else
	say "skip: running as root and cannot run fairtop as another user (no setpriv or runuser, no user nobody, or $SCRATCH not readable by others)"
	exit 0
fi

# sums DIR: the checksum of every file in DIR.
sums() {
	cksum "$1"/* | sort
}

# reads DB-RW DB-RO NAME: every reading command on DB-RO as on DB-RW.
reads() {
	for cmd in "runs" "show r03" "compare r02 r04" "alerts" \
		"alerts --state resolved" "report" "report --format json" \
		"audit --verify" "incident" "runs --format json"; do
		# shellcheck disable=SC2086
		run "$o.rw" "$e.rw" "$FAIRTOP" --db "$1" $cmd
		want=$rc
		# shellcheck disable=SC2086
		run "$o" "$e" $runner "$FAIRTOP" --db "$2" $cmd
		[ "$rc" -eq "$want" ] || {
			say "FAIL: $3: $cmd: expected exit $want (as on the writable copy), found $rc"
			show_file "$e"
			exit 1
		}
		# the report's clock may tick between the two; the paths differ
		sed -e 's/[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/HH:MM:SS/g' \
			-e "s|$2|DB|g" -e 's/"seconds": [0-9]*/"seconds": N/g' "$o" >"$o.a"
		sed -e 's/[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/HH:MM:SS/g' \
			-e "s|$1|DB|g" -e 's/"seconds": [0-9]*/"seconds": N/g' "$o.rw" >"$o.b"
		cmp -s "$o.a" "$o.b" || {
			say "FAIL: $3: $cmd: expected what the writable copy prints, found the difference:"
			diff "$o.b" "$o.a" | head -n 20
			exit 1
		}
		line=$(one_line "$e") ||
			{ say "FAIL: $3: $cmd: expected one line on stderr, found:"; show_file "$e"; exit 1; }
		case $line in
		"fairtop: note: the store $2 is read-only ("*"): changes are disabled"*) ;;
		*) fail "$3: $cmd: expected the note 'fairtop: note: the store $2 is read-only (...): changes are disabled ...', found: $line" ;;
		esac
		ok "$3: $cmd: exit $rc, the same output, the note on stderr"
	done
	run "$o" "$e" $runner "$FAIRTOP" --db "$2" policy
	expect_rc "$3: policy" 0 "$e"
	ok "$3: policy: exit 0"
}

# gates DB NAME: gate's verdicts on a read-only store.
gates() {
	before=$(sums "$(dirname "$1")")
	run "$o" "$e" $runner "$FAIRTOP" --db "$1" gate --baseline r01 --candidate r02
	expect_rc "$2: gate r01 -> r02 (passes)" 0 "$e"
	expect_contains "$2: gate r01 -> r02" "$o" "PASS"
	line=$(one_line "$e") || { say "FAIL: $2: gate: expected one line on stderr"; show_file "$e"; exit 1; }
	case $line in
	"fairtop: the store $1 is read-only ("*"): this gate decision could not be recorded") ;;
	*) fail "$2: gate: expected the line 'fairtop: the store $1 is read-only (...): this gate decision could not be recorded', found: $line" ;;
	esac
	ok "$2: gate r01 -> r02: PASS, exit 0, 'could not be recorded' on stderr"
	run "$o" "$e" $runner "$FAIRTOP" --db "$1" gate --baseline r03 --candidate r04
	expect_rc "$2: gate r03 -> r04 (fails)" 1 "$e"
	expect_contains "$2: gate r03 -> r04" "$o" "FAIL"
	expect_contains "$2: gate r03 -> r04" "$e" "could not be recorded"
	ok "$2: gate r03 -> r04: FAIL, exit 1, 'could not be recorded' on stderr"
	[ "$(sums "$(dirname "$1")")" = "$before" ] || fail "$2: gate: expected the store's files unchanged"
	ok "$2: gate: the store's files unchanged"
}

# writes DB NAME: writing commands refused, nothing changed.
writes() {
	before=$(sums "$(dirname "$1")")
	for cmd in "ingest $runs/r08" "deploy r02 --reason t2500 --by t --exec true" \
		"rollback --reason t2500 --by t --yes --exec true" \
		"ack --run r04 --note t2500 --by t"; do
		# shellcheck disable=SC2086
		run "$o" "$e" $runner "$FAIRTOP" --db "$1" $cmd
		expect_rc "$2: ${cmd%% *}" 70 "$e"
		line=$(one_line "$e") || { say "FAIL: $2: ${cmd%% *}: expected one line on stderr"; show_file "$e"; exit 1; }
		case $line in
		"fairtop: the store $1 is read-only ("*) ;;
		*) fail "$2: ${cmd%% *}: expected 'fairtop: the store $1 is read-only (why) ...', found: $line" ;;
		esac
		ok "$2: ${cmd%% *}: exit 70, one line naming the store, saying it is read-only and why"
	done
	[ "$(sums "$(dirname "$1")")" = "$before" ] || fail "$2: expected the store's files unchanged by the refused writes"
	ok "$2: the store's files unchanged"
}

say "== clean: a WAL store with no side files, 444 in a 555 folder"
reads "$rw/clean.db" "$SCRATCH/ro-clean/clean.db" clean
gates "$SCRATCH/ro-clean/clean.db" clean
writes "$SCRATCH/ro-clean/clean.db" clean

say "== live: a WAL store with its -wal and -shm files, 444 in a 555 folder"
run "$o" "$e" $runner "$FAIRTOP" --db "$SCRATCH/ro-live/live.db" runs
grep -q -e '^r07 ' "$o" || { say "FAIL: live: expected r07 (only in the -wal file) in runs, found:"; show_file "$o"; exit 1; }
ok "live: r07, only in the -wal file, is read"
reads "$rw/live.db" "$SCRATCH/ro-live/live.db" live
gates "$SCRATCH/ro-live/live.db" live
writes "$SCRATCH/ro-live/live.db" live

# ---------------------------------------------------------------------
say "== a read-only bind mount (root only)"
if [ "$(id -u)" -ne 0 ]; then
	say "skip: mounting needs root"
else
	src="$SCRATCH/mnt-src"
	dir="$SCRATCH/ro-mount"
	mkdir -p "$src" "$dir"
	cp "$rw/clean.db" "$src/store.db"
	if mount --bind "$src" "$dir" 2>"$e" && mounts="$dir" &&
		mount -o remount,ro,bind "$dir" 2>"$e" && ! touch "$dir/probe" 2>/dev/null; then
		run "$o" "$e" "$FAIRTOP" --db "$dir/store.db" runs
		expect_rc "mount: runs (as root)" 0 "$e"
		expect_contains "mount: runs" "$e" "read-only file system"
		ok "mount: runs reads it, the note says it is on a read-only file system"
		run "$o" "$e" "$FAIRTOP" --db "$dir/store.db" ingest "$runs/r08"
		expect_rc "mount: ingest" 70 "$e"
		expect_contains "mount: ingest" "$e" "read-only file system"
		ok "mount: ingest refused, exit 70, 'read-only file system'"
	else
		say "skip: the read-only bind mount could not be made: $(cat "$e")"
	fi
fi

# ---------------------------------------------------------------------
say "== the dashboard on the read-only store"
tm_need
loc=$(tm_utf8_locale)
loc=${loc:-C}
# the launcher runs fairtop through $FAIRTOP: a wrapper as the other user
wrap="$SCRATCH/fairtop-as"
if [ -n "$runner" ]; then
	{
		printf '#!/bin/sh\n'
		printf 'exec setpriv --reuid=65534 --regid=65534 --clear-groups -- "%s" "$@"\n' "$FAIRTOP"
	} >"$wrap"
	command -v setpriv >/dev/null 2>&1 || { say "skip: the dashboard as nobody needs setpriv"; done_ok; exit 0; }
else
	printf '#!/bin/sh\nexec "%s" "$@"\n' "$FAIRTOP" >"$wrap"
fi
chmod 755 "$wrap"
launch="$SCRATCH/dash.sh"
FAIRTOP="$wrap" tm_launcher "$launch" "$loc" no
tm_start 100 30 "$launch" --db "$SCRATCH/ro-live/live.db" -d 5
# production fails the policy: it opens on the Incident view
tm_expect "dashboard: the incident shown" "INCIDENT"
tm_keys 1
tm_expect_re "dashboard: r07 shown" "$(tm_run_row r07)"
tm_expect_re "dashboard: r01 shown" "$(tm_run_row r01)"
tm_expect "dashboard: says read-only" "[read-only]"
tm_expect_running "dashboard: running"
tm_keys q
tm_expect_exited "dashboard: q quits"

say "== --read-only on a writable store"
FAIRTOP_REAL=$FAIRTOP
printf '#!/bin/sh\nexec "%s" "$@"\n' "$FAIRTOP_REAL" >"$wrap"
cp "$rw/clean.db" "$SCRATCH/ro-flag.db"
before=$(cksum "$SCRATCH/ro-flag.db")
tm_start 100 30 "$launch" --db "$SCRATCH/ro-flag.db" --read-only -d 5
tm_expect "--read-only: the incident shown" "INCIDENT"
# R and d are off here: the way out is given as the commands to run
tm_expect "--read-only: the way out as a command, not a key" "fairtop rollback --reason"
tm_expect_not "--read-only: no key offered that is off" "R roll back to"
tm_keys 1
tm_expect_re "--read-only: r06 shown" "$(tm_run_row r06)"
tm_expect "--read-only: says read-only" "[read-only]"
tm_keys q
tm_expect_exited "--read-only: q quits"
[ "$(cksum "$SCRATCH/ro-flag.db")" = "$before" ] || fail "--read-only: expected the store unchanged"
# SQLite may leave an empty -wal file beside a WAL store read with
# mode=ro; nothing may be in it
[ ! -s "$SCRATCH/ro-flag.db-wal" ] || fail "--read-only: expected no write in a -wal file"
ok "--read-only: the store unchanged, nothing in a -wal file"
done_ok
