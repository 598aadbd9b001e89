// SPDX-License-Identifier: GPL-2.0
/*
 * HKDF-SHA256, RFC 5869 (hkdf.h).
 */
#include "hkdf.h"

#include <linux/errno.h>
#include <linux/string.h>

int pg_hkdf_extract(struct crypto_shash *hmac, const u8 *salt,
		    size_t salt_len, const u8 *ikm, size_t ikm_len,
		    u8 prk[SHA256_DIGEST_SIZE])
{
	static const u8 no_salt[SHA256_DIGEST_SIZE];
	int ret;

	if (!salt_len) {
		salt = no_salt;
		salt_len = sizeof(no_salt);
	}
	ret = crypto_shash_setkey(hmac, salt, salt_len);
	if (!ret)
		ret = crypto_shash_tfm_digest(hmac, ikm, ikm_len, prk);
	return ret;
}

int pg_hkdf_expand(struct crypto_shash *hmac,
		   const u8 prk[SHA256_DIGEST_SIZE], const u8 *info,
		   size_t info_len, u8 *okm, size_t okm_len)
{
	SHASH_DESC_ON_STACK(desc, hmac);
	u8 t[SHA256_DIGEST_SIZE];
	size_t done = 0, n;
	u8 i = 0;
	int ret;

	if (okm_len > PG_HKDF_OKM_MAX)
		return -EINVAL;
	ret = crypto_shash_setkey(hmac, prk, SHA256_DIGEST_SIZE);
	if (ret)
		return ret;
	desc->tfm = hmac;
	while (done < okm_len) {
		i++;
		ret = crypto_shash_init(desc);
		if (!ret && i > 1)
			ret = crypto_shash_update(desc, t, sizeof(t));
		if (!ret && info_len)
			ret = crypto_shash_update(desc, info, info_len);
		if (!ret)
			ret = crypto_shash_finup(desc, &i, 1, t);
		if (ret)
			break;
		n = min(okm_len - done, sizeof(t));
		memcpy(okm + done, t, n);
		done += n;
	}
	shash_desc_zero(desc);
	memzero_explicit(t, sizeof(t));
	if (ret)
		memzero_explicit(okm, okm_len);
	return ret;
}

#include "selftest/hkdf.c"
