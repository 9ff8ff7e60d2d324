/*
 * report_html.c — `fairtop report --format html`: the post-mortem as one
 * HTML page that needs nothing but itself (see report_html.h).
 *
 * The numbers come from where every other screen gets them: the runs
 * from storage/runread.h, each loaded with service/judgeload.h; each
 * group's rates and their Wilson intervals from the run's summary
 * (core/interval.h); each feature's aggregates with their simultaneous
 * intervals from service/rundisparity.h; the verdicts and the findings
 * from service/verdict.h; the deployments from storage/deploy_store.h;
 * the summary and the events from service/timeline.h.  Nothing is
 * judged here.
 *
 * The charts are inline SVG drawn from those numbers, each an <svg
 * class="chart chart-KIND" id="chart-KIND[-N]"> (tpr, selection, dp,
 * eo, timeline) with one <g class="series" data-series="NAME"> per line,
 * so that a test can find them.  An undefined value (a zero
 * denominator) leaves a gap in its line, never a point at 0.  Colour is
 * never the only cue: each line has its own marker shape and dash and
 * is named at its end and in the legend; an override is marked and
 * named, not only red.  Every string from the store goes through esc():
 * sanitised (core/text.h), then & < > " ' escaped, so a name or a
 * reason is text, never markup.
 */
#include "cli/report_html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/disparity_out.h"
#include "cli/verdict_out.h"
#include "core/array.h"
#include "core/interval.h"
#include "core/isotime.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "service/judgeload.h"
#include "service/rundisparity.h"
#include "service/timeline.h"
#include "service/verdict.h"
#include "storage/deploy_store.h"
#include "storage/runread.h"

/* --- what the charts draw ------------------------------------------ */

/* One line of a chart: a point per run (in the report's order), value
 * RATE_UNDEFINED where the run has none. */
struct series {
	char *name;
	struct aggregate_ci *pt; /* value, interval; established for
				  * aggregates */
	unsigned char *low_n;    /* the group has fewer rows than the
				  * policy's min_group_size */
};

struct series_set {
	struct series *s;
	size_t n, cap;
};

/* A sensitive feature's groups: their TPR and selection rate. */
struct feature_rates {
	char *name;
	struct series_set tpr, sel;
};

struct report {
	const struct policy *p;
	struct stored_run *runs;   /* oldest first */
	size_t nruns;
	struct feature_rates *feat;
	size_t nfeat, capfeat;
	/* per feature and intersection */
	struct series_set dp, dpr, eo;
	struct strbuf findings;    /* the findings section, run by run */
	struct stored_deployment *dep; /* oldest first */
	size_t ndep;
	struct timeline t;
	int oom;
};

static void series_set_release(struct series_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->s[i].name);
		free(set->s[i].pt);
		free(set->s[i].low_n);
	}
	free(set->s);
	memset(set, 0, sizeof *set);
}

/* The series called name in set, added (every point undefined) when it
 * is not there yet; NULL when out of memory.  Borrowed from set. */
static struct series *series_get(struct series_set *set, const char *name,
				 size_t nruns)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->s[i].name, name) == 0)
			return &set->s[i];
	if (ARRAY_GROW(set->s, set->n + 1, set->cap) != 0)
		return NULL;
	struct series *x = &set->s[set->n];
	x->name = strdup(name);
	x->pt = malloc((nruns ? nruns : 1) * sizeof *x->pt);
	x->low_n = calloc(nruns ? nruns : 1, 1);
	if (x->name == NULL || x->pt == NULL || x->low_n == NULL) {
		free(x->name);
		free(x->pt);
		free(x->low_n);
		return NULL;
	}
	for (size_t i = 0; i < nruns; i++) {
		x->pt[i].value = RATE_UNDEFINED;
		x->pt[i].ci.low = x->pt[i].ci.high = RATE_UNDEFINED;
		x->pt[i].established = 0;
		x->pt[i].metric = NULL;
	}
	set->n++;
	return x;
}

static struct feature_rates *feature_get(struct report *r, const char *name)
{
	for (size_t i = 0; i < r->nfeat; i++)
		if (strcmp(r->feat[i].name, name) == 0)
			return &r->feat[i];
	if (ARRAY_GROW(r->feat, r->nfeat + 1, r->capfeat) != 0)
		return NULL;
	struct feature_rates *x = &r->feat[r->nfeat];
	memset(x, 0, sizeof *x);
	x->name = strdup(name);
	if (x->name == NULL)
		return NULL;
	r->nfeat++;
	return x;
}

static void report_release(struct report *r)
{
	for (size_t i = 0; i < r->nfeat; i++) {
		free(r->feat[i].name);
		series_set_release(&r->feat[i].tpr);
		series_set_release(&r->feat[i].sel);
	}
	free(r->feat);
	series_set_release(&r->dp);
	series_set_release(&r->dpr);
	series_set_release(&r->eo);
	strbuf_release(&r->findings);
	stored_deployments_free(r->dep, r->ndep);
	stored_runs_free(r->runs, r->nruns);
	timeline_release(&r->t);
}

/* --- HTML text ------------------------------------------------------ */

/* s sanitised (core/text.h) and escaped for HTML text and attribute
 * values; NULL adds nothing. */
static void esc(struct strbuf *sb, const char *s)
{
	if (s == NULL)
		return;
	size_t len = strlen(s);
	char *clean = NULL;
	const char *t = s;
	if (!text_is_safe(s, len)) {
		clean = malloc(len + 1);
		if (clean == NULL) {
			sb->failed = 1; /* as an append out of memory */
			return;
		}
		t = text_sanitize(clean, len + 1, s, len);
	}
	for (; *t; t++) {
		switch (*t) {
		case '&':
			strbuf_addstr(sb, "&amp;");
			break;
		case '<':
			strbuf_addstr(sb, "&lt;");
			break;
		case '>':
			strbuf_addstr(sb, "&gt;");
			break;
		case '"':
			strbuf_addstr(sb, "&quot;");
			break;
		case '\'':
			strbuf_addstr(sb, "&#39;");
			break;
		default:
			strbuf_addch(sb, *t);
		}
	}
	free(clean);
}

/* s escaped, cut to at most max bytes (at a character's start) with an
 * ellipsis when longer: labels on the charts. */
static void esc_cut(struct strbuf *sb, const char *s, size_t max)
{
	size_t len = strlen(s);
	if (len <= max) {
		esc(sb, s);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	char *cut = strndup(s, max);
	if (cut == NULL) {
		sb->failed = 1;
		return;
	}
	esc(sb, cut);
	strbuf_addstr(sb, "\xE2\x80\xA6"); /* U+2026 */
	free(cut);
}

/* A class name token of s: [A-Za-z0-9_-] kept, anything else '_'
 * (data-series holds the name itself). */
static void class_token(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '-' || c == '_';
		strbuf_addch(sb, keep ? c : '_');
	}
}

/* A rate for a table or a tooltip: "0.123" or "n/a". */
static void add_rate(struct strbuf *sb, double v)
{
	if (rate_defined(v))
		strbuf_addf(sb, "%.3f", v);
	else
		strbuf_addstr(sb, "n/a");
}

/* Characters of s as a label takes them (UTF-8 code points). */
static size_t label_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* --- chart geometry -------------------------------------------------- */

#define CHART_W 960.0
#define PLOT_LEFT 64.0
#define PLOT_RIGHT 140.0 /* room for the lines' names at their ends */
#define PLOT_H 240.0
#define CHAR_W 6.8       /* an estimate of a 12px sans-serif character */

/* Colour-blind safe (Okabe and Ito); the shape and the dash of a line
 * tell it apart as well. */
static const char *const palette[] = {
	"#0072B2", "#D55E00", "#009E73", "#CC79A7",
	"#E69F00", "#56B4E9", "#000000", "#8C6D31",
};
#define NPALETTE (sizeof palette / sizeof *palette)
static const char *const dashes[] = {"", "7 4", "2 3", "9 3 2 3"};
#define NDASHES (sizeof dashes / sizeof *dashes)
static const char *const shape_names[] = {
	"circle", "square", "triangle", "diamond", "inverted triangle",
	"plus",
};
#define NSHAPES (sizeof shape_names / sizeof *shape_names)

