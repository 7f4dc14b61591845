// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - KUnit tests and benchmark of the set and the store
 *
 * Copyright © 2026 The veriexec authors
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
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

/* Run @action on @ptr when @test ends, or now when it cannot be queued. */
static void defer(struct kunit *test, kunit_action_t *action, void *ptr)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, action, ptr), 0);
}

static void free_fake(void *data)
{
	struct fake *f = data;

	vfree(f->m.entries);
	vfree(f->keys);
	vfree(f->devs);
}

/* A manifest of @n entries with keys (1000, i + 1, 7), freed with @test. */
static struct fake *fake_manifest(struct kunit *test, const char *name,
				  size_t n, const u8 *digest)
{
	struct fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	defer(test, free_fake, f);
	strscpy(f->m.name, name);
	f->m.count = n;
	f->m.entries = vcalloc(n, sizeof(*f->m.entries));
	f->keys = vcalloc(n, sizeof(*f->keys));
	f->devs = vcalloc(n, sizeof(*f->devs));
	KUNIT_ASSERT_TRUE(test, f->m.entries && f->keys && f->devs);
	for (i = 0; i < n; i++) {
		f->m.entries[i].path = path40;
		f->m.entries[i].path_len = sizeof(path40) - 1;
		f->m.entries[i].digest = digest;
		f->m.entries[i].algo = VERIEXEC_ALGO_SHA256;
		f->m.entries[i].opts = VERIEXEC_OPT_DIRECT;
		f->keys[i] = (struct veriexec_key){ 1000, i + 1, 7 };
	}
	return f;
}

KUNIT_DEFINE_ACTION_WRAPPER(free_store, veriexec_store_free,
			    struct veriexec_store *);

/*
 * A store of the test's own, freed with the test even when an assertion
 * fails: the live store never sees a test set, and the made-up superblock
 * ids of the fakes can meet no real file.
 */
static struct veriexec_store *new_store(struct kunit *test)
{
	struct veriexec_store *store = veriexec_store_create();

	KUNIT_ASSERT_FALSE(test, IS_ERR(store));
	defer(test, free_store, store);
	return store;
}

KUNIT_DEFINE_ACTION_WRAPPER(free_vmem, vfree, const void *);

KUNIT_DEFINE_ACTION_WRAPPER(free_set, veriexec_set_free,
			    struct veriexec_set *);

/* Build the set of @f; freed with @test unless a store takes it. */
static struct veriexec_set *build(struct kunit *test, struct fake *f,
				  u32 skipped)
{
	struct veriexec_set *set;
	const char *dup = NULL;

	set = veriexec_set_build(&f->m, f->keys, f->devs, skipped, &dup);
	KUNIT_ASSERT_FALSE(test, IS_ERR(set));
	defer(test, free_set, set);
	return set;
}

/* Hand @set over to @store; returns what veriexec_store_replace() did. */
static int load(struct kunit *test, struct veriexec_store *store,
		struct veriexec_set *set)
{
	const char *dup = NULL;
	int rc;

	rc = veriexec_store_replace(store, set, &dup);
	if (!rc)
		kunit_remove_action(test, free_set, set);
	return rc;
}

/* No test replaces a set while it holds an entry: it outlives the section. */
static const struct veriexec_entry *find(struct veriexec_store *store,
					 u64 sb, u64 ino, u32 gen)
{
	struct veriexec_key key = { sb, ino, gen };

	guard(rcu)();
	return veriexec_store_find_inode(store, &key);
}

static const struct veriexec_entry *
find_digest(struct veriexec_store *store, u8 algo, const u8 *digest)
{
	guard(rcu)();
	return veriexec_store_find_digest(store, algo, digest);
}

static bool has_sb(struct veriexec_store *store, u64 sb_id)
{
	guard(rcu)();
	return veriexec_store_has_sb(store, sb_id);
}

static void test_veriexec_set_build_lookup(struct kunit *test)
{
	struct fake *f = fake_manifest(test, "kunit_build", 100, digest_a);
	struct veriexec_store *store = new_store(test);
	struct veriexec_set *set = build(test, f, 3);

	KUNIT_EXPECT_EQ(test, set->count, 100);
	KUNIT_EXPECT_EQ(test, set->skipped, 3);
	KUNIT_EXPECT_EQ(test, set->nr_sb, 1);
	KUNIT_EXPECT_STREQ(test, veriexec_entry_path(veriexec_set_nth(set, 99)), path40);
	KUNIT_ASSERT_EQ(test, load(test, store, set), 0);
	KUNIT_EXPECT_NOT_NULL(test, find(store, 1000, 50, 7));
	/* Another generation is another file. */
	KUNIT_EXPECT_NULL(test, find(store, 1000, 50, 8));
	KUNIT_EXPECT_NULL(test, find(store, 1001, 50, 7));
	KUNIT_EXPECT_NOT_NULL(test, find_digest(store, VERIEXEC_ALGO_SHA256,
						digest_a));
	KUNIT_EXPECT_NULL(test, find_digest(store, VERIEXEC_ALGO_SHA256,
					    digest_b));
	KUNIT_EXPECT_TRUE(test, has_sb(store, 1000));
	KUNIT_EXPECT_EQ(test, veriexec_store_unload(store, "kunit_build", 0), 0);
	KUNIT_EXPECT_NULL(test, find(store, 1000, 50, 7));
	KUNIT_EXPECT_TRUE(test, veriexec_store_empty(store));
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
}

