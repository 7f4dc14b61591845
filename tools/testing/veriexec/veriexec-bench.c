// SPDX-License-Identifier: GPL-2.0
/*
 * veriexec benchmark helper, run in the guest
 *
 * exec PATH N	fork+execve+wait PATH N times; prints ns per exec
 * open PATH	open and close PATH once; prints ns (a first verification
 *		when the file's verdict was just dropped)
 * dirty PATH	rewrite the first byte of PATH with itself: the content is
 *		the same, but every cached verdict on it is dropped
 * time CMD...	run CMD once; prints ns
 * files DIR N	create N empty files under DIR, 1000 to a directory;
 *		prints their paths
 * stat LIST	stat(2) every path listed in the file LIST; prints ns
 * load FILE	write the signed manifest FILE to the manifest file of
 *		securityfs and close it; prints ns, fails if refused
 * writes DIR N	N times: create DIR/wI, write 4 KiB, close; prints ns
 *		per round (what every write open of an unlisted file costs)
 * mapw DIR N	N times: open DIR/mI read-write, map 4 KiB MAP_SHARED,
 *		store to it, unmap, close; prints ns per round
 * mapx LIST	map each file listed in LIST PROT_EXEC once, one after the
 *		other: the kernel hashing them in one thread; prints ns
 * verifyall FILE NAME
 *		load the signed manifest FILE, ask for set NAME to be
 *		verified in the background (as veriexecctl load -e) and wait
 *		for the pending counter to reach 0; prints ns
 *
 * Times come from clock_gettime(CLOCK_MONOTONIC): under -icount shift=0
 * they count guest instructions and repeat run to run.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int run(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		/* Only our own figure goes to stdout. */
		if (null >= 0)
			dup2(null, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define MANIFEST "/sys/kernel/security/veriexec/manifest"

/* The whole of @path in memory, NUL-terminated, so no I/O is timed. */
static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		return NULL;
	buf = malloc(st.st_size + 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size)
		return NULL;
	close(fd);
	buf[st.st_size] = 0;
	*len = st.st_size;
	return buf;
}

/* Each path of @list on its own line, the lines NUL-terminated in place. */
static char *read_list(const char *list, size_t *len)
{
	char *buf = slurp(list, len), *p, *nl;

	for (p = buf; p && (nl = strchr(p, '\n')); p = nl + 1)
		*nl = 0;
	return buf;
}

static int make_files(const char *dir, long n)
{
	char path[4096];
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/d%03ld", dir, i / 1000);
		if (!(i % 1000) && mkdir(path, 0755))
			return 1;
		snprintf(path, sizeof(path), "%s/d%03ld/f%03ld", dir, i / 1000,
			 i % 1000);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || close(fd))
			return 1;
		printf("%s\n", path);
	}
	return 0;
}

static int stat_list(const char *list)
{
	struct stat st;
	long long t0;
	size_t len;
	char *buf = read_list(list, &len), *p;

	if (!buf)
		return 1;
	t0 = now();
	for (p = buf; p < buf + len; p += strlen(p) + 1)
		if (stat(p, &st))
			return 1;
	printf("%lld\n", now() - t0);
	return 0;
}

/* One write(2) of @len bytes and a close(2) that must both succeed. */
static int write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd)) {
		perror(path);
		return 1;
	}
	return 0;
}

static int load(const char *file)
{
	long long t0;
	size_t len;
	char *buf = slurp(file, &len);

	if (!buf)
		return 1;
	t0 = now();
	if (write_file(MANIFEST, buf, len))
		return 1;
	printf("%lld\n", now() - t0);
	return 0;
}

static int writes(const char *dir, long n)
{
	static char block[4096];
	char path[4096];
	long long t0 = now();
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/w%ld", dir, i % 64);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, block, sizeof(block)) != sizeof(block) ||
		    close(fd))
			return 1;
	}
	printf("%lld\n", (now() - t0) / n);
	return 0;
}

static int map_writes(const char *dir, long n)
{
	char path[4096], *p;
	long long t0 = now();
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/m%ld", dir, i % 64);
		fd = open(path, O_RDWR | O_CREAT, 0644);
		if (fd < 0 || ftruncate(fd, 4096))
			return 1;
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return 1;
		p[i % 4096] = (char)i;
		munmap(p, 4096);
		if (close(fd))
			return 1;
	}
	printf("%lld\n", (now() - t0) / n);
	return 0;
}

static int map_exec(const char *list)
{
	long long t0;
	size_t len;
	char *buf = read_list(list, &len), *p;
	void *m;
	int fd;

	if (!buf)
		return 1;
	t0 = now();
	for (p = buf; p < buf + len; p += strlen(p) + 1) {
		fd = open(p, O_RDONLY);
		if (fd < 0)
			return 1;
		m = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED)
			return 1;
		munmap(m, 4096);
		close(fd);
	}
	printf("%lld\n", now() - t0);
	return 0;
}

#define STATUS "/sys/kernel/security/veriexec/status"

static long pending(void)
{
	char buf[4096], *p;
	int fd = open(STATUS, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "\npending ");
	return p ? atol(p + 9) : -1;
}

static int verify_all(const char *file, const char *name)
{
	const struct timespec tick = { .tv_nsec = 2000000 };
	long long t0;
	size_t len;
	char *buf = slurp(file, &len);
	long left;

	if (!buf)
		return 1;
	t0 = now();
	if (write_file(MANIFEST, buf, len) ||
	    write_file("/sys/kernel/security/veriexec/verify", name, strlen(name)))
		return 1;
	/* Sleep between polls: a spinning poller would take a CPU away. */
	while ((left = pending()) > 0)
		nanosleep(&tick, NULL);
	if (left < 0)
		return 1;
	printf("%lld\n", now() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');
	long long t0;

	/* Installed as "nop": the program the exec loop runs. */
	if (!strcmp(name ? name + 1 : argv[0], "nop"))
		return 0;
	if (argc == 4 && !strcmp(argv[1], "exec")) {
		char *args[] = { argv[2], NULL };
		long i, n = atol(argv[3]);

		t0 = now();
		for (i = 0; i < n; i++)
			if (run(args))
				return 1;
		printf("%lld\n", (now() - t0) / n);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "open")) {
		int fd;

		t0 = now();
		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return 1;
		close(fd);
		printf("%lld\n", now() - t0);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "dirty")) {
		int fd = open(argv[2], O_RDWR);
		char c;

		if (fd < 0 || pread(fd, &c, 1, 0) != 1 ||
		    pwrite(fd, &c, 1, 0) != 1)
			return 1;
		return close(fd) ? 1 : 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "time")) {
		t0 = now();
		if (run(argv + 2))
			return 1;
		printf("%lld\n", now() - t0);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "files"))
		return make_files(argv[2], atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "stat"))
		return stat_list(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "load"))
		return load(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "writes"))
		return writes(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "mapw"))
		return map_writes(argv[2], atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "mapx"))
		return map_exec(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "verifyall"))
		return verify_all(argv[2], argv[3]);
	fprintf(stderr, "usage: veriexec-bench exec PATH N | open PATH | dirty PATH | time CMD... |\n"
		"	files DIR N | stat LIST | load FILE | writes DIR N | mapw DIR N |\n"
		"	mapx LIST | verifyall FILE NAME\n");
	return 2;
}
