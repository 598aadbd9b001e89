/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict reader of DER (ITU-T X.690), for the certificates of the pki
 * provider (cert.h), and the writer of the few types a certificate it
 * issues needs. It reads through bytes.h's bounded reader: the
 * contents of an element are a struct pg_rd of their own, read the same
 * way, and once a read fails, it and every later one on that reader fail
 * (bad is set; an output reader is bad too), so that a parser may check
 * once, where it wants to say why.
 *
 * Only what DER allows is read: one-byte tags (the high-tag-number form
 * and tag 0 are refused), definite lengths in the fewest bytes (the long
 * form only from 128, without leading zero bytes, at most 4 bytes), each
 * element within what is left of its parent. The readers of values add the
 * rules of their type, each told where it is declared. A value too large
 * for what we read (a length past 4 GiB, an integer past 64 bits where a
 * number is wanted) is refused like a malformed one.
 */
#ifndef _PG_DER_H
#define _PG_DER_H

#include "bytes.h"

#include <linux/types.h>

#define PG_DER_BOOLEAN		0x01
#define PG_DER_INTEGER		0x02
#define PG_DER_BIT_STRING	0x03
#define PG_DER_OCTET_STRING	0x04
#define PG_DER_NULL		0x05
#define PG_DER_OID		0x06
#define PG_DER_UTF8_STRING	0x0c
#define PG_DER_PRINTABLE_STRING	0x13
#define PG_DER_IA5_STRING	0x16
#define PG_DER_UTC_TIME		0x17
#define PG_DER_GENERALIZED_TIME	0x18
#define PG_DER_SEQUENCE		0x30
#define PG_DER_SET		0x31
/* A context-specific tag [n]: primitive (IMPLICIT of a primitive type)... */
#define PG_DER_CONTEXT(n)	(0x80 | (n))
/* ... and constructed (EXPLICIT, or IMPLICIT of a constructed type). */
#define PG_DER_CONTEXT_CONS(n)	(0xa0 | (n))

/* The tag of the next element, or 0 if there is none (or @d is bad). */
u8 pg_der_peek(const struct pg_rd *d);

/*
 * Reads the next element, which must have tag @tag: its contents are
 * @inner. False (and @d and @inner bad) if it is malformed, another tag,
 * or missing.
 */
bool pg_der_next(struct pg_rd *d, u8 tag, struct pg_rd *inner);

/* Reads past the next element, whatever its tag. */
bool pg_der_skip(struct pg_rd *d);

/* True if @d was read to its end without a failure; sets bad if not. */
bool pg_der_end(struct pg_rd *d);

/* A NULL: no contents. */
bool pg_der_null(struct pg_rd *d);

/* A BOOLEAN: one byte, 0x00 (false) or 0xff (true). */
bool pg_der_bool(struct pg_rd *d, bool *v);

/*
 * A non-negative INTEGER in the fewest bytes: @mag is its magnitude,
 * big-endian, without the zero byte that keeps a first byte of 0x80 and
 * above positive; zero has none. A negative one is refused.
 */
bool pg_der_uint(struct pg_rd *d, struct pg_rd *mag);

/* The same, as a number: one of more than 64 bits is refused. */
bool pg_der_u64(struct pg_rd *d, u64 *v);

/*
 * An OBJECT IDENTIFIER: @oid is its contents, at least one byte, each
 * sub-identifier in the fewest bytes (no leading 0x80) and ended.
 */
bool pg_der_oid(struct pg_rd *d, struct pg_rd *oid);

/* Whether @oid (from pg_der_oid()) is the one encoded as @enc. */
bool pg_der_oid_is(const struct pg_rd *oid, const u8 *enc, u32 len);
#define PG_DER_OID_IS(oid, enc) pg_der_oid_is(oid, enc, sizeof(enc))

/* A BIT STRING of whole bytes (0 unused bits): @bits are those bytes. */
bool pg_der_bits(struct pg_rd *d, struct pg_rd *bits);

/*
 * A UTCTime (YYMMDDHHMMSSZ, 19YY from 50, 20YY below) or a GeneralizedTime
 * (YYYYMMDDHHMMSSZ, from 2050 on: RFC 5280 4.1.2.5 puts earlier ones in
 * UTCTime), as DER has them: UTC, seconds, no fraction. Each field in its
 * range (no leap second); @t is seconds since the epoch.
 */
bool pg_der_time(struct pg_rd *d, s64 *t);

/*
 * A UTF8String, a PrintableString (its letters, digits and " '()+,-./:=?"
 * only) or an IA5String (ASCII): @s is its bytes. UTF-8 is not checked
 * here: the caller's rules for the text decide.
 */
bool pg_der_string(struct pg_rd *d, struct pg_rd *s);

/*
 * Writing, through bytes.h's bounded writer: once the buffer is too small
 * the writer is bad and stays so, and the caller checks it once at the end.
 * A constructed element is written contents first: pg_der_mark() where
 * they begin, then pg_der_wrap() puts the tag and the length in front of
 * them (moving them up by the header's few bytes).
 */
static inline u8 *pg_der_mark(const struct pg_wr *w)
{
	return w->p;
}

/* What was written since @mark becomes the contents of a @tag element. */
void pg_der_wrap(struct pg_wr *w, u8 *mark, u8 tag);

/* A primitive element: @tag, then the @len bytes at @p. */
void pg_der_put(struct pg_wr *w, u8 tag, const void *p, u32 len);

/*
 * A non-negative INTEGER of the big-endian magnitude @mag (@len bytes,
 * leading zero bytes allowed): in the fewest bytes, positive.
 */
void pg_der_put_uint(struct pg_wr *w, const u8 *mag, u32 len);

/*
 * @t (seconds since the epoch) as RFC 5280 4.1.2.5 has it: a UTCTime
 * through 2049, a GeneralizedTime from 2050, as pg_der_time() reads them.
 * A time before 1950 or after 9999 makes @w bad.
 */
void pg_der_put_time(struct pg_wr *w, s64 t);

#ifdef DEBUG
/* In-kernel test of the reader on encodings DER allows and ones it forbids. */
bool pg_der_selftest(void);
#endif

#endif /* _PG_DER_H */
