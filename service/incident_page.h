/*
 * incident_page.h — the incident in words, for every screen.
 *
 * One page (core/page.h) from a struct incident: the dashboard's
 * Incident view wraps and scrolls it, `fairtop incident` prints it as
 * text or Markdown, the report quotes it.  Its first lines answer, in
 * order: is production fair, who is harmed (before -> after with
 * intervals), what changed, is the claimed gain real, and the way out;
 * every finding follows, whole.
 */
#ifndef FAIRTOP_INCIDENT_PAGE_H
#define FAIRTOP_INCIDENT_PAGE_H

#include "core/page.h"
#include "service/incident.h"

/* How the way out is offered: as the dashboard's keys (R, d) or as
 * commands to type. */
enum incident_voice {
	INCIDENT_KEYS,
	INCIDENT_COMMANDS,
};

/* Build the page into out (PAGE_INIT).  0, or -1 when out of memory
 * (release out either way). */
int incident_page(const struct incident *in, enum incident_voice voice,
		  struct page *out);

/* "0.839 [0.815, 0.861]", "n/a" or "absent", into buf. */
const char *incident_rate_text(char *buf, size_t size,
			       const struct incident_rate *r);

/* "throughput +93.1 %" / "accuracy -0.8 pts" / "F-beta 0.863 -> n/a". */
const char *incident_claim_text(char *buf, size_t size,
				const struct incident_claim *c);

#endif
