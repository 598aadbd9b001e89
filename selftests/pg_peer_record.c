// SPDX-License-Identifier: GPL-2.0
/*
 * pg_peer's records (records.rst): the canonical encoding, the psk
 * provider's security data (the pki provider's is in pg_peer_pki.c), the
 * id bound to its creator, the digest of protocol.rst's RECONCILE, a parser
 * that applies every rule protocol.rst gives a RECORD that parses, JSON
 * output, and tables in id order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <argon2.h>

#include "pg_peer.h"

struct kdf peer_kdf = { .time = 3, .memory = 65536, .lanes = 4 };

/* "time=N,memory=N[k|m|g],lanes=N", any of them: 0, or -1. */
int kdf_parse(const char *s, struct kdf *k)
{
	char *copy = xstrndup(s, strlen(s)), *part, *save = NULL, *end;
	unsigned long long v;
	int ret = 0;

	for (part = strtok_r(copy, ",", &save); part && !ret;
	     part = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(part, '=');

		if (!eq) {
			ret = -1;
			break;
		}
		*eq++ = 0;
		v = strtoull(eq, &end, 10);
		if (end == eq)
			ret = -1;
		else if (*end == 'k' || *end == 'K')
			end++;
		else if (*end == 'm' || *end == 'M')
			v <<= 10, end++;
		else if (*end == 'g' || *end == 'G')
			v <<= 20, end++;
		if (*end || !v || v > 0xffffffffULL)
			ret = -1;
		else if (!strcmp(part, "time"))
			k->time = v;
		else if (!strcmp(part, "memory"))
			k->memory = v;
		else if (!strcmp(part, "lanes") && v < 256)
			k->lanes = v;
		else
			ret = -1;
	}
	free(copy);
	return ret;
}

void kdf_block(const struct kdf *k, u8 out[12])
{
	memset(out, 0, 12);
	if (!k)
		return;
	out[0] = 1;		/* argon2id */
	out[1] = k->lanes;
	put_be(out + 4, k->time, 4);
	put_be(out + 8, k->memory, 4);
}

void kdf_derive(const char *password, const char *id, const struct kdf *k,
		u8 key[32])
{
	static const char salt[] = "peergroup psk v2 ";
	struct buf b = { };
	int ret;

	buf_put(&b, salt, strlen(salt));
	buf_put(&b, id, strlen(id));
	ret = argon2id_hash_raw(k->time, k->memory, k->lanes, password,
				strlen(password), b.p, b.len, key, 32);
	buf_free(&b);
	if (ret != ARGON2_OK)
		die("Argon2id t=%u m=%u p=%u: %s", k->time, k->memory, k->lanes,
		    argon2_error_message(ret));
}

void group_init(struct group *g, const char *id, const char *password)
{
	memset(g, 0, sizeof(*g));
	g->id = id;
	g->max_record_size = PEERGROUP_RECORD_SIZE_DEFAULT;
	if (!strncmp(password, "pki:", 4)) {
		pki_init(g, password);
		return;
	}
	g->kdf = peer_kdf;
	kdf_derive(password, id, &g->kdf, g->key);
	hkdf_expand(g->key, "pg1 auth", 8, g->auth, sizeof(g->auth));
	hkdf_expand(g->key, "pg1 session", 11, g->session, sizeof(g->session));
}

void id_binding(const char *identity, u8 out[8])
{
	u8 h[32];
	int i;

	sha256(identity, strlen(identity), h);
	for (i = 0; i < 8; i++)
		out[i] = h[i] ^ h[i + 8];
}

bool id_bound(const struct record *r)
{
	u8 want[8];

	id_binding(r->creator, want);
	return !memcmp(r->id, want, sizeof(want));
}

void record_canonical(const struct group *g, const struct record *r,
		      struct buf *b)
{
	u32 i;

	buf_put(b, "PGR1", 4);
	buf_str16(b, g->id);
	buf_put(b, r->id, 16);
	buf_put(b, r->type, 16);
	buf_be(b, r->version, 4);
	buf_be(b, r->flags, 4);
	buf_str16(b, r->creator);
	buf_str16(b, r->modifier);
	buf_be(b, r->created, 8);
	buf_be(b, r->modified, 8);
	buf_be(b, r->expires, 8);
	buf_be(b, r->nattrs, 4);
	for (i = 0; i < r->nattrs; i++) {
		const struct attr *a = &r->attrs[i];

		buf_str16(b, a->name);
		buf_u8(b, a->kind);
		if (a->kind == A_STR) {
			buf_be(b, a->len, 4);
			buf_put(b, a->str, a->len);
		} else {
			buf_be(b, 8, 4);
			buf_be(b, a->val, 8);
		}
	}
	buf_be(b, r->data_len, 4);
	buf_put(b, r->data, r->data_len);
}

