/*
 * incident_page.c — the incident in words.  See incident_page.h.
 */
#include "service/incident_page.h"

#include <stdio.h>
#include <string.h>

#include "core/confusion.h"
#include "core/strbuf.h"

const char *incident_rate_text(char *buf, size_t size,
			       const struct incident_rate *r)
{
	if (!r->present)
		snprintf(buf, size, "absent");
	else if (!rate_defined(r->value))
		snprintf(buf, size, "n/a");
	else if (!rate_defined(r->ci.low))
		snprintf(buf, size, "%.3f", r->value);
	else
		snprintf(buf, size, "%.3f [%.3f, %.3f]", r->value, r->ci.low,
			 r->ci.high);
	return buf;
}

static const char *number(char *buf, size_t size, double v, int rate)
{
	if (rate_defined(v))
		snprintf(buf, size, rate ? "%.3f" : "%.6g", v);
	else
		snprintf(buf, size, "n/a");
	return buf;
}

const char *incident_claim_text(char *buf, size_t size,
				const struct incident_claim *c)
{
	char b[32], a[32];
	if (!rate_defined(c->change))
		snprintf(buf, size, "%s %s -> %s", c->name,
			 number(b, sizeof b, c->before, c->in_points),
			 number(a, sizeof a, c->after, c->in_points));
	else if (c->in_points)
		snprintf(buf, size, "%s %+.1f pts", c->name, c->change);
	else
		snprintf(buf, size, "%s %+.1f %%", c->name, c->change);
	return buf;
}

