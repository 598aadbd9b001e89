// SPDX-License-Identifier: GPL-2.0
/*
 * Reading X.509 v3 certificates (cert.h), in the order RFC 5280 4.1 lays
 * them out:
 *
 *   Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm,
 *                              signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { [0] EXPLICIT version, serialNumber,
 *           signature, issuer, validity, subject, subjectPublicKeyInfo,
 *           [1] issuerUniqueID, [2] subjectUniqueID, [3] EXPLICIT extensions }
 *
 * Each step reads one field and gives the reason it is refused, or NULL.
 */
#include "cert.h"
#include "der.h"
#include "group.h"
#include "sig.h"

#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

/* The contents of the OBJECT IDENTIFIERs we know. */
static const u8 oid_common_name[] = { 0x55, 0x04, 0x03 };
static const u8 oid_basic_constraints[] = { 0x55, 0x1d, 0x13 };

static const u8 oid_rsa_encryption[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01
};

static const u8 oid_sha256_with_rsa[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b
};

static const char *read_version(struct pg_rd *tbs)
{
	struct pg_rd v;
	u64 n;

	/* v1, the default, has no [0]; DER would not encode it. */
	if (!pg_der_next(tbs, PG_DER_CONTEXT_CONS(0), &v) ||
	    !pg_der_u64(&v, &n) || !pg_der_end(&v) || n != 2)
		return "certificate: not an X.509 version 3 certificate";
	return NULL;
}

static const char *read_serial(struct pg_rd *tbs, struct pg_cert *c)
{
	struct pg_rd s;

	/* Counted as encoded: a first byte from 0x80 takes a zero before it. */
	if (!pg_der_uint(tbs, &s) || !s.left ||
	    s.left + (s.p[0] >> 7) > PG_CERT_SERIAL_MAX)
		return "certificate: the serial number is not positive, or over 20 bytes";
	c->serial = s.p;
	c->serial_len = s.left;
	return NULL;
}

/*
 * An AlgorithmIdentifier that must be sha256WithRSAEncryption: its bytes,
 * tag and length included, as @alg, for the two to be compared.
 */
static const char *read_sig_alg(struct pg_rd *d, struct pg_rd *alg)
{
	const u8 *start = d->p;
	struct pg_rd a, oid;

	if (!pg_der_next(d, PG_DER_SEQUENCE, &a) || !pg_der_oid(&a, &oid))
		return "certificate: malformed signature algorithm";
	/* RFC 4055 2.1: the parameters are NULL, or absent. */
	if (!PG_DER_OID_IS(&oid, oid_sha256_with_rsa) ||
	    (a.left && !pg_der_null(&a)) || !pg_der_end(&a))
		return "certificate: the signature algorithm is not sha256WithRSAEncryption";
	*alg = (struct pg_rd){ .p = start, .left = d->p - start };
	return NULL;
}

/* What is wrong with an issuer's or a subject's name. */
struct name_why {
	const char *form;
	const char *identity;
};

static const struct name_why issuer_why = {
	"certificate: the issuer is not one common name",
	"certificate: the issuer's common name is not a valid identity",
};

static const struct name_why subject_why = {
	"certificate: the subject is not one common name",
	"certificate: the subject's common name is not a valid identity",
};

/*
 * A Name that is one RDN of one AttributeTypeAndValue, a common name:
 * SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, string } } }, into @cn.
 */
static const char *read_name(struct pg_rd *tbs, char *cn,
			     const struct name_why *why)
{
	struct pg_rd name, rdn, atv, oid, s;

	if (!pg_der_next(tbs, PG_DER_SEQUENCE, &name) ||
	    !pg_der_next(&name, PG_DER_SET, &rdn) || !pg_der_end(&name) ||
	    !pg_der_next(&rdn, PG_DER_SEQUENCE, &atv) || !pg_der_end(&rdn) ||
	    !pg_der_oid(&atv, &oid) || !PG_DER_OID_IS(&oid, oid_common_name) ||
	    !pg_der_string(&atv, &s) || !pg_der_end(&atv))
		return why->form;
	if (s.left > PEERGROUP_IDENTITY_MAX || memchr(s.p, 0, s.left))
		return why->identity;
	memcpy(cn, s.p, s.left);
	cn[s.left] = 0;
	return pg_identity_valid(cn) ? NULL : why->identity;
}

