// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - Fingerprinting a tree into a manifest: generate
 *
 * Copyright © 2026 The veriexec authors
 *
 * Each file is read once: its first block both tells what it is (ELF
 * executable, shared object, script) and starts the hash.  Output is
 * sorted by path and lists each inode once, so it is reproducible.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../security/veriexec/manifest.h"
#include "veriexecctl.h"

/*
 * What a file is to the kernel: run, mapped (or loaded as a module), or
 * only read.  Firmware is data to the kernel whatever its content.
 */
enum kind { KIND_OTHER, KIND_EXEC, KIND_LIBRARY, KIND_MODULE, KIND_FIRMWARE };

struct item {
	char *path;
	dev_t dev;
	ino_t ino;
	bool dup;
};

struct walk {
	struct item *items;
	size_t n, cap;
	int rc;
};

struct gen_opts {
	int algo;
	const char *opts;
	const char *root;
	bool all;
	bool fsverity;
};

static int add_item(struct walk *w, const char *path, const struct stat *st)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 1024;
		struct item *bigger = realloc(w->items, cap * sizeof(*bigger));

		if (!bigger)
			return -1;
		w->items = bigger;
		w->cap = cap;
	}
	w->items[w->n].path = strdup(path);
	if (!w->items[w->n].path)
		return -1;
	w->items[w->n].dev = st->st_dev;
	w->items[w->n].ino = st->st_ino;
	w->n++;
	return 0;
}

/* Regular files below @path; symbolic links inside the tree are skipped. */
static void walk(struct walk *w, const char *path, bool top)
{
	struct stat st;
	struct dirent *d;
	DIR *dir;

	if ((top ? stat(path, &st) : lstat(path, &st))) {
		fail("%s: %s", path, strerror(errno));
		w->rc = EXIT_FAIL;
		return;
	}
	if (S_ISREG(st.st_mode)) {
		if (add_item(w, path, &st)) {
			fail("%s: out of memory", path);
			w->rc = EXIT_FAIL;
		}
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return;
	dir = opendir(path);
	if (!dir) {
		fail("%s: %s", path, strerror(errno));
		w->rc = EXIT_FAIL;
		return;
	}
	while ((d = readdir(dir))) {
		char child[PATH_MAX];

		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (snprintf(child, sizeof(child), "%s%s%s", path,
			     path[strlen(path) - 1] == '/' ? "" : "/",
			     d->d_name) >= (int)sizeof(child)) {
			fail("%s/%s: path too long", path, d->d_name);
			w->rc = EXIT_FAIL;
			continue;
		}
		walk(w, child, false);
	}
	closedir(dir);
}

static int cmp_inode(const void *a, const void *b)
{
	const struct item *x = *(const struct item *const *)a;
	const struct item *y = *(const struct item *const *)b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* One entry per inode: of hard links, the first path in sorted order. */
static int mark_hard_links(struct walk *w)
{
	struct item **v = calloc(w->n ? w->n : 1, sizeof(*v));
	size_t i;

	if (!v) {
		fail("out of memory");
		return -1;
	}
	for (i = 0; i < w->n; i++)
		v[i] = &w->items[i];
	qsort(v, w->n, sizeof(*v), cmp_inode);
	for (i = 1; i < w->n; i++)
		v[i]->dup = v[i]->dev == v[i - 1]->dev &&
			    v[i]->ino == v[i - 1]->ino;
	free(v);
	return 0;
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->path,
		      ((const struct item *)b)->path);
}

/* ET_DYN with PT_INTERP is a PIE executable, without it a library. */
static enum kind elf_kind(const unsigned char *buf, size_t len, int fd)
{
	const Elf64_Ehdr *eh = (const void *)buf;
	Elf64_Phdr ph;
	int i;

	if (len < sizeof(*eh) || memcmp(buf, ELFMAG, SELFMAG) ||
	    buf[EI_CLASS] != ELFCLASS64)
		return KIND_OTHER;
	if (eh->e_type == ET_EXEC)
		return KIND_EXEC;
	if (eh->e_type != ET_DYN)
		return KIND_OTHER;
	for (i = 0; i < eh->e_phnum; i++) {
		off_t off = eh->e_phoff + (off_t)i * eh->e_phentsize;

		if (off + sizeof(ph) <= len)
			memcpy(&ph, buf + off, sizeof(ph));
		else if (pread(fd, &ph, sizeof(ph), off) != sizeof(ph))
			return KIND_LIBRARY;
		if (ph.p_type == PT_INTERP)
			return KIND_EXEC;
	}
	return KIND_LIBRARY;
}

static enum kind file_kind(const unsigned char *buf, size_t len, int fd,
			   mode_t mode)
{
	enum kind k = elf_kind(buf, len, fd);

	/*
	 * Only what execve() can run is an executable.  A shared object with
	 * an interpreter and no execute bit (libcap.so.2 on Debian) is still
	 * mapped as a library.
	 */
	if (k == KIND_EXEC && !(mode & 0111))
		return ((const Elf64_Ehdr *)buf)->e_type == ET_DYN ?
		       KIND_LIBRARY : KIND_OTHER;
	if (k == KIND_OTHER && len > 2 && buf[0] == '#' && buf[1] == '!' &&
	    (mode & 0111))
		return KIND_EXEC;
	return k;
}

/*
 * Kernel modules go by name, as modprobe finds them, and are fingerprinted
 * as stored: finit_module() hands the kernel the compressed file.
 */
static bool is_module(const char *path)
{
	static const char *const suffixes[] = {
		".ko", ".ko.xz", ".ko.zst", ".ko.gz",
	};
	size_t i, n = strlen(path);

	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		size_t s = strlen(suffixes[i]);

		if (n > s && !strcmp(path + n - s, suffixes[i]))
			return true;
	}
	return false;
}

