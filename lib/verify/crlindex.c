/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crlindex.c - a verified CRL as a sorted index of its revoked serials: a
 * header of the CRL's facts, then fixed-size records, one per entry, in
 * the serials' order. It is what every lookup searches, whether just built
 * from a CRL or mapped from --cache-dir, where it is kept as these bytes:
 * a later run reads the header and the few records its binary search
 * visits, so a cached check neither reads nor parses the CRL.
 *
 * The bytes are this machine's (host byte order, no padding in the
 * structures); the header names its own size and its records', and carries
 * the SHA-256 of itself. The records carry none: hashing a 100,000-entry
 * index would cost a cached check more than the whole check costs, and
 * what keeps an entry honest is the directory nobody else may write to
 * (cache.c), as for a kept OCSP answer. The file's size must be exactly
 * the header's count of records.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "internal.h"

static bool head_digest(const struct cos_crlix_head *h, uint8_t out[32])
{
	unsigned int n = 0;

	return EVP_Digest(h, offsetof(struct cos_crlix_head, digest), out, &n,
			  EVP_sha256(), NULL) == 1 &&
	       n == 32;
}

bool cos_crl_index_alloc(struct cos_crl_index *ix, size_t capacity)
{
	size_t len = sizeof(struct cos_crlix_head) +
		     capacity * sizeof(struct cos_crlix_record);

	memset(ix, 0, sizeof(*ix));
	if (capacity > (SIZE_MAX - sizeof(struct cos_crlix_head)) /
			       sizeof(struct cos_crlix_record) ||
	    (ix->bytes = calloc(1, len)) == NULL)
		return false;
	ix->head = (struct cos_crlix_head *)(void *)ix->bytes;
	ix->records = (struct cos_crlix_record *)(void *)(ix->head + 1);
	ix->capacity = capacity;
	memcpy(ix->head->magic, COS_CRLIX_MAGIC, sizeof(ix->head->magic));
	ix->head->head_size = sizeof(struct cos_crlix_head);
	ix->head->record_size = sizeof(struct cos_crlix_record);
	return true;
}

bool cos_crl_index_serial(const ASN1_INTEGER *serial, uint8_t key[32])
{
	int n = ASN1_STRING_length(serial);

	memset(key, 0, 32);
	if (n < 0 || n > COS_CRLIX_SERIAL_MAX)
		return false;
	/* OpenSSL keeps the magnitude, without leading zeros, and the sign
	 * in the type: a serial is its sign, length and magnitude, so equal
	 * integers have equal keys whatever their text looks like. */
	key[0] = ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER;
	key[1] = (uint8_t)n;
	memcpy(key + 2, ASN1_STRING_get0_data(serial), (size_t)n);
	return true;
}

bool cos_crl_index_add(struct cos_crl_index *ix, const ASN1_INTEGER *serial,
		       const struct cos_crlix_record *entry)
{
	struct cos_crlix_record *r;

	if (ix->head->count == ix->capacity)
		return false;
	r = (struct cos_crlix_record *)&ix->records[ix->head->count];
	*r = *entry;
	r->order = (uint32_t)(ix->head->count + ix->head->long_serials);
	if (!cos_crl_index_serial(serial, r->serial)) {
		ix->head->long_serials++;
		return true;
	}
	ix->head->count++;
	return true;
}

static int by_serial(const struct cos_crlix_record *x,
		     const struct cos_crlix_record *y)
{
	return memcmp(x->serial, y->serial, sizeof(x->serial));
}

/* The serials' order, and the CRL's own among entries of one serial. */
static int in_order(const void *a, const void *b)
{
	const struct cos_crlix_record *x = a, *y = b;
	int c = by_serial(x, y);

	return c != 0 ? c : (x->order > y->order) - (x->order < y->order);
}

void cos_crl_index_sort(struct cos_crl_index *ix)
{
	struct cos_crlix_record *r = (struct cos_crlix_record *)ix->records;
	size_t n = (size_t)ix->head->count;
	size_t i = 1;

	/* CAs mostly write their entries in order already. */
	while (i < n && in_order(&r[i - 1], &r[i]) <= 0)
		i++;
	if (i < n)
		qsort(r, n, sizeof(*r), in_order);
	ix->len = sizeof(struct cos_crlix_head) + n * sizeof(*r);
}

bool cos_crl_index_seal(struct cos_crl_index *ix)
{
	return head_digest(ix->head, ix->head->digest);
}

