// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - Loading manifests, and every way one is refused
 *
 * Copyright © 2026 The veriexec authors
 *
 * Runs at level 0: loads change only the sets named here.
 */

#define _GNU_SOURCE
#include <sys/sysmacros.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include <dirent.h>
#include <stdarg.h>

#include "common.h"

/* Set names unique to the test process: versions persist across tests. */
static char na[32], nb[32];

static void name_sets(void)
{
	snprintf(na, sizeof(na), "mt%d_a", getpid());
	snprintf(nb, sizeof(nb), "mt%d_b", getpid());
}

/* printf into a rotating static buffer, for building test strings. */
static const char *fmt(const char *f, ...)
{
	static char bufs[4][1024];
	static int i;
	char *buf = bufs[i++ % 4];
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, sizeof(bufs[0]), f, ap);
	va_end(ap);
	return buf;
}

/* Two files a and b, a hard link to a, and their fingerprints. */
struct files {
	char dir[64], a[96], b[96], link[96];
	char ha[65], hb[65];
};

static void make_files(struct __test_metadata *_metadata, struct files *f)
{
	name_sets();
	snprintf(f->dir, sizeof(f->dir), "/tmp/vx-mt.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(f->dir));
	snprintf(f->a, sizeof(f->a), "%s/a", f->dir);
	snprintf(f->b, sizeof(f->b), "%s/b", f->dir);
	snprintf(f->link, sizeof(f->link), "%s/a-link", f->dir);
	ASSERT_EQ(0, put_text(f->a, "#!/bin/sh\necho a\n"));
	ASSERT_EQ(0, put_text(f->b, "#!/bin/sh\necho b\n"));
	ASSERT_EQ(0, link(f->a, f->link));
	ASSERT_EQ(0, sha256_hex(f->a, f->ha));
	ASSERT_EQ(0, sha256_hex(f->b, f->hb));
}

FIXTURE(manifest) {
	struct files f;
};

FIXTURE_SETUP(manifest)
{
	SKIP_WITHOUT_SIGNING();
	make_files(_metadata, &self->f);
}

FIXTURE_TEARDOWN(manifest)
{
	load_text(fmt("@name %s\n@version 99\n", na));
	load_text(fmt("@name %s\n@version 99\n", nb));
}

/* A manifest of set @name, version @version, listing @path. */
static void manifest_of(char *buf, size_t size, const char *name,
			unsigned int version, const char *path,
			const char *hex)
{
	snprintf(buf, size, "@name %s\n@version %u\n%s sha256 %s direct\n",
		 name, version, path, hex);
}

static bool set_listed(const char *line)
{
	return file_has_line(VERIEXEC_FS "sets", line);
}

TEST_F(manifest, load_shows_in_sets_entries_state)
{
	char text[512], line[512], buf[256];
	struct stat st;

	snprintf(text, sizeof(text),
		 "@name %s\n@version 5\n%s sha256 %s direct,no_ptrace\n"
		 "/nonexistent/x sha256 %s\n- sha256 %s file\n",
		 na, self->f.a, self->f.ha, self->f.ha, self->f.hb);
	ASSERT_EQ(0, load_text(text));
	EXPECT_TRUE(set_listed(fmt("%s 5 2 1", na)));
	ASSERT_EQ(0, stat(self->f.a, &st));
	snprintf(line, sizeof(line), "%s %s sha256 %s direct,no_ptrace %u:%u:%lu unevaluated",
		 na, self->f.a, self->f.ha, major(st.st_dev), minor(st.st_dev),
		 (unsigned long)st.st_ino);
	EXPECT_TRUE(file_has_line(VERIEXEC_FS "entries", line)) {
		TH_LOG("no line '%s'", line);
	}
	snprintf(line, sizeof(line), "%s - sha256 %s file - unevaluated",
		 na, self->f.hb);
	EXPECT_TRUE(file_has_line(VERIEXEC_FS "entries", line));
	ASSERT_LT(0, read_file(VERIEXEC_FS "state", buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, "loaded active", 13)) {
		TH_LOG("state: %s", buf);
	}
	EXPECT_LE(2, status_counter("entries"));
	EXPECT_LE(1, status_counter("skipped"));
}

/*
 * Without its certificate in the message, the signer can only be found
 * in the .veriexec keyring, which takes it because the test CA signed it.
 */
/* How many files in /tmp start with @prefix. */
static int count_tmp(const char *prefix)
{
	DIR *d = opendir("/tmp");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

/* load_text() cleans up after itself, whether the load succeeds or not. */
TEST_F(manifest, load_text_leaves_no_files)
{
	int before = count_tmp("vx-manifest.");

	ASSERT_LE(0, before);
	ASSERT_EQ(0, load_text(fmt("@name %s\n%s sha256 %s\n", na, self->f.a,
				   self->f.ha)));
	EXPECT_EQ(-EINVAL, load_text(fmt("@name %s\n/x sha256 zz\n", na)));
	EXPECT_EQ(before, count_tmp("vx-manifest."));
}

/* NetBSD's aliases, shown as the options they stand for. */
TEST_F(manifest, netbsd_aliases)
{
	static const struct {
		const char *alias, *options;
	} aliases[] = {
		{ "script", "direct,file" },
		{ "program", "direct" },
		{ "interpreter", "indirect" },
		{ "library", "indirect,file" },
	};
	char text[2048], path[128], line[512];
	struct stat st;
	size_t i;
	int n;

	n = snprintf(text, sizeof(text), "@name %s\n", na);
	for (i = 0; i < ARRAY_SIZE(aliases); i++) {
		snprintf(path, sizeof(path), "%s/%s", self->f.dir, aliases[i].alias);
		ASSERT_EQ(0, put_text(path, "#!/bin/sh\necho a\n"));
		n += snprintf(text + n, sizeof(text) - n, "%s sha256 %s %s\n",
			      path, self->f.ha, aliases[i].alias);
	}
	ASSERT_EQ(0, load_text(text));
	for (i = 0; i < ARRAY_SIZE(aliases); i++) {
		snprintf(path, sizeof(path), "%s/%s", self->f.dir, aliases[i].alias);
		ASSERT_EQ(0, stat(path, &st));
		snprintf(line, sizeof(line), "%s %s sha256 %s %s %u:%u:%lu unevaluated",
			 na, path, self->f.ha, aliases[i].options,
			 major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
		EXPECT_TRUE(file_has_line(VERIEXEC_FS "entries", line)) {
			TH_LOG("no line '%s'", line);
		}
	}
}

TEST_F(manifest, signer_in_veriexec_keyring)
{
	const char *add[] = { "veriexecctl", "key", "add",
			      TEST_KEYS "signing.der", NULL };
	char out[] = "/tmp/vx-nocerts.p7s", text[512];

	manifest_of(text, sizeof(text), na, 3, self->f.a, self->f.ha);
	ASSERT_EQ(0, sign_message(text, out, SIGNING_KEY, SIGNING_CERT, false));
	ASSERT_EQ(0, run(add));
	EXPECT_EQ(0, load_file(out));
	EXPECT_TRUE(set_listed(fmt("%s 3 1 0", na)));
}

TEST_F(manifest, escaped_path)
{
	char path[128], text[512];

	snprintf(path, sizeof(path), "%s/with space", self->f.dir);
	ASSERT_EQ(0, put_text(path, "x"));
	snprintf(text, sizeof(text), "@name %s\n%s/with\\040space sha256 %s\n",
		 na, self->f.dir, self->f.ha);
	ASSERT_EQ(0, load_text(text));
	EXPECT_TRUE(set_listed(fmt("%s 0 1 0", na)));
}

/*
 * The loader walks each directory once and then looks up last components
 * (resolve.c): every kind of path must still lead where stat(2) does.
 */
TEST_F(manifest, paths_resolve_as_stat_does)
{
	static const char *const listed[] = {
		"d/real", "d/abs", "d/rel", "ldir/x", "d/../d2/y", "d/m",
	};
	static const char *const absent[] = {
		"d/missing", "nodir/z", "d/real/zz",
	};
	char text[4096], path[256], line[512];
	const char *dir = self->f.dir;
	struct stat st;
	size_t i, n = 0;

	ASSERT_EQ(0, mkdir(fmt("%s/d", dir), 0755));
	ASSERT_EQ(0, mkdir(fmt("%s/d2", dir), 0755));
	ASSERT_EQ(0, put_text(fmt("%s/d/real", dir), "r"));
	ASSERT_EQ(0, put_text(fmt("%s/d2/x", dir), "x"));
	ASSERT_EQ(0, put_text(fmt("%s/d2/y", dir), "y"));
	ASSERT_EQ(0, put_text(fmt("%s/d/m", dir), "m"));
	ASSERT_EQ(0, put_text(fmt("%s/src", dir), "s"));
	ASSERT_EQ(0, symlink(self->f.a, fmt("%s/d/abs", dir)));
	ASSERT_EQ(0, symlink("../b", fmt("%s/d/rel", dir)));
	ASSERT_EQ(0, symlink("d2", fmt("%s/ldir", dir)));
	/* A file mount point: its path leads to the file mounted on it. */
	ASSERT_EQ(0, mount(fmt("%s/src", dir), fmt("%s/d/m", dir), NULL,
			   MS_BIND, NULL));

	n = snprintf(text, sizeof(text), "@name %s\n", na);
	for (i = 0; i < ARRAY_SIZE(listed); i++)
		n += snprintf(text + n, sizeof(text) - n, "%s/%s sha256 %s\n",
			      dir, listed[i], self->f.ha);
	for (i = 0; i < ARRAY_SIZE(absent); i++)
		n += snprintf(text + n, sizeof(text) - n, "%s/%s sha256 %s\n",
			      dir, absent[i], self->f.ha);
	EXPECT_EQ(0, load_text(text));
	EXPECT_TRUE(set_listed(fmt("%s 0 %zu %zu", na, ARRAY_SIZE(listed),
				   ARRAY_SIZE(absent))));
	for (i = 0; i < ARRAY_SIZE(listed); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, listed[i]);
		ASSERT_EQ(0, stat(path, &st));
		snprintf(line, sizeof(line),
			 "%s %s sha256 %s direct %u:%u:%lu unevaluated", na,
			 path, self->f.ha, major(st.st_dev), minor(st.st_dev),
			 (unsigned long)st.st_ino);
		EXPECT_TRUE(file_has_line(VERIEXEC_FS "entries", line)) {
			TH_LOG("no line '%s'", line);
		}
	}
	EXPECT_EQ(0, umount(fmt("%s/d/m", dir)));
}

/* Beyond the 64 KiB the kernel's ASN.1 decoder takes (detach.c). */
TEST_F(manifest, large_signed_manifest)
{
	size_t i, n, size = 4000 * 80 + 64;
	char *text = malloc(size);

	ASSERT_NE(NULL, text);
	n = snprintf(text, size, "@name %s\n", na);
	for (i = 0; i < 4000; i++)
		n += snprintf(text + n, size - n, "- sha256 %064zx\n", i);
	ASSERT_LT(256 * 1024, n);
	EXPECT_EQ(0, load_text(text));
	EXPECT_TRUE(set_listed(fmt("%s 0 4000 0", na)));
	free(text);
}

/* Each refusal: the contract's errno, and the loaded set untouched. */
FIXTURE(refusal) {
	struct files f;
	char good[512];
};

FIXTURE_SETUP(refusal)
{
	SKIP_WITHOUT_SIGNING();
	make_files(_metadata, &self->f);
	manifest_of(self->good, sizeof(self->good), na, 10, self->f.a,
		    self->f.ha);
	ASSERT_EQ(0, load_text(self->good));
	ASSERT_TRUE(set_listed(fmt("%s 10 1 0", na)));
}

FIXTURE_TEARDOWN(refusal)
{
	load_text(fmt("@name %s\n@version 99\n", na));
	load_text(fmt("@name %s\n@version 99\n", nb));
}

#define EXPECT_UNTOUCHED() EXPECT_TRUE(set_listed(fmt("%s 10 1 0", na)))

TEST_F(refusal, unsigned_manifest)
{
	EXPECT_EQ(-EKEYREJECTED, write_file(VERIEXEC_FS "manifest", "@name x\n", 8));
	EXPECT_UNTOUCHED();
}

TEST_F(refusal, unknown_signer)
{
	char out[] = "/tmp/vx-rogue.p7s", text[512];

	manifest_of(text, sizeof(text), na, 11, self->f.b, self->f.hb);
	ASSERT_EQ(0, sign_with(text, out, ROGUE_KEY, ROGUE_CERT));
	EXPECT_EQ(-ENOKEY, load_file(out));
	EXPECT_UNTOUCHED();
}

TEST_F(refusal, unknown_signer_without_certificate)
{
	char out[] = "/tmp/vx-rogue-nocerts.p7s", text[512];

	manifest_of(text, sizeof(text), na, 11, self->f.b, self->f.hb);
	ASSERT_EQ(0, sign_message(text, out, ROGUE_KEY, ROGUE_CERT, false));
	EXPECT_EQ(-ENOKEY, load_file(out));
	EXPECT_UNTOUCHED();
}

/* Signs @text and returns the DER in @buf, its length in @len. */
static void signed_der(struct __test_metadata *_metadata, const char *text,
		       char *buf, size_t size, ssize_t *len)
{
	char out[] = "/tmp/vx-der.p7s";

	ASSERT_EQ(0, sign_with(text, out, SIGNING_KEY, SIGNING_CERT));
	*len = read_file(out, buf, size);
	ASSERT_LT(0, *len);
}

TEST_F(refusal, corrupted_der)
{
	char text[512], der[8192];
	ssize_t len;

	manifest_of(text, sizeof(text), na, 11, self->f.b, self->f.hb);
	signed_der(_metadata, text, der, sizeof(der), &len);
	/* Truncated: the outer SEQUENCE claims more than there is. */
	EXPECT_EQ(-EBADMSG, write_file(VERIEXEC_FS "manifest", der, len / 2));
	EXPECT_EQ(-EBADMSG, write_file(VERIEXEC_FS "manifest", "\x30\x03\x01\x02\x03", 5));
	EXPECT_UNTOUCHED();
}

TEST_F(refusal, tampered_content)
{
	char text[512], der[8192];
	char *p;
	ssize_t len;

	manifest_of(text, sizeof(text), na, 11, self->f.b, self->f.hb);
	signed_der(_metadata, text, der, sizeof(der), &len);
	p = memmem(der, len, "@version 11", 11);
	ASSERT_NE(NULL, p);
	p[10] = '9';
	EXPECT_EQ(-EKEYREJECTED, write_file(VERIEXEC_FS "manifest", der, len));
	EXPECT_UNTOUCHED();
}

TEST_F(refusal, malformed_text)
{
	int fd = kmsg_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, load_text(fmt("@name %s\n@version 11\n/x sha256 zz\n", na)));
	EXPECT_UNTOUCHED();
	/* The log names the line and what was wrong with it. */
	EXPECT_TRUE(kmsg_find(fd, ";veriexec: manifest rejected: line 3: bad fingerprint\n"));
	close(fd);
}

TEST_F(refusal, duplicate_path)
{
	char text[1024];

	snprintf(text, sizeof(text), "@name %s\n@version 11\n%s sha256 %s\n%s sha256 %s\n",
		 na, self->f.b, self->f.hb, self->f.b, self->f.hb);
	EXPECT_EQ(-EINVAL, load_text(text));
	EXPECT_UNTOUCHED();
}

TEST_F(refusal, hard_links_in_one_manifest)
{
	char text[1024];

	snprintf(text, sizeof(text), "@name %s\n@version 11\n%s sha256 %s\n%s sha256 %s\n",
		 na, self->f.b, self->f.hb, self->f.link, self->f.ha);
	ASSERT_EQ(0, unlink(self->f.link));
	ASSERT_EQ(0, link(self->f.b, self->f.link));
	EXPECT_EQ(-EEXIST, load_text(text));
	EXPECT_UNTOUCHED();
}

TEST_F(refusal, file_of_another_set)
{
	char text[512];

	manifest_of(text, sizeof(text), nb, 1, self->f.link, self->f.ha);
	EXPECT_EQ(-EEXIST, load_text(text));
	EXPECT_UNTOUCHED();
	EXPECT_FALSE(set_listed(fmt("%s 1 1 0", nb)));
}

TEST_F(refusal, oversize)
{
	size_t len = (64UL << 20) + 1;
	char *big = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd;

	ASSERT_NE(MAP_FAILED, big);
	big[0] = 0x30;
	fd = open(VERIEXEC_FS "manifest", O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, big, len));
	EXPECT_EQ(EFBIG, errno);
	close(fd);
	munmap(big, len);
	EXPECT_UNTOUCHED();
}