/*
 * Anything below a lib/firmware/ directory (/lib or /usr/lib) of the tree,
 * as the manifest names it: below -r ROOT, not in ROOT itself.
 */
static bool is_firmware(const char *path)
{
	return !strncmp(path, "lib/firmware/", 13) ||
	       strstr(path, "/lib/firmware/");
}

static enum kind path_kind(const char *path, const unsigned char *buf,
			   size_t len, int fd, mode_t mode)
{
	if (is_firmware(path))
		return KIND_FIRMWARE;
	if (is_module(path))
		return KIND_MODULE;
	return file_kind(buf, len, fd, mode);
}

/* Whether a kind is listed without --all. */
static bool kind_listed(enum kind k)
{
	return k == KIND_EXEC || k == KIND_LIBRARY || k == KIND_MODULE;
}

static const char *kind_opts(enum kind k, const char *extra)
{
	static char buf[256];
	const char *base = k == KIND_EXEC ? "direct" :
			   k == KIND_LIBRARY || k == KIND_MODULE ? "indirect" :
			   "file";

	if (!extra)
		return base;
	/* A type given with -o replaces the one found. */
	if (strstr(extra, "direct") || strstr(extra, "file") ||
	    strstr(extra, "program") || strstr(extra, "library") ||
	    strstr(extra, "interpreter") || strstr(extra, "script"))
		return extra;
	snprintf(buf, sizeof(buf), "%s,%s", base, extra);
	return buf;
}

/* The path as the manifest names it: below -r ROOT, when given. */
static const char *listed_path(const char *path, const char *root)
{
	if (!root)
		return path;
	path += strlen(root);
	return *path == '/' ? path : path - 1;
}

