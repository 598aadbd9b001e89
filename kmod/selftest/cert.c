// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel test of the certificate parser (DEBUG builds only), run at
 * module load:
 *  - certificates made by openssl (cert_vectors.h, which says how), every
 *    field against what openssl prints about them;
 *  - variants of them that break one rule each (or keep to the rules in
 *    another way), each with the reason it must be refused for: bytes
 *    replaced, inserted or removed, the lengths around them re-encoded, so
 *    that only the rule under test is broken;
 *  - every truncation, and a deterministic run of random mutations, for
 *    which the parser must only return: with a reason, or with every byte
 *    range inside the buffer.
 * Every input is in a buffer of its exact size, for KASAN to see a read
 * past it.
 */
#ifdef DEBUG

#include "cert_vectors.h"

#include <linux/slab.h>

/* cert_vectors[], in its order. */
enum { ROOT2048, BOB4096, ROOT4096, DAVE2048 };

#define WHY_TRUNCATED	"certificate: not a DER SEQUENCE, or truncated"
#define WHY_VERSION	"certificate: not an X.509 version 3 certificate"
#define WHY_SERIAL	"certificate: the serial number is not positive, or over 20 bytes"
#define WHY_SIG_ALG	"certificate: the signature algorithm is not sha256WithRSAEncryption"
#define WHY_ISSUER	"certificate: the issuer is not one common name"
#define WHY_SUBJECT	"certificate: the subject is not one common name"
#define WHY_SUBJECT_ID	"certificate: the subject's common name is not a valid identity"
#define WHY_VALIDITY	"certificate: malformed validity"
#define WHY_NOT_RSA	"certificate: the public key is not an RSA key"
#define WHY_RSA_KEY	"certificate: malformed RSA public key"
#define WHY_KEY_BITS	"certificate: the RSA key is not of 2048 to 4096 bits"
#define WHY_EXTENSION	"certificate: malformed extension"
#define WHY_BASIC	"certificate: malformed basic constraints"
#define WHY_UNIQUE_ID	"certificate: unique identifiers are not allowed"
#define WHY_SIGNATURE	"certificate: malformed signature"

/* The size of a DER header for contents of @len bytes. */
static u32 cert_header_len(u32 len)
{
	return len < 0x80 ? 2 : len < 0x100 ? 3 : len < 0x10000 ? 4 : 5;
}

static void cert_header(struct pg_wr *w, u8 tag, u32 len)
{
	unsigned int n = cert_header_len(len) - 2;

	pg_wr_be(w, tag, 1);
	if (n)
		pg_wr_be(w, 0x80 | n, 1);
	pg_wr_be(w, len, n ?: 1);
}

/* The header at @o, within @end, of DER we made: false if it is not. */
static bool cert_read_header(const u8 *der, u32 end, u32 o, u32 *hl, u32 *l)
{
	unsigned int n;

	if (o + 2 > end)
		return false;
	*hl = 2;
	*l = der[o + 1];
	if (*l & 0x80) {
		n = *l & 0x7f;
		if (n > 3 || o + 2 + n > end)
			return false;
		*l = pg_get_be(der + o + 2, n);
		*hl += n;
	}
	return *l <= end - o - *hl;
}

#define CERT_DEPTH_MAX 8

/*
 * @der with the @del bytes at @at replaced by the @n at @ins, the lengths
 * of the @depth elements around them (the certificate's first, then the
 * next inside it, ...) re-encoded to match: in a buffer of exactly its
 * size, @out_len bytes, or NULL.
 */
static u8 *cert_splice(const u8 *der, u32 len, u32 at, u32 del,
		       const u8 *ins, u32 n, unsigned int depth, u32 *out_len)
{
	u32 o[CERT_DEPTH_MAX], hl[CERT_DEPTH_MAX], l[CERT_DEPTH_MAX];
	u32 start = 0, end = len, cur = 0;
	s64 grow = (s64)n - del;
	struct pg_wr w;
	unsigned int i;
	u8 *buf;

	if (depth > CERT_DEPTH_MAX || at > len || del > len - at)
		return NULL;
	for (i = 0; i < depth; i++) {
		/* The element among [start, end) around the spliced bytes. */
		for (o[i] = start; ; o[i] += hl[i] + l[i]) {
			if (!cert_read_header(der, end, o[i], &hl[i], &l[i]))
				return NULL;
			if (o[i] + hl[i] <= at && at + del <= o[i] + hl[i] + l[i])
				break;
		}
		/* A BIT STRING's contents start after its unused-bits byte. */
		start = o[i] + hl[i] + (der[o[i]] == PG_DER_BIT_STRING);
		end = o[i] + hl[i] + l[i];
	}
	/* Inside out: each grows by what its contents grow, and its header. */
	for (i = depth; i--; ) {
		if ((s64)l[i] + grow < 0)
			return NULL;
		l[i] += grow;
		grow += (s64)cert_header_len(l[i]) - hl[i];
	}
	*out_len = len + grow;
	buf = kmalloc(*out_len, GFP_KERNEL);
	if (!buf)
		return NULL;
	w = (struct pg_wr){ .p = buf, .left = *out_len };
	for (i = 0; i < depth; i++) {
		pg_wr_mem(&w, der + cur, o[i] - cur);
		cert_header(&w, der[o[i]], l[i]);
		cur = o[i] + hl[i];
	}
	pg_wr_mem(&w, der + cur, at - cur);
	pg_wr_mem(&w, ins, n);
	pg_wr_mem(&w, der + at + del, len - at - del);
	if (w.bad || w.left) {
		kfree(buf);
		return NULL;
	}
	return buf;
}