TEST_F(refusal, rollback)
{
	char text[512];

	manifest_of(text, sizeof(text), na, 9, self->f.b, self->f.hb);
	EXPECT_EQ(-ESTALE, load_text(text));
	EXPECT_UNTOUCHED();
	/* The same version again is not a rollback. */
	manifest_of(text, sizeof(text), na, 10, self->f.b, self->f.hb);
	EXPECT_EQ(0, load_text(text));
}

/* Drop every capability, keep running as root otherwise. */
static void drop_caps(struct __test_metadata *_metadata)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { };

	ASSERT_EQ(0, syscall(SYS_capset, &hdr, data));
}

TEST_F(refusal, unprivileged)
{
	char text[512], der[8192];
	ssize_t len;
	pid_t pid;
	int status;

	manifest_of(text, sizeof(text), na, 12, self->f.b, self->f.hb);
	signed_der(_metadata, text, der, sizeof(der), &len);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd = open(VERIEXEC_FS "manifest", O_WRONLY);

		drop_caps(_metadata);
		ASSERT_LE(0, fd);
		EXPECT_EQ(-1, write(fd, der, len));
		EXPECT_EQ(EPERM, errno);
		EXPECT_EQ(-EPERM, write_file(VERIEXEC_FS "level", "1", 1));
		EXPECT_EQ(-EPERM, write_file(VERIEXEC_FS "lock", "1", 1));
		EXPECT_EQ(-EPERM, open(VERIEXEC_FS "entries", O_RDONLY) < 0 ? -errno : 0);
		close(fd);
		_exit(_metadata->exit_code);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_UNTOUCHED();
	EXPECT_EQ(0, current_level());
}

