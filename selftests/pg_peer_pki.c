// SPDX-License-Identifier: GPL-2.0
/*
 * pg_peer's certificate groups (records.rst, "The pki provider";
 * protocol.rst, "Proofs" and PROPERTIES): our RSA key and chain from files,
 * the certificates we know (our chain's, the peer's from its proof, every
 * member's from its membership record), chains checked to our root,
 * security data made and checked. All of it OpenSSL 3's libcrypto.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pg_peer.h"

/* A certificate we know, by the SHA-256 of its DER. */
struct cert {
	X509 *x;
	u8 fp[32];
	char cn[PEERGROUP_IDENTITY_MAX + 1];
	bool admin;		/* basicConstraints cA */
	u64 not_before, not_after;	/* ns since the epoch */
	u8 *der;
	size_t der_len;
};

struct pki {
	EVP_PKEY *key;
	struct buf chain;	/* ours, DER, as a proof carries it */
	u8 own[32], root[32];	/* fingerprints */
	struct cert *known;
	size_t n, cap;
};

/* records.rst, "Memberships": "memb", then zeros. */
static const u8 membership_type[16] = { 0x6d, 0x65, 0x6d, 0x62 };

static u64 asn1_ns(const ASN1_TIME *t)
{
	struct tm tm;

	if (!ASN1_TIME_to_tm(t, &tm))
		return 0;
	return (u64)timegm(&tm) * 1000000000ULL;
}

static struct cert *cert_find(const struct pki *k, const u8 fp[32])
{
	for (size_t i = 0; i < k->n; i++)
		if (!memcmp(k->known[i].fp, fp, 32))
			return &k->known[i];
	return NULL;
}

/* A certificate of n DER bytes: NULL if it does not parse or has no CN. */
static X509 *cert_parse(const u8 *p, size_t n, struct cert *c)
{
	const u8 *q = p;
	X509 *x = d2i_X509(NULL, &q, n);

	memset(c, 0, sizeof(*c));
	if (!x || q != p + n ||
	    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName,
				      c->cn, sizeof(c->cn)) < 2) {
		X509_free(x);
		return NULL;
	}
	c->x = x;
	sha256(p, n, c->fp);
	c->admin = X509_get_extension_flags(x) & EXFLAG_CA;
	c->not_before = asn1_ns(X509_get0_notBefore(x));
	c->not_after = asn1_ns(X509_get0_notAfter(x));
	c->der = xmalloc(n);
	memcpy(c->der, p, n);
	c->der_len = n;
	return x;
}

static void cert_keep(struct pki *k, struct cert *c)
{
	if (cert_find(k, c->fp)) {
		X509_free(c->x);
		free(c->der);
		return;
	}
	k->known = xgrow(k->known, k->n, &k->cap, sizeof(*k->known));
	k->known[k->n++] = *c;
}

static void certs_free(struct cert *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		X509_free(c[i].x);
		free(c[i].der);
	}
}

/*
 * A chain as a proof or a membership record carries it: DER certificates,
 * the holder's first, our root last, byte for byte; each issued by the
 * next, an administrator, signed with its key, within its validity; the
 * first valid at @now (0: not checked). Its certificates are kept. NULL
 * and *why if not; else the holder's certificate.
 */
static const struct cert *chain_check(struct pki *k, const u8 *p, size_t n,
				      u64 now, const char **why)
{
	struct cert c[PEERGROUP_CHAIN_MAX];
	const struct cert *root = cert_find(k, k->root);
	size_t m = 0, i, len;
	u8 first[32];

	*why = NULL;
	if (n > PEERGROUP_CERTS_BYTES_MAX)
		*why = "longer than 49152 bytes";
	while (!*why && n) {
		const u8 *q = p;
		X509 *x;

		if (m == PEERGROUP_CHAIN_MAX) {
			*why = "more than 24 certificates";
			break;
		}
		x = d2i_X509(NULL, &q, n);
		len = q - p;
		X509_free(x);
		if (!x || !cert_parse(p, len, &c[m])) {
			*why = "a certificate does not parse";
			break;
		}
		m++;
		p += len;
		n -= len;
	}
	if (!*why && !m)
		*why = "empty";
	if (!*why && (c[m - 1].der_len != root->der_len ||
		      memcmp(c[m - 1].der, root->der, root->der_len)))
		*why = "its last certificate is not our root";
	for (i = 0; !*why && i + 1 < m; i++) {
		if (X509_check_issued(c[i + 1].x, c[i].x) != X509_V_OK)
			*why = "a certificate is not issued by the next";
		else if (!c[i + 1].admin)
			*why = "an issuer is not an administrator";
		else if (X509_verify(c[i].x, X509_get0_pubkey(c[i + 1].x)) != 1)
			*why = "a certificate's signature does not verify";
		else if (c[i].not_before < c[i + 1].not_before ||
			 c[i].not_after > c[i + 1].not_after)
			*why = "a certificate outlives its issuer";
	}
	if (!*why && now && (now < c[0].not_before || now > c[0].not_after))
		*why = "the holder's certificate is not valid now";
	if (*why) {
		certs_free(c, m);
		return NULL;
	}
	memcpy(first, c[0].fp, 32);
	for (i = 0; i < m; i++)
		cert_keep(k, &c[i]);
	return cert_find(k, first);
}

