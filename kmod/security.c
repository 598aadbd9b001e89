// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing a group's security provider, and the canonical encoding of a
 * record that providers sign.
 */
#include "group.h"
#include "record.h"
#include "security.h"

#include <linux/string.h>

int pg_security_init(struct pg_group *grp, enum peergroup_security kind,
		     const u8 *secret, size_t len)
{
	const struct pg_security_ops *ops;
	int ret;

	switch (kind) {
	case PEERGROUP_SECURITY_PSK:
		ops = &pg_psk_ops;
		break;
	default:
		return -EOPNOTSUPP;
	}
	ret = ops->init(grp, secret, len);
	if (!ret)
		grp->sec_ops = ops;
	return ret;
}

void pg_security_uninit(struct pg_group *grp)
{
	if (grp->sec_ops)
		grp->sec_ops->uninit(grp);
	grp->sec_ops = NULL;
}

/*
 * The encoder keeps the numbers of one field in a small buffer and passes
 * strings and data straight from the record.
 */
struct encoder {
	int (*emit)(void *ctx, const u8 *p, unsigned int len);
	void *ctx;
	int ret;
};

static void put_bytes(struct encoder *enc, const void *p, unsigned int len)
{
	if (!enc->ret && len)
		enc->ret = enc->emit(enc->ctx, p, len);
}

static void put_u8(struct encoder *enc, u8 v)
{
	put_bytes(enc, &v, 1);
}

static void put_be16(struct encoder *enc, u16 v)
{
	__be16 b = cpu_to_be16(v);

	put_bytes(enc, &b, sizeof(b));
}

static void put_be32(struct encoder *enc, u32 v)
{
	__be32 b = cpu_to_be32(v);

	put_bytes(enc, &b, sizeof(b));
}

static void put_be64(struct encoder *enc, u64 v)
{
	__be64 b = cpu_to_be64(v);

	put_bytes(enc, &b, sizeof(b));
}

/* u16 length, then the bytes, no NUL */
static void put_string(struct encoder *enc, const char *s)
{
	size_t len = strlen(s);

	put_be16(enc, len);
	put_bytes(enc, s, len);
}

static void put_attr(struct encoder *enc, const struct pg_attr *attr)
{
	put_be16(enc, attr->name_len);
	put_bytes(enc, attr->name, attr->name_len);
	put_u8(enc, attr->kind);
	switch (attr->kind) {
	case PG_ATTR_STR:
		put_be32(enc, attr->len);
		put_bytes(enc, attr->str, attr->len);
		break;
	case PG_ATTR_INT:
		put_be32(enc, 8);
		put_be64(enc, (u64)attr->i);
		break;
	default:
		put_be32(enc, 8);
		put_be64(enc, attr->date);
		break;
	}
}

#define PG_ENCODING_MAGIC	"PGR1"

int pg_record_encode(const struct pg_group *grp, const struct pg_record *rec,
		     int (*emit)(void *ctx, const u8 *p, unsigned int len),
		     void *ctx)
{
	struct encoder enc = { .emit = emit, .ctx = ctx };
	u32 i;

	put_bytes(&enc, PG_ENCODING_MAGIC, 4);
	put_string(&enc, grp->id);
	put_bytes(&enc, rec->id, PEERGROUP_GUID_LEN);
	put_bytes(&enc, rec->type, PEERGROUP_GUID_LEN);
	put_be32(&enc, rec->version);
	put_be32(&enc, rec->flags);
	put_string(&enc, rec->creator);
	put_string(&enc, rec->modifier);
	put_be64(&enc, rec->created);
	put_be64(&enc, rec->modified);
	put_be64(&enc, rec->expires);
	put_be32(&enc, rec->nattrs);
	for (i = 0; i < rec->nattrs; i++)
		put_attr(&enc, &rec->attrs[i]);
	put_be32(&enc, rec->data_len);
	put_bytes(&enc, rec->data, rec->data_len);
	return enc.ret;
}
