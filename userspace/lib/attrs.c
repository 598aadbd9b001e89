// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Typed record attributes in netlink: the PEERGROUP_RECORD_A_ATTRS nest of
 * PEERGROUP_ATTRS_A_ATTR nests, each a PEERGROUP_ATTR_A_NAME and one value.
 * The library sends what the caller gives (a NULL name or value is left
 * out: the kernel judges) and reads what the kernel sends strictly.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include "internal.h"

bool pg_nla_uint(const struct nlattr *a, uint64_t *v)
{
	switch (nla_len(a)) {
	case 1:
		*v = nla_get_u8(a);
		return true;
	case 2:
		*v = nla_get_u16(a);
		return true;
	case 4:
		*v = nla_get_u32(a);
		return true;
	case 8:
		*v = nla_get_u64(a);
		return true;
	default:
		return false;
	}
}

static size_t attr_value_size(const struct pg_attribute *a)
{
	switch (a->kind) {
	case PG_ATTR_STRING:
		return a->str ? nla_total_size(strlen(a->str) + 1) : 0;
	case PG_ATTR_INT:
	case PG_ATTR_DATE:
		return nla_total_size(sizeof(uint64_t));
	default:
		return 0;
	}
}

size_t pg_attrs_msg_size(const struct pg_attribute *attrs, size_t n)
{
	size_t i, size = nla_total_size(0);

	for (i = 0; i < n; i++)
		size += nla_total_size(0) + attr_value_size(&attrs[i]) +
			(attrs[i].name ?
			 nla_total_size(strlen(attrs[i].name) + 1) : 0);
	return size;
}

static int put_value(struct pg_handle *h, struct nl_msg *msg,
		     const struct pg_attribute *a, const char *what)
{
	switch (a->kind) {
	case PG_ATTR_STRING:
		return pg_put_str(h, msg, PEERGROUP_ATTR_A_STR, a->str, "%s", what);
	case PG_ATTR_INT:
		return nla_put_s64(msg, PEERGROUP_ATTR_A_INT, a->i) ?
		       pg_fail_build(h, NULL) : 0;
	case PG_ATTR_DATE:
		return nla_put_u64(msg, PEERGROUP_ATTR_A_DATE, a->date) ?
		       pg_fail_build(h, NULL) : 0;
	default:
		return 0;	/* an unknown kind: no value, for the kernel to refuse */
	}
}

/*
 * One PEERGROUP_ATTRS_A_ATTR; messages name it "record: attribute "NAME"",
 * or by its position from 1 when its name is none a record may hold.
 */
static int put_one(struct pg_handle *h, struct nl_msg *msg,
		   const struct pg_attribute *a, size_t i)
{
	char what[PEERGROUP_ATTR_NAME_MAX + 32];
	struct nlattr *one;
	int err;

	if (a->name && strlen(a->name) <= PEERGROUP_ATTR_NAME_MAX)
		snprintf(what, sizeof(what), "record: attribute \"%s\"", a->name);
	else
		snprintf(what, sizeof(what), "record: attribute %zu", i + 1);
	one = nla_nest_start(msg, PEERGROUP_ATTRS_A_ATTR);
	if (!one)
		return pg_fail_build(h, NULL);
	err = pg_put_str(h, msg, PEERGROUP_ATTR_A_NAME, a->name, "%s: its name",
			 what);
	if (!err)
		err = put_value(h, msg, a, what);
	if (!err)
		err = pg_nest_end(h, msg, one, "%s", what);
	return err;
}

int pg_attrs_put(struct pg_handle *h, struct nl_msg *msg,
		 const struct pg_attribute *attrs, size_t n)
{
	struct nlattr *nest;
	size_t i;
	int err;

	nest = nla_nest_start(msg, PEERGROUP_RECORD_A_ATTRS);
	if (!nest)
		return pg_fail_build(h, NULL);
	for (i = 0; i < n; i++) {
		err = put_one(h, msg, &attrs[i], i);
		if (err)
			return err;
	}
	return pg_nest_end(h, msg, nest, "record: attributes");
}

static const struct nla_policy attr_policy[PEERGROUP_ATTR_A_MAX + 1] = {
	[PEERGROUP_ATTR_A_NAME] = { .type = NLA_STRING,
				    .maxlen = PEERGROUP_ATTR_NAME_MAX + 1 },
	[PEERGROUP_ATTR_A_STR] = { .type = NLA_STRING },
	[PEERGROUP_ATTR_A_INT] = { .type = NLA_U64, .maxlen = 8 },
	[PEERGROUP_ATTR_A_DATE] = { .type = NLA_U64, .maxlen = 8 },
};

/* Copies the NUL-terminated string of a into *cursor; returns the copy. */
static const char *copy_string(char **cursor, const struct nlattr *a)
{
	char *s = *cursor;
	size_t len = strlen(nla_data(a)) + 1;

	memcpy(s, nla_data(a), len);
	*cursor += len;
	return s;
}

/* One PEERGROUP_ATTRS_A_ATTR; see pg_attrs_parse(). */
static int parse_one(const struct nlattr *nest, struct pg_attrs_out *o)
{
	struct nlattr *tb[PEERGROUP_ATTR_A_MAX + 1];
	struct pg_attribute *a = o->v ? &o->v[o->n] : NULL;
	int values;

	if (nla_parse_nested(tb, PEERGROUP_ATTR_A_MAX, (struct nlattr *)nest,
			     attr_policy) || !tb[PEERGROUP_ATTR_A_NAME])
		return -EPROTO;
	values = !!tb[PEERGROUP_ATTR_A_STR] + !!tb[PEERGROUP_ATTR_A_INT] +
		 !!tb[PEERGROUP_ATTR_A_DATE];
	if (values != 1)
		return -EPROTO;
	o->n++;
	o->bytes += nla_len(tb[PEERGROUP_ATTR_A_NAME]);
	if (tb[PEERGROUP_ATTR_A_STR])
		o->bytes += nla_len(tb[PEERGROUP_ATTR_A_STR]);
	if (!a)
		return 0;
	memset(a, 0, sizeof(*a));
	a->name = copy_string(&o->strings, tb[PEERGROUP_ATTR_A_NAME]);
	if (tb[PEERGROUP_ATTR_A_STR]) {
		a->kind = PG_ATTR_STRING;
		a->str = copy_string(&o->strings, tb[PEERGROUP_ATTR_A_STR]);
	} else if (tb[PEERGROUP_ATTR_A_INT]) {
		a->kind = PG_ATTR_INT;
		a->i = (int64_t)nla_get_u64(tb[PEERGROUP_ATTR_A_INT]);
	} else {
		a->kind = PG_ATTR_DATE;
		a->date = nla_get_u64(tb[PEERGROUP_ATTR_A_DATE]);
	}
	return 0;
}

int pg_attrs_parse(const struct nlattr *nest, struct pg_attrs_out *o)
{
	const struct nlattr *a;
	int rem, err;

	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		if (nla_type(a) != PEERGROUP_ATTRS_A_ATTR)
			continue;	/* from a newer kernel */
		err = parse_one(a, o);
		if (err)
			return err;
	}
	return 0;
}
