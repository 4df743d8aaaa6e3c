/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * runner.c - see runner.h.
 */
#include <stdlib.h>

#include "runner.h"

int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
