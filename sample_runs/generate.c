/*
 * generate.c - deterministic generator for fairtop's sample data.
 *
 *   generate c07 OUTDIR             the C07 incident: OUTDIR/r01..r06/{run,metrics,
 *                                   predictions}.csv and OUTDIR/deployments.csv
 *   generate bench DIR ROWS [SEED]  DIR/run.csv and DIR/predictions.csv with ROWS
 *                                   rows, streamed (constant memory)
 *
 * Output is byte-identical on every run: no clock, no pid, no rand(); a
 * splitmix64 generator seeded from constants. Numbers are formatted without
 * setlocale (the C locale is in force), either as exact decimal strings built
 * from integers or as the shortest "%.*g" that reads back to the same double.
 *
 * Each C07 evaluation is built from exact cell counts, not from Bernoulli
 * draws: for every (group, age) cell, n_cell = round(n * share_group *
 * share_age), positives = round(n_cell * base_rate_group), TP = round(positives
 * * TPR_group), FP = round(negatives * FPR_group). The rows are then shuffled
 * (Fisher-Yates) and numbered. The step-500 checkpoint evaluates the same rows
 * (same ids, labels, groups, ages) with a slightly worse model.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define EXIT_USAGE 2
#define EXIT_IO 1
#define EXIT_INTERNAL 70

static const char *prog = "generate";

/* ------------------------------------------------------------------ PRNG */

typedef struct {
    uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static void rng_seed(Rng *r, uint64_t seed)
{
    r->s = seed;
    (void)rng_next(r); /* decorrelate small seeds */
}

/* uniform double in [0, 1) */
static double rng_unit(Rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* uniform integer in [0, n), unbiased (rejection); n > 0 */
static uint64_t rng_below(Rng *r, uint64_t n)
{
    uint64_t threshold = (0 - n) % n;
    for (;;) {
        uint64_t x = rng_next(r);
        if (x >= threshold)
            return x % n;
    }
}

/* ------------------------------------------------------------ utilities */

static void die_io(const char *what, const char *path)
{
    fprintf(stderr, "%s: cannot %s %s: %s\n", prog, what, path, strerror(errno));
    exit(EXIT_IO);
}

static void make_dir(const char *path)
{
    struct stat st;
    if (mkdir(path, 0777) == 0)
        return;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return;
    die_io("create directory", path);
}

static void join_path(char *buf, size_t size, const char *a, const char *b)
{
    int n = snprintf(buf, size, "%s/%s", a, b);
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "%s: path too long: %s/%s\n", prog, a, b);
        exit(EXIT_USAGE);
    }
}

static FILE *open_out(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        die_io("write", path);
    return f;
}

static void close_out(FILE *f, const char *path)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        if (!errno)
            errno = EIO;
        die_io("write", path);
    }
}

/* Shortest "%.*g" representation that reads back to exactly x. */
static void fmt_double(char *buf, size_t size, double x)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
    snprintf(buf, size, "%.17g", x);
}

/* Exact decimal string of v / 10^decimals, trailing zeros trimmed. */
static void fmt_fixed(char *buf, size_t size, int64_t v, int decimals)
{
    int64_t scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    const char *sign = v < 0 ? "-" : "";
    uint64_t a = v < 0 ? (uint64_t)(-v) : (uint64_t)v;
    uint64_t ip = a / (uint64_t)scale, fp = a % (uint64_t)scale;
    if (fp == 0) {
        snprintf(buf, size, "%s%llu", sign, (unsigned long long)ip);
        return;
    }
    while (fp % 10 == 0) {
        fp /= 10;
        decimals--;
    }
    snprintf(buf, size, "%s%llu.%0*llu", sign, (unsigned long long)ip, decimals,
             (unsigned long long)fp);
}

static double round_to(double x, int decimals)
{
    double s = pow(10.0, decimals);
    return round(x * s) / s;
}

