/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Veriexec selftests - Helpers
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _VERIEXEC_SELFTEST_COMMON_H
#define _VERIEXEC_SELFTEST_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* pipe2() */
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define VERIEXEC_FS "/sys/kernel/security/veriexec/"
#define TEST_KEYS "/etc/veriexec/test/"
#define SIGNING_KEY TEST_KEYS "signing.key"
#define SIGNING_CERT TEST_KEYS "signing.crt"
#define ROGUE_KEY TEST_KEYS "rogue.key"
#define ROGUE_CERT TEST_KEYS "rogue.crt"

/* Read a whole small file into @buf; returns its length or -errno. */
static inline ssize_t read_file(const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (len < (ssize_t)size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return len;
}

/* Write @len bytes of @data to @path in one write(2); returns 0 or -errno. */
static inline int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, data, len) != (ssize_t)len)
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

/* Run a program, wait, return its exit status (or 128 + signal). */
static inline int run(const char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) :
				   128 + WTERMSIG(status);
}

/*
 * execve() @path in a child; returns 0 when it ran and exited 0, the
 * execve errno when execve failed, or 1000 + exit status otherwise.
 * exec_status_pid() also tells the pid of the child that tried.
 */
static inline int exec_status_pid(const char *path, char *const argv[],
				  char *const envp[], pid_t *child)
{
	int pipefd[2], status, err = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (child)
		*child = pid;
	if (!pid) {
		close(pipefd[0]);
		execve(path, argv, envp);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	if (err)
		return err;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	return 1000 + (WIFEXITED(status) ? WEXITSTATUS(status) : 128);
}

static inline int exec_status(const char *path, char *const argv[],
			      char *const envp[])
{
	return exec_status_pid(path, argv, envp, NULL);
}

/* Write @text to @path; returns 0 or -errno. */
static inline int put_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t len = strlen(text);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != len)
		rc = -errno;
	close(fd);
	return rc;
}

/*
 * Sign @text with veriexecctl into @out, with the given key pair, and
 * with --no-certs unless @certs (argv ends at its first NULL).
 */
static inline int sign_message(const char *text, const char *out,
			       const char *key, const char *cert, bool certs)
{
	char plain[256];
	const char *argv[] = { "veriexecctl", "sign", "--force", "--key", key,
			       "--cert", cert, "-o", out, plain,
			       certs ? NULL : "--no-certs", NULL };

	snprintf(plain, sizeof(plain), "%s.txt", out);
	if (put_text(plain, text))
		return -1;
	return run(argv);
}

static inline int sign_with(const char *text, const char *out,
			    const char *key, const char *cert)
{
	return sign_message(text, out, key, cert, true);
}

/* Load what @path holds in one write(2); returns 0 or -errno. */
static inline int load_file(const char *path)
{
	char *buf;
	struct stat st;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		return -errno;
	buf = malloc(st.st_size + 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size) {
		close(fd);
		free(buf);
		return -EIO;
	}
	close(fd);
	rc = write_file(VERIEXEC_FS "manifest", buf, st.st_size);
	free(buf);
	return rc;
}

#define LOAD_TEXT_TEMPLATE "/tmp/vx-manifest.XXXXXX"

/*
 * Sign @text with the test key and load it; returns 0 or -errno.  Leaves
 * neither the signed file nor the text sign_message() wrote beside it.
 */
static inline int load_text(const char *text)
{
	char out[] = LOAD_TEXT_TEMPLATE;
	char plain[sizeof(out) + 4];
	int fd = mkstemp(out), rc;

	if (fd < 0)
		return -errno;
	close(fd);
	rc = sign_with(text, out, SIGNING_KEY, SIGNING_CERT);
	if (!rc)
		rc = load_file(out);
	else
		rc = -ENOEXEC;
	unlink(out);
	snprintf(plain, sizeof(plain), "%s.txt", out);
	unlink(plain);
	return rc;
}

/* Lower-case hex SHA-256 of a file, through busybox sha256sum. */
static inline int sha256_hex(const char *path, char hex[65])
{
	char cmd[4200];
	FILE *p;
	int rc;

	snprintf(cmd, sizeof(cmd), "sha256sum '%.4096s'", path);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	rc = fscanf(p, "%64s", hex) == 1 ? 0 : -1;
	pclose(p);
	return rc;
}

/* Whether the file at @path contains the line @line. */
static inline bool file_has_line(const char *path, const char *line)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		found = !strcmp(buf, line);
	}
	fclose(f);
	return found;
}

/* A counter of the status file, or -1. */
static inline long long status_counter(const char *name)
{
	char line[256], key[64];
	long long v, found = -1;
	FILE *f = fopen(VERIEXEC_FS "status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", key, &v) == 2 &&
		    !strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

/* All the counters of the status file at one read; -1 for a missing one. */
struct counters {
	long long lookups, cache_hits, fingerprints, bytes_hashed, denials;
	long long denied_mismatch, denied_no_entry;
};

static inline void read_counters(struct counters *c)
{
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
#define COUNTER(n) { #n, offsetof(struct counters, n) }
		COUNTER(lookups), COUNTER(cache_hits), COUNTER(fingerprints),
		COUNTER(bytes_hashed), COUNTER(denials),
		COUNTER(denied_mismatch), COUNTER(denied_no_entry),
#undef COUNTER
	};
	char buf[4096], *line, *save = NULL, key[64];
	long long v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		*(long long *)((char *)c + names[i].off) = -1;
	if (read_file(VERIEXEC_FS "status", buf, sizeof(buf)) <= 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%63s %lld", key, &v) != 2)
			continue;
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(key, names[i].name))
				*(long long *)((char *)c + names[i].off) = v;
	}
}

