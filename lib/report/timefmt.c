/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * timefmt.c - OCSP times as epoch seconds, and times, durations and
 * revocation reasons as operators read them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/ocsp.h>

#include "internal.h"

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

/* A UTC calendar time (as ASN1_TIME_to_tm gives it, each field in range)
 * in epoch seconds, by arithmetic: glibc's timegm() searches with mktime,
 * some 700 instructions a call, which a CRL of 100,000 entries would pay
 * for each of them (a twentieth of a cold check). */
static time_t utc_seconds(const struct tm *tm)
{
	long long days =
		days_from_civil(tm->tm_year + 1900LL, (unsigned)tm->tm_mon + 1,
				(unsigned)tm->tm_mday);

	return (time_t)(days * 86400 + tm->tm_hour * 3600 + tm->tm_min * 60 +
			tm->tm_sec);
}

int cos_asn1_time_to_epoch(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*out = utc_seconds(&tm);
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
	const size_t count = sizeof(units) / sizeof(units[0]);
	double whole = seconds < 0 ? -seconds : seconds;
	long long left;
	size_t i = 0;

	/* Far beyond any OCSP or certificate lifetime: no overflow below. */
	if (whole > 1e15)
		whole = 1e15;
	left = (long long)(whole + 0.5);
	/* The largest unit that fits, then the total rounded to the next
	 * smaller one, which may carry into a larger unit (6d 23h 59m 57s
	 * reads 7d, not 6d 23h). */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i + 1 < count && left < units[i].size; i++)
			;
		if (i + 1 < count) {
			long long step = units[i + 1].size;

			left = (left + step / 2) / step * step;
		}
	}
	if (i + 1 < count && left % units[i].size != 0)
		snprintf(buf, len, "%lld%s %lld%s", left / units[i].size,
			 units[i].unit,
			 left % units[i].size / units[i + 1].size,
			 units[i + 1].unit);
	else
		snprintf(buf, len, "%lld%s", left / units[i].size,
			 units[i].unit);
}

const char *cos_reason_format(int code, char *buf, size_t len)
{
	/* RFC 5280 5.3.1 assigns 0 to 10 but 7; OpenSSL names an unassigned
	 * value "(UNKNOWN)", which reads as if there were no reason. */
	if (code >= 0 && code <= 10 && code != 7)
		snprintf(buf, len, "reason %s", OCSP_crl_reason_str(code));
	else
		snprintf(buf, len, "reason code %d", code);
	return buf;
}
