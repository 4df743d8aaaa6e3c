/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * text.c - the growable string output is assembled in.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cos.h"

static bool text_reserve(struct cos_text *t, size_t more)
{
	size_t want, cap;
	char *buf;

	if (t->failed)
		return false;
	want = t->len + more + 1;
	if (want <= t->cap)
		return true;
	cap = t->cap ? t->cap : 256;
	while (cap < want)
		cap *= 2;
	buf = realloc(t->buf, cap);
	if (buf == NULL) {
		t->failed = true;
		return false;
	}
	t->buf = buf;
	t->cap = cap;
	return true;
}

void cos_text_append(struct cos_text *t, const char *s)
{
	size_t n = strlen(s);

	if (!text_reserve(t, n))
		return;
	memcpy(t->buf + t->len, s, n + 1);
	t->len += n;
}

void cos_text_printf(struct cos_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !text_reserve(t, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

void cos_text_free(struct cos_text *t)
{
	free(t->buf);
	memset(t, 0, sizeof(*t));
}