/* "pki:KEYFILE:CHAINFILE" */
void pki_init(struct group *g, const char *spec)
{
	const char *kf = spec + 4, *cf = strchr(kf, ':');
	struct pki *k = xcalloc(1, sizeof(*k));
	char *path = xstrndup(kf, cf ? (size_t)(cf - kf) : strlen(kf));
	struct cert c;
	const char *why;
	FILE *f;
	X509 *x;
	int bits;

	if (!cf)
		die("%s: not pki:KEYFILE:CHAINFILE", spec);
	f = fopen(path, "r");
	k->key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	bits = k->key ? EVP_PKEY_get_bits(k->key) : 0;
	if (!k->key || EVP_PKEY_get_base_id(k->key) != EVP_PKEY_RSA ||
	    bits < 2048 || bits > 4096)
		die("%s: not an RSA private key (PEM) of 2048 to 4096 bits", path);
	f = fopen(cf + 1, "r");
	if (!f)
		die("%s: cannot be read", cf + 1);
	/* The chain as DER, and each certificate known (the root last). */
	while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
		u8 *der = NULL;
		int n = i2d_X509(x, &der);

		X509_free(x);
		if (n <= 0 || !cert_parse(der, n, &c))
			die("%s: a certificate without a common name", cf + 1);
		if (!k->chain.len)
			memcpy(k->own, c.fp, 32);
		memcpy(k->root, c.fp, 32);
		buf_put(&k->chain, der, n);
		OPENSSL_free(der);
		cert_keep(k, &c);
	}
	fclose(f);
	if (!k->chain.len)
		die("%s: no PEM certificate", cf + 1);
	if (!chain_check(k, k->chain.p, k->chain.len, 0, &why))
		die("%s: %s", cf + 1, why);
	if (X509_check_private_key(cert_find(k, k->own)->x, k->key) != 1)
		die("%s: not the key of the chain's first certificate", path);
	free(path);
	g->pki = k;
}

const char *pki_creator(const struct group *g)
{
	return cert_find(g->pki, g->pki->root)->cn;
}

u64 pki_not_after(const struct group *g)
{
	return cert_find(g->pki, g->pki->own)->not_after;
}

const u8 *pki_chain(const struct group *g, size_t *len)
{
	*len = g->pki->chain.len;
	return g->pki->chain.p;
}

bool pki_membership_type(const u8 type[16])
{
	return !memcmp(type, membership_type, 16);
}

void pki_membership_type_set(u8 type[16])
{
	memcpy(type, membership_type, 16);
}

/* RSASSA-PKCS1-v1_5 with SHA-256 of a SHA-256 digest (the digest as is). */
static EVP_PKEY_CTX *rsa_ctx(EVP_PKEY *key, bool sign)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);

	if (!ctx || (sign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx)) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) <= 0)
		die("RSA PKCS#1 v1.5 with SHA-256 could not be set up");
	return ctx;
}

/* Our signature over SHA-256(@msg): be16 length, then the bytes. */
static void sign_into(const struct group *g, const void *msg, size_t n,
		      struct buf *b)
{
	EVP_PKEY_CTX *ctx = rsa_ctx(g->pki->key, true);
	u8 d[32], sig[W_PKI_SIG_MAX];
	size_t len = sizeof(sig);

	sha256(msg, n, d);
	if (EVP_PKEY_sign(ctx, sig, &len, d, sizeof(d)) <= 0)
		die("RSA signing failed");
	EVP_PKEY_CTX_free(ctx);
	buf_be(b, len, 2);
	buf_put(b, sig, len);
}

