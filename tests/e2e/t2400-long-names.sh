#!/bin/sh
# t2400-long-names: names that cross the modules whole, never cut.
#   r02 and r05 of the samples, with their feature `group` renamed to a
#   name of 256 bytes (the longest a reader takes), their group B to a
#   value of 320 bytes (so the group "FEATURE=VALUE" runs to 577 bytes),
#   a model name of 400 bytes and a version of 300; r02 deployed with a
#   --by of 400 bytes.  Ingest, deploy, gate, show, runs, alerts and
#   audit give every name back whole, in text and JSON.
. "$TOP/tests/e2e/lib/common.sh"

command -v python3 >/dev/null 2>&1 ||
	{ say "skip: python3 is not installed: these checks need it"; exit 0; }

cd "$SCRATCH" || fail "cd $SCRATCH"
db="$SCRATCH/store.db"
F="$FAIRTOP"

python3 - "$TOP/sample_runs" runs <<'PY' || fail "could not make the runs"
import os, sys
src, dst = sys.argv[1], sys.argv[2]
value = 'B' + ''.join(chr(ord('a') + i % 26) for i in range(319))
feature = 'g' * 255 + 'G'
for r in ('r02', 'r05'):
    os.makedirs(os.path.join(dst, r))
    out = []
    for line in open(os.path.join(src, r, 'run.csv')).read().splitlines():
        if line.startswith('model,'):
            line = 'model,' + 'm' * 399 + 'M'
        elif line.startswith('version,'):
            line = 'version,' + 'v' * 299 + 'V'
        elif line.startswith('sensitive,'):
            line = 'sensitive,"%s,age"' % feature
        out.append(line)
    open(os.path.join(dst, r, 'run.csv'), 'w').write('\n'.join(out) + '\n')
    rows = open(os.path.join(src, r, 'predictions.csv')).read().splitlines()
    head = rows[0].split(',')
    g = head.index('group')
    head[g] = feature
    out = [','.join(head)]
    for line in rows[1:]:
        f = line.split(',')
        if f[g] == 'B':
            f[g] = value
        out.append(','.join(f))
    open(os.path.join(dst, r, 'predictions.csv'), 'w').write(
        '\n'.join(out) + '\n')
open('names', 'w').write('%s\n%s\n' % (feature, feature + '=' + value))
PY
feature=$(sed -n 1p names)
group=$(sed -n 2p names)
model="$(printf '%0399d' 0 | tr 0 m)M"
version="$(printf '%0299d' 0 | tr 0 v)V"
actor="$(printf '%0399d' 0 | tr 0 a)Z"
[ ${#group} -eq 577 ] && [ ${#actor} -eq 400 ] ||
	fail "the names: expected 577 and 400 bytes, found ${#group} and ${#actor}"

run ingest.out ingest.err "$F" --db "$db" ingest runs/r02 runs/r05
expect_rc "ingest of the long names" 0 ingest.err
ok "ingest of a 256-byte feature, a 577-byte group, a 400-byte model: exit 0"

run deploy.out deploy.err "$F" --db "$db" deploy r02 --reason "long names" --by "$actor"
expect_rc "deploy r02 --by (400 bytes)" 0 deploy.err
expect_contains "deploy r02 --by (400 bytes)" deploy.out "(deployment #1 by $actor)"
ok "deploy r02 --by a 400-byte actor: the whole actor printed"

run gate.json gate.err "$F" --db "$db" gate --baseline r02 --candidate r05 --format json
expect_rc "gate r05 against r02" 1 gate.err
expect_json "gate --format json" gate.json
python3 - gate.json "$feature" "$group" <<'PY' || fail "gate --format json: a name was cut (see above)"
import json, sys
g = json.load(open(sys.argv[1]))
feature, group = sys.argv[2], sys.argv[3]
dp = [f for f in g['findings'] if f['rule'] == 'dp_difference']
assert dp, 'no dp_difference finding'
f = dp[0]
assert f['feature'] == feature, 'feature: %d bytes' % len(f['feature'])
assert f['group'] == group, 'group: %d bytes' % len(f['group'])
assert ('driven by ' + group + ':') in f['message'], f['message'][-200:]
PY
ok "gate --format json: the finding's feature, group and message whole"

run gate.txt gate.err "$F" --db "$db" gate --baseline r02 --candidate r05
expect_contains "gate (text)" gate.txt "driven by $group:"
ok "gate (text): the group driving the finding whole"

run show.json show.err "$F" --db "$db" show r05 --format json
expect_rc "show r05 --format json" 0 show.err
expect_json "show r05 --format json" show.json
python3 - show.json "$model" "$version" "$group" <<'PY' || fail "show --format json: a name was cut (see above)"
import json, sys
s = json.load(open(sys.argv[1]))
assert s['model'] == sys.argv[2], 'model: %d bytes' % len(s['model'])
assert s['version'] == sys.argv[3], 'version: %d bytes' % len(s['version'])
w = s['summary']['worst_tpr_group']
assert w == sys.argv[4], 'worst_tpr_group: %d bytes' % len(w)
PY
ok "show r05 --format json: model, version and worst TPR group whole"

run runs.json runs.err "$F" --db "$db" runs --format json
expect_json "runs --format json" runs.json
python3 - runs.json "$model" "$group" <<'PY' || fail "runs --format json: a name was cut (see above)"
import json, sys
r = {x['run']: x for x in json.load(open(sys.argv[1]))}
assert r['r05']['model'] == sys.argv[2]
assert r['r05']['worst_tpr_group'] == sys.argv[3], len(r['r05']['worst_tpr_group'])
PY
ok "runs --format json: model and worst TPR group whole"

run alerts.json alerts.err "$F" --db "$db" alerts --format json
expect_json "alerts --format json" alerts.json
python3 - alerts.json "$feature" "$group" <<'PY' || fail "alerts --format json: a subject was cut (see above)"
import json, sys
subjects = [a['subject'] for a in json.load(open(sys.argv[1]))]
assert sys.argv[2] in subjects, [len(s) for s in subjects]
PY
ok "alerts --format json: the subject (the alert's identity) whole"

run audit.json audit.err "$F" --db "$db" audit --format json
expect_json "audit --format json" audit.json
python3 - audit.json "$actor" <<'PY' || fail "audit --format json: the actor was cut (see above)"
import json, sys
rows = [a for a in json.load(open(sys.argv[1])) if a['action'] == 'deploy']
assert rows and rows[0]['actor'] == sys.argv[2], [len(a['actor']) for a in rows]
PY
run verify.out verify.err "$F" --db "$db" audit --verify
expect_rc "audit --verify" 0 verify.err
ok "audit --format json: the 400-byte actor whole; the chain verifies"
