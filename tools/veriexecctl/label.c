// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - Files against the loaded entries: check, label
 *
 * Copyright © 2026 The veriexec authors
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../../security/veriexec/manifest.h"
#include "veriexecctl.h"

#define LABEL_XATTR "security.veriexec"

/* An entry as the entries file lists it. */
struct listed {
	char alg[16];
	char hex[129];
};

/*
 * Find the file's entry as the kernel does: by inode, else by the label.
 * Returns 1 when found, 0 when not, -1 when the entries cannot be read.
 */
static int find_listed(const char *path, const struct stat *st,
		       struct listed *out)
{
	char line[8192], label[160], want[64], set[80], p[4100], opts[128];
	char devino[64];
	char entries[512];
	ssize_t llen;
	FILE *f;
	int found = 0;

	fs_path(entries, sizeof(entries), "entries");
	f = fopen(entries, "r");
	if (!f) {
		fail("%s: %s", entries, strerror(errno));
		return -1;
	}
	snprintf(want, sizeof(want), "%u:%u:%lu", major(st->st_dev),
		 minor(st->st_dev), (unsigned long)st->st_ino);
	llen = getxattr(path, LABEL_XATTR, label, sizeof(label) - 1);
	label[llen > 0 ? llen : 0] = '\0';
	while (!found && fgets(line, sizeof(line), f)) {
		struct listed e;
		char both[160];

		if (sscanf(line, "%79s %4099s %15s %128s %127s %63s", set, p,
			   e.alg, e.hex, opts, devino) != 6)
			continue;
		snprintf(both, sizeof(both), "%s:%s", e.alg, e.hex);
		if (!strcmp(devino, want) || (llen > 0 && !strcmp(both, label))) {
			*out = e;
			found = 1;
		}
	}
	fclose(f);
	return found;
}

/*
 * The kernel takes an fsverity-* fingerprint from fs-verity and never
 * reads the file: one without fs-verity, or whose tree was built with
 * other parameters, is a mismatch even when its content is right.
 */
static bool verity_holds(int fd, const char *path, int algo, const char *hex)
{
	unsigned char md[64];
	char held[129];
	unsigned int len;
	int held_algo;

	if (fsverity_measure(fd, &held_algo, md, &len)) {
		fail("%s: fs-verity is not enabled on it, a mismatch to the kernel",
		     path);
		return false;
	}
	hex_encode(md, len, held);
	if (held_algo == algo && !strcasecmp(held, hex))
		return true;
	fail("%s: fs-verity holds %s:%s, built with other parameters", path,
	     veriexec_algo_name(held_algo), held);
	return false;
}

/* Whether the file's content, hashed here, matches @e; -1 on errors. */
static int matches(const char *path, const struct listed *e)
{
	int algo = veriexec_algo_from_name(e->alg);
	unsigned char md[64];
	char hex[129];
	unsigned int len;
	int fd, rc;

	if (algo < 0) {
		fail("%s: unknown algorithm '%s' in the entries", path, e->alg);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail("%s: %s", path, strerror(errno));
		return -1;
	}
	rc = digest_fd(fd, algo, NULL, 0, md, &len);
	if (rc) {
		fail("%s: %s", path, strerror(errno ? errno : EIO));
	} else {
		hex_encode(md, len, hex);
		rc = !strcasecmp(hex, e->hex) &&
		     (!veriexec_algo_is_fsverity(algo) ||
		      verity_holds(fd, path, algo, e->hex));
	}
	close(fd);
	return rc;
}

static int check_one(const char *path)
{
	struct listed e;
	struct stat st;
	int found, match;

	if (stat(path, &st)) {
		fail("%s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	/* Only regular files have entries; a FIFO would block the read. */
	if (!S_ISREG(st.st_mode)) {
		fail("%s: not a regular file", path);
		return EXIT_FAIL;
	}
	found = find_listed(path, &st, &e);
	if (found < 0)
		return EXIT_FAIL;
	if (!found) {
		printf("%s: no entry\n", path);
		return EXIT_FAIL;
	}
	match = matches(path, &e);
	if (match < 0)
		return EXIT_FAIL;
	printf("%s: %s\n", path, match ? "ok" : "mismatch");
	return match ? EXIT_OK : EXIT_FAIL;
}

int cmd_check(int argc, char **argv)
{
	int i, rc = EXIT_OK;

	if (argc < 2)
		return usage_error(find_command("check"), "no file given");
	for (i = 1; i < argc; i++)
		if (check_one(argv[i]) != EXIT_OK)
			rc = EXIT_FAIL;
	return fflush(stdout) ? EXIT_FAIL : rc;
}

static int label_one(const char *path, int algo)
{
	unsigned char md[64];
	char value[160], hex[129];
	unsigned int len;

	if (digest_file(path, algo, md, &len))
		return EXIT_FAIL;
	hex_encode(md, len, hex);
	snprintf(value, sizeof(value), "%s:%s", veriexec_algo_name(algo), hex);
	if (setxattr(path, LABEL_XATTR, value, strlen(value), 0)) {
		fail("%s: cannot set %s: %s", path, LABEL_XATTR,
		     errno == EPERM ? "not permitted (strict level 2 or up?)" :
		     strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_label(int argc, char **argv)
{
	int c, i, algo = VERIEXEC_ALGO_SHA256, rc = EXIT_OK;

	while ((c = getopt(argc, argv, "a:")) != -1) {
		if (c != 'a')
			return usage_error(find_command("label"), NULL);
		algo = veriexec_algo_from_name(optarg);
		if (algo < 0)
			return usage_error(find_command("label"),
					   "unknown algorithm '%s'", optarg);
	}
	if (optind == argc)
		return usage_error(find_command("label"), "no file given");
	for (i = optind; i < argc; i++)
		if (label_one(argv[i], algo) != EXIT_OK)
			rc = EXIT_FAIL;
	return rc;
}