/* One change to a certificate. */
struct cert_edit {
	/*
	 * Where: the @nth (from 0) place of the @find_len bytes at @find, or
	 * with none, the start (@at from 0) or the end (@at from -1)...
	 */
	const char *find;
	u32 find_len;
	unsigned int nth;
	int at;			/* ... plus @at */
	u32 del;		/* @del bytes there become @ins */
	const char *ins;
	u32 ins_len;
	unsigned int depth;	/* the lengths around them to re-encode */
};

#define EDIT(f, n, a, d, i, dep) \
	{ f, sizeof(f) - 1, n, a, d, i, sizeof(i) - 1, dep }

struct cert_case {
	const char *what;
	unsigned int vec;
	struct cert_edit e[2];	/* one or two, in order */
	const char *why;	/* NULL: it parses, and admin is: */
	bool admin;
};

/* Patterns: OIDs with their tag and length, headers seen in the vectors. */
#define SHA256_RSA	"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b"
#define RSA_ENC		"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01"
#define CN		"\x06\x03\x55\x04\x03"
#define BASIC		"\x06\x03\x55\x1d\x13"
#define SKID		"\x06\x03\x55\x1d\x0e"
#define VERSION_3	"\xa0\x03\x02\x01\x02"
#define EXPONENT	"\x02\x03\x01\x00\x01"	/* 65537, the SPKI's end */
#define SERIAL		13			/* every vector's */

