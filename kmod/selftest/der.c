// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel test of the DER reader (DEBUG builds only), run at module load:
 * each reader on encodings DER allows and on ones it forbids, one element
 * exactly filling its input; long-form lengths; and a failure that sticks.
 * Each input is copied into a buffer of its exact size, for KASAN to see
 * a read past it.
 */
#ifdef DEBUG

#include <linux/slab.h>

enum der_kind {
	DER_ELEMENT,	/* pg_der_next() with the input's first byte: its length */
	DER_NULL,
	DER_BOOL,
	DER_UINT,	/* pg_der_u64() */
	DER_OID,	/* its length */
	DER_BITS,	/* the number of bytes */
	DER_TIME,
	DER_STRING,	/* its length */
};

struct der_case {
	enum der_kind kind;
	const char *in;
	u32 len;
	bool ok;
	s64 v;		/* what the reader gives, if ok */
};

#define DC(kind, in, ok, v) { kind, in, sizeof(in) - 1, ok, v }

/* Headers of times: UTCTime and GeneralizedTime of their sizes, and not. */
#define UTC		"\x17\x0d"
#define UTC_SHORT	"\x17\x0b"
#define UTC_LONG	"\x17\x11"
#define GEN		"\x18\x0f"
#define GEN_LONG	"\x18\x11"
#define NOT_TIME	"\x04\x0d"	/* an OCTET STRING */