static const char *read_validity(struct pg_rd *tbs, struct pg_cert *c)
{
	struct pg_rd v;

	if (!pg_der_next(tbs, PG_DER_SEQUENCE, &v) ||
	    !pg_der_time(&v, &c->not_before) ||
	    !pg_der_time(&v, &c->not_after) || !pg_der_end(&v))
		return "certificate: malformed validity";
	if (c->not_before > c->not_after)
		return "certificate: the validity ends before it begins";
	return NULL;
}

/* What is wrong with a public key: in a certificate, or given alone. */
struct key_why {
	const char *form;
	const char *not_rsa;
	const char *rsa_form;
	const char *bits;
};

static const struct key_why cert_key_why = {
	"certificate: malformed public key",
	"certificate: the public key is not an RSA key",
	"certificate: malformed RSA public key",
	"certificate: the RSA key is not of 2048 to 4096 bits",
};

static const struct key_why spki_why = {
	"public key: not a DER SubjectPublicKeyInfo, or truncated",
	"public key: not an RSA key",
	"public key: malformed RSA public key",
	"public key: the RSA key is not of 2048 to 4096 bits",
};

/*
 * SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING },
 * the BIT STRING an RSAPublicKey ::= SEQUENCE { modulus, publicExponent }.
 */
static const char *read_key(struct pg_rd *tbs, struct pg_cert *c,
			    const struct key_why *why)
{
	struct pg_rd spki, alg, oid, bits, key, n;
	const u8 *start = tbs->p;
	u64 e;

	if (!pg_der_next(tbs, PG_DER_SEQUENCE, &spki) ||
	    !pg_der_next(&spki, PG_DER_SEQUENCE, &alg) ||
	    !pg_der_oid(&alg, &oid) || !pg_der_bits(&spki, &bits) ||
	    !pg_der_end(&spki))
		return why->form;
	c->spki = start;
	c->spki_len = tbs->p - start;
	/* RFC 3279 2.3.1: the parameters are NULL. */
	if (!PG_DER_OID_IS(&oid, oid_rsa_encryption) || !pg_der_null(&alg) ||
	    !pg_der_end(&alg))
		return why->not_rsa;
	c->rsa_key = bits.p;
	c->rsa_key_len = bits.left;
	if (!pg_der_next(&bits, PG_DER_SEQUENCE, &key) || !pg_der_end(&bits) ||
	    !pg_der_uint(&key, &n) || !n.left || !pg_der_u64(&key, &e) ||
	    !pg_der_end(&key) || e < 3 || !(e & 1))
		return why->rsa_form;
	/* Minimal and positive: the first byte is not 0. */
	c->key_bits = (n.left - 1) * 8 + fls(n.p[0]);
	if (c->key_bits < PG_CERT_RSA_BITS_MIN ||
	    c->key_bits > PG_CERT_RSA_BITS_MAX)
		return why->bits;
	return NULL;
}

/*
 * BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
 *                                 pathLenConstraint INTEGER OPTIONAL }
 */
static bool read_basic_constraints(struct pg_rd *value, bool *ca)
{
	struct pg_rd bc, path_len;

	*ca = false;
	if (!pg_der_next(value, PG_DER_SEQUENCE, &bc) || !pg_der_end(value))
		return false;
	/* FALSE is the default: DER leaves it out. */
	if (pg_der_peek(&bc) == PG_DER_BOOLEAN &&
	    (!pg_der_bool(&bc, ca) || !*ca))
		return false;
	if (pg_der_peek(&bc) == PG_DER_INTEGER)
		pg_der_uint(&bc, &path_len);
	return pg_der_end(&bc);
}

/*
 * [3] EXPLICIT SEQUENCE SIZE (1..MAX) OF
 *   Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 *                            extnValue OCTET STRING }
 */
static const char *read_extensions(struct pg_rd *tbs, struct pg_cert *c)
{
	struct pg_rd wrap, exts, ext, oid, value;
	struct pg_rd seen[PG_CERT_EXTENSIONS_MAX];
	unsigned int n = 0, i;
	bool critical;

	if (!pg_der_next(tbs, PG_DER_CONTEXT_CONS(3), &wrap) ||
	    !pg_der_next(&wrap, PG_DER_SEQUENCE, &exts) ||
	    !pg_der_end(&wrap) || !exts.left)
		return "certificate: malformed extensions";
	while (exts.left) {
		critical = false;
		if (!pg_der_next(&exts, PG_DER_SEQUENCE, &ext) ||
		    !pg_der_oid(&ext, &oid) ||
		    (pg_der_peek(&ext) == PG_DER_BOOLEAN &&
		     (!pg_der_bool(&ext, &critical) || !critical)) ||
		    !pg_der_next(&ext, PG_DER_OCTET_STRING, &value) ||
		    !pg_der_end(&ext))
			return "certificate: malformed extension";
		if (n == ARRAY_SIZE(seen))
			return "certificate: more than 16 extensions";
		for (i = 0; i < n; i++)
			if (pg_der_oid_is(&oid, seen[i].p, seen[i].left))
				return "certificate: an extension appears twice";
		seen[n++] = oid;
		if (PG_DER_OID_IS(&oid, oid_basic_constraints)) {
			if (!read_basic_constraints(&value, &c->admin))
				return "certificate: malformed basic constraints";
		} else if (critical) {
			return "certificate: an unknown extension is critical";
		}
	}
	return NULL;
}

