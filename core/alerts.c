/*
 * alerts.c — alert rules over a judgement.  See alerts.h.
 */
#include "core/alerts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

const char *alert_severity_name(enum alert_severity s)
{
	return s == ALERT_CRITICAL ? "critical" : "warning";
}

/* The judge's slack (judge.c): a PSI it calls critical in the finding's
 * message is a critical alert too. */
#define SLACK 1e-12

static int is_psi(const char *rule)
{
	return strncmp(rule, "psi_", 4) == 0;
}

int alerts_from_judgement(const struct judgement *j, const struct policy *p,
			  struct alert_new **out, size_t *n)
{
	struct alert_new *a = calloc(j->nfindings ? j->nfindings : 1,
				     sizeof *a);
	size_t count = 0;
	*out = NULL;
	*n = 0;
	if (a == NULL)
		return -1;
	for (size_t i = 0; i < j->nfindings; i++) {
		const struct finding *f = &j->finding[i];
		enum alert_severity sev;
		if (f->severity == FINDING_INFO)
			continue;
		if (f->severity == FINDING_FAIL)
			sev = ALERT_CRITICAL;
		else if (is_psi(f->rule) && f->established != 0 &&
			 f->candidate >=
				 policy_get(p, POLICY_PSI_CRITICAL) - SLACK)
			sev = ALERT_CRITICAL;
		else
			sev = ALERT_WARNING;
		/* a disparity is about its feature; the group driving it
		 * may change from one evaluation to the next */
		int per_feature = strncmp(f->rule, "dp_", 3) == 0 ||
				  strncmp(f->rule, "eo_", 3) == 0 ||
				  strcmp(f->rule, "low_n") == 0;
		struct strbuf subject = STRBUF_INIT;
		if (per_feature)
			strbuf_addstr(&subject, f->feature);
		else if (f->feature[0] && f->group[0])
			strbuf_addf(&subject, "%s/%s", f->feature, f->group);
		else
			strbuf_addstr(&subject, f->feature[0] ? f->feature
							      : f->group);
		size_t k;
		for (k = 0; k < count; k++)
			if (strcmp(a[k].rule, f->rule) == 0 &&
			    strcmp(a[k].subject, subject.buf) == 0)
				break;
		/* one alert per (rule, subject): keep the loudest, whole,
		 * so that its words and numbers match its severity */
		if (k < count && sev <= a[k].severity) {
			strbuf_release(&subject);
			continue;
		}
		/* subject, then message, in one block */
		size_t slen = subject.len;
		strbuf_addch(&subject, '\0');
		strbuf_addstr(&subject, f->message);
		size_t len;
		char *text = strbuf_detach(&subject, &len);
		if (text == NULL) {
			alerts_free(a, count);
			return -1;
		}
		struct alert_new *x = k < count ? &a[k] : &a[count++];
		free(x->text);
		x->severity = sev;
		snprintf(x->rule, sizeof x->rule, "%s", f->rule);
		x->text = text;
		x->subject = text;
		x->message = text + slen + 1;
		x->baseline = f->baseline;
		x->candidate = f->candidate;
		x->threshold = f->threshold;
	}
	*out = a;
	*n = count;
	return 0;
}

void alerts_free(struct alert_new *a, size_t n)
{
	for (size_t i = 0; a != NULL && i < n; i++)
		free(a[i].text);
	free(a);
}
