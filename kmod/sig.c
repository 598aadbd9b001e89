// SPDX-License-Identifier: GPL-2.0
/*
 * RSA signatures through the kernel's asymmetric-key API (sig.h): made by
 * create_signature() with a keyring key, checked by
 * public_key_verify_signature(). Both kernels (6.1, 6.12) take the same
 * fields; 6.1's signing hands its buffers to a scatterlist, so they are
 * never on the stack.
 */
#include "sig.h"

#include <crypto/public_key.h>
#include <keys/asymmetric-type.h>
#include <linux/err.h>
#include <linux/key.h>
#include <linux/keyctl.h>
#include <linux/slab.h>
#include <linux/string.h>

struct key *pg_sig_key_get(s32 serial, u32 *sig_len, const char **why)
{
	struct kernel_pkey_params params = {
		.encoding = "pkcs1",
		.hash_algo = "sha256",
	};
	struct kernel_pkey_query info;
	key_ref_t ref;
	struct key *key;
	int ret;

	ref = lookup_user_key(serial, 0, KEY_NEED_SEARCH);
	if (IS_ERR(ref)) {
		*why = "key: no such key, or this caller may not search it";
		return ERR_CAST(ref);
	}
	key = key_ref_to_ptr(ref);
	ret = -EKEYREJECTED;
	*why = "key: not an asymmetric key (load a PKCS#8 private key with keyctl padd asymmetric)";
	if (key->type != &key_type_asymmetric)
		goto put;
	params.key = key;
	if (query_asymmetric_key(&params, &info) ||
	    !(info.supported_ops & KEYCTL_SUPPORTS_SIGN)) {
		*why = "key: cannot sign RSA PKCS#1 v1.5 SHA-256 (an RSA private key is needed)";
		goto put;
	}
	if (info.key_size < PG_SIG_BITS_MIN || info.key_size > PG_SIG_BITS_MAX ||
	    info.max_sig_size != info.key_size / 8) {
		*why = "key: an RSA key of 2048 to 4096 bits is needed";
		goto put;
	}
	*sig_len = info.max_sig_size;
	return key;
put:
	key_put(key);
	return ERR_PTR(ret);
}

void pg_sig_key_put(struct key *key)
{
	key_put(key);
}

int pg_sig_sign(struct key *key, u32 sig_len,
		const u8 digest[SHA256_DIGEST_SIZE], u8 *sig)
{
	struct kernel_pkey_params params = {
		.key = key,
		.encoding = "pkcs1",
		.hash_algo = "sha256",
		.in_len = SHA256_DIGEST_SIZE,
		.out_len = sig_len,
	};
	u8 *buf;
	int ret;

	ret = key_validate(key);
	if (ret)
		return ret;
	buf = kmalloc(SHA256_DIGEST_SIZE + sig_len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, digest, SHA256_DIGEST_SIZE);
	ret = create_signature(&params, buf, buf + SHA256_DIGEST_SIZE);
	if (ret >= 0)
		ret = ret == sig_len ? 0 : -EBADMSG;
	if (!ret)
		memcpy(sig, buf + SHA256_DIGEST_SIZE, sig_len);
	kfree(buf);
	return ret;
}

int pg_sig_verify(const u8 *pub, u32 pub_len,
		  const u8 digest[SHA256_DIGEST_SIZE], const u8 *sig,
		  u32 sig_len)
{
	/* Neither is written: the casts are the structures' own. */
	const struct public_key pk = {
		.key = (void *)pub,
		.keylen = pub_len,
		.id_type = "X509",
		.pkey_algo = "rsa",
	};
	const struct public_key_signature ps = {
		.s = (u8 *)sig,
		.s_size = sig_len,
		.digest = (u8 *)digest,
		.digest_size = SHA256_DIGEST_SIZE,
		.pkey_algo = "rsa",
		.hash_algo = "sha256",
		.encoding = "pkcs1",
	};

	if (!sig_len || sig_len > PG_SIG_MAX)
		return -EBADMSG;
	return public_key_verify_signature(&pk, &ps);
}