static const char *read_tbs(struct pg_rd *tbs, struct pg_cert *c,
			    struct pg_rd *alg)
{
	const char *why;
	u8 tag;

	why = read_version(tbs);
	if (!why)
		why = read_serial(tbs, c);
	if (!why)
		why = read_sig_alg(tbs, alg);
	if (!why)
		why = read_name(tbs, c->issuer, &issuer_why);
	if (!why)
		why = read_validity(tbs, c);
	if (!why)
		why = read_name(tbs, c->subject, &subject_why);
	if (!why)
		why = read_key(tbs, c, &cert_key_why);
	if (why)
		return why;
	tag = pg_der_peek(tbs) & ~0x20;
	if (tag == PG_DER_CONTEXT(1) || tag == PG_DER_CONTEXT(2))
		return "certificate: unique identifiers are not allowed";
	if (pg_der_peek(tbs) == PG_DER_CONTEXT_CONS(3)) {
		why = read_extensions(tbs, c);
		if (why)
			return why;
	}
	if (!pg_der_end(tbs))
		return "certificate: unexpected data after the public key or extensions";
	return NULL;
}

static const char *read_cert(const u8 *der, u32 len, struct pg_cert *c)
{
	struct pg_rd d = { .p = der, .left = len }, cert, tbs, alg, tbs_alg;
	struct pg_rd sig;
	const char *why;

	if (!pg_der_next(&d, PG_DER_SEQUENCE, &cert))
		return "certificate: not a DER SEQUENCE, or truncated";
	if (!pg_der_end(&d))
		return "certificate: bytes after its end";
	c->der = der;
	c->der_len = len;
	c->tbs = cert.p;
	if (!pg_der_next(&cert, PG_DER_SEQUENCE, &tbs))
		return "certificate: malformed tbsCertificate";
	c->tbs_len = cert.p - c->tbs;
	why = read_tbs(&tbs, c, &tbs_alg);
	if (!why)
		why = read_sig_alg(&cert, &alg);
	if (why)
		return why;
	if (alg.left != tbs_alg.left || memcmp(alg.p, tbs_alg.p, alg.left))
		return "certificate: the signature algorithm differs from the signed one";
	if (!pg_der_bits(&cert, &sig) || !sig.left || !pg_der_end(&cert))
		return "certificate: malformed signature";
	c->sig = sig.p;
	c->sig_len = sig.left;
	return NULL;
}

int pg_cert_parse(const u8 *der, u32 len, struct pg_cert *c,
		  const char **why)
{
	memset(c, 0, sizeof(*c));
	*why = read_cert(der, len, c);
	if (*why) {
		memset(c, 0, sizeof(*c));
		return -EINVAL;
	}
	sha256(der, len, c->fingerprint);
	return 0;
}

int pg_cert_verify(const struct pg_cert *c, const struct pg_cert *issuer)
{
	u8 digest[SHA256_DIGEST_SIZE];

	if (strcmp(c->issuer, issuer->subject))
		return -EKEYREJECTED;
	sha256(c->tbs, c->tbs_len, digest);
	return pg_sig_verify(issuer->rsa_key, issuer->rsa_key_len, digest,
			     c->sig, c->sig_len);
}

int pg_cert_parse_key(const u8 *der, u32 len, struct pg_cert *c,
		      const char **why)
{
	struct pg_rd d = { .p = der, .left = len };

	memset(c, 0, sizeof(*c));
	*why = read_key(&d, c, &spki_why);
	if (!*why && !pg_der_end(&d))
		*why = "public key: bytes after its end";
	return *why ? -EINVAL : 0;
}

/*
 * Writing a certificate: the same fields, in the same order, as the reader
 * above takes them; each element written contents first (der.h).
 */
