/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HKDF-SHA256 (RFC 5869) on the crypto API's hmac(sha256): neither Debian
 * kernel has a generic HKDF. The psk provider's connection keys are
 * expands of the group key; the handshake's session keys an extract and
 * expands over its transcript.
 *
 * The caller owns @hmac (crypto_alloc_shash("hmac(sha256)", 0, 0)) and
 * serializes its use: both steps set its key. Intermediate values are
 * zeroed before return.
 */
#ifndef _PG_HKDF_H
#define _PG_HKDF_H

#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/types.h>

/* The longest output one expand gives: 255 blocks. */
#define PG_HKDF_OKM_MAX		(255 * SHA256_DIGEST_SIZE)

/* PRK = HMAC(salt, IKM); no salt (@salt_len 0) is HashLen zero bytes. */
int pg_hkdf_extract(struct crypto_shash *hmac, const u8 *salt,
		    size_t salt_len, const u8 *ikm, size_t ikm_len,
		    u8 prk[SHA256_DIGEST_SIZE]);

/* OKM = T(1) | T(2) | ..., T(i) = HMAC(PRK, T(i-1) | info | i). */
int pg_hkdf_expand(struct crypto_shash *hmac,
		   const u8 prk[SHA256_DIGEST_SIZE], const u8 *info,
		   size_t info_len, u8 *okm, size_t okm_len);

#ifdef DEBUG
/* In-kernel test against RFC 5869's SHA-256 vectors. */
bool pg_hkdf_selftest(void);
#endif

#endif /* _PG_HKDF_H */
