/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sanitize.c - what server text becomes before anyone sees it (SPEC 9).
 *
 * Names, greetings, error strings and trace lines come from servers the
 * plugin does not trust. Shown as they are, a newline would forge an
 * output line, a '|' would start perfdata, and a C1 control, a line or
 * paragraph separator or a bidirectional override would make a reader
 * split or reorder the line. So: the status line keeps printable ASCII
 * only and escapes every other byte as \xNN; the long output keeps valid
 * UTF-8 but for those characters ('?' in their place) and escapes
 * invalid bytes as \xNN. '|' is '/' everywhere, a C0 control '?'. What
 * does not fit is cut between characters, never inside one.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The length of the valid UTF-8 sequence at s (1 to 4) and its code
 * point, or 0 when the bytes there are not one (RFC 3629: no overlong
 * form, no surrogate, nothing above U+10FFFF). */
static size_t utf8_char(const unsigned char *s, unsigned *cp)
{
	size_t n;
	unsigned min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, *cp = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, *cp = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, *cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* Characters that move or break a line: C1 controls (NEL among them),
 * the line and paragraph separators, and the bidirectional marks,
 * embeddings, overrides and isolates. */
static bool breaks_lines(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	       cp == 0x061c;
}

size_t cos_utf8_fit(const char *s, size_t n)
{
	size_t i = 0;
	unsigned cp;

	while (i < n) {
		size_t k = utf8_char((const unsigned char *)s + i, &cp);

		/* Bytes that are no character are kept: they are escaped
		 * later, one by one. */
		if (k == 0)
			k = 1;
		if (i + k > n)
			break;
		i += k;
	}
	return i;
}

static void sanitize(char *dst, size_t len, const char *src, bool utf8)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	if (len == 0)
		return;
	while (*s != '\0') {
		char piece[32];
		unsigned cp;
		size_t k = utf8_char(s, &cp), n;

		if (k == 1 && cp == '|')
			n = (size_t)snprintf(piece, sizeof(piece), "/");
		else if (k == 1 && (cp < 0x20 || cp == 0x7f))
			n = (size_t)snprintf(piece, sizeof(piece), "?");
		else if (k == 1)
			n = (size_t)snprintf(piece, sizeof(piece), "%c", cp);
		else if (k > 1 && utf8 && breaks_lines(cp))
			n = (size_t)snprintf(piece, sizeof(piece), "?");
		else if (k > 1 && utf8)
			memcpy(piece, s, n = k);
		else {
			/* Not UTF-8 at all, or no room for it on the status
			 * line: each byte of it escaped. */
			k = k > 0 ? k : 1;
			n = 0;
			for (size_t i = 0; i < k; i++)
				n += (size_t)snprintf(piece + n,
						      sizeof(piece) - n,
						      "\\x%02X", s[i]);
		}
		if (o + n + 1 > len)
			break;
		memcpy(dst + o, piece, n);
		o += n;
		s += k;
	}
	dst[o] = '\0';
}

void cos_sanitize(char *dst, size_t len, const char *src)
{
	sanitize(dst, len, src, false);
}

void cos_sanitize_utf8(char *dst, size_t len, const char *src)
{
	sanitize(dst, len, src, true);
}
