/*
 * test_findings.c — cli/findings.c: a judgement printed as text, as
 * JSON and as JUnit XML, and the counts of failing findings and rules.
 *
 * The judgement is made by hand, not by core/judge.c, so that every
 * field is known.  Its six findings, in this order:
 *   0 FAIL dp_difference  sex / sex=M, candidate .2, threshold .1
 *   1 WARN psi_scores     sex / sex=F, candidate 0.1 + 0.2 (which is
 *                         0.30000000000000004 in double: JSON must print
 *                         it so, the shortest text that reads back the
 *                         same)
 *   2 INFO prior_shift    no feature, no group: baseline .4, cand .5
 *   3 FAIL tpr_drop       sex / sex=M, baseline .8, candidate .5; its
 *                         message holds < > & " ' and an ESC
 *   4 FAIL dp_difference  age / age=old: the same rule again
 *   5 WARN dp_ratio       "possible, not established": a gate rule
 *                         that warns does not fail
 * Gate rules failing: dp_difference and tpr_drop, 2 (dp_difference
 * counts once for two features; dp_ratio warns).
 *
 * Finding 0 alone has an interval (0.09 to 0.31, established); the
 * others say nothing about one (established -1).
 * Text and JUnit are compared whole.  JSON is parsed (a small parser
 * below, for arrays of flat objects; nested values are skipped) and
 * only the keys checked here are looked at, so keys added to each
 * finding later do not break this test; the output must still be valid
 * JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/findings.h"
#include "core/confusion.h"

/* --- the judgement ---------------------------------------------------- */

#define MSG0 "demographic parity difference across sex 0.200 > 0.10"
#define MSG1 "the score distribution of sex=F moved: PSI 0.300"
#define MSG2 "label prior 0.400 -> 0.500"
#define MSG3 "TPR of sex=M fell 0.800 -> 0.500 <b> & \"q\" 'a' \033[31m"
#define MSG4 "demographic parity difference across age 0.150 > 0.10"
#define MSG5 "demographic parity ratio across sex 0.750 < 0.80: " \
	     "possible, not established"
/* MSG3 as a terminal gets it: ESC shown as '?' */
#define MSG3_SAFE "TPR of sex=M fell 0.800 -> 0.500 <b> & \"q\" 'a' ?[31m"
/* MSG3 in XML: sanitised, then & < > " ' escaped */
#define MSG3_XML "TPR of sex=M fell 0.800 -&gt; 0.500 &lt;b&gt; &amp; " \
		 "&quot;q&quot; &apos;a&apos; ?[31m"
/* the others in XML: their > and < escaped */
#define MSG0_XML "demographic parity difference across sex 0.200 &gt; 0.10"
#define MSG2_XML "label prior 0.400 -&gt; 0.500"
#define MSG4_XML "demographic parity difference across age 0.150 &gt; 0.10"
#define MSG5_XML "demographic parity ratio across sex 0.750 &lt; 0.80: " \
		 "possible, not established"
#define PERF_NOTE "throughput +93.1 %: not considered by the fairness gate"

static struct finding findings[6];
static struct perf_change perf[2];

static void set(struct finding *f, enum finding_severity sev,
		const char *rule, const char *feature, const char *group,
		double baseline, double candidate, double threshold,
		const char *message)
{
	memset(f, 0, sizeof *f);
	f->severity = sev;
	snprintf(f->rule, sizeof f->rule, "%s", rule);
	f->feature = feature; /* literals: text stays NULL */
	f->group = group;
	f->baseline = baseline;
	f->candidate = candidate;
	f->threshold = threshold;
	f->low = f->high = RATE_UNDEFINED;
	f->established = -1;
	f->message = message;
}

