// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Manifest parser
 *
 * Copyright © 2026 The veriexec authors
 *
 * Turns manifest text into a struct veriexec_manifest.  No VFS, no locks,
 * no globals, no logging: the caller reports the veriexec_parse_error.
 * veriexecctl builds this very file, so `verify` accepts exactly what the
 * kernel accepts.
 */

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringhash.h>
#include <linux/unaligned.h>

#include "manifest.h"

static const struct {
	const char *name;
	unsigned int size;
} algos[__VERIEXEC_ALGO_MAX] = {
	[VERIEXEC_ALGO_SHA256] = { "sha256", 32 },
	[VERIEXEC_ALGO_SHA384] = { "sha384", 48 },
	[VERIEXEC_ALGO_SHA512] = { "sha512", 64 },
	[VERIEXEC_ALGO_FSVERITY_SHA256] = { "fsverity-sha256", 32 },
	[VERIEXEC_ALGO_FSVERITY_SHA512] = { "fsverity-sha512", 64 },
};

static const char *const opt_names[VERIEXEC_OPT_COUNT] = {
	"direct", "indirect", "file", "untrusted", "no_ptrace", "trusted",
	"execmem",
};

/* Option words, NetBSD aliases included, and the bits each one sets. */
static const struct {
	const char *word;
	u8 opts;
} opt_words[] = {
	{ "direct", VERIEXEC_OPT_DIRECT },
	{ "indirect", VERIEXEC_OPT_INDIRECT },
	{ "file", VERIEXEC_OPT_FILE },
	{ "untrusted", VERIEXEC_OPT_UNTRUSTED },
	{ "no_ptrace", VERIEXEC_OPT_NO_PTRACE },
	{ "trusted", VERIEXEC_OPT_TRUSTED },
	{ "execmem", VERIEXEC_OPT_EXECMEM },
	{ "program", VERIEXEC_OPT_DIRECT },
	{ "interpreter", VERIEXEC_OPT_INDIRECT },
	{ "script", VERIEXEC_OPT_DIRECT | VERIEXEC_OPT_FILE },
	{ "library", VERIEXEC_OPT_FILE | VERIEXEC_OPT_INDIRECT },
};

#define USAGE_OPTS (VERIEXEC_OPT_DIRECT | VERIEXEC_OPT_INDIRECT | \
		    VERIEXEC_OPT_FILE)

/**
 * veriexec_algo_name() - Name of an algorithm
 * @algo: An &enum veriexec_algo value.
 *
 * Return: The lower-case name, or NULL for an unknown value.
 */
const char *veriexec_algo_name(enum veriexec_algo algo)
{
	return algo < __VERIEXEC_ALGO_MAX ? algos[algo].name : NULL;
}

/**
 * veriexec_algo_size() - Digest length of an algorithm
 * @algo: An &enum veriexec_algo value.
 *
 * Return: The digest length in bytes, or 0 for an unknown value.
 */
unsigned int veriexec_algo_size(enum veriexec_algo algo)
{
	return algo < __VERIEXEC_ALGO_MAX ? algos[algo].size : 0;
}

/**
 * veriexec_algo_from_name() - Look up an algorithm by name
 * @name: Name in any case ("sha256", "SHA256").
 *
 * Return: An &enum veriexec_algo value, or -ENOENT.
 */
int veriexec_algo_from_name(const char *name)
{
	int i;

	for (i = 0; i < __VERIEXEC_ALGO_MAX; i++)
		if (!strcasecmp(name, algos[i].name))
			return i;
	return -ENOENT;
}

/**
 * veriexec_opt_name() - Name of one option bit
 * @bit: Bit number, 0 to VERIEXEC_OPT_COUNT - 1.
 *
 * Return: The option's canonical name, or NULL.
 */
const char *veriexec_opt_name(unsigned int bit)
{
	return bit < VERIEXEC_OPT_COUNT ? opt_names[bit] : NULL;
}

/* Parser state for one manifest. */
struct parser {
	struct veriexec_manifest *m;
	struct veriexec_parse_error *err;
	unsigned int line;
	size_t room;
	bool seen_name, seen_version;
};

static int fail(struct parser *p, const char *reason)
{
	p->err->line = p->line;
	p->err->reason = reason;
	return -EINVAL;
}

/**
 * struct field - One blank-separated word of a line
 * @s: Its first byte; NUL-terminated in place.
 * @len: Its length.
 */
struct field {
	char *s;
	size_t len;
};

