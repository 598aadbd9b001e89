// SPDX-License-Identifier: GPL-2.0
/*
 * The handshake: before anything of a table crosses, each side proves its
 * membership of the group through the group's security provider, over a
 * transcript of both sides' identities, the group id, fresh nonces and
 * ephemeral X25519 keys; the session keys, one per direction, come from
 * HKDF over the key exchange and the provider's secret, bound to that
 * transcript. Three plaintext frames (Documentation/protocol.rst):
 *
 *   initiator -> HELLO      suite, node id, Ni, eI, group id, identity
 *   responder -> CHALLENGE  node id, Nr, eR, identity, kdf,
 *                           proof(responder, th)
 *   initiator -> PROOF      proof(initiator, th)
 *
 * th = SHA-256(HELLO payload | CHALLENGE payload up to its proof). kdf is
 * how the responder's group key was derived from the password (Argon2id's
 * parameters, or none: a random key); the initiator compares it with its
 * own before the proof, so that a joiner that derived its key otherwise is
 * told that (REASON_KDF), not "wrong password". Keys:
 * PRK = HKDF-Extract(Ni | Nr, X25519(e, e') | provider secret), then
 * HKDF-Expand(PRK, "pg1 i2r" | th) and "pg1 r2i" | th, 32 bytes each.
 * A failure is answered with a REFUSE that names the reason, then closed.
 *
 * A responder spends nothing on a connection before its HELLO is whole and
 * well-formed, and names a group of the namespace: then one X25519 key pair
 * (the kernel's curve25519 library, no transform) and one proof. The
 * neighbour is made when the initiator's proof verifies.
 */
#include "conn.h"
#include "fault.h"
#include "group.h"
#include "hkdf.h"
#include "pernet.h"
#include "peer.h"
#include "security.h"

#include <crypto/curve25519.h>
#include <crypto/sha2.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/net.h>
#include <linux/string.h>

/* X25519, ChaCha20-Poly1305 frames, HMAC-SHA256 HKDF: the only suite. */
#define PG_SUITE_1		1

/* CHALLENGE's kdf block: u8 alg, u8 lanes, be16 0, be32 time, be32 memory */
#define PG_KDF_LEN		12
#define PG_KDF_NONE		0	/* a random key, derived from nothing */
#define PG_KDF_ARGON2ID		1

struct pg_handshake {
	u8 secret[CURVE25519_KEY_SIZE];	/* our ephemeral key */
	u8 pub[PG_WIRE_KEY_LEN];	/* ours */
	u8 peer_pub[PG_WIRE_KEY_LEN];
	u8 shared[PG_WIRE_KEY_LEN];
	u8 nonces[2 * PG_WIRE_NONCE_LEN]; /* Ni | Nr */
	u8 th[SHA256_DIGEST_SIZE];
	u8 *hello;			/* the HELLO payload, for th */
	u32 hello_len;
	char peer[PEERGROUP_IDENTITY_MAX + 1];
	bool challenged;
};

/* @grp's kdf block (protocol.rst, CHALLENGE). */
static void put_kdf(struct pg_wr *w, const struct pg_group *grp)
{
	bool password = grp->sec_ops->kind == PEERGROUP_SECURITY_PSK &&
			!grp->key_random;

	/* All 0 but for a password's key: a random one, or certificates. */
	pg_wr_be(w, password ? PG_KDF_ARGON2ID : PG_KDF_NONE, 1);
	pg_wr_be(w, grp->kdf.lanes, 1);
	pg_wr_be(w, 0, 2);
	pg_wr_be(w, grp->kdf.time, 4);
	pg_wr_be(w, grp->kdf.memory, 4);
}

void pg_hs_free(struct pg_conn *conn)
{
	struct pg_handshake *hs = conn->hs;

	if (!hs)
		return;
	kfree_sensitive(hs->hello);
	kfree_sensitive(hs);
	conn->hs = NULL;
}

