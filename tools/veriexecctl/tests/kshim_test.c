// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - Host test of the kernel-API shim: strscpy(), max() and
 * kstrtou64() must answer as the kernel's do, or the tool's copy of the
 * manifest parser accepts what the kernel refuses.  Prints "ok DESC" or
 * "not ok DESC" lines for tests/run.sh.
 *
 * Built with -DSHIM_BAD_MAX or -DSHIM_BAD_STRSCPY it must not compile,
 * as the kernel's would not.
 */
#include <stdio.h>

#include <linux/kshim.h>

static int failed;

#define CHECK(cond, desc) do {					\
	bool __ok = (cond);					\
	printf("%s %s\n", __ok ? "ok" : "not ok", desc);	\
	failed |= !__ok;					\
} while (0)

static void test_strscpy(void)
{
	char buf[4] = "zzz", small[8];
	char *p = small;

	CHECK(strscpy(buf, "ab") == 2 && !strcmp(buf, "ab"),
	      "strscpy of a short string returns its length");
	CHECK(strscpy(buf, "abc") == 3 && !strcmp(buf, "abc"),
	      "strscpy of an exact fit returns its length");
	CHECK(strscpy(buf, "abcdef") == -E2BIG && !strcmp(buf, "abc"),
	      "strscpy cuts, terminates and returns -E2BIG");
	memcpy(small, "unchanged", 8);
	CHECK(strscpy(p, "x", 0) == -E2BIG && !memcmp(small, "unchanged", 8),
	      "strscpy with size 0 returns -E2BIG and writes nothing");
	CHECK(strscpy(p, "hello", 3) == -E2BIG && !strcmp(small, "he"),
	      "three-argument strscpy honours its size");
	CHECK(strscpy(p, "hi", sizeof(small)) == 2 && !strcmp(small, "hi"),
	      "three-argument strscpy into a pointer");
}

static void test_max(void)
{
	size_t room = 10;
	u8 narrow = 200;
	int i = 1, calls = 0;

	CHECK(max(i++, 0) == 1 && i == 2, "max evaluates each argument once");
	CHECK(max(2 * room, 64) == 64 && max(100 * room, 64) == 1000,
	      "max of a size_t and a non-negative constant");
	CHECK(max(narrow, -1) == 200,
	      "max of an unsigned char and a signed int, as int");
	CHECK(max((calls++, 3), (calls++, 5)) == 5 && calls == 2,
	      "max evaluates both arguments exactly once");
}

/* The trailing newlines of a case, escaped for its name. */
static const char *newlines(const char *s)
{
	if (strstr(s, "\n\n"))
		return "\\n\\n";
	return strchr(s, '\n') ? "\\n" : "";
}

static void test_kstrtou64(void)
{
	static const struct {
		const char *s;
		unsigned int base;
		int rc;
		u64 v;
	} cases[] = {
		{ "42", 10, 0, 42 },
		{ "+42", 10, 0, 42 },
		{ "42\n", 10, 0, 42 },
		{ "42\n\n", 10, -EINVAL, 0 },
		{ "", 10, -EINVAL, 0 },
		{ "+", 10, -EINVAL, 0 },
		{ "-1", 10, -EINVAL, 0 },
		{ " 1", 10, -EINVAL, 0 },
		{ "1 ", 10, -EINVAL, 0 },
		{ "1a", 10, -EINVAL, 0 },
		{ "0x1", 10, -EINVAL, 0 },
		{ "18446744073709551615", 10, 0, UINT64_MAX },
		{ "18446744073709551616", 10, -ERANGE, 0 },
		{ "99999999999999999999x", 10, -ERANGE, 0 },
		{ "0x1F", 16, 0, 31 },
		{ "1f", 16, 0, 31 },
		{ "0x1f", 0, 0, 31 },
		{ "017", 0, 0, 15 },
		{ "0x", 0, -EINVAL, 0 },
		{ "19", 8, -EINVAL, 0 },
		{ "0", 0, 0, 0 },
	};
	char desc[80];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 v = 12345;
		int rc = kstrtou64(cases[i].s, cases[i].base, &v);

		snprintf(desc, sizeof(desc), "kstrtou64(\"%.*s%s\", %u)",
			 (int)strcspn(cases[i].s, "\n"), cases[i].s,
			 newlines(cases[i].s), cases[i].base);
		CHECK(rc == cases[i].rc &&
		      v == (rc ? 12345 : cases[i].v), desc);
	}
}

#ifdef SHIM_BAD_MAX
int bad_max(int a, unsigned int b)
{
	return max(a, b);
}
#endif

#ifdef SHIM_BAD_STRSCPY
long bad_strscpy(char *dst)
{
	return strscpy(dst, "x");
}
#endif

int main(void)
{
	test_strscpy();
	test_max();
	test_kstrtou64();
	return failed;
}