/* Maximum fields on an entry line: path, algorithm, digest, options. */
#define MAX_FIELDS 16

/*
 * Manifest text is scanned a word at a time: at 100k entries a load is
 * mostly these loops.  The text is followed by at least sizeof(u64) NUL
 * bytes, so that a word read at any byte of it stays inside.
 */
#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/*
 * The high bit of each byte of @w below @n (at most 0x80), in a mask.
 * Only the lowest byte flagged is exact: a borrow may flag the ones above.
 */
static u64 bytes_below(u64 w, u8 n)
{
	return (w - ONES * n) & ~w & HIGHS;
}

/* The first blank, control character or NUL at or after @s. */
static char *field_end(char *s)
{
	u64 below;

	while (!(below = bytes_below(get_unaligned_le64(s), '!')))
		s += sizeof(u64);
	return s + __ffs64(below) / BITS_PER_BYTE;
}

/*
 * Whether @s, where a scan of a line stopped, ends the line: a '\n', a
 * "\r\n", a '\r' or nothing before the end of the text.
 */
static bool at_line_end(const char *s, const char *end)
{
	return s == end || *s == '\n' ||
	       (*s == '\r' && (s + 1 == end || s[1] == '\n'));
}

/*
 * Split the line at *@pos into at most @max fields, up to a field that
 * starts with '#', and move *@pos to the next line.  One pass over each
 * byte, and that pass also finds the line's end and rejects control
 * characters.  Needs the NUL padding at @end.
 * Return: the number of fields, @max + 1 when there are more, or -EINVAL
 * with *@pos at the first control character.
 */
static int split_line(char **pos, char *end, struct field *fields, int max)
{
	char *s = *pos;
	int n = 0;

	for (;;) {
		char *start;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '#') {
			while ((u8)*s >= ' ' || *s == '\t')
				s++;
			break;
		}
		if ((u8)*s <= ' ')
			break;
		start = s;
		s = field_end(s);
		if (n < max)
			fields[n] = (struct field){ start, s - start };
		n += n <= max;
		if (*s != ' ' && *s != '\t')
			break;
		*s++ = '\0';
	}
	if (!at_line_end(s, end)) {
		*pos = s;
		return -EINVAL;
	}
	*pos = s == end ? end + 1 : s + (*s == '\r' ? 2 : 1);
	*s = '\0';
	return n;
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/*
 * Undo the /proc/mounts-style escapes of @path, *@len bytes, in place, and
 * update *@len.  Only \ooo is an escape; a NUL cannot be part of a path.
 */
static int unescape_path(struct parser *p, char *path, size_t *len)
{
	char *in = memchr(path, '\\', *len), *out = in;

	if (in) {
		while (*in) {
			unsigned int c;

			if (*in != '\\') {
				*out++ = *in++;
				continue;
			}
			if (!is_octal(in[1]) || !is_octal(in[2]) ||
			    !is_octal(in[3]))
				return fail(p, "bad escape in path");
			c = (in[1] - '0') << 6 | (in[2] - '0') << 3 |
			    (in[3] - '0');
			if (!c || c > 0xff)
				return fail(p, "bad escape in path");
			*out++ = c;
			in += 4;
		}
		*out = '\0';
		*len = out - path;
	}
	if (*len > VERIEXEC_PATH_MAX)
		return fail(p, "path too long");
	return 0;
}

/*
 * Whether every byte of @w is a hex digit.  Tests on @w | 0x20 bytes
 * cover both cases of 'a' to 'f'; digits are tested on @w itself, since
 * setting that bit turns some control characters into digits.
 */
static bool all_hex(u64 w)
{
	u64 lower = w | ONES * 0x20;
	u64 digit, alpha;

	/* Below 0x80, adding at most 0x7f to a byte carries into no other. */
	if (w & HIGHS)
		return false;
	digit = (w + ONES * (0x80 - '0')) & ~(w + ONES * (0x7f - '9'));
	alpha = (lower + ONES * (0x80 - 'a')) & ~(lower + ONES * (0x7f - 'f'));
	return ((digit | alpha) & HIGHS) == HIGHS;
}

/* Eight hex digits, all valid, as the four bytes they spell. */
static u32 hex8_value(u64 w)
{
	/* A nibble per byte: the low four bits, plus 9 for a letter. */
	u64 v = (w & ONES * 0x0f) + (w >> 6 & ONES) * 9;

	/* Pair each byte with the next one, then close the gaps. */
	v = (v << 4 | v >> 8) & 0x00ff00ff00ff00ffULL;
	v = (v | v >> 8) & 0x0000ffff0000ffffULL;
	return v | v >> 16;
}

