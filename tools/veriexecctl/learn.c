// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - A manifest from what level 0 would have denied: learn
 *
 * Copyright © 2026 The veriexec authors
 *
 * The kernel's learned file has one line per file and use, "OP PATH
 * DEV:INO".  Each file is hashed here, in user space, as it is now: the
 * output is for review before it is signed, not a record of the past.
 * A file listed under several paths (hard links) is listed once, as the
 * kernel refuses a manifest naming one file twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../security/veriexec/manifest.h"
#include "veriexecctl.h"

/* What the file was used for, from the OP words. */
#define USE_EXEC	BIT(0)	/* exec: direct */
#define USE_MAP		BIT(1)	/* mmap, interp: indirect */
#define USE_OPEN	BIT(2)	/* open: file */

struct use {
	char *path;
	unsigned int uses;
	dev_t dev;
	ino_t ino;
	unsigned long long learned_ino;	/* of the file used, as learned */
	bool gone;		/* no longer there, or another path's file */
};

struct learned {
	const char *file;
	struct use *v;
	size_t n, cap;
};

static const struct {
	const char *op;
	unsigned int use;
} ops[] = {
	{ "exec", USE_EXEC },
	{ "mmap", USE_MAP },
	{ "interp", USE_MAP },
	{ "open", USE_OPEN },
};

static unsigned int parse_op(const char *word)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (!strcmp(word, ops[i].op))
			return ops[i].use;
	return 0;
}

/* Undo the \ooo escapes of manifests (and seq_escape()), in place. */
static int unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*out++ = *s;
			continue;
		}
		if (s[1] < '0' || s[1] > '3' || s[2] < '0' || s[2] > '7' ||
		    s[3] < '0' || s[3] > '7')
			return -1;
		*out = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
		/* No path holds a NUL: \000 would name another file. */
		if (!*out++)
			return -1;
		s += 3;
	}
	*out = '\0';
	return 0;
}

/* The kernel lets only CAP_MAC_ADMIN read the learned file. */
static const char *fs_error(int err)
{
	return err == EACCES || err == EPERM ?
	       "not permitted (needs CAP_MAC_ADMIN)" : strerror(err);
}

static int add_use(struct learned *l, const char *path, unsigned int use,
		   unsigned long long ino)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct use *bigger = realloc(l->v, cap * sizeof(*bigger));

		if (!bigger)
			return -1;
		l->v = bigger;
		l->cap = cap;
	}
	l->v[l->n] = (struct use){ .path = strdup(path), .uses = use,
				   .learned_ino = ino };
	if (!l->v[l->n].path)
		return -1;
	l->n++;
	return 0;
}

/*
 * One "OP PATH DEV:INO" line; NULL, or why it is malformed.  What no
 * manifest can name (an anonymous inode, a path over PATH_MAX) is named
 * and left out, as the kernel may list such uses too.
 */
static const char *parse_line(struct learned *l, char *line,
			      unsigned int lineno)
{
	char *save = NULL, *op, *path, *devino;
	unsigned int use;

	op = strtok_r(line, " ", &save);
	path = strtok_r(NULL, " ", &save);
	devino = strtok_r(NULL, " ", &save);
	if (!op || !path || !devino || strtok_r(NULL, " ", &save) ||
	    !strchr(devino, ':') ||
	    devino[strspn(devino, "0123456789:")] != '\0')
		return "not OP PATH DEV:INO";
	use = parse_op(op);
	if (!use)
		return "unknown operation";
	if (path[0] != '/') {
		fail("%s: line %u: %s is not a path; left out", l->file,
		     lineno, path);
		return NULL;
	}
	if (unescape(path))
		return "bad escape in path";
	if (strlen(path) > VERIEXEC_PATH_MAX) {
		fail("%s: line %u: path too long for a manifest; left out",
		     l->file, lineno);
		return NULL;
	}
	return add_use(l, path, use, strtoull(strrchr(devino, ':') + 1,
					      NULL, 10)) ?
	       "out of memory" : NULL;
}

static int read_learned(struct learned *l, FILE *in)
{
	unsigned int lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	while (!rc && (n = getline(&line, &cap, in)) > 0) {
		const char *why;

		lineno++;
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		why = memchr(line, '\0', n) ? "NUL byte in line" :
		      parse_line(l, line, lineno);
		if (why) {
			fail("%s: line %u: %s", l->file, lineno, why);
			rc = -1;
		}
	}
	if (!rc && ferror(in)) {
		fail("%s: %s", l->file, fs_error(errno));
		rc = -1;
	}
	free(line);
	return rc;
}

static int cmp_path(const void *a, const void *b)
{
	const struct use *x = a, *y = b;
	int rc = strcmp(x->path, y->path);

	if (rc || x->learned_ino == y->learned_ino)
		return rc;
	return x->learned_ino < y->learned_ino ? -1 : 1;
}

/* Sort by path and fold the lines of one path and file into one. */
static void merge_paths(struct learned *l)
{
	size_t i, out = 0;

	qsort(l->v, l->n, sizeof(*l->v), cmp_path);
	for (i = 0; i < l->n; i++) {
		if (out && !strcmp(l->v[out - 1].path, l->v[i].path) &&
		    l->v[out - 1].learned_ino == l->v[i].learned_ino) {
			l->v[out - 1].uses |= l->v[i].uses;
			free(l->v[i].path);
			continue;
		}
		l->v[out++] = l->v[i];
	}
	l->n = out;
}