/*
 * Inode numbers repeat across superblocks, and digests across files: a
 * full table of each finds every entry by its own key and nothing else.
 */
static void test_veriexec_set_build_every_key(struct kunit *test)
{
	struct fake *f = fake_manifest(test, "kunit_keys", 3000, digest_a);
	struct veriexec_store *store = new_store(test);
	u8 (*digests)[32] = vcalloc(3000, sizeof(*digests));
	const struct veriexec_entry *e;
	struct veriexec_set *set;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, digests);
	defer(test, free_vmem, digests);
	for (i = 0; i < 3000; i++) {
		f->keys[i] = (struct veriexec_key){ 1000 + i % 3, i / 3 + 1, 7 };
		/* Every other entry path-less; pairs share a digest. */
		if (i % 2) {
			f->m.entries[i].path = NULL;
			f->m.entries[i].path_len = 0;
		}
		digests[i][0] = i / 2;
		digests[i][4] = i / 2 >> 8;
		f->m.entries[i].digest = digests[i];
	}
	f->keys[1].sb_id = 0;
	set = build(test, f, 0);
	KUNIT_EXPECT_EQ(test, set->nr_sb, 3);
	KUNIT_ASSERT_EQ(test, load(test, store, set), 0);
	for (i = 0; i < 3000; i++) {
		e = find(store, 1000 + i % 3, i / 3 + 1, 7);
		if (i == 1) {
			KUNIT_EXPECT_NULL(test, e);
			continue;
		}
		KUNIT_ASSERT_NOT_NULL(test, e);
		KUNIT_EXPECT_EQ(test, e->key.sb_id, 1000 + i % 3);
		KUNIT_EXPECT_EQ(test, e->key.ino, i / 3 + 1);
		KUNIT_EXPECT_EQ(test, !!veriexec_entry_path(e), !(i % 2));
		e = find_digest(store, VERIEXEC_ALGO_SHA256, digests[i]);
		KUNIT_ASSERT_NOT_NULL(test, e);
		KUNIT_EXPECT_MEMEQ(test, e->data, digests[i], 32);
	}
	KUNIT_EXPECT_NULL(test, find(store, 1000, 1001, 7));
	KUNIT_EXPECT_NULL(test, find(store, 1003, 1, 7));
	digests[0][8] = 1;
	KUNIT_EXPECT_NULL(test, find_digest(store, VERIEXEC_ALGO_SHA256,
					    digests[0]));
	KUNIT_EXPECT_NULL(test, find_digest(store, VERIEXEC_ALGO_SHA512,
					    digests[2]));
	KUNIT_EXPECT_FALSE(test, has_sb(store, 1003));
	KUNIT_EXPECT_TRUE(test, has_sb(store, 1002));
}

static void test_veriexec_store_replace_rules(struct kunit *test)
{
	struct fake *a = fake_manifest(test, "kunit_a", 4, digest_a);
	struct fake *b = fake_manifest(test, "kunit_b", 4, digest_b);
	struct fake *a2 = fake_manifest(test, "kunit_a", 4, digest_b);
	struct veriexec_store *store = new_store(test);
	u32 gen = veriexec_store_gen(store);

	a->m.version = 5;
	a2->m.version = 4;
	KUNIT_ASSERT_EQ(test, load(test, store, build(test, a, 0)), 0);
	KUNIT_EXPECT_NE(test, gen, veriexec_store_gen(store));
	/* The same inodes in another set: refused, nothing changes. */
	KUNIT_EXPECT_EQ(test, load(test, store, build(test, b, 0)), -EEXIST);
	/* Rollback refused; the loaded set stays. */
	KUNIT_EXPECT_EQ(test, load(test, store, build(test, a2, 0)), -ESTALE);
	KUNIT_EXPECT_NOT_NULL(test, find_digest(store, VERIEXEC_ALGO_SHA256,
						digest_a));
	/* Replacing by name swaps the whole set at once. */
	a2->m.version = 5;
	KUNIT_EXPECT_EQ(test, load(test, store, build(test, a2, 0)), 0);
	KUNIT_EXPECT_NULL(test, find_digest(store, VERIEXEC_ALGO_SHA256,
					    digest_a));
	KUNIT_EXPECT_NOT_NULL(test, find_digest(store, VERIEXEC_ALGO_SHA256,
						digest_b));
	/* The version record outlives the set: no rollback after unload. */
	KUNIT_EXPECT_EQ(test, veriexec_store_unload(store, "kunit_a", 5), 0);
	KUNIT_EXPECT_EQ(test, veriexec_store_unload(store, "kunit_a", 4),
			-ESTALE);
}