static const struct cert_case cert_cases[] = {
	{ "version 2", BOB4096, { EDIT(VERSION_3, 0, 4, 1, "\x01", 0) },
	  WHY_VERSION },
	{ "version 1, encoded", BOB4096,
	  { EDIT(VERSION_3, 0, 4, 1, "\x00", 0) }, WHY_VERSION },
	{ "version 1, the default", BOB4096,
	  { EDIT(VERSION_3, 0, 0, 5, "", 2) }, WHY_VERSION },
	{ "version in two bytes", BOB4096,
	  { EDIT(VERSION_3, 0, 4, 0, "\x00", 4) }, WHY_VERSION },
	{ "serial number 0", ROOT2048,
	  { EDIT("", 0, SERIAL, 22, "\x02\x01\x00", 2) }, WHY_SERIAL },
	{ "negative serial number", ROOT2048,
	  { EDIT("", 0, SERIAL + 2, 1, "\x80", 0) }, WHY_SERIAL },
	{ "serial number of 21 bytes", ROOT2048,
	  { EDIT("", 0, SERIAL + 2, 0, "\x11", 3) }, WHY_SERIAL },
	{ "serial number of 20 bytes from 0x80: 21 encoded", ROOT2048,
	  { EDIT("", 0, SERIAL + 2, 1, "\x00\x80", 3) }, WHY_SERIAL },
	{ "serial number with a needless zero byte", DAVE2048,
	  { EDIT("", 0, SERIAL + 2, 0, "\x00", 3) }, WHY_SERIAL },
	{ "signed with sha384WithRSAEncryption", BOB4096,
	  { EDIT(SHA256_RSA, 0, 10, 1, "\x0c", 0),
	    EDIT(SHA256_RSA, 0, 10, 1, "\x0c", 0) }, WHY_SIG_ALG },
	{ "signature algorithm not NULL parameters", BOB4096,
	  { EDIT(SHA256_RSA, 0, 11, 1, "\x04", 0) }, WHY_SIG_ALG },
	{ "outer signature algorithm sha384WithRSAEncryption", BOB4096,
	  { EDIT(SHA256_RSA, 1, 10, 1, "\x0c", 0) }, WHY_SIG_ALG },
	{ "outer signature algorithm without parameters", BOB4096,
	  { EDIT(SHA256_RSA, 1, 11, 2, "", 2) },
	  "certificate: the signature algorithm differs from the signed one" },
	{ "both signature algorithms without parameters", DAVE2048,
	  { EDIT(SHA256_RSA, 0, 11, 2, "", 3),
	    EDIT(SHA256_RSA, 1, 11, 2, "", 2) }, NULL, false },
	{ "issuer not a common name", BOB4096,
	  { EDIT(CN, 0, 4, 1, "\x0a", 0) }, WHY_ISSUER },
	{ "issuer's common name one letter", ROOT2048,
	  { EDIT(CN, 0, 7, 16, "", 6) },
	  "certificate: the issuer's common name is not a valid identity" },
	{ "subject not a common name", BOB4096,
	  { EDIT(CN, 1, 4, 1, "\x0a", 0) }, WHY_SUBJECT },
	{ "subject a PrintableString with '@'", BOB4096,
	  { EDIT(CN, 1, 5, 1, "\x13", 0) }, WHY_SUBJECT },
	{ "subject a PrintableString", ROOT4096,
	  { EDIT(CN, 1, 5, 1, "\x13", 0) }, NULL, true },
	{ "subject an IA5String", BOB4096,
	  { EDIT(CN, 1, 5, 1, "\x16", 0) }, NULL, false },
	{ "subject a BMPString", BOB4096,
	  { EDIT(CN, 1, 5, 1, "\x1e", 0) }, WHY_SUBJECT },
	{ "subject with a space", BOB4096,
	  { EDIT(CN, 1, 10, 1, " ", 0) }, WHY_SUBJECT_ID },
	{ "subject with a NUL", BOB4096,
	  { EDIT(CN, 1, 10, 1, "\x00", 0) }, WHY_SUBJECT_ID },
	{ "subject with a byte from 0x80", BOB4096,
	  { EDIT(CN, 1, 10, 1, "\xc3", 0) }, WHY_SUBJECT_ID },
	{ "notBefore in month 13", BOB4096,
	  { EDIT("\x17\x0d", 0, 4, 2, "13", 0) }, WHY_VALIDITY },
	{ "notBefore on February 30", BOB4096,
	  { EDIT("\x17\x0d", 0, 4, 4, "0230", 0) }, WHY_VALIDITY },
	{ "notBefore at hour 24", BOB4096,
	  { EDIT("\x17\x0d", 0, 8, 2, "24", 0) }, WHY_VALIDITY },
	{ "notAfter without Z", BOB4096,
	  { EDIT("\x17\x0d", 1, 14, 1, "0", 0) }, WHY_VALIDITY },
	{ "notAfter a GeneralizedTime in 2049", ROOT2048,
	  { EDIT("\x18\x0f", 0, 2, 4, "2049", 0) }, WHY_VALIDITY },
	{ "notAfter a UTCTime tagged GeneralizedTime", BOB4096,
	  { EDIT("\x17\x0d", 1, 0, 1, "\x18", 0) }, WHY_VALIDITY },
	{ "notBefore after notAfter", BOB4096,
	  { EDIT("\x17\x0d", 0, 2, 2, "28", 0) },
	  "certificate: the validity ends before it begins" },
	{ "notBefore equal to notAfter", BOB4096,
	  { EDIT("\x17\x0d", 1, 2, 2, "26", 0) }, NULL, false },
	{ "key not rsaEncryption", BOB4096,
	  { EDIT(RSA_ENC, 0, 10, 1, "\x0a", 0) }, WHY_NOT_RSA },
	{ "key's algorithm without parameters", BOB4096,
	  { EDIT(RSA_ENC, 0, 11, 2, "", 4) }, WHY_NOT_RSA },
	{ "key of 4097 bits", ROOT4096,
	  { EDIT("\x02\x82\x02\x01\x00", 0, 4, 1, "\x01", 0) }, WHY_KEY_BITS },
	{ "key of 2047 bits", ROOT2048,
	  { EDIT("\x02\x82\x01\x01\x00", 0, 4, 2, "\x7f", 6) }, WHY_KEY_BITS },
	{ "key's BIT STRING with unused bits", ROOT2048,
	  { EDIT("\x03\x82\x01\x0f\x00", 0, 4, 1, "\x01", 0) },
	  "certificate: malformed public key" },
	{ "even exponent", BOB4096,
	  { EDIT(EXPONENT, 0, 4, 1, "\x02", 0) }, WHY_RSA_KEY },
	{ "exponent 1", BOB4096,
	  { EDIT(EXPONENT, 0, 1, 4, "\x01\x01", 5) }, WHY_RSA_KEY },
	{ "exponent of more than 64 bits", BOB4096,
	  { EDIT(EXPONENT, 0, 2, 0, "\x01\x00\x00\x00\x00\x00\x00", 6) },
	  WHY_RSA_KEY },
	{ "bytes after the RSAPublicKey", BOB4096,
	  { EDIT(EXPONENT, 0, 5, 0, "\x05\x00", 4) }, WHY_RSA_KEY },
	{ "an issuerUniqueID", BOB4096,
	  { EDIT(EXPONENT, 0, 5, 0, "\x81\x02\x00\xaa", 2) }, WHY_UNIQUE_ID },
	{ "a subjectUniqueID", DAVE2048,
	  { EDIT(EXPONENT, 0, 5, 0, "\x82\x02\x00\xaa", 2) }, WHY_UNIQUE_ID },
	{ "bytes after the extensions", BOB4096,
	  { EDIT(SHA256_RSA, 1, -2, 0, "\x05\x00", 2) },
	  "certificate: unexpected data after the public key or extensions" },
	{ "extensions in [4]", ROOT2048,
	  { EDIT("\xa3\x32\x30\x30", 0, 0, 1, "\xa4", 0) },
	  "certificate: unexpected data after the public key or extensions" },
	{ "no extensions", ROOT2048,
	  { EDIT("\xa3\x32\x30\x30", 0, 0, 52, "", 2) }, NULL, false },
	{ "an empty list of extensions", ROOT2048,
	  { EDIT(BASIC, 0, -2, 17, "", 4), EDIT(SKID, 0, -2, 31, "", 4) },
	  "certificate: malformed extensions" },
	{ "an unknown critical extension", ROOT2048,
	  { EDIT(BASIC, 0, 4, 1, "\x63", 0) },
	  "certificate: an unknown extension is critical" },
	{ "an unknown non-critical extension", DAVE2048,
	  { EDIT(SKID, 0, 4, 1, "\x7e", 0) }, NULL, false },
	{ "an extension twice", BOB4096,
	  { EDIT(SKID, 0, 4, 1, "\x23", 0) },
	  "certificate: an extension appears twice" },
	{ "critical FALSE encoded", BOB4096,
	  { EDIT(BASIC, 0, 5, 0, "\x01\x01\x00", 5) }, WHY_EXTENSION },
	{ "critical TRUE as BER has it", ROOT2048,
	  { EDIT(BASIC, 0, 7, 1, "\x01", 0) }, WHY_EXTENSION },
	{ "extension value not an OCTET STRING", ROOT2048,
	  { EDIT(SKID, 0, 5, 1, "\x03", 0) }, WHY_EXTENSION },
	{ "no basic constraints", ROOT2048,
	  { EDIT(BASIC, 0, -2, 17, "", 4) }, NULL, false },
	{ "cA FALSE encoded", BOB4096,
	  { EDIT(BASIC, 0, 9, 0, "\x01\x01\x00", 7) }, WHY_BASIC },
	{ "cA TRUE", BOB4096,
	  { EDIT(BASIC, 0, 9, 0, "\x01\x01\xff", 7) }, NULL, true },
	{ "a path length", ROOT2048,
	  { EDIT(BASIC, 0, 15, 0, "\x02\x01\x00", 7) }, NULL, true },
	{ "a negative path length", ROOT2048,
	  { EDIT(BASIC, 0, 15, 0, "\x02\x01\xff", 7) }, WHY_BASIC },
	{ "bytes after the basic constraints", BOB4096,
	  { EDIT(BASIC, 0, 9, 0, "\x05\x00", 6) }, WHY_BASIC },
	{ "truncated by a byte", BOB4096,
	  { EDIT("", 0, -2, 1, "", 0) }, WHY_TRUNCATED },
	{ "a byte after the end", BOB4096,
	  { EDIT("", 0, -1, 0, "\x00", 0) },
	  "certificate: bytes after its end" },
	{ "length in more bytes than it needs", BOB4096,
	  { EDIT("", 0, 1, 1, "\x83\x00", 0) }, WHY_TRUNCATED },
	{ "indefinite length", BOB4096,
	  { EDIT("", 0, 1, 3, "\x80", 0), EDIT("", 0, -1, 0, "\x00\x00", 0) },
	  WHY_TRUNCATED },
	{ "tbsCertificate's length in more bytes than it needs", BOB4096,
	  { EDIT("", 0, 5, 1, "\x83\x00", 1) },
	  "certificate: malformed tbsCertificate" },
	{ "signature with unused bits", ROOT2048,
	  { EDIT("\x03\x82\x01\x01\x00", 0, 4, 1, "\x07", 0) }, WHY_SIGNATURE },
	{ "no signature", ROOT2048,
	  { EDIT("\x03\x82\x01\x01\x00", 0, 0, 261, "\x03\x01\x00", 1) },
	  WHY_SIGNATURE },
	{ "bytes after the signature", ROOT2048,
	  { EDIT("", 0, -1, 0, "\x05\x00", 1) }, WHY_SIGNATURE },
};

