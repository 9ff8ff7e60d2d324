/*
 * confusion.h — weighted confusion counts and the rates made from them.
 *
 * Every per-group number fairtop shows comes from four weighted counts
 * (tp, fp, tn, fn).  A rate whose denominator is zero is undefined: it
 * is RATE_UNDEFINED (a NaN) here, NULL in the store and "n/a" on screen,
 * never 0.  Input numbers are checked finite on the way in, so a NaN in
 * this module means "undefined" and nothing else.
 */
#ifndef FAIRTOP_CONFUSION_H
#define FAIRTOP_CONFUSION_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define RATE_UNDEFINED NAN

struct confusion {
	double tp, fp, tn, fn; /* weighted counts */
	int64_t rows;          /* rows counted; -1 when unknown (counts.csv) */
	int64_t rows_positive; /* of which with the positive true label */
	/* sums of squared weights of the rows with the positive and with
	 * the negative true label, for Kish's effective sample size; 0 when
	 * unknown (counts.csv, stores before schema 8) */
	double w2_positive, w2_negative;
};

struct rates {
	double n;              /* tp + fp + tn + fn */
	double base_rate;      /* (tp + fn) / n */
	double selection_rate; /* (tp + fp) / n */
	double tpr;            /* tp / (tp + fn) */
	double fpr;            /* fp / (fp + tn) */
	double precision;      /* tp / (tp + fp) */
	double accuracy;       /* (tp + tn) / n */
	double f_beta;         /* (1+b^2) P R / (b^2 P + R) */
	/* effective sample sizes behind the selection rate (every row),
	 * TPR (positive rows) and FPR (negative rows): Kish's
	 * (sum w)^2 / sum w^2, which is the row count when every weight
	 * is 1.  When the squared weights are unknown: the row count when
	 * known, else the weighted count itself (counts taken as rows). */
	double n_eff, n_eff_positive, n_eff_negative;
};

void confusion_init(struct confusion *c);

/* Count one example: truth and pred are 1 for the positive label.
 * Inline: it runs once per ingested row.  The count to add to is found
 * by its offset, not by branching: on shuffled rows which of the four
 * a row lands in is a coin toss the branch predictor keeps losing. */
static inline void confusion_add(struct confusion *c, int truth, int pred,
				 double weight)
{
	static const size_t count_at[2][2] = {
		{offsetof(struct confusion, tn), offsetof(struct confusion, fp)},
		{offsetof(struct confusion, fn), offsetof(struct confusion, tp)}};
	static const size_t w2_at[2] = {
		offsetof(struct confusion, w2_negative),
		offsetof(struct confusion, w2_positive)};
	char *base = (char *)c;
	*(double *)(void *)(base + count_at[truth != 0][pred != 0]) += weight;
	*(double *)(void *)(base + w2_at[truth != 0]) += weight * weight;
	c->rows_positive += truth != 0;
	c->rows++;
}

/* Add all of `from` into `into`. */
void confusion_merge(struct confusion *into, const struct confusion *from);

/* num / den, or RATE_UNDEFINED when den is 0. */
double rate_ratio(double num, double den);

/* 1 when x is a defined rate. */
static inline int rate_defined(double x)
{
	return !isnan(x);
}

/* All rates of c; beta is the run's beta_factor, RATE_UNDEFINED when the
 * run has none (F-beta is then undefined too). */
void confusion_rates(const struct confusion *c, double beta, struct rates *out);

/* Kish's effective sample size of rows of weight sum w and squared
 * weight sum w2; rows (-1 unknown) and w stand in when w2 is unknown
 * (0 while w > 0).  0 when w is 0. */
double confusion_effective_n(double w, double w2, int64_t rows);

/* F-beta from precision and recall (undefined when either is, or when
 * b^2 P + R is 0). */
double rate_f_beta(double precision, double recall, double beta);

#endif