/*
 * Decode 2 * @size hex digits at @hex into @size bytes at @hex itself,
 * eight digits at a time: fingerprints are most of a manifest's bytes.
 * Every digest size is a multiple of 4.  Unlike hex2bin() this is not
 * constant-time, which buys nothing for public manifest text.
 */
static bool decode_hex(char *hex, unsigned int size)
{
	unsigned int i;
	u64 w;

	for (i = 0; i < size; i += 4) {
		w = get_unaligned_le64(hex + 2 * i);
		if (!all_hex(w))
			return false;
		put_unaligned_le32(hex8_value(w), hex + i);
	}
	return true;
}

static int parse_opts(struct parser *p, const struct field *words, int n,
		      u8 *opts)
{
	int i;

	*opts = 0;
	for (i = 0; i < n; i++) {
		char *word, *rest = words[i].s;

		while ((word = strsep(&rest, ","))) {
			size_t k;

			for (k = 0; k < ARRAY_SIZE(opt_words); k++)
				if (!strcasecmp(word, opt_words[k].word))
					break;
			if (k == ARRAY_SIZE(opt_words))
				return fail(p, "unknown option");
			*opts |= opt_words[k].opts;
		}
	}
	if (!(*opts & USAGE_OPTS))
		*opts |= VERIEXEC_OPT_DIRECT;
	return 0;
}

static bool valid_set_name(const char *name)
{
	size_t len = strlen(name);

	if (!len || len > VERIEXEC_SET_NAME_MAX)
		return false;
	for (; *name; name++)
		if (!((*name >= 'a' && *name <= 'z') ||
		      (*name >= 'A' && *name <= 'Z') ||
		      (*name >= '0' && *name <= '9') ||
		      *name == '_' || *name == '-' || *name == '.'))
			return false;
	return true;
}

static int parse_header(struct parser *p, const struct field *f, int n)
{
	if (p->m->count)
		return fail(p, "header after the first entry");
	if (n != 2)
		return fail(p, "header takes exactly one value");
	if (!strcmp(f[0].s, "@name")) {
		if (p->seen_name)
			return fail(p, "second @name");
		if (!valid_set_name(f[1].s))
			return fail(p, "bad set name");
		strscpy(p->m->name, f[1].s);
		p->seen_name = true;
		return 0;
	}
	if (!strcmp(f[0].s, "@version")) {
		if (p->seen_version)
			return fail(p, "second @version");
		if (f[1].s[0] < '0' || f[1].s[0] > '9' ||
		    kstrtou64(f[1].s, 10, &p->m->version))
			return fail(p, "bad version");
		p->seen_version = true;
		return 0;
	}
	if (!strcmp(f[0].s, "@verify")) {
		if (strcmp(f[1].s, "now"))
			return fail(p, "@verify takes only \"now\"");
		p->m->verify_now = true;
		return 0;
	}
	return fail(p, "unknown header");
}

/* Room for one more entry; doubling keeps the copies linear. */
static int make_room(struct parser *p)
{
	struct veriexec_manifest *m = p->m;
	size_t room = max(2 * p->room, 64);
	void *entries;

	if (m->count < p->room)
		return 0;
	entries = kvrealloc(m->entries, room * sizeof(*m->entries),
			    GFP_KERNEL);
	if (!entries)
		return -ENOMEM;
	m->entries = entries;
	p->room = room;
	return 0;
}

static int parse_entry(struct parser *p, const struct field *f, int n)
{
	struct veriexec_manifest_entry *e;
	unsigned int size;
	int algo, rc;

	rc = make_room(p);
	if (rc)
		return rc;
	e = &p->m->entries[p->m->count];
	if (n < 3)
		return fail(p, "missing fields");
	if (n > MAX_FIELDS)
		return fail(p, "too many fields");
	if (f[0].len == 1 && f[0].s[0] == '-') {
		e->path = NULL;
		e->path_len = 0;
	} else {
		size_t len = f[0].len;

		if (f[0].s[0] != '/')
			return fail(p, "path is not absolute");
		rc = unescape_path(p, f[0].s, &len);
		if (rc)
			return rc;
		e->path = f[0].s;
		e->path_len = len;
	}
	algo = veriexec_algo_from_name(f[1].s);
	if (algo < 0)
		return fail(p, "unknown algorithm");
	size = veriexec_algo_size(algo);
	if (f[2].len != 2 * size || !decode_hex(f[2].s, size))
		return fail(p, "bad fingerprint");
	rc = parse_opts(p, f + 3, n - 3, &e->opts);
	if (rc)
		return rc;
	e->algo = algo;
	e->digest = (const u8 *)f[2].s;
	e->line = p->line;
	p->m->count++;
	return 0;
}