static void test_veriexec_store_seal(struct kunit *test)
{
	struct fake *a = fake_manifest(test, "kunit_a", 4, digest_a);
	struct veriexec_store *store = new_store(test);
	u32 gen = veriexec_store_gen(store);

	KUNIT_EXPECT_FALSE(test, veriexec_store_sealed(store));
	veriexec_store_seal(store);
	KUNIT_EXPECT_TRUE(test, veriexec_store_sealed(store));
	KUNIT_EXPECT_EQ(test, load(test, store, build(test, a, 0)), -EPERM);
	KUNIT_EXPECT_EQ(test, veriexec_store_unload(store, "kunit_a", 0),
			-EPERM);
	KUNIT_EXPECT_EQ(test, gen, veriexec_store_gen(store));
	KUNIT_EXPECT_TRUE(test, veriexec_store_empty(store));
}

/* Listing walks every set once, in load order. */
static void test_veriexec_store_next_set(struct kunit *test)
{
	static const char *const names[] = { "kunit_a", "kunit_b", "kunit_c" };
	struct veriexec_store *store = new_store(test);
	const char *seen[ARRAY_SIZE(names) + 1] = { };
	struct veriexec_set *set;
	struct fake *f;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		f = fake_manifest(test, names[i], 2, digest_a);
		f->keys[0].sb_id = 1000 + i;
		f->keys[1].sb_id = 1000 + i;
		KUNIT_ASSERT_EQ(test, load(test, store, build(test, f, 0)), 0);
	}
	i = 0;
	scoped_guard(rcu) {
		for (set = veriexec_store_first_set(store);
		     set && i < ARRAY_SIZE(seen);
		     set = veriexec_store_next_set(store, set))
			seen[i++] = set->name;
	}
	KUNIT_EXPECT_EQ(test, i, ARRAY_SIZE(names));
	for (i = 0; i < ARRAY_SIZE(names); i++)
		KUNIT_EXPECT_STREQ(test, seen[i], names[i]);
}

/* Mount guards hold in the namespaces the loaded sets resolved in. */
static void test_veriexec_store_paths_ns(struct kunit *test)
{
	struct fake *a = fake_manifest(test, "kunit_a", 2, digest_a);
	struct fake *b = fake_manifest(test, "kunit_b", 2, digest_b);
	struct veriexec_store *store = new_store(test);
	struct veriexec_set *set;

	b->keys[0].sb_id = 2000;
	b->keys[1].sb_id = 2000;
	scoped_guard(rcu)
		KUNIT_EXPECT_FALSE(test, veriexec_store_paths_ns(store, 7));
	set = build(test, a, 0);
	set->paths_ns = 7;
	KUNIT_ASSERT_EQ(test, load(test, store, set), 0);
	set = build(test, b, 0);
	set->paths_ns = 9;
	KUNIT_ASSERT_EQ(test, load(test, store, set), 0);
	scoped_guard(rcu) {
		KUNIT_EXPECT_TRUE(test, veriexec_store_paths_ns(store, 7));
		KUNIT_EXPECT_TRUE(test, veriexec_store_paths_ns(store, 9));
		KUNIT_EXPECT_FALSE(test, veriexec_store_paths_ns(store, 8));
		/* A namespace that could not be named is guarded. */
		KUNIT_EXPECT_TRUE(test, veriexec_store_paths_ns(store, 0));
	}
	/* Unloading a set ends the guard of its namespace. */
	KUNIT_ASSERT_EQ(test,
			veriexec_store_unload(store, "kunit_b", b->m.version),
			0);
	scoped_guard(rcu)
		KUNIT_EXPECT_FALSE(test, veriexec_store_paths_ns(store, 9));
}

#define BENCH_LOOKUPS	200000
#define BENCH_ROUNDS	5