/* Marker shape k at (x, y), as path data. */
static void marker_path(struct strbuf *sb, size_t k, double x, double y)
{
	switch (k % NSHAPES) {
	case 0:
		strbuf_addf(sb, "M%.1f %.1fa4 4 0 1 0 8 0a4 4 0 1 0 -8 0Z",
			    x - 4, y);
		break;
	case 1:
		strbuf_addf(sb, "M%.1f %.1fh7v7h-7Z", x - 3.5, y - 3.5);
		break;
	case 2:
		strbuf_addf(sb, "M%.1f %.1fl4.5 8h-9Z", x, y - 5);
		break;
	case 3:
		strbuf_addf(sb, "M%.1f %.1fl5 5l-5 5l-5 -5Z", x, y - 5);
		break;
	case 4:
		strbuf_addf(sb, "M%.1f %.1fl4.5 -8h-9Z", x, y + 5);
		break;
	default:
		strbuf_addf(sb, "M%.1f %.1fh3v-3h3v3h3v3h-3v3h-3v-3h-3Z",
			    x - 4.5, y - 1.5);
		break;
	}
}

/* A round axis over [mn, mx]: *lo, *hi on multiples of *step, about
 * five steps. */
static void nice_axis(double mn, double mx, double *lo, double *hi,
		      double *step)
{
	static const double steps[] = {1, 2, 2.5, 5, 10};
	if (!(mx > mn)) {
		mn -= 0.05;
		mx += 0.05;
	}
	double raw = (mx - mn) / 5;
	double mag = pow(10, floor(log10(raw)));
	double st = 10 * mag;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (steps[i] * mag >= raw) {
			st = steps[i] * mag;
			break;
		}
	*lo = floor(mn / st + 1e-9) * st;
	*hi = ceil(mx / st - 1e-9) * st;
	*step = st;
}

/* Decimals that write every multiple of step exactly. */
static int step_decimals(double step)
{
	int d = 0;
	while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) >
				1e-9)
		d++;
	return d;
}

/* A line chart. */
struct chart {
	const char *id;        /* "chart-tpr-1" */
	const char *kind;      /* "tpr": class chart-tpr */
	const char *feature;   /* data-feature, or NULL */
	const char *title;     /* the SVG's <title>, escaped here */
	const char *what;      /* the value's name, in each point's title */
	const char *axis;      /* the y axis's name */
	double threshold;      /* the policy's line, RATE_UNDEFINED: none */
	const char *threshold_label;
	int rate;              /* the axis stays within [0, 1] */
};

/* One point's tooltip: "B, r05: TPR 0.559 [0.527, 0.590]". */
static void point_title(struct strbuf *sb, const struct chart *c,
			const struct series *s, const char *run, size_t i)
{
	const struct aggregate_ci *a = &s->pt[i];
	strbuf_addstr(sb, "<title>");
	esc(sb, s->name);
	strbuf_addstr(sb, ", ");
	esc(sb, run);
	strbuf_addf(sb, ": %s ", c->what);
	add_rate(sb, a->value);
	if (rate_defined(a->ci.low) && rate_defined(a->ci.high))
		strbuf_addf(sb, " [%.3f, %.3f]", a->ci.low, a->ci.high);
	if (a->metric != NULL)
		strbuf_addf(sb, ", %s", a->established ? "established"
							: "not established");
	if (s->low_n[i])
		strbuf_addstr(sb, ", low-n");
	strbuf_addstr(sb, "</title>");
}

struct end_label {
	size_t series;
	double y;
};

static int end_label_cmp(const void *x, const void *y)
{
	const struct end_label *a = x, *b = y;
	return (a->y > b->y) - (a->y < b->y);
}