/* Whether @p, @n bytes, is within @buf, @len bytes. */
static bool cert_within(const u8 *p, u32 n, const u8 *buf, u32 len)
{
	return p && p >= buf && p <= buf + len && n <= (size_t)(buf + len - p);
}

/* What any certificate that parsed has. */
static bool cert_sane(const struct pg_cert *c, const u8 *buf, u32 len)
{
	return c->der == buf && c->der_len == len &&
	       cert_within(c->tbs, c->tbs_len, buf, len) &&
	       cert_within(c->serial, c->serial_len, c->tbs, c->tbs_len) &&
	       cert_within(c->spki, c->spki_len, c->tbs, c->tbs_len) &&
	       cert_within(c->rsa_key, c->rsa_key_len, c->spki, c->spki_len) &&
	       cert_within(c->sig, c->sig_len, buf, len) &&
	       c->serial_len && c->sig_len &&
	       pg_identity_valid(c->issuer) && pg_identity_valid(c->subject) &&
	       c->not_before <= c->not_after &&
	       c->key_bits >= PG_CERT_RSA_BITS_MIN &&
	       c->key_bits <= PG_CERT_RSA_BITS_MAX;
}

/*
 * Parses the @len bytes at @buf: true if it gave @why (NULL: parsed), and
 * kept to the contract either way.
 */
