/*
 * headline.h — the numbers a run is listed with, and its verdict, taken
 * from a run loaded for judging and its judgement (kept in the store by
 * storage/summary_store.h).
 */
#ifndef FAIRTOP_HEADLINE_H
#define FAIRTOP_HEADLINE_H

#include "core/judge.h"
#include "service/judgeload.h"
#include "storage/summary_store.h"

/* The headline of jr and the verdict j (against baseline, NULL for
 * none). */
void headline_of(const struct judged_run *jr, const struct judgement *j,
		 const char *baseline, struct run_headline *out);

#endif