/* A RECORD payload: kind, canonical encoding, security data. */
void record_wire(const struct group *g, const struct record *r, u8 kind,
		 struct buf *b)
{
	buf_u8(b, kind);
	record_canonical(g, r, b);
	buf_be(b, r->sec_len, 4);
	buf_put(b, r->sec, r->sec_len);
}

static void record_mac(const struct group *g, const struct record *r,
		       u8 out[32])
{
	struct buf b = { };

	record_canonical(g, r, &b);
	hmac256(g->key, sizeof(g->key), b.p, b.len, out);
	buf_free(&b);
}

void record_sign(const struct group *g, struct record *r)
{
	free(r->sec);
	if (g->pki) {
		struct buf b = { }, sec = { };

		record_canonical(g, r, &b);
		pki_security(g, b.p, b.len, &sec);
		buf_free(&b);
		r->sec = sec.p;
		r->sec_len = sec.len;
		return;
	}
	r->sec = xmalloc(32);
	r->sec_len = 32;
	record_mac(g, r, r->sec);
}

bool record_verifies(const struct group *g, const struct record *r)
{
	u8 mac[32];

	if (g->pki) {
		struct buf b = { };
		bool ok;

		record_canonical(g, r, &b);
		ok = pki_record_verifies(g, r, &b);
		buf_free(&b);
		return ok;
	}
	if (r->sec_len != 32)
		return false;
	record_mac(g, r, mac);
	return !memcmp(mac, r->sec, 32);
}

/* protocol.rst, RECONCILE: the record's digest. */
void record_digest(const struct record *r, u8 out[16])
{
	struct buf b = { };
	u8 h[32];

	buf_put(&b, r->id, 16);
	buf_be(&b, r->version, 4);
	buf_be(&b, r->flags, 4);
	buf_be(&b, r->created, 8);
	buf_be(&b, r->modified, 8);
	buf_be(&b, r->expires, 8);
	buf_str16(&b, r->modifier);
	buf_be(&b, r->sec_len, 4);
	buf_put(&b, r->sec, r->sec_len);
	sha256(b.p, b.len, h);
	memcpy(out, h, 16);
	buf_free(&b);
}

static const char *const reserved_names[] = {
	"peercreatorid", "peerrecordid", "peerrecordtype", "peercreationtime",
	"peerlastmodificationtime", "peerlastmodifiedby",
};

static bool name_valid(const u8 *p, size_t n)
{
	size_t i;

	if (!n || n > PEERGROUP_ATTR_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		      (p[i] >= '0' && p[i] <= '9')))
			return false;
	for (i = 0; i < sizeof(reserved_names) / sizeof(reserved_names[0]); i++)
		if (strlen(reserved_names[i]) == n &&
		    !memcmp(reserved_names[i], p, n))
			return false;
	return true;
}

/*
 * RFC 3629, section 4: the well-formed sequences. A lead byte gives the
 * length; the first continuation byte has a narrower range after E0, ED,
 * F0 and F4 (no overlong form, no surrogate, nothing above U+10FFFF).
 */