static const struct der_case der_cases[] = {
	DC(DER_ELEMENT, "", false, 0),
	DC(DER_ELEMENT, "\x04", false, 0),
	DC(DER_ELEMENT, "\x04\x00", true, 0),
	DC(DER_ELEMENT, "\x04\x03xyz", true, 3),
	DC(DER_ELEMENT, "\x30\x03\x05\x00\x05", true, 3),
	DC(DER_ELEMENT, "\x04\x04xyz", false, 0),		/* past the end */
	DC(DER_ELEMENT, "\x04\x02xyz", false, 0),		/* one left over */
	DC(DER_ELEMENT, "\x00\x00", false, 0),			/* tag 0 */
	DC(DER_ELEMENT, "\x1f\x01\x00", false, 0),		/* high tag number */
	DC(DER_ELEMENT, "\x9f\x81\x01\x00", false, 0),
	DC(DER_ELEMENT, "\x30\x80\x05\x00\x00\x00", false, 0), /* indefinite */
	DC(DER_ELEMENT, "\x04\x81\x03xyz", false, 0),	/* long below 128 */
	DC(DER_ELEMENT, "\x04\x82\x00\x03xyz", false, 0),	/* leading zero */
	DC(DER_ELEMENT, "\x04\x81", false, 0),			/* no length byte */
	DC(DER_ELEMENT, "\x04\x82\x01", false, 0),
	DC(DER_ELEMENT, "\x04\x84\xff\xff\xff\xff", false, 0),
	DC(DER_ELEMENT, "\x04\x85\x00\x00\x00\x00\x03xyz", false, 0),
	DC(DER_NULL, "\x05\x00", true, 0),
	DC(DER_NULL, "\x05\x01\x00", false, 0),
	DC(DER_NULL, "\x04\x00", false, 0),
	DC(DER_BOOL, "\x01\x01\xff", true, 1),
	DC(DER_BOOL, "\x01\x01\x00", true, 0),
	DC(DER_BOOL, "\x01\x01\x01", false, 0),			/* BER's TRUE */
	DC(DER_BOOL, "\x01\x00", false, 0),
	DC(DER_BOOL, "\x01\x02\xff\xff", false, 0),
	DC(DER_UINT, "\x02\x01\x00", true, 0),
	DC(DER_UINT, "\x02\x01\x7f", true, 127),
	DC(DER_UINT, "\x02\x02\x00\x80", true, 128),
	DC(DER_UINT, "\x02\x03\x01\x00\x01", true, 65537),
	DC(DER_UINT, "\x02\x08\x7f\xff\xff\xff\xff\xff\xff\xff", true, S64_MAX),
	DC(DER_UINT, "\x02\x09\x00\x80\x00\x00\x00\x00\x00\x00\x00", true,
	   S64_MIN),						/* 2^63 */
	DC(DER_UINT, "\x02\x09\x01\x00\x00\x00\x00\x00\x00\x00\x00", false, 0),
	DC(DER_UINT, "\x02\x00", false, 0),
	DC(DER_UINT, "\x02\x01\x80", false, 0),			/* negative */
	DC(DER_UINT, "\x02\x02\xff\x80", false, 0),
	DC(DER_UINT, "\x02\x02\x00\x7f", false, 0),		/* not minimal */
	DC(DER_UINT, "\x02\x02\x00\x00", false, 0),
	DC(DER_UINT, "\x22\x03\x02\x01\x01", false, 0),		/* constructed */
	DC(DER_OID, "\x06\x03\x55\x04\x03", true, 3),
	DC(DER_OID, "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b", true, 9),
	DC(DER_OID, "\x06\x00", false, 0),
	DC(DER_OID, "\x06\x02\x55\x84", false, 0),		/* unended */
	DC(DER_OID, "\x06\x03\x55\x80\x03", false, 0),		/* padded */
	DC(DER_BITS, "\x03\x01\x00", true, 0),
	DC(DER_BITS, "\x03\x03\x00\xab\xcd", true, 2),
	DC(DER_BITS, "\x03\x02\x01\xaa", false, 0),		/* a bit unused */
	DC(DER_BITS, "\x03\x00", false, 0),
	DC(DER_TIME, UTC "700101000000Z", true, 0),
	DC(DER_TIME, UTC "991231235959Z", true, 946684799),
	DC(DER_TIME, UTC "500101000000Z", true, -631152000),
	DC(DER_TIME, UTC "491231235959Z", true, 2524607999),
	DC(DER_TIME, UTC "280229120000Z", true, 1835438400),
	DC(DER_TIME, GEN "20500101000000Z", true, 2524608000),
	DC(DER_TIME, GEN "24000229000000Z", true, 13574563200),
	DC(DER_TIME, GEN "99991231235959Z", true, 253402300799),
	DC(DER_TIME, GEN "20491231235959Z", false, 0),	/* UTCTime's */
	DC(DER_TIME, UTC "261301000000Z", false, 0),	/* month 13 */
	DC(DER_TIME, UTC "260001000000Z", false, 0),
	DC(DER_TIME, UTC "261200000000Z", false, 0),	/* day 0 */
	DC(DER_TIME, UTC "260431000000Z", false, 0),
	DC(DER_TIME, UTC "270229000000Z", false, 0),	/* not leap */
	DC(DER_TIME, GEN "21000229000000Z", false, 0),
	DC(DER_TIME, UTC "261207240000Z", false, 0),	/* hour 24 */
	DC(DER_TIME, UTC "261207236000Z", false, 0),
	DC(DER_TIME, UTC "261207235960Z", false, 0),	/* leap second */
	DC(DER_TIME, UTC "2612072359590", false, 0),	/* no Z */
	DC(DER_TIME, UTC_SHORT "2612072359Z", false, 0),	/* no seconds */
	DC(DER_TIME, UTC_LONG "261207235959+0100", false, 0),
	DC(DER_TIME, GEN_LONG "20501207235959.5Z", false, 0),
	DC(DER_TIME, UTC "26120723595aZ", false, 0),
	DC(DER_TIME, UTC "2612-7235959Z", false, 0),
	DC(DER_TIME, NOT_TIME "261207235959Z", false, 0),
	DC(DER_STRING, "\x0c\x00", true, 0),
	DC(DER_STRING, "\x0c\x05z\xc3\xb6z!", true, 5),
	DC(DER_STRING, "\x13\x0bZ-z 0'()+,.", true, 11),
	DC(DER_STRING, "\x13\x05/:=?z", true, 5),
	DC(DER_STRING, "\x16\x05z@y_~", true, 5),
	DC(DER_STRING, "\x13\x03z@y", false, 0),	/* not Printable */
	DC(DER_STRING, "\x13\x01\x00", false, 0),
	DC(DER_STRING, "\x16\x02z\x80", false, 0),	/* not ASCII */
	DC(DER_STRING, "\x1e\x04\x00z\x00y", false, 0), /* BMPString */
	DC(DER_STRING, "\x04\x01z", false, 0),
};

