/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bytes peergroup writes, reads and hashes: the wire (protocol.rst) and
 * record digests. Big-endian numbers at any alignment (the kernels differ
 * in where their unaligned helpers live), and a reader and a writer that
 * check every length before they touch a byte: once one access does not
 * fit, it and every later one fail (bad is set; a read gives NULL or 0, a
 * write writes nothing), so that a parser or an encoder checks once, at
 * its end.
 */
#ifndef _PG_BYTES_H
#define _PG_BYTES_H

#include <linux/string.h>
#include <linux/types.h>

static inline void pg_put_be(u8 *p, u64 v, unsigned int n)
{
	while (n--) {
		p[n] = v;
		v >>= 8;
	}
}

static inline u64 pg_get_be(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

/* Reads a received payload. */
struct pg_rd {
	const u8 *p;
	u32 left;
	bool bad;
};

static inline const u8 *pg_rd_bytes(struct pg_rd *r, u32 n)
{
	const u8 *p = r->p;

	if (r->bad || n > r->left) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return p;
}

/* An @n-byte big-endian number, n <= 8. */
static inline u64 pg_rd_be(struct pg_rd *r, unsigned int n)
{
	const u8 *p = pg_rd_bytes(r, n);

	return p ? pg_get_be(p, n) : 0;
}

/*
 * A string as the wire has it (be16 length, its bytes, no NUL) into @out
 * of @size bytes, NUL-terminated: false if it is malformed or too long.
 */
static inline bool pg_rd_str(struct pg_rd *r, char *out, u32 size)
{
	u32 n = pg_rd_be(r, 2);
	const u8 *p = pg_rd_bytes(r, n);

	if (!p || n >= size || memchr(p, 0, n)) {
		r->bad = true;
		return false;
	}
	memcpy(out, p, n);
	out[n] = 0;
	return true;
}

/* Writes into a buffer of @left bytes. */
struct pg_wr {
	u8 *p;
	u32 left;
	bool bad;
};

/* Room for @n bytes, taken: where to write them, or NULL. */
static inline u8 *pg_wr_bytes(struct pg_wr *w, u32 n)
{
	u8 *p = w->p;

	if (w->bad || n > w->left) {
		w->bad = true;
		return NULL;
	}
	w->p += n;
	w->left -= n;
	return p;
}

static inline void pg_wr_mem(struct pg_wr *w, const void *src, u32 n)
{
	u8 *p = pg_wr_bytes(w, n);

	if (p)
		memcpy(p, src, n);
}

/* @v as an @n-byte big-endian number, n <= 8. */
static inline void pg_wr_be(struct pg_wr *w, u64 v, unsigned int n)
{
	u8 *p = pg_wr_bytes(w, n);

	if (p)
		pg_put_be(p, v, n);
}

/* A string as the wire has it: be16 length, then its bytes, no NUL. */
static inline void pg_wr_str(struct pg_wr *w, const char *s)
{
	size_t n = strlen(s);

	if (n > U16_MAX) {
		w->bad = true;
		return;
	}
	pg_wr_be(w, n, 2);
	pg_wr_mem(w, s, n);
}

#endif /* _PG_BYTES_H */