static int emit(const struct item *it, const struct gen_opts *o)
{
	unsigned char head[65536], md[64];
	char hex[129];
	unsigned int len;
	const char *path = it->path;
	const char *listed = listed_path(path, o->root);
	struct stat st;
	enum kind k;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st)) {
		fail("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	n = read(fd, head, sizeof(head));
	k = n < 0 ? KIND_OTHER : path_kind(listed, head, n, fd, st.st_mode);
	if (n >= 0 && !kind_listed(k) && !o->all) {
		close(fd);
		return 0;
	}
	if (n < 0 || digest_fd(fd, o->algo, head, n, md, &len)) {
		fail("%s: %s", path, strerror(errno ? errno : EIO));
		close(fd);
		return -1;
	}
	close(fd);
	hex_encode(md, len, hex);
	put_path(stdout, listed);
	printf(" %s %s %s\n", veriexec_algo_name(o->algo), hex,
	       kind_opts(k, o->opts));
	return 0;
}

static char *strip_root(const char *root)
{
	char *r = strdup(root);
	size_t n = r ? strlen(r) : 0;

	while (n > 1 && r[n - 1] == '/')
		r[--n] = '\0';
	return r;
}

static int check_under_root(const struct walk *w, const char *root)
{
	size_t i, n = strlen(root);

	for (i = 0; i < w->n; i++) {
		if (!strncmp(w->items[i].path, root, n) &&
		    (w->items[i].path[n] == '/' || !strcmp(root, "/")))
			continue;
		fail("%s: not under the root %s", w->items[i].path, root);
		return -1;
	}
	return 0;
}

/* --fsverity: the fs-verity digest with the tree hash -a names. */
static int fsverity_algo(struct gen_opts *o)
{
	switch (o->algo) {
	case VERIEXEC_ALGO_SHA256:
		o->algo = VERIEXEC_ALGO_FSVERITY_SHA256;
		return 0;
	case VERIEXEC_ALGO_SHA512:
		o->algo = VERIEXEC_ALGO_FSVERITY_SHA512;
		return 0;
	case VERIEXEC_ALGO_FSVERITY_SHA256:
	case VERIEXEC_ALGO_FSVERITY_SHA512:
		return 0;
	default:
		fail("fs-verity has no %s tree", veriexec_algo_name(o->algo));
		return -1;
	}
}

static int parse_gen_args(int argc, char **argv, struct gen_opts *o,
			  const char **name, const char **version)
{
	static const struct option opts[] = {
		{ "algorithm", required_argument, NULL, 'a' },
		{ "options", required_argument, NULL, 'o' },
		{ "root", required_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'A' },
		{ "name", required_argument, NULL, 'n' },
		{ "version", required_argument, NULL, 'V' },
		{ "fsverity", no_argument, NULL, 'F' },
		{ }
	};
	int c;

	while ((c = getopt_long(argc, argv, "a:o:r:", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o->algo = veriexec_algo_from_name(optarg);
			if (o->algo < 0) {
				fail("unknown algorithm '%s'", optarg);
				return -1;
			}
			break;
		case 'o':
			o->opts = optarg;
			break;
		case 'r':
			o->root = optarg;
			break;
		case 'A':
			o->all = true;
			break;
		case 'n':
			*name = optarg;
			break;
		case 'V':
			*version = optarg;
			break;
		case 'F':
			o->fsverity = true;
			break;
		default:
			return -1;
		}
	}
	if (o->fsverity && fsverity_algo(o))
		return -1;
	return optind < argc ? 0 : -1;
}

int cmd_generate(int argc, char **argv)
{
	struct gen_opts o = { .algo = VERIEXEC_ALGO_SHA256 };
	const char *name = NULL, *version = NULL;
	struct walk w = { .rc = EXIT_OK };
	char *root = NULL;
	size_t i;
	int rc;

	if (parse_gen_args(argc, argv, &o, &name, &version))
		return usage_error(find_command("generate"), NULL);
	for (i = optind; i < (size_t)argc; i++)
		walk(&w, argv[i], true);
	qsort(w.items, w.n, sizeof(*w.items), cmp_item);
	if (mark_hard_links(&w))
		w.rc = EXIT_FAIL;
	if (o.root) {
		root = strip_root(o.root);
		o.root = root;
		if (!root || check_under_root(&w, root))
			w.rc = EXIT_FAIL;
	}
	if (w.rc == EXIT_OK) {
		if (name)
			printf("@name %s\n", name);
		if (version)
			printf("@version %s\n", version);
	}
	for (i = 0; i < w.n && w.rc == EXIT_OK; i++)
		if (!w.items[i].dup && emit(&w.items[i], &o))
			w.rc = EXIT_FAIL;
	rc = fflush(stdout) ? EXIT_FAIL : w.rc;
	for (i = 0; i < w.n; i++)
		free(w.items[i].path);
	free(w.items);
	free(root);
	return rc;
}