/* Runs @c's reader on @d: true if it read, and its value in @v. */
static bool der_read(const struct der_case *c, struct pg_rd *d, s64 *v)
{
	struct pg_rd inner = {};
	bool ok = false, b;
	u64 n;

	switch (c->kind) {
	case DER_ELEMENT:
		ok = pg_der_next(d, c->len ? c->in[0] : 1, &inner);
		break;
	case DER_NULL:
		return pg_der_null(d);
	case DER_BOOL:
		ok = pg_der_bool(d, &b);
		*v = b;
		return ok;
	case DER_UINT:
		ok = pg_der_u64(d, &n);
		*v = n;
		return ok;
	case DER_OID:
		ok = pg_der_oid(d, &inner);
		break;
	case DER_BITS:
		ok = pg_der_bits(d, &inner);
		break;
	case DER_TIME:
		return pg_der_time(d, v);
	case DER_STRING:
		ok = pg_der_string(d, &inner);
		break;
	}
	*v = inner.left;
	return ok;
}

/* An OCTET STRING of @n bytes, its length in the long form. */
static bool der_long_form(u32 n, unsigned int len_bytes, bool ok)
{
	u8 *buf = kzalloc(2 + len_bytes + n, GFP_KERNEL);
	struct pg_rd d = { .p = buf, .left = 2 + len_bytes + n }, inner;
	bool ret;

	if (!buf)
		return false;
	buf[0] = PG_DER_OCTET_STRING;
	buf[1] = 0x80 | len_bytes;
	pg_put_be(buf + 2, n, len_bytes);
	ret = pg_der_next(&d, PG_DER_OCTET_STRING, &inner) &&
	      inner.left == n && pg_der_end(&d);
	kfree(buf);
	if (ret != ok)
		pr_err("der selftest: %u bytes in a %u-byte length: %s\n", n,
		       len_bytes, ok ? "refused" : "accepted");
	return ret == ok;
}

/*
 * The writer, read back by the reader: times on both sides of 2050 and
 * out of range, integers that need a zero byte or lose leading ones, and
 * an element wrapped at each length form, in a buffer just large enough
 * and in one a byte too small.
 */
static bool der_write_time(s64 t, bool ok)
{
	u8 buf[20];
	struct pg_wr w = { .p = buf, .left = sizeof(buf) };
	struct pg_rd d = { .p = buf };
	s64 v;

	pg_der_put_time(&w, t);
	d.left = w.p - buf;
	if (w.bad != !ok ||
	    (ok && (!pg_der_time(&d, &v) || !pg_der_end(&d) || v != t))) {
		pr_err("der selftest: writing time %lld\n", t);
		return false;
	}
	return true;
}

static bool der_write_uint(const u8 *mag, u32 len, u64 want, u32 size)
{
	u8 buf[16];
	struct pg_wr w = { .p = buf, .left = sizeof(buf) };
	struct pg_rd d = { .p = buf };
	u64 v;

	pg_der_put_uint(&w, mag, len);
	d.left = w.p - buf;
	if (w.bad || d.left != size || !pg_der_u64(&d, &v) ||
	    !pg_der_end(&d) || v != want) {
		pr_err("der selftest: writing integer %llu\n", want);
		return false;
	}
	return true;
}