TEST_F(refusal, replace_keeps_other_sets)
{
	char text[512];

	manifest_of(text, sizeof(text), nb, 1, self->f.b, self->f.hb);
	ASSERT_EQ(0, load_text(text));
	manifest_of(text, sizeof(text), na, 11, self->f.link, self->f.ha);
	ASSERT_EQ(0, load_text(text));
	EXPECT_TRUE(set_listed(fmt("%s 11 1 0", na)));
	EXPECT_TRUE(set_listed(fmt("%s 1 1 0", nb)));
}

TEST_F(refusal, empty_manifest_unloads)
{
	ASSERT_EQ(0, load_text(fmt("@name %s\n@version 10\n", na)));
	EXPECT_FALSE(set_listed(fmt("%s 10 1 0", na)));
	/* The version seen stays: rollback is refused after unloading too. */
	EXPECT_EQ(-ESTALE, load_text(fmt("@name %s\n@version 3\n", na)));
}

TEST_F(refusal, multiple_writes)
{
	char text[512], der[8192];
	ssize_t len, i;
	int fd;

	manifest_of(text, sizeof(text), na, 11, self->f.b, self->f.hb);
	signed_der(_metadata, text, der, sizeof(der), &len);
	fd = open(VERIEXEC_FS "manifest", O_WRONLY);
	ASSERT_LE(0, fd);
	for (i = 0; i < len; i += 7)
		ASSERT_LT(0, write(fd, der + i, len - i < 7 ? len - i : 7));
	EXPECT_EQ(0, close(fd));
	EXPECT_TRUE(set_listed(fmt("%s 11 1 0", na)));
}

