/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Big-endian numbers at any alignment, for the bytes peergroup writes and
 * hashes: the wire (protocol.rst) and record digests. (The kernels differ
 * in where their unaligned helpers live.)
 */
#ifndef _PG_BYTES_H
#define _PG_BYTES_H

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

#endif /* _PG_BYTES_H */
