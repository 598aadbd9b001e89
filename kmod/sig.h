/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RSA signatures, RSASSA-PKCS1-v1_5 over a SHA-256 digest: the only kind a
 * certificate group (the pki provider) makes or accepts. A signature is
 * made with a private key the kernel keyring holds (an asymmetric key,
 * loaded from PKCS#8 with keyctl padd), which never leaves it; it is
 * checked with a public key read out of a certificate (cert.h), as the
 * PKCS#1 RSAPublicKey the kernel's RSA takes. Keys have 2048 to 4096 bits.
 * Everything here may sleep.
 */
#ifndef _PG_SIG_H
#define _PG_SIG_H

#include <crypto/sha2.h>
#include <linux/types.h>

#define PG_SIG_BITS_MIN		2048
#define PG_SIG_BITS_MAX		4096
#define PG_SIG_MAX		(PG_SIG_BITS_MAX / 8)

struct key;

/*
 * The key @serial, looked up with the caller's credentials (it must be
 * allowed to search it), referenced: an asymmetric key that can sign, an
 * RSA private key of PG_SIG_BITS_MIN..MAX bits. *@sig_len: its signatures'
 * length. An error: a negative errno and *@why, a literal.
 */
struct key *pg_sig_key_get(s32 serial, u32 *sig_len, const char **why);
void pg_sig_key_put(struct key *key);

/*
 * Signs @digest with @key: @sig_len bytes (pg_sig_key_get()) into @sig.
 * -EKEYREVOKED (or another errno of key_validate()) once the key was
 * revoked, invalidated or expired in its keyring.
 */
int pg_sig_sign(struct key *key, u32 sig_len,
		const u8 digest[SHA256_DIGEST_SIZE], u8 *sig);

/*
 * Checks @sig over @digest with the RSAPublicKey @pub (DER, @pub_len
 * bytes): 0, -EKEYREJECTED for a signature that does not verify, or
 * another negative errno for a key or signature that is malformed.
 */
int pg_sig_verify(const u8 *pub, u32 pub_len,
		  const u8 digest[SHA256_DIGEST_SIZE], const u8 *sig,
		  u32 sig_len);

#endif /* _PG_SIG_H */