static void chart_lines(struct strbuf *sb, const struct report *r,
			const struct chart *c, const struct series_set *set)
{
	size_t nruns = r->nruns, ns = set->n;
	double pw = CHART_W - PLOT_LEFT - PLOT_RIGHT;
	double slot = pw / (double)(nruns ? nruns : 1);
	double mn = INFINITY, mx = -INFINITY;
	for (size_t k = 0; k < ns; k++)
		for (size_t i = 0; i < nruns; i++) {
			const struct aggregate_ci *a = &set->s[k].pt[i];
			double v[3] = {a->value, a->ci.low, a->ci.high};
			for (int j = 0; j < (rate_defined(a->value) ? 3 : 0);
			     j++)
				if (rate_defined(v[j])) {
					mn = fmin(mn, v[j]);
					mx = fmax(mx, v[j]);
				}
		}
	int empty = !(mx >= mn);
	if (empty) {
		mn = 0;
		mx = c->rate ? 1 : 0.1;
	}
	if (rate_defined(c->threshold)) {
		mn = fmin(mn, c->threshold);
		mx = fmax(mx, c->threshold);
	}
	if (!c->rate)
		mn = fmin(mn, 0); /* a difference: from 0 at least */
	double lo, hi, step;
	nice_axis(mn, mx, &lo, &hi, &step);
	if (c->rate) {
		lo = fmax(lo, 0);
		hi = fmin(hi, 1);
	}
	int dec = step_decimals(step);

	/* the legend's rows, over the plot */
	double lx = PLOT_LEFT, legend_rows = 1;
	for (size_t k = 0; k < ns; k++) {
		double w = 34 + CHAR_W * (double)label_chars(set->s[k].name);
		if (lx + w > CHART_W - 10 && lx > PLOT_LEFT) {
			legend_rows++;
			lx = PLOT_LEFT;
		}
		lx += w;
	}
	double top = 14 + 18 * legend_rows + 14;
	size_t maxkey = 1;
	for (size_t i = 0; i < nruns; i++)
		if (label_chars(r->runs[i].key) > maxkey)
			maxkey = label_chars(r->runs[i].key);
	int rotate = CHAR_W * (double)maxkey + 8 > slot;
	size_t every = rotate ? (size_t)ceil(16 / slot) : 1;
	if (every == 0)
		every = 1;
	double bottom = rotate ? 96 : 52;
	double height = top + PLOT_H + bottom;
#define Y(v) (top + PLOT_H * (1 - ((v) - lo) / (hi - lo)))
#define X(i) (PLOT_LEFT + slot * ((double)(i) + 0.5))

	strbuf_addf(sb, "<svg class=\"chart chart-%s\" id=\"%s\"", c->kind,
		    c->id);
	if (c->feature != NULL) {
		strbuf_addstr(sb, " data-feature=\"");
		esc(sb, c->feature);
		strbuf_addch(sb, '"');
	}
	strbuf_addf(sb, " data-runs=\"%zu\" data-series=\"%zu\" "
		    "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
		    "role=\"img\" aria-labelledby=\"%s-title\">\n"
		    "<title id=\"%s-title\">", nruns, ns, CHART_W, height,
		    CHART_W, height, c->id, c->id);
	esc(sb, c->title);
	strbuf_addstr(sb, "</title>\n");

	/* axes and grid */
	strbuf_addstr(sb, "<g class=\"axis axis-y\">\n");
	for (double t = lo; t <= hi + step / 2; t += step) {
		double y = Y(t);
		strbuf_addf(sb, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" "
			    "x2=\"%.1f\" y2=\"%.1f\"/><text class=\"tick\" "
			    "x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
			    "%.*f</text>\n", PLOT_LEFT, y, PLOT_LEFT + pw, y,
			    PLOT_LEFT - 6, y + 4, dec, fabs(t) < step / 1e6
							  ? 0.0 : t);
	}
	strbuf_addf(sb, "<text class=\"axis-name\" transform=\"translate(16 "
		    "%.1f) rotate(-90)\" text-anchor=\"middle\">", top +
		    PLOT_H / 2);
	esc(sb, c->axis);
	strbuf_addstr(sb, "</text>\n</g>\n<g class=\"axis axis-x\">\n");
	strbuf_addf(sb, "<line class=\"axis-line\" x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\"/>\n", PLOT_LEFT, top + PLOT_H,
		    PLOT_LEFT + pw, top + PLOT_H);
	for (size_t i = 0; i < nruns; i++) {
		double x = X(i), y = top + PLOT_H;
		strbuf_addf(sb, "<line class=\"tick-mark\" x1=\"%.1f\" "
			    "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, y, x,
			    y + 4);
		if (i % every != 0)
			continue;
		if (rotate)
			strbuf_addf(sb, "<text class=\"run\" transform=\""
				    "translate(%.1f %.1f) rotate(-45)\" "
				    "text-anchor=\"end\">", x + 3, y + 14);
		else
			strbuf_addf(sb, "<text class=\"run\" x=\"%.1f\" "
				    "y=\"%.1f\" text-anchor=\"middle\">", x,
				    y + 18);
		esc_cut(sb, r->runs[i].key, 16);
		strbuf_addstr(sb, "</text>\n");
	}
	strbuf_addf(sb, "<text class=\"axis-name\" x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\">runs, oldest first</text>\n"
		    "</g>\n", PLOT_LEFT + pw / 2, height - 8);

	/* the policy's line */
	if (rate_defined(c->threshold)) {
		double y = Y(c->threshold);
		strbuf_addf(sb, "<g class=\"policy\"><line class=\"policy-line\""
			    " x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
			    "<text class=\"policy-label\" x=\"%.1f\" y=\"%.1f\""
			    " text-anchor=\"end\">", PLOT_LEFT, y,
			    PLOT_LEFT + pw, y, PLOT_LEFT + pw - 4, y - 6);
		esc(sb, c->threshold_label);
		strbuf_addstr(sb, "</text></g>\n");
	}
	if (empty)
		strbuf_addf(sb, "<text class=\"no-data\" x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\">no value in any run "
			    "(n/a)</text>\n", PLOT_LEFT + pw / 2,
			    top + PLOT_H / 2);

	/* the lines' names at their last points, pushed apart */
	struct end_label *ends = calloc(ns ? ns : 1, sizeof *ends);
	size_t nends = 0;
	if (ends == NULL) {
		sb->failed = 1;
		return;
	}
	for (size_t k = 0; k < ns; k++)
		for (size_t i = nruns; i-- > 0;)
			if (rate_defined(set->s[k].pt[i].value)) {
				ends[nends].series = k;
				ends[nends].y = Y(set->s[k].pt[i].value);
				nends++;
				break;
			}
	qsort(ends, nends, sizeof *ends, end_label_cmp);
	for (size_t e = 1; e < nends; e++)
		if (ends[e].y < ends[e - 1].y + 13)
			ends[e].y = ends[e - 1].y + 13;
	if (nends > 0 && ends[nends - 1].y > top + PLOT_H + 30) {
		double up = ends[nends - 1].y - (top + PLOT_H + 30);
		for (size_t e = 0; e < nends; e++)
			ends[e].y -= up;
	}

	/* the lines */
	double dodge = fmin(5, slot / (double)(ns + 1));
	lx = PLOT_LEFT;
	double ly = 14;
	for (size_t k = 0; k < ns; k++) {
		const struct series *s = &set->s[k];
		const char *colour = palette[k % NPALETTE];
		const char *dash = dashes[k % NDASHES];
		double dx = ((double)k - (double)(ns - 1) / 2) * dodge;
		strbuf_addstr(sb, "<g class=\"series series-");
		class_token(sb, s->name);
		strbuf_addstr(sb, "\" data-series=\"");
		esc(sb, s->name);
		strbuf_addf(sb, "\" data-shape=\"%s\" stroke=\"%s\" "
			    "fill=\"%s\">\n", shape_names[k % NSHAPES], colour,
			    colour);
		/* the legend's entry */
		double w = 34 + CHAR_W * (double)label_chars(s->name);
		if (lx + w > CHART_W - 10 && lx > PLOT_LEFT) {
			ly += 18;
			lx = PLOT_LEFT;
		}
		strbuf_addf(sb, "<g class=\"legend\"><line x1=\"%.1f\" "
			    "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			    "stroke-width=\"2\"%s%s%s/><path class=\"legend-mark\" d=\"",
			    lx, ly, lx + 24, ly, dash[0] ? " stroke-dasharray=\"" : "",
			    dash, dash[0] ? "\"" : "");
		marker_path(sb, k, lx + 12, ly);
		strbuf_addf(sb, "\"/><text x=\"%.1f\" y=\"%.1f\" stroke=\"none\" "
			    "fill=\"#222\">", lx + 30, ly + 4);
		esc(sb, s->name);
		strbuf_addstr(sb, "</text></g>\n");
		lx += w;

		/* the line, broken where a value is undefined */
		strbuf_addstr(sb, "<path class=\"line\" fill=\"none\" "
			      "stroke-width=\"2\"");
		if (dash[0])
			strbuf_addf(sb, " stroke-dasharray=\"%s\"", dash);
		strbuf_addstr(sb, " d=\"");
		int pen = 0, drawn = 0;
		for (size_t i = 0; i < nruns; i++) {
			double v = s->pt[i].value;
			if (!rate_defined(v)) {
				pen = 0;
				continue;
			}
			strbuf_addf(sb, "%s%.1f %.1f", pen ? "L" : "M",
				    X(i) + dx, Y(v));
			pen = 1;
			drawn = 1;
		}
		if (!drawn) /* an empty path: nothing drawn, still valid */
			strbuf_addf(sb, "M%.1f %.1f", PLOT_LEFT, top + PLOT_H);
		strbuf_addstr(sb, "\"/>\n");
		/* the intervals, as whiskers */
		strbuf_addstr(sb, "<path class=\"whiskers\" fill=\"none\" "
			      "stroke-width=\"1\" d=\"");
		for (size_t i = 0; i < nruns; i++) {
			const struct aggregate_ci *a = &s->pt[i];
			if (!rate_defined(a->value) ||
			    !rate_defined(a->ci.low) ||
			    !rate_defined(a->ci.high))
				continue;
			double x = X(i) + dx;
			double y0 = Y(fmax(a->ci.low, lo));
			double y1 = Y(fmin(a->ci.high, hi));
			strbuf_addf(sb, "M%.1f %.1fV%.1fM%.1f %.1fh6M%.1f "
				    "%.1fh6", x, y0, y1, x - 3, y0, x - 3, y1);
		}
		strbuf_addstr(sb, "\"/>\n");
		for (size_t i = 0; i < nruns; i++) {
			if (!rate_defined(s->pt[i].value))
				continue;
			strbuf_addf(sb, "<path class=\"point%s\"%s d=\"",
				    s->low_n[i] ? " low-n" : "",
				    s->low_n[i] ? " fill=\"#fff\"" : "");
			marker_path(sb, k, X(i) + dx, Y(s->pt[i].value));
			strbuf_addstr(sb, "\">");
			point_title(sb, c, s, r->runs[i].key, i);
			strbuf_addstr(sb, "</path>\n");
		}
		for (size_t e = 0; e < nends; e++)
			if (ends[e].series == k) {
				strbuf_addf(sb, "<text class=\"end-label\" "
					    "x=\"%.1f\" y=\"%.1f\" "
					    "stroke=\"none\">",
					    PLOT_LEFT + pw + 10, ends[e].y + 4);
				esc_cut(sb, s->name, 18);
				strbuf_addstr(sb, "</text>\n");
			}
		strbuf_addstr(sb, "</g>\n");
	}
	free(ends);
	strbuf_addstr(sb, "</svg>\n");
#undef X
#undef Y
}

/* --- the deployments on a time axis -------------------------------- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

/* An ISO 8601 time in days since the epoch; RATE_UNDEFINED when it is
 * not one. */
static double time_days(const char *s)
{
	char utc[32];
	int y, mo, d, h, mi, se;
	if (s == NULL || isotime_utc(s, utc, sizeof utc) != 0 ||
	    sscanf(utc, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &se) != 6)
		return RATE_UNDEFINED;
	return (double)days_from_civil(y, (unsigned)mo, (unsigned)d) +
	       (h * 3600.0 + mi * 60.0 + se) / 86400.0;
}

static int double_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* A time axis that leaves out long quiet stretches: each gap between
 * two successive times counts at most `cap` days (four times the median
 * gap, a day at least), and a gap cut so is drawn as a break. */