static void write_name(struct pg_wr *w, const char *cn)
{
	u8 *name = pg_der_mark(w);

	pg_der_put(w, PG_DER_OID, oid_common_name, sizeof(oid_common_name));
	pg_der_put(w, PG_DER_UTF8_STRING, cn, strlen(cn));
	pg_der_wrap(w, name, PG_DER_SEQUENCE);
	pg_der_wrap(w, name, PG_DER_SET);
	pg_der_wrap(w, name, PG_DER_SEQUENCE);
}

static void write_sig_alg(struct pg_wr *w)
{
	u8 *alg = pg_der_mark(w);

	pg_der_put(w, PG_DER_OID, oid_sha256_with_rsa,
		   sizeof(oid_sha256_with_rsa));
	pg_der_put(w, PG_DER_NULL, alg, 0);
	pg_der_wrap(w, alg, PG_DER_SEQUENCE);
}

/* basicConstraints, critical: cA TRUE for an administrator. */
static void write_extensions(struct pg_wr *w, bool admin)
{
	static const u8 true_byte = 0xff;
	u8 *exts = pg_der_mark(w), *value;

	pg_der_put(w, PG_DER_OID, oid_basic_constraints,
		   sizeof(oid_basic_constraints));
	pg_der_put(w, PG_DER_BOOLEAN, &true_byte, 1);
	value = pg_der_mark(w);
	if (admin)
		pg_der_put(w, PG_DER_BOOLEAN, &true_byte, 1);
	pg_der_wrap(w, value, PG_DER_SEQUENCE);
	pg_der_wrap(w, value, PG_DER_OCTET_STRING);
	pg_der_wrap(w, exts, PG_DER_SEQUENCE);
	pg_der_wrap(w, exts, PG_DER_SEQUENCE);
	pg_der_wrap(w, exts, PG_DER_CONTEXT_CONS(3));
}

static void write_tbs(struct pg_wr *w, const struct pg_cert_tbs *t,
		      const u8 *serial, u32 serial_len)
{
	static const u8 v3 = 2;
	u8 *tbs = pg_der_mark(w), *m;

	pg_der_put_uint(w, &v3, 1);
	pg_der_wrap(w, tbs, PG_DER_CONTEXT_CONS(0));
	pg_der_put_uint(w, serial, serial_len);
	write_sig_alg(w);
	write_name(w, t->issuer);
	m = pg_der_mark(w);
	pg_der_put_time(w, t->not_before);
	pg_der_put_time(w, t->not_after);
	pg_der_wrap(w, m, PG_DER_SEQUENCE);
	write_name(w, t->subject);
	pg_wr_mem(w, t->spki, t->spki_len);
	write_extensions(w, t->admin);
	pg_der_wrap(w, tbs, PG_DER_SEQUENCE);
}

/* Room for all but the names, the key and the signature, with margin. */
#define ISSUE_FIXED	256

int pg_cert_issue(const struct pg_cert_tbs *t, struct key *key, u32 sig_len,
		  u8 **der, u32 *len)
{
	u8 serial[PG_CERT_SERIAL_ISSUED], digest[SHA256_DIGEST_SIZE];
	u32 max = ISSUE_FIXED + strlen(t->issuer) + strlen(t->subject) +
		  t->spki_len + sig_len;
	struct pg_wr w;
	u8 *buf, *sig;
	int ret;

	buf = kmalloc(max, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	w = (struct pg_wr){ .p = buf, .left = max };
	/* Positive: the top bit clear, no zero byte in front. */
	get_random_bytes(serial, sizeof(serial));
	serial[0] = (serial[0] & 0x7f) | 0x01;
	write_tbs(&w, t, serial, sizeof(serial));
	if (w.bad) {
		ret = -EINVAL;
		goto fail;
	}
	sha256(buf, w.p - buf, digest);
	write_sig_alg(&w);
	/* The signature BIT STRING: no unused bits, then its bytes. */
	sig = pg_der_mark(&w);
	pg_wr_be(&w, 0, 1);
	if (!pg_wr_bytes(&w, sig_len)) {
		ret = -EINVAL;
		goto fail;
	}
	ret = pg_sig_sign(key, sig_len, digest, sig + 1);
	if (ret)
		goto fail;
	pg_der_wrap(&w, sig, PG_DER_BIT_STRING);
	pg_der_wrap(&w, buf, PG_DER_SEQUENCE);
	/* ISSUE_FIXED holds what the bounds of cert.h let a certificate be. */
	if (WARN_ON_ONCE(w.bad)) {
		ret = -EINVAL;
		goto fail;
	}
	*der = buf;
	*len = w.p - buf;
	return 0;
fail:
	kfree(buf);
	return ret;
}

#include "selftest/cert.c"
