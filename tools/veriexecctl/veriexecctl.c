// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - Manage veriexec manifests: arguments, dispatch, exit codes
 *
 * Copyright © 2026 The veriexec authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "veriexecctl.h"

const char *progname = "veriexecctl";

static const struct command commands[] = {
	{ "generate", cmd_generate,
	  "generate [-a ALG] [-o OPTS] [-r ROOT] [--all] [--fsverity] [--name N --version V] PATH..." },
	{ "sign", cmd_sign,
	  "sign --key KEY.pem --cert CERT.pem [-o OUT] [--force] [--no-certs] MANIFEST" },
	{ "verify", cmd_verify, "verify --cert CERT.pem SIGNED" },
	{ "load", cmd_load, "load [-e] SIGNED" },
	{ "learn", cmd_learn, "learn [-o FILE]" },
	{ "level", cmd_level, "level [N]" },
	{ "lock", cmd_lock, "lock" },
	{ "state", cmd_state, "state" },
	{ "list", cmd_list, "list" },
	{ "sets", cmd_sets, "sets" },
	{ "status", cmd_status, "status" },
	{ "check", cmd_check, "check PATH..." },
	{ "label", cmd_label, "label [-a ALG] PATH..." },
	{ "key", cmd_key, "key add CERT.der" },
	{ "convert", cmd_convert, "convert --from netbsd|freebsd [-C DIR] FILE" },
	{ "boot", cmd_boot, "boot [--root DIR] [--max-level N]" },
	{ "fsverity-enable", cmd_fsverity_enable, "fsverity-enable PATH..." },
};

/* One line on stderr naming what failed and why. */
void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fprintf(stderr, "%s: ", progname);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "usage: %s %s\n", progname, cmd->usage);
	return EXIT_USAGE;
}

const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* True, after printing usage on stdout, when -h or --help is asked for. */
bool want_help(int argc, char **argv, const struct command *cmd)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: %s %s\n", progname, cmd->usage);
			return true;
		}
	}
	return false;
}

void *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t size = 0, n;

	if (!f) {
		fail("%s: %s", path, strerror(errno));
		return NULL;
	}
	*len = 0;
	for (;;) {
		if (*len == size) {
			char *bigger;

			size = size ? 2 * size : 65536;
			bigger = realloc(buf, size + 1);
			if (!bigger) {
				fail("%s: out of memory", path);
				goto out_err;
			}
			buf = bigger;
		}
		n = fread(buf + *len, 1, size - *len, f);
		*len += n;
		if (n)
			continue;
		if (ferror(f)) {
			fail("%s: %s", path, strerror(errno));
			goto out_err;
		}
		break;
	}
	buf[*len] = '\0';
	fclose(f);
	return buf;

out_err:
	free(buf);
	fclose(f);
	return NULL;
}

/* Write through a temporary file so that a failure leaves no partial file. */
int write_atomic(const char *path, const void *data, size_t len)
{
	size_t plen = strlen(path) + 16;
	char *tmp = malloc(plen);
	int fd;

	if (!tmp) {
		fail("%s: out of memory", path);
		return -1;
	}
	snprintf(tmp, plen, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fail("%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	if (write(fd, data, len) != (ssize_t)len || fsync(fd) || close(fd)) {
		fail("%s: %s", path, strerror(errno ? errno : EIO));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (chmod(tmp, 0644) || rename(tmp, path)) {
		fail("%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* Escape what the manifest format cannot hold as is (contract section 1). */
void put_path(FILE *f, const char *p)
{
	for (; *p; p++) {
		unsigned char c = *p;

		if (c <= ' ' || c == '\\' || c == 0x7f)
			fprintf(f, "\\%03o", c);
		else
			putc(c, f);
	}
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: %s COMMAND [ARGS]\ncommands:\n", progname);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %s\n", commands[i].usage);
	fprintf(out, "'%s COMMAND --help' for one command; see veriexecctl(8).\n",
		progname);
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fail("unknown command '%s'", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (want_help(argc - 1, argv + 1, cmd))
		return EXIT_OK;
	return cmd->run(argc - 1, argv + 1);
}
