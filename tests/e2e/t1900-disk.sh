#!/bin/sh
# t1900-disk: a store that cannot be written, and a disk that is full.
#
# Each case ingests a run into a store ingested from sample_runs/ and
# expects: exit 65 or 70; a clear error on standard error (it starts with
# "fairtop:", names the store, says why: read-only or full; it does not
# say "locked" or "busy", nor that the store is not an SQLite database or
# not a fairtop store, which it is); the store intact afterwards (PRAGMA
# integrity_check ok, `fairtop runs` prints what it printed before).
#   A. read-only by permissions: the store 444, its folder 555, fairtop run
#      as a user other than root (as root: as nobody, through setpriv or
#      runuser; root ignores the permissions);
#   B. a read-only bind mount of the store's folder (root only);
#   E, F. the deploy hook fills the store's disk: the outcome is recorded
#      once room comes back, or, when it never does, one line says the
#      hook succeeded, the deployment could not be recorded and stays
#      pending;
#   C. a full disk: the store on a 4 MiB tmpfs filled up to 96 KiB; the
#      store opens, the run does not fit; the store must stay readable
#      while the disk is full, and take the run once there is room;
#   D. a disk full to the last byte: fairtop cannot even open the store;
#      it must say so clearly, and the store is read again once there is
#      room.
# Mounts are made in a private mount namespace (unshare -m) when there is
# one, so they vanish with the script; otherwise they are unmounted on
# exit.  A case that this machine cannot set up is skipped with the
# reason.  Message checks do not stop the script: every case runs, and
# the script fails at the end when one of them failed.
if [ "$(id -u)" -eq 0 ] && [ -z "${T1900_IN_NS:-}" ] &&
	command -v unshare >/dev/null 2>&1 &&
	unshare -m --propagation private true 2>/dev/null; then
	T1900_IN_NS=1
	export T1900_IN_NS
	exec unshare -m --propagation private sh "$0" "$@"
fi
. "$TOP/tests/e2e/lib/common.sh"
. "$TOP/tests/e2e/lib/store.sh"
. "$TOP/tests/e2e/lib/deploy.sh"
. "$TOP/tests/e2e/lib/robust.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
o="$SCRATCH/out"
e="$SCRATCH/err"
if [ "${T1900_IN_NS:-}" = 1 ]; then
	say "(in a private mount namespace: mounts vanish with the script)"
fi
if ! have_sqlite3; then
	say "skip: the store checks need sqlite3"
	exit 0
fi

mounts=""
cleanup() {
	for _m in $mounts; do
		umount "$_m" 2>/dev/null || umount -l "$_m" 2>/dev/null
	done
	# a folder left read-only would stop run.sh from removing tmp/
	chmod -R u+w "$SCRATCH" 2>/dev/null
	:
}
trap 'cleanup' EXIT
trap 'cleanup; exit 1' INT TERM HUP

problems=0
# soft_fail WHAT: a failed message check; the script goes on and fails
# at the end.
soft_fail() {
	printf 'FAIL: %s\n' "$*"
	problems=$((problems + 1))
}

# the run to ingest: 50,000 generated rows, id "disk1"
runs_dir="$SCRATCH/runs"
rm -rf "$runs_dir"
mkdir -p "$runs_dir"
"$TOP/sample_runs/generate" bench "$runs_dir/disk1" 50000 1900 >"$o" 2>"$e" ||
	{ say "FAIL: sample_runs/generate bench: expected a run folder, found:"; show_file "$e"; exit 1; }
sed -e 's/^run,bench$/run,disk1/' "$runs_dir/disk1/run.csv" >"$runs_dir/run.tmp" &&
	mv "$runs_dir/run.tmp" "$runs_dir/disk1/run.csv"
chmod -R a+rX "$runs_dir"

tpl="$SCRATCH/sample-template.db"
sample_store "$SCRATCH/unused.db"
rm -f "$SCRATCH/unused.db"
"$FAIRTOP" --db "$tpl" runs >"$SCRATCH/runs.before" 2>"$e" ||
	{ say "FAIL: fairtop runs on the template: expected exit 0, found:"; show_file "$e"; exit 1; }

