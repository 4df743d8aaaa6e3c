/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_range.c - the threshold grammar: arbitrary text as a range in each
 * sense and as a number of seconds. What is accepted must print as
 * perfdata (no exponent, nothing but @~:-. and digits), read back to the
 * same range, and make a readable duration.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Equal up to the rounding of printing with 15 digits. */
static bool same(double a, double b)
{
	double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	return fabs(a - b) <= 1e-9 * (scale > 1 ? scale : 1);
}

static void check_round_trip(const struct cos_range *r, const char *text)
{
	struct cos_range back;
	char buf[64], when[64];

	cos_range_format(r, buf, sizeof(buf));
	if (strlen(buf) >= sizeof(buf) - 1)
		fuzz_fail("'%s' formats too long: '%s'", text, buf);
	fuzz_check_threshold(buf);
	if (cos_range_parse(&back, buf, COS_RANGE_PLAIN) != 0)
		fuzz_fail("'%s' formats as '%s', which does not parse", text,
			  buf);
	if (back.inside != r->inside || back.low_inf != r->low_inf ||
	    back.high_inf != r->high_inf ||
	    (!r->low_inf && !same(back.low, r->low)) ||
	    (!r->high_inf && !same(back.high, r->high)))
		fuzz_fail("'%s' formats as '%s', which reads differently", text,
			  buf);
	/* The status line words thresholds as durations. */
	cos_duration_format(r->low, when, sizeof(when));
	cos_duration_format(r->high, when, sizeof(when));
	(void)cos_range_alerts(r, 0);
	(void)cos_range_alerts(r, r->low);
	(void)cos_range_alerts(r, r->high);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cos_range_sense senses[] = {
		COS_RANGE_PLAIN, COS_RANGE_TIME_LEFT, COS_RANGE_AGE};
	char *text = malloc(size + 1);
	double seconds;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < sizeof(senses) / sizeof(senses[0]); i++) {
		struct cos_range r;

		if (cos_range_parse(&r, text, senses[i]) == 0)
			check_round_trip(&r, text);
	}
	if (cos_seconds_parse(text, &seconds) == 0 &&
	    !(isfinite(seconds) && fabs(seconds) <= 36500.0 * 86400))
		fuzz_fail("'%s' reads as %g seconds", text, seconds);
	free(text);
	return 0;
}