/* A fresh handshake: an ephemeral key pair and our nonce. */
static int hs_new(struct pg_conn *conn)
{
	struct pg_handshake *hs;

	hs = pg_fault(PG_FAULT_HANDSHAKE) ? NULL :
	     kzalloc(sizeof(*hs), GFP_KERNEL_ACCOUNT);
	if (!hs)
		return -ENOMEM;
	conn->hs = hs;
	curve25519_generate_secret(hs->secret);
	if (!curve25519_generate_public(hs->pub, hs->secret))
		return -EINVAL;
	get_random_bytes(hs->nonces + (conn->outbound ? 0 : PG_WIRE_NONCE_LEN),
			 PG_WIRE_NONCE_LEN);
	return 0;
}

static void hs_refuse(struct pg_conn *conn, u8 reason)
{
	pg_conn_send_plain(conn, PG_WIRE_REFUSE, &reason, 1);
	conn->why = reason;
}

int pg_hs_start(struct pg_conn *conn)
{
	struct pg_group *grp = conn->grp;
	struct pg_handshake *hs;
	struct pg_wr w;
	u8 *buf;
	int ret;

	ret = hs_new(conn);
	if (ret) {
		conn->why = PEERGROUP_REASON_ERROR;
		return ret;
	}
	hs = conn->hs;
	buf = pg_fault(PG_FAULT_HANDSHAKE) ? NULL :
	      kmalloc(PG_WIRE_HS_MAX, GFP_KERNEL_ACCOUNT);
	if (!buf) {
		conn->why = PEERGROUP_REASON_ERROR;
		return -ENOMEM;
	}
	w = (struct pg_wr){ .p = buf, .left = PG_WIRE_HS_MAX };
	pg_wr_be(&w, PG_SUITE_1, 1);
	pg_wr_be(&w, 0, 3);
	pg_wr_mem(&w, conn->pn->node_id, sizeof(conn->pn->node_id));
	pg_wr_mem(&w, hs->nonces, PG_WIRE_NONCE_LEN);
	pg_wr_mem(&w, hs->pub, PG_WIRE_KEY_LEN);
	pg_wr_str(&w, grp->id);
	pg_wr_str(&w, grp->identity);
	hs->hello = buf;
	hs->hello_len = PG_WIRE_HS_MAX - w.left;
	ret = WARN_ON_ONCE(w.bad) ? -EMSGSIZE :
	      pg_conn_send_plain(conn, PG_WIRE_HELLO, buf, hs->hello_len);
	if (ret)
		conn->why = PEERGROUP_REASON_ERROR;
	return ret;
}

/* th over HELLO and the CHALLENGE up to its proof. */
static void transcript(struct pg_handshake *hs, const u8 *challenge, u32 len)
{
	struct sha256_state st;

	sha256_init(&st);
	sha256_update(&st, hs->hello, hs->hello_len);
	sha256_update(&st, challenge, len);
	sha256_final(&st, hs->th);
}

/* The session keys, installed: sealed frames from here on. */
static int hs_keys(struct pg_conn *conn)
{
	struct pg_handshake *hs = conn->hs;
	u8 ikm[PG_WIRE_KEY_LEN + PG_SESSION_SECRET_MAX];
	u8 info[8 + SHA256_DIGEST_SIZE];
	u8 prk[SHA256_DIGEST_SIZE];
	u8 i2r[PG_WIRE_KEY_LEN], r2i[PG_WIRE_KEY_LEN];
	struct crypto_shash *hmac;
	u32 secret_len = 0;
	int ret;

	/* A peer's key of small order gives no secret: it proves nothing. */
	if (!curve25519(hs->shared, hs->secret, hs->peer_pub))
		return -EINVAL;
	memcpy(ikm, hs->shared, PG_WIRE_KEY_LEN);
	ret = conn->grp->sec_ops->session_secret(conn->grp,
						 ikm + PG_WIRE_KEY_LEN,
						 &secret_len);
	if (ret)
		goto out;
	hmac = pg_fault(PG_FAULT_HANDSHAKE) ? ERR_PTR(-ENOMEM) :
	       crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(hmac)) {
		ret = PTR_ERR(hmac);
		goto out;
	}
	ret = pg_hkdf_extract(hmac, hs->nonces, sizeof(hs->nonces), ikm,
			      PG_WIRE_KEY_LEN + secret_len, prk);
	memcpy(info, "pg1 i2r", 7);
	memcpy(info + 7, hs->th, SHA256_DIGEST_SIZE);
	if (!ret)
		ret = pg_hkdf_expand(hmac, prk, info, 7 + SHA256_DIGEST_SIZE,
				     i2r, sizeof(i2r));
	memcpy(info, "pg1 r2i", 7);
	if (!ret)
		ret = pg_hkdf_expand(hmac, prk, info, 7 + SHA256_DIGEST_SIZE,
				     r2i, sizeof(r2i));
	crypto_free_shash(hmac);
	if (!ret)
		ret = conn->outbound ? pg_conn_set_keys(conn, i2r, r2i) :
				       pg_conn_set_keys(conn, r2i, i2r);
