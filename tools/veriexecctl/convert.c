// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - NetBSD and FreeBSD manifests to this format: convert
 *
 * Copyright © 2026 The veriexec authors
 *
 * What has no equivalent here is named on stderr and makes the command
 * fail; nothing is dropped silently.  The result is checked with the
 * kernel's parser before it is printed.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../security/veriexec/manifest.h"
#include "veriexecctl.h"

/*
 * FreeBSD veriexec(8) manifests mark lines for newer parsers with "#>N":
 * the rest of the line is read by a parser of version N or later and is a
 * comment to older ones.  We read what version 1 parsers read.
 */
#define FREEBSD_MANIFEST_VERSION 1

struct conv {
	const char *file;
	unsigned int line;
	FILE *out;
	int rc;
};

static void unsupported(struct conv *c, const char *what)
{
	fprintf(stderr, "%s: %s:%u: %s has no equivalent; entry left out\n",
		progname, c->file, c->line, what);
	c->rc = EXIT_FAIL;
}

/* Hex digest checked against the algorithm, lower-cased. */
static bool good_digest(const char *hex, int algo)
{
	size_t i, n = strlen(hex);

	if (algo < 0 || n != 2 * veriexec_algo_size(algo))
		return false;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)hex[i]))
			return false;
	return true;
}

static void put_entry(struct conv *c, const char *dir, const char *path,
		      int algo, const char *hex, const char *opts)
{
	if (dir && path[0] != '/') {
		put_path(c->out, dir);
		if (dir[strlen(dir) - 1] != '/')
			putc('/', c->out);
	} else if (path[0] != '/') {
		putc('/', c->out);
	}
	put_path(c->out, path);
	fprintf(c->out, " %s %s %s\n", veriexec_algo_name(algo), hex, opts);
}

/* Add the comma-separated NetBSD flags of @word to @opts. */
static int netbsd_flags(struct conv *c, char *word, char *opts, size_t size)
{
	static const char *const known[] = {
		"direct", "indirect", "file", "untrusted", "program",
		"interpreter", "script", "library",
	};
	char *f, *save = NULL;
	size_t i, n;

	for (f = strtok_r(word, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(known); i++)
			if (!strcasecmp(f, known[i]))
				break;
		if (i == ARRAY_SIZE(known)) {
			unsupported(c, f);
			return -1;
		}
		n = strlen(opts);
		snprintf(opts + n, size - n, "%s%s", n ? "," : "", known[i]);
	}
	return 0;
}

/*
 * "path TYPE hex [flags]": flags are comma-separated, and may be spread
 * over several words ("program, untrusted"); a word starting with '#'
 * starts a comment.
 */
static void netbsd_line(struct conv *c, char *line)
{
	char *path, *type, *hex, *word, *hash, *save = NULL;
	char opts[256] = "";
	int algo;

	path = strtok_r(line, " \t", &save);
	if (!path || *path == '#')
		return;
	type = strtok_r(NULL, " \t", &save);
	hex = strtok_r(NULL, " \t", &save);
	if (!type || !hex) {
		unsupported(c, "a line without type and fingerprint");
		return;
	}
	algo = veriexec_algo_from_name(type);
	if (algo < 0) {
		unsupported(c, type);
		return;
	}
	if (!good_digest(hex, algo)) {
		unsupported(c, "a malformed fingerprint");
		return;
	}
	while ((word = strtok_r(NULL, " \t", &save)) && *word != '#') {
		hash = strchr(word, '#');
		if (hash)
			*hash = '\0';
		if (netbsd_flags(c, word, opts, sizeof(opts)))
			return;
		if (hash)
			break;
	}
	put_entry(c, NULL, path, algo, hex, *opts ? opts : "direct");
}

/* "sha256=hex"; FreeBSD's other digests (sha1, rmd160) have no peer here. */
static int freebsd_digest(struct conv *c, char *field, char **hex)
{
	char *eq = strchr(field, '=');
	int algo;

	if (!eq) {
		unsupported(c, "a line without a fingerprint");
		return -1;
	}
	*eq = '\0';
	*hex = eq + 1;
	algo = veriexec_algo_from_name(field);
	if (algo < 0) {
		unsupported(c, field);
		return -1;
	}
	if (!good_digest(*hex, algo)) {
		unsupported(c, "a malformed fingerprint");
		return -1;
	}
	return algo;
}

