#!/bin/sh
# t0610-completion: `fairtop completion bash|zsh|fish`.
#   Every command of `fairtop --help` and every option of each
#   `fairtop COMMAND --help` (and of `fairtop --help`) is in each script.
#   bash: the script is sourced in bash and _fairtop driven with
#   COMP_WORDS/COMP_CWORD as bash would: `fairtop ga<TAB>` gives gate,
#   `fairtop gate --f<TAB>` --format, `gate --format <TAB>` the formats,
#   `gate --baseline <TAB>` the run ids of the store named by --db,
#   `ack <TAB>` the firing alerts' ids, `ingest <TAB>` files.  fish: the
#   same through `complete -C`.  zsh: `zsh -n` (syntax) only.  A shell
#   that is not installed is said skipped.  An unknown shell exits 2.
. "$TOP/tests/e2e/lib/common.sh"

cd "$SCRATCH" || fail "cd $SCRATCH"
F="$FAIRTOP"
db="$SCRATCH/store.db"

for shell in bash zsh fish; do
	run "$shell.sh" "$shell.err" "$F" completion "$shell"
	expect_rc "completion $shell" 0 "$shell.err"
	[ -s "$shell.err" ] && fail "completion $shell: expected nothing on stderr, found: $(cat "$shell.err")"
done
run tcsh.out tcsh.err "$F" completion tcsh
expect_rc "completion tcsh" 2 tcsh.err
expect_contains "completion tcsh" tcsh.err "expected bash, zsh or fish, found 'tcsh'"
ok "completion bash, zsh and fish exit 0; tcsh exits 2"

say "== every command and option of --help is in each script"
"$F" --help >help.out
cmds=$(sed -n '/^commands:/,/^$/p' help.out | awk 'NR > 1 && NF { print $1 }')
[ -n "$cmds" ] || fail "fairtop --help: expected a 'commands:' list, found: $(head -5 help.out)"
printf '%s\n' "$cmds" | grep -qx completion || fail "fairtop --help does not list completion"
n=0
for shell in bash zsh fish; do
	for c in $cmds; do
		grep -q -w -e "$c" "$shell.sh" || fail "$shell: the command $c is not in the script"
		"$F" "$c" --help >chelp.out 2>&1 || fail "fairtop $c --help failed"
		for o in $(grep -o -e '^  --[a-z-]*' chelp.out | sed 's/^  --//'); do
			case $shell in
			fish) want="-l $o " ;;
			*) want="--$o" ;;
			esac
			grep -q -F -e "$want" "$shell.sh" || fail "$shell: $c --$o is not in the script"
			n=$((n + 1))
		done
	done
	for o in $(grep -o -e '^  --[a-z-]*' help.out | sed 's/^  --//'); do
		case $shell in
		fish) want="-l $o " ;;
		*) want="--$o" ;;
		esac
		grep -q -F -e "$want" "$shell.sh" || fail "$shell: fairtop --$o is not in the script"
	done
done
ok "every command and option of --help ($n command options over 3 shells) is in each script"

run ingest.out ingest.err "$F" --db "$db" ingest "$TOP/sample_runs"
expect_rc "ingest sample_runs" 0 ingest.err
firing=$("$F" --db "$db" alerts --state firing --format csv | awk -F, 'NR > 1 { print $1 }' | sort | tr '\n' ' ')

say "== bash: _fairtop driven as bash completes"
if command -v bash >/dev/null 2>&1; then
	mkdir -p files && : >files/one.csv && : >files/two.csv
	# complete WORD...: the completions of the last word, one a line,
	# sorted; the command is the binary under test, as typed
	cat >drive.bash <<'EOF'
