/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_range.c - the range grammar and durations: every form, its edges,
 * and what must be refused.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "cos.h"
#include "runner.h"

struct alert_case {
	const char *range;
	enum cos_range_sense sense;
	double value;
	bool alerts;
};

/* Endpoints are inclusive in every form. */
static const struct alert_case alert_cases[] = {
	/* N: 0..N for a plain metric */
	{"10", COS_RANGE_PLAIN, 0, false},
	{"10", COS_RANGE_PLAIN, 10, false},
	{"10", COS_RANGE_PLAIN, 10.5, true},
	{"10", COS_RANGE_PLAIN, -0.5, true},
	/* N: means N: for time left */
	{"10", COS_RANGE_TIME_LEFT, 10, false},
	{"10", COS_RANGE_TIME_LEFT, 9.99, true},
	{"10", COS_RANGE_TIME_LEFT, 1e9, false},
	{"10", COS_RANGE_TIME_LEFT, -5, true},
	/* N means ~:N for an age */
	{"10", COS_RANGE_AGE, 10, false},
	{"10", COS_RANGE_AGE, 10.01, true},
	{"10", COS_RANGE_AGE, -300, false},
	/* N: */
	{"10:", COS_RANGE_PLAIN, 10, false},
	{"10:", COS_RANGE_PLAIN, 9, true},
	{"10:", COS_RANGE_PLAIN, 1e12, false},
	/* ~:N includes N (a known bug elsewhere) */
	{"~:10", COS_RANGE_PLAIN, 10, false},
	{"~:10", COS_RANGE_PLAIN, -1e12, false},
	{"~:10", COS_RANGE_PLAIN, 10.001, true},
	/* N:M */
	{"10:20", COS_RANGE_PLAIN, 10, false},
	{"10:20", COS_RANGE_PLAIN, 20, false},
	{"10:20", COS_RANGE_PLAIN, 9.999, true},
	{"10:20", COS_RANGE_PLAIN, 20.001, true},
	{"-5:5", COS_RANGE_PLAIN, -5, false},
	{"-5:5", COS_RANGE_PLAIN, -6, true},
	/* @N:M alerts inside, endpoints included */
	{"@10:20", COS_RANGE_PLAIN, 10, true},
	{"@10:20", COS_RANGE_PLAIN, 20, true},
	{"@10:20", COS_RANGE_PLAIN, 15, true},
	{"@10:20", COS_RANGE_PLAIN, 9, false},
	{"@10:20", COS_RANGE_PLAIN, 21, false},
	{"@~:0", COS_RANGE_PLAIN, -1, true},
	{"@~:0", COS_RANGE_PLAIN, 0, true},
	{"@~:0", COS_RANGE_PLAIN, 0.5, false},
	/* @N with the sense of the metric: @N: for time left */
	{"@10", COS_RANGE_TIME_LEFT, 11, true},
	{"@10", COS_RANGE_TIME_LEFT, 9, false},
	/* a start left empty is 0 */
	{":10", COS_RANGE_PLAIN, 0, false},
	{":10", COS_RANGE_PLAIN, -1, true},
	/* ":" is 0: as in Monitoring Plugins */
	{":", COS_RANGE_PLAIN, 0, false},
	{":", COS_RANGE_PLAIN, -1, true},
	/* ~: covers everything */
	{"~:", COS_RANGE_PLAIN, -1e12, false},
	{"~:", COS_RANGE_PLAIN, 1e12, false},
	/* units */
	{"1d", COS_RANGE_TIME_LEFT, 86400, false},
	{"1d", COS_RANGE_TIME_LEFT, 86399, true},
	{"4h", COS_RANGE_TIME_LEFT, 14399, true},
	{"90m", COS_RANGE_AGE, 5400, false},
	{"90m", COS_RANGE_AGE, 5401, true},
	{"30s", COS_RANGE_AGE, 31, true},
	{"1.5h", COS_RANGE_TIME_LEFT, 5399, true},
	{"1.5h", COS_RANGE_TIME_LEFT, 5400, false},
	{"1h:1d", COS_RANGE_PLAIN, 3600, false},
	{"1h:1d", COS_RANGE_PLAIN, 86401, true},
	{"@1h:2h", COS_RANGE_PLAIN, 7200, true},
	/* fractions compared as doubles */
	{"0.5:0.75", COS_RANGE_PLAIN, 0.75, false},
	{"0.5:0.75", COS_RANGE_PLAIN, 0.7500001, true},
	{"+10:+20", COS_RANGE_PLAIN, 15, false},
};

START_TEST(alerts_as_documented)
{
	const struct alert_case *c = &alert_cases[_i];
	struct cos_range r;

	ck_assert_msg(cos_range_parse(&r, c->range, c->sense) == 0,
		      "'%s' was refused", c->range);
	ck_assert_msg(cos_range_alerts(&r, c->value) == c->alerts,
		      "'%s' (sense %d) on %g: want %s", c->range, c->sense,
		      c->value, c->alerts ? "alert" : "no alert");
}
END_TEST

static const char *const refused[] = {
	"",
	"@",
	"~",
	"abc",
	"10:5",
	"1x",
	"10dd",
	"d",
	" 10",
	"10 ",
	"1e3",
	"inf",
	"nan",
	"0x10",
	"10:abc",
	"~10",
	"10:~",
	"@@10",
	"--1",
	"1.2.3",
	"10::20",
	"4d:5",
	".",
	"-",
	"+",
	"10:20:30",
	"~:~",
	"1d:1h",
	"10 :20",
	"1D",
	"~:-",
	"@~",
	/* beyond 100 years or finer than a millisecond: they would print as
	 * "1e+23" or "1e-07", which perfdata does not allow */
	"99999999999999999999999",
	"36500.001d",
	"3153600001:",
	"~:-36501d",
	"0.0001",
	"1.2345h",
	"1:1.0000",
};

