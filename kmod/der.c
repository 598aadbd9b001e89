// SPDX-License-Identifier: GPL-2.0
/*
 * The DER reader and writer (der.h).
 */
#include "der.h"

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/time.h>

static bool fail(struct pg_rd *d)
{
	d->bad = true;
	return false;
}

u8 pg_der_peek(const struct pg_rd *d)
{
	return d->bad || !d->left ? 0 : d->p[0];
}

/* A tag and a length: @len bytes of contents follow, within @d. */
static bool header(struct pg_rd *d, u8 *tag, u32 *len)
{
	unsigned int n;

	*tag = pg_rd_be(d, 1);
	*len = pg_rd_be(d, 1);
	if (!*tag || (*tag & 0x1f) == 0x1f)
		return fail(d);
	if (*len & 0x80) {
		n = *len & 0x7f;
		/* 0 is the indefinite form; 4 bytes are 4 GiB. */
		if (!n || n > 4)
			return fail(d);
		*len = pg_rd_be(d, n);
		/* Shortest: short form below 128, no leading zero byte. */
		if (*len < 0x80 || !(*len >> (8 * (n - 1))))
			return fail(d);
	}
	if (*len > d->left)
		return fail(d);
	return !d->bad;
}

bool pg_der_next(struct pg_rd *d, u8 tag, struct pg_rd *inner)
{
	u8 t;
	u32 len;

	if (!header(d, &t, &len) || t != tag) {
		*inner = (struct pg_rd){ .bad = true };
		return fail(d);
	}
	*inner = (struct pg_rd){ .p = pg_rd_bytes(d, len), .left = len };
	return true;
}

bool pg_der_skip(struct pg_rd *d)
{
	u8 t;
	u32 len;

	return header(d, &t, &len) && pg_rd_bytes(d, len);
}

bool pg_der_end(struct pg_rd *d)
{
	if (d->left)
		d->bad = true;
	return !d->bad;
}

bool pg_der_null(struct pg_rd *d)
{
	struct pg_rd v;

	return pg_der_next(d, PG_DER_NULL, &v) && (pg_der_end(&v) || fail(d));
}

bool pg_der_bool(struct pg_rd *d, bool *v)
{
	struct pg_rd b;

	*v = false;
	if (!pg_der_next(d, PG_DER_BOOLEAN, &b) || b.left != 1 ||
	    (b.p[0] && b.p[0] != 0xff))
		return fail(d);
	*v = b.p[0];
	return true;
}

bool pg_der_uint(struct pg_rd *d, struct pg_rd *mag)
{
	/* Empty, negative, or a zero byte that says nothing. */
	if (!pg_der_next(d, PG_DER_INTEGER, mag) || !mag->left ||
	    mag->p[0] & 0x80 ||
	    (!mag->p[0] && mag->left > 1 && !(mag->p[1] & 0x80))) {
		mag->bad = true;
		return fail(d);
	}
	if (!mag->p[0])
		pg_rd_bytes(mag, 1);
	return true;
}

bool pg_der_u64(struct pg_rd *d, u64 *v)
{
	struct pg_rd mag;

	*v = 0;
	if (!pg_der_uint(d, &mag) || mag.left > sizeof(*v))
		return fail(d);
	*v = pg_get_be(mag.p, mag.left);
	return true;
}

bool pg_der_oid(struct pg_rd *d, struct pg_rd *oid)
{
	bool first = true;	/* the next byte starts a sub-identifier */
	u32 i;

	if (!pg_der_next(d, PG_DER_OID, oid) || !oid->left)
		goto bad;
	for (i = 0; i < oid->left; i++) {
		if (first && oid->p[i] == 0x80)
			goto bad;
		first = !(oid->p[i] & 0x80);
	}
	if (first)
		return true;
bad:
	oid->bad = true;
	return fail(d);
}

bool pg_der_oid_is(const struct pg_rd *oid, const u8 *enc, u32 len)
{
	return !oid->bad && oid->left == len && !memcmp(oid->p, enc, len);
}

bool pg_der_bits(struct pg_rd *d, struct pg_rd *bits)
{
	if (!pg_der_next(d, PG_DER_BIT_STRING, bits) || !bits->left ||
	    bits->p[0]) {
		bits->bad = true;
		return fail(d);
	}
	pg_rd_bytes(bits, 1);
	return true;
}

/* @n decimal digits; a byte that is not one makes @v bad. */
static unsigned int digits(struct pg_rd *v, unsigned int n)
{
	const u8 *p = pg_rd_bytes(v, n);
	unsigned int x = 0;

	while (p && n--) {
		if (*p < '0' || *p > '9')
			v->bad = true;
		x = x * 10 + (*p++ - '0');
	}
	return x;
}

