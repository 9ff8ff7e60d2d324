#!/bin/sh
# t2630-policy-search: where the policy is found when no file is named.
#   After --policy and $FAIRTOP_POLICY, fairtop reads the first that
#   exists of ./fairtop.ini, ${XDG_CONFIG_HOME:-$HOME/.config}/fairtop/
#   fairtop.ini and DIR/fairtop/fairtop.ini for each DIR of
#   ${XDG_CONFIG_DIRS:-/etc/xdg}.  `policy` names the file read, or the
#   files looked for when there is none; gate's first line names it; a
#   file found by the search that others may write is warned of, wherever
#   it was found.  Every folder here is under SCRATCH: the real /etc and
#   ~/.config are never touched.
. "$TOP/tests/e2e/lib/common.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
mkdir -p cwd home sys1 sys2
db="$SCRATCH/store.db"
F="$FAIRTOP"
user="$SCRATCH/cfg/fairtop/fairtop.ini"
sys1="$SCRATCH/sys1/fairtop/fairtop.ini"
sys2="$SCRATCH/sys2/fairtop/fairtop.ini"
XDG_CONFIG_HOME="$SCRATCH/cfg"
XDG_CONFIG_DIRS="$SCRATCH/sys1:relative:$SCRATCH/sys2"
export XDG_CONFIG_HOME XDG_CONFIG_DIRS

run ingest.out ingest.err "$F" --db "$db" ingest "$TOP/sample_runs/r01" "$TOP/sample_runs/r02"
expect_rc "ingest r01 r02" 0 ingest.err

# policy_in_force WANT: `fairtop policy`, run in cwd/, says WANT first
policy_in_force() {
	(cd cwd && "$F" policy) >policy.out 2>policy.err
	rc=$?
	expect_rc "policy" 0 policy.err
	_first=$(head -n 1 policy.out)
	[ "$_first" = "policy in force: $1" ] ||
		fail "policy: expected 'policy in force: $1', found '$_first'"
}

say "== no file anywhere: the defaults, and the files looked for"
policy_in_force "built-in defaults (no policy file: looked for ./fairtop.ini, $user, $sys1, $sys2)"
ok "policy: no file found, the four places named in order (a relative XDG_CONFIG_DIRS entry is ignored)"
(cd cwd && "$F" policy --format json) >policy.json 2>policy.err
expect_json "policy --format json" policy.json
python3 - "$user" "$sys1" "$sys2" <<'EOF' || fail "policy --format json: searched (see above)"
import json, sys
d = json.load(open("policy.json"))
want = ["./fairtop.ini"] + sys.argv[1:]
if d.get("searched") != want or d.get("source") != "built-in defaults":
    print(f"expected source 'built-in defaults' and searched {want}, found {d.get('source')!r} {d.get('searched')!r}")
    sys.exit(1)
EOF
ok "policy --format json: searched lists the same four files"

say "== XDG_CONFIG_DIRS: the first folder that has one"
mkdir -p "$(dirname "$sys2")" "$(dirname "$sys1")" "$(dirname "$user")"
printf '[fairness]\nmin_dp_ratio = 0.5\n' >"$sys2"
chmod 644 "$sys2"
policy_in_force "$sys2"
expect_contains "policy (sys2)" policy.out "; $sys2:2 "
[ -s policy.err ] && { printf 'FAIL: policy (sys2, 0644): expected no warning, found:\n'; show_file policy.err; exit 1; }
ok "policy: the second system folder's file read, its line as origin, no warning"
printf '[fairness]\nmin_dp_ratio = 0.4\n' >"$sys1"
chmod 644 "$sys1"
policy_in_force "$sys1"
ok "policy: the first system folder's file wins over the second's"
(cd cwd && "$F" --db "$db" gate --baseline r01 --candidate r02) >gate.out 2>gate.err
head -n 1 gate.out | grep -F -e "(policy: $sys1)" >/dev/null ||
	fail "gate: expected the policy file on the first line, found: $(head -n 1 gate.out)"
ok "gate: the first line names the system folder's file"

say "== the user's file over the system's, ./fairtop.ini over both"
printf '[fairness]\nmin_dp_ratio = 0.3\n' >"$user"
chmod 600 "$user"
policy_in_force "$user"
ok "policy: \$XDG_CONFIG_HOME/fairtop/fairtop.ini wins over XDG_CONFIG_DIRS"
printf '[fairness]\nmin_dp_ratio = 0.2\n' >cwd/fairtop.ini
policy_in_force "fairtop.ini"
ok "policy: ./fairtop.ini wins over the user's file"
rm cwd/fairtop.ini
printf '[fairness]\nmin_dp_ratio = 0.1\n' >cwd/env.ini
(cd cwd && FAIRTOP_POLICY=env.ini "$F" policy) >policy.out 2>policy.err
expect_contains "FAIRTOP_POLICY=env.ini policy" policy.out "policy in force: \$FAIRTOP_POLICY=env.ini"
ok "policy: \$FAIRTOP_POLICY wins over the search"

say "== HOME/.config when XDG_CONFIG_HOME is unset"
mkdir -p home/.config/fairtop
printf '[fairness]\nmin_dp_ratio = 0.35\n' >home/.config/fairtop/fairtop.ini
(cd cwd && env -u XDG_CONFIG_HOME HOME="$SCRATCH/home" "$F" policy) >policy.out 2>policy.err
expect_contains "policy (HOME)" policy.out "policy in force: $SCRATCH/home/.config/fairtop/fairtop.ini"
ok "policy: \$HOME/.config/fairtop/fairtop.ini read when XDG_CONFIG_HOME is unset"

say "== a file others may write is warned of, wherever the search found it"
chmod 666 "$user"
policy_in_force "$user"
expect_contains "policy (world-writable user file)" policy.err \
	"fairtop: warning: $user is world-writable: anyone can relax the gate or set the deploy hook"
ok "policy: a world-writable \$XDG_CONFIG_HOME file warned of, by its path"
rm "$user"
chmod 664 "$sys1"
(cd cwd && "$F" --db "$db" gate --baseline r01 --candidate r02) >gate.out 2>gate.err
expect_contains "gate (group-writable system file)" gate.err \
	"fairtop: warning: $sys1 is group-writable: anyone in its group can relax the gate or set the deploy hook"
ok "gate: a group-writable XDG_CONFIG_DIRS file warned of"
if [ "$(id -u)" -eq 0 ]; then
	chmod 644 "$sys1"
	chown 65534 "$sys1"
	policy_in_force "$sys1"
	expect_contains "policy (system file not the user's nor root's)" policy.err \
		"fairtop: warning: $sys1 is not yours: its owner can relax the gate or set the deploy hook"
	ok "policy: a system folder's file owned by another user (not root) warned of"
else
	say "skip: a file owned by another user needs root to make"
fi

say "== policy --help tells the order"
"$F" policy --help >help.out 2>&1
expect_contains "policy --help" help.out '${XDG_CONFIG_HOME:-$HOME/.config}/fairtop/fairtop.ini'
expect_contains "policy --help" help.out '${XDG_CONFIG_DIRS:-/etc/xdg}'
ok "policy --help: the search order"

done_ok