static bool terminated(const char *text, size_t size)
{
	return memchr(text, '\0', size) != NULL;
}

bool cos_crl_index_open(int fd, size_t len, const char *key,
			struct cos_crl_index *ix, const char **why)
{
	struct cos_crlix_head *h = &ix->file_head;
	uint8_t want[32];

	memset(ix, 0, sizeof(*ix));
	*why = "not an index of this version";
	if (len < sizeof(*h) || pread(fd, h, sizeof(*h), 0) != sizeof(*h) ||
	    memcmp(h->magic, COS_CRLIX_MAGIC, sizeof(h->magic)) != 0 ||
	    h->head_size != sizeof(*h) ||
	    h->record_size != sizeof(struct cos_crlix_record))
		return false;
	*why = "its header's digest differs";
	if (!head_digest(h, want) || memcmp(want, h->digest, 32) != 0)
		return false;
	*why = "its size is not its records'";
	if (h->count > (len - sizeof(*h)) / sizeof(struct cos_crlix_record) ||
	    len != sizeof(*h) + h->count * sizeof(struct cos_crlix_record))
		return false;
	*why = "its header's text is not terminated";
	if (!terminated(h->key, sizeof(h->key)) ||
	    !terminated(h->number_text, sizeof(h->number_text)) ||
	    !terminated(h->issuer, sizeof(h->issuer)) ||
	    !terminated(h->freshest, sizeof(h->freshest)) ||
	    !terminated(h->etag, sizeof(h->etag)) ||
	    !terminated(h->last_modified, sizeof(h->last_modified)))
		return false;
	*why = "kept for another CRL";
	if (strcmp(h->key, key) != 0)
		return false;
	ix->head = h;
	ix->fd = fd;
	ix->from_file = true;
	ix->len = len;
	ix->capacity = (size_t)h->count;
	return true;
}

/* Record i, from memory or from the file. */
static bool record_at(const struct cos_crl_index *ix, size_t i,
		      struct cos_crlix_record *r)
{
	off_t at = (off_t)(sizeof(struct cos_crlix_head) + i * sizeof(*r));

	if (!ix->from_file) {
		*r = ix->records[i];
		return true;
	}
	return pread(ix->fd, r, sizeof(*r), at) == (ssize_t)sizeof(*r);
}

bool cos_crl_index_load(struct cos_crl_index *ix)
{
	size_t n = (size_t)ix->head->count;
	struct cos_crl_index loaded;
	size_t want = n * sizeof(struct cos_crlix_record), got = 0;

	if (!ix->from_file)
		return true;
	if (!cos_crl_index_alloc(&loaded, n))
		return false;
	while (got < want) {
		ssize_t r = pread(ix->fd, (unsigned char *)loaded.records + got,
				  want - got,
				  (off_t)(sizeof(struct cos_crlix_head) + got));

		if (r <= 0) {
			cos_crl_index_free(&loaded);
			return false;
		}
		got += (size_t)r;
	}
	*loaded.head = *ix->head;
	loaded.len = ix->len;
	cos_crl_index_free(ix);
	*ix = loaded;
	return true;
}

enum cos_crlix_found cos_crl_index_find(const struct cos_crl_index *ix,
					const ASN1_INTEGER *serial,
					struct cos_crlix_record *entry)
{
	struct cos_crlix_record want, r;
	size_t lo = 0, hi = (size_t)ix->head->count;

	if (!cos_crl_index_serial(serial, want.serial))
		return ix->head->long_serials > 0 ? COS_CRLIX_UNKNOWN
						  : COS_CRLIX_ABSENT;
	/* The first entry not below the serial: with two entries for one
	 * serial, the first in the CRL's order. A kept index is read a
	 * record at a time, some 17 for 100,000 entries: the check's memory
	 * stays its own, as the file's pages are never mapped. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (!record_at(ix, mid, &r))
			return COS_CRLIX_UNREADABLE;
		if (by_serial(&r, &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ix->head->count)
		return COS_CRLIX_ABSENT;
	if (!record_at(ix, lo, &r))
		return COS_CRLIX_UNREADABLE;
	if (by_serial(&r, &want) != 0)
		return COS_CRLIX_ABSENT;
	*entry = r;
	return COS_CRLIX_LISTED;
}

void cos_crl_index_free(struct cos_crl_index *ix)
{
	free(ix->bytes);
	if (ix->from_file)
		close(ix->fd);
	memset(ix, 0, sizeof(*ix));
}