/* Write one CSV field, quoted when it holds a comma, quote or newline. */
static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void kv(FILE *f, const char *key, const char *value)
{
    csv_field(f, key);
    fputc(',', f);
    csv_field(f, value);
    fputc('\n', f);
}

/* ------------------------------------------------------------ UTC time */

/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant) */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t epoch_of(int y, int mo, int d, int h, int mi, int s)
{
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static void fmt_iso(char *buf, size_t size, int64_t t)
{
    int64_t days = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

/* ------------------------------------------------------- the C07 story */

#define NGROUPS 3
#define NAGES 4
#define NRUNS 6
#define NSTEPS 10 /* metrics at 100, 200, ..., 1000 */

static const char *const group_names[NGROUPS] = {"A", "B", "C"};
static const char *const age_names[NAGES] = {"18-25", "26-40", "41-65", "65+"};
static const double age_share[NAGES] = {0.20, 0.35, 0.33, 0.12};

typedef struct {
    double share; /* of the evaluation set */
    double base;  /* P(y_true = 1) */
    double tpr;   /* at the final checkpoint (step 1000) */
    double fpr;
} GroupSpec;

typedef struct {
    const char *id, *version, *parent, *story;
    const char *data_version;
    int start[5]; /* y, m, d, h, min (UTC) */
    int n;        /* nominal evaluation size before dropping groups */
    GroupSpec g[NGROUPS];
    int has_c;         /* group C present in the evaluation */
    int rounded_cw;    /* log class weights rounded to 3 decimals */
    int has_beta;      /* beta_factor logged */
    int vectorised;    /* optimizer_path = vectorised */
    double dtpr, dfpr; /* step 500: tpr - dtpr, fpr + dfpr */
    int64_t tput_tenths;  /* final throughput, tenths of samples/s */
    int tput_like;        /* >= 0: throughput series = that run's x 1.931 */
    double final_loss;
    const char *learning_rate;
    int epochs, batch;
} RunSpec;

static const RunSpec runs[NRUNS] = {
    {"r01", "1.0", NULL, "baseline", "2026-01-a", {2026, 1, 3, 9, 0}, 4000,
     {{0.55, 0.40, 0.82, 0.10}, {0.40, 0.38, 0.80, 0.11}, {0.05, 0.40, 0.79, 0.12}},
     1, 0, 1, 0, 0.03, 0.015, 11800, -1, 0.335, "0.001", 10, 512},
    {"r02", "1.1", "r01", "more accurate", "2026-01-a", {2026, 1, 10, 9, 30}, 4000,
     {{0.55, 0.40, 0.86, 0.08}, {0.40, 0.38, 0.84, 0.09}, {0.05, 0.40, 0.83, 0.10}},
     1, 0, 1, 0, 0.03, 0.015, 12000, -1, 0.301, "0.0008", 12, 512},
    {"r03", "1.2", "r02", "data migration", "2026-01-b", {2026, 1, 15, 10, 0}, 4000,
     {{0.70, 0.46, 0.86, 0.08}, {0.25, 0.44, 0.78, 0.09}, {0.05, 0.45, 0.83, 0.10}},
     1, 0, 1, 0, 0.03, 0.015, 12100, -1, 0.309, "0.0008", 12, 512},
    {"r04", "1.3", "r03", "rounded weights", "2026-01-b", {2026, 1, 18, 11, 0}, 4000,
     {{0.70, 0.46, 0.86, 0.08}, {0.25, 0.44, 0.55, 0.05}, {0.05, 0.45, 0.84, 0.09}},
     1, 1, 1, 0, 0.03, 0.015, 12000, -1, 0.318, "0.0008", 12, 512},
    {"r05", "1.4", "r04", "vectorised", "2026-01-b", {2026, 1, 21, 16, 0}, 4000,
     {{0.70, 0.46, 0.89, 0.06}, {0.25, 0.44, 0.56, 0.04}, {0.05, 0.45, 0.84, 0.09}},
     0, 0, 0, 1, 0.03, 0.015, 0, 3, 0.287, "0.0008", 12, 512},
    {"r06", "1.5", "r05", "the fix", "2026-01-b", {2026, 1, 26, 9, 0}, 4000,
     {{0.70, 0.46, 0.87, 0.07}, {0.25, 0.44, 0.85, 0.08}, {0.05, 0.45, 0.84, 0.08}},
     1, 0, 1, 0, 0.03, 0.015, 12050, -1, 0.292, "0.0008", 12, 512},
};

typedef struct {
    unsigned char g, a, y, p500, p1000;
} Row;

/* confusion counts [step 0 = 500, 1 = 1000][group] */
typedef struct {
    long tp, fp, tn, fn;
} Conf;

typedef struct {
    Row *rows;
    int nrows;
    Conf by_group[2][NGROUPS];
    Conf all[2];
} Eval;

static long lround_pos(double x) { return (long)floor(x + 0.5); }

static void conf_add(Conf *c, int y, int p)
{
    if (y && p)
        c->tp++;
    else if (y)
        c->fn++;
    else if (p)
        c->fp++;
    else
        c->tn++;
}

static double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

static void build_eval(const RunSpec *rs, Rng *rng, Eval *ev)
{
    int cap = 0;
    long counts[NGROUPS][NAGES];
    for (int g = 0; g < NGROUPS; g++)
        for (int a = 0; a < NAGES; a++) {
            counts[g][a] = lround_pos(rs->n * rs->g[g].share * age_share[a]);
            if (g < 2 || rs->has_c)
                cap += (int)counts[g][a];
        }
    ev->rows = calloc((size_t)cap, sizeof(Row));
    if (!ev->rows) {
        fprintf(stderr, "%s: out of memory\n", prog);
        exit(EXIT_INTERNAL);
    }
    memset(ev->by_group, 0, sizeof ev->by_group);
    memset(ev->all, 0, sizeof ev->all);
    int k = 0;
    for (int g = 0; g < NGROUPS; g++) {
        if (g == 2 && !rs->has_c)
            continue;
        const GroupSpec *gs = &rs->g[g];
        for (int a = 0; a < NAGES; a++) {
            long nc = counts[g][a];
            long pos = lround_pos(nc * gs->base), neg = nc - pos;
            long tp1 = lround_pos(pos * gs->tpr);
            long fp1 = lround_pos(neg * gs->fpr);
            long tp0 = lround_pos(pos * clamp01(gs->tpr - rs->dtpr));
            long fp0 = lround_pos(neg * clamp01(gs->fpr + rs->dfpr));
            for (long i = 0; i < nc; i++) {
                Row *r = &ev->rows[k++];
                r->g = (unsigned char)g;
                r->a = (unsigned char)a;
                if (i < pos) {
                    r->y = 1;
                    r->p1000 = i < tp1;
                    r->p500 = i < tp0;
                } else {
                    r->y = 0;
                    r->p1000 = (i - pos) < fp1;
                    r->p500 = (i - pos) < fp0;
                }
                conf_add(&ev->by_group[0][g], r->y, r->p500);
                conf_add(&ev->by_group[1][g], r->y, r->p1000);
                conf_add(&ev->all[0], r->y, r->p500);
                conf_add(&ev->all[1], r->y, r->p1000);
            }
        }
    }
    ev->nrows = k;
    /* Fisher-Yates */
    for (int i = k - 1; i > 0; i--) {
        int j = (int)rng_below(rng, (uint64_t)i + 1);
        Row t = ev->rows[i];
        ev->rows[i] = ev->rows[j];
        ev->rows[j] = t;
    }
}

/* Score in millionths, consistent with the prediction (>= 500000 iff
 * predicted positive); true positives and true negatives are confident,
 * errors sit near the threshold. */
static long score_micro(Rng *rng, int y, int p)
{
    double u = rng_unit(rng);
    double f;
    if (p) {
        f = y ? sqrt(u) : u * u; /* TP high, FP near 0.5 */
        long k = 500000 + (long)(f * 500001.0);
        return k > 1000000 ? 1000000 : k;
    }
    f = y ? 1.0 - u * u : 1.0 - sqrt(u); /* FN near 0.5, TN low */
    long k = (long)(f * 500000.0);
    return k > 499999 ? 499999 : k;
}

static void write_predictions(const char *path, const Eval *ev, Rng *rng)
{
    FILE *f = open_out(path);
    fputs("id,step,y_true,y_pred,score,group,age\n", f);
    for (int s = 0; s < 2; s++) {
        int step = s ? 1000 : 500;
        for (int i = 0; i < ev->nrows; i++) {
            const Row *r = &ev->rows[i];
            int p = s ? r->p1000 : r->p500;
            long sc = score_micro(rng, r->y, p);
            fprintf(f, "%d,%d,%d,%d,%ld.%06ld,%s,%s\n", i + 1, step, r->y, p,
                    sc / 1000000, sc % 1000000, group_names[r->g], age_names[r->a]);
        }
    }
    close_out(f, path);
}

static double ratio(long a, long b) { return b ? (double)a / (double)b : 0.0; }

static double conf_tpr(const Conf *c) { return ratio(c->tp, c->tp + c->fn); }

static double conf_acc(const Conf *c)
{
    return ratio(c->tp + c->tn, c->tp + c->tn + c->fp + c->fn);
}

/* Throughput series in ten-thousandths of samples/s, steps 100..1000. */
static void throughput_series(int idx, int64_t out[NSTEPS])
{
    const RunSpec *rs = &runs[idx];
    if (rs->tput_like >= 0) {
        int64_t base[NSTEPS];
        throughput_series(rs->tput_like, base);
        /* base is in 1e-4 units but built from tenths: exact x 1.931 */
        for (int i = 0; i < NSTEPS; i++)
            out[i] = base[i] / 1000 * 1931;
        return;
    }
    Rng r;
    rng_seed(&r, UINT64_C(0x7407C07000000000) + (uint64_t)idx);
    for (int i = 0; i < NSTEPS; i++) {
        int64_t tenths = rs->tput_tenths;
        if (i < NSTEPS - 1) {
            double factor = 1.0 + (rng_unit(&r) - 0.5) * 0.03;
            if (i == 0)
                factor -= 0.07; /* warm-up */
            tenths = (int64_t)llround((double)rs->tput_tenths * factor);
        }
        out[i] = tenths * 1000;
    }
}

static void write_metric(FILE *f, int step, const char *ts, const char *metric,
                         const char *group, const char *value)
{
    fprintf(f, "%d,%s,%s,", step, ts, metric);
    csv_field(f, group);
    fprintf(f, ",%s\n", value);
}

/* A value that ends exactly at the step-500 and step-1000 evaluations and
 * climbs towards them with a little noise in between. */
static double curve(int step, double v500, double v1000, double start, Rng *r,
                    double noise)
{
    if (step == 500)
        return v500;
    if (step == 1000)
        return v1000;
    double v;
    if (step < 500)
        v = start + (v500 - start) * (double)(step - 100) / 400.0;
    else
        v = v500 + (v1000 - v500) * (double)(step - 500) / 500.0;
    v += (rng_unit(r) - 0.5) * 2.0 * noise;
    return round_to(clamp01(v), 4);
}

static int64_t elapsed_seconds(const RunSpec *rs, int step, const int64_t tput[NSTEPS])
{
    /* sum of per-interval durations: 100 steps * batch / throughput */
    double t = 0;
    for (int i = 0; i < step / 100 && i < NSTEPS; i++)
        t += 100.0 * rs->batch * 10000.0 / (double)tput[i];
    return (int64_t)llround(t);
}

static void write_metrics(const char *path, int idx, const Eval *ev, int64_t t0)
{
    const RunSpec *rs = &runs[idx];
    FILE *f = open_out(path);
    Rng r;
    rng_seed(&r, UINT64_C(0x3E7C1C5C07000000) + (uint64_t)idx);
    int64_t tput[NSTEPS];
    throughput_series(idx, tput);
    fputs("step,timestamp,metric,group,value\n", f);
    double acc500 = conf_acc(&ev->all[0]), acc1000 = conf_acc(&ev->all[1]);
    char ts[40], v[64], grp[16];
    for (int i = 0; i < NSTEPS; i++) {
        int step = (i + 1) * 100;
        fmt_iso(ts, sizeof ts, t0 + elapsed_seconds(rs, step, tput));
        /* loss: decays from ~0.69 towards the final value */
        double loss = rs->final_loss;
        if (step != 1000) {
            double x = (double)(1000 - step) / 900.0;
            loss = rs->final_loss + (0.69 - rs->final_loss) * x * x +
                   (rng_unit(&r) - 0.5) * 0.01;
            loss = round_to(loss, 4);
        }
        fmt_double(v, sizeof v, loss);
        write_metric(f, step, ts, "loss", "", v);
        fmt_double(v, sizeof v, curve(step, acc500, acc1000, 0.62, &r, 0.004));
        write_metric(f, step, ts, "accuracy", "", v);
        fmt_fixed(v, sizeof v, tput[i], 4);
        write_metric(f, step, ts, "throughput", "", v);
        double lat = round_to((double)rs->batch * 1000.0 * 10000.0 / (double)tput[i], 3);
        fmt_double(v, sizeof v, lat);
        write_metric(f, step, ts, "latency_ms", "", v);
        for (int g = 0; g < NGROUPS; g++) {
            if (g == 2 && !rs->has_c)
                continue;
            double t500 = conf_tpr(&ev->by_group[0][g]);
            double t1000 = conf_tpr(&ev->by_group[1][g]);
            snprintf(grp, sizeof grp, "group=%s", group_names[g]);
            fmt_double(v, sizeof v, curve(step, t500, t1000, 0.45, &r, 0.006));
            write_metric(f, step, ts, "tpr", grp, v);
        }
    }
    close_out(f, path);
}

static void write_run_csv(const char *path, int idx, const Eval *ev, int64_t t0,
                          int64_t t1)
{
    const RunSpec *rs = &runs[idx];
    FILE *f = open_out(path);
    char buf[256], w1s[64], w0s[64];
    fputs("key,value\n", f);
    kv(f, "run", rs->id);
    kv(f, "model", "loan-approval");
    kv(f, "version", rs->version);
    if (rs->parent)
        kv(f, "parent", rs->parent);
    {
        Rng r;
        rng_seed(&r, UINT64_C(0xC0317C0700000000) + (uint64_t)idx);
        snprintf(buf, sizeof buf, "%012llx",
                 (unsigned long long)(rng_next(&r) & UINT64_C(0xFFFFFFFFFFFF)));
        kv(f, "commit", buf);
    }
    kv(f, "data_version", rs->data_version);
    fmt_iso(buf, sizeof buf, t0);
    kv(f, "started_at", buf);
    fmt_iso(buf, sizeof buf, t1);
    kv(f, "finished_at", buf);
    kv(f, "status", "FINISHED");
    if (rs->has_beta)
        kv(f, "beta_factor", "0.5");
    /* balanced class weights from the final-step labels: w_c = n / (2 n_c) */
    const Conf *c = &ev->all[1];
    long n = c->tp + c->fp + c->tn + c->fn, n1 = c->tp + c->fn, n0 = n - n1;
    double w1 = (double)n / (2.0 * (double)n1), w0 = (double)n / (2.0 * (double)n0);
    if (rs->rounded_cw) {
        double r1 = round_to(w1, 3), r0 = round_to(w0, 3);
        if (fabs(r1 - w1) <= 1e-9 * w1 || fabs(r0 - w0) <= 1e-9 * w0) {
            fprintf(stderr, "%s: internal: %s's exact class weights are 3-decimal\n",
                    prog, rs->id);
            exit(EXIT_INTERNAL);
        }
        snprintf(w1s, sizeof w1s, "%.3f", r1);
        snprintf(w0s, sizeof w0s, "%.3f", r0);
    } else {
        snprintf(w1s, sizeof w1s, "%.17g", w1);
        snprintf(w0s, sizeof w0s, "%.17g", w0);
    }
    snprintf(buf, sizeof buf, "1:%s;0:%s", w1s, w0s);
    kv(f, "class_weights", buf);
    kv(f, "positive_label", "1");
    kv(f, "sensitive", "group,age");
    kv(f, "learning_rate", rs->learning_rate);
    snprintf(buf, sizeof buf, "%d", rs->epochs);
    kv(f, "epochs", buf);
    snprintf(buf, sizeof buf, "%d", rs->batch);
    kv(f, "batch_size", buf);
    if (rs->vectorised)
        kv(f, "optimizer_path", "vectorised");
    close_out(f, path);
}

static void write_deployments(const char *path)
{
    static const char *const rows[][5] = {
        {"2026-01-05T14:00:00Z", "r01", "deploy", "maria.lopez",
         "baseline v1.0, fairness review passed"},
        {"2026-01-12T15:30:00Z", "r02", "deploy", "maria.lopez",
         "v1.1: more accurate, fairness checks green"},
        {"2026-01-22T18:45:00Z", "r05", "override", "kevin.marchand",
         "93.1% throughput gain from the vectorised optimizer; shipped despite red "
         "fairness alerts, CI ran partially"},
    };
    FILE *f = open_out(path);
    fputs("time,run,kind,actor,reason\n", f);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (int j = 0; j < 5; j++) {
            if (j)
                fputc(',', f);
            csv_field(f, rows[i][j]);
        }
        fputc('\n', f);
    }
    close_out(f, path);
}

static int cmd_c07(const char *outdir)
{
    char dir[4096], path[4200];
    make_dir(outdir);
    for (int idx = 0; idx < NRUNS; idx++) {
        const RunSpec *rs = &runs[idx];
        Rng rng;
        rng_seed(&rng, UINT64_C(0xFA17C07000000000) + (uint64_t)idx * 0x1000);
        Eval ev;
        build_eval(rs, &rng, &ev);
        join_path(dir, sizeof dir, outdir, rs->id);
        make_dir(dir);

        int64_t t0 = epoch_of(rs->start[0], rs->start[1], rs->start[2], rs->start[3],
                              rs->start[4], 0);
        int64_t tput[NSTEPS];
        throughput_series(idx, tput);
        int64_t t1 = t0 + elapsed_seconds(rs, 1000, tput) + 95; /* + evaluation */

        join_path(path, sizeof path, dir, "run.csv");
        write_run_csv(path, idx, &ev, t0, t1);
        join_path(path, sizeof path, dir, "metrics.csv");
        write_metrics(path, idx, &ev, t0);
        join_path(path, sizeof path, dir, "predictions.csv");
        write_predictions(path, &ev, &rng);
        free(ev.rows);
    }
    join_path(path, sizeof path, outdir, "deployments.csv");
    write_deployments(path);
    return 0;
}

/* ---------------------------------------------------------------- bench */

static char *put_u64(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static int cmd_bench(const char *dir, uint64_t rows, uint64_t seed)
{
    char path[4200];
    make_dir(dir);

    join_path(path, sizeof path, dir, "run.csv");
    FILE *f = open_out(path);
    fputs("key,value\n", f);
    kv(f, "run", "bench");
    kv(f, "model", "bench");
    kv(f, "started_at", "2026-01-01T00:00:00Z");
    kv(f, "beta_factor", "1");
    kv(f, "positive_label", "1");
    kv(f, "sensitive", "group,age");
    close_out(f, path);

    join_path(path, sizeof path, dir, "predictions.csv");
    f = open_out(path);
    static char iobuf[1 << 22];
    setvbuf(f, iobuf, _IOFBF, sizeof iobuf);
    fputs("id,step,y_true,y_pred,score,group,age\n", f);
    Rng r;
    rng_seed(&r, seed);
    static const size_t age_len[NAGES] = {5, 5, 5, 3};
    char line[96];
    for (uint64_t i = 1; i <= rows; i++) {
        uint64_t x = rng_next(&r);
        /* 16 bits each: group, age, label, correctness */
        unsigned gu = (unsigned)(x & 0xFFFF), au = (unsigned)((x >> 16) & 0xFFFF);
        unsigned yu = (unsigned)((x >> 32) & 0xFFFF), cu = (unsigned)(x >> 48);
        int g = gu < 36045 ? 0 : gu < 62259 ? 1 : 2; /* 55 %, 40 %, 5 % */
        int a = au < 13107 ? 0 : au < 36045 ? 1 : au < 57672 ? 2 : 3;
        int y = yu < 26214; /* 40 % positive */
        int p = y ? cu < 55706 : cu < 6554; /* TPR 0.85, FPR 0.10 */
        long sc = score_micro(&r, y, p);
        char *q = line;
        q = put_u64(q, i);
        memcpy(q, ",1000,", 6);
        q += 6;
        *q++ = (char)('0' + y);
        *q++ = ',';
        *q++ = (char)('0' + p);
        *q++ = ',';
        *q++ = (char)('0' + sc / 1000000);
        *q++ = '.';
        long fr = sc % 1000000;
        for (int d = 5; d >= 0; d--) {
            q[d] = (char)('0' + fr % 10);
            fr /= 10;
        }
        q += 6;
        *q++ = ',';
        *q++ = group_names[g][0];
        *q++ = ',';
        memcpy(q, age_names[a], age_len[a]);
        q += age_len[a];
        *q++ = '\n';
        if (fwrite(line, 1, (size_t)(q - line), f) != (size_t)(q - line))
            die_io("write", path);
    }
    close_out(f, path);
    return 0;
}

/* ----------------------------------------------------------------- main */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: %s c07 OUTDIR\n"
            "       %s bench DIR ROWS [SEED]\n"
            "       %s --help\n"
            "\n"
            "c07    write the C07 incident sample runs: OUTDIR/r01..r06/{run.csv,\n"
            "       metrics.csv,predictions.csv} and OUTDIR/deployments.csv\n"
            "       (byte-identical on every run)\n"
            "bench  write DIR/run.csv and DIR/predictions.csv with ROWS random rows,\n"
            "       streamed in constant memory (SEED: default 1)\n",
            prog, prog, prog);
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ' || *s == '\t')
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return 0;
    *out = (uint64_t)v;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc < 2) {
        fprintf(stderr, "%s: missing command (c07 or bench); try --help\n", prog);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "c07")) {
        if (argc != 3 || !*argv[2]) {
            fprintf(stderr, "%s: usage: %s c07 OUTDIR\n", prog, prog);
            return EXIT_USAGE;
        }
        return cmd_c07(argv[2]);
    }
    if (!strcmp(argv[1], "bench")) {
        uint64_t rows, seed = 1;
        if (argc < 4 || argc > 5 || !*argv[2]) {
            fprintf(stderr, "%s: usage: %s bench DIR ROWS [SEED]\n", prog, prog);
            return EXIT_USAGE;
        }
        if (!parse_u64(argv[3], &rows)) {
            fprintf(stderr, "%s: ROWS must be a non-negative integer, got '%s'\n",
                    prog, argv[3]);
            return EXIT_USAGE;
        }
        if (argc == 5 && !parse_u64(argv[4], &seed)) {
            fprintf(stderr, "%s: SEED must be a non-negative integer, got '%s'\n",
                    prog, argv[4]);
            return EXIT_USAGE;
        }
        return cmd_bench(argv[2], rows, seed);
    }
    fprintf(stderr, "%s: unknown command '%s'; try --help\n", prog, argv[1]);
    return EXIT_USAGE;
}
