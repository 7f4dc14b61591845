// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - Talking to the kernel: load, level, lock, state, list,
 * sets, status, key add and boot
 *
 * Copyright © 2026 The veriexec authors
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <keyutils.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "veriexecctl.h"

/* Both can be moved for tests of `boot` outside a veriexec kernel. */
static const char *fs_dir(void)
{
	const char *dir = getenv("VERIEXEC_SECURITYFS");

	return dir ? dir : VERIEXEC_FS;
}

static const char *conf_dir(void)
{
	const char *dir = getenv("VERIEXEC_CONFDIR");

	return dir ? dir : "/etc/veriexec";
}

static void fs_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", fs_dir(), name);
}

/* The contract's words for the kernel's answers to a load. */
const char *load_error(int err)
{
	switch (err) {
	case EBADMSG:
		return "not a PKCS#7 signed manifest (bad DER)";
	case EKEYREJECTED:
		return "signature or content does not verify, or unsigned manifests are refused";
	case ENOKEY:
		return "signed by a key the kernel does not trust";
	case EINVAL:
		return "malformed manifest (the kernel log names the line)";
	case EEXIST:
		return "lists a file that is already listed (the kernel log names it)";
	case EFBIG:
		return "larger than 64 MiB";
	case ENOMEM:
		return "out of kernel memory; nothing was loaded";
	case EPERM:
		return "not permitted (needs CAP_MAC_ADMIN; loads may be locked)";
	case ESTALE:
		return "version is lower than one already loaded (rollback)";
	case ENOENT:
		return "this kernel has no veriexec (no " VERIEXEC_FS ")";
	default:
		return strerror(err);
	}
}

static int open_fs(const char *name, int flags)
{
	char path[512];
	int fd;

	fs_path(path, sizeof(path), name);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		fail("%s: %s", path, load_error(ENOENT));
	else if (fd < 0)
		fail("%s: %s", path, strerror(errno));
	return fd;
}

/* Returns 0, or the errno of the failed write(2) or close(2). */
static int write_fs(const char *name, const void *data, size_t len)
{
	const char *p = data;
	int fd, err = 0;

	fd = open_fs(name, O_WRONLY);
	if (fd < 0)
		return -1;
	while (len) {
		size_t chunk = len > (1 << 20) ? (1 << 20) : len;
		ssize_t n = write(fd, p, chunk);

		if (n < 0) {
			err = errno;
			break;
		}
		p += n;
		len -= n;
	}
	if (close(fd) && !err)
		err = errno;
	return err;
}

int load_signed(const char *path)
{
	size_t len;
	char *data = read_whole(path, &len);
	int err;

	if (!data)
		return -1;
	err = write_fs("manifest", data, len);
	free(data);
	if (err > 0)
		fail("%s: %s", path, load_error(err));
	return err ? -1 : 0;
}

int cmd_load(int argc, char **argv)
{
	if (argc != 2)
		return usage_error(find_command("load"), "one file expected");
	return load_signed(argv[1]) ? EXIT_FAIL : EXIT_OK;
}

static int cat_fs(const char *name)
{
	char buf[65536];
	ssize_t n;
	int fd = open_fs(name, O_RDONLY);

	if (fd < 0)
		return EXIT_FAIL;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	if (n < 0) {
		fail("%s%s: %s", fs_dir(), name, strerror(errno));
		close(fd);
		return EXIT_FAIL;
	}
	close(fd);
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}

static int set_level(const char *arg)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);
	int err;

	if (!*arg || *end || n > 3) {
		fail("level: '%s' is not a level (0-3)", arg);
		return EXIT_USAGE;
	}
	err = write_fs("level", arg, strlen(arg));
	if (err == EPERM)
		fail("level: cannot lower the level, or not permitted");
	else if (err > 0)
		fail("level: %s", strerror(err));
	return err ? EXIT_FAIL : EXIT_OK;
}

int cmd_level(int argc, char **argv)
{
	if (argc > 2)
		return usage_error(find_command("level"), "too many arguments");
	return argc == 2 ? set_level(argv[1]) : cat_fs("level");
}

static int do_lock(void)
{
	int err = write_fs("lock", "1", 1);

	if (err > 0)
		fail("lock: %s", strerror(err));
	return err ? EXIT_FAIL : EXIT_OK;
}

int cmd_lock(int argc, char **argv)
{
	if (argc != 1)
		return usage_error(find_command("lock"), "no arguments expected");
	return do_lock();
}

#define CAT_COMMAND(fn, file)						\
int fn(int argc, char **argv)						\
{									\
	if (argc != 1)							\
		return usage_error(find_command(argv[0]),		\
				   "no arguments expected");		\
	return cat_fs(file);						\
}

CAT_COMMAND(cmd_state, "state")
CAT_COMMAND(cmd_list, "entries")
CAT_COMMAND(cmd_sets, "sets")
CAT_COMMAND(cmd_status, "status")

int cmd_key(int argc, char **argv)
{
	key_serial_t ring, key;
	size_t len;
	char *der;

	if (argc != 3 || strcmp(argv[1], "add"))
		return usage_error(find_command("key"), NULL);
	der = read_whole(argv[2], &len);
	if (!der)
		return EXIT_FAIL;
	ring = find_key_by_type_and_desc("keyring", ".veriexec", 0);
	if (ring < 0) {
		fail("%s: no .veriexec keyring: %s", argv[2], strerror(errno));
		free(der);
		return EXIT_FAIL;
	}
	key = add_key("asymmetric", NULL, der, len, ring);
	if (key < 0)
		fail("%s: %s", argv[2], errno == EKEYREJECTED ?
		     "not signed by a key the kernel trusts" :
		     strerror(errno));
	free(der);
	return key < 0 ? EXIT_FAIL : EXIT_OK;
}

static int is_p7s(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && !strcmp(d->d_name + n - 4, ".p7s");
}

static int boot_load_all(void)
{
	struct dirent **names;
	char path[4096];
	int i, n, rc = EXIT_OK;

	n = scandir(conf_dir(), &names, is_p7s, alphasort);
	if (n < 0)
		return errno == ENOENT ? EXIT_OK : EXIT_FAIL;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", conf_dir(),
			 names[i]->d_name);
		if (load_signed(path))
			rc = EXIT_FAIL;
		free(names[i]);
	}
	free(names);
	return rc;
}

/* First word of a small configuration file, or NULL when absent. */
static char *conf_word(const char *name, char *buf, size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", conf_dir(), name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (fscanf(f, "%15s", buf) != 1)
		snprintf(buf, size, "%s", "");
	fclose(f);
	return buf;
}

/*
 * Manifests first, then the level, then the lock: raising the level before
 * the manifests are in would refuse the very programs that load them.  A
 * set that fails to load does not stop the level from being raised, as on
 * NetBSD, where rc.d raises the strict level whatever happened before.
 */
int cmd_boot(int argc, char **argv)
{
	char word[16];
	int rc;

	if (argc != 1)
		return usage_error(find_command("boot"), "no arguments expected");
	rc = boot_load_all();
	if (conf_word("level", word, sizeof(word)) && set_level(word))
		rc = EXIT_FAIL;
	if (conf_word("lock", word, sizeof(word)) && strcmp(word, "0") &&
	    do_lock())
		rc = EXIT_FAIL;
	return rc;
}