static bool utf8_valid(const u8 *s, size_t n)
{
	size_t i = 0, len, k;

	while (i < n) {
		u8 c = s[i], lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4;
		else
			return false;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (k = 2; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

/* A u16-prefixed identity: at most 255 bytes, no NUL. */
char *rd_identity(struct rd *r)
{
	size_t n = rd_be(r, 2);
	const u8 *p = rd_bytes(r, n);

	if (!p || n > PEERGROUP_IDENTITY_MAX || memchr(p, 0, n)) {
		r->bad = true;
		return NULL;
	}
	return xstrndup((const char *)p, n);
}

static int parse_fail(struct rd *r, const char **why, const char *what)
{
	r->bad = true;
	*why = what;
	return -1;
}

/*
 * The canonical encoding and security data of a RECORD payload (after its
 * kind), with every rule protocol.rst's RECORD gives for a record that
 * parses; -1 and *why naming the field otherwise. On failure the caller
 * frees *r with record_free() all the same.
 */
int record_parse(const struct group *g, const u8 *p, size_t len,
		 struct record *r, const char **why)
{
	struct rd rd = { .p = p, .len = len };
	const u8 *q;
	size_t n;
	u32 i;

	memset(r, 0, sizeof(*r));
	q = rd_bytes(&rd, 4);
	if (!q || memcmp(q, "PGR1", 4))
		return parse_fail(&rd, why, "magic");
	n = rd_be(&rd, 2);
	q = rd_bytes(&rd, n);
	if (!q || n != strlen(g->id) || memcmp(q, g->id, n))
		return parse_fail(&rd, why, "group id");
	q = rd_bytes(&rd, 32);
	if (q) {
		memcpy(r->id, q, 16);
		memcpy(r->type, q + 16, 16);
	}
	r->version = rd_be(&rd, 4);
	r->flags = rd_be(&rd, 4);
	r->creator = rd_identity(&rd);
	if (!r->creator)
		return parse_fail(&rd, why, "creator");
	r->modifier = rd_identity(&rd);
	if (!r->modifier)
		return parse_fail(&rd, why, "modifier");
	r->created = rd_be(&rd, 8);
	r->modified = rd_be(&rd, 8);
	r->expires = rd_be(&rd, 8);
	n = rd_be(&rd, 4);
	if (rd.bad || n > PEERGROUP_RECORD_ATTRS_MAX)
		return parse_fail(&rd, why, "attribute count");
	r->attrs = xcalloc(n, sizeof(*r->attrs));
	for (i = 0; i < n; i++) {
		struct attr *a = &r->attrs[i];
		size_t nl = rd_be(&rd, 2);

		q = rd_bytes(&rd, nl);
		if (!q || !name_valid(q, nl))
			return parse_fail(&rd, why, "attribute name");
		a->name = xstrndup((const char *)q, nl);
		r->nattrs = i + 1;
		if (i && strcmp(r->attrs[i - 1].name, a->name) >= 0)
			return parse_fail(&rd, why, "attribute order");
		a->kind = rd_be(&rd, 1);
		a->len = rd_be(&rd, 4);
		if (rd.bad)
			return parse_fail(&rd, why, "attribute");
		if (a->kind == A_STR) {
			q = rd_bytes(&rd, a->len);
			if (!q || a->len > PEERGROUP_RECORD_SIZE_MAX ||
			    memchr(q, 0, a->len) || !utf8_valid(q, a->len))
				return parse_fail(&rd, why, "attribute string");
			a->str = xmalloc(a->len);
			memcpy(a->str, q, a->len);
		} else if (a->kind == A_INT || a->kind == A_DATE) {
			if (a->len != 8)
				return parse_fail(&rd, why, "attribute length");
			a->val = rd_be(&rd, 8);
		} else {
			return parse_fail(&rd, why, "attribute kind");
		}
	}
	r->data_len = rd_be(&rd, 4);
	q = rd_bytes(&rd, r->data_len);
	if (!q)
		return parse_fail(&rd, why, "data");
	r->data = xmalloc(r->data_len);
	memcpy(r->data, q, r->data_len);
	r->sec_len = rd_be(&rd, 4);
	q = rd_bytes(&rd, r->sec_len);
	if (!q || r->sec_len > W_SEC_MAX)
		return parse_fail(&rd, why, "security data");
	r->sec = xmalloc(r->sec_len);
	memcpy(r->sec, q, r->sec_len);
	if (rd.off != rd.len)
		return parse_fail(&rd, why, "bytes after the security data");
	return 0;
}

static u8 *dup_bytes(const u8 *p, size_t n)
{
	u8 *q = xmalloc(n);

	memcpy(q, p, n);
	return q;
}

void record_copy(struct record *dst, const struct record *src)
{
	u32 i;

	*dst = *src;
	dst->creator = xstrndup(src->creator, strlen(src->creator));
	dst->modifier = xstrndup(src->modifier, strlen(src->modifier));
	dst->attrs = xcalloc(src->nattrs, sizeof(*dst->attrs));
	for (i = 0; i < src->nattrs; i++) {
		dst->attrs[i] = src->attrs[i];
		dst->attrs[i].name = xstrndup(src->attrs[i].name,
					      strlen(src->attrs[i].name));
		if (src->attrs[i].kind == A_STR)
			dst->attrs[i].str = dup_bytes(src->attrs[i].str,
						      src->attrs[i].len);
	}
	dst->data = dup_bytes(src->data, src->data_len);
	dst->sec = dup_bytes(src->sec, src->sec_len);
}

void record_free(struct record *r)
{
	u32 i;

	for (i = 0; r->attrs && i < r->nattrs; i++) {
		free(r->attrs[i].name);
		free(r->attrs[i].str);
	}
	free(r->attrs);
	free(r->creator);
	free(r->modifier);
	free(r->data);
	free(r->sec);
	memset(r, 0, sizeof(*r));
}

void guid_format(const u8 g[16], char out[37])
{
	char *p = out;
	int i;

	for (i = 0; i < 16; i++) {
		p += sprintf(p, "%02x", g[i]);
		if (i == 3 || i == 5 || i == 7 || i == 9)
			*p++ = '-';
	}
	*p = 0;
}

int guid_parse(const char *s, u8 out[16])
{
	unsigned int v;
	int i;

	for (i = 0; i < 16; i++) {
		if (sscanf(s, "%2x", &v) != 1 || !s[0] || !s[1])
			return -1;
		out[i] = v;
		s += 2;
		if ((i == 3 || i == 5 || i == 7 || i == 9) && *s++ != '-')
			return -1;
	}
	return *s ? -1 : 0;
}

static void json_str(const u8 *s, size_t n)
{
	size_t i;

	putchar('"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			printf("\\%c", s[i]);
		else if (s[i] < 0x20)
			printf("\\u%04x", s[i]);
		else
			putchar(s[i]);
	}
	putchar('"');
}

static void json_hex(const u8 *p, size_t n)
{
	size_t i;

	putchar('"');
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
	putchar('"');
}

/* One record as a line of JSON, the field names of "peergroup -j". */
void record_json(const struct group *g, const struct record *r)
{
	static const char *const kinds[] = { "", "string", "int", "date" };
	char id[37], type[37];
	u32 i;

	guid_format(r->id, id);
	guid_format(r->type, type);
	printf("{\"id\":\"%s\",\"type\":\"%s\",\"version\":%u,\"flags\":%u,"
	       "\"creator\":", id, type, r->version, r->flags);
	json_str((const u8 *)r->creator, strlen(r->creator));
	fputs(",\"modifier\":", stdout);
	json_str((const u8 *)r->modifier, strlen(r->modifier));
	printf(",\"created_ns\":%llu,\"modified_ns\":%llu,\"expires_ns\":%llu,"
	       "\"attributes\":[", (unsigned long long)r->created,
	       (unsigned long long)r->modified, (unsigned long long)r->expires);
	for (i = 0; i < r->nattrs; i++) {
		const struct attr *a = &r->attrs[i];

		printf("%s{\"name\":\"%s\",\"type\":\"%s\",\"value\":", i ? "," : "",
		       a->name, kinds[a->kind]);
		if (a->kind == A_STR)
			json_str(a->str, a->len);
		else if (a->kind == A_INT)
			printf("%lld", (long long)a->val);
		else
			printf("%llu", (unsigned long long)a->val);
		putchar('}');
	}
	fputs("],\"data\":", stdout);
	json_hex(r->data, r->data_len);
	fputs(",\"security\":", stdout);
	json_hex(r->sec, r->sec_len);
	printf(",\"kind\":%u,\"verified\":%s,\"bound\":%s}\n", r->kind,
	       record_verifies(g, r) ? "true" : "false",
	       id_bound(r) ? "true" : "false");
}

/* Tables */

void table_put(struct table *t, const struct record *r)
{
	struct record *old = table_find(t, r->id);

	if (old) {
		record_free(old);
		record_copy(old, r);
		return;
	}
	t->r = xgrow(t->r, t->n, &t->cap, sizeof(*t->r));
	record_copy(&t->r[t->n++], r);
}

static int by_id(const void *a, const void *b)
{
	return memcmp(((const struct record *)a)->id,
		      ((const struct record *)b)->id, 16);
}

void table_sort(struct table *t)
{
	if (t->n)
		qsort(t->r, t->n, sizeof(*t->r), by_id);
}

struct record *table_find(struct table *t, const u8 id[16])
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!memcmp(t->r[i].id, id, 16))
			return &t->r[i];
	return NULL;
}

/* The same records: ids and digests (which cover the security data). */
bool table_same(const struct table *a, const struct table *b)
{
	u8 da[16], db[16];
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		record_digest(&a->r[i], da);
		record_digest(&b->r[i], db);
		if (memcmp(a->r[i].id, b->r[i].id, 16) || memcmp(da, db, 16))
			return false;
	}
	return true;
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		record_free(&t->r[i]);
	free(t->r);
	memset(t, 0, sizeof(*t));
}