# expect_refused WHAT WHY-REGEX DB: the ingest just run ($rc, $o, $e)
# failed clearly.  Exit code and "locked" are hard checks; the wording
# is checked softly (soft_fail).
expect_refused() {
	case "$rc" in
	65 | 70) ok "$1: exit $rc" ;;
	*)
		say "FAIL: $1: expected exit 65 or 70, found $rc"
		show_file "$o"
		show_file "$e"
		exit 1
		;;
	esac
	no_lock_words "$1" "$o" "$e"
	grep -q -e "ingested disk1" "$o" 2>/dev/null && fail "$1: expected no line 'ingested disk1', found: $(cat "$o")"
	say "  fairtop said: $(head -n 3 "$e")"
	if ! grep -q -e '^fairtop: ' "$e"; then
		soft_fail "$1: expected an error on standard error starting with 'fairtop:', found: $(head -n 3 "$e")"
		return 0
	fi
	_clear=1
	grep -q -F -e "$3" "$e" ||
		{ soft_fail "$1: expected the error to name the store $3"; _clear=0; }
	grep -q -i -E -e "$2" "$e" ||
		{ soft_fail "$1: expected the error to say why (/$2/)"; _clear=0; }
	if grep -q -i -E -e 'not an sqlite database|not a fairtop store' "$e"; then
		soft_fail "$1: expected no claim that the store is not an SQLite database or not a fairtop store (it is one, and intact), found: $(grep -i -m 1 -E -e 'not an sqlite database|not a fairtop store' "$e")"
		_clear=0
	fi
	[ "$_clear" -eq 1 ] && ok "$1: a clear error: names the store, says why"
	return 0
}

# expect_intact WHAT DB: integrity_check ok, no trace of disk1, and
# fairtop runs prints what it printed before.
expect_intact() {
	expect_integrity "$1" "$2"
	_n=$(sql "$2" "SELECT count(*) FROM runs WHERE run_key = 'disk1'")
	[ "$_n" -eq 0 ] || fail "$1: expected no run disk1 in the store, found $_n"
	run "$o" "$e" "$FAIRTOP" --db "$2" runs
	expect_rc "$1: fairtop runs" 0 "$e"
	cmp -s "$o" "$SCRATCH/runs.before" || {
		say "FAIL: $1: expected fairtop runs to print what it printed before, found:"
		show_file "$o"
		exit 1
	}
	ok "$1: the same runs as before"
}

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

# can_mount: mount works here (a throw-away tmpfs).
can_mount() {
	mkdir -p "$SCRATCH/probe"
	if mount -t tmpfs -o size=64k tmpfs "$SCRATCH/probe" 2>/dev/null; then
		umount "$SCRATCH/probe"
		return 0
	fi
	return 1
}

# ---------------------------------------------------------------------
say "== A. read-only by permissions (store 444, its folder 555)"
dir="$SCRATCH/ro-perm"
db="$dir/store.db"
chmod -R u+w "$dir" 2>/dev/null
rm -rf "$dir"
mkdir -p "$dir"
cp "$tpl" "$db"
chmod 755 "$SCRATCH" "$dir"
chmod 444 "$db"
chmod 555 "$dir"
how=""
if [ "$(id -u)" -ne 0 ]; then
	how="as $(id -un 2>/dev/null || id -u)"
	runner=""
elif [ "$(as_other "$FAIRTOP" --version 2>/dev/null)" = "fairtop 0.1.0" ] &&
	as_other test -r "$db" && as_other test -r "$runs_dir/disk1/predictions.csv"; then
	how="as nobody (the test runs as root, for whom permissions do not count)"
	runner=as_other
else
	say "skip: A: running as root and cannot run fairtop as another user (no setpriv or runuser, no user nobody, or $SCRATCH not readable by others): root writes through chmod 444"
	how=""
fi
if [ -n "$how" ]; then
	say "  fairtop runs $how"
	run "$o" "$e" $runner "$FAIRTOP" --db "$db" ingest "$runs_dir/disk1"
	expect_refused "A: ingest into a read-only store" 'read-only|readonly|permission|not writable|cannot write' "$db"
	# reading it is not promised; say what happens
	run "$o" "$e" $runner "$FAIRTOP" --db "$db" runs
	if [ "$rc" -eq 0 ]; then
		say "  note: fairtop runs reads the read-only store"
	else
		say "  note: fairtop runs cannot read the read-only store either (exit $rc): $(head -n 1 "$e")"
	fi
	chmod 755 "$dir"
	chmod 644 "$db"
	expect_intact "A: after the refused ingest" "$db"
fi

# ---------------------------------------------------------------------
say "== B. a read-only bind mount"
mount_ok=0
if [ "$(id -u)" -ne 0 ]; then
	say "skip: B, C, D: they mount file systems, which needs root"
elif ! can_mount; then
	say "skip: B, C, D: mount does not work here (no CAP_SYS_ADMIN?)"