out:
	memzero_explicit(ikm, sizeof(ikm));
	memzero_explicit(prk, sizeof(prk));
	memzero_explicit(i2r, sizeof(i2r));
	memzero_explicit(r2i, sizeof(r2i));
	return ret;
}

/*
 * Authenticated: an accepted connection becomes a neighbour, the keys are
 * installed, the neighbour is up and the tables are exchanged.
 */
static int hs_done(struct pg_conn *conn)
{
	struct pg_handshake *hs = conn->hs;
	struct pg_neighbour *nb;
	int ret;

	if (!conn->nb) {
		nb = pg_neighbour_inbound(conn->grp, &conn->peer);
		if (!nb) {
			hs_refuse(conn, PEERGROUP_REASON_ERROR);
			return -ENOMEM;
		}
		conn->nb = nb;
		pg_neighbour_attach(nb, conn);
	}
	ret = hs_keys(conn);
	if (ret) {
		/* Plaintext: no key is in place (protocol.rst). */
		if (!conn->outbound)
			hs_refuse(conn, PEERGROUP_REASON_ERROR);
		conn->why = PEERGROUP_REASON_ERROR;
		return ret;
	}
	pg_neighbour_up(conn->nb, conn, hs->peer);
	pg_hs_free(conn);
	return pg_sync_open(conn);
}

/*
 * Responder: a HELLO names the group, the peer and its keys. It is parsed
 * whole before anything is spent on it.
 */
