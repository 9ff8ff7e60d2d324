/*
 * rundisparity.c — a run's aggregates with their intervals.  See
 * rundisparity.h.
 */
#include "service/rundisparity.h"

#include <stdlib.h>
#include <string.h>

static void undefined(struct aggregate_ci *a, const char *metric)
{
	a->value = RATE_UNDEFINED;
	a->ci.low = a->ci.high = RATE_UNDEFINED;
	a->established = 0;
	a->metric = metric;
}

/* The established pair of sp (the widest's own when it is). */
static void pair_of(const struct spread_ci *sp, int by_ratio,
		    const char *metric, struct established_pair *out)
{
	const struct comparison *c = &sp->established;
	memset(out, 0, sizeof *out);
	out->metric = metric;
	if (!sp->defined || !sp->has_established)
		return;
	out->has = 1;
	out->value = by_ratio ? c->ratio : c->difference;
	out->ci = by_ratio ? c->ratio_ci : c->diff_ci;
	out->a = c->a;
	out->b = c->b;
}

/* The established pairs of sf when its aggregates' own pairs are not.
 * For equalized odds, the TPR's or the FPR's, whichever differs more,
 * as the judge picks its stronger case. */
static int pairs_of(const struct run_disparity *rd, const struct loaded_run *lr,
		    const struct summary_feature *sf,
		    const struct feature_disparity *fd, struct feature_pairs *out)
{
	const struct run_summary *s = &lr->summary;
	struct spread_ci sel, sel_ratio, tpr, fpr;
	if (disparity_spread(&rd->plan, s, lr->input, sf, DISPARITY_SELECTION,
			     0, &sel) != 0 ||
	    disparity_spread(&rd->plan, s, lr->input, sf, DISPARITY_SELECTION,
			     1, &sel_ratio) != 0 ||
	    disparity_spread(&rd->plan, s, lr->input, sf, DISPARITY_TPR, 0,
			     &tpr) != 0 ||
	    disparity_spread(&rd->plan, s, lr->input, sf, DISPARITY_FPR, 0,
			     &fpr) != 0)
		return -1;
	pair_of(&sel, 0, "selection rate", &out->dp_difference);
	pair_of(&sel_ratio, 1, "selection rate", &out->dp_ratio);
	struct established_pair t, f;
	pair_of(&tpr, 0, "TPR", &t);
	pair_of(&fpr, 0, "FPR", &f);
	out->eo_difference = f.has && (!t.has || f.value > t.value) ? f : t;
	/* only what the aggregate's own interval does not already say */
	out->dp_difference.has &= !fd->dp_difference.established;
	out->dp_ratio.has &= !fd->dp_ratio.established;
	out->eo_difference.has &= !fd->eo_difference.established;
	return 0;
}

/* The gate's values of the aggregates without an interval (equalized
 * odds ratio, equal opportunity difference): Fairlearn's over the
 * groups of at least min_group_size rows, as the judge computes them.
 * *low_n the groups left out.  -1 when out of memory. */
static int gate_fairness(const struct run_disparity *rd,
			 const struct loaded_run *lr,
			 const struct summary_feature *sf, struct fairness *out,
			 size_t *low_n)
{
	struct rates *sized = malloc((sf->count ? sf->count : 1) *
				     sizeof *sized);
	if (sized == NULL)
		return -1;
	*low_n = 0;
	for (size_t i = 0; i < sf->count; i++) {
		sized[i] = lr->summary.rates[sf->first + i];
		if (disparity_low_n(&lr->input[sf->first + i],
				    rd->min_group_size)) {
			sized[i].selection_rate = sized[i].tpr = sized[i].fpr =
				RATE_UNDEFINED;
			(*low_n)++;
		}
	}
	fairness_compute(sized, sf->count, out);
	free(sized);
	/* one group counted is no spread to the gate: n/a, as its
	 * intervals are (fairness.h gives it 0 and 1) */
	if (out->tpr.used < 2)
		out->eop_difference = RATE_UNDEFINED;
	if (out->tpr.used < 2 || out->fpr.used < 2)
		out->eo_ratio = RATE_UNDEFINED;
	return 0;
}

static void both_set(struct aggregate_both *b, const char *name,
		     const char *key, double gate, double all,
		     const struct aggregate_ci *ci)
{
	b->name = name;
	b->key = key;
	b->gate = gate;
	b->all_groups = all;
	b->ci = ci;
}

