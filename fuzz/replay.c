/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * replay.c - main() for a harness outside libFuzzer: runs every file
 * named (or every file of every directory named) through
 * LLVMFuzzerTestOneInput once. Every build's 'make check' replays the seed
 * corpus and the regressions (inputs that once found a bug) this way; with
 * no argument, those of the harness it was built for (COS_FUZZ_HARNESS).
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		if (f != NULL)
			fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 1;
}

/* The number of inputs replayed, -1 on an unreadable one. */
static int replay(const char *path)
{
	struct dirent **names;
	struct stat st;
	char child[4096];
	int n, count = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: no such file\n", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	n = scandir(path, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' && count >= 0) {
			int r;

			snprintf(child, sizeof(child), "%s/%s", path,
				 names[i]->d_name);
			r = replay(child);
			count = r < 0 ? -1 : count + r;
		}
		free(names[i]);
	}
	free(names);
	return n < 0 ? -1 : count;
}

int main(int argc, char **argv)
{
	const char *defaults[] = {
		COS_FUZZ_DIR "/corpus/" COS_FUZZ_HARNESS,
		COS_FUZZ_DIR "/regressions/" COS_FUZZ_HARNESS,
	};
	int total = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 0; i < (argc > 1 ? argc - 1 : 2); i++) {
		const char *path = argc > 1 ? argv[i + 1] : defaults[i];
		struct stat st;
		int n;

		/* A harness that never found a bug has no regressions. */
		if (argc == 1 && i == 1 && stat(path, &st) != 0)
			continue;
		n = replay(path);

		if (n < 0)
			return 1;
		printf("%s: %d inputs\n", path, n);
		total += n;
	}
	printf("replay-%s: %d inputs, no finding\n", COS_FUZZ_HARNESS, total);
	return total > 0 ? 0 : 1;
}