static bool leap(unsigned int year)
{
	return (!(year % 4) && year % 100) || !(year % 400);
}

bool pg_der_time(struct pg_rd *d, s64 *t)
{
	static const u8 mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	u8 tag = pg_der_peek(d);
	bool utc = tag == PG_DER_UTC_TIME;
	unsigned int year, mon, day, hour, min, sec;
	struct pg_rd v;

	*t = 0;
	if ((!utc && tag != PG_DER_GENERALIZED_TIME) ||
	    !pg_der_next(d, tag, &v) || v.left != (utc ? 13 : 15) ||
	    v.p[v.left - 1] != 'Z')
		return fail(d);
	year = digits(&v, utc ? 2 : 4);
	if (utc)
		year += year < 50 ? 2000 : 1900;
	mon = digits(&v, 2);
	day = digits(&v, 2);
	hour = digits(&v, 2);
	min = digits(&v, 2);
	sec = digits(&v, 2);
	if (v.bad || (!utc && year < 2050) || mon < 1 || mon > 12 ||
	    day < 1 || day > mdays[mon - 1] + (mon == 2 && leap(year)) ||
	    hour > 23 || min > 59 || sec > 59)
		return fail(d);
	*t = mktime64(year, mon, day, hour, min, sec);
	return true;
}

/* PrintableString's letters, digits and punctuation (X.680 41.4). */
static bool printable(u8 c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr(" '()+,-./:=?", c));
}

bool pg_der_string(struct pg_rd *d, struct pg_rd *s)
{
	u8 tag = pg_der_peek(d);
	u32 i;

	if ((tag != PG_DER_UTF8_STRING && tag != PG_DER_PRINTABLE_STRING &&
	     tag != PG_DER_IA5_STRING) || !pg_der_next(d, tag, s))
		goto bad;
	for (i = 0; i < s->left; i++)
		if ((tag == PG_DER_PRINTABLE_STRING && !printable(s->p[i])) ||
		    (tag == PG_DER_IA5_STRING && s->p[i] > 0x7f))
			goto bad;
	return true;
bad:
	s->bad = true;
	return fail(d);
}

/* The bytes of a length of @len: 1 up to 127, else 1 + its own bytes. */
static u32 length_size(u32 len)
{
	u32 n = 1;

	if (len < 0x80)
		return 1;
	while (len) {
		n++;
		len >>= 8;
	}
	return n;
}

static void put_header(u8 *p, u8 tag, u32 len, u32 size)
{
	p[0] = tag;
	if (size == 1) {
		p[1] = len;
		return;
	}
	p[1] = 0x80 | (size - 1);
	pg_put_be(p + 2, len, size - 1);
}

void pg_der_wrap(struct pg_wr *w, u8 *mark, u8 tag)
{
	u32 len = w->p - mark, size;

	if (w->bad)
		return;
	size = length_size(len);
	if (!pg_wr_bytes(w, 1 + size))
		return;
	memmove(mark + 1 + size, mark, len);
	put_header(mark, tag, len, size);
}

void pg_der_put(struct pg_wr *w, u8 tag, const void *p, u32 len)
{
	u32 size = length_size(len);
	u8 *h = pg_wr_bytes(w, 1 + size);

	if (h)
		put_header(h, tag, len, size);
	pg_wr_mem(w, p, len);
}

void pg_der_put_uint(struct pg_wr *w, const u8 *mag, u32 len)
{
	u8 *mark = pg_der_mark(w);

	while (len && !mag[0]) {
		mag++;
		len--;
	}
	/* A first byte of 0x80 and above would read negative; 0 is one byte. */
	if (!len || mag[0] & 0x80)
		pg_wr_be(w, 0, 1);
	pg_wr_mem(w, mag, len);
	pg_der_wrap(w, mark, PG_DER_INTEGER);
}

void pg_der_put_time(struct pg_wr *w, s64 t)
{
	char s[16];
	struct tm tm;
	int n;

	time64_to_tm(t, 0, &tm);
	if (tm.tm_year < 50 || tm.tm_year > 9999 - 1900) {
		w->bad = true;
		return;
	}
	if (tm.tm_year < 150)
		n = snprintf(s, sizeof(s), "%02ld%02d%02d%02d%02d%02dZ",
			     tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday,
			     tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		n = snprintf(s, sizeof(s), "%04ld%02d%02d%02d%02d%02dZ",
			     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			     tm.tm_hour, tm.tm_min, tm.tm_sec);
	pg_der_put(w, tm.tm_year < 150 ? PG_DER_UTC_TIME :
		   PG_DER_GENERALIZED_TIME, s, n);
}

#include "selftest/der.c"
