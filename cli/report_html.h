/*
 * report_html.h — `fairtop report --format html`: the post-mortem as one
 * self-contained HTML page (inline CSS and SVG, nothing fetched).
 */
#ifndef FAIRTOP_REPORT_HTML_H
#define FAIRTOP_REPORT_HTML_H

#include <stdio.h>

#include "core/fail.h"
#include "core/policy.h"
#include "storage/store.h"

/*
 * Write the post-mortem of the store s, judged under p, to out: the
 * summary the text report has (production, the last fair model, alerts,
 * overrides); the deployments on a time axis (overrides in red,
 * rollbacks marked); the fairness of production and of the last fair
 * model; per sensitive feature, each group's TPR and selection rate
 * across the runs (oldest first) with their 95 % Wilson intervals; each
 * feature's demographic parity and equalized odds differences across
 * the runs against the policy's thresholds; the timeline; and every run's
 * findings at arrival in full, with its verdicts.  since (may be NULL)
 * keeps the timeline's events at or after it; the charts show every
 * run.  Every string from the store is sanitised and escaped for HTML.
 * The page is built in memory and written whole: on failure nothing is
 * written.  s and p are borrowed for the call.  0, or -1 with *f.
 */
int report_html_write(struct store *s, const struct policy *p,
		      const char *since, FILE *out, struct fail *f);

#endif