static bool cert_try(const u8 *buf, u32 len, struct pg_cert *c,
		     const char *why)
{
	const char *got;
	int ret;

	ret = pg_cert_parse(buf, len, c, &got);
	if (ret)
		return why && got && !strcmp(got, why) && ret == -EINVAL &&
		       !c->der;
	return !why && !got && cert_sane(c, buf, len);
}

static bool cert_range(const u8 *p, u32 n, const u8 *buf, const u32 want[2])
{
	return p == buf + want[0] && n == want[1];
}

static bool cert_check_vector(const struct cert_vector *v, struct pg_cert *c)
{
	u8 *buf = kmemdup(v->der, v->len, GFP_KERNEL);
	const char *wrong = NULL;

	if (!buf)
		return false;
	if (!cert_try(buf, v->len, c, NULL))
		wrong = "parse";
	else if (c->serial_len != v->serial_len ||
		 memcmp(c->serial, v->serial, v->serial_len))
		wrong = "serial number";
	else if (strcmp(c->issuer, v->issuer))
		wrong = "issuer";
	else if (strcmp(c->subject, v->subject))
		wrong = "subject";
	else if (c->not_before != v->not_before ||
		 c->not_after != v->not_after)
		wrong = "validity";
	else if (c->key_bits != v->key_bits)
		wrong = "key size";
	else if (c->admin != v->admin)
		wrong = "role";
	else if (memcmp(c->fingerprint, v->fingerprint, SHA256_DIGEST_SIZE))
		wrong = "fingerprint";
	else if (!cert_range(c->tbs, c->tbs_len, buf, v->tbs) ||
		 !cert_range(c->spki, c->spki_len, buf, v->spki) ||
		 !cert_range(c->rsa_key, c->rsa_key_len, buf, v->rsa_key) ||
		 !cert_range(c->sig, c->sig_len, buf, v->sig))
		wrong = "byte ranges";
	kfree(buf);
	if (wrong)
		pr_err("cert selftest: %s: wrong %s\n", v->name, wrong);
	return !wrong;
}

/* The place an edit names in @der, or false. */
static bool cert_find(const u8 *der, u32 len, const struct cert_edit *e,
		      u32 *at)
{
	unsigned int nth = e->nth;
	s64 pos = -1;
	u32 i;

	if (!e->find_len)
		pos = e->at >= 0 ? e->at : (s64)len + 1 + e->at;
	for (i = 0; e->find_len && i + e->find_len <= len; i++) {
		if (!memcmp(der + i, e->find, e->find_len) && !nth--) {
			pos = (s64)i + e->at;
			break;
		}
	}
	*at = pos;
	return pos >= 0 && pos <= len;
}