static int on_hello(struct pg_conn *conn, const u8 *p, u32 len)
{
	char peer[PEERGROUP_IDENTITY_MAX + 1];
	char gid[PEERGROUP_GROUP_ID_MAX + 1];
	struct pg_rd r = { .p = p, .left = len };
	const u8 *head, *node, *ni, *ei;
	struct pg_handshake *hs;
	struct pg_group *grp;
	u32 body, proof_len, size;
	u8 *buf, *proof;
	struct pg_wr w;
	int ret;

	if (conn->outbound || conn->grp || conn->hs)
		goto bad;
	head = pg_rd_bytes(&r, 4);		/* suite, three reserved bytes */
	node = pg_rd_bytes(&r, sizeof(conn->pn->node_id));
	ni = pg_rd_bytes(&r, PG_WIRE_NONCE_LEN);
	ei = pg_rd_bytes(&r, PG_WIRE_KEY_LEN);
	if (r.bad || !pg_rd_str(&r, gid, sizeof(gid)) ||
	    !pg_rd_str(&r, peer, sizeof(peer)) || r.left ||
	    !pg_identity_valid(peer))
		goto bad;
	if (head[0] != PG_SUITE_1) {
		hs_refuse(conn, PEERGROUP_REASON_VERSION);
		return -EPROTO;
	}
	if (!memcmp(node, conn->pn->node_id, sizeof(conn->pn->node_id))) {
		hs_refuse(conn, PEERGROUP_REASON_SELF);
		return -ELOOP;
	}
	grp = pg_group_lookup_id(conn->pn, gid);
	if (!grp) {
		net_info_ratelimited("netns %u: a peer asked for unknown group %*pE\n",
				     conn->pn->net->ns.inum, (int)strlen(gid), gid);
		hs_refuse(conn, PEERGROUP_REASON_UNKNOWN_GROUP);
		return -ENOENT;
	}
	conn->grp = grp;	/* the connection holds it */
	pg_conn_hello_seen(conn);

	ret = hs_new(conn);
	if (ret)
		goto err;
	hs = conn->hs;
	memcpy(hs->nonces, ni, PG_WIRE_NONCE_LEN);
	memcpy(hs->peer_pub, ei, PG_WIRE_KEY_LEN);
	strscpy(hs->peer, peer, sizeof(hs->peer));
	hs->hello = pg_fault(PG_FAULT_HANDSHAKE) ? NULL :
		    kmemdup(p, len, GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	size = PG_WIRE_HS_MAX + 2 + grp->sec_ops->proof_max;
	buf = pg_fault(PG_FAULT_HANDSHAKE) ? NULL :
	      kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!hs->hello || !buf) {
		kvfree(buf);
		goto err;
	}
	hs->hello_len = len;
	w = (struct pg_wr){ .p = buf, .left = size };
	pg_wr_mem(&w, conn->pn->node_id, sizeof(conn->pn->node_id));
	pg_wr_mem(&w, hs->nonces + PG_WIRE_NONCE_LEN, PG_WIRE_NONCE_LEN);
	pg_wr_mem(&w, hs->pub, PG_WIRE_KEY_LEN);
	pg_wr_str(&w, conn->grp->identity);
	put_kdf(&w, conn->grp);
	body = size - w.left;
	transcript(hs, buf, body);
	/* The proof goes after its length; PG_WIRE_HS_MAX holds the rest. */
	BUILD_BUG_ON(16 + 2 * 32 + 2 + PEERGROUP_IDENTITY_MAX + PG_KDF_LEN >
		     PG_WIRE_HS_MAX);
	proof = pg_wr_bytes(&w, 2 + grp->sec_ops->proof_max);
	ret = WARN_ON_ONCE(!proof) ? -EMSGSIZE :
	      conn->grp->sec_ops->prove(conn->grp, PG_AUTH_RESPONDER, hs->th,
					proof + 2, &proof_len);
	if (!ret) {
		pg_put_be(proof, proof_len, 2);
		ret = pg_conn_send_plain(conn, PG_WIRE_CHALLENGE, buf,
					 body + 2 + proof_len);
	}
	kvfree_sensitive(buf, size);
	if (ret)
		goto err;
	return 0;

bad:
	net_info_ratelimited("netns %u: a malformed handshake\n",
			     conn->pn->net->ns.inum);
	conn->why = PEERGROUP_REASON_PROTOCOL;
	return -EPROTO;
err:
	/* Ours, not the peer's fault: it is told, not left to guess. */
	hs_refuse(conn, PEERGROUP_REASON_ERROR);
	conn->why = PEERGROUP_REASON_ERROR;
	return ret;
}

static void auth_failed(struct pg_conn *conn)
{
	net_info_ratelimited("netns %u: group %s: a peer failed to prove membership\n",
			     conn->pn->net->ns.inum, conn->grp->name);
	hs_refuse(conn, PEERGROUP_REASON_AUTH);
}

static const char *kdf_name(u8 alg)
{
	switch (alg) {
	case PG_KDF_NONE:
		return "none (a random key)";
	case PG_KDF_ARGON2ID:
		return "argon2id";
	}
	return "an unknown function";
}

/*
 * Initiator: whether the responder's group key was derived as ours was
 * (@kdf, PG_KDF_LEN bytes); if not, the proof cannot verify, and the
 * joiner is told why rather than "wrong password".
 */
static bool kdf_agrees(struct pg_conn *conn, const u8 *kdf)
{
	struct pg_rd r = { .p = kdf + 4, .left = 8 };
	const struct pg_kdf *k = &conn->grp->kdf;
	u8 ours[PG_KDF_LEN];
	struct pg_wr w = { .p = ours, .left = sizeof(ours) };
	u32 time, memory;

	put_kdf(&w, conn->grp);
	if (!memcmp(ours, kdf, sizeof(ours)))
		return true;
	time = pg_rd_be(&r, 4);
	memory = pg_rd_be(&r, 4);
	net_info_ratelimited("netns %u: group %s: the peer derives its key with %s t=%u m=%u p=%u, this node with %s t=%u m=%u p=%u\n",
			     conn->pn->net->ns.inum, conn->grp->name,
			     kdf_name(kdf[0]), time, memory, kdf[1],
			     kdf_name(ours[0]), k->time, k->memory, k->lanes);
	hs_refuse(conn, PEERGROUP_REASON_KDF);
	return false;
}

