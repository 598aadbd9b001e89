// SPDX-License-Identifier: GPL-2.0
/*
 * A record on the wire: its canonical encoding (records.rst, the bytes its
 * security data covers), then be32 length and the security data. The
 * decoder checks every length before it reads and every field's shape; the
 * write path (write.h) then checks the record like any other.
 */
#include "conn.h"
#include "fault.h"
#include "group.h"
#include "record.h"
#include "security.h"

#include <linux/slab.h>
#include <linux/string.h>

#define PG_WIRE_MAGIC		"PGR1"

u32 pg_wire_record_len(const struct pg_group *grp, const struct pg_record *rec)
{
	return 4 + 2 + strlen(grp->id) + 2 * PEERGROUP_GUID_LEN + 4 + 4 +
	       2 + strlen(rec->creator) + 2 + strlen(rec->modifier) +
	       3 * 8 + 4 + pg_attrs_size(rec->attrs, rec->nattrs) +
	       4 + rec->data_len + 4 + rec->sec_len;
}

static int emit(void *ctx, const u8 *p, unsigned int len)
{
	struct pg_wr *w = ctx;

	pg_wr_mem(w, p, len);
	return w->bad ? -EMSGSIZE : 0;
}

int pg_wire_record_put(const struct pg_group *grp,
		       const struct pg_record *rec, u8 *buf, u32 len)
{
	struct pg_wr w = { .p = buf, .left = len };
	int ret;

	ret = pg_record_encode(grp, rec, emit, &w);
	pg_wr_be(&w, rec->sec_len, 4);
	pg_wr_mem(&w, rec->sec, rec->sec_len);
	if (!ret && (w.bad || w.left))
		ret = -EMSGSIZE;
	return WARN_ON_ONCE(ret);	/* pg_wire_record_len() sized it */
}

/*
 * A u16- or u32-prefixed byte string without NUL, of at most @max bytes,
 * copied NUL-terminated to *@s, which moves on.
 */
static const char *get_str(struct pg_rd *r, unsigned int prefix, u32 max,
			   char **s, u32 *len_out)
{
	u32 len = pg_rd_be(r, prefix);
	const u8 *p = pg_rd_bytes(r, len);
	char *out = *s;

	if (!p || len > max || memchr(p, 0, len)) {
		r->bad = true;
		return NULL;
	}
	memcpy(out, p, len);
	out[len] = 0;
	*s += len + 1;
	if (len_out)
		*len_out = len;
	return out;
}

int pg_wire_record_get(const struct pg_group *grp, const u8 *p, u32 len,
		       struct pg_record_fields *f, struct pg_attr **attrs_out,
		       char **strings_out)
{
	struct pg_rd r = { .p = p, .left = len };
	const size_t gid_len = strlen(grp->id);
	struct pg_attr *attrs = NULL;
	const u8 *magic, *gid;
	char *strings, *s;
	u32 i, n;

	/* Both are the caller's to free, whatever happens here. */
	*attrs_out = NULL;
	*strings_out = NULL;
	/* Every string of a record fits its length, plus NULs. */
	strings = pg_fault(PG_FAULT_RECORD) ? NULL :
		  kmalloc(len + 2 * (PEERGROUP_RECORD_ATTRS_MAX + 1),
			  GFP_KERNEL_ACCOUNT);
	if (!strings)
		return -ENOMEM;
	*strings_out = strings;
	s = strings;

	magic = pg_rd_bytes(&r, 4);
	if (!magic || memcmp(magic, PG_WIRE_MAGIC, 4))
		return -EPROTO;
	/* A record of another group never belongs here. */
	if (pg_rd_be(&r, 2) != gid_len)
		return -EPROTO;
	gid = pg_rd_bytes(&r, gid_len);
	if (!gid || memcmp(gid, grp->id, gid_len))
		return -EPROTO;
	f->id = pg_rd_bytes(&r, PEERGROUP_GUID_LEN);
	f->type = pg_rd_bytes(&r, PEERGROUP_GUID_LEN);
	f->version = pg_rd_be(&r, 4);
	f->flags = pg_rd_be(&r, 4);
	f->creator = get_str(&r, 2, PEERGROUP_IDENTITY_MAX, &s, NULL);
	f->modifier = get_str(&r, 2, PEERGROUP_IDENTITY_MAX, &s, NULL);
	f->created = pg_rd_be(&r, 8);
	f->modified = pg_rd_be(&r, 8);
	f->expires = pg_rd_be(&r, 8);
	n = pg_rd_be(&r, 4);
	if (r.bad || n > PEERGROUP_RECORD_ATTRS_MAX)
		return -EPROTO;
	if (n) {
		attrs = pg_fault(PG_FAULT_RECORD) ? NULL :
			kcalloc(n, sizeof(*attrs), GFP_KERNEL_ACCOUNT);
		if (!attrs)
			return -ENOMEM;
		*attrs_out = attrs;
	}
	for (i = 0; i < n; i++) {
		struct pg_attr *a = &attrs[i];
		u32 name_len;

		a->name = get_str(&r, 2, PEERGROUP_ATTR_NAME_MAX, &s,
				  &name_len);
		a->name_len = name_len;
		a->kind = pg_rd_be(&r, 1);
		if (r.bad || !pg_attr_name_valid(a->name) ||
		    pg_attr_reserved(a->name) != PG_RESERVED_NONE)
			return -EPROTO;
		/* In the canonical order: bytewise, each name once. */
		if (i && strcmp(attrs[i - 1].name, a->name) >= 0)
			return -EPROTO;
		switch (a->kind) {
		case PG_ATTR_STR:
			a->str = get_str(&r, 4, PEERGROUP_RECORD_SIZE_MAX, &s,
					 &a->len);
			if (!a->str || !pg_utf8_valid(a->str, a->len))
				return -EPROTO;
			break;
		case PG_ATTR_INT:
		case PG_ATTR_DATE:
			if (pg_rd_be(&r, 4) != 8)
				return -EPROTO;
			a->date = pg_rd_be(&r, 8);
			break;
		default:
			return -EPROTO;
		}
	}
	f->nattrs = n;
	f->attrs = attrs;
	f->data_len = pg_rd_be(&r, 4);
	f->data = pg_rd_bytes(&r, f->data_len);
	f->sec_len = pg_rd_be(&r, 4);
	if (r.bad || f->sec_len > PG_SECURITY_MAX)
		return -EPROTO;
	f->sec = pg_rd_bytes(&r, f->sec_len);
	if (r.bad || r.left)
		return -EPROTO;
	return 0;
}
