// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - KUnit tests and benchmark of the fingerprint store
 *
 * Copyright © 2026 The veriexec authors
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "store.h"

/* A 40-byte path, as the memory target counts. */
static const char path40[] = "/usr/lib/x86_64-linux-gnu/libexample.so";
static_assert(sizeof(path40) == 40);

static const u8 digest_a[32] = { 0xaa, 1, 2, 3 };
static const u8 digest_b[32] = { 0xbb, 1, 2, 3 };

struct fake {
	struct veriexec_manifest m;
	struct veriexec_key *keys;
	u32 *devs;
};

/* A manifest of @n entries with keys (1000, i + 1, 7). */
static struct fake *fake_manifest(struct kunit *test, const char *name,
				  size_t n, const u8 *digest)
{
	struct fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	strscpy(f->m.name, name);
	f->m.count = n;
	f->m.entries = vcalloc(n, sizeof(*f->m.entries));
	f->keys = vcalloc(n, sizeof(*f->keys));
	f->devs = vcalloc(n, sizeof(*f->devs));
	KUNIT_ASSERT_TRUE(test, f->m.entries && f->keys && f->devs);
	for (i = 0; i < n; i++) {
		f->m.entries[i].path = path40;
		f->m.entries[i].digest = digest;
		f->m.entries[i].algo = VERIEXEC_ALGO_SHA256;
		f->m.entries[i].opts = VERIEXEC_OPT_DIRECT;
		f->keys[i] = (struct veriexec_key){ 1000, i + 1, 7 };
	}
	return f;
}

static void free_fake(struct fake *f)
{
	vfree(f->m.entries);
	vfree(f->keys);
	vfree(f->devs);
}

static const struct veriexec_entry *find(u64 sb, u64 ino, u32 gen)
{
	struct veriexec_key key = { sb, ino, gen };

	guard(rcu)();
	return veriexec_store_find_inode(&key);
}

static void test_veriexec_set_build_lookup(struct kunit *test)
{
	struct fake *f = fake_manifest(test, "kunit_build", 100, digest_a);
	struct veriexec_set *set;
	const char *dup = NULL;

	set = veriexec_set_build(&f->m, f->keys, f->devs, 3, &dup);
	KUNIT_ASSERT_FALSE(test, IS_ERR(set));
	KUNIT_EXPECT_EQ(test, set->count, 100);
	KUNIT_EXPECT_EQ(test, set->skipped, 3);
	KUNIT_EXPECT_EQ(test, set->nr_sb, 1);
	KUNIT_EXPECT_STREQ(test, veriexec_entry_path(set->index[99]), path40);
	KUNIT_ASSERT_EQ(test, veriexec_store_replace(set, "kunit_build", 0, &dup), 0);
	KUNIT_EXPECT_NOT_NULL(test, find(1000, 50, 7));
	/* Another generation is another file. */
	KUNIT_EXPECT_NULL(test, find(1000, 50, 8));
	KUNIT_EXPECT_NULL(test, find(1001, 50, 7));
	scoped_guard(rcu) {
		KUNIT_EXPECT_NOT_NULL(test, veriexec_store_find_digest(VERIEXEC_ALGO_SHA256,
								       digest_a));
		KUNIT_EXPECT_NULL(test, veriexec_store_find_digest(VERIEXEC_ALGO_SHA256,
								   digest_b));
		KUNIT_EXPECT_TRUE(test, veriexec_store_has_sb(1000));
	}
	KUNIT_EXPECT_EQ(test, veriexec_store_replace(NULL, "kunit_build", 0, &dup), 0);
	KUNIT_EXPECT_NULL(test, find(1000, 50, 7));
	free_fake(f);
}

static void test_veriexec_set_build_same_inode(struct kunit *test)
{
	struct fake *f = fake_manifest(test, "kunit_dup", 10, digest_a);
	struct veriexec_set *set;
	const char *dup = NULL;

	f->keys[7] = f->keys[2];
	set = veriexec_set_build(&f->m, f->keys, f->devs, 0, &dup);
	KUNIT_EXPECT_EQ(test, PTR_ERR(set), -EEXIST);
	KUNIT_EXPECT_PTR_EQ(test, dup, (const char *)path40);
	free_fake(f);
}