struct time_axis {
	double *t, *pos; /* the times, sorted; their place, in days */
	size_t n;
	double cap, total;
};

static int time_axis_init(struct time_axis *ax, const double *times,
			  size_t n)
{
	memset(ax, 0, sizeof *ax);
	ax->t = malloc((n ? n : 1) * sizeof *ax->t);
	ax->pos = malloc((n ? n : 1) * sizeof *ax->pos);
	double *gaps = malloc((n ? n : 1) * sizeof *gaps);
	if (ax->t == NULL || ax->pos == NULL || gaps == NULL) {
		free(gaps);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (rate_defined(times[i]))
			ax->t[ax->n++] = times[i];
	qsort(ax->t, ax->n, sizeof *ax->t, double_cmp);
	size_t ng = 0;
	for (size_t i = 1; i < ax->n; i++)
		if (ax->t[i] > ax->t[i - 1])
			gaps[ng++] = ax->t[i] - ax->t[i - 1];
	qsort(gaps, ng, sizeof *gaps, double_cmp);
	ax->cap = ng ? fmax(4 * gaps[ng / 2], 1) : 1;
	free(gaps);
	for (size_t i = 0; i < ax->n; i++)
		ax->pos[i] = i ? ax->pos[i - 1] +
					 fmin(ax->t[i] - ax->t[i - 1], ax->cap)
			       : 0;
	ax->total = ax->n ? ax->pos[ax->n - 1] : 0;
	return 0;
}

static void time_axis_release(struct time_axis *ax)
{
	free(ax->t);
	free(ax->pos);
}

/* The place of time t (one of the axis's) from 0 to 1. */
static double time_axis_at(const struct time_axis *ax, double t)
{
	if (!(ax->total > 0))
		return 0.5;
	size_t lo = 0, hi = ax->n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (ax->t[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	double over = t - ax->t[lo];
	return (ax->pos[lo] + fmin(fmax(over, 0), ax->cap)) / ax->total;
}

/* Labels in rows that do not overlap: the first row whose last label
 * ends left of x0, else the row that ends first. */
#define LABEL_ROWS 4
static int label_row(double ends[LABEL_ROWS], double x0, double x1)
{
	int best = 0;
	for (int k = 0; k < LABEL_ROWS; k++) {
		if (ends[k] + 8 <= x0) {
			ends[k] = x1;
			return k;
		}
		if (ends[k] < ends[best])
			best = k;
	}
	ends[best] = x1;
	return best;
}

/* The width of a deployment's two lines of label: "ROLLBACK to RUN"
 * and "YYYY-MM-DD by ACTOR", as esc_cut() cuts them. */
static double deployment_label_width(const struct stored_deployment *d)
{
	size_t run = label_chars(d->run_key), actor = label_chars(d->actor);
	size_t l1 = 12 + (run > 16 ? 17 : run);
	size_t l2 = 14 + (actor > 24 ? 25 : actor);
	return CHAR_W * (double)(l1 > l2 ? l1 : l2);
}

static const char *date_of(char *buf, size_t size, const char *t)
{
	snprintf(buf, size, "%.10s", t ? t : "");
	return buf;
}

static void chart_timeline(struct strbuf *sb, const struct report *r)
{
	size_t nd = r->ndep, nr = r->nruns;
	char now[64], date[16];
	store_now(now, sizeof now);
	double tnow = time_days(now);
	double *times = malloc((nd + nr + 1) * sizeof *times);
	double *dx = malloc((nd ? nd : 1) * sizeof *dx);
	double *rx = malloc((nr ? nr : 1) * sizeof *rx);
	int *drow = malloc((nd ? nd : 1) * sizeof *drow);
	int *rrow = malloc((nr ? nr : 1) * sizeof *rrow);
	struct time_axis ax;
	memset(&ax, 0, sizeof ax);
	if (times == NULL || dx == NULL || rx == NULL || drow == NULL ||
	    rrow == NULL)
		goto oom;
	size_t nt = 0;
	for (size_t i = 0; i < nd; i++)
		times[nt++] = time_days(r->dep[i].time);
	for (size_t i = 0; i < nr; i++)
		times[nt++] = time_days(r->runs[i].started_at);
	/* an override still in production: its exposure runs to now */
	int open_override = 0;
	for (size_t i = nd; i-- > 0;)
		if (strcmp(r->dep[i].state, "done") == 0) {
			open_override = strcmp(r->dep[i].kind, "override") == 0;
			break;
		}
	if (open_override)
		times[nt++] = tnow;
	if (time_axis_init(&ax, times, nt) != 0)
		goto oom;

	double left = 30, pw = CHART_W - 60;
	double rends[LABEL_ROWS], dends[LABEL_ROWS];
	int rrows = 1, drows = 1;
	for (int k = 0; k < LABEL_ROWS; k++)
		rends[k] = dends[k] = -INFINITY;
	for (size_t i = 0; i < nr; i++) {
		double t = time_days(r->runs[i].started_at);
		rx[i] = rate_defined(t) ? left + pw * time_axis_at(&ax, t)
					: RATE_UNDEFINED;
		if (!rate_defined(rx[i]))
			continue;
		double w = CHAR_W * (double)(label_chars(r->runs[i].key) > 16
						     ? 17
						     : label_chars(r->runs[i].key));
		rrow[i] = label_row(rends, rx[i] - w / 2, rx[i] + w / 2);
		if (rrow[i] + 1 > rrows)
			rrows = rrow[i] + 1;
	}
	for (size_t i = 0; i < nd; i++) {
		double t = time_days(r->dep[i].time);
		dx[i] = rate_defined(t) ? left + pw * time_axis_at(&ax, t)
					: RATE_UNDEFINED;
		if (!rate_defined(dx[i]))
			continue;
		double w = deployment_label_width(&r->dep[i]);
		double x0 = dx[i] - 4;
		if (x0 + w > CHART_W - 4)
			x0 = dx[i] + 4 - w;
		drow[i] = label_row(dends, x0, x0 + w);
		if (drow[i] + 1 > drows)
			drows = drow[i] + 1;
	}
	double legend_y = 16;
	double run_top = 40;                      /* runs' labels */
	double axis_y = run_top + 14.0 * rrows + 34;
	double height = axis_y + 30 + 34.0 * drows + 10;

	strbuf_addf(sb, "<svg class=\"chart chart-timeline\" "
		    "id=\"chart-timeline\" data-deployments=\"%zu\" "
		    "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
		    "height=\"%.0f\" role=\"img\" "
		    "aria-labelledby=\"chart-timeline-title\">\n"
		    "<title id=\"chart-timeline-title\">Deployments and run "
		    "starts on a time axis</title>\n", nd, CHART_W, height,
		    CHART_W, height);
	/* the legend: each key's mark, then its words */
	static const struct {
		const char *mark; /* path data from (0, 0), the text's baseline */
		const char *attr, *text;
	} keys[] = {
		{"M0 -4a5 5 0 1 0 10 0a5 5 0 1 0 -10 0Z", "fill=\"#0072B2\"",
		 "deploy"},
		{"M6 -12l7 12h-14Z", "fill=\"#C00000\"",
		 "OVERRIDE (despite the policy)"},
		{"M0 -9h10v10h-10Z", "fill=\"#000\"", "ROLLBACK"},
		{"M4 -10v12", "stroke=\"#666\" stroke-width=\"2\"",
		 "run started"},
		{"M0 -9h16v10h-16Z", "class=\"exposure-key\"",
		 "override in production"},
		{"M2 2l4 -12M7 2l4 -12", "stroke=\"#333\"",
		 "long gap, shortened"},
	};
	strbuf_addstr(sb, "<g class=\"legend\">");
	double kx = left;
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		strbuf_addf(sb, "<g transform=\"translate(%.1f %.1f)\"><path "
			    "d=\"%s\" %s/><text x=\"22\" y=\"0\"%s>%s</text>"
			    "</g>", kx, legend_y, keys[k].mark, keys[k].attr,
			    k == 1 ? " class=\"loud\" fill=\"#C00000\"" : "",
			    keys[k].text);
		kx += 22 + CHAR_W * (double)strlen(keys[k].text) + 18;
	}
	strbuf_addstr(sb, "</g>\n");

	/* the exposure windows: from an override done to the next
	 * deployment done, or to now */
	for (size_t i = 0; i < nd; i++) {
		if (strcmp(r->dep[i].kind, "override") != 0 ||
		    strcmp(r->dep[i].state, "done") != 0 ||
		    !rate_defined(dx[i]))
			continue;
		double t0 = time_days(r->dep[i].time), t1 = tnow;
		const char *until = "now";
		for (size_t k = i + 1; k < nd; k++)
			if (strcmp(r->dep[k].state, "done") == 0) {
				t1 = time_days(r->dep[k].time);
				until = r->dep[k].kind;
				break;
			}
		if (!rate_defined(t1))
			continue;
		double x1 = left + pw * time_axis_at(&ax, t1);
		strbuf_addf(sb, "<g class=\"exposure\"><rect x=\"%.1f\" "
			    "y=\"%.1f\" width=\"%.1f\" height=\"28\"/>"
			    "<text x=\"%.1f\" y=\"%.1f\" class=\"exposure-label\">",
			    dx[i], axis_y - 14, fmax(x1 - dx[i], 2),
			    dx[i] + 4, axis_y - 18);
		esc_cut(sb, r->dep[i].run_key, 16);
		strbuf_addf(sb, " in production after the override: %.1f days "
			    "(until %s)</text></g>\n", t1 - t0,
			    strcmp(until, "now") == 0 ? "now" : until);
	}

	/* the axis, its breaks */
	strbuf_addf(sb, "<line class=\"axis-line\" x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\"/>\n", left, axis_y, left + pw,
		    axis_y);
	for (size_t i = 1; i < ax.n; i++) {
		double gap = ax.t[i] - ax.t[i - 1];
		if (gap <= ax.cap)
			continue;
		double x = left + pw * (ax.pos[i - 1] + ax.cap / 2) / ax.total;
		strbuf_addf(sb, "<g class=\"axis-break\"><rect x=\"%.1f\" "
			    "y=\"%.1f\" width=\"10\" height=\"12\" "
			    "fill=\"#fff\"/><path d=\"M%.1f %.1fl4 -12M%.1f "
			    "%.1fl4 -12\" stroke=\"#333\"/><text x=\"%.1f\" "
			    "y=\"%.1f\" text-anchor=\"middle\">%.0f days</text>"
			    "</g>\n", x - 5, axis_y - 6, x - 5, axis_y + 6,
			    x + 1, axis_y + 6, x, axis_y + 20, gap);
	}

	/* the runs' starts, over the axis */
	for (size_t i = 0; i < nr; i++) {
		if (!rate_defined(rx[i]))
			continue;
		double y = run_top + 14.0 * rrow[i];
		strbuf_addf(sb, "<g class=\"run-start\" data-run=\"");
		esc(sb, r->runs[i].key);
		strbuf_addf(sb, "\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\"/><text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\"><title>", rx[i], y + 3,
			    rx[i], axis_y - 2, rx[i], y);
		esc(sb, r->runs[i].key);
		strbuf_addstr(sb, " started ");
		esc(sb, r->runs[i].started_at);
		strbuf_addstr(sb, "</title>");
		esc_cut(sb, r->runs[i].key, 16);
		strbuf_addstr(sb, "</text></g>\n");
	}

	/* the deployments, on it */
	for (size_t i = 0; i < nd; i++) {
		const struct stored_deployment *d = &r->dep[i];
		if (!rate_defined(dx[i]))
			continue;
		int override = strcmp(d->kind, "override") == 0;
		int rollback = strcmp(d->kind, "rollback") == 0;
		int done = strcmp(d->state, "done") == 0;
		const char *colour = override ? "#C00000"
				     : rollback ? "#000000"
						: "#0072B2";
		strbuf_addf(sb, "<g class=\"mark mark-%s%s\" data-run=\"",
			    override ? "override"
			    : rollback ? "rollback"
				       : "deploy",
			    done ? "" : " mark-not-done");
		esc(sb, d->run_key);
		strbuf_addf(sb, "\" data-state=\"");
		esc(sb, d->state);
		strbuf_addf(sb, "\" fill=\"%s\" stroke=\"%s\">", done ? colour
								   : "#fff",
			    colour);
		double x = dx[i], y = axis_y;
		strbuf_addstr(sb, "<path class=\"mark-shape\" d=\"");
		if (override)
			strbuf_addf(sb, "M%.1f %.1fl9 15h-18Z", x, y - 10);
		else if (rollback)
			strbuf_addf(sb, "M%.1f %.1fh12v12h-12Z", x - 6, y - 6);
		else
			strbuf_addf(sb, "M%.1f %.1fa6 6 0 1 0 12 0a6 6 0 1 0 "
				    "-12 0Z", x - 6, y);
		strbuf_addstr(sb, "\"><title>");
		esc(sb, d->kind);
		strbuf_addstr(sb, " of ");
		esc(sb, d->run_key);
		strbuf_addstr(sb, " at ");
		esc(sb, d->time);
		strbuf_addstr(sb, " by ");
		esc(sb, d->actor);
		strbuf_addstr(sb, ": ");
		esc(sb, d->reason);
		strbuf_addstr(sb, "</title></path>");
		double w = deployment_label_width(d);
		double x0 = x - 4;
		const char *anchor = "start";
		if (x0 + w > CHART_W - 4) {
			x0 = x + 4;
			anchor = "end";
		}
		double ly = axis_y + 30 + 34.0 * drow[i];
		strbuf_addf(sb, "<line class=\"leader\" x1=\"%.1f\" y1=\"%.1f\" "
			    "x2=\"%.1f\" y2=\"%.1f\"/>", x, y + 8, x, ly - 11);
		strbuf_addf(sb, "<text class=\"mark-label%s\" x=\"%.1f\" "
			    "y=\"%.1f\" text-anchor=\"%s\" stroke=\"none\" "
			    "fill=\"%s\">%s ", override ? " loud" : "", x0, ly,
			    anchor, override ? "#C00000" : "#111",
			    override   ? "OVERRIDE"
			    : rollback ? "ROLLBACK to"
				       : "deploy");
		esc_cut(sb, d->run_key, 16);
		if (!done) {
			strbuf_addstr(sb, " (");
			esc(sb, d->state);
			strbuf_addstr(sb, ")");
		}
		strbuf_addf(sb, "</text><text class=\"mark-detail\" x=\"%.1f\" "
			    "y=\"%.1f\" text-anchor=\"%s\" stroke=\"none\" "
			    "fill=\"#333\">%s by ", x0, ly + 14, anchor,
			    date_of(date, sizeof date, d->time));
		esc_cut(sb, d->actor, 24);
		strbuf_addstr(sb, "</text></g>\n");
	}
	if (nd == 0)
		strbuf_addf(sb, "<text class=\"no-data\" x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\">no deployment on record"
			    "</text>\n", left + pw / 2, axis_y + 30);
	strbuf_addstr(sb, "</svg>\n");
	goto out;
oom:
	sb->failed = 1;
out:
	time_axis_release(&ax);
	free(times);
	free(dx);
	free(rx);
	free(drow);
	free(rrow);
}

/* --- gathering ------------------------------------------------------- */

/* A group's rows as the disparity plan counts them (core/disparity.c):
 * its rows, else its weighted count. */
static double group_rows(const struct summary_input *g)
{
	if (g->counts.rows >= 0)
		return (double)g->counts.rows;
	return g->counts.tp + g->counts.fp + g->counts.tn + g->counts.fn;
}

/* Run i's points: its groups' rates, its features' aggregates. */
static int gather_rates(struct report *r, size_t i, const struct loaded_run *lr,
			const struct run_disparity *rd)
{
	const struct run_summary *sm = &lr->summary;
	double min_rows = policy_get(r->p, POLICY_MIN_GROUP_SIZE);
	for (size_t k = 0; k < sm->nfeatures; k++) {
		const struct summary_feature *sf = &sm->features[k];
		if (sf->kind == SUMMARY_OVERALL)
			continue;
		const struct feature_disparity *fd =
			rundisparity_of(rd, sm, sf);
		struct series *dp = series_get(&r->dp, sf->name, r->nruns);
		struct series *dpr = series_get(&r->dpr, sf->name, r->nruns);
		struct series *eo = series_get(&r->eo, sf->name, r->nruns);
		if (dp == NULL || dpr == NULL || eo == NULL)
			return -1;
		if (fd != NULL) {
			dp->pt[i] = fd->dp_difference;
			dpr->pt[i] = fd->dp_ratio;
			eo->pt[i] = fd->eo_difference;
		}
		if (sf->kind != SUMMARY_FEATURE)
			continue;
		struct feature_rates *fr = feature_get(r, sf->name);
		if (fr == NULL)
			return -1;
		for (size_t g = sf->first; g < sf->first + sf->count; g++) {
			const struct summary_input *in = &lr->input[g];
			const struct rates *rt = &sm->rates[g];
			struct interval iv[GROUP_RATES];
			interval_group_rates(&in->counts, rt, WILSON_Z95, iv);
			struct series *tpr = series_get(&fr->tpr, in->label,
							r->nruns);
			struct series *sel = series_get(&fr->sel, in->label,
							r->nruns);
			if (tpr == NULL || sel == NULL)
				return -1;
			int low = group_rows(in) < min_rows;
			tpr->pt[i].value = rt->tpr;
			tpr->pt[i].ci = iv[GROUP_RATE_TPR];
			tpr->low_n[i] = (unsigned char)low;
			sel->pt[i].value = rt->selection_rate;
			sel->pt[i].ci = iv[GROUP_RATE_SELECTION];
			sel->low_n[i] = (unsigned char)low;
		}
	}
	return 0;
}

static void verdict_item(struct strbuf *sb, const char *what,
			 const struct run_verdict *v)
{
	char *line = verdict_line_new(v);
	strbuf_addf(sb, "<li><span class=\"verdict %s\">%s</span> %s: ",
		    v->passed ? "pass" : "fail", v->passed ? "pass" : "FAIL",
		    what);
	if (line == NULL)
		sb->failed = 1;
	else
		esc(sb, line);
	free(line);
	strbuf_addstr(sb, "</li>\n");
}

static void number_cell(struct strbuf *sb, double v)
{
	strbuf_addstr(sb, "<td class=\"num\">");
	add_rate(sb, v);
	strbuf_addstr(sb, "</td>");
}

/* Run i's section of the findings: its verdicts, then every finding of
 * its verdict at arrival in full. */
static void findings_section(struct strbuf *sb, const struct stored_run *run,
			     size_t i, const struct run_verdict v[VERDICT_KINDS],
			     const struct judgement *j)
{
	strbuf_addf(sb, "<section class=\"run-findings\" id=\"run-%zu\" "
		    "data-run=\"", i + 1);
	esc(sb, run->key);
	strbuf_addstr(sb, "\">\n<h3>");
	esc(sb, run->key);
	strbuf_addstr(sb, " <small>");
	esc(sb, run->model);
	if (run->version != NULL) {
		strbuf_addch(sb, ' ');
		esc(sb, run->version);
	}
	strbuf_addstr(sb, ", started ");
	esc(sb, run->started_at);
	strbuf_addstr(sb, "</small></h3>\n<ul class=\"verdicts\">\n");
	verdict_item(sb, "fair (on its own)", &v[VERDICT_FAIR]);
	verdict_item(sb, "vs production", &v[VERDICT_VS_PROD]);
	verdict_item(sb, "at arrival", &v[VERDICT_AT_ARRIVAL]);
	strbuf_addstr(sb, "</ul>\n");
	const struct run_verdict *a = &v[VERDICT_AT_ARRIVAL];
	strbuf_addstr(sb, "<p class=\"which\">Findings of the verdict at "
		      "arrival, ");
	if (a->baseline[0]) {
		strbuf_addstr(sb, "against ");
		esc(sb, a->baseline);
		strbuf_addstr(sb, ", in production when the run started:");
	} else {
		strbuf_addstr(sb, "on its own");
		if (a->note[0]) {
			strbuf_addstr(sb, " (");
			esc(sb, a->note);
			strbuf_addstr(sb, ")");
		}
		strbuf_addch(sb, ':');
	}
	strbuf_addstr(sb, "</p>\n");
	if (j->nfindings == 0) {
		strbuf_addstr(sb, "<p class=\"none\">No findings.</p>\n");
	} else {
		strbuf_addstr(sb, "<table class=\"findings\">\n<thead><tr>"
			      "<th>severity</th><th>rule</th><th>feature</th>"
			      "<th>group</th><th>baseline</th>"
			      "<th>candidate</th><th>threshold</th>"
			      "<th>interval</th><th>finding</th></tr></thead>"
			      "\n<tbody>\n");
		for (int sev = FINDING_FAIL; sev <= FINDING_INFO; sev++)
			for (size_t k = 0; k < j->nfindings; k++) {
				const struct finding *x = &j->finding[k];
				if ((int)x->severity != sev)
					continue;
				const char *name =
					finding_severity_name(x->severity);
				strbuf_addf(sb, "<tr class=\"finding sev-%s\">"
					    "<td class=\"sev\">%s</td><td>",
					    name, name);
				esc(sb, x->rule);
				strbuf_addstr(sb, "</td><td>");
				esc(sb, x->feature);
				strbuf_addstr(sb, "</td><td>");
				esc(sb, x->group);
				strbuf_addstr(sb, "</td>");
				number_cell(sb, x->baseline);
				number_cell(sb, x->candidate);
				number_cell(sb, x->threshold);
				strbuf_addstr(sb, "<td class=\"ci\">");
				if (x->established >= 0 &&
				    rate_defined(x->low) &&
				    rate_defined(x->high)) {
					char ci[64];
					struct interval iv = {x->low, x->high};
					disparity_format_interval(iv, ci,
								  sizeof ci);
					esc(sb, ci);
					strbuf_addch(sb, ' ');
				}
				if (x->established >= 0)
					strbuf_addstr(sb, x->established
						? "established"
						: "not established");
				strbuf_addstr(sb, "</td><td class=\"message\">");
				esc(sb, x->message);
				strbuf_addstr(sb, "</td></tr>\n");
			}
		strbuf_addstr(sb, "</tbody>\n</table>\n");
	}
	if (j->performance_note[0]) {
		strbuf_addstr(sb, "<p class=\"perf\">Performance (not weighed "
			      "by the gate): ");
		esc(sb, j->performance_note);
		strbuf_addstr(sb, "</p>\n");
	}
	strbuf_addstr(sb, "</section>\n");
}

/* Everything the page shows, read once. */
static int gather(struct report *r, struct store *s, struct fail *f)
{
	struct verdict_ctx vc;
	int rc = -1;
	memset(&vc, 0, sizeof vc);
	if (timeline_load(s, r->p, &r->t, f) != 0 ||
	    store_list_runs(s, &r->runs, &r->nruns, f) != 0 ||
	    store_deployments_list(s, &r->dep, &r->ndep, f) != 0 ||
	    verdict_ctx_init(&vc, s, r->p, f) != 0)
		goto out;
	for (size_t i = 0; i < r->nruns; i++) {
		struct judged_run jr;
		struct run_disparity rd;
		struct judgement j;
		struct run_verdict v[VERDICT_KINDS], va;
		const struct judged_run *base;
		memset(&jr, 0, sizeof jr);
		memset(&rd, 0, sizeof rd);
		memset(&j, 0, sizeof j);
		memset(v, 0, sizeof v);
		memset(&va, 0, sizeof va);
		int ok = judgeload(s, r->runs[i].key, &jr, f) == 0 &&
			 verdict_ctx_all(&vc, &jr, v, f) == 0 &&
			 verdict_ctx_one(&vc, &jr, VERDICT_AT_ARRIVAL, &va, &j,
					 &base, f) == 0;
		if (ok && (rundisparity_init(&rd, &jr.lr, r->p) != 0 ||
			   gather_rates(r, i, &jr.lr, &rd) != 0)) {
			fail_set(f, FAIL_INTERNAL, "out of memory");
			ok = 0;
		}
		if (ok)
			findings_section(&r->findings, &r->runs[i], i, v, &j);
		judgement_release(&j);
		run_verdicts_release(v);
		run_verdict_release(&va);
		rundisparity_release(&rd);
		judgeload_release(&jr);
		if (!ok)
			goto out;
	}
	/* keep what was judged for the next reader (best effort) */
	struct fail ignored;
	fail_init(&ignored);
	verdict_ctx_flush(&vc, &ignored);
	rc = 0;
out:
	verdict_ctx_release(&vc);
	return rc;
}

/* --- the page -------------------------------------------------------- */

static const char css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,"
	"'DejaVu Sans',sans-serif;color:#111;background:#fff;margin:2em auto;"
	"max-width:1040px;padding:0 1em;line-height:1.4}\n"
	"h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2em;"
	"border-bottom:2px solid #ddd;padding-bottom:.2em}\n"
	"h3 small{font-weight:normal;color:#444}\n"
	".meta{color:#444}\n"
	"table{border-collapse:collapse;margin:.6em 0;font-size:.9em}\n"
	"th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;"
	"vertical-align:top}\nth{background:#f0f0f0}\n"
	"td.num{text-align:right;white-space:nowrap;"
	"font-variant-numeric:tabular-nums}\n"
	"table.findings{width:100%}td.ci{min-width:7em}"
	"td.message{min-width:16em;overflow-wrap:anywhere}\n"
	".sev-FAIL td.sev,.verdict.fail,.loud{color:#B00000;font-weight:bold}"
	"\n.sev-WARN td.sev{color:#8A5300;font-weight:bold}\n"
	".verdict.pass{color:#006B3C;font-weight:bold}\n"
	"tr.override td{background:#FDE4E4}\n"
	"ul.verdicts{margin:.3em 0}\n"
	"figure{margin:1.2em 0;break-inside:avoid;page-break-inside:avoid}\n"
	"figcaption{font-size:.9em;color:#333;max-width:60em}\n"
	"svg.chart{display:block;width:100%;max-width:960px;height:auto;"
	"font-size:12px}\n"
	"svg .grid{stroke:#e3e3e3}svg .tick,svg .run,svg .axis-name{"
	"fill:#333}\n"
	"svg .axis-line,svg .tick-mark{stroke:#333}\n"
	"svg .policy-line{stroke:#111;stroke-width:1.5;"
	"stroke-dasharray:6 4}\n"
	"svg .policy-label{fill:#111;font-weight:bold}\n"
	"svg .end-label{fill:#111}\n"
	"svg .run-start line{stroke:#666;stroke-width:1.5}"
	"svg .run-start text{fill:#444}\n"
	"svg .leader{stroke:#999}\n"
	"svg .exposure rect,svg .exposure-key{fill:#FBD0D0;stroke:none}"
	"svg .exposure-label{fill:#8B0000;font-style:italic}\n"
	"svg .axis-break text{fill:#555;font-size:11px}\n"
	"svg .mark-label.loud{font-weight:bold}\n"
	"@media print{body{margin:0;max-width:none}h2{break-after:avoid}"
	"section.run-findings{break-inside:avoid-page}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void page_head(struct strbuf *sb, const char *store_path)
{
	char now[64];
	store_now(now, sizeof now);
	strbuf_addstr(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		      "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		      "content=\"width=device-width, initial-scale=1\">\n"
		      "<title>fairtop post-mortem report</title>\n<style>\n");
	strbuf_addstr(sb, css);
	strbuf_addstr(sb, "</style>\n</head>\n<body>\n<h1>fairtop post-mortem "
		      "report</h1>\n<p class=\"meta\">Store <code>");
	esc(sb, store_path);
	strbuf_addf(sb, "</code>, generated %s.</p>\n", now);
}

static void summary_section(struct strbuf *sb, const struct report *r)
{
	const struct summary_info *sum = &r->t.sum;
	strbuf_addstr(sb, "<h2 id=\"summary\">Summary</h2>\n<ul class=\"summary\">"
		      "\n<li><strong>Deployed now:</strong> ");
	if (sum->deployed[0]) {
		esc(sb, sum->deployed);
		strbuf_addstr(sb, " (");
		esc(sb, sum->deployed_how);
		strbuf_addstr(sb, ")");
		if (!sum->deployed_in_store)
			strbuf_addstr(sb, ", not in the store");
		else if (sum->deployed_fair)
			strbuf_addstr(sb, ", <span class=\"verdict pass\">"
				      "passes the policy</span>");
		else
			strbuf_addstr(sb, ", <span class=\"verdict fail\">"
				      "FAILS the policy</span>");
	} else {
		strbuf_addstr(sb, "nothing");
	}
	strbuf_addstr(sb, "</li>\n<li><strong>Last fair model:</strong> ");
	esc(sb, sum->last_fair[0] ? sum->last_fair : "none");
	strbuf_addf(sb, "</li>\n<li><strong>Open alerts of production:"
		    "</strong> %zu critical, %zu warning</li>\n"
		    "<li><strong>Findings of other runs (candidates):</strong>"
		    " %zu critical, %zu warning; %zu run%s failing</li>\n"
		    "<li><strong>Overrides ever made:</strong> %zu",
		    sum->open_critical, sum->open_warning,
		    sum->alerts.cand_critical, sum->alerts.cand_warning,
		    sum->alerts.cand_runs_critical,
		    sum->alerts.cand_runs_critical == 1 ? "" : "s",
		    sum->overrides);
	int any = 0;
	for (size_t i = 0; i < r->t.n; i++) {
		const struct event *e = &r->t.e[i];
		if (!e->loud)
			continue;
		strbuf_addstr(sb, any++ ? "" : "\n<ul>");
		strbuf_addstr(sb, "\n<li class=\"loud\">OVERRIDE ");
		esc(sb, e->time);
		strbuf_addstr(sb, ", run ");
		esc(sb, e->run);
		strbuf_addstr(sb, ": ");
		esc(sb, e->text);
		strbuf_addstr(sb, "</li>");
	}
	strbuf_addstr(sb, any ? "\n</ul></li>\n</ul>\n" : "</li>\n</ul>\n");
}

/* The index of the run called key, nruns when none. */
static size_t run_index(const struct report *r, const char *key)
{
	for (size_t i = 0; i < r->nruns; i++)
		if (strcmp(r->runs[i].key, key) == 0)
			return i;
	return r->nruns;
}

static void aggregate_cell(struct strbuf *sb, const struct aggregate_ci *a)
{
	char buf[256];
	strbuf_addstr(sb, "<td class=\"num\">");
	esc(sb, disparity_out_text(buf, sizeof buf, a));
	strbuf_addstr(sb, "</td>");
}

/* The fairness of production and of the last fair model, as the text
 * report gives it. */
static void fairness_section(struct strbuf *sb, const struct report *r)
{
	const struct summary_info *sum = &r->t.sum;
	const char *key[2] = {NULL, NULL}, *role[2];
	size_t n = 0;
	if (sum->deployed[0] && sum->deployed_in_store) {
		key[n] = sum->deployed;
		role[n++] = "production";
	}
	if (sum->last_fair[0] &&
	    (n == 0 || strcmp(sum->last_fair, sum->deployed) != 0)) {
		key[n] = sum->last_fair;
		role[n++] = "last fair model";
	}
	if (n == 0)
		return;
	strbuf_addstr(sb, "<h2 id=\"fairness\">Fairness of production and of "
		      "the last fair model</h2>\n");
	for (size_t k = 0; k < n; k++) {
		size_t i = run_index(r, key[k]);
		if (i == r->nruns)
			continue;
		strbuf_addstr(sb, "<h3>");
		esc(sb, key[k]);
		strbuf_addf(sb, " (%s)</h3>\n<table class=\"fairness\">\n"
			    "<thead><tr><th>feature</th><th>demographic parity "
			    "difference</th><th>demographic parity ratio</th>"
			    "<th>equalized odds difference</th></tr></thead>\n"
			    "<tbody>\n", role[k]);
		for (size_t s = 0; s < r->dp.n; s++) {
			if (!rate_defined(r->dp.s[s].pt[i].value) &&
			    !rate_defined(r->eo.s[s].pt[i].value))
				continue;
			strbuf_addstr(sb, "<tr><td>");
			esc(sb, r->dp.s[s].name);
			strbuf_addstr(sb, "</td>");
			aggregate_cell(sb, &r->dp.s[s].pt[i]);
			aggregate_cell(sb, &r->dpr.s[s].pt[i]);
			aggregate_cell(sb, &r->eo.s[s].pt[i]);
			strbuf_addstr(sb, "</tr>\n");
		}
		strbuf_addstr(sb, "</tbody>\n</table>\n");
	}
	strbuf_addf(sb, "<p class=\"note\">Intervals: %.0f %% simultaneous "
		    "over all of a run's comparisons, groups under %.0f rows "
		    "left out; a value is established when its interval "
		    "excludes no difference.</p>\n",
		    100 * policy_get(r->p, POLICY_CONFIDENCE),
		    policy_get(r->p, POLICY_MIN_GROUP_SIZE));
}

static void rates_section(struct strbuf *sb, const struct report *r)
{
	char id[64], title[512];
	strbuf_addstr(sb, "<h2 id=\"rates\">Per-group rates across runs</h2>\n"
		      "<p>Each line is one group of a sensitive feature; runs "
		      "oldest first.  A whisker is the 95 % Wilson interval of "
		      "the group's rate.  A gap is a rate that is undefined "
		      "(no row, no positive: n/a), never 0.  A hollow marker "
		      "is a group under the policy's min_group_size rows.</p>\n");
	if (r->nfeat == 0)
		strbuf_addstr(sb, "<p class=\"none\">No run has a sensitive "
			      "feature.</p>\n");
	for (size_t k = 0; k < r->nfeat; k++) {
		const struct feature_rates *fr = &r->feat[k];
		for (int which = 0; which < 2; which++) {
			const char *what = which ? "selection rate" : "TPR";
			snprintf(id, sizeof id, "chart-%s-%zu",
				 which ? "selection" : "tpr", k + 1);
			snprintf(title, sizeof title, "%s of each group of %s "
				 "across runs", which ? "Selection rate"
						      : "True positive rate",
				 fr->name);
			struct chart c = {
				id, which ? "selection" : "tpr", fr->name,
				title, what, what, RATE_UNDEFINED, NULL, 1,
			};
			strbuf_addstr(sb, "<figure>\n");
			chart_lines(sb, r, &c, which ? &fr->sel : &fr->tpr);
			strbuf_addf(sb, "<figcaption>%s of each group of "
				    "<strong>", which ? "Selection rate"
						      : "True positive rate "
							"(TPR)");
			esc(sb, fr->name);
			strbuf_addstr(sb, "</strong> across runs, with 95 % "
				      "Wilson intervals.</figcaption>\n"
				      "</figure>\n");
		}
	}
}

static void disparity_section(struct strbuf *sb, const struct report *r)
{
	char label[128];
	strbuf_addstr(sb, "<h2 id=\"disparities\">Disparities across runs "
		      "against the policy</h2>\n<p>One line per sensitive "
		      "feature and intersection: the value the gate compares "
		      "(over groups of at least min_group_size rows), with its "
		      "simultaneous interval as a whisker.  The dashed line is "
		      "the policy's threshold: a value above it fails when "
		      "its interval excludes 0.</p>\n");
	static const struct {
		const char *id, *kind, *title, *what, *axis, *caption;
		enum policy_key max;
		int eo;
	} charts[] = {
		{"chart-dp", "dp", "Demographic parity difference across runs "
		 "against the policy", "DP difference", "demographic parity "
		 "difference", "Demographic parity difference (max \xE2\x88\x92 "
		 "min of the groups' selection rates)",
		 POLICY_MAX_DP_DIFFERENCE, 0},
		{"chart-eo", "eo", "Equalized odds difference across runs "
		 "against the policy", "EO difference", "equalized odds "
		 "difference", "Equalized odds difference (the larger of the "
		 "TPR and FPR spreads)", POLICY_MAX_EO_DIFFERENCE, 1},
	};
	for (size_t k = 0; k < sizeof charts / sizeof *charts; k++) {
		double max = policy_get(r->p, charts[k].max);
		snprintf(label, sizeof label, "policy: at most %.2f", max);
		struct chart c = {
			charts[k].id, charts[k].kind, NULL, charts[k].title,
			charts[k].what, charts[k].axis, max, label, 0,
		};
		strbuf_addstr(sb, "<figure>\n");
		chart_lines(sb, r, &c, charts[k].eo ? &r->eo : &r->dp);
		strbuf_addf(sb, "<figcaption>%s; the dashed line is the "
			    "policy's maximum, %.2f.</figcaption>\n"
			    "</figure>\n", charts[k].caption, max);
	}
}

static void deployments_section(struct strbuf *sb, const struct report *r)
{
	strbuf_addstr(sb, "<h2 id=\"deployments\">Deployments</h2>\n"
		      "<figure>\n");
	chart_timeline(sb, r);
	strbuf_addstr(sb, "<figcaption>Every deployment on record on a time "
		      "axis, with the runs' starts above it.  An override "
		      "(deployed despite the fairness policy) is a red "
		      "triangle named OVERRIDE; a rollback a black square "
		      "named ROLLBACK.</figcaption>\n</figure>\n");
}

static void timeline_section(struct strbuf *sb, const struct report *r,
			     const char *since)
{
	strbuf_addstr(sb, "<h2 id=\"timeline\">Timeline</h2>\n");
	if (since != NULL) {
		strbuf_addstr(sb, "<p>Events since ");
		esc(sb, since);
		strbuf_addstr(sb, ".</p>\n");
	}
	strbuf_addstr(sb, "<table class=\"timeline\">\n<thead><tr><th>time</th>"
		      "<th>event</th><th>run</th><th>details</th></tr></thead>"
		      "\n<tbody>\n");
	for (size_t i = 0; i < r->t.n; i++) {
		const struct event *x = &r->t.e[i];
		if (since && strcmp(x->time, since) < 0)
			continue;
		strbuf_addf(sb, "<tr%s><td class=\"num\">",
			    x->loud ? " class=\"override\"" : "");
		esc(sb, x->time);
		strbuf_addstr(sb, "</td><td>");
		if (x->loud)
			strbuf_addstr(sb, "<span class=\"loud\">OVERRIDE</span>");
		else
			esc(sb, x->kind);
		strbuf_addstr(sb, "</td><td>");
		esc(sb, x->run);
		strbuf_addstr(sb, x->loud ? "</td><td class=\"loud\">"
					  : "</td><td>");
		esc(sb, x->text);
		strbuf_addstr(sb, "</td></tr>\n");
	}
	strbuf_addstr(sb, "</tbody>\n</table>\n");
}

int report_html_write(struct store *s, const struct policy *p,
		      const char *since, FILE *out, struct fail *f)
{
	struct report r;
	struct strbuf page = STRBUF_INIT;
	int rc = -1;
	memset(&r, 0, sizeof r);
	strbuf_init(&r.findings);
	r.p = p;
	if (gather(&r, s, f) != 0)
		goto out;
	page_head(&page, s->path);
	summary_section(&page, &r);
	deployments_section(&page, &r);
	fairness_section(&page, &r);
	rates_section(&page, &r);
	disparity_section(&page, &r);
	timeline_section(&page, &r, since);
	strbuf_addstr(&page, "<h2 id=\"findings\">Findings per run</h2>\n");
	if (r.nruns == 0)
		strbuf_addstr(&page, "<p class=\"none\">No run in the store."
			      "</p>\n");
	strbuf_add(&page, r.findings.buf, r.findings.len);
	strbuf_addstr(&page, "</body>\n</html>\n");
	if (strbuf_failed(&page) || strbuf_failed(&r.findings)) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	if (fwrite(page.buf, 1, page.len, out) != page.len ||
	    fflush(out) != 0) {
		fail_set(f, FAIL_INTERNAL, "could not write the report");
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&page);
	report_release(&r);
	return rc;
}