static bool cert_run_case(const struct cert_case *k, struct pg_cert *c)
{
	const struct cert_vector *v = &cert_vectors[k->vec];
	u8 *buf = kmemdup(v->der, v->len, GFP_KERNEL), *next;
	const struct cert_edit *e;
	u32 len = v->len, at;
	unsigned int i;
	bool ok;

	for (i = 0; buf && i < ARRAY_SIZE(k->e) && k->e[i].find; i++) {
		e = &k->e[i];
		next = NULL;
		if (cert_find(buf, len, e, &at))
			next = cert_splice(buf, len, at, e->del, e->ins,
					   e->ins_len, e->depth, &len);
		kfree(buf);
		buf = next;
	}
	if (!buf) {
		pr_err("cert selftest: %s: the edit does not apply\n", k->what);
		return false;
	}
	ok = cert_try(buf, len, c, k->why) && (k->why || c->admin == k->admin);
	kfree(buf);
	if (!ok)
		pr_err("cert selftest: %s: not %s\n", k->what,
		       k->why ?: "parsed");
	return ok;
}

/* A subject Name of @rdns RDNs of @atvs attributes each. */
struct cert_name_case {
	const char *what;
	unsigned int rdns;
	unsigned int atvs;
	u8 type;		/* 2.5.4.@type: 3 is the common name */
	u32 len;		/* of each value, a UTF8String of 'x' */
	const char *why;
};

static const struct cert_name_case cert_name_cases[] = {
	{ "a common name", 1, 1, 3, 16, NULL },
	{ "a common name of 255 bytes", 1, 1, 3, 255, NULL },
	{ "a common name of 256 bytes", 1, 1, 3, 256, WHY_SUBJECT_ID },
	{ "a common name of 1000 bytes", 1, 1, 3, 1000, WHY_SUBJECT_ID },
	{ "a common name of 1 byte", 1, 1, 3, 1, WHY_SUBJECT_ID },
	{ "no RDN", 0, 1, 3, 8, WHY_SUBJECT },
	{ "an empty RDN", 1, 0, 3, 8, WHY_SUBJECT },
	{ "two RDNs", 2, 1, 3, 8, WHY_SUBJECT },
	{ "two common names in an RDN", 1, 2, 3, 8, WHY_SUBJECT },
	{ "an organization", 1, 1, 10, 8, WHY_SUBJECT },
};

static u32 cert_name(u8 *buf, u32 size, const struct cert_name_case *k)
{
	u32 value = cert_header_len(k->len) + k->len;
	u32 atv = cert_header_len(5 + value) + 5 + value;
	u32 rdn = cert_header_len(k->atvs * atv) + k->atvs * atv;
	const u8 oid[] = { PG_DER_OID, 3, 0x55, 0x04, k->type };
	struct pg_wr w = { .p = buf, .left = size };
	unsigned int i, j;
	u8 *p;

	cert_header(&w, PG_DER_SEQUENCE, k->rdns * rdn);
	for (i = 0; i < k->rdns; i++) {
		cert_header(&w, PG_DER_SET, k->atvs * atv);
		for (j = 0; j < k->atvs; j++) {
			cert_header(&w, PG_DER_SEQUENCE, 5 + value);
			pg_wr_mem(&w, oid, sizeof(oid));
			cert_header(&w, PG_DER_UTF8_STRING, k->len);
			p = pg_wr_bytes(&w, k->len);
			if (p)
				memset(p, 'x', k->len);
		}
	}
	return w.bad ? 0 : size - w.left;
}

/* bob4096 with its subject replaced by @k's Name. */
static bool cert_run_name(const struct cert_name_case *k, struct pg_cert *c)
{
	const struct cert_vector *v = &cert_vectors[BOB4096];
	struct cert_edit cn = EDIT(CN, 1, -6, 0, "", 0);
	u8 *name = kmalloc(2048, GFP_KERNEL), *buf = NULL;
	u32 at, n, len;
	bool ok;

	n = name ? cert_name(name, 2048, k) : 0;
	/* The subject's Name: its lengths in one byte each. */
	if (n && cert_find(v->der, v->len, &cn, &at))
		buf = cert_splice(v->der, v->len, at, 2 + v->der[at + 1], name,
				  n, 2, &len);
	kfree(name);
	if (!buf) {
		pr_err("cert selftest: %s: no certificate\n", k->what);
		return false;
	}
	ok = cert_try(buf, len, c, k->why) &&
	     (k->why || (strlen(c->subject) == k->len &&
			 strspn(c->subject, "x") == k->len));
	kfree(buf);
	if (!ok)
		pr_err("cert selftest: %s: not %s\n", k->what,
		       k->why ?: "parsed");
	return ok;
}

