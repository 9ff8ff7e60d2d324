#!/bin/sh
# generate.sh DEST: write the cases of the bad-input corpus that are not
# committed into DEST/NAME, one folder each: the big ones (written at test
# time so that the repository stays small), the ones holding NUL bytes,
# symbolic links or a FIFO, and the path that must not exist.  DEST is
# emptied first.  tests/e2e/t1500-bad-corpus.sh runs them; the table there
# says what each must give.  Needs python3 (for the big files).
set -eu
dest=${1:?usage: generate.sh DEST}
rm -rf "$dest"
mkdir -p "$dest"
cd "$dest"

# run ID DIR: a good run.csv (sensitive column sex) in DIR
run() {
	mkdir -p "$2"
	printf 'key,value\nrun,%s\nmodel,m\nstarted_at,2026-01-22T14:05:00Z\nbeta_factor,1\nsensitive,sex\n' \
		"$1" >"$2/run.csv"
}
# pred DIR: a good predictions.csv in DIR
pred() {
	printf 'y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,0.2,1,M\n1,0,0.4,1,M\n0,1,0.7,1,F\n' \
		>"$1/predictions.csv"
}
metrics() {
	printf 'step,timestamp,metric,group,value\n1,2026-01-22T14:05:00Z,accuracy,,0.5\n' >"$1/metrics.csv"
}
std() {
	run "$1" "$1"
	pred "$1"
}

# --- a path that does not exist: missing-path is left absent

# --- links and special files where a run file should be
std symlink-loop-predictions
rm symlink-loop-predictions/predictions.csv
ln -s predictions.csv symlink-loop-predictions/predictions.csv

std symlink-loop-metrics
ln -s metrics.csv symlink-loop-metrics/metrics.csv

run symlink-loop-counts symlink-loop-counts
ln -s counts.csv symlink-loop-counts/counts.csv

std symlink-cycle-predictions
rm symlink-cycle-predictions/predictions.csv
ln -s b.csv symlink-cycle-predictions/a.csv
ln -s a.csv symlink-cycle-predictions/b.csv
ln -s a.csv symlink-cycle-predictions/predictions.csv

mkdir symlink-loop-run-csv
pred symlink-loop-run-csv
ln -s run.csv symlink-loop-run-csv/run.csv

std dangling-predictions
rm dangling-predictions/predictions.csv
ln -s no-such-file.csv dangling-predictions/predictions.csv

std predictions-is-folder
rm predictions-is-folder/predictions.csv
mkdir predictions-is-folder/predictions.csv

std predictions-fifo
rm predictions-fifo/predictions.csv
mkfifo predictions-fifo/predictions.csv

# --- NUL bytes
std nul-predictions-field
printf 'y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n0,0,0.2,1,M\0X\n' >nul-predictions-field/predictions.csv
std nul-predictions-header
printf 'y_true,y_pred,score,weight,s\0ex\n1,1,0.9,1,F\n' >nul-predictions-header/predictions.csv
std nul-run-csv
printf 'key,value\nrun,nul-run-csv\0\nmodel,m\nstarted_at,2026-01-22T14:05:00Z\nsensitive,sex\n' >nul-run-csv/run.csv
std nul-metrics
printf 'step,timestamp,metric,group,value\n1,,acc\0uracy,,0.5\n' >nul-metrics/metrics.csv

# --- big inputs
std field-1mb-group
std field-1mb-param
std field-1mb-run-id
std columns-100k
std columns-100k-row
std groups-100k
std line-10mb-group
std line-10mb-unterminated
std long-groups-collide
metrics groups-100k
python3 - <<'EOF'
MB = 1 << 20

def write(path, text, mode="w"):
    with open(path, mode, newline="") as f:
        f.write(text)

head = "y_true,y_pred,score,weight,sex\n1,1,0.9,1,F\n"
# a 1 MB group name: valid (no limit is documented)
write("field-1mb-group/predictions.csv", head + "0,0,0.2,1," + "g" * MB + "\n")
# a 1 MB parameter value: valid
write("field-1mb-param/run.csv", "note," + "p" * MB + "\n", "a")
# a 1 MB run id: refused (1 to 200 bytes)
write("field-1mb-run-id/run.csv",
      "key,value\nrun," + "r" * MB + "\nmodel,m\nstarted_at,2026-01-22T14:05:00Z\nsensitive,sex\n")
# 100,000 columns in the header (no 'sensitive' key: all would be features)
write("columns-100k/run.csv",
      "key,value\nrun,columns-100k\nmodel,m\nstarted_at,2026-01-22T14:05:00Z\n")
write("columns-100k/predictions.csv",
      "y_true,y_pred," + ",".join("c%d" % i for i in range(99998)) + "\n"
      + "1,1," + ",".join("a" for _ in range(99998)) + "\n")
# a good header, then a row of 100,002 fields
write("columns-100k-row/predictions.csv",
      head + "0,0,0.2,1," + ",".join("M" for _ in range(99998)) + "\n")
# 100,000 distinct groups: refused at the 1001st (EVAL_MAX_GROUPS)
rows = ["y_true,y_pred,score,weight,sex\n"]
for i in range(100000):
    rows.append("%d,%d,0.%d,1,g%06d\n" % (i % 2, (i // 2) % 2, i % 10, i))
write("groups-100k/predictions.csv", "".join(rows))
# a 10 MB line: one quoted group name, past CSV_FIELD_MAX (refused) ...
write("line-10mb-group/predictions.csv", head + '0,0,0.2,1,"' + "x" * (10 * MB) + '"\n')
# ... and a 10 MB quoted field never closed (refused)
write("line-10mb-unterminated/predictions.csv", head + '0,0,0.2,1,"' + "x" * (10 * MB) + "\n")
# two group names of 5000 bytes that differ only in their last byte
write("long-groups-collide/predictions.csv",
      head + "0,0,0.2,1," + "x" * 5000 + "A\n1,0,0.4,1," + "x" * 5000 + "B\n")
EOF
