/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * timefmt.c - OCSP times as epoch seconds, and times and durations as
 * operators read them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>

#include "internal.h"

#ifndef HAVE_TIMEGM
/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static time_t timegm(struct tm *tm)
{
	long long days =
		days_from_civil(tm->tm_year + 1900LL, (unsigned)tm->tm_mon + 1,
				(unsigned)tm->tm_mday);

	return (time_t)(days * 86400 + tm->tm_hour * 3600 + tm->tm_min * 60 +
			tm->tm_sec);
}
#endif

int cos_asn1_time_to_epoch(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*out = timegm(&tm);
	return 0;
}

void cos_time_format(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "@%lld", (long long)t);
}

void cos_duration_format(double seconds, char *buf, size_t len)
{
	static const struct {
		const char *unit;
		long long size;
	} units[] = {{"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}};
	long long left = (long long)(seconds < 0 ? -seconds : seconds);
	size_t n = 0;
	int shown = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && shown < 2;
	     i++) {
		long long count = left / units[i].size;

		if (count == 0 && (shown == 0 ? units[i].size > 1 : true)) {
			if (shown > 0)
				break;
			continue;
		}
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
				      "%s%lld%s", shown ? " " : "", count,
				      units[i].unit);
		left -= count * units[i].size;
		shown++;
		if (n >= len)
			break;
	}
}