/*
 * 0 when the file can be listed; else *@why says why not: 1 for a file
 * that is gone, which is no failure, -1 for one that cannot be read.
 */
static int unlisted(const char *path, struct stat *st, const char **why)
{
	if (stat(path, st)) {
		if (errno == ENOENT || errno == ENOTDIR) {
			*why = "no longer exists; left out";
			return 1;
		}
		*why = strerror(errno);
		return -1;
	}
	/* Reading a FIFO or a device would block, or never end. */
	*why = "not a regular file";
	return S_ISREG(st->st_mode) ? 0 : -1;
}

static int stat_uses(struct learned *l)
{
	const char *why;
	struct stat st;
	size_t i;
	int rc = 0;

	for (i = 0; i < l->n; i++) {
		struct use *u = &l->v[i];
		int err = unlisted(u->path, &st, &why);

		/*
		 * The path now names another file than the one used: one of
		 * the initramfs (its mount, run-init) shadowed by the real
		 * root, or a file replaced since.  Inode numbers only: the
		 * device stat(2) gives for a btrfs subvolume or an overlay
		 * is not that of the superblock the kernel names.
		 */
		if (!err && st.st_ino != u->learned_ino) {
			err = 1;
			why = "is another file than the one used; left out";
		}
		if (!err) {
			u->dev = st.st_dev;
			u->ino = st.st_ino;
			continue;
		}
		u->gone = true;
		fail("%s: %s", u->path, why);
		if (err < 0)
			rc = -1;
	}
	return rc;
}

static int cmp_inode(const void *a, const void *b)
{
	const struct use *x = *(const struct use *const *)a;
	const struct use *y = *(const struct use *const *)b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	/* The array is sorted by path: keep that order among links. */
	return x < y ? -1 : x > y;
}

/* Hard links: the first path in sorted order gets every use. */
static int merge_inodes(struct learned *l)
{
	struct use **v = calloc(l->n ? l->n : 1, sizeof(*v));
	size_t i, n = 0, first = 0;

	if (!v) {
		fail("%s: out of memory", l->file);
		return -1;
	}
	for (i = 0; i < l->n; i++)
		if (!l->v[i].gone)
			v[n++] = &l->v[i];
	qsort(v, n, sizeof(*v), cmp_inode);
	for (i = 1; i < n; i++) {
		if (v[i]->dev != v[first]->dev || v[i]->ino != v[first]->ino) {
			first = i;
			continue;
		}
		v[first]->uses |= v[i]->uses;
		v[i]->gone = true;
		fail("%s: same file as %s; listed once", v[i]->path,
		     v[first]->path);
	}
	free(v);
	return 0;
}

/*
 * direct already allows mapping and interpreting; file is checked on
 * open and adds to either.
 */
static const char *use_opts(unsigned int uses)
{
	if (uses & USE_EXEC)
		return uses & USE_OPEN ? "direct,file" : "direct";
	if (uses & USE_MAP)
		return uses & USE_OPEN ? "file,indirect" : "indirect";
	return "file";
}

static int emit(FILE *out, const struct use *u)
{
	unsigned char md[64];
	char hex[129];
	unsigned int len;

	if (digest_file(u->path, VERIEXEC_ALGO_SHA256, md, &len))
		return -1;
	hex_encode(md, len, hex);
	put_path(out, u->path);
	fprintf(out, " %s %s %s\n", veriexec_algo_name(VERIEXEC_ALGO_SHA256),
		hex, use_opts(u->uses));
	return 0;
}

static int write_manifest(struct learned *l, FILE *out)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < l->n; i++)
		if (!l->v[i].gone && emit(out, &l->v[i]))
			rc = -1;
	return rc;
}

/* The manifest, in memory, only when every file still there was hashed. */
static int learn(struct learned *l, char **buf, size_t *len)
{
	FILE *in = fopen(l->file, "r");
	FILE *out;
	int rc;

	if (!in) {
		fail("%s: %s", l->file, fs_error(errno));
		return -1;
	}
	rc = read_learned(l, in);
	fclose(in);
	if (rc)
		return -1;
	merge_paths(l);
	rc = stat_uses(l);
	if (merge_inodes(l))
		return -1;
	out = open_memstream(buf, len);
	if (!out) {
		fail("%s: out of memory", l->file);
		return -1;
	}
	if (write_manifest(l, out))
		rc = -1;
	return fclose(out) || rc ? -1 : 0;
}

static int put_out(const char *buf, size_t len)
{
	if (fwrite(buf, 1, len, stdout) == len && !fflush(stdout))
		return EXIT_OK;
	fail("standard output: %s", strerror(errno));
	return EXIT_FAIL;
}

int cmd_learn(int argc, char **argv)
{
	char file[512], *buf = NULL;
	struct learned l = { .file = file };
	const char *output = NULL;
	size_t i, len = 0;
	int c, rc;

	while ((c = getopt(argc, argv, "o:")) != -1) {
		if (c != 'o')
			return usage_error(find_command("learn"), NULL);
		output = optarg;
	}
	if (optind != argc)
		return usage_error(find_command("learn"), "no arguments expected");
	fs_path(file, sizeof(file), "learned");
	rc = learn(&l, &buf, &len) ? EXIT_FAIL : EXIT_OK;
	if (rc == EXIT_OK && output)
		rc = write_atomic(output, buf, len) ? EXIT_FAIL : EXIT_OK;
	else if (rc == EXIT_OK)
		rc = put_out(buf, len);
	for (i = 0; i < l.n; i++)
		free(l.v[i].path);
	free(l.v);
	free(buf);
	return rc;
}