static void freebsd_line(struct conv *c, const char *dir, char *line)
{
	char *path, *f, *hex, *save = NULL;
	bool indirect = false, no_ptrace = false, trusted = false;
	bool data = false;
	char opts[128];
	int algo;

	path = strtok_r(line, " \t", &save);
	if (!path)
		return;
	f = strtok_r(NULL, " \t", &save);
	if (!f) {
		unsupported(c, "a line without a fingerprint");
		return;
	}
	algo = freebsd_digest(c, f, &hex);
	if (algo < 0)
		return;
	while ((f = strtok_r(NULL, " \t", &save)) && *f != '#') {
		if (!strcmp(f, "indirect")) {
			indirect = true;
		} else if (!strcmp(f, "no_ptrace")) {
			no_ptrace = true;
		} else if (!strcmp(f, "trusted")) {
			trusted = true;
		} else if (!strncmp(f, "mode=", 5)) {
			data = !(strtoul(f + 5, NULL, 8) & 0111);
		} else if (!strncmp(f, "label=", 6)) {
			fprintf(stderr, "%s: %s:%u: %s has no equivalent; ignored\n",
				progname, c->file, c->line, f);
		} else {
			unsupported(c, f);
			return;
		}
	}
	snprintf(opts, sizeof(opts), "%s%s%s",
		 data ? (indirect ? "file,indirect" : "file") :
		 indirect ? "indirect" : "direct",
		 no_ptrace || trusted ? ",no_ptrace" : "",
		 trusted ? ",trusted" : "");
	put_entry(c, dir ? dir : "/", path, algo, hex, opts);
}

/*
 * Strip "#>N" gating: NULL when the line is a comment, or for a newer
 * parser.  A version 1 parser leaves the latter out too, so it is no
 * failure, but it is named: the converted manifest lacks that entry.
 */
static char *freebsd_gate(struct conv *c, char *line)
{
	char *end;
	unsigned long v;

	if (strncmp(line, "#>", 2))
		return *line == '#' ? NULL : line;
	errno = 0;
	v = strtoul(line + 2, &end, 10);
	if (end == line + 2 || !isdigit((unsigned char)line[2]) || errno) {
		fprintf(stderr, "%s: %s:%u: a #> line without a readable version; left out\n",
			progname, c->file, c->line);
		return NULL;
	}
	if (v > FREEBSD_MANIFEST_VERSION) {
		fprintf(stderr,
			"%s: %s:%u: a line for manifest version %lu (this reads version %d); left out\n",
			progname, c->file, c->line, v,
			FREEBSD_MANIFEST_VERSION);
		return NULL;
	}
	return end;
}

static int convert(struct conv *c, FILE *in, bool freebsd, const char *dir)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, in)) > 0) {
		char *p = line;

		c->line++;
		while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
			p[--n] = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (freebsd)
			p = freebsd_gate(c, p);
		while (p && isspace((unsigned char)*p))
			p++;
		if (!p || !*p || *p == '#')
			continue;
		if (freebsd)
			freebsd_line(c, dir, p);
		else
			netbsd_line(c, p);
	}
	free(line);
	return ferror(in) ? -1 : 0;
}

int cmd_convert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ }
	};
	struct conv c = { .rc = EXIT_OK };
	const char *from = NULL, *dir = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *in;
	int ch;

	while ((ch = getopt_long(argc, argv, "C:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			from = optarg;
			break;
		case 'C':
			dir = optarg;
			break;
		default:
			return usage_error(find_command("convert"), NULL);
		}
	}
	if (!from || (strcmp(from, "netbsd") && strcmp(from, "freebsd")) ||
	    optind != argc - 1)
		return usage_error(find_command("convert"), NULL);
	c.file = argv[optind];
	in = fopen(c.file, "r");
	if (!in) {
		fail("%s: %s", c.file, strerror(errno));
		return EXIT_FAIL;
	}
	c.out = open_memstream(&buf, &len);
	if (!c.out || convert(&c, in, !strcmp(from, "freebsd"), dir)) {
		fail("%s: %s", c.file, strerror(errno));
		c.rc = EXIT_FAIL;
	}
	fclose(in);
	if (c.out)
		fclose(c.out);
	/* Entries left out were named; the rest is still worth printing. */
	if (buf && !check_manifest_text(c.file, buf, len))
		fwrite(buf, 1, len, stdout);
	else
		c.rc = EXIT_FAIL;
	free(buf);
	return c.rc;
}