else
	mount_ok=1
fi
if [ "$mount_ok" -eq 1 ]; then
	src="$SCRATCH/rw"
	dir="$SCRATCH/ro-mount"
	rm -rf "$src"
	mkdir -p "$src" "$dir"
	cp "$tpl" "$src/store.db"
	if mount --bind "$src" "$dir" 2>"$e"; then
		mounts="$dir $mounts"
		if mount -o remount,ro,bind "$dir" 2>"$e" && ! touch "$dir/probe" 2>/dev/null; then
			db="$dir/store.db"
			ok "B: $dir is a read-only bind mount of $src"
			run "$o" "$e" "$FAIRTOP" --db "$db" ingest "$runs_dir/disk1"
			expect_refused "B: ingest into a store on a read-only mount" 'read-only|readonly|permission|not writable|cannot write|unable to open' "$db"
			run "$o" "$e" "$FAIRTOP" --db "$db" runs
			if [ "$rc" -eq 0 ]; then
				say "  note: fairtop runs reads the store on the read-only mount"
			else
				say "  note: fairtop runs cannot read the store on the read-only mount either (exit $rc): $(head -n 1 "$e")"
			fi
			umount "$dir" && mounts=""
			expect_intact "B: after the refused ingest" "$src/store.db"
		else
			say "skip: B: the bind mount could not be made read-only: $(cat "$e")"
			umount "$dir" && mounts=""
		fi
	else
		say "skip: B: mount --bind failed: $(cat "$e")"
	fi
fi

# fill_to DIR KIB: fill the file system of DIR with DIR/filler, then give
# back all but KIB KiB of it.
fill_to() {
	dd if=/dev/zero of="$1/filler" bs=4096 2>/dev/null
	_sz=$(wc -c <"$1/filler" | tr -d ' ')
	_keep=$((_sz - $2 * 1024))
	[ "$_keep" -lt 0 ] && _keep=0
	truncate -s "$_keep" "$1/filler" 2>/dev/null ||
		{ head -c "$_keep" "$1/filler" >"$1/filler.tmp" && mv "$1/filler.tmp" "$1/filler"; }
}

# free_kib DIR: KiB available in DIR's file system.
free_kib() {
	df -P -k "$1" | awk 'NR == 2 { print $4 }'
}