START_TEST(refuses_garbage)
{
	struct cos_range r = {.set = false};

	ck_assert_msg(cos_range_parse(&r, refused[_i], COS_RANGE_PLAIN) != 0,
		      "'%s' was accepted", refused[_i]);
	ck_assert(!r.set);
}
END_TEST

START_TEST(refuses_null)
{
	struct cos_range r;

	ck_assert_int_ne(cos_range_parse(&r, NULL, COS_RANGE_PLAIN), 0);
}
END_TEST

START_TEST(unset_range_never_alerts)
{
	struct cos_range r = {.set = false};

	ck_assert(!cos_range_alerts(&r, -1e300));
	ck_assert(!cos_range_alerts(&r, 1e300));
}
END_TEST

struct format_case {
	const char *range;
	enum cos_range_sense sense;
	const char *perfdata;
};

static const struct format_case format_cases[] = {
	{"1d", COS_RANGE_TIME_LEFT, "86400:"},
	{"4h", COS_RANGE_TIME_LEFT, "14400:"},
	{"1h", COS_RANGE_AGE, "~:3600"},
	{"10", COS_RANGE_PLAIN, "10"},
	{"10:20", COS_RANGE_PLAIN, "10:20"},
	{"@10:20", COS_RANGE_PLAIN, "@10:20"},
	{"~:10", COS_RANGE_PLAIN, "~:10"},
	{"0:", COS_RANGE_PLAIN, "0:"},
	{"1.5m:", COS_RANGE_PLAIN, "90:"},
	{"0.25", COS_RANGE_PLAIN, "0.25"},
	{"-1d:-1h", COS_RANGE_PLAIN, "-86400:-3600"},
	{"~:", COS_RANGE_PLAIN, "~:"},
	/* the limits: 100 years, milliseconds */
	{"36500d", COS_RANGE_TIME_LEFT, "3153600000:"},
	{"-36500d:3153600000", COS_RANGE_PLAIN, "-3153600000:3153600000"},
	{"0.001", COS_RANGE_AGE, "~:0.001"},
	{"0.001m:", COS_RANGE_PLAIN, "0.06:"},
};

START_TEST(formats_for_perfdata)
{
	const struct format_case *c = &format_cases[_i];
	struct cos_range r;
	char buf[64];

	ck_assert_int_eq(cos_range_parse(&r, c->range, c->sense), 0);
	cos_range_format(&r, buf, sizeof(buf));
	ck_assert_str_eq(buf, c->perfdata);
}
END_TEST

START_TEST(formats_unset_as_empty)
{
	struct cos_range r = {.set = false};
	char buf[8] = "x";

	cos_range_format(&r, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(seconds_with_units)
{
	double s;

	ck_assert_int_eq(cos_seconds_parse("300", &s), 0);
	ck_assert(s == 300);
	ck_assert_int_eq(cos_seconds_parse("5m", &s), 0);
	ck_assert(s == 300);
	ck_assert_int_eq(cos_seconds_parse("2h", &s), 0);
	ck_assert(s == 7200);
	ck_assert_int_eq(cos_seconds_parse("1d", &s), 0);
	ck_assert(s == 86400);
	ck_assert_int_eq(cos_seconds_parse("0.5", &s), 0);
	ck_assert(fabs(s - 0.5) < 1e-12);
	ck_assert_int_eq(cos_seconds_parse("7s", &s), 0);
	ck_assert(s == 7);
	ck_assert_int_ne(cos_seconds_parse("", &s), 0);
	ck_assert_int_ne(cos_seconds_parse("5 m", &s), 0);
	ck_assert_int_ne(cos_seconds_parse("5w", &s), 0);
	ck_assert_int_ne(cos_seconds_parse("m", &s), 0);
	ck_assert_int_ne(cos_seconds_parse("1:2", &s), 0);
	ck_assert_int_ne(cos_seconds_parse("36501d", &s), 0);
	ck_assert_int_ne(cos_seconds_parse("0.0005", &s), 0);
	ck_assert_int_ne(cos_seconds_parse("99999999999999999999999999999999999"
					   "99999999999999999999999999999999999"
					   "99999999999999999999999999999999999"
					   "99999999999999999999999999999999999"
					   "99999999999999999999999999999999999"
					   "99999999999999999999999999999999999"
					   "99999999999999999999999999999999999"
					   "99999999999999999999999999999999999"
					   "99999999999999999999999999999999999"
					   "999999999999999999999999d",
					   &s),
			 0);
}
END_TEST

static Suite *range_suite(void)
{
	Suite *s = suite_create("range");
	TCase *tc = tcase_create("grammar");

	tcase_add_loop_test(
		tc, alerts_as_documented, 0,
		(int)(sizeof(alert_cases) / sizeof(alert_cases[0])));
	tcase_add_loop_test(tc, refuses_garbage, 0,
			    (int)(sizeof(refused) / sizeof(refused[0])));
	tcase_add_test(tc, refuses_null);
	tcase_add_test(tc, unset_range_never_alerts);
	tcase_add_loop_test(
		tc, formats_for_perfdata, 0,
		(int)(sizeof(format_cases) / sizeof(format_cases[0])));
	tcase_add_test(tc, formats_unset_as_empty);
	tcase_add_test(tc, seconds_with_units);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(range_suite());
}
