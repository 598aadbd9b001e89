// SPDX-License-Identifier: GPL-2.0
/*
 * The psk provider (password groups): each record's security data is an
 * HMAC-SHA256 of its canonical encoding under the group key.
 *
 * The group key is the PEERGROUP_GROUP_KEY_LEN bytes GROUP_ADD gave: the
 * caller derived them from the password with Argon2id (libpeergroup;
 * Documentation/records.rst), slow and memory-hard on purpose, which the
 * kernel is no place for. The kernel derives nothing from a password and
 * never sees one. A group created without a key gets 32 random bytes
 * instead (pg_group.key_random): they exist in this group only, so its
 * records verify nowhere else, not even in a group of the same id created
 * again. The key never leaves the kernel and is zeroed after use.
 */
#include "group.h"
#include "hkdf.h"
#include "record.h"
#include "security.h"
#include "write.h"

#include <crypto/hash.h>
#include <crypto/algapi.h>
#include <crypto/sha2.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

struct psk {
	struct crypto_shash *hmac;	/* keyed with the group key */
	struct crypto_shash *auth;	/* keyed with the handshake's */
	u8 session[SHA256_DIGEST_SIZE];	/* mixed into session keys */
};

/*
 * The handshake's keys come from the group key, each under its own label,
 * so that no key serves two purposes.
 */
static int derive_conn_keys(struct psk *psk, const u8 *key)
{
	u8 auth[SHA256_DIGEST_SIZE];
	int ret;

	ret = pg_hkdf_expand(psk->auth, key, "pg1 auth", 8, auth, sizeof(auth));
	if (!ret)
		ret = pg_hkdf_expand(psk->auth, key, "pg1 session", 11,
				     psk->session, sizeof(psk->session));
	if (!ret)
		ret = crypto_shash_setkey(psk->auth, auth, sizeof(auth));
	memzero_explicit(auth, sizeof(auth));
	return ret;
}

static int psk_init(struct pg_group *grp,
		    const struct pg_group_params *params,
		    struct pg_write_err *err)
{
	u8 key[PEERGROUP_GROUP_KEY_LEN];
	struct psk *psk;
	int ret;

	err->field = 0;
	err->msg = "out of memory for the group's key";
	psk = kzalloc(sizeof(*psk), GFP_KERNEL_ACCOUNT);
	if (!psk)
		return -ENOMEM;
	err->msg = "security: hmac(sha256) is missing from the crypto API";
	psk->hmac = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(psk->hmac)) {
		ret = PTR_ERR(psk->hmac);
		goto free;
	}
	psk->auth = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(psk->auth)) {
		ret = PTR_ERR(psk->auth);
		goto free_hmac;
	}
	if (params->key)
		memcpy(key, params->key, sizeof(key));
	else
		get_random_bytes(key, sizeof(key));
	grp->key_random = !params->key;
	ret = crypto_shash_setkey(psk->hmac, key, sizeof(key)) ?:
	      derive_conn_keys(psk, key);
	memzero_explicit(key, sizeof(key));
	if (ret) {
		err->msg = "security: the group key could not be set";
		goto free_auth;
	}
	grp->sec_ctx = psk;
	err->msg = NULL;
	return 0;

free_auth:
	crypto_free_shash(psk->auth);
free_hmac:
	crypto_free_shash(psk->hmac);
free:
	kfree_sensitive(psk);
	return ret;
}

static void psk_uninit(struct pg_group *grp)
{
	struct psk *psk = grp->sec_ctx;

	crypto_free_shash(psk->auth);
	crypto_free_shash(psk->hmac);
	kfree_sensitive(psk);
	grp->sec_ctx = NULL;
}

static int hash_update(void *ctx, const u8 *p, unsigned int len)
{
	return crypto_shash_update(ctx, p, len);
}

static int mac(struct pg_group *grp, const struct pg_record *rec, u8 *out)
{
	struct psk *psk = grp->sec_ctx;
	SHASH_DESC_ON_STACK(desc, psk->hmac);
	int ret;

	desc->tfm = psk->hmac;
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = pg_record_encode(grp, rec, hash_update, desc);
	if (!ret)
		ret = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return ret;
}

static int psk_secure(struct pg_group *grp, const struct pg_record *rec,
		      enum peergroup_change change, u8 **sec, u32 *sec_len)
{
	u8 *out;
	int ret;

	out = kmalloc(SHA256_DIGEST_SIZE, GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	ret = mac(grp, rec, out);
	if (ret) {
		kfree(out);
		return ret;
	}
	*sec = out;
	*sec_len = SHA256_DIGEST_SIZE;
	return 0;
}

static int psk_validate(struct pg_group *grp, const struct pg_record *rec,
			enum peergroup_change change, struct pg_write_err *err)
{
	u8 expected[SHA256_DIGEST_SIZE];
	bool ok;

	ok = rec->sec_len == SHA256_DIGEST_SIZE && !mac(grp, rec, expected) &&
	     !crypto_memneq(expected, rec->sec, SHA256_DIGEST_SIZE);
	memzero_explicit(expected, sizeof(expected));
	if (ok)
		return 0;
	return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_SECURITY,
			     "security data: the record does not verify under the group's key");
}

static void psk_free(struct pg_group *grp, u8 *sec)
{
	kfree(sec);
}

static const char *const role_label[] = {
	[PG_AUTH_INITIATOR] = "pg1 initiator",
	[PG_AUTH_RESPONDER] = "pg1 responder",
};

/* HMAC(auth key, role label | th): the label stops a proof's reflection. */
static int auth_mac(struct psk *psk, enum pg_auth_role role, const u8 *th,
		    u8 *out)
{
	SHASH_DESC_ON_STACK(desc, psk->auth);
	int ret;

	desc->tfm = psk->auth;
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, role_label[role],
					  strlen(role_label[role]));
	if (!ret)
		ret = crypto_shash_finup(desc, th, SHA256_DIGEST_SIZE, out);
	shash_desc_zero(desc);
	return ret;
}

static int psk_prove(struct pg_group *grp, enum pg_auth_role role,
		     const u8 *th, u8 *proof, u32 *len)
{
	*len = SHA256_DIGEST_SIZE;
	return auth_mac(grp->sec_ctx, role, th, proof);
}

static bool psk_verify(struct pg_group *grp, enum pg_auth_role role,
		       const char *peer, const u8 *th, const u8 *proof,
		       u32 len)
{
	u8 expected[SHA256_DIGEST_SIZE];
	bool ok;

	ok = len == SHA256_DIGEST_SIZE &&
	     !auth_mac(grp->sec_ctx, role, th, expected) &&
	     !crypto_memneq(expected, proof, SHA256_DIGEST_SIZE);
	memzero_explicit(expected, sizeof(expected));
	return ok;
}

static int psk_session_secret(struct pg_group *grp, u8 *out, u32 *len)
{
	struct psk *psk = grp->sec_ctx;

	memcpy(out, psk->session, sizeof(psk->session));
	*len = sizeof(psk->session);
	return 0;
}

const struct pg_security_ops pg_psk_ops = {
	.name		= "psk",
	.kind		= PEERGROUP_SECURITY_PSK,
	.sec_len	= SHA256_DIGEST_SIZE,
	.proof_max	= SHA256_DIGEST_SIZE,
	.init		= psk_init,
	.uninit		= psk_uninit,
	.secure		= psk_secure,
	.validate	= psk_validate,
	.free		= psk_free,
	.prove		= psk_prove,
	.verify		= psk_verify,
	.session_secret	= psk_session_secret,
};
