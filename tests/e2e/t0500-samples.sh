#!/bin/sh
# t0500-samples: the committed sample runs are exactly what the generator
# makes: `sample_runs/generate c07 DIR` reproduces every CSV of sample_runs/
# byte for byte (diff -r over the CSVs), and makes no CSV that is not
# committed.
. "$TOP/tests/e2e/lib/common.sh"

gen="$TOP/sample_runs/generate"
out="$SCRATCH/gen"

say "== sample_runs/generate c07 \$SCRATCH/gen"
[ -x "$gen" ] || fail "expected the generator $gen (make builds it), found none"
run "$SCRATCH/gen.out" "$SCRATCH/gen.err" "$gen" c07 "$out"
expect_rc "sample_runs/generate c07 $out" 0 "$SCRATCH/gen.err"
n=$(find "$out" -name '*.csv' | wc -l | tr -d ' ')
[ "$n" -gt 0 ] || fail "generate c07: expected CSV files in $out, found none"
ok "generate c07: exit 0, $n CSV files"

say "== the same CSVs, byte for byte, as the committed sample_runs"
# copy the CSVs of both trees (and nothing else: the generator's source and
# binary live in sample_runs/ too) and compare them with diff -r
for side in committed generated; do
	case $side in
	committed) from="$TOP/sample_runs" ;;
	generated) from=$out ;;
	esac
	(cd "$from" && find . -name '*.csv' -type f | LC_ALL=C sort) >"$SCRATCH/$side.list"
	while IFS= read -r f; do
		mkdir -p "$SCRATCH/$side/$(dirname "$f")"
		cp "$from/$f" "$SCRATCH/$side/$f"
	done <"$SCRATCH/$side.list"
done
if ! diff -r "$SCRATCH/committed" "$SCRATCH/generated" >"$SCRATCH/diff.out" 2>&1; then
	say "FAIL: generate c07 does not reproduce sample_runs (expected no difference, found):"
	head -n 40 "$SCRATCH/diff.out" | sed 's/^/    /'
	exit 1
fi
ok "diff -r: the $(wc -l <"$SCRATCH/committed.list" | tr -d ' ') committed CSVs equal the generated ones"
cmp -s "$SCRATCH/committed.list" "$SCRATCH/generated.list" ||
	fail "expected the same CSV files, found committed: $(tr '\n' ' ' <"$SCRATCH/committed.list") generated: $(tr '\n' ' ' <"$SCRATCH/generated.list")"
ok "the same list of CSV files on both sides"

say "== the generator is deterministic"
run "$SCRATCH/gen2.out" "$SCRATCH/gen2.err" "$gen" c07 "$SCRATCH/gen2"
expect_rc "sample_runs/generate c07 (second time)" 0 "$SCRATCH/gen2.err"
diff -r "$out" "$SCRATCH/gen2" >/dev/null 2>&1 ||
	fail "two runs of generate c07: expected identical output, found differences"
ok "a second run of generate c07 makes the same files"

done_ok
