/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * range.c - the Monitoring Plugins range grammar ([@][start:][end], with ~
 * for minus infinity), endpoints inclusive, on numbers of seconds that may
 * carry a unit: s, m, h or d.
 */
#include "config.h"

#include <errno.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cos.h"

/*
 * Numbers of seconds stay within 100 years and to the millisecond: beyond
 * that they are typos, and they would print in exponent notation ("1e+23",
 * "1e-07"), which perfdata does not allow, and overflow a duration.
 */
#define SECONDS_MAX  (36500.0 * 86400)
#define DECIMALS_MAX 3

/* Reads a plain decimal number; strtod alone would also take "inf", "nan",
 * hex, exponents and leading blanks, none of which belong in a threshold. */
static const char *scan_number(const char *p, double *out)
{
	const char *start = p;
	int digits = 0, decimals = 0;
	char *end;

	if (*p == '+' || *p == '-')
		p++;
	for (; isdigit((unsigned char)*p); p++)
		digits++;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			decimals++;
	if (digits + decimals == 0 || decimals > DECIMALS_MAX)
		return NULL;
	*out = strtod(start, &end);
	return end == p ? p : NULL;
}

static double unit_factor(char unit)
{
	switch (unit) {
	case 's': return 1;
	case 'm': return 60;
	case 'h': return 3600;
	case 'd': return 86400;
	default: return 0;
	}
}

/* A number with an optional unit, ending where the text or the endpoint
 * ends (at stop, or at the end of the string). */
static int parse_seconds_until(const char *text, const char *stop,
			       double *seconds)
{
	double value, factor = 1;
	const char *p = scan_number(text, &value);

	if (p == NULL)
		return -1;
	if (p != stop && *p != '\0') {
		factor = unit_factor(*p);
		if (factor == 0)
			return -1;
		p++;
	}
	if (p != stop && !(stop == NULL && *p == '\0'))
		return -1;
	value *= factor;
	if (!isfinite(value) || fabs(value) > SECONDS_MAX)
		return -1;
	*seconds = value;
	return 0;
}

int cos_seconds_parse(const char *text, double *seconds)
{
	return parse_seconds_until(text, NULL, seconds);
}

/* Binary units, as sizes of files and downloads are read. */
static const struct {
	const char *suffix;
	unsigned shift;
} size_units[] = {{"", 0},    {"K", 10},   {"KiB", 10}, {"M", 20},
		  {"MiB", 20}, {"G", 30}, {"GiB", 30}};

int cos_size_parse(const char *text, size_t *bytes)
{
	unsigned long long n;
	char *end;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	n = strtoull(text, &end, 10);
	if (errno != 0 || n == 0)
		return -1;
	for (size_t i = 0; i < sizeof(size_units) / sizeof(size_units[0]);
	     i++) {
		if (strcmp(end, size_units[i].suffix) != 0)
			continue;
		if (n > (COS_SIZE_MAX >> size_units[i].shift))
			return -1;
		*bytes = (size_t)(n << size_units[i].shift);
		return 0;
	}
	return -1;
}

void cos_size_format(size_t bytes, char *buf, size_t len)
{
	if (bytes >= (1u << 30) && bytes % (1u << 30) == 0)
		snprintf(buf, len, "%zu GiB", bytes >> 30);
	else if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
		snprintf(buf, len, "%zu MiB", bytes >> 20);
	else if (bytes >= 1024 && bytes % 1024 == 0)
		snprintf(buf, len, "%zu KiB", bytes >> 10);
	else
		snprintf(buf, len, "%zu bytes", bytes);
}

static void range_bare(struct cos_range *r, double n,
		       enum cos_range_sense sense)
{
	switch (sense) {
	case COS_RANGE_TIME_LEFT:
		r->low = n;
		r->high_inf = true;
		break;
	case COS_RANGE_AGE:
		r->low_inf = true;
		r->high = n;
		break;
	case COS_RANGE_PLAIN:
		r->low = 0;
		r->high = n;
		break;
	}
}

int cos_range_parse(struct cos_range *r, const char *text,
		    enum cos_range_sense sense)
{
	struct cos_range out = {.set = true};
	const char *colon;
	double n;

	if (text == NULL)
		return -1;
	if (*text == '@') {
		out.inside = true;
		text++;
	}
	if (*text == '\0')
		return -1;
	colon = strchr(text, ':');
	if (colon == NULL) {
		if (parse_seconds_until(text, NULL, &n) != 0)
			return -1;
		range_bare(&out, n, sense);
	} else {
		if (text[0] == '~' && text + 1 == colon)
			out.low_inf = true;
		else if (text != colon &&
			 parse_seconds_until(text, colon, &out.low) != 0)
			return -1;
		if (colon[1] == '\0')
			out.high_inf = true;
		else if (parse_seconds_until(colon + 1, NULL, &out.high) != 0)
			return -1;
	}
	if (!out.low_inf && !out.high_inf && out.low > out.high)
		return -1;
	*r = out;
	return 0;
}

bool cos_range_alerts(const struct cos_range *r, double value)
{
	bool below, above;

	if (!r->set)
		return false;
	below = !r->low_inf && value < r->low;
	above = !r->high_inf && value > r->high;
	return r->inside ? !(below || above) : (below || above);
}

void cos_range_format(const struct cos_range *r, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (!r->set)
		return;
	if (r->inside)
		n += (size_t)snprintf(buf + n, len - n, "@");
	if (r->low_inf)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "~:");
	else if (r->low != 0 || r->high_inf)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
				      "%.15g:", r->low);
	if (!r->high_inf)
		snprintf(buf + n, n < len ? len - n : 0, "%.15g", r->high);
}