static void make(struct judgement *j)
{
	set(&findings[0], FINDING_FAIL, "dp_difference", "sex", "sex=M",
	    RATE_UNDEFINED, 0.2, 0.1, MSG0);
	findings[0].low = 0.09;
	findings[0].high = 0.31;
	findings[0].established = 1;
	set(&findings[1], FINDING_WARN, "psi_scores", "sex", "sex=F",
	    RATE_UNDEFINED, 0.1 + 0.2, 0.1, MSG1);
	set(&findings[2], FINDING_INFO, "prior_shift", "", "", 0.4, 0.5,
	    RATE_UNDEFINED, MSG2);
	set(&findings[3], FINDING_FAIL, "tpr_drop", "sex", "sex=M", 0.8, 0.5,
	    0.05, MSG3);
	set(&findings[4], FINDING_FAIL, "dp_difference", "age", "age=old",
	    RATE_UNDEFINED, 0.15, 0.1, MSG4);
	set(&findings[5], FINDING_WARN, "dp_ratio", "sex", "sex=M",
	    RATE_UNDEFINED, 0.75, 0.8, MSG5);
	memset(perf, 0, sizeof perf);
	snprintf(perf[0].name, sizeof perf[0].name, "accuracy");
	perf[0].baseline = 0.8;
	perf[0].candidate = 0.75;
	perf[0].change = -5;
	perf[0].in_points = 1;
	snprintf(perf[1].name, sizeof perf[1].name, "throughput");
	perf[1].baseline = 100;
	perf[1].candidate = 193.1;
	perf[1].change = 93.1;
	memset(j, 0, sizeof *j);
	j->finding = findings;
	j->nfindings = 6;
	j->passed = 0;
	j->perf = perf;
	j->nperf = 2;
	snprintf(j->performance_note, sizeof j->performance_note, "%s",
		 PERF_NOTE);
}

/* --- capturing output --------------------------------------------------- */

struct capture {
	char *text;
	size_t size;
	FILE *out;
};

static FILE *capture_begin(struct capture *c)
{
	c->text = NULL;
	c->size = 0;
	c->out = open_memstream(&c->text, &c->size);
	assert_non_null(c->out);
	return c->out;
}

/* The text written since capture_begin (caller frees). */
static char *capture_end(struct capture *c)
{
	assert_int_equal(fclose(c->out), 0);
	return c->text;
}

/* --- a small JSON reader -------------------------------------------------- */

/* An array of objects whose values are read as strings (decoded),
 * numbers (their text kept), true, false or null; a nested object or
 * array is skipped (kept as "{...}" or "[...]"). */
#define JSON_MAX_KEYS 24
#define JSON_MAX_OBJECTS 16

struct json_member {
	char key[64];
	int is_string;    /* the value was a string */
	char value[2048]; /* decoded string, or the raw text */
};

struct json_object {
	struct json_member m[JSON_MAX_KEYS];
	size_t n;
};

struct json_array {
	struct json_object o[JSON_MAX_OBJECTS];
	size_t n;
};

struct reader {
	const char *p;
	const char *err;
};

static void skip_ws(struct reader *r)
{
	while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r')
		r->p++;
}

static int bad(struct reader *r, const char *why)
{
	if (r->err == NULL)
		r->err = why;
	return -1;
}

static int hex4(const char *p, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 16;
		if (d == 16)
			return -1;
		*out = *out * 16 + d;
	}
	return 0;
}