/* Parse the line at *@pos and move *@pos to the next one. */
static int parse_line(struct parser *p, char **pos, char *end)
{
	struct field f[MAX_FIELDS + 1];
	int n;

	n = split_line(pos, end, f, MAX_FIELDS);
	if (n < 0)
		return fail(p, **pos ? "control character" : "NUL byte");
	if (!n)
		return 0;
	if (f[0].s[0] == '@')
		return parse_header(p, f, n);
	return parse_entry(p, f, n);
}

/**
 * struct path_slot - A path seen, in check_duplicates()'s table
 * @hash: full_name_hash() of it, to pass over other paths without strcmp().
 * @entry: 1 + its index in the manifest's entries; 0: empty.
 */
struct path_slot {
	u32 hash;
	u32 entry;
};

/*
 * The same path twice is malformed; report the line of the second.  A
 * hash table, not a sort: 100k paths sharing long prefixes would cost
 * millions of strcmp() calls.
 */
static int check_duplicates(struct parser *p)
{
	const struct veriexec_manifest *m = p->m;
	size_t size = 2 * (size_t)m->count + 1, i, j;
	struct path_slot *t;
	int rc = 0;

	t = kvcalloc(size, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < m->count && !rc; i++) {
		const char *path = m->entries[i].path;
		u32 h;

		if (!path)
			continue;
		h = full_name_hash(NULL, path, m->entries[i].path_len);
		/* Half the slots stay empty, so the probe ends. */
		for (j = ((u64)h * size) >> 32; t[j].entry;
		     j = j + 1 < size ? j + 1 : 0) {
			if (t[j].hash != h ||
			    strcmp(m->entries[t[j].entry - 1].path, path))
				continue;
			p->line = m->entries[i].line;
			rc = fail(p, "duplicate path");
			break;
		}
		t[j].hash = h;
		t[j].entry = i + 1;
	}
	kvfree(t);
	return rc;
}

static int parse_text(struct parser *p, size_t len)
{
	char *pos = p->m->text, *end = pos + len;
	int rc;

	while (pos <= end) {
		p->line++;
		rc = parse_line(p, &pos, end);
		if (rc)
			return rc;
	}
	p->line = 0;
	return check_duplicates(p);
}

/**
 * veriexec_manifest_parse() - Parse manifest text
 * @buf: The text; need not be NUL-terminated.
 * @len: Length of @buf in bytes.
 * @err: Filled with the line and reason when the text is malformed.
 *
 * Context: Process context; may sleep.
 * Return:
 * * The parsed manifest, to be freed with veriexec_manifest_free().
 * * %-EINVAL	- The text is malformed; @err says where and why.
 * * %-ENOMEM	- Out of memory.
 */
struct veriexec_manifest *
veriexec_manifest_parse(const char *buf, size_t len,
			struct veriexec_parse_error *err)
{
	struct parser p = { .err = err };
	int rc = -ENOMEM;

	err->line = 0;
	err->reason = NULL;
	p.m = kzalloc(sizeof(*p.m), GFP_KERNEL);
	if (!p.m)
		return ERR_PTR(-ENOMEM);
	strscpy(p.m->name, "default");
	p.m->text = kvmalloc(len + sizeof(u64), GFP_KERNEL);
	if (!p.m->text)
		goto out_free;
	memcpy(p.m->text, buf, len);
	memset(p.m->text + len, 0, sizeof(u64));
	rc = parse_text(&p, len);
	if (rc)
		goto out_free;
	return p.m;

out_free:
	veriexec_manifest_free(p.m);
	return ERR_PTR(rc);
}

/**
 * veriexec_manifest_free() - Free a parsed manifest
 * @m: The manifest; NULL and error pointers are ignored.
 */
void veriexec_manifest_free(struct veriexec_manifest *m)
{
	if (IS_ERR_OR_NULL(m))
		return;
	kvfree(m->entries);
	kvfree(m->text);
	kfree(m);
}