static const char *fmt3(char *buf, size_t size, double v)
{
	if (rate_defined(v))
		snprintf(buf, size, "%.3f", v);
	else
		snprintf(buf, size, "n/a");
	return buf;
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void verdict(const struct incident *in, struct page *pg)
{
	const struct production *pr = &in->prod;
	if (!pr->found) {
		page_heading(pg, PAGE_PLAIN, "No incident: nothing is in "
					     "production");
		return;
	}
	if (!pr->in_store) {
		page_heading(pg, PAGE_WARN,
			     "Production %s is not in the store: it cannot "
			     "be judged", pr->run);
		page_line(pg, PAGE_PLAIN, "%s by %s since %s", pr->kind,
			  in->prod_actor, pr->since);
		return;
	}
	if (!in->fair.passed)
		page_heading(pg, PAGE_BAD, "INCIDENT: production %s fails the "
			     "policy (%zu failing %s on its own)", pr->run,
			     in->fair.fails, plural(in->fair.fails, "finding",
						    "findings"));
	else if (in->firing_critical > 0)
		page_heading(pg, PAGE_WARN, "INCIDENT: production %s passes "
			     "the policy but has critical alerts firing",
			     pr->run);
	else
		page_heading(pg, PAGE_GOOD, "No incident: production %s "
			     "passes the policy", pr->run);
	page_line(pg, in->active ? PAGE_BAD : PAGE_PLAIN,
		  "%s by %s since %s" PAGE_SEP "%zu critical %s",
		  pr->kind, in->prod_actor, pr->since, in->firing_critical,
		  plural(in->firing_critical, "alert", "alerts"));
	if (in->last_fair == NULL) {
		page_line(pg, PAGE_BAD, "no deployed run passes the policy: "
			  "nothing fair to compare with");
	} else if (!in->compared) {
		page_line(pg, PAGE_PLAIN, "it is the last fair model");
	} else {
		size_t fails = incident_count(in, FINDING_FAIL);
		size_t warns = incident_count(in, FINDING_WARN);
		page_line(pg, fails ? PAGE_BAD : PAGE_PLAIN,
			  "against %s, the last fair model: %zu failing %s, "
			  "%zu %s", in->last_fair, fails,
			  plural(fails, "finding", "findings"), warns,
			  plural(warns, "warning", "warnings"));
	}
}

static void harms(const struct incident *in, struct page *pg)
{
	if (in->nharm == 0)
		return;
	if (in->compared)
		page_heading(pg, PAGE_BAD, "Harmed groups, %s -> %s (95 %% "
			     "intervals)", in->last_fair, in->prod.run);
	else
		page_heading(pg, PAGE_BAD, "Harmed groups in %s (95 %% "
			     "intervals)", in->prod.run);
	size_t wg = 0, wm = 0;
	for (size_t i = 0; i < in->nharm; i++) {
		size_t g = strlen(in->harm[i].group);
		size_t m = strlen(in->harm[i].metric);
		wg = g > wg ? g : wg;
		wm = m > wm ? m : wm;
	}
	for (size_t i = 0; i < in->nharm; i++) {
		const struct incident_harm *h = &in->harm[i];
		char b[80], a[80], low[64] = "";
		if (h->low_n)
			snprintf(low, sizeof low, " (low n: %.0f -> %.0f rows)",
				 h->before.rows, h->after.rows);
		const char *how = h->severity == FINDING_FAIL
					  ? ""
					  : "  possible, not established";
		if (in->compared)
			page_line(pg, h->severity == FINDING_FAIL ? PAGE_BAD
								  : PAGE_WARN,
				  "%-*s  %-*s  %s -> %s%s%s", (int)wg, h->group,
				  (int)wm, h->metric,
				  incident_rate_text(b, sizeof b, &h->before),
				  incident_rate_text(a, sizeof a, &h->after),
				  low, how);
		else
			page_line(pg, h->severity == FINDING_FAIL ? PAGE_BAD
								  : PAGE_WARN,
				  "%-*s  %-*s  %s%s%s", (int)wg, h->group,
				  (int)wm, h->metric,
				  incident_rate_text(a, sizeof a, &h->after),
				  low, how);
	}
}

static void weights_text(struct strbuf *sb, const char *run,
			 const struct incident_weights *w)
{
	strbuf_addf(sb, "%s logged", run);
	for (size_t i = 0; i < w->n; i++)
		strbuf_addf(sb, " %s:%.17g vs exact %.17g", w->logged[i].label,
			    w->logged[i].weight, w->exact[i]);
}

static void changes(const struct incident *in, struct page *pg)
{
	struct strbuf sb = STRBUF_INIT;
	page_heading(pg, PAGE_PLAIN, "What changed, %s -> %s", in->last_fair,
		     in->prod.run);
	for (size_t i = 0; i < in->nchange; i++) {
		const struct incident_change *c = &in->change[i];
		const char *missing = strcmp(c->name, "beta_factor") == 0
					      ? "missing"
					      : "(none)";
		strbuf_addf(&sb, "%s%s %s -> %s", i ? PAGE_SEP : "", c->name,
			    c->before ? c->before : missing,
			    c->after ? c->after : missing);
	}
	if (in->nchange == 0)
		strbuf_addstr(&sb, "no run parameter differs");
	page_line(pg, PAGE_PLAIN, "%s", sb.buf);

	/* coverage */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "coverage: ");
	if (in->rows_before >= 0 && in->rows_after >= 0)
		strbuf_addf(&sb, "%lld -> %lld rows (%+lld)", in->rows_before,
			    in->rows_after, in->rows_after - in->rows_before);
	else
		strbuf_addstr(&sb, "rows unknown (counts)");
	for (size_t i = 0; i < in->nabsent; i++)
		strbuf_addf(&sb, PAGE_SEP "%s absent (%.0f rows before)",
			    in->absent[i].name, in->absent[i].rows);
	for (size_t i = 0; i < in->nadded; i++)
		strbuf_addf(&sb, PAGE_SEP "%s new (%.0f rows)",
			    in->added[i].name, in->added[i].rows);
	int lost = in->nabsent > 0 || in->nadded > 0 ||
		   in->rows_after != in->rows_before;
	page_line(pg, lost ? PAGE_BAD : PAGE_PLAIN, "%s", sb.buf);

	/* data */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "data: ");
	int warn = 0;
	size_t shown = 0;
	for (size_t i = 0; i < in->npsi; i++) {
		const struct incident_psi *ps = &in->psi[i];
		if (ps->severity == FINDING_INFO)
			continue; /* under the warning level: noise */
		const char *level = ps->severity == FINDING_FAIL ? " (critical)"
							       : " (warning)";
		warn |= ps->severity != FINDING_INFO;
		strbuf_addf(&sb, "%s%s shares PSI %.3f%s",
			    shown++ ? PAGE_SEP : "",
			    ps->feature, ps->psi, level);
	}
	if (shown == 0)
		strbuf_addstr(&sb, "group shares steady (PSI under the warning "
				   "level)");
	if (rate_defined(in->prior_before) && rate_defined(in->prior_after))
		strbuf_addf(&sb, PAGE_SEP "label prior %.3f -> %.3f",
			    in->prior_before,
			    in->prior_after);
	page_line(pg, warn ? PAGE_WARN : PAGE_PLAIN, "%s", sb.buf);

	/* class weights */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "class weights: ");
	const struct incident_weights *wb = &in->weights_before;
	const struct incident_weights *wa = &in->weights_after;
	if (!wb->inexact && !wa->inexact) {
		if (wb->n && wa->n)
			strbuf_addstr(&sb, "exact in both runs");
		else if (wb->n || wa->n)
			strbuf_addf(&sb, "exact in %s, none logged in %s",
				    wb->n ? in->last_fair : in->prod.run,
				    wb->n ? in->prod.run : in->last_fair);
		else
			strbuf_addstr(&sb, "none logged");
	} else {
		if (wb->inexact)
			weights_text(&sb, in->last_fair, wb);
		if (wa->inexact)
			weights_text(&sb, in->prod.run, wa);
	}
	page_line(pg, wb->inexact || wa->inexact ? PAGE_BAD : PAGE_PLAIN, "%s",
		  sb.buf);
	if (sb.failed)
		pg->failed = 1;
	strbuf_release(&sb);
}

