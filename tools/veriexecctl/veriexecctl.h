/* SPDX-License-Identifier: GPL-2.0 */
/*
 * veriexecctl - Shared declarations
 *
 * Copyright © 2026 The veriexec authors
 */
#ifndef _VERIEXECCTL_H
#define _VERIEXECCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses (veriexecctl(8)). */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

#define VERIEXEC_FS	"/sys/kernel/security/veriexec/"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

extern const char *progname;

void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_error(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const struct command *find_command(const char *name);
bool want_help(int argc, char **argv, const struct command *cmd);

/* Whole-file helpers; on failure they print why and return -1/NULL. */
void *read_whole(const char *path, size_t *len);
int write_atomic(const char *path, const void *data, size_t len);
void put_path(FILE *f, const char *p);

/* Manifest checks shared by verify, load and convert (parse.c). */
int check_manifest_text(const char *label, const char *text, size_t len);
int signed_manifest_set(const char *label, const void *data, size_t len,
			char *name, size_t size, size_t *entries);

int cmd_generate(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_level(int argc, char **argv);
int cmd_lock(int argc, char **argv);
int cmd_state(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_sets(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_label(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_fsverity_enable(int argc, char **argv);
int cmd_learn(int argc, char **argv);

/* Kernel interface (kernel.c). */
void fs_path(char *buf, size_t size, const char *name);
int load_signed(const char *path);
const char *load_error(int err);

/*
 * Fingerprints (digest.c).  @algo is an enum veriexec_algo value: files
 * that pass one include security/veriexec/manifest.h themselves, through
 * the kernel-API shim in include/, so that nothing here copies the
 * kernel's declarations by hand.
 */
int digest_file(const char *path, int algo, unsigned char *out,
		unsigned int *len);
void hex_encode(const unsigned char *in, unsigned int len, char *out);
int digest_fd(int fd, int algo, const void *head, size_t head_len,
	      unsigned char *out, unsigned int *len);

/* fs-verity digests and ioctls (fsverity.c). */
int fsverity_digest_fd(int fd, int algo, const void *head, size_t head_len,
		       unsigned char *out, unsigned int *len);
int fsverity_measure(int fd, int *algo, unsigned char *out, unsigned int *len);

#endif /* _VERIEXECCTL_H */
