/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cache.c - --cache-dir: answers kept between runs, one file each, named
 * by a key the caller makes. The directory must be this user's (or root's)
 * and writable by nobody else, as ssh asks of ~/.ssh: whoever may write
 * there may forge what the next run believes. An entry is written to a
 * temporary file and renamed into place, so a concurrent reader sees the
 * old entry or the new one, never half of one. Each entry carries the
 * SHA-256 of its content (a CRL index, read a record at a time, checks
 * its own header instead: cos_cache_open): one that is foreign-owned, corrupt
 * (its digest differs), oversized or past its time is treated as absent, and
 * replaced by the next write.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define MAGIC "check_ocsp_staple cache 2\n"
/* An answer (capped at 64 KiB when fetched) and its header. */
#define ENTRY_MAX (64 * 1024 + 128)

static bool safe_owner(const struct stat *st)
{
	return st->st_uid == geteuid() || st->st_uid == 0;
}

enum cos_status cos_cache_check_dir(const char *dir, struct cos_result *res)
{
	struct stat st;

	/* Checks sharing a new directory race to make it: one made by
	 * another is as good, once it passes the checks below. */
	if (stat(dir, &st) != 0 && errno == ENOENT && mkdir(dir, 0700) != 0 &&
	    errno != EEXIST)
		return cos_fail(res, COS_E_CACHE_DIR, "--cache-dir %s: %s", dir,
				strerror(errno));
	if (stat(dir, &st) != 0)
		return cos_fail(res, COS_E_CACHE_DIR, "--cache-dir %s: %s", dir,
				strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cos_fail(res, COS_E_CACHE_DIR,
				"--cache-dir %s is not a directory", dir);
	if (!safe_owner(&st))
		return cos_fail(res, COS_E_CACHE_DIR,
				"--cache-dir %s belongs to uid %u, not to this "
				"user",
				dir, (unsigned)st.st_uid);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return cos_fail(res, COS_E_CACHE_DIR,
				"--cache-dir %s is writable by others (mode "
				"%03o): they could forge its answers",
				dir, (unsigned)(st.st_mode & 0777));
	return COS_GOOD;
}

static int entry_path(char *buf, size_t len, const char *dir, const char *key)
{
	int n = snprintf(buf, len, "%s/%s", dir, key);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Why an open entry is not to be believed: not a regular file, not this
 * user's own, writable by others, empty; NULL when it may be. */
static const char *unsafe_file(int fd, struct stat *st)
{
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode))
		return "not a regular file";
	if (st->st_uid != geteuid() || (st->st_mode & (S_IWGRP | S_IWOTH)))
		return "not this user's own file";
	if (st->st_size <= 0 || (uintmax_t)st->st_size > SIZE_MAX)
		return "of an impossible size";
	return NULL;
}

/* The whole of an open entry, if it is ours and small enough, with a NUL
 * after it. */
static unsigned char *read_entry(int fd, size_t *len, const char **why)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	ssize_t n;

	if ((*why = unsafe_file(fd, &st)) != NULL)
		return NULL;
	if (st.st_size > ENTRY_MAX) {
		*why = "of an impossible size";
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	while (got < (size_t)st.st_size &&
	       (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0'; /* the header is read as text */
	*len = got;
	return buf;
}

/* The content of an entry after its header, if the header holds and the
 * digest matches: expires and the content's offset. */
static bool parse_entry(const unsigned char *buf, size_t n, long long *expires,
			size_t *head, const char **why)
{
	const size_t m = strlen(MAGIC);
	char want[65], got[65];
	const unsigned char *end;

	*why = "corrupt";
	if (n <= m || memcmp(buf, MAGIC, m) != 0 ||
	    (end = memchr(buf + m, '\n', n - m)) == NULL ||
	    (end = memchr(end + 1, '\n', n - (size_t)(end + 1 - buf))) ==
		    NULL ||
	    sscanf((const char *)buf + m, "expires %lld\nsha256 %64[0-9a-f]\n",
		   expires, want) != 2)
		return false;
	*head = (size_t)(end + 1 - buf);
	if (!cos_sha256_hex(buf + *head, n - *head, NULL, 0, got) ||
	    strcmp(got, want) != 0) {
		*why = "its digest differs";
		return false;
	}
	return true;
}

bool cos_cache_get(const char *dir, const char *key, time_t now,
		   unsigned char **data, size_t *len, struct cos_result *res)
{
	char path[4096];
	const char *why = "corrupt";
	unsigned char *buf;
	size_t n = 0, head = 0;
	long long expires = 0;
	int fd;

	*data = NULL;
	if (entry_path(path, sizeof(path), dir, key) != 0 ||
	    (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return false;
	buf = read_entry(fd, &n, &why);
	close(fd);
	if (buf != NULL && parse_entry(buf, n, &expires, &head, &why)) {
		if (expires <= (long long)now) {
			cos_trace(res, 2, "cache: %s expired", path);
			free(buf);
			return false;
		}
		memmove(buf, buf + head, n - head);
		buf[n - head] = '\0';
		*data = buf;
		*len = n - head;
		cos_trace(res, 2, "cache: %s, kept until %lld", path, expires);
		return true;
	}
	cos_trace(res, 2, "cache: %s ignored: %s", path, why);
	free(buf);
	return false;
}

static bool write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

bool cos_cache_write(const char *dir, const char *key,
		     const struct cos_cache_part *parts, size_t count,
		     struct cos_result *res)
{
	char path[4096], tmp[4096];
	bool ok = true;
	int fd;

	if (entry_path(path, sizeof(path), dir, key) != 0 ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, key) >=
		    (int)sizeof(tmp) ||
	    (fd = mkstemp(tmp)) < 0) {
		cos_trace(res, 2, "cache: cannot write into %s: %s", dir,
			  strerror(errno));
		return false;
	}
	for (size_t i = 0; i < count && ok; i++)
		ok = write_all(fd, parts[i].data, parts[i].len);
	if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
		cos_trace(res, 2, "cache: cannot write %s: %s", path,
			  strerror(errno));
		unlink(tmp);
		return false;
	}
	return true;
}

void cos_cache_put(const char *dir, const char *key, time_t expires,
		   const unsigned char *data, size_t len,
		   struct cos_result *res)
{
	char head[128], hex[65];
	struct cos_cache_part parts[3];
	int n;

	if (!cos_sha256_hex(data, len, NULL, 0, hex))
		return;
	n = snprintf(head, sizeof(head), "expires %lld\nsha256 %s\n",
		     (long long)expires, hex);
	parts[0] = (struct cos_cache_part){MAGIC, strlen(MAGIC)};
	parts[1] = (struct cos_cache_part){head, (size_t)n};
	parts[2] = (struct cos_cache_part){data, len};
	if (cos_cache_write(dir, key, parts, 3, res))
		cos_trace(res, 2, "cache: wrote %s/%s, kept until %lld", dir,
			  key, (long long)expires);
}

int cos_cache_open(const char *dir, const char *key, size_t *size,
		   struct cos_result *res)
{
	char path[4096];
	struct stat st;
	const char *why;
	int fd;

	if (entry_path(path, sizeof(path), dir, key) != 0 ||
	    (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	if ((why = unsafe_file(fd, &st)) != NULL) {
		cos_trace(res, 2, "cache: %s ignored: %s", path, why);
		close(fd);
		return -1;
	}
	*size = (size_t)st.st_size;
	return fd;
}
