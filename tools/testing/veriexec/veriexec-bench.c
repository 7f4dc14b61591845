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
 *
 * Times come from clock_gettime(CLOCK_MONOTONIC): under -icount shift=0
 * they count guest instructions and repeat run to run.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	fprintf(stderr, "usage: veriexec-bench exec PATH N | open PATH | dirty PATH | time CMD...\n");
	return 2;
}