static bool der_write_wrap(u32 n, u32 size)
{
	u8 *buf = kmalloc(n + size, GFP_KERNEL);
	struct pg_wr w = { .p = buf, .left = n + size };
	struct pg_rd d = { .p = buf, .left = n + size }, inner, s;
	bool ok;
	u8 *mark;

	if (!buf)
		return false;
	mark = pg_der_mark(&w);
	pg_der_put(&w, PG_DER_OCTET_STRING, buf + n + size, 0);
	memset(pg_wr_bytes(&w, n - 2) ?: buf, 0x5a, n - 2);
	pg_der_wrap(&w, mark, PG_DER_SEQUENCE);
	ok = !w.bad && !w.left && pg_der_next(&d, PG_DER_SEQUENCE, &inner) &&
	     pg_der_end(&d) && pg_der_next(&inner, PG_DER_OCTET_STRING, &s) &&
	     !s.left && inner.left == n - 2 && inner.p[n - 3] == 0x5a;
	/* A byte short: the writer turns bad rather than writing past. */
	w = (struct pg_wr){ .p = buf, .left = n + size - 1 };
	mark = pg_der_mark(&w);
	pg_wr_bytes(&w, n);
	pg_der_wrap(&w, mark, PG_DER_SEQUENCE);
	ok &= w.bad;
	kfree(buf);
	if (!ok)
		pr_err("der selftest: wrapping %u bytes\n", n);
	return ok;
}

static bool der_write_selftest(void)
{
	static const u8 zero[] = { 0, 0 }, high[] = { 0, 0x80, 0x01 };
	static const u8 low[] = { 0x7f, 0xff };
	bool ok = true;

	ok &= der_write_time(0, true);
	ok &= der_write_time(2524607999LL, true);	/* 2049-12-31 23:59:59 */
	ok &= der_write_time(2524608000LL, true);	/* 2050: Generalized */
	ok &= der_write_time(253402300799LL, true);	/* 9999-12-31 */
	ok &= der_write_time(253402300800LL, false);
	ok &= der_write_time(-631152001LL, false);	/* 1949 */
	ok &= der_write_uint(zero, sizeof(zero), 0, 3);
	ok &= der_write_uint(high, sizeof(high), 0x8001, 5);
	ok &= der_write_uint(low, sizeof(low), 0x7fff, 4);
	ok &= der_write_wrap(127, 2);
	ok &= der_write_wrap(128, 3);
	ok &= der_write_wrap(256, 4);
	ok &= der_write_wrap(65536, 5);
	return ok;
}

bool pg_der_selftest(void)
{
	static const u8 seq[] = {
		0x05, 0x01, 0x00, 0x05, 0x00,	/* a bad NULL, a good one */
	};
	struct pg_rd d, inner;
	bool ok = true, got;
	unsigned int i;
	u8 *buf;
	s64 v;

	for (i = 0; i < ARRAY_SIZE(der_cases); i++) {
		const struct der_case *c = &der_cases[i];

		buf = kmemdup(c->in, c->len, GFP_KERNEL);
		if (!buf)
			return false;
		d = (struct pg_rd){ .p = buf, .left = c->len };
		v = 0;
		got = der_read(c, &d, &v) && pg_der_end(&d);
		kfree(buf);
		if (got != c->ok || (got && v != c->v)) {
			pr_err("der selftest: case %u: %s, %lld\n", i,
			       got ? "read" : "refused", v);
			ok = false;
		}
	}
	ok &= der_long_form(128, 1, true);
	ok &= der_long_form(255, 1, true);
	ok &= der_long_form(256, 2, true);
	ok &= der_long_form(65536, 3, true);
	ok &= der_long_form(200, 2, false);	/* a leading zero byte */
	ok &= der_long_form(0x10000, 4, false);
	ok &= der_write_selftest();

	/* Once a read fails, the next fails, and peek sees nothing. */
	d = (struct pg_rd){ .p = seq, .left = sizeof(seq) };
	if (pg_der_peek(&d) != PG_DER_NULL || pg_der_null(&d) ||
	    pg_der_peek(&d) || pg_der_null(&d) || pg_der_skip(&d) ||
	    pg_der_next(&d, PG_DER_NULL, &inner) || !inner.bad ||
	    pg_der_end(&d)) {
		pr_err("der selftest: a failure did not stick\n");
		ok = false;
	}
	d = (struct pg_rd){ .p = seq + 3, .left = 2 };
	if (!pg_der_skip(&d) || pg_der_peek(&d) || !pg_der_end(&d)) {
		pr_err("der selftest: skip\n");
		ok = false;
	}
	if (ok)
		pr_info("der selftest: pass\n");
	return ok;
}

#endif /* DEBUG */