/*
 * Loads from several processes and readers all along: always whole sets.
 * 32 signed loads take minutes, not seconds, under an emulator on a busy
 * host: the harness's 30 s would fail a correct kernel.
 */
TEST_F_TIMEOUT(refusal, concurrent_loads_and_reads, 300)
{
	char text[2][512], buf[1 << 16];
	pid_t pids[4];
	int i, status;

	manifest_of(text[0], sizeof(text[0]), nb, 1, self->f.b, self->f.hb);
	snprintf(text[1], sizeof(text[1]), "@name %s\n@version 1\n%s sha256 %s\n- sha256 %s\n",
		 nb, self->f.b, self->f.hb, self->f.ha);
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			int k, bad = 0;

			for (k = 0; k < 8; k++)
				bad |= load_text(text[(i + k) % 2]) != 0;
			_exit(bad);
		}
	}
	for (i = 0; i < 200; i++) {
		ssize_t n = read_file(VERIEXEC_FS "sets", buf, sizeof(buf));
		char *p = strstr(buf, fmt("%s 1 ", nb));

		ASSERT_LT(0, n);
		if (p)
			ASSERT_TRUE(!strncmp(p, fmt("%s 1 1 0\n", nb), strlen(nb) + 8) ||
				    !strncmp(p, fmt("%s 1 2 0\n", nb), strlen(nb) + 8)) {
				TH_LOG("sets: %s", buf);
			}
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	EXPECT_TRUE(set_listed(fmt("%s 1 1 0", nb)) || set_listed(fmt("%s 1 2 0", nb)));
	EXPECT_UNTOUCHED();
}

TEST(level_file_reads_a_number)
{
	char buf[16];

	ASSERT_LT(0, read_file(VERIEXEC_FS "level", buf, sizeof(buf)));
	EXPECT_TRUE(buf[0] >= '0' && buf[0] <= '3' && buf[1] == '\n');
	EXPECT_EQ(-EINVAL, write_file(VERIEXEC_FS "level", "9", 1));
	EXPECT_EQ(-EINVAL, write_file(VERIEXEC_FS "level", "x", 1));
}

TEST_HARNESS_MAIN
