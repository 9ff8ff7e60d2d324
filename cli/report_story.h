/*
 * report_story.h — the post-mortem's story (service/postmortem.h) as
 * `fairtop report` prints it: the exposure window, the causes, the
 * overrides with the alerts firing then, the rollbacks and each run's
 * findings at arrival, in Markdown, text, or as JSON members of the
 * report's object, open in the writer (core/json.h).
 */
#ifndef FAIRTOP_REPORT_STORY_H
#define FAIRTOP_REPORT_STORY_H

#include "service/postmortem.h"

void report_story_md(const struct postmortem *pm);
void report_story_text(const struct postmortem *pm);
struct json_writer;
void report_story_json(struct json_writer *w, const struct postmortem *pm);

#endif