static void claims(const struct incident *in, struct page *pg)
{
	if (in->nclaim == 0)
		return;
	struct strbuf sb = STRBUF_INIT;
	char buf[320];
	page_heading(pg, PAGE_PLAIN, "Claims checked");
	/* the changes that share the evaluations' reason, on one line */
	size_t shared = 0;
	for (size_t i = 0; i < in->nclaim; i++) {
		const struct incident_claim *c = &in->claim[i];
		if (c->why == NULL || in->not_comparable == NULL ||
		    strcmp(c->why, in->not_comparable) != 0)
			continue;
		strbuf_addf(&sb, "%s%s", shared++ ? PAGE_SEP : "",
			    incident_claim_text(buf, sizeof buf, c));
	}
	if (shared)
		page_line(pg, PAGE_WARN, "%s: not comparable, %s", sb.buf,
			  in->not_comparable);
	for (size_t i = 0; i < in->nclaim; i++) {
		const struct incident_claim *c = &in->claim[i];
		incident_claim_text(buf, sizeof buf, c);
		if (c->why == NULL)
			page_line(pg, PAGE_PLAIN, "%s: comparable", buf);
		else if (in->not_comparable == NULL ||
			 strcmp(c->why, in->not_comparable) != 0)
			page_line(pg, PAGE_WARN, "%s: %s", buf, c->why);
	}
	if (sb.failed)
		pg->failed = 1;
	strbuf_release(&sb);
}

static void way_out(const struct incident *in, enum incident_voice voice,
		    struct page *pg)
{
	struct strbuf sb = STRBUF_INIT;
	if (!in->active) {
		page_line(pg, PAGE_GOOD, "production %s passes the policy: "
			  "nothing to roll back", in->prod.run);
		return;
	}
	if (in->rollback_to)
		strbuf_addf(&sb, voice == INCIDENT_KEYS
					 ? "R roll back to %s (%s)"
					 : "fairtop rollback --reason TEXT "
					   "(to %s, %s)",
			    in->rollback_to,
			    in->last_fair &&
					    strcmp(in->rollback_to,
						   in->last_fair) == 0
				    ? "last fair"
				    : "fair, in production before");
	else
		strbuf_addstr(&sb, "no fair run to roll back to");
	for (size_t i = 0; i < in->ndeploy_instead; i++)
		strbuf_addf(&sb, voice == INCIDENT_KEYS
					 ? PAGE_SEP "d deploy %s (newer, fair, "
						    "never deployed)"
					 : PAGE_SEP "fairtop deploy %s --reason "
						    "TEXT (newer, fair, never "
						    "deployed)",
			    in->deploy_instead[i]);
	page_line(pg, PAGE_GOOD, "%s", sb.buf);
	if (sb.failed)
		pg->failed = 1;
	strbuf_release(&sb);
}

