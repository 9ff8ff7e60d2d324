/*
 * groupset.h — the set of a run's groups, as one number.
 *
 * Two evaluations are compared fairly only over the same groups: the
 * incident names the groups one has and the other has not, and the
 * Runs view marks a run whose groups differ from the last fair model's.
 * The Runs view cannot load every run's groups to tell, so each run
 * keeps a digest of its set: the groups of its sensitive features
 * (feature name and value, not the overall group nor intersections),
 * of any size, at its final step.  The digest is a sum of one 64-bit
 * hash per group, so the order the groups come in does not matter;
 * two sets with the same digest are the same set but for a 2^-64
 * chance.  The empty set is 0.
 */
#ifndef FAIRTOP_GROUPSET_H
#define FAIRTOP_GROUPSET_H

#include <stdint.h>

/* The digest of a set holding `digest`'s groups and feature=label. */
uint64_t groupset_add(uint64_t digest, const char *feature,
		      const char *label);

#endif