/*
 * root2048 with @n more non-critical extensions, 1.2.3.1 to 1.2.3.n,
 * before its basic constraints: its 2 and 14 are the most it may have.
 */
static bool cert_run_many(unsigned int n, struct pg_cert *c)
{
	const struct cert_vector *v = &cert_vectors[ROOT2048];
	struct cert_edit basic = EDIT(BASIC, 0, -2, 0, "", 0);
	const char *why = n > 14 ? "certificate: more than 16 extensions" :
			  NULL;
	struct pg_wr w;
	u8 exts[32 * 9], *buf = NULL;
	unsigned int i;
	u32 at, len;
	bool ok;

	w = (struct pg_wr){ .p = exts, .left = sizeof(exts) };
	for (i = 1; i <= n; i++) {
		cert_header(&w, PG_DER_SEQUENCE, 7);
		pg_wr_mem(&w, "\x06\x03\x2a\x03", 4);
		pg_wr_be(&w, i, 1);
		pg_wr_mem(&w, "\x04\x00", 2);
	}
	if (!w.bad && cert_find(v->der, v->len, &basic, &at))
		buf = cert_splice(v->der, v->len, at, 0, exts,
				  sizeof(exts) - w.left, 4, &len);
	if (!buf) {
		pr_err("cert selftest: %u extensions: no certificate\n", n);
		return false;
	}
	ok = cert_try(buf, len, c, why) && (why || c->admin);
	kfree(buf);
	if (!ok)
		pr_err("cert selftest: %u more extensions: not %s\n", n,
		       why ?: "parsed");
	return ok;
}

