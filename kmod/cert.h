/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The X.509 v3 certificates of the pki provider, read with our own DER
 * reader (der.h): the kernel's x509 parser keeps its struct to itself. We
 * read the few fields we use and refuse, with a reason, whatever we would
 * have to guess about. Parsing checks the form only: the signature is
 * checked elsewhere, against the issuer's key.
 *
 * What a certificate must be (RFC 5280 profiles it; we narrow it further):
 *  - DER (der.h), one Certificate and nothing after it; version 3;
 *  - serial number: positive, at most 20 bytes as encoded;
 *  - signature: sha256WithRSAEncryption (1.2.840.113549.1.1.11) with NULL
 *    or no parameters, the same bytes in the tbsCertificate and around it;
 *  - issuer and subject: exactly one RDN of exactly one attribute, the
 *    common name (2.5.4.3), a UTF8String, PrintableString or IA5String
 *    that is a peergroup identity (pg_identity_valid()). A member's name in
 *    a group is the subject's common name, and there is no second way to
 *    say it: other attributes (O, OU, another CN) are refused, not ignored;
 *  - validity: UTCTime or GeneralizedTime as der.h reads them, notBefore
 *    not after notAfter;
 *  - public key: rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters,
 *    the BIT STRING exactly an RSAPublicKey (PKCS#1: modulus, exponent),
 *    the modulus of PG_CERT_RSA_BITS_MIN to PG_CERT_RSA_BITS_MAX bits, the
 *    exponent odd, from 3, at most 64 bits;
 *  - no issuerUniqueID or subjectUniqueID;
 *  - extensions, when present: at most PG_CERT_EXTENSIONS_MAX, each OID
 *    once, critical only encoded when TRUE (DER leaves a default out).
 *    basicConstraints (2.5.29.19) says the role: cA TRUE is an
 *    administrator, an absent extension or cA left out (FALSE) a member;
 *    pathLenConstraint is read and ignored. Any other extension is
 *    ignored if non-critical and refused if critical: we would not know
 *    what it asks of us.
 */
#ifndef _PG_CERT_H
#define _PG_CERT_H

#include <crypto/sha2.h>
#include <linux/peergroup.h>
#include <linux/types.h>

/* The bounds above; cert.c's reasons for refusing say these numbers. */
#define PG_CERT_RSA_BITS_MIN	2048
#define PG_CERT_RSA_BITS_MAX	4096
#define PG_CERT_SERIAL_MAX	20
#define PG_CERT_EXTENSIONS_MAX	16
/* The random serial number of a certificate pg_cert_issue() makes. */
#define PG_CERT_SERIAL_ISSUED	16

/*
 * A parsed certificate. The byte ranges point into the DER given to
 * pg_cert_parse(), which must outlive them.
 */
struct pg_cert {
	const u8 *der;		/* the whole certificate */
	u32 der_len;
	const u8 *tbs;		/* the tbsCertificate, tag and length included: */
	u32 tbs_len;		/* the bytes signed */
	const u8 *serial;	/* big-endian, no leading zero byte */
	u32 serial_len;
	char issuer[PEERGROUP_IDENTITY_MAX + 1];	/* common names, */
	char subject[PEERGROUP_IDENTITY_MAX + 1];	/* NUL-terminated */
	s64 not_before;		/* seconds since the epoch, UTC */
	s64 not_after;
	const u8 *spki;		/* the whole SubjectPublicKeyInfo */
	u32 spki_len;
	const u8 *rsa_key;	/* the RSAPublicKey (PKCS#1) in it */
	u32 rsa_key_len;
	u32 key_bits;		/* the modulus' size */
	const u8 *sig;		/* the signature's bytes */
	u32 sig_len;
	bool admin;		/* basicConstraints cA */
	u8 fingerprint[SHA256_DIGEST_SIZE];	/* SHA-256 of the DER */
};

/*
 * Reads the @len bytes of DER at @der into @c: 0, or -EINVAL with @why a
 * fixed string that says what is wrong (and @c zeroed).
 */
int pg_cert_parse(const u8 *der, u32 len, struct pg_cert *c,
		  const char **why);

/*
 * Whether @c was issued by @issuer: it names @issuer's subject as its
 * issuer, and its signature over its tbsCertificate verifies with
 * @issuer's key (sig.h). 0, or -EKEYREJECTED (or another negative errno
 * for a key or signature the kernel's RSA finds malformed). Sleeps.
 */
int pg_cert_verify(const struct pg_cert *c, const struct pg_cert *issuer);

/*
 * Reads the @len bytes at @der as a SubjectPublicKeyInfo under the rules
 * for a certificate's key (above), into @c's spki, rsa_key and key_bits:
 * 0, or -EINVAL with @why saying what is wrong.
 */
int pg_cert_parse_key(const u8 *der, u32 len, struct pg_cert *c,
		      const char **why);

/* What a certificate pg_cert_issue() makes says. */
struct pg_cert_tbs {
	const char *issuer;	/* identities (pg_identity_valid()) */
	const char *subject;
	s64 not_before;		/* seconds since the epoch, UTC, */
	s64 not_after;		/* from 1950 to 9999 */
	const u8 *spki;		/* a key pg_cert_parse_key() took */
	u32 spki_len;
	bool admin;		/* basicConstraints cA */
};

struct key;

/*
 * A certificate of the form above for @t, with a random serial number,
 * signed by @key (sig.h; @sig_len bytes of signature): its DER in *@der
 * (kmalloc'ed; the caller frees it), *@len bytes. 0, -ENOMEM, -EINVAL
 * (a time out of range), or the signature's error. Sleeps.
 */
int pg_cert_issue(const struct pg_cert_tbs *t, struct key *key, u32 sig_len,
		  u8 **der, u32 *len);

#ifdef DEBUG
/*
 * In-kernel test of the parser on certificates made by openssl, variants
 * that break each rule, and a run of random mutations.
 */
bool pg_cert_selftest(void);
#endif

#endif /* _PG_CERT_H */