# ---------------------------------------------------------------------
if [ "$mount_ok" -eq 1 ]; then
	say "== C. a full disk: 96 KiB left, the run does not fit"
	dir="$SCRATCH/full"
	mkdir -p "$dir"
	if mount -t tmpfs -o size=4m tmpfs "$dir" 2>"$e"; then
		mounts="$dir $mounts"
		db="$dir/store.db"
		cp "$tpl" "$db"
		fill_to "$dir" 96
		say "  $(free_kib "$dir") KiB free on a 4 MiB tmpfs holding the store"
		run "$o" "$e" "$FAIRTOP" --db "$db" ingest "$runs_dir/disk1"
		expect_refused "C: ingest on a full disk" 'full|no space' "$db"
		expect_intact "C: after the refused ingest, the disk still full" "$db"
		rm -f "$dir/filler"
		run "$o" "$e" "$FAIRTOP" --db "$db" ingest "$runs_dir/disk1"
		expect_rc "C: the same ingest once there is room" 0 "$e"
		r=$(sql "$db" "SELECT rows_evaluated FROM runs WHERE run_key = 'disk1'")
		[ "$r" = 50000 ] || fail "C: expected disk1 stored with 50000 rows once there is room, found '$r'"
		expect_integrity "C: after the ingest that fits" "$db"
		ok "C: once there is room, the ingest goes through (disk1, 50000 rows)"
		umount "$dir" && mounts=$(printf '%s\n' $mounts | grep -v -x -F -e "$dir")
	else
		say "skip: C: mount -t tmpfs failed: $(cat "$e")"
	fi

	say "== D. a disk full to the last byte"
	dir="$SCRATCH/full0"
	mkdir -p "$dir"
	if mount -t tmpfs -o size=2m tmpfs "$dir" 2>"$e"; then
		mounts="$dir $mounts"
		db="$dir/store.db"
		cp "$tpl" "$db"
		fill_to "$dir" 0
		say "  $(free_kib "$dir") KiB free on a 2 MiB tmpfs holding the store"
		run "$o" "$e" "$FAIRTOP" --db "$db" ingest "$runs_dir/disk1"
		expect_refused "D: ingest on a disk with no byte free" 'full|no space|disk I/O' "$db"
		run "$o" "$e" "$FAIRTOP" --db "$db" runs
		if [ "$rc" -eq 0 ]; then
			say "  note: fairtop runs reads the store on the full disk"
		else
			say "  note: fairtop runs cannot read the store while no byte is free (exit $rc): $(head -n 1 "$e")"
		fi
		rm -f "$dir/filler"
		expect_intact "D: once there is room again" "$db"
		umount "$dir" && mounts=$(printf '%s\n' $mounts | grep -v -x -F -e "$dir")
	else
		say "skip: D: mount -t tmpfs failed: $(cat "$e")"
	fi

	say "== E. the disk fills while the deploy hook runs, and room comes back"
	dir="$SCRATCH/hookfull"
	mkdir -p "$dir"
	if mount -t tmpfs -o size=4m tmpfs "$dir" 2>"$e"; then
		mounts="$dir $mounts"
		db="$dir/store.db"
		cp "$tpl" "$db"
		# the hook fills the store's disk to the last byte (its logs,
		# say) and gives the room back 1.5 s after it exits 0
		cat >"$SCRATCH/fill-hook.sh" <<-'HOOK'
		#!/bin/sh
		dd if=/dev/zero of="$FILL_DIR/filler" bs=4096 2>/dev/null
		( sleep 1.5; rm -f "$FILL_DIR/filler" ) >/dev/null 2>&1 &
		exit 0
		HOOK
		chmod 755 "$SCRATCH/fill-hook.sh"
		FILL_DIR=$dir run "$o" "$e" "$FAIRTOP" --db "$db" deploy r06 \
			--reason "disk E" --exec "$SCRATCH/fill-hook.sh"
		expect_rc "E: deploy while the hook filled the disk" 0 "$e"
		st=$(sql "$db" "SELECT state FROM deployments WHERE run_key = 'r06' ORDER BY id DESC LIMIT 1")
		[ "$st" = done ] || fail "E: expected the deployment of r06 recorded done once there was room, found '$st'"
		ok "E: the outcome recorded once the disk had room again: r06 done"
		expect_integrity "E: after the deploy" "$db"
		rm -f "$dir/filler"

		say "== F. the disk fills while the hook runs, and stays full"
		cp "$tpl" "$db"
		rm -f "$db-wal" "$db-shm"
		cat >"$SCRATCH/fill-hook2.sh" <<-'HOOK'
		#!/bin/sh
		dd if=/dev/zero of="$FILL_DIR/filler" bs=4096 2>/dev/null
		exit 0
		HOOK
		chmod 755 "$SCRATCH/fill-hook2.sh"
		FILL_DIR=$dir run "$o" "$e" "$FAIRTOP" --db "$db" deploy r06 \
			--reason "disk F" --exec "$SCRATCH/fill-hook2.sh"
		expect_rc "F: deploy whose outcome cannot be recorded" 70 "$e"
		for want in "the deploy hook succeeded (exit 0)" \
			"deployment #" "could not be recorded (tried 6 times" \
			"full" "it stays pending"; do
			grep -q -F -e "$want" "$e" ||
				fail "F: expected the error to say '$want', found: $(cat "$e")"
		done
		[ "$(wc -l <"$e" | tr -d ' ')" -eq 1 ] ||
			fail "F: expected one line on standard error, found: $(cat "$e")"
		ok "F: one line says exactly what happened: hook succeeded, deployment not recorded, stays pending"
		rm -f "$dir/filler"
		st=$(sql "$db" "SELECT state FROM deployments WHERE run_key = 'r06' ORDER BY id DESC LIMIT 1")
		[ "$st" = pending ] || fail "F: expected the deployment of r06 pending, found '$st'"
		run "$o" "$e" "$FAIRTOP" --db "$db" runs
		expect_rc "F: runs once there is room" 0 "$e"
		grep -q -F -e "the store could not be written when the hook ended" "$e" ||
			fail "F: expected runs to warn of the pending deployment and say why it may be, found: $(cat "$e")"
		ok "F: runs warns of the pending deployment, naming a store that could not be written"
		expect_integrity "F: after the room came back" "$db"
		umount "$dir" && mounts=$(printf '%s\n' $mounts | grep -v -x -F -e "$dir")
	else
		say "skip: E, F: mount -t tmpfs failed: $(cat "$e")"
	fi
fi

if [ "$problems" -gt 0 ]; then
	say "$problems message check(s) failed (see FAIL lines above); every other check passed"
	exit 1
fi
done_ok
