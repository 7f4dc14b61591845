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

#include "../../security/veriexec/manifest.h"
#include "veriexecctl.h"

/*
 * Both can be moved, for tests outside a veriexec kernel: the securityfs
 * directory by VERIEXEC_SECURITYFS (boot, load, learn, check), the
 * configuration by VERIEXEC_CONFDIR (boot).
 */
static const char *fs_dir(void)
{
	const char *dir = getenv("VERIEXEC_SECURITYFS");

	return dir && *dir ? dir : VERIEXEC_FS;
}

static const char *conf_dir(void)
{
	const char *dir = getenv("VERIEXEC_CONFDIR");

	return dir ? dir : "/etc/veriexec";
}

/* The path of a veriexec securityfs file, for opening and for messages. */
void fs_path(char *buf, size_t size, const char *name)
{
	const char *dir = fs_dir();

	snprintf(buf, size, "%s%s%s", dir,
		 dir[strlen(dir) - 1] == '/' ? "" : "/", name);
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

/* Load what was read from @path; 0, or -1 after saying why. */
static int load_data(const char *path, const void *data, size_t len)
{
	int err = write_fs("manifest", data, len);

	if (err > 0)
		fail("%s: %s", path, load_error(err));
	return err ? -1 : 0;
}

int load_signed(const char *path)
{
	size_t len;
	char *data = read_whole(path, &len);
	int rc;

	if (!data)
		return -1;
	rc = load_data(path, data, len);
	free(data);
	return rc;
}

/* Writing a set's name to the verify file starts verifying it. */
static int start_verify(int fd, const char *vpath, const char *name)
{
	char line[VERIEXEC_SET_NAME_MAX + 2];
	size_t n = snprintf(line, sizeof(line), "%s\n", name);
	int err = 0;

	if (write(fd, line, n) != (ssize_t)n)
		err = errno ? errno : EIO;
	if (close(fd) && !err)
		err = errno;
	if (err)
		fail("%s: cannot verify set '%s': %s", vpath, name,
		     strerror(err));
	return err ? -1 : 0;
}

/*
 * load -e: the set is named in the verify file once it is in.  That file
 * is opened first, so that a kernel without it is told before anything
 * is loaded; the name comes from the content, parsed as the kernel does.
 * A manifest with no entries unloads its set, leaving nothing to verify.
 */
static int load_and_verify(const char *path)
{
	char name[VERIEXEC_SET_NAME_MAX + 1], vpath[512];
	size_t len, entries;
	char *data = read_whole(path, &len);
	int fd = -1, rc = -1;

	if (!data)
		return -1;
	if (signed_manifest_set(path, data, len, name, sizeof(name), &entries))
		goto out;
	fs_path(vpath, sizeof(vpath), "verify");
	fd = open(vpath, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fail("%s: %s", vpath, errno == ENOENT ?
		     "missing: this kernel cannot verify sets in the background" :
		     strerror(errno));
		goto out;
	}
	if (load_data(path, data, len))
		goto out;
	rc = entries ? start_verify(fd, vpath, name) : 0;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	free(data);
	return rc;
}

int cmd_load(int argc, char **argv)
{
	bool verify = false;
	int c;

	while ((c = getopt(argc, argv, "e")) != -1) {
		if (c != 'e')
			return usage_error(find_command("load"), NULL);
		verify = true;
	}
	if (optind != argc - 1)
		return usage_error(find_command("load"), "one file expected");
	if (verify)
		return load_and_verify(argv[optind]) ? EXIT_FAIL : EXIT_OK;
	return load_signed(argv[optind]) ? EXIT_FAIL : EXIT_OK;
}

static int cat_fs(const char *name)
{
	char buf[65536];
	ssize_t n;
	int fd = open_fs(name, O_RDONLY);
	char path[512];

	if (fd < 0)
		return EXIT_FAIL;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	if (n < 0) {
		fs_path(path, sizeof(path), name);
		fail("%s: %s", path, strerror(errno));
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

/* What boot does, gathered before a chroot so that securityfs is open. */
struct boot_plan {
	struct dirent **names;
	int n;
	int *fds;		/* one open manifest file per name */
	char level[16];
	bool has_level, lock;
	int level_fd, lock_fd;
};

static int plan_boot(struct boot_plan *b)
{
	char word[16];
	int i;

	b->n = scandir(conf_dir(), &b->names, is_p7s, alphasort);
	if (b->n < 0) {
		if (errno != ENOENT) {
			fail("%s: %s", conf_dir(), strerror(errno));
			return -1;
		}
		b->n = 0;
		b->names = NULL;
	}
	b->fds = calloc(b->n ? b->n : 1, sizeof(*b->fds));
	if (!b->fds)
		return -1;
	for (i = 0; i < b->n; i++) {
		b->fds[i] = open_fs("manifest", O_WRONLY);
		if (b->fds[i] < 0)
			return -1;
	}
	b->has_level = conf_word("level", b->level, sizeof(b->level));
	b->lock = conf_word("lock", word, sizeof(word)) && strcmp(word, "0");
	b->level_fd = b->has_level ? open_fs("level", O_WRONLY) : -1;
	b->lock_fd = b->lock ? open_fs("lock", O_WRONLY) : -1;
	if ((b->has_level && b->level_fd < 0) || (b->lock && b->lock_fd < 0))
		return -1;
	return 0;
}

/* Load through an already open manifest file; 0 or the errno. */
static int load_fd(int fd, const char *path)
{
	size_t len, off = 0;
	char *data = read_whole(path, &len);
	int err = 0;

	if (!data) {
		close(fd);
		return EIO;
	}
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0) {
			err = errno;
			break;
		}
		off += n;
	}
	if (close(fd) && !err)
		err = errno;
	free(data);
	if (err)
		fail("%s: %s", path, load_error(err));
	return err;
}

static int write_fd(int fd, const char *what, const char *value)
{
	int err = 0;

	if (write(fd, value, strlen(value)) < 0)
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (err)
		fail("%s: %s", what, err == EPERM ?
		     "cannot lower the level, or not permitted" : strerror(err));
	return err;
}

static int run_boot(struct boot_plan *b)
{
	char path[4096];
	int i, rc = EXIT_OK;

	for (i = 0; i < b->n; i++) {
		snprintf(path, sizeof(path), "%s/%s", conf_dir(),
			 b->names[i]->d_name);
		if (load_fd(b->fds[i], path))
			rc = EXIT_FAIL;
		b->fds[i] = -1;
	}
	if (b->has_level && write_fd(b->level_fd, "level", b->level))
		rc = EXIT_FAIL;
	if (b->lock && write_fd(b->lock_fd, "lock", "1"))
		rc = EXIT_FAIL;
	return rc;
}

static void free_plan(struct boot_plan *b)
{
	int i;

	for (i = 0; i < b->n; i++)
		free(b->names[i]);
	free(b->names);
	free(b->fds);
}

/*
 * With --max-level N, a configured level above N is lowered to N and the
 * lock is left for later: an initramfs runs programs of its own (mount,
 * run-init) after its last hook, and they are listed in no manifest, so
 * level 2 there would refuse them.  The real root's first program then
 * runs "boot" again, unbounded (see the initramfs-tools script).
 */
static void cap_level(struct boot_plan *b, const char *max)
{
	if (!b->has_level || strtoul(b->level, NULL, 10) <= strtoul(max, NULL, 10))
		return;
	snprintf(b->level, sizeof(b->level), "%s", max);
	if (b->lock_fd >= 0)
		close(b->lock_fd);
	b->lock_fd = -1;
	b->lock = false;
}

/*
 * Manifests first, then the level, then the lock: raising the level before
 * the manifests are in would refuse the very programs that load them.  A
 * set that fails to load does not stop the level from being raised, as on
 * NetBSD, where rc.d raises the strict level whatever happened before.
 *
 * With --root (from an initramfs), securityfs is opened first and the
 * rest runs chrooted, so that manifest paths resolve in the real root.
 */
int cmd_boot(int argc, char **argv)
{
	struct boot_plan b = { .level_fd = -1, .lock_fd = -1 };
	const char *root = NULL, *max = NULL;
	char confbuf[4096];
	int rc = EXIT_FAIL, i;

	for (i = 1; i < argc; i += 2) {
		if (i + 1 < argc && !strcmp(argv[i], "--root"))
			root = argv[i + 1];
		else if (i + 1 < argc && !strcmp(argv[i], "--max-level") &&
			 argv[i + 1][0] >= '0' && argv[i + 1][0] <= '3' &&
			 !argv[i + 1][1])
			max = argv[i + 1];
		else
			return usage_error(find_command("boot"), NULL);
	}
	if (root) {
		snprintf(confbuf, sizeof(confbuf), "%s%s", root, conf_dir());
		setenv("VERIEXEC_CONFDIR", confbuf, 1);
	}
	if (plan_boot(&b))
		goto out;
	if (max)
		cap_level(&b, max);
	if (root && (chroot(root) || chdir("/"))) {
		fail("%s: cannot chroot: %s", root, strerror(errno));
		goto out;
	}
	if (root)
		setenv("VERIEXEC_CONFDIR", "/etc/veriexec", 1);
	rc = run_boot(&b);
out:
	free_plan(&b);
	return rc;
}