static void test_veriexec_store_replace_rules(struct kunit *test)
{
	struct fake *a = fake_manifest(test, "kunit_a", 4, digest_a);
	struct fake *b = fake_manifest(test, "kunit_b", 4, digest_b);
	struct fake *a2 = fake_manifest(test, "kunit_a", 4, digest_b);
	struct veriexec_set *set;
	const char *dup = NULL;
	u32 gen = veriexec_store_gen();

	set = veriexec_set_build(&a->m, a->keys, a->devs, 0, &dup);
	KUNIT_ASSERT_EQ(test, veriexec_store_replace(set, "kunit_a", 5, &dup), 0);
	KUNIT_EXPECT_NE(test, gen, veriexec_store_gen());
	/* The same inodes in another set: refused, nothing changes. */
	set = veriexec_set_build(&b->m, b->keys, b->devs, 0, &dup);
	KUNIT_EXPECT_EQ(test, veriexec_store_replace(set, "kunit_b", 0, &dup), -EEXIST);
	veriexec_set_free(set);
	/* Rollback refused; the loaded set stays. */
	set = veriexec_set_build(&a2->m, a2->keys, a2->devs, 0, &dup);
	KUNIT_EXPECT_EQ(test, veriexec_store_replace(set, "kunit_a", 4, &dup), -ESTALE);
	veriexec_set_free(set);
	scoped_guard(rcu)
		KUNIT_EXPECT_NOT_NULL(test, veriexec_store_find_digest(VERIEXEC_ALGO_SHA256,
								       digest_a));
	/* Replacing by name swaps the whole set at once. */
	set = veriexec_set_build(&a2->m, a2->keys, a2->devs, 0, &dup);
	KUNIT_EXPECT_EQ(test, veriexec_store_replace(set, "kunit_a", 5, &dup), 0);
	scoped_guard(rcu) {
		KUNIT_EXPECT_NULL(test, veriexec_store_find_digest(VERIEXEC_ALGO_SHA256,
								   digest_a));
		KUNIT_EXPECT_NOT_NULL(test, veriexec_store_find_digest(VERIEXEC_ALGO_SHA256,
								       digest_b));
	}
	KUNIT_EXPECT_EQ(test, veriexec_store_replace(NULL, "kunit_a", 5, &dup), 0);
	free_fake(a);
	free_fake(b);
	free_fake(a2);
}

/* Nanoseconds per lookup over @rounds random hits in a set of @n. */
static u64 time_lookups(struct kunit *test, size_t n, size_t rounds,
			size_t *bytes)
{
	struct fake *f = fake_manifest(test, "kunit_bench", n, digest_a);
	struct veriexec_set *set;
	const char *dup = NULL;
	u64 start, ns;
	size_t i, hits = 0;

	set = veriexec_set_build(&f->m, f->keys, f->devs, 0, &dup);
	KUNIT_ASSERT_FALSE(test, IS_ERR(set));
	*bytes = set->bytes;
	KUNIT_ASSERT_EQ(test, veriexec_store_replace(set, "kunit_bench", 0, &dup), 0);
	start = ktime_get_ns();
	for (i = 0; i < rounds; i++)
		hits += !!find(1000, get_random_u32_below(n) + 1, 7);
	ns = ktime_get_ns() - start;
	KUNIT_EXPECT_EQ(test, hits, rounds);
	veriexec_store_replace(NULL, "kunit_bench", 0, &dup);
	free_fake(f);
	return ns / rounds;
}

/*
 * The benchmark of the store: lookups in 1k and 1M entries, and the memory
 * an entry takes.  Timings are printed, not asserted (benchmarks, not timed
 * tests); the memory bound is exact, so it is asserted.
 */
static void test_veriexec_store_benchmark(struct kunit *test)
{
	size_t bytes_small, bytes_big;
	u64 small, big;

	small = time_lookups(test, 1000, 200000, &bytes_small);
	big = time_lookups(test, 1000000, 200000, &bytes_big);
	kunit_info(test, "lookup ns: 1k %llu, 1M %llu, ratio 1M/1k %llu.%02llu\n",
		   small, big, big / max(small, 1ULL),
		   big * 100 / max(small, 1ULL) % 100);
	kunit_info(test, "bytes per sha256 entry with a 40-byte path: %zu\n",
		   bytes_big / 1000000);
	KUNIT_EXPECT_LE(test, bytes_big / 1000000, 160);
}

static struct kunit_case store_test_cases[] = {
	KUNIT_CASE(test_veriexec_set_build_lookup),
	KUNIT_CASE(test_veriexec_set_build_same_inode),
	KUNIT_CASE(test_veriexec_store_replace_rules),
	KUNIT_CASE_SLOW(test_veriexec_store_benchmark),
	{}
};

static struct kunit_suite store_test_suite = {
	.name = "veriexec_store",
	.test_cases = store_test_cases,
};

kunit_test_suite(store_test_suite);