/* Initiator: the responder's proof, then ours. */
static int on_challenge(struct pg_conn *conn, const u8 *p, u32 len)
{
	struct pg_handshake *hs = conn->hs;
	struct pg_rd r = { .p = p, .left = len };
	const u8 *node, *nr, *er, *kdf, *peer_proof;
	u32 body, proof_len, size;
	u16 plen;
	u8 *buf;
	int ret;

	if (!conn->outbound || !hs || hs->challenged)
		goto bad;
	hs->challenged = true;
	node = pg_rd_bytes(&r, sizeof(conn->pn->node_id));
	nr = pg_rd_bytes(&r, PG_WIRE_NONCE_LEN);
	er = pg_rd_bytes(&r, PG_WIRE_KEY_LEN);
	if (r.bad || !pg_rd_str(&r, hs->peer, sizeof(hs->peer)) ||
	    !pg_identity_valid(hs->peer))
		goto bad;
	kdf = pg_rd_bytes(&r, PG_KDF_LEN);
	if (r.bad || kdf[2] || kdf[3])
		goto bad;
	body = len - r.left;
	plen = pg_rd_be(&r, 2);
	peer_proof = pg_rd_bytes(&r, plen);
	if (r.bad || r.left)
		goto bad;
	if (!memcmp(node, conn->pn->node_id, sizeof(conn->pn->node_id))) {
		hs_refuse(conn, PEERGROUP_REASON_SELF);
		return -ELOOP;
	}
	if (!kdf_agrees(conn, kdf))
		return -EKEYREJECTED;
	memcpy(hs->nonces + PG_WIRE_NONCE_LEN, nr, PG_WIRE_NONCE_LEN);
	memcpy(hs->peer_pub, er, PG_WIRE_KEY_LEN);
	transcript(hs, p, body);
	if (!conn->grp->sec_ops->verify(conn->grp, PG_AUTH_RESPONDER, hs->peer,
					hs->th, peer_proof, plen)) {
		auth_failed(conn);
		return -EACCES;
	}
	size = 2 + conn->grp->sec_ops->proof_max;
	buf = pg_fault(PG_FAULT_HANDSHAKE) ? NULL :
	      kvmalloc(size, GFP_KERNEL_ACCOUNT);
	ret = buf ? conn->grp->sec_ops->prove(conn->grp, PG_AUTH_INITIATOR,
					      hs->th, buf + 2, &proof_len) :
		    -ENOMEM;
	if (!ret) {
		pg_put_be(buf, proof_len, 2);
		ret = pg_conn_send_plain(conn, PG_WIRE_PROOF, buf,
					 2 + proof_len);
	}
	kvfree_sensitive(buf, size);
	if (ret) {
		conn->why = PEERGROUP_REASON_ERROR;
		return ret;
	}
	return hs_done(conn);

bad:
	conn->why = PEERGROUP_REASON_PROTOCOL;
	return -EPROTO;
}

/* Responder: the initiator's proof. */
static int on_proof(struct pg_conn *conn, const u8 *p, u32 len)
{
	struct pg_handshake *hs = conn->hs;
	struct pg_rd r = { .p = p, .left = len };
	const u8 *proof;
	u16 plen;

	if (conn->outbound || !hs || !hs->hello)
		goto bad;
	plen = pg_rd_be(&r, 2);
	proof = pg_rd_bytes(&r, plen);
	if (r.bad || r.left)
		goto bad;
	if (!conn->grp->sec_ops->verify(conn->grp, PG_AUTH_INITIATOR, hs->peer,
					hs->th, proof, plen)) {
		auth_failed(conn);
		return -EACCES;
	}
	return hs_done(conn);

bad:
	conn->why = PEERGROUP_REASON_PROTOCOL;
	return -EPROTO;
}

int pg_hs_frame(struct pg_conn *conn, u8 type, const u8 *p, u32 len)
{
	switch (type) {
	case PG_WIRE_HELLO:
		return on_hello(conn, p, len);
	case PG_WIRE_CHALLENGE:
		return on_challenge(conn, p, len);
	case PG_WIRE_PROOF:
		return on_proof(conn, p, len);
	}
	conn->why = PEERGROUP_REASON_PROTOCOL;
	return -EPROTO;
}