static int both_of(const struct run_disparity *rd, const struct loaded_run *lr,
		   const struct summary_feature *sf,
		   const struct feature_disparity *fd, struct feature_both *out)
{
	struct fairness g;
	const struct fairness *all = &sf->fair;
	memset(out, 0, sizeof *out);
	if (gate_fairness(rd, lr, sf, &g, &out->low_n) != 0)
		return -1;
	out->groups = sf->count;
	both_set(&out->a[BOTH_DP_DIFFERENCE], "demographic parity difference",
		 "demographic_parity_difference", fd->dp_difference.value,
		 all->dp_difference, &fd->dp_difference);
	both_set(&out->a[BOTH_DP_RATIO], "demographic parity ratio",
		 "demographic_parity_ratio", fd->dp_ratio.value,
		 all->dp_ratio, &fd->dp_ratio);
	both_set(&out->a[BOTH_EO_DIFFERENCE], "equalized odds difference",
		 "equalized_odds_difference", fd->eo_difference.value,
		 all->eo_difference, &fd->eo_difference);
	both_set(&out->a[BOTH_EO_RATIO], "equalized odds ratio",
		 "equalized_odds_ratio", g.eo_ratio, all->eo_ratio, NULL);
	both_set(&out->a[BOTH_EOP_DIFFERENCE], "equal opportunity difference",
		 "equal_opportunity_difference", g.eop_difference,
		 all->eop_difference, NULL);
	return 0;
}

int rundisparity_init(struct run_disparity *rd, const struct loaded_run *lr,
		      const struct policy *p)
{
	const struct run_summary *s = &lr->summary;
	memset(rd, 0, sizeof *rd);
	disparity_plan_make(s, p, &rd->plan);
	rd->confidence = policy_get(p, POLICY_CONFIDENCE);
	rd->min_group_size = policy_get(p, POLICY_MIN_GROUP_SIZE);
	rd->feature = calloc(s->nfeatures ? s->nfeatures : 1,
			     sizeof *rd->feature);
	rd->pairs = calloc(s->nfeatures ? s->nfeatures : 1,
			   sizeof *rd->pairs);
	rd->both = calloc(s->nfeatures ? s->nfeatures : 1, sizeof *rd->both);
	if (rd->feature == NULL || rd->pairs == NULL || rd->both == NULL)
		return -1;
	rd->n = s->nfeatures;
	for (size_t k = 0; k < s->nfeatures; k++) {
		struct feature_disparity *fd = &rd->feature[k];
		if (s->features[k].kind == SUMMARY_OVERALL) {
			undefined(&fd->dp_difference, "selection rate");
			undefined(&fd->dp_ratio, "selection rate");
			undefined(&fd->eo_difference, "TPR");
			continue;
		}
		if (disparity_feature(&rd->plan, s, lr->input,
				      &s->features[k], fd) != 0 ||
		    pairs_of(rd, lr, &s->features[k], fd, &rd->pairs[k]) != 0 ||
		    both_of(rd, lr, &s->features[k], fd, &rd->both[k]) != 0)
			return -1;
	}
	return 0;
}

void rundisparity_release(struct run_disparity *rd)
{
	free(rd->feature);
	free(rd->pairs);
	free(rd->both);
	memset(rd, 0, sizeof *rd);
}

const struct feature_disparity *
rundisparity_of(const struct run_disparity *rd, const struct run_summary *s,
		const struct summary_feature *sf)
{
	if (rd->feature == NULL || sf < s->features ||
	    sf >= s->features + s->nfeatures ||
	    (size_t)(sf - s->features) >= rd->n)
		return NULL;
	return &rd->feature[sf - s->features];
}

const struct feature_pairs *
rundisparity_pairs(const struct run_disparity *rd, const struct run_summary *s,
		   const struct summary_feature *sf)
{
	const struct feature_disparity *fd = rundisparity_of(rd, s, sf);
	return fd ? &rd->pairs[fd - rd->feature] : NULL;
}

const struct feature_both *
rundisparity_both(const struct run_disparity *rd, const struct run_summary *s,
		  const struct summary_feature *sf)
{
	const struct feature_disparity *fd = rundisparity_of(rd, s, sf);
	if (fd == NULL || sf->kind == SUMMARY_OVERALL)
		return NULL;
	return &rd->both[fd - rd->feature];
}

int rundisparity_low_n(const struct run_disparity *rd,
		       const struct summary_input *g)
{
	return disparity_low_n(g, rd->min_group_size);
}