source ./bash.sh
complete -p fairtop >/dev/null || { echo "no 'complete' for fairtop"; exit 1; }
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_fairtop
((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}" | sort -u
EOF
	# expect_completion WHAT WANT WORD...: the completions are WANT
	expect_completion() {
		_what=$1
		_want=$2
		shift 2
		_got=$(bash drive.bash "$@" 2>&1 | tr '\n' ' ')
		[ "$_got" = "$_want" ] ||
			fail "bash: $_what: expected '$_want', found '$_got'"
	}
	expect_completion "fairtop ga<TAB>" "gate " "$F" ga
	expect_completion "fairtop gate --f<TAB>" "--format " "$F" gate --f
	expect_completion "fairtop gate --format <TAB>" "json junit text " "$F" gate --format ""
	expect_completion "fairtop co<TAB>" "compare completion " "$F" co
	expect_completion "fairtop completion <TAB>" "bash fish zsh " "$F" completion ""
	expect_completion "fairtop --db DB gate --baseline r0<TAB>" "r01 r02 r03 r04 r05 r06 " "$F" --db "$db" gate --baseline r0
	expect_completion "fairtop compare --db=DB r01 r<TAB>" "r01 r02 r03 r04 r05 r06 " "$F" compare --db = "$db" r01 r
	expect_completion "fairtop --db DB ack <TAB>" "$firing" "$F" --db "$db" ack ""
	expect_completion "fairtop alerts --state <TAB>" "acknowledged firing resolved " "$F" alerts --state ""
	expect_completion "fairtop --color=a<TAB>" "always auto " "$F" --color = a
	expect_completion "fairtop ingest files/<TAB>" "files/one.csv files/two.csv " "$F" ingest files/
	expect_completion "fairtop rollback --y<TAB>" "--yes " "$F" rollback --y
	expect_completion "fairtop gate --baseline <TAB> (no store)" "" "$F" --db "$SCRATCH/none.db" gate --baseline ""
	[ ! -e "$SCRATCH/none.db" ] || fail "bash: completing run ids created the store none.db"
	ok "bash: commands, options, formats, choices, run and alert ids (from --db), files; no store created"
else
	say "skip: bash is not installed"
fi

say "== zsh and fish"
if command -v zsh >/dev/null 2>&1; then
	zsh -n zsh.sh 2>zsh.err || { printf 'FAIL: zsh -n: the script does not parse:\n'; show_file zsh.err; exit 1; }
	head -n 1 zsh.sh | grep -qx '#compdef fairtop' || fail "zsh: expected '#compdef fairtop' on the first line"
	ok "zsh: zsh -n parses the script; it starts #compdef fairtop"
else
	say "skip: zsh is not installed (zsh -n)"
fi
if command -v fish >/dev/null 2>&1; then
	fish -n fish.sh 2>fish.err || { printf 'FAIL: fish -n: the script does not parse:\n'; show_file fish.err; exit 1; }
	mkdir -p bin && ln -sf "$F" bin/fairtop
	# complete -C LINE: fish's own completions of LINE, the words only
	fish_complete() {
		PATH="$SCRATCH/bin:$PATH" fish -c "source $SCRATCH/fish.sh; complete -C '$1'" 2>&1 |
			cut -f 1 | sort -u | tr '\n' ' '
	}
	got=$(fish_complete "fairtop ga")
	[ "$got" = "gate " ] || fail "fish: fairtop ga<TAB>: expected 'gate ', found '$got'"
	got=$(fish_complete "fairtop gate --f")
	[ "$got" = "--format " ] || fail "fish: fairtop gate --f<TAB>: expected '--format ', found '$got'"
	got=$(fish_complete "fairtop gate --format ")
	[ "$got" = "json junit text " ] || fail "fish: gate --format <TAB>: expected 'json junit text ', found '$got'"
	got=$(fish_complete "fairtop --db $db show r0")
	[ "$got" = "r01 r02 r03 r04 r05 r06 " ] || fail "fish: show r0<TAB>: expected the run ids, found '$got'"
	ok "fish: fish -n parses it; commands, options, formats and run ids through complete -C"
else
	say "skip: fish is not installed (fish -n, complete -C)"
fi

done_ok
