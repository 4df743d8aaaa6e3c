/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_ocsp_staple - does a TLS server staple a valid, fresh OCSP response
 * for its certificate? Reads the options, runs the library's check, prints
 * its report and exits with its state.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cos.h"
#include "usage.h"

/* The library bounds every step by the -t deadline; this alarm is only the
 * backstop for what it cannot reach, so that the plugin always ends. */
static enum cos_state backstop_state;
static char backstop_message[160];

static void backstop(int sig)
{
	ssize_t ignored;

	(void)sig;
	ignored = write(STDOUT_FILENO, backstop_message,
			strlen(backstop_message));
	(void)ignored;
	_exit(backstop_state);
}

static void arm_backstop(const struct cos_options *o)
{
	backstop_state = o->policy.timeout;
	/* A normal status line, perfdata included: the time is as far as
	 * the alarm lets the check go. */
	snprintf(backstop_message, sizeof(backstop_message),
		 "OCSP STAPLE %s - timeout: the check did not end within "
		 "%g s | time=%us\n",
		 cos_state_name(o->policy.timeout), o->cfg.timeout,
		 (unsigned)o->cfg.timeout + 2);
	signal(SIGALRM, backstop);
	alarm((unsigned)o->cfg.timeout + 2);
}

/*
 * Descriptors 0 to 2 must be open before anything else is: a socket that
 * became descriptor 1 would receive the output (the backstop's line
 * included). A closed one is reopened on /dev/null; false when stdout was
 * closed, which the caller reports as a local problem.
 */
static bool open_standard_descriptors(void)
{
	bool stdout_open = true;

	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (fd == STDOUT_FILENO)
			stdout_open = false;
		/* The lowest free descriptor is fd itself. */
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			_exit(COS_UNKNOWN);
	}
	return stdout_open;
}

/*
 * glibc raises its mmap threshold to the size of each large block freed,
 * after which large buffers come from the heap: a CRL's bytes, read or
 * fetched into a buffer that grows, are then copied at each growth instead
 * of remapped, and the heap is trimmed and grown again around them. Kept
 * at its default (128 KiB), a cold check of a CRL of 100,000 entries takes
 * a tenth less time (bench/run); a plain check is unchanged.
 */
static void keep_mmap_threshold(void)
{
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

int main(int argc, char **argv)
{
	struct cos_options o;
	struct cos_result res;
	struct cos_text out = {NULL, 0, 0, false};
	enum cos_state state;

	keep_mmap_threshold();
	if (!open_standard_descriptors()) {
		fprintf(stderr,
			"%s: local problem: standard output is closed; "
			"no check made\n",
			PACKAGE_NAME);
		return COS_UNKNOWN;
	}
	/* First: the options' checks use OpenSSL (URLs, cipher lists), and
	 * its first use, were it theirs, would start it with the clean-up
	 * at exit that cos_openssl_init leaves out. */
	if (cos_openssl_init() != 0) {
		printf("OCSP STAPLE UNKNOWN - local problem: OpenSSL cannot "
		       "start\n");
		return COS_UNKNOWN;
	}
	switch (cos_options_parse(&o, argc, argv)) {
	/* UNKNOWN, as the Monitoring Plugins' own plugins end them: a
	 * service defined with --help by mistake must not read OK. */
	case COS_PARSE_HELP: print_help(); return COS_UNKNOWN;
	case COS_PARSE_VERSION: print_version(); return COS_UNKNOWN;
	case COS_PARSE_ERROR:
		/* One line on stdout, as every plugin output. */
		printf("OCSP STAPLE UNKNOWN - %s (see '%s --help')\n", o.error,
		       PACKAGE_NAME);
		return COS_UNKNOWN;
	case COS_PARSE_RUN: break;
	}
	/* A server that resets the connection must not kill us mid-write. */
	signal(SIGPIPE, SIG_IGN);
	arm_backstop(&o);
	cos_check(&o.cfg, &res);
	state = cos_report(&res, &o.policy, o.cfg.verbosity, &out);
	alarm(0);
	if (out.failed) {
		printf("OCSP STAPLE UNKNOWN - out of memory\n");
		state = COS_UNKNOWN;
	} else {
		fwrite(out.buf, 1, out.len, stdout);
	}
	/* Output that did not reach the monitoring system is no verdict. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr,
			"%s: local problem: cannot write the output: %s\n",
			PACKAGE_NAME, strerror(errno));
		state = COS_UNKNOWN;
	}
	cos_text_free(&out);
	cos_result_free(&res);
	return state;
}