/* A string at r->p (at its '"'), decoded into buf as UTF-8. */
static int read_string(struct reader *r, char *buf, size_t size)
{
	size_t n = 0;
	if (*r->p != '"')
		return bad(r, "expected a string");
	r->p++;
	for (;;) {
		unsigned char c = (unsigned char)*r->p;
		unsigned cp;
		if (c == '\0')
			return bad(r, "a string not closed");
		if (c < 0x20)
			return bad(r, "a raw control character in a string");
		r->p++;
		if (c == '"')
			break;
		if (c != '\\') {
			cp = c;
			if (n + 1 >= size)
				return bad(r, "a string too long");
			buf[n++] = (char)c;
			continue;
		}
		c = (unsigned char)*r->p++;
		switch (c) {
		case '"': case '\\': case '/': cp = c; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if (hex4(r->p, &cp) != 0)
				return bad(r, "a bad \\u escape");
			r->p += 4;
			break;
		default:
			return bad(r, "a bad escape");
		}
		/* UTF-8 of cp (the BMP is enough here) */
		if (n + 4 >= size)
			return bad(r, "a string too long");
		if (cp < 0x80) {
			buf[n++] = (char)cp;
		} else if (cp < 0x800) {
			buf[n++] = (char)(0xc0 | (cp >> 6));
			buf[n++] = (char)(0x80 | (cp & 0x3f));
		} else {
			buf[n++] = (char)(0xe0 | (cp >> 12));
			buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			buf[n++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	buf[n] = '\0';
	return 0;
}

static int skip_value(struct reader *r);

/* A nested object or array, skipped. */
static int skip_nested(struct reader *r)
{
	char close = *r->p == '{' ? '}' : ']';
	int object = close == '}';
	char scratch[2048];
	r->p++;
	skip_ws(r);
	if (*r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		skip_ws(r);
		if (object) {
			if (read_string(r, scratch, sizeof scratch) != 0)
				return -1;
			skip_ws(r);
			if (*r->p++ != ':')
				return bad(r, "expected ':'");
			skip_ws(r);
		}
		if (skip_value(r) != 0)
			return -1;
		skip_ws(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p++ != close)
			return bad(r, "expected ',' or the closing bracket");
		return 0;
	}
}

/* Any value, into m->value (NULL: skipped). */
static int read_value(struct reader *r, struct json_member *m)
{
	char scratch[2048];
	char *buf = m ? m->value : scratch;
	size_t size = m ? sizeof m->value : sizeof scratch;
	if (m)
		m->is_string = 0;
	if (*r->p == '"') {
		if (m)
			m->is_string = 1;
		return read_string(r, buf, size);
	}
	if (*r->p == '{' || *r->p == '[') {
		snprintf(buf, size, "%s", *r->p == '{' ? "{...}" : "[...]");
		return skip_nested(r);
	}
	static const char *const words[] = {"true", "false", "null"};
	for (size_t i = 0; i < 3; i++)
		if (strncmp(r->p, words[i], strlen(words[i])) == 0) {
			snprintf(buf, size, "%s", words[i]);
			r->p += strlen(words[i]);
			return 0;
		}
	/* a number: JSON's grammar, checked by hand */
	const char *start = r->p;
	if (*r->p == '-')
		r->p++;
	if (*r->p == '0')
		r->p++;
	else if (*r->p >= '1' && *r->p <= '9')
		while (*r->p >= '0' && *r->p <= '9')
			r->p++;
	else
		return bad(r, "expected a value");
	if (*r->p == '.') {
		r->p++;
		if (!(*r->p >= '0' && *r->p <= '9'))
			return bad(r, "a number with no digit after '.'");
		while (*r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	if (*r->p == 'e' || *r->p == 'E') {
		r->p++;
		if (*r->p == '+' || *r->p == '-')
			r->p++;
		if (!(*r->p >= '0' && *r->p <= '9'))
			return bad(r, "a number with no exponent digit");
		while (*r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	snprintf(buf, size, "%.*s", (int)(r->p - start), start);
	return 0;
}

static int skip_value(struct reader *r)
{
	return read_value(r, NULL);
}

static int read_object(struct reader *r, struct json_object *o)
{
	o->n = 0;
	if (*r->p != '{')
		return bad(r, "expected an object");
	r->p++;
	skip_ws(r);
	if (*r->p == '}') {
		r->p++;
		return 0;
	}
	for (;;) {
		if (o->n == JSON_MAX_KEYS)
			return bad(r, "too many keys");
		struct json_member *m = &o->m[o->n];
		skip_ws(r);
		if (read_string(r, m->key, sizeof m->key) != 0)
			return -1;
		for (size_t i = 0; i < o->n; i++)
			if (strcmp(o->m[i].key, m->key) == 0)
				return bad(r, "a key twice in one object");
		skip_ws(r);
		if (*r->p++ != ':')
			return bad(r, "expected ':'");
		skip_ws(r);
		if (read_value(r, m) != 0)
			return -1;
		o->n++;
		skip_ws(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p++ != '}')
			return bad(r, "expected ',' or '}'");
		return 0;
	}
}

/* text must be exactly one JSON array of objects; fails the test with
 * where it is not. */
static void json_read_array(const char *text, struct json_array *a)
{
	struct reader r = {text, NULL};
	a->n = 0;
	skip_ws(&r);
	if (*r.p != '[') {
		bad(&r, "expected '['");
		goto out;
	}
	r.p++;
	skip_ws(&r);
	if (*r.p == ']') {
		r.p++;
		goto end;
	}
	for (;;) {
		skip_ws(&r);
		if (a->n == JSON_MAX_OBJECTS) {
			bad(&r, "too many objects");
			goto out;
		}
		if (read_object(&r, &a->o[a->n]) != 0)
			goto out;
		a->n++;
		skip_ws(&r);
		if (*r.p == ',') {
			r.p++;
			continue;
		}
		if (*r.p++ != ']')
			bad(&r, "expected ',' or ']'");
		break;
	}
end:
	skip_ws(&r);
	if (r.err == NULL && *r.p != '\0')
		bad(&r, "text after the array");
out:
	if (r.err != NULL)
		fail_msg("not valid JSON at offset %ld (%s): %s",
			 (long)(r.p - text), r.err, text);
}

/* The member key of o, failing the test when it is missing. */
static const struct json_member *member(const struct json_object *o,
					const char *key)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->m[i].key, key) == 0)
			return &o->m[i];
	fail_msg("no key \"%s\" in the object", key);
	return NULL;
}

static void string_is(const struct json_object *o, const char *key,
		      const char *want)
{
	const struct json_member *m = member(o, key);
	if (!m->is_string)
		fail_msg("\"%s\": expected the string \"%s\", found %s", key,
			 want, m->value);
	assert_string_equal(m->value, want);
}

/* A literal or number, as its text: "null", "0.2", "true" */
static void raw_is(const struct json_object *o, const char *key,
		   const char *want)
{
	const struct json_member *m = member(o, key);
	if (m->is_string)
		fail_msg("\"%s\": expected %s, found the string \"%s\"", key,
			 want, m->value);
	assert_string_equal(m->value, want);
}

/* The reader itself, on text it must refuse: a test that can fail. */
static void test_reader_refuses(void **state)
{
	(void)state;
	static const char *const bad_texts[] = {
		"[{\"a\": 1,}]", "[{\"a\": 01}]", "[{\"a\": \"x\ny\"}]",
		"[{\"a\": 1}", "[{\"a\": 1}] x", "[{\"a\" 1}]",
		"[{\"a\": .5}]", "[{\"a\": 1, \"a\": 2}]", "[{\"a\": nul}]",
	};
	for (size_t i = 0; i < sizeof bad_texts / sizeof *bad_texts; i++) {
		struct reader r = {bad_texts[i], NULL};
		struct json_object o;
		int rc = 0;
		skip_ws(&r);
		if (*r.p == '[')
			r.p++;
		rc = read_object(&r, &o);
		if (rc == 0) {
			skip_ws(&r);
			rc = *r.p == ']' && r.p[1] == '\0' ? 0 : -1;
		}
		if (rc == 0)
			fail_msg("the reader took bad JSON: %s", bad_texts[i]);
	}
	struct json_array a;
	json_read_array("[{\"a\": {\"b\": [1, 2]}, \"c\": -1.5e-3, "
			"\"d\": \"\\u00e9\\\"\"}]", &a);
	assert_int_equal(a.n, 1);
	raw_is(&a.o[0], "a", "{...}");
	raw_is(&a.o[0], "c", "-1.5e-3");
	string_is(&a.o[0], "d", "\xc3\xa9\"");
}

/* --- text --------------------------------------------------------------- */

static void test_text(void **state)
{
	(void)state;
	struct judgement j;
	struct capture c;
	make(&j);

	/* FAIL first, then WARN, then INFO, each in the judgement's
	 * order; sanitised for a terminal */
	findings_print_text(capture_begin(&c), &j, 2, FINDING_INFO);
	char *text = capture_end(&c);
	assert_string_equal(text, "  FAIL  " MSG0 "\n"
				  "  FAIL  " MSG3_SAFE "\n"
				  "  FAIL  " MSG4 "\n"
				  "  WARN  " MSG1 "\n"
				  "  WARN  " MSG5 "\n"
				  "  INFO  " MSG2 "\n");
	assert_null(strchr(text, '\033'));
	free(text);

	/* at least WARN: no notes; no indent */
	findings_print_text(capture_begin(&c), &j, 0, FINDING_WARN);
	text = capture_end(&c);
	assert_string_equal(text, "FAIL  " MSG0 "\n"
				  "FAIL  " MSG3_SAFE "\n"
				  "FAIL  " MSG4 "\n"
				  "WARN  " MSG1 "\n"
				  "WARN  " MSG5 "\n");
	free(text);

	findings_print_text(capture_begin(&c), &j, 4, FINDING_FAIL);
	text = capture_end(&c);
	assert_string_equal(text, "    FAIL  " MSG0 "\n"
				  "    FAIL  " MSG3_SAFE "\n"
				  "    FAIL  " MSG4 "\n");
	free(text);

	/* nothing found: nothing printed */
	j.nfindings = 0;
	findings_print_text(capture_begin(&c), &j, 2, FINDING_INFO);
	text = capture_end(&c);
	assert_string_equal(text, "");
	free(text);
}

/* --- JSON ----------------------------------------------------------------- */

static void test_json(void **state)
{
	(void)state;
	struct judgement j;
	struct capture c;
	struct json_array a;
	make(&j);
	findings_print_json(capture_begin(&c), &j);
	char *text = capture_end(&c);
	json_read_array(text, &a);

	/* one object per finding, in the judgement's order (not by
	 * severity, as the text is) */
	assert_int_equal(a.n, 6);
	static const char *const sev[] = {"FAIL", "WARN", "INFO",
					  "FAIL", "FAIL", "WARN"};
	static const char *const rule[] = {"dp_difference", "psi_scores",
					   "prior_shift", "tpr_drop",
					   "dp_difference", "dp_ratio"};
	for (size_t i = 0; i < 6; i++) {
		string_is(&a.o[i], "severity", sev[i]);
		string_is(&a.o[i], "rule", rule[i]);
	}

	/* values: an undefined rate is null, "" is null, numbers exact */
	string_is(&a.o[0], "feature", "sex");
	string_is(&a.o[0], "group", "sex=M");
	raw_is(&a.o[0], "baseline", "null");
	raw_is(&a.o[0], "candidate", "0.2");
	raw_is(&a.o[0], "threshold", "0.1");
	string_is(&a.o[0], "message", MSG0);
	/* 0.1 + 0.2 with all the digits it takes to read back the same */
	raw_is(&a.o[1], "candidate", "0.30000000000000004");
	assert_true(strtod(member(&a.o[1], "candidate")->value, NULL) ==
		    0.1 + 0.2);
	raw_is(&a.o[2], "feature", "null");
	raw_is(&a.o[2], "group", "null");
	raw_is(&a.o[2], "baseline", "0.4");
	raw_is(&a.o[2], "candidate", "0.5");
	raw_is(&a.o[2], "threshold", "null");
	raw_is(&a.o[3], "baseline", "0.8");
	raw_is(&a.o[3], "threshold", "0.05");
	/* the message whole, the ESC escaped (\u001b), never raw */
	string_is(&a.o[3], "message", MSG3);
	assert_non_null(strstr(text, "\\u001b[31m"));
	assert_null(strchr(text, '\033'));
	string_is(&a.o[4], "feature", "age");
	string_is(&a.o[4], "group", "age=old");
	raw_is(&a.o[4], "candidate", "0.15");
	string_is(&a.o[5], "message", MSG5);

	/* the interval and whether it is established; null for a finding
	 * that says nothing about it (established -1) */
	raw_is(&a.o[0], "low", "0.09");
	raw_is(&a.o[0], "high", "0.31");
	raw_is(&a.o[0], "established", "true");
	raw_is(&a.o[3], "low", "null");
	raw_is(&a.o[3], "high", "null");
	raw_is(&a.o[3], "established", "null");
	findings[5].low = -0.02;
	findings[5].established = 0;
	char *not_established = findings_to_json(&j);
	assert_non_null(strstr(not_established, "\"low\": -0.02, \"high\": "
					       "null, \"established\": false"));
	free(not_established);
	findings[5].low = RATE_UNDEFINED;
	findings[5].established = -1;

	/* findings_to_json() gives the same text */
	char *again = findings_to_json(&j);
	assert_non_null(again);
	assert_string_equal(again, text);
	free(again);
	free(text);

	/* nothing found: an empty array */
	j.nfindings = 0;
	findings_print_json(capture_begin(&c), &j);
	text = capture_end(&c);
	json_read_array(text, &a);
	assert_int_equal(a.n, 0);
	free(text);
}

static void test_perf_json(void **state)
{
	(void)state;
	struct judgement j;
	struct capture c;
	struct json_array a;
	make(&j);
	findings_print_perf_json(capture_begin(&c), &j);
	char *text = capture_end(&c);
	json_read_array(text, &a);
	assert_int_equal(a.n, 2);
	/* a rate changes in points, another metric in percent */
	string_is(&a.o[0], "metric", "accuracy");
	raw_is(&a.o[0], "baseline", "0.8");
	raw_is(&a.o[0], "candidate", "0.75");
	raw_is(&a.o[0], "change_points", "-5");
	string_is(&a.o[1], "metric", "throughput");
	raw_is(&a.o[1], "baseline", "100");
	raw_is(&a.o[1], "candidate", "193.1");
	raw_is(&a.o[1], "change_percent", "93.1");
	for (size_t i = 0; i < a.o[0].n; i++)
		assert_string_not_equal(a.o[0].m[i].key, "change_percent");
	for (size_t i = 0; i < a.o[1].n; i++)
		assert_string_not_equal(a.o[1].m[i].key, "change_points");
	free(text);

	j.nperf = 0;
	findings_print_perf_json(capture_begin(&c), &j);
	text = capture_end(&c);
	assert_string_equal(text, "[]");
	free(text);
}

/* --- JUnit and the rules failed ------------------------------------------- */

static void test_rules_failed(void **state)
{
	(void)state;
	struct judgement j;
	make(&j);
	/* three failing findings: dp_difference (twice) and tpr_drop;
	 * dp_ratio only warns */
	assert_int_equal(findings_failed(&j), 3);
	assert_int_equal(findings_rules_failed(&j), 2);
	findings[5].severity = FINDING_FAIL;
	assert_int_equal(findings_failed(&j), 4);
	assert_int_equal(findings_rules_failed(&j), 3);
	/* a FAIL under a rule that is not the gate's still fails */
	snprintf(findings[5].rule, sizeof findings[5].rule, "not_a_rule");
	assert_int_equal(findings_failed(&j), 4);
	assert_int_equal(findings_rules_failed(&j), 3);
	j.nfindings = 0;
	assert_int_equal(findings_failed(&j), 0);
	assert_int_equal(findings_rules_failed(&j), 0);
}

#define CASE(name) "    <testcase classname=\"fairtop.gate\" name=\"" name \
		   "\">\n"
#define END_CASE "    </testcase>\n"
#define EMPTY(name) CASE(name) END_CASE
#define FAILURE(msg) "      <failure message=\"" msg "\" type=\"fairness\">" \
		     msg "</failure>\n"

static void test_junit(void **state)
{
	(void)state;
	struct judgement j;
	struct capture c;
	make(&j);
	/* names are escaped as any text from a file */
	findings_print_junit(capture_begin(&c), &j, "base&1", "cand<1>");
	char *text = capture_end(&c);
	assert_string_equal(text,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		/* a failure per failing finding (3), as the text and
		 * JSON count them; 8 rules pass */
		"<testsuites tests=\"11\" failures=\"3\">\n"
		"  <testsuite name=\"fairtop gate: cand&lt;1&gt; against "
		"base&amp;1\" tests=\"11\" failures=\"3\" errors=\"0\">\n"
		/* each dp_difference finding a testcase of its own; the
		 * interval of the one that has one as a property */
		CASE("dp_difference sex sex=M")
		"      <properties>\n"
		"        <property name=\"sex sex=M\" value=\"low=0.09 "
		"high=0.31 established=yes\"/>\n"
		"      </properties>\n"
		FAILURE(MSG0_XML)
		END_CASE
		CASE("dp_difference age age=old")
		FAILURE(MSG4_XML)
		END_CASE
		EMPTY("dp_ratio")
		EMPTY("eo_difference")
		CASE("tpr_drop sex sex=M")
		FAILURE(MSG3_XML)
		END_CASE
		EMPTY("selection_drop")
		EMPTY("missing_group")
		EMPTY("group_shrank")
		EMPTY("fewer_rows")
		EMPTY("class_weights")
		EMPTY("beta_factor")
		/* warnings and notes in the judgement's order, then the
		 * performance note */
		"    <system-out>WARN: " MSG1 "&#10;INFO: " MSG2_XML
		"&#10;WARN: " MSG5_XML "&#10;" PERF_NOTE "</system-out>\n"
		"  </testsuite>\n"
		"</testsuites>\n");
	free(text);

	/* a failing finding of a rule not in the list: a failure too */
	findings[5].severity = FINDING_FAIL;
	snprintf(findings[5].rule, sizeof findings[5].rule, "not_a_rule");
	findings[5].feature = findings[5].group = "";
	findings_print_junit(capture_begin(&c), &j, "b", "c");
	text = capture_end(&c);
	assert_non_null(strstr(text, "<testsuites tests=\"12\" "
				     "failures=\"4\">\n"));
	assert_non_null(strstr(text, CASE("not_a_rule") FAILURE(MSG5_XML)
				     END_CASE "    <system-out>"));
	free(text);

	/* nothing failed: ten passing cases */
	j.nfindings = 0;
	j.performance_note[0] = '\0';
	findings_print_junit(capture_begin(&c), &j, "b", "c");
	text = capture_end(&c);
	assert_non_null(strstr(text, "<testsuites tests=\"10\" "
				     "failures=\"0\">\n"));
	assert_null(strstr(text, "<failure"));
	assert_non_null(strstr(text, "<system-out></system-out>"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_refuses),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_perf_json),
		cmocka_unit_test(test_rules_failed),
		cmocka_unit_test(test_junit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
