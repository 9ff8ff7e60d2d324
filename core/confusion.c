/*
 * confusion.c — confusion counts and rates.  See confusion.h.
 */
#include "core/confusion.h"

void confusion_init(struct confusion *c)
{
	c->tp = c->fp = c->tn = c->fn = 0;
	c->rows = 0;
	c->rows_positive = 0;
	c->w2_positive = c->w2_negative = 0;
}

void confusion_merge(struct confusion *into, const struct confusion *from)
{
	into->tp += from->tp;
	into->fp += from->fp;
	into->tn += from->tn;
	into->fn += from->fn;
	into->w2_positive += from->w2_positive;
	into->w2_negative += from->w2_negative;
	if (into->rows < 0 || from->rows < 0) {
		into->rows = -1;
		into->rows_positive = -1;
	} else {
		into->rows += from->rows;
		into->rows_positive += from->rows_positive;
	}
}

double rate_ratio(double num, double den)
{
	if (den == 0 || !rate_defined(num) || !rate_defined(den))
		return RATE_UNDEFINED;
	return num / den;
}

double rate_f_beta(double precision, double recall, double beta)
{
	if (!rate_defined(precision) || !rate_defined(recall) ||
	    !rate_defined(beta))
		return RATE_UNDEFINED;
	double b2 = beta * beta;
	return rate_ratio((1 + b2) * precision * recall,
			  b2 * precision + recall);
}

double confusion_effective_n(double w, double w2, int64_t rows)
{
	if (!(w > 0))
		return 0;
	if (w2 > 0 && isfinite(w * w / w2))
		return w * w / w2;
	return rows >= 0 ? (double)rows : w;
}

void confusion_rates(const struct confusion *c, double beta, struct rates *out)
{
	double n = c->tp + c->fp + c->tn + c->fn;
	out->n = n;
	out->base_rate = rate_ratio(c->tp + c->fn, n);
	out->selection_rate = rate_ratio(c->tp + c->fp, n);
	out->tpr = rate_ratio(c->tp, c->tp + c->fn);
	out->fpr = rate_ratio(c->fp, c->fp + c->tn);
	out->precision = rate_ratio(c->tp, c->tp + c->fp);
	out->accuracy = rate_ratio(c->tp + c->tn, n);
	out->f_beta = rate_f_beta(out->precision, out->tpr, beta);
	/* the squared weights are known for both labels or for neither
	 * (an ingest records both) */
	int64_t neg_rows = c->rows >= 0 && c->rows_positive >= 0
				   ? c->rows - c->rows_positive : -1;
	int known = c->w2_positive > 0 || c->w2_negative > 0;
	out->n_eff_positive = confusion_effective_n(
		c->tp + c->fn, c->w2_positive, c->rows_positive);
	out->n_eff_negative = confusion_effective_n(
		c->fp + c->tn, c->w2_negative, neg_rows);
	out->n_eff = confusion_effective_n(
		n, known ? c->w2_positive + c->w2_negative : 0, c->rows);
}