static inline unsigned int current_level(void)
{
	char buf[16];

	if (read_file(VERIEXEC_FS "level", buf, sizeof(buf)) <= 0)
		return 99;
	return atoi(buf);
}

static inline int set_level(unsigned int level)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", level);
	return write_file(VERIEXEC_FS "level", buf, strlen(buf));
}

/* Whether the kernel command line holds the word @param. */
static inline bool booted_with(const char *param)
{
	char cmdline[4096], *word, *save = NULL;

	if (read_file("/proc/cmdline", cmdline, sizeof(cmdline)) <= 0)
		return false;
	for (word = strtok_r(cmdline, "\n ", &save); word;
	     word = strtok_r(NULL, "\n ", &save))
		if (!strcmp(word, param))
			return true;
	return false;
}

/*
 * Raising the level or writing lock changes the machine until it reboots.
 * Tests that do so run only in a boot made for them, whose command line
 * holds "vxtest.boot=<test>" (run-tests.sh adds it); anywhere else, as
 * under the stock kselftest runner, they skip.
 */
#define BOOT_MARKER "vxtest.boot="

static inline bool booted_for(const char *test)
{
	char param[128];

	snprintf(param, sizeof(param), BOOT_MARKER "%s", test);
	return booted_with(param);
}

/* Whether the program @name is on PATH. */
static inline bool on_path(const char *name)
{
	const char *env = getenv("PATH");
	char path[4096], *dir, *save = NULL, file[4200];

	snprintf(path, sizeof(path), "%s", env ? env : "/usr/bin:/bin");
	for (dir = strtok_r(path, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(file, sizeof(file), "%s/%s", dir, name);
		if (!access(file, X_OK))
			return true;
	}
	return false;
}

/*
 * What is missing to sign and load manifests (veriexecctl on PATH, the
 * test keys), or NULL.  Tests skip with this reason rather than fail.
 */
static inline const char *signing_missing(void)
{
	if (!on_path("veriexecctl"))
		return "veriexecctl is not on PATH";
	if (access(SIGNING_KEY, R_OK) || access(SIGNING_CERT, R_OK))
		return "no test keys in " TEST_KEYS;
	return NULL;
}

#define SKIP_WITHOUT_SIGNING()						\
	do {								\
		const char *__why = signing_missing();			\
		if (__why)						\
			SKIP(return, "%s", __why);			\
	} while (0)

/*
 * The kernel log from now on: open /dev/kmsg at its end.  kmsg_find()
 * then reads what was logged since and tells whether a record holds
 * @text.  Returns the descriptor or -errno.
 */
static inline int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

static inline bool kmsg_find(int fd, const char *text)
{
	char rec[8192];
	bool found = false;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		/* "prio,seq,usec,flags;message\n", then continuation lines */
		if (strstr(rec, text))
			found = true;
	}
	return found;
}

/* Copy @from to a new file @to; returns 0 or -errno. */
static inline int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	int rc = 0;

	if (in < 0 || out < 0)
		rc = -errno;
	while (!rc && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			rc = -errno;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

/*
 * Load a set @name listing the whole image, so that the harness, the
 * shell and veriexecctl keep working at levels 2 and 3; once per boot.
 */
static inline int load_image_set(const char *name)
{
	char cmd[1024], buf[65536], word[40];
	const char *argv[] = { "sh", "-c", cmd, NULL };

	snprintf(word, sizeof(word), "%s ", name);
	if (read_file(VERIEXEC_FS "sets", buf, sizeof(buf)) > 0 &&
	    strstr(buf, word))
		return 0;
	snprintf(cmd, sizeof(cmd),
		 "veriexecctl generate --all --name %s /bin /sbin /usr /lib "
		 "/lib64 /etc /opt /init > /tmp/vx-base.txt && "
		 "veriexecctl sign --key " SIGNING_KEY " --cert " SIGNING_CERT
		 " -o /tmp/vx-base.p7s /tmp/vx-base.txt && "
		 "veriexecctl load /tmp/vx-base.p7s", name);
	return run(argv);
}

/*
 * Binaries that raise the level leave the machine that way until reboot:
 * they run only when the boot says so (run-tests.sh passes vxtest.raise;
 * the kernel ignores the unknown word), never under a stock runner.
 */
static inline bool raise_allowed(void)
{
	char buf[4096], *word, *save;

	if (read_file("/proc/cmdline", buf, sizeof(buf)) <= 0)
		return false;
	for (word = strtok_r(buf, " \n", &save); word;
	     word = strtok_r(NULL, " \n", &save))
		if (!strcmp(word, "vxtest.raise"))
			return true;
	return false;
}

/* The counters a test reads before and after one operation. */
struct counts {
	long long denials, reason, fingerprints;
};

static inline void take_counts(struct counts *c, const char *reason)
{
	c->denials = status_counter("denials");
	c->reason = reason ? status_counter(reason) : 0;
	c->fingerprints = status_counter("fingerprints");
}

/*
 * Kernel log lines: log_mark() opens /dev/kmsg at its end; log_has()
 * reads what came since and looks for @text.  Veriexec's lines are
 * rate-limited (10 per 5 s), so log_mark() first waits out a burst.
 */
static inline int log_mark(void)
{
	int fd;

	usleep(5200 * 1000);
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static inline bool log_has(int fd, const char *text)
{
	char rec[8192];
	bool found = false;
	ssize_t n;

	if (fd < 0)
		return false;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (strstr(rec, text))
			found = true;
	}
	close(fd);
	return found;
}


#endif /* _VERIEXEC_SELFTEST_COMMON_H */