/* "0.017 -> 0.174 [0.123, 0.223]", or the after value alone when not
 * compared. */
static void both_text(struct strbuf *sb, const struct incident *in,
		      double before, double after, const struct interval *ci)
{
	char b[32], a[32];
	fmt3(b, sizeof b, before);
	fmt3(a, sizeof a, after);
	if (in->compared)
		strbuf_addf(sb, "%s -> %s", b, a);
	else
		strbuf_addstr(sb, a);
	if (ci && rate_defined(ci->low))
		strbuf_addf(sb, " [%.3f, %.3f]", ci->low, ci->high);
}

/* Each feature's DP and EO differences both ways: the gate's (low-n
 * groups left out, with its interval) and over every group. */
static void fairness(const struct incident *in, struct page *pg)
{
	if (in->nfair_agg == 0)
		return;
	struct strbuf sb = STRBUF_INIT;
	page_heading(pg, PAGE_PLAIN, "Fairness, gate (groups >= %.0f rows) "
		     "and every group (low-n included)", in->min_group_size);
	for (size_t i = 0; i < in->nfair_agg; i++) {
		const struct incident_fairness *fa = &in->fair_agg[i];
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s: DP difference ", fa->feature);
		both_text(&sb, in, fa->dp.gate_before, fa->dp.gate_after,
			  &fa->dp.ci);
		strbuf_addstr(&sb, PAGE_SEP "every group ");
		both_text(&sb, in, fa->dp.all_before, fa->dp.all_after, NULL);
		strbuf_addstr(&sb, PAGE_SEP "EO difference ");
		both_text(&sb, in, fa->eo.gate_before, fa->eo.gate_after,
			  &fa->eo.ci);
		strbuf_addstr(&sb, PAGE_SEP "every group ");
		both_text(&sb, in, fa->eo.all_before, fa->eo.all_after, NULL);
		if (fa->low_n)
			strbuf_addf(&sb, PAGE_SEP "%zu low-n %s", fa->low_n,
				    fa->low_n == 1 ? "group" : "groups");
		page_line(pg, fa->dp.established || fa->eo.established
				      ? PAGE_BAD
				      : PAGE_PLAIN,
			  "%s", sb.buf);
	}
	if (sb.failed)
		pg->failed = 1;
	strbuf_release(&sb);
}

static void findings(const struct incident *in, struct page *pg)
{
	if (in->j.nfindings == 0)
		return;
	if (in->compared)
		page_heading(pg, PAGE_PLAIN, "Findings, %s against %s",
			     in->prod.run, in->last_fair);
	else
		page_heading(pg, PAGE_PLAIN, "Findings of %s on its own",
			     in->prod.run);
	for (size_t i = 0; i < in->j.nfindings; i++) {
		const struct finding *fd = &in->j.finding[i];
		page_line(pg, fd->severity == FINDING_FAIL   ? PAGE_BAD
			      : fd->severity == FINDING_WARN ? PAGE_WARN
							     : PAGE_PLAIN,
			  "%-4s  %s", finding_severity_name(fd->severity),
			  fd->message);
	}
}

int incident_page(const struct incident *in, enum incident_voice voice,
		  struct page *out)
{
	verdict(in, out);
	if (in->prod.found && in->prod.in_store) {
		way_out(in, voice, out);
		harms(in, out);
		if (in->compared) {
			changes(in, out);
			claims(in, out);
		}
		fairness(in, out);
		findings(in, out);
	}
	return out->failed ? -1 : 0;
}