/**
 * struct bench_table - One loaded set of the benchmark
 * @store: The store it is loaded in, with the other set.
 * @f: Its manifest.
 * @sb_id: The superblock its keys are on, apart from the other set's.
 * @inos: Inode numbers to look up, drawn before the clock starts.
 * @ns: Nanoseconds per lookup, per round.
 */
struct bench_table {
	struct veriexec_store *store;
	struct fake *f;
	u64 sb_id;
	u64 *inos;
	u64 ns[BENCH_ROUNDS];
};

static void bench_load(struct kunit *test, struct veriexec_store *store,
		       struct bench_table *t, const char *name, size_t n,
		       u64 sb_id, size_t *bytes)
{
	struct veriexec_set *set;
	size_t i;

	t->store = store;
	t->f = fake_manifest(test, name, n, digest_a);
	t->sb_id = sb_id;
	for (i = 0; i < n; i++)
		t->f->keys[i].sb_id = sb_id;
	t->inos = vmalloc_array(BENCH_LOOKUPS, sizeof(*t->inos));
	KUNIT_ASSERT_NOT_NULL(test, t->inos);
	defer(test, free_vmem, t->inos);
	for (i = 0; i < BENCH_LOOKUPS; i++)
		t->inos[i] = get_random_u32_below(n) + 1;
	set = build(test, t->f, 0);
	*bytes = set->bytes;
	KUNIT_ASSERT_EQ(test, load(test, store, set), 0);
}

static void bench_round(struct kunit *test, struct bench_table *t, int round)
{
	size_t i, hits = 0;
	u64 start;

	start = ktime_get_ns();
	for (i = 0; i < BENCH_LOOKUPS; i++)
		hits += !!find(t->store, t->sb_id, t->inos[i], 7);
	t->ns[round] = (ktime_get_ns() - start) / BENCH_LOOKUPS;
	KUNIT_EXPECT_EQ(test, hits, BENCH_LOOKUPS);
}

static int cmp_ns(const void *a, const void *b)
{
	return *(const u64 *)a < *(const u64 *)b ? -1 :
	       *(const u64 *)a > *(const u64 *)b;
}

static u64 median_ns(struct bench_table *t)
{
	sort(t->ns, BENCH_ROUNDS, sizeof(t->ns[0]), cmp_ns, NULL);
	return max(t->ns[BENCH_ROUNDS / 2], 1ULL);
}

/*
 * The benchmark of the store: random hits in sets of 1k and 1M entries,
 * both loaded, rounds interleaved, and the memory an entry takes.
 * Timings are printed, not asserted (benchmarks, not timed tests): make
 * bench runs this case with -icount shift=0 too, where guest time counts
 * instructions and memory latency drops out.  The memory bound is exact,
 * so it is asserted.
 */
static void test_veriexec_store_benchmark(struct kunit *test)
{
	struct veriexec_store *store = new_store(test);
	struct bench_table *small, *big;
	size_t bytes_small, bytes_big;
	u64 s, b;
	int r;

	small = kunit_kzalloc(test, sizeof(*small), GFP_KERNEL);
	big = kunit_kzalloc(test, sizeof(*big), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, small && big);
	bench_load(test, store, small, "kunit_bench_1k", 1000, 1000,
		   &bytes_small);
	bench_load(test, store, big, "kunit_bench_1m", 1000000, 2000,
		   &bytes_big);
	for (r = 0; r < BENCH_ROUNDS; r++) {
		bench_round(test, small, r);
		bench_round(test, big, r);
	}
	s = median_ns(small);
	b = median_ns(big);
	kunit_info(test, "lookup ns (median of %d rounds): 1k %llu, 1M %llu, ratio 1M/1k %llu.%02llu\n",
		   BENCH_ROUNDS, s, b, b / s, b * 100 / s % 100);
	kunit_info(test, "bytes per sha256 entry with a 40-byte path: 1k %zu, 1M %zu\n",
		   bytes_small / 1000, bytes_big / 1000000);
	KUNIT_EXPECT_LE(test, bytes_big / 1000000, 160);
}

static struct kunit_case store_test_cases[] = {
	KUNIT_CASE(test_veriexec_set_build_lookup),
	KUNIT_CASE(test_veriexec_set_build_same_inode),
	KUNIT_CASE(test_veriexec_set_build_every_key),
	KUNIT_CASE(test_veriexec_store_replace_rules),
	KUNIT_CASE(test_veriexec_store_seal),
	KUNIT_CASE(test_veriexec_store_next_set),
	KUNIT_CASE(test_veriexec_store_paths_ns),
	KUNIT_CASE_SLOW(test_veriexec_store_benchmark),
	{}
};

static struct kunit_suite store_test_suite = {
	.name = "veriexec_store",
	.test_cases = store_test_cases,
};

kunit_test_suite(store_test_suite);
