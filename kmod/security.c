// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing a group's security provider, and the canonical encoding of a
 * record that providers sign.
 */
#include "bytes.h"
#include "group.h"
#include "record.h"
#include "security.h"

#include <linux/string.h>

int pg_security_init(struct pg_group *grp,
		     const struct pg_group_params *params,
		     struct pg_write_err *err)
{
	const struct pg_security_ops *ops;
	int ret;

	switch (params->security) {
	case PEERGROUP_SECURITY_PSK:
		ops = &pg_psk_ops;
		break;
	case PEERGROUP_SECURITY_PKI:
		ops = &pg_pki_ops;
		break;
	default:
		err->field = PEERGROUP_A_GROUP_SECURITY;
		err->msg = "security: no such provider";
		return -EOPNOTSUPP;
	}
	ret = ops->init(grp, params, err);
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

/* A number of @n bytes, big-endian. */
static void put_be(struct encoder *enc, u64 v, unsigned int n)
{
	u8 b[8];

	pg_put_be(b, v, n);
	put_bytes(enc, b, n);
}

/* u16 length, then the bytes, no NUL */
static void put_string(struct encoder *enc, const char *s)
{
	size_t len = strlen(s);

	put_be(enc, len, 2);
	put_bytes(enc, s, len);
}

static void put_attr(struct encoder *enc, const struct pg_attr *attr)
{
	put_be(enc, attr->name_len, 2);
	put_bytes(enc, attr->name, attr->name_len);
	put_u8(enc, attr->kind);
	switch (attr->kind) {
	case PG_ATTR_STR:
		put_be(enc, attr->len, 4);
		put_bytes(enc, attr->str, attr->len);
		break;
	case PG_ATTR_INT:
		put_be(enc, 8, 4);
		put_be(enc, (u64)attr->i, 8);
		break;
	default:
		put_be(enc, 8, 4);
		put_be(enc, attr->date, 8);
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
	put_be(&enc, rec->version, 4);
	put_be(&enc, rec->flags, 4);
	put_string(&enc, rec->creator);
	put_string(&enc, rec->modifier);
	put_be(&enc, rec->created, 8);
	put_be(&enc, rec->modified, 8);
	put_be(&enc, rec->expires, 8);
	put_be(&enc, rec->nattrs, 4);
	for (i = 0; i < rec->nattrs; i++)
		put_attr(&enc, &rec->attrs[i]);
	put_be(&enc, rec->data_len, 4);
	put_bytes(&enc, rec->data, rec->data_len);
	return enc.ret;
}