static u32 cert_rand(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#define CERT_MUTATIONS 5000

/*
 * Every truncation of every vector is refused; random changes only have
 * to keep the contract. Bytes replaced, inserted or removed (at random
 * depths, the lengths around them re-encoded or not), or a byte made one
 * that means much in a header. Returns the number that parsed, or -1.
 */
static int cert_mutate(struct pg_cert *c)
{
	static const u8 header_bytes[] = {
		0x00, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0xff
	};
	const struct cert_vector *v;
	u32 seed = 0x5eed1e55, r, at, len, n;
	unsigned int i, parsed = 0;
	u8 junk[4], *buf;
	const char *why;
	bool refused;

	for (i = 0; i < ARRAY_SIZE(cert_vectors); i++) {
		v = &cert_vectors[i];
		for (len = 0; len < v->len; len++) {
			buf = kmemdup(v->der, len, GFP_KERNEL);
			if (!buf)
				return -1;
			refused = cert_try(buf, len, c, WHY_TRUNCATED);
			kfree(buf);
			if (!refused) {
				pr_err("cert selftest: %s cut to %u bytes: not refused as truncated\n",
				       v->name, len);
				return -1;
			}
		}
	}
	for (i = 0; i < CERT_MUTATIONS; i++) {
		v = &cert_vectors[i % ARRAY_SIZE(cert_vectors)];
		r = cert_rand(&seed);
		at = cert_rand(&seed) % v->len;
		n = 1 + r % 4;
		pg_put_be(junk, cert_rand(&seed), sizeof(junk));
		switch ((r >> 8) & 3) {
		case 0:		/* replaced */
			n = min(n, v->len - at);
			buf = cert_splice(v->der, v->len, at, n, junk, n, 0,
					  &len);
			break;
		case 1:		/* inserted */
			buf = cert_splice(v->der, v->len, at, 0, junk, n,
					  (r >> 10) & 3, &len);
			if (!buf)
				buf = cert_splice(v->der, v->len, at, 0, junk,
						  n, 0, &len);
			break;
		case 2:		/* removed */
			n = min(n, v->len - at);
			buf = cert_splice(v->der, v->len, at, n, junk, 0,
					  (r >> 10) & 3, &len);
			if (!buf)
				buf = cert_splice(v->der, v->len, at, n, junk,
						  0, 0, &len);
			break;
		default:	/* a header's byte */
			n = (r >> 10) % ARRAY_SIZE(header_bytes);
			buf = cert_splice(v->der, v->len, at, 1,
					  &header_bytes[n], 1, 0, &len);
			break;
		}
		if (!buf)
			return -1;
		if (!pg_cert_parse(buf, len, c, &why)) {
			parsed++;
			if (!cert_sane(c, buf, len)) {
				pr_err("cert selftest: mutation %u parsed outside its bounds\n",
				       i);
				kfree(buf);
				return -1;
			}
		} else if (!why || strncmp(why, "certificate: ", 13) || c->der) {
			pr_err("cert selftest: mutation %u refused without a reason\n",
			       i);
			kfree(buf);
			return -1;
		}
		kfree(buf);
	}
	return parsed;
}

/*
 * The signatures openssl made: each member verifies with its root's key,
 * each root with its own, and nothing else does; a changed byte of the
 * signed part breaks it.
 */
static bool cert_run_signatures(void)
{
	static const struct {
		const u8 *der;
		u32 len;
	} certs[] = {
		{ cert_root2048, sizeof(cert_root2048) },
		{ cert_bob4096, sizeof(cert_bob4096) },
		{ cert_root4096, sizeof(cert_root4096) },
		{ cert_dave2048, sizeof(cert_dave2048) },
	};
	/* Who issued each: the index in certs[]. */
	static const unsigned int issuer[] = { 0, 0, 2, 2 };
	struct pg_cert *c = kcalloc(ARRAY_SIZE(certs), sizeof(*c), GFP_KERNEL);
	struct pg_cert *edited = kmalloc(sizeof(*edited), GFP_KERNEL);
	const char *why;
	unsigned int i, j;
	bool ok = c && edited, want;
	u8 *copy = NULL;
	int ret;

	for (i = 0; ok && i < ARRAY_SIZE(certs); i++)
		ok = !pg_cert_parse(certs[i].der, certs[i].len, &c[i], &why);
	for (i = 0; ok && i < ARRAY_SIZE(certs); i++) {
		for (j = 0; j < ARRAY_SIZE(certs); j++) {
			ret = pg_cert_verify(&c[i], &c[j]);
			want = issuer[i] == j;
			if (!ret == want)
				continue;
			pr_err("cert selftest: certificate %u checked with %u's key: %d\n",
			       i, j, ret);
			ok = false;
		}
	}
	/*
	 * A letter of the subject's name changed (bob becomes cob): it still
	 * parses, and no longer verifies.
	 */
	if (ok) {
		copy = kmemdup(cert_bob4096, sizeof(cert_bob4096), GFP_KERNEL);
		ok = !!copy;
	}
	for (i = 0; ok && i + 4 <= sizeof(cert_bob4096); i++)
		if (!memcmp(copy + i, "bob@", 4))
			break;
	if (ok && i + 4 <= sizeof(cert_bob4096)) {
		copy[i] = 'c';
		ret = pg_cert_parse(copy, sizeof(cert_bob4096), edited, &why) ?:
		      pg_cert_verify(edited, &c[0]);
		if (ret != -EKEYREJECTED) {
			pr_err("cert selftest: a changed subject: %d, not EKEYREJECTED\n",
			       ret);
			ok = false;
		}
	} else if (ok) {
		pr_err("cert selftest: bob4096 names no bob@\n");
		ok = false;
	}
	kfree(copy);
	kfree(edited);
	kfree(c);
	return ok;
}

bool pg_cert_selftest(void)
{
	struct pg_cert *c = kmalloc(sizeof(*c), GFP_KERNEL);
	u8 *small = kmemdup(cert_erin1024, sizeof(cert_erin1024), GFP_KERNEL);
	bool ok = true;
	unsigned int i;
	int parsed;

	if (!c || !small) {
		kfree(small);
		kfree(c);
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(cert_vectors); i++)
		ok &= cert_check_vector(&cert_vectors[i], c);
	if (!cert_try(small, sizeof(cert_erin1024), c, WHY_KEY_BITS)) {
		pr_err("cert selftest: erin1024: a 1024-bit key not refused\n");
		ok = false;
	}
	kfree(small);
	for (i = 0; i < ARRAY_SIZE(cert_cases); i++)
		ok &= cert_run_case(&cert_cases[i], c);
	for (i = 0; i < ARRAY_SIZE(cert_name_cases); i++)
		ok &= cert_run_name(&cert_name_cases[i], c);
	ok &= cert_run_many(14, c) && cert_run_many(15, c);
	ok &= cert_run_signatures();
	parsed = cert_mutate(c);
	kfree(c);
	if (parsed < 0)
		return false;
	if (ok)
		pr_info("cert selftest: pass (%zu variants, %u mutations, %d of them parsed)\n",
			ARRAY_SIZE(cert_cases) + ARRAY_SIZE(cert_name_cases) + 3,
			CERT_MUTATIONS, parsed);
	return ok;
}

#endif /* DEBUG */
