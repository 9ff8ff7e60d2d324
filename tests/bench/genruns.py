# tests/bench/genruns.py OUT RUNS STEPS [GROUPS] — RUNS bench run folders
# in OUT (run0000 ...), each with run.csv, a counts.csv of GROUPS groups
# (default 16) at STEPS steps, and a metrics.csv of two metrics (loss,
# throughput) at STEPS steps.  Deterministic (seed 7).  Used by
# tui_bench.sh, ingest_bench.sh and scale_bench.sh.
import os, random, sys
out, runs, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
groups = int(sys.argv[4]) if len(sys.argv) > 4 else 16
rng = random.Random(7)
width = max(4, len(str(runs - 1)))
for r in range(runs):
    d = os.path.join(out, "run%0*d" % (width, r))
    os.makedirs(d)
    day, hour = divmod(r, 24)
    with open(os.path.join(d, "run.csv"), "w") as f:
        f.write("key,value\nrun,run%0*d\nmodel,bench\nversion,%d\n"
                "started_at,%04d-%02d-%02dT%02d:00:00Z\nbeta_factor,1\n"
                % (width, r, r, 2026 + day // 336, 1 + day // 28 % 12,
                   1 + day % 28, hour))
    with open(os.path.join(d, "counts.csv"), "w") as f:
        f.write("step,group,tp,fp,tn,fn\n")
        for s in range(1, steps + 1):
            for g in range(groups):
                tp = 400 + rng.randrange(100); fn = 100 + rng.randrange(50)
                fp = 50 + rng.randrange(40); tn = 450 + rng.randrange(100)
                f.write("%d,g=g%02d,%d,%d,%d,%d\n" % (s, g, tp, fp, tn, fn))
    with open(os.path.join(d, "metrics.csv"), "w") as f:
        f.write("step,timestamp,metric,group,value\n")
        for s in range(1, steps + 1):
            f.write("%d,,loss,,%.4f\n%d,,throughput,,%.1f\n"
                    % (s, 1.0 / s, s, 1000 + rng.random() * 100))
