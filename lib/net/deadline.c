/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * deadline.c - one monotonic deadline shared by every step of a check, so
 * that -t bounds DNS, connect, STARTTLS and the handshake together.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <time.h>

#include "internal.h"

double cos_monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cos_deadline_start(struct cos_deadline *d, double seconds)
{
	double whole;

	d->none = !(seconds > 0);
	clock_gettime(CLOCK_MONOTONIC, &d->at);
	if (d->none)
		return;
	d->at.tv_nsec += (long)(modf(seconds, &whole) * 1e9);
	d->at.tv_sec += (time_t)whole + d->at.tv_nsec / 1000000000L;
	d->at.tv_nsec %= 1000000000L;
}

int cos_deadline_left_ms(const struct cos_deadline *d)
{
	struct timespec now;
	long long ms;

	if (d->none)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(d->at.tv_sec - now.tv_sec) * 1000 +
	     (d->at.tv_nsec - now.tv_nsec + 999999) / 1000000;
	if (ms <= 0)
		return 0;
	return ms > 24LL * 3600 * 1000 ? 24 * 3600 * 1000 : (int)ms;
}

bool cos_deadline_sleep(const struct cos_deadline *d, double seconds)
{
	struct timespec left;
	double whole;
	int ms = cos_deadline_left_ms(d);

	if (ms >= 0 && seconds * 1000 >= ms)
		return false;
	left.tv_nsec = (long)(modf(seconds, &whole) * 1e9);
	left.tv_sec = (time_t)whole;
	while (nanosleep(&left, &left) != 0 && errno == EINTR)
		;
	return true;
}