static bool verifies(const struct cert *c, const void *msg, size_t n,
		     const u8 *sig, size_t len)
{
	EVP_PKEY_CTX *ctx = rsa_ctx(X509_get0_pubkey(c->x), false);
	u8 d[32];
	bool ok;

	sha256(msg, n, d);
	ok = EVP_PKEY_verify(ctx, sig, len, d, sizeof(d)) == 1;
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

void pki_security(const struct group *g, const void *msg, size_t n,
		  struct buf *sec)
{
	buf_u8(sec, 1);
	buf_put(sec, g->pki->own, 32);
	sign_into(g, msg, n, sec);
}

/*
 * Security data (format 1, signer, be16 length, signature) of the form
 * records.rst gives: the signer's certificate if it is known and the
 * signature over SHA-256(@msg) verifies with its key, else NULL.
 */
static const struct cert *security_check(const struct group *g,
					 const void *msg, size_t n,
					 const u8 *sec, size_t len)
{
	const struct cert *c;
	size_t siglen;

	if (len < 35 || sec[0] != 1)
		return NULL;
	siglen = get_be(sec + 33, 2);
	if (len != 35 + siglen || siglen < W_PKI_SIG_MIN || siglen > W_PKI_SIG_MAX)
		return NULL;
	c = cert_find(g->pki, sec + 1);
	if (!c || !verifies(c, msg, n, sec + 35, siglen))
		return NULL;
	return c;
}

/*
 * A record's security data under records.rst's rules: signer known, its
 * subject the modifier, modification and expiration within its validity,
 * a modifier other than the creator an administrator, the signature good.
 */
bool pki_record_verifies(const struct group *g, const struct record *r,
			 const struct buf *canonical)
{
	const struct cert *c = security_check(g, canonical->p, canonical->len,
					      r->sec, r->sec_len);

	return c && !strcmp(c->cn, r->modifier) &&
	       r->modified >= c->not_before && r->modified <= c->not_after &&
	       r->expires >= c->not_before && r->expires <= c->not_after &&
	       (c->admin || !strcmp(r->creator, r->modifier));
}

/* A membership record's chain: its certificates known from now on. */
void pki_learn(const struct group *g, const struct record *r)
{
	const char *why;

	if (!pki_membership_type(r->type) || r->flags & PEERGROUP_RECORD_F_DELETED)
		return;
	if (!chain_check(g->pki, r->data, r->data_len, 0, &why))
		vlog("the membership record of %s: its chain %s", r->creator, why);
}

/* protocol.rst, "Proofs": role || th, hashed and signed; our chain. */
void pki_proof(const struct group *g, const char *role, const u8 th[32],
	       struct buf *b)
{
	struct buf m = { };

	buf_put(&m, role, strlen(role));
	buf_put(&m, th, 32);
	sign_into(g, m.p, m.len, b);
	buf_put(b, g->pki->chain.p, g->pki->chain.len);
	buf_free(&m);
}

bool pki_proof_verifies(const struct group *g, const char *role,
			const u8 th[32], const u8 *p, size_t n,
			const char *identity, u64 now)
{
	const struct cert *c;
	struct buf m = { };
	const char *why;
	size_t siglen;
	bool ok;

	if (n < 2 || n < 2 + (siglen = get_be(p, 2)) ||
	    siglen < W_PKI_SIG_MIN || siglen > W_PKI_SIG_MAX) {
		fprintf(stderr, "%s: a pki proof of %zu bytes: no signature\n", prog, n);
		return false;
	}
	c = chain_check(g->pki, p + 2 + siglen, n - 2 - siglen, now, &why);
	if (!c) {
		fprintf(stderr, "%s: %s's chain: %s\n", prog, identity, why);
		return false;
	}
	if (strcmp(c->cn, identity)) {
		fprintf(stderr, "%s: %s's certificate is %s's\n", prog, identity, c->cn);
		return false;
	}
	buf_put(&m, role, strlen(role));
	buf_put(&m, th, 32);
	ok = verifies(c, m.p, m.len, p + 2, siglen);
	buf_free(&m);
	if (!ok)
		fprintf(stderr, "%s: %s's proof: the signature does not verify\n",
			prog, identity);
	return ok;
}

/* protocol.rst, PROPERTIES: "PGP1" || be16 length || group id || fields. */
static void props_message(const struct group *g, const u8 *fields, size_t n,
			  struct buf *m)
{
	buf_put(m, "PGP1", 4);
	buf_str16(m, g->id);
	buf_put(m, fields, n);
}

bool pki_props_verify(const struct group *g, const u8 *fields, size_t n,
		      const u8 *sig, size_t len)
{
	const struct cert *c;
	struct buf m = { };

	props_message(g, fields, n, &m);
	c = security_check(g, m.p, m.len, sig, len);
	buf_free(&m);
	return c && !memcmp(c->fp, g->pki->root, 32);
}

void pki_props_sign(const struct group *g, const u8 *fields, size_t n,
		    struct buf *sec)
{
	struct buf m = { };

	props_message(g, fields, n, &m);
	pki_security(g, m.p, m.len, sec);
	buf_free(&m);
}
