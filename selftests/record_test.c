// SPDX-License-Identifier: GPL-2.0
/*
 * Record commands of the peergroup generic netlink family: add, update,
 * delete, get and enumerate, every rejected input with its exact errno, the
 * size limit, and the proof that a failed command changed nothing (a dump
 * with tombstones and the group's counters, compared before and after).
 *
 * Every test runs in a fresh network namespace of its own, with a group
 * "office" created there by "alice".
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/peergroup.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"
#include "libpeergroup.h"
#include "pg_selftest.h"

PG_SHARED_NETNS()

FIXTURE(record) {
	struct pg_handle *h;
};

FIXTURE_SETUP(record)
{
	ASSERT_EQ(0, pg_empty_netns());
	ASSERT_EQ(0, pg_open(&self->h)) TH_LOG("pg_open: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, make_group(self->h, REC_GROUP, REC_IDENTITY, NULL, REC_PASSWORD))
		TH_LOG("group: %s", pg_errmsg(self->h));
}

FIXTURE_TEARDOWN(record)
{
	pg_close(self->h);
}

/* Adds a type_a record living an hour with attributes @a. */
static int add_with_attrs(struct pg_handle *h, const struct pg_attribute *a,
			  size_t n)
{
	struct pg_record r = record_of(type_a, peer_time_in(h, REC_GROUP, HOUR_MS));

	record_set_attrs(&r, a, n);
	return pg_record_add(h, REC_GROUP, &r, NULL, NULL);
}

/*
 * Sends RECORD_ADD with one attribute "n" holding the value attributes
 * asked for: what the library, one value per attribute, cannot express.
 */
static int add_raw_attribute(struct pg_handle *h, bool with_int, bool with_str)
{
	struct nl_msg *msg = pg_msg_new(h, PEERGROUP_CMD_RECORD_ADD, 0);
	struct nlattr *rec, *attrs, *attr;

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, PEERGROUP_A_GROUP_NAME, REC_GROUP) ||
	    !(rec = nla_nest_start(msg, PEERGROUP_A_RECORD)) ||
	    nla_put(msg, PEERGROUP_RECORD_A_TYPE, PG_GUID_LEN, type_a) ||
	    nla_put_u64(msg, PEERGROUP_RECORD_A_EXPIRES,
			peer_time_in(h, REC_GROUP, HOUR_MS)) ||
	    !(attrs = nla_nest_start(msg, PEERGROUP_RECORD_A_ATTRS)) ||
	    !(attr = nla_nest_start(msg, PEERGROUP_ATTRS_A_ATTR)) ||
	    nla_put_string(msg, PEERGROUP_ATTR_A_NAME, "n") ||
	    (with_int && nla_put_u64(msg, PEERGROUP_ATTR_A_INT, 7)) ||
	    (with_str && nla_put_string(msg, PEERGROUP_ATTR_A_STR, "seven"))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, attr);
	nla_nest_end(msg, attrs);
	nla_nest_end(msg, rec);
	return pg_transact(h, msg, NULL, NULL);
}

/* Adds a record of @type and reads it back into *@out. */
static int add_and_get(struct pg_handle *h, const uint8_t type[PG_GUID_LEN],
		       uint32_t flags, struct pg_record **out)
{
	struct pg_record r = record_of(type, peer_time_in(h, REC_GROUP, HOUR_MS));
	uint8_t id[PG_GUID_LEN];
	int ret;

	r.present |= PG_REC_FLAGS;
	r.flags = flags;
	record_set_data(&r, "first", 5);
	ret = pg_record_add(h, REC_GROUP, &r, id, NULL);
	return ret ? ret : pg_record_get(h, REC_GROUP, id, out);
}

/* ---- Add */

TEST_F(record, add_returns_an_id_and_version_1)
{
	uint8_t id[PG_GUID_LEN], zero[PG_GUID_LEN] = { 0 };
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	uint32_t version = 0;

	memset(id, 0, sizeof(id));
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, &version))
		TH_LOG("add: %s", pg_errmsg(self->h));
	EXPECT_EQ(1, version);
	EXPECT_NE(0, memcmp(id, zero, PG_GUID_LEN));
	EXPECT_EQ(1, count_records(self->h, REC_GROUP, 0));
}

TEST_F(record, get_returns_the_record_as_added)
{
	static const uint8_t data[] = "binary\0data\xff";
	const struct pg_attribute attrs[] = {
		{ .name = "colour", .kind = PG_ATTR_STRING, .str = "gr\xc3\xbcn" },
		{ .name = "count", .kind = PG_ATTR_INT, .i = -42 },
		{ .name = "due", .kind = PG_ATTR_DATE, .date = 1767225600123456789ull },
	};
	uint64_t expires = peer_time_in(self->h, REC_GROUP, HOUR_MS), before, after;
	struct pg_record r = record_of(type_a, expires), *got;
	const struct pg_attribute *a;
	uint8_t id[PG_GUID_LEN];

	record_set_attrs(&r, attrs, 3);
	record_set_data(&r, data, sizeof(data));
	before = peer_time_in(self->h, REC_GROUP, 0);
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL));
	after = peer_time_in(self->h, REC_GROUP, 0);

	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &got))
		TH_LOG("get: %s", pg_errmsg(self->h));
	EXPECT_EQ(0, memcmp(id, got->id, PG_GUID_LEN));
	EXPECT_EQ(0, memcmp(type_a, got->type, PG_GUID_LEN));
	EXPECT_EQ(1, got->version);
	EXPECT_EQ(0, got->flags);
	EXPECT_EQ(expires, got->expires);
	ASSERT_NE(NULL, got->creator);
	ASSERT_NE(NULL, got->modifier);
	EXPECT_STREQ(REC_IDENTITY, got->creator);
	EXPECT_STREQ(REC_IDENTITY, got->modifier);
	EXPECT_EQ(got->created, got->modified);
	EXPECT_LE(before, got->created);
	EXPECT_GE(after, got->created);
	EXPECT_LT(0, got->security_len);
	ASSERT_EQ(sizeof(data), got->data_len);
	EXPECT_EQ(0, memcmp(data, got->data, sizeof(data)));

	ASSERT_EQ(3, got->nattrs);
	a = find_attr(got, "colour");
	ASSERT_NE(NULL, a);
	EXPECT_EQ(PG_ATTR_STRING, a->kind);
	EXPECT_STREQ("gr\xc3\xbcn", a->str);
	a = find_attr(got, "count");
	ASSERT_NE(NULL, a);
	EXPECT_EQ(PG_ATTR_INT, a->kind);
	EXPECT_EQ(-42, a->i);
	a = find_attr(got, "due");
	ASSERT_NE(NULL, a);
	EXPECT_EQ(PG_ATTR_DATE, a->kind);
	EXPECT_EQ(1767225600123456789ull, a->date);
	pg_record_free(got);
}

TEST_F(record, add_ignores_the_fields_the_module_sets)
{
	static const uint8_t forged[] = "forged security";
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	uint8_t id[PG_GUID_LEN];
	struct pg_record *got;
	uint32_t version = 0;

	r.present |= PG_REC_ID | PG_REC_VERSION | PG_REC_FLAGS | PG_REC_CREATOR |
		     PG_REC_MODIFIER | PG_REC_CREATED | PG_REC_MODIFIED |
		     PG_REC_SECURITY;
	memset(r.id, 0xaa, PG_GUID_LEN);
	r.version = 77;
	r.creator = "mallory";
	r.modifier = "mallory";
	r.created = 1;
	r.modified = 2;
	r.security = forged;
	r.security_len = sizeof(forged);
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, &version))
		TH_LOG("add: %s", pg_errmsg(self->h));
	EXPECT_EQ(1, version);
	EXPECT_NE(0, memcmp(r.id, id, PG_GUID_LEN));

	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &got));
	EXPECT_EQ(1, got->version);
	EXPECT_STREQ(REC_IDENTITY, got->creator);
	EXPECT_STREQ(REC_IDENTITY, got->modifier);
	EXPECT_LT(1000 * NS_PER_SEC, got->created);
	EXPECT_EQ(got->created, got->modified);
	EXPECT_FALSE(got->security_len == sizeof(forged) &&
		     !memcmp(got->security, forged, sizeof(forged)));
	pg_record_free(got);
}

TEST_F(record, add_without_type_is_einval)
{
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct snap before;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	r.present &= ~PG_REC_TYPE;
	EXPECT_ERR(self->h, -EINVAL, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(record, add_without_expiration_is_einval)
{
	struct pg_record r = record_of(type_a, 0);
	struct snap before;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	r.present &= ~PG_REC_EXPIRES;
	EXPECT_ERR(self->h, -EINVAL, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(record, add_expiring_in_the_past_is_einval)
{
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, -1000));
	struct snap before;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EINVAL, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	r.expires = 1;
	EXPECT_ERR(self->h, -EINVAL, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	EXPECT_STREQ("PEER_E_INVALID_RECORD", pg_last_windows_error(self->h, -EINVAL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(record, add_nil_type_is_einval)
{
	static const uint8_t nil[PG_GUID_LEN];
	struct pg_record r = record_of(nil, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct snap before;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EINVAL, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(record, add_reserved_type_is_eacces)
{
	static const uint8_t other_reserved[PG_GUID_LEN] = { 0x12, 0x34, 0x56, 0x78 };
	struct pg_record r = record_of(type_reserved,
				       peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct snap before;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EACCES, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	EXPECT_STREQ("PEER_E_NOT_AUTHORIZED", pg_last_windows_error(self->h, -EACCES));
	/* Bytes 4..15 all zero make a type reserved, whatever bytes 0..3. */
	memcpy(r.type, other_reserved, PG_GUID_LEN);
	EXPECT_ERR(self->h, -EACCES, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(record, add_asking_for_deleted_is_einval)
{
	static const uint32_t bad[] = {
		PEERGROUP_RECORD_F_DELETED,
		PEERGROUP_RECORD_F_DELETED | PEERGROUP_RECORD_F_AUTOREFRESH,
		0x4,
	};
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct snap before;
	size_t i;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	r.present |= PG_REC_FLAGS;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r.flags = bad[i];
		EXPECT_ERR(self->h, -EINVAL,
			   pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	}
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(record, add_autorefresh_is_kept)
{
	struct pg_record *got;

	ASSERT_EQ(0, add_and_get(self->h, type_a, PEERGROUP_RECORD_F_AUTOREFRESH, &got))
		TH_LOG("add: %s", pg_errmsg(self->h));
	EXPECT_EQ(PEERGROUP_RECORD_F_AUTOREFRESH, got->flags);
	EXPECT_EQ(1, got->version);
	pg_record_free(got);
}

TEST_F(record, ids_are_bound_to_their_creator)
{
	uint8_t one[PG_GUID_LEN], two[PG_GUID_LEN];

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, one));
	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, two));
	/* Bytes 0..7 come from the creator, bytes 8..15 are random. */
	EXPECT_EQ(0, memcmp(one, alice_id_prefix, 8));
	EXPECT_EQ(0, memcmp(two, alice_id_prefix, 8));
	EXPECT_NE(0, memcmp(one + 8, two + 8, 8));
}

/* ---- Attributes */

TEST_F(record, attribute_with_an_empty_name_is_einval)
{
	const struct pg_attribute a = { .name = "", .kind = PG_ATTR_INT, .i = 1 };
	struct snap before;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EINVAL, add_with_attrs(self->h, &a, 1));
	EXPECT_STREQ("PEER_E_INVALID_ATTRIBUTES", pg_last_windows_error(self->h, -EINVAL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(record, attribute_name_longer_than_64_is_einval)
{
	char name[PEERGROUP_ATTR_NAME_MAX + 2];
	struct pg_attribute a = { .name = name, .kind = PG_ATTR_INT, .i = 1 };
	struct snap before;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EINVAL, add_with_attrs(self->h, &a, 1));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);

	name[PEERGROUP_ATTR_NAME_MAX] = '\0';
	EXPECT_EQ(0, add_with_attrs(self->h, &a, 1)) TH_LOG("%s", pg_errmsg(self->h));
}

TEST_F(record, attribute_name_not_ascii_letters_and_digits_is_einval)
{
	static const char *const bad[] = {
		"a_b", "a-b", "a b", "a.b", "_", "-",
		"c\xf6lour", "\xc0\xff" /* Latin-1 letters */, "gr\xc3\xbcn",
	};
	struct pg_attribute a = { .kind = PG_ATTR_INT, .i = 1 };
	struct snap before;
	size_t i;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a.name = bad[i];
		EXPECT_ERR(self->h, -EINVAL, add_with_attrs(self->h, &a, 1));
	}
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);

	a.name = "Letters0And9Digits";
	EXPECT_EQ(0, add_with_attrs(self->h, &a, 1)) TH_LOG("%s", pg_errmsg(self->h));
}

TEST_F(record, reserved_attribute_names_are_einval)
{
	static const char *const reserved[] = {
		"peercreatorid", "peerrecordid", "peerrecordtype",
		"peercreationtime", "peerlastmodificationtime", "peerlastmodifiedby",
	};
	struct pg_attribute a = { .kind = PG_ATTR_STRING, .str = "x" };
	struct snap before;
	size_t i;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		a.name = reserved[i];
		EXPECT_ERR(self->h, -EINVAL, add_with_attrs(self->h, &a, 1));
	}
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(record, duplicate_attribute_names_are_einval)
{
	const struct pg_attribute same_kind[] = {
		{ .name = "n", .kind = PG_ATTR_INT, .i = 1 },
		{ .name = "n", .kind = PG_ATTR_INT, .i = 2 },
	};
	const struct pg_attribute other_kind[] = {
		{ .name = "n", .kind = PG_ATTR_INT, .i = 1 },
		{ .name = "m", .kind = PG_ATTR_INT, .i = 1 },
		{ .name = "n", .kind = PG_ATTR_STRING, .str = "one" },
	};
	struct snap before;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EINVAL, add_with_attrs(self->h, same_kind, 2));
	EXPECT_ERR(self->h, -EINVAL, add_with_attrs(self->h, other_kind, 3));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(record, attribute_without_a_value_is_einval)
{
	struct snap before;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EINVAL, add_raw_attribute(self->h, false, false));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	/* The same message with one value is good. */
	EXPECT_EQ(0, add_raw_attribute(self->h, true, false)) TH_LOG("%s", pg_errmsg(self->h));
}

TEST_F(record, attribute_with_two_values_is_einval)
{
	struct snap before;

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EINVAL, add_raw_attribute(self->h, true, true));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	EXPECT_EQ(0, add_raw_attribute(self->h, false, true)) TH_LOG("%s", pg_errmsg(self->h));
}

TEST_F(record, more_attributes_than_the_maximum_are_einval)
{
	static char names[PEERGROUP_RECORD_ATTRS_MAX + 1][8];
	static struct pg_attribute attrs[PEERGROUP_RECORD_ATTRS_MAX + 1];
	struct snap before;
	int i;

	for (i = 0; i <= PEERGROUP_RECORD_ATTRS_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "a%d", i);
		attrs[i].name = names[i];
		attrs[i].kind = PG_ATTR_INT;
		attrs[i].i = i;
	}
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EINVAL,
		   add_with_attrs(self->h, attrs, PEERGROUP_RECORD_ATTRS_MAX + 1));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	EXPECT_EQ(0, add_with_attrs(self->h, attrs, PEERGROUP_RECORD_ATTRS_MAX))
		TH_LOG("%s", pg_errmsg(self->h));
}

TEST_F(record, attribute_kinds_round_trip)
{
	const struct pg_attribute attrs[] = {
		{ .name = "ascii", .kind = PG_ATTR_STRING, .str = "plain text" },
		{ .name = "utf8", .kind = PG_ATTR_STRING,
		  .str = "\xe2\x98\x83 na\xc3\xafve \xf0\x9f\x98\x80" },
		{ .name = "neg", .kind = PG_ATTR_INT, .i = -1 },
		{ .name = "min", .kind = PG_ATTR_INT, .i = INT64_MIN },
		{ .name = "max", .kind = PG_ATTR_INT, .i = INT64_MAX },
		{ .name = "epoch", .kind = PG_ATTR_DATE, .date = 0 },
		{ .name = "when", .kind = PG_ATTR_DATE, .date = 1893456000000000001ull },
	};
	const size_t n = sizeof(attrs) / sizeof(attrs[0]);
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	const struct pg_attribute *a;
	uint8_t id[PG_GUID_LEN];
	struct pg_record *got;
	size_t i;

	record_set_attrs(&r, attrs, n);
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL))
		TH_LOG("add: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &got));
	ASSERT_EQ(n, got->nattrs);
	for (i = 0; i < n; i++) {
		a = find_attr(got, attrs[i].name);
		ASSERT_NE(NULL, a) TH_LOG("attribute %s is missing", attrs[i].name);
		EXPECT_EQ(attrs[i].kind, a->kind);
		if (attrs[i].kind == PG_ATTR_STRING) {
			EXPECT_STREQ(attrs[i].str, a->str);
		} else if (attrs[i].kind == PG_ATTR_INT) {
			EXPECT_EQ(attrs[i].i, a->i);
		} else {
			EXPECT_EQ(attrs[i].date, a->date);
		}
	}
	pg_record_free(got);
}

/* ---- Size: data + the sum of (7 + name + value) over the attributes */

FIXTURE(size) {
	struct pg_handle *h;
	uint8_t *buf;
	uint8_t id[PG_GUID_LEN];
};

FIXTURE_VARIANT(size) {
	uint32_t limit;
};

FIXTURE_VARIANT_ADD(size, default_limit) {
	.limit = PEERGROUP_RECORD_SIZE_DEFAULT,
};

FIXTURE_VARIANT_ADD(size, smallest_limit) {
	.limit = PEERGROUP_RECORD_SIZE_MIN,
};

/* 7 + 1 + 8 and 7 + 1 + 6: 30 canonical bytes. */
static const struct pg_attribute size_attrs[] = {
	{ .name = "n", .kind = PG_ATTR_INT, .i = 7 },
	{ .name = "s", .kind = PG_ATTR_STRING, .str = "h\xc3\xa9llo" },
};
#define SIZE_ATTRS_BYTES 30

/* Gives *@r the attributes above and data to @size bytes in all. */
static void size_record(struct pg_record *r, const uint8_t *buf, size_t size)
{
	record_set_attrs(r, size_attrs, 2);
	record_set_data(r, buf, size - SIZE_ATTRS_BYTES);
}

FIXTURE_SETUP(size)
{
	struct pg_group_props props = {
		.mask = PG_SET_MAX_RECORD_SIZE, .max_record_size = variant->limit,
	};
	struct pg_group_status st;
	size_t i;

	ASSERT_EQ(0, pg_empty_netns());
	ASSERT_EQ(0, pg_open(&self->h)) TH_LOG("pg_open: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, make_group(self->h, REC_GROUP, REC_IDENTITY, NULL, REC_PASSWORD));
	if (variant->limit != PEERGROUP_RECORD_SIZE_DEFAULT) {
		ASSERT_EQ(0, pg_group_set(self->h, REC_GROUP, &props))
			TH_LOG("set: %s", pg_errmsg(self->h));
	}
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	ASSERT_EQ(variant->limit, st.max_record_size);
	self->buf = malloc(PEERGROUP_RECORD_SIZE_MAX + 1);
	ASSERT_NE(NULL, self->buf);
	for (i = 0; i <= PEERGROUP_RECORD_SIZE_MAX; i++)
		self->buf[i] = i * 7 + 1;
	/* A small record for the updates. */
	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "small", self->id));
}

FIXTURE_TEARDOWN(size)
{
	free(self->buf);
	pg_close(self->h);
}

TEST_F(size, add_at_the_limit_fits)
{
	struct pg_record r = record_of(type_b, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct pg_enum_filter only_b = { .type = type_b };
	const size_t len = variant->limit - SIZE_ATTRS_BYTES;
	const struct pg_record *listed;
	uint8_t id[PG_GUID_LEN];
	struct pg_record *got;
	struct pg_enum *e;

	size_record(&r, self->buf, variant->limit);
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL))
		TH_LOG("add: %s", pg_errmsg(self->h));

	/* It comes back whole, alone and in a dump. */
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &got))
		TH_LOG("get: %s", pg_errmsg(self->h));
	ASSERT_EQ(len, got->data_len);
	EXPECT_EQ(0, memcmp(self->buf, got->data, len));
	EXPECT_EQ(2, got->nattrs);
	pg_record_free(got);
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &only_b, &e))
		TH_LOG("enum: %s", pg_errmsg(self->h));
	ASSERT_EQ(1, pg_enum_count(e));
	listed = pg_enum_next(e);
	ASSERT_NE(NULL, listed);
	ASSERT_EQ(len, listed->data_len);
	EXPECT_EQ(0, memcmp(self->buf, listed->data, len));
	pg_enum_close(e);
}

TEST_F(size, add_one_byte_over_the_limit_is_emsgsize)
{
	struct pg_record r = record_of(type_b, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct snap before;

	size_record(&r, self->buf, variant->limit + 1);
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EMSGSIZE, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	EXPECT_STREQ("PEER_E_MAX_RECORD_SIZE_EXCEEDED",
		     pg_last_windows_error(self->h, -EMSGSIZE));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

/* Data alone over the limit is a record too large, like any other. */
TEST_F(size, data_alone_one_byte_over_the_limit_is_emsgsize)
{
	struct pg_record r = record_of(type_b, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct snap before;

	record_set_data(&r, self->buf, variant->limit + 1);
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EMSGSIZE, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	EXPECT_STREQ("PEER_E_MAX_RECORD_SIZE_EXCEEDED",
		     pg_last_windows_error(self->h, -EMSGSIZE));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(size, update_at_the_limit_fits)
{
	struct pg_record *cur, u;
	uint32_t version = 0;

	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, self->id, &cur));
	u = update_of(cur);
	size_record(&u, self->buf, variant->limit);
	EXPECT_EQ(0, pg_record_update(self->h, REC_GROUP, &u, &version))
		TH_LOG("update: %s", pg_errmsg(self->h));
	EXPECT_EQ(2, version);
	pg_record_free(cur);
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, self->id, &cur));
	EXPECT_EQ(variant->limit - SIZE_ATTRS_BYTES, cur->data_len);
	pg_record_free(cur);
}

TEST_F(size, update_one_byte_over_the_limit_is_emsgsize)
{
	struct pg_record *cur, u;
	struct snap before;

	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, self->id, &cur));
	u = update_of(cur);
	size_record(&u, self->buf, variant->limit + 1);
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EMSGSIZE, pg_record_update(self->h, REC_GROUP, &u, NULL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	pg_record_free(cur);
}

/* ---- Update */

TEST_F(record, update_bumps_the_version_and_sets_the_modifier)
{
	struct pg_record *cur, *got, u;
	uint32_t version = 0;

	ASSERT_EQ(0, add_and_get(self->h, type_a, 0, &cur));
	u = update_of(cur);
	record_set_data(&u, "second", 6);
	ASSERT_EQ(0, pg_record_update(self->h, REC_GROUP, &u, &version))
		TH_LOG("update: %s", pg_errmsg(self->h));
	EXPECT_EQ(2, version);

	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, cur->id, &got));
	EXPECT_EQ(2, got->version);
	EXPECT_STREQ(REC_IDENTITY, got->creator);
	EXPECT_STREQ(REC_IDENTITY, got->modifier);
	EXPECT_EQ(cur->created, got->created);
	EXPECT_LT(cur->modified, got->modified);
	EXPECT_EQ(cur->expires, got->expires);
	ASSERT_EQ(6, got->data_len);
	EXPECT_EQ(0, memcmp("second", got->data, 6));
	EXPECT_LT(0, got->security_len);
	EXPECT_FALSE(got->security_len == cur->security_len &&
		     !memcmp(got->security, cur->security, cur->security_len))
		TH_LOG("the update was not secured again");
	pg_record_free(got);
	pg_record_free(cur);
}

TEST_F(record, update_changing_the_type_is_einval)
{
	struct pg_record *cur, u;
	struct snap before;

	ASSERT_EQ(0, add_and_get(self->h, type_a, 0, &cur));
	u = update_of(cur);
	memcpy(u.type, type_b, PG_GUID_LEN);
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EINVAL, pg_record_update(self->h, REC_GROUP, &u, NULL));
	EXPECT_STREQ("PEER_E_INVALID_RECORD", pg_last_windows_error(self->h, -EINVAL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	pg_record_free(cur);
}

TEST_F(record, update_changing_the_flags_is_einval)
{
	struct pg_record *plain, *refreshed, u;
	struct snap before;

	ASSERT_EQ(0, add_and_get(self->h, type_a, 0, &plain));
	ASSERT_EQ(0, add_and_get(self->h, type_a, PEERGROUP_RECORD_F_AUTOREFRESH,
				 &refreshed));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	u = update_of(plain);
	u.flags = PEERGROUP_RECORD_F_AUTOREFRESH;
	EXPECT_ERR(self->h, -EINVAL, pg_record_update(self->h, REC_GROUP, &u, NULL));
	u.flags = PEERGROUP_RECORD_F_DELETED;
	EXPECT_ERR(self->h, -EINVAL, pg_record_update(self->h, REC_GROUP, &u, NULL));
	u = update_of(refreshed);
	u.flags = 0;
	EXPECT_ERR(self->h, -EINVAL, pg_record_update(self->h, REC_GROUP, &u, NULL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	pg_record_free(refreshed);
	pg_record_free(plain);
}

TEST_F(record, update_without_a_required_field_is_einval)
{
	static const uint32_t required[] = {
		PG_REC_ID, PG_REC_TYPE, PG_REC_FLAGS, PG_REC_EXPIRES,
	};
	struct pg_record *cur, u;
	struct snap before;
	size_t i;

	ASSERT_EQ(0, add_and_get(self->h, type_a, 0, &cur));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		u = update_of(cur);
		u.present &= ~required[i];
		EXPECT_EQ(-EINVAL, pg_record_update(self->h, REC_GROUP, &u, NULL))
			TH_LOG("without field 0x%x: %s", required[i], pg_errmsg(self->h));
	}
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	pg_record_free(cur);
}

TEST_F(record, update_of_an_unknown_record_is_enoent)
{
	struct pg_record *cur, u;
	struct snap before;

	ASSERT_EQ(0, add_and_get(self->h, type_a, 0, &cur));
	u = update_of(cur);
	u.id[15] ^= 0x01;
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -ENOENT, pg_record_update(self->h, REC_GROUP, &u, NULL));
	EXPECT_STREQ("PEER_E_RECORD_NOT_FOUND", pg_last_windows_error(self->h, -ENOENT));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	pg_record_free(cur);
}

TEST_F(record, update_shortening_the_expiration_is_einval)
{
	struct pg_record *cur, u;
	struct snap before;

	ASSERT_EQ(0, add_and_get(self->h, type_a, 0, &cur));
	u = update_of(cur);
	u.expires = cur->expires - 1;
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EINVAL, pg_record_update(self->h, REC_GROUP, &u, NULL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	pg_record_free(cur);
}

TEST_F(record, update_keeping_or_extending_the_expiration_is_fine)
{
	struct pg_record *cur, *got, u;
	uint32_t version = 0;

	ASSERT_EQ(0, add_and_get(self->h, type_a, 0, &cur));
	u = update_of(cur);
	EXPECT_EQ(0, pg_record_update(self->h, REC_GROUP, &u, &version))
		TH_LOG("same expiration: %s", pg_errmsg(self->h));
	EXPECT_EQ(2, version);
	u.expires = cur->expires + 3600 * NS_PER_SEC;
	EXPECT_EQ(0, pg_record_update(self->h, REC_GROUP, &u, &version))
		TH_LOG("later expiration: %s", pg_errmsg(self->h));
	EXPECT_EQ(3, version);
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, cur->id, &got));
	EXPECT_EQ(u.expires, got->expires);
	EXPECT_EQ(3, got->version);
	pg_record_free(got);
	pg_record_free(cur);
}

TEST_F(record, update_replaces_attributes_and_data)
{
	const struct pg_attribute first[] = {
		{ .name = "a", .kind = PG_ATTR_INT, .i = 1 },
		{ .name = "b", .kind = PG_ATTR_STRING, .str = "bee" },
	};
	const struct pg_attribute second = { .name = "c", .kind = PG_ATTR_DATE, .date = 5 };
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct pg_record *cur, *got, u;
	uint8_t id[PG_GUID_LEN];

	record_set_attrs(&r, first, 2);
	record_set_data(&r, "data", 4);
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &cur));

	/* New attributes, no data: the data is gone. */
	u = update_of(cur);
	record_set_attrs(&u, &second, 1);
	ASSERT_EQ(0, pg_record_update(self->h, REC_GROUP, &u, NULL))
		TH_LOG("update: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &got));
	ASSERT_EQ(1, got->nattrs);
	EXPECT_STREQ("c", got->attrs[0].name);
	EXPECT_EQ(PG_ATTR_DATE, got->attrs[0].kind);
	EXPECT_EQ(5, got->attrs[0].date);
	EXPECT_EQ(0, got->data_len);
	pg_record_free(got);

	/* Data only: the attributes are gone. */
	u = update_of(cur);
	record_set_data(&u, "new", 3);
	ASSERT_EQ(0, pg_record_update(self->h, REC_GROUP, &u, NULL));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &got));
	EXPECT_EQ(0, got->nattrs);
	ASSERT_EQ(3, got->data_len);
	EXPECT_EQ(0, memcmp("new", got->data, 3));
	pg_record_free(got);
	pg_record_free(cur);
}

TEST_F(record, update_ignores_the_fields_the_module_sets)
{
	static const uint8_t forged[] = "forged";
	struct pg_record *cur, *got, u;
	uint32_t version = 0;

	ASSERT_EQ(0, add_and_get(self->h, type_a, 0, &cur));
	u = update_of(cur);
	u.present |= PG_REC_VERSION | PG_REC_CREATOR | PG_REC_MODIFIER |
		     PG_REC_CREATED | PG_REC_MODIFIED | PG_REC_SECURITY;
	u.version = 99;
	u.creator = "mallory";
	u.modifier = "mallory";
	u.created = 5;
	u.modified = 6;
	u.security = forged;
	u.security_len = sizeof(forged);
	ASSERT_EQ(0, pg_record_update(self->h, REC_GROUP, &u, &version))
		TH_LOG("update: %s", pg_errmsg(self->h));
	EXPECT_EQ(2, version);
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, cur->id, &got));
	EXPECT_EQ(2, got->version);
	EXPECT_STREQ(REC_IDENTITY, got->creator);
	EXPECT_STREQ(REC_IDENTITY, got->modifier);
	EXPECT_EQ(cur->created, got->created);
	EXPECT_LT(cur->modified, got->modified);
	EXPECT_FALSE(got->security_len == sizeof(forged) &&
		     !memcmp(got->security, forged, sizeof(forged)));
	pg_record_free(got);
	pg_record_free(cur);
}

TEST_F(record, update_of_a_deleted_record_is_enoent)
{
	struct pg_record *cur, u;
	struct snap before;

	ASSERT_EQ(0, add_and_get(self->h, type_a, 0, &cur));
	ASSERT_EQ(0, pg_record_delete(self->h, REC_GROUP, cur->id, NULL));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	u = update_of(cur);
	EXPECT_ERR(self->h, -ENOENT, pg_record_update(self->h, REC_GROUP, &u, NULL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	pg_record_free(cur);
}

/* ---- Delete */

TEST_F(record, delete_hides_the_record)
{
	uint8_t gone[PG_GUID_LEN], kept[PG_GUID_LEN];
	char xml[256], guid[PG_GUID_STR_LEN];
	const struct pg_record *r;
	struct pg_record *got;
	uint32_t version = 0;
	struct pg_enum *e;

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "gone", gone));
	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "kept", kept));
	ASSERT_EQ(0, pg_record_delete(self->h, REC_GROUP, gone, &version))
		TH_LOG("delete: %s", pg_errmsg(self->h));
	EXPECT_EQ(2, version);

	EXPECT_ERR(self->h, -ENOENT, pg_record_get(self->h, REC_GROUP, gone, &got));
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, NULL, &e));
	ASSERT_EQ(1, pg_enum_count(e));
	r = pg_enum_next(e);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(0, memcmp(kept, r->id, PG_GUID_LEN));
	pg_enum_close(e);

	pg_guid_format(gone, guid);
	snprintf(xml, sizeof(xml), "<peersearch><clause attrib=\"peerrecordid\" "
		 "type=\"string\">%s</clause></peersearch>", guid);
	ASSERT_EQ(0, pg_record_search(self->h, REC_GROUP, xml, 0, &e))
		TH_LOG("search: %s", pg_errmsg(self->h));
	EXPECT_EQ(0, pg_enum_count(e));
	pg_enum_close(e);
}

TEST_F(record, delete_leaves_a_tombstone)
{
	const struct pg_attribute attr = { .name = "a", .kind = PG_ATTR_INT, .i = 1 };
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	const struct pg_record *t;
	uint8_t id[PG_GUID_LEN];
	struct pg_group_status st;
	struct pg_record *cur;
	struct pg_enum *e;

	record_set_attrs(&r, &attr, 1);
	record_set_data(&r, "data", 4);
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &cur));
	ASSERT_EQ(0, pg_record_delete(self->h, REC_GROUP, id, NULL));

	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &all, &e))
		TH_LOG("enum: %s", pg_errmsg(self->h));
	ASSERT_EQ(1, pg_enum_count(e));
	t = pg_enum_next(e);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(0, memcmp(id, t->id, PG_GUID_LEN));
	EXPECT_EQ(0, memcmp(type_a, t->type, PG_GUID_LEN));
	EXPECT_EQ(PEERGROUP_RECORD_F_DELETED, t->flags);
	EXPECT_EQ(2, t->version);
	EXPECT_EQ(0, t->nattrs);
	EXPECT_EQ(0, t->data_len);
	EXPECT_STREQ(REC_IDENTITY, t->creator);
	EXPECT_STREQ(REC_IDENTITY, t->modifier);
	EXPECT_EQ(cur->created, t->created);
	EXPECT_LT(cur->modified, t->modified);
	EXPECT_EQ(cur->expires, t->expires);
	EXPECT_LT(0, t->security_len);
	EXPECT_FALSE(t->security_len == cur->security_len &&
		     !memcmp(t->security, cur->security, cur->security_len))
		TH_LOG("the tombstone was not secured again");
	pg_enum_close(e);

	/* A tombstone is held: it counts. */
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_EQ(1, st.records);
	pg_record_free(cur);
}

TEST_F(record, delete_of_an_unknown_record_is_enoent)
{
	uint8_t id[PG_GUID_LEN];
	struct snap before;

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, id));
	id[15] ^= 0x01;
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -ENOENT, pg_record_delete(self->h, REC_GROUP, id, NULL));
	EXPECT_STREQ("PEER_E_RECORD_NOT_FOUND", pg_last_windows_error(self->h, -ENOENT));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(record, delete_twice_is_enoent)
{
	uint8_t id[PG_GUID_LEN];
	struct snap before;

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, id));
	ASSERT_EQ(0, pg_record_delete(self->h, REC_GROUP, id, NULL));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -ENOENT, pg_record_delete(self->h, REC_GROUP, id, NULL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

/* ---- Get and enumerate */

TEST_F(record, get_of_an_unknown_record_is_enoent)
{
	uint8_t id[PG_GUID_LEN];
	struct pg_record *got = NULL;

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, id));
	id[15] ^= 0x01;
	EXPECT_ERR(self->h, -ENOENT, pg_record_get(self->h, REC_GROUP, id, &got));
	EXPECT_STREQ("PEER_E_RECORD_NOT_FOUND", pg_last_windows_error(self->h, -ENOENT));
}

TEST_F(record, get_with_a_malformed_id_is_einval)
{
	struct nl_msg *msg;
	struct nlattr *rec;

	/* An id of 15 bytes. */
	msg = pg_msg_new(self->h, PEERGROUP_CMD_RECORD_GET, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_GROUP_NAME, REC_GROUP));
	rec = nla_nest_start(msg, PEERGROUP_A_RECORD);
	ASSERT_NE(NULL, rec);
	ASSERT_EQ(0, nla_put(msg, PEERGROUP_RECORD_A_ID, PG_GUID_LEN - 1, type_a));
	nla_nest_end(msg, rec);
	EXPECT_ERR(self->h, -EINVAL, pg_transact(self->h, msg, NULL, NULL));

	/* No id at all. */
	msg = pg_msg_new(self->h, PEERGROUP_CMD_RECORD_GET, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_GROUP_NAME, REC_GROUP));
	EXPECT_ERR(self->h, -EINVAL, pg_transact(self->h, msg, NULL, NULL));
}

TEST_F(record, every_command_on_a_missing_group_is_enoent)
{
	struct pg_group_props props = { .mask = PG_SET_MAX_RECORDS, .max_records = 10 };
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	static const char *const nogroup = "nothere";
	struct pg_record *cur, *got = NULL, u, r;
	struct pg_group_status st;
	struct pg_enum *e = NULL;
	uint64_t peer;

	ASSERT_EQ(0, add_and_get(self->h, type_a, 0, &cur));
	u = update_of(cur);
	r = record_of(type_a, cur->expires);
	EXPECT_ERR(self->h, -ENOENT, pg_record_add(self->h, nogroup, &r, NULL, NULL));
	EXPECT_EQ(PEERGROUP_A_GROUP_NAME, pg_errattr(self->h));
	EXPECT_STREQ("PEER_E_INVALID_GROUP", pg_last_windows_error(self->h, -ENOENT));
	EXPECT_ERR(self->h, -ENOENT, pg_record_update(self->h, nogroup, &u, NULL));
	EXPECT_EQ(PEERGROUP_A_GROUP_NAME, pg_errattr(self->h));
	EXPECT_ERR(self->h, -ENOENT, pg_record_delete(self->h, nogroup, cur->id, NULL));
	EXPECT_EQ(PEERGROUP_A_GROUP_NAME, pg_errattr(self->h));
	EXPECT_ERR(self->h, -ENOENT, pg_record_get(self->h, nogroup, cur->id, &got));
	EXPECT_EQ(PEERGROUP_A_GROUP_NAME, pg_errattr(self->h));
	EXPECT_EQ(-ENOENT, pg_record_enum(self->h, nogroup, &all, &e));
	EXPECT_EQ(-ENOENT, pg_record_search(self->h, nogroup,
		"<peersearch><clause attrib=\"a\" type=\"int\">1</clause></peersearch>",
		0, &e));
	EXPECT_ERR(self->h, -ENOENT, pg_record_import(self->h, nogroup, cur));
	EXPECT_ERR(self->h, -ENOENT, pg_group_status(self->h, nogroup, &st));
	EXPECT_ERR(self->h, -ENOENT, pg_group_set(self->h, nogroup, &props));
	EXPECT_ERR(self->h, -ENOENT, pg_time_convert(self->h, nogroup, PG_TIME_NOW, 0,
						     NULL, &peer));
	EXPECT_EQ(1, count_records(self->h, REC_GROUP, PG_ENUM_TOMBSTONES));
	pg_record_free(cur);
}

TEST_F(record, enumeration_lists_every_record_in_id_order)
{
	uint8_t ids[20][PG_GUID_LEN];
	const struct pg_record *r;
	uint8_t prev[PG_GUID_LEN];
	struct pg_enum *e;
	int i, j, seen = 0;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, add_record(self->h, REC_GROUP, i % 2 ? type_a : type_b,
					NULL, ids[i]));
	}
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, NULL, &e))
		TH_LOG("enum: %s", pg_errmsg(self->h));
	ASSERT_EQ(20, pg_enum_count(e));
	for (i = 0; (r = pg_enum_next(e)); i++) {
		if (i) {
			EXPECT_GT(0, memcmp(prev, r->id, PG_GUID_LEN))
				TH_LOG("record %d is out of order", i);
		}
		memcpy(prev, r->id, PG_GUID_LEN);
		for (j = 0; j < 20; j++)
			if (!memcmp(ids[j], r->id, PG_GUID_LEN))
				seen |= 1 << j;
	}
	EXPECT_EQ(20, i);
	EXPECT_EQ((1 << 20) - 1, seen);
	pg_enum_close(e);
}

TEST_F(record, enumeration_filters_by_type)
{
	static const uint8_t unused[PG_GUID_LEN] = { 0xee, 0xee, 0xee, 0xee, 0xee };
	struct pg_enum_filter f = { .type = type_a };
	const struct pg_record *r;
	struct pg_enum *e;
	int i;

	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, add_record(self->h, REC_GROUP, i < 3 ? type_a : type_b,
					NULL, NULL));
	}
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &f, &e));
	EXPECT_EQ(3, pg_enum_count(e));
	while ((r = pg_enum_next(e))) {
		EXPECT_EQ(0, memcmp(type_a, r->type, PG_GUID_LEN));
	}
	pg_enum_close(e);

	f.type = type_b;
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &f, &e));
	EXPECT_EQ(2, pg_enum_count(e));
	while ((r = pg_enum_next(e))) {
		EXPECT_EQ(0, memcmp(type_b, r->type, PG_GUID_LEN));
	}
	pg_enum_close(e);

	f.type = unused;
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &f, &e));
	EXPECT_EQ(0, pg_enum_count(e));
	pg_enum_close(e);
}

TEST_F(record, enumeration_filters_by_creator)
{
	struct pg_enum_filter f = { .creator = REC_IDENTITY };
	struct pg_enum *e;
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, NULL));
	}
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &f, &e));
	EXPECT_EQ(3, pg_enum_count(e));
	pg_enum_close(e);
	f.creator = "bob";
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &f, &e));
	EXPECT_EQ(0, pg_enum_count(e));
	pg_enum_close(e);
	/* record_db_test proves the filter with two creators in one table. */
}

/* What a stream's callback saw: ids in order, the types, a stop. */
struct seen {
	int n;
	int stop_at;		/* fail at this record, -1 never */
	int type_a;
	uint8_t ids[20][PG_GUID_LEN];
};

static int see(void *arg, const struct pg_record *r)
{
	struct seen *s = arg;

	if (s->n == s->stop_at)
		return -ECANCELED;
	if (s->n < 20)
		memcpy(s->ids[s->n], r->id, PG_GUID_LEN);
	s->type_a += !memcmp(r->type, type_a, PG_GUID_LEN);
	s->n++;
	return 0;
}

TEST_F(record, stream_hands_on_what_enumeration_lists)
{
	static const char query[] =
		"<peersearch><clause attrib=\"peerrecordtype\" type=\"string\">*</clause></peersearch>";
	struct pg_enum_filter by_type = { .type = type_a };
	struct seen s = { .stop_at = -1 };
	const struct pg_record *r;
	struct pg_enum *e;
	int i;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, add_record(self->h, REC_GROUP, i % 2 ? type_a : type_b,
					NULL, NULL));
	}
	ASSERT_EQ(0, pg_record_stream(self->h, REC_GROUP, NULL, NULL, see, &s))
		TH_LOG("stream: %s", pg_errmsg(self->h));
	ASSERT_EQ(20, s.n);
	EXPECT_EQ(10, s.type_a);
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, NULL, &e));
	for (i = 0; (r = pg_enum_next(e)); i++)
		EXPECT_EQ(0, memcmp(s.ids[i], r->id, PG_GUID_LEN))
			TH_LOG("record %d differs from the enumeration's", i);
	pg_enum_close(e);

	/* A filter, and a query (every record has a type). */
	memset(&s, 0, sizeof(s));
	s.stop_at = -1;
	ASSERT_EQ(0, pg_record_stream(self->h, REC_GROUP, &by_type, NULL, see, &s));
	EXPECT_EQ(10, s.n);
	EXPECT_EQ(10, s.type_a);
	memset(&s, 0, sizeof(s));
	s.stop_at = -1;
	ASSERT_EQ(0, pg_record_stream(self->h, REC_GROUP, NULL, query, see, &s))
		TH_LOG("stream with a query: %s", pg_errmsg(self->h));
	EXPECT_EQ(20, s.n);

	/* The callback's error ends it; a filter with a query is refused. */
	memset(&s, 0, sizeof(s));
	s.stop_at = 5;
	EXPECT_EQ(-ECANCELED, pg_record_stream(self->h, REC_GROUP, NULL, NULL, see, &s));
	EXPECT_EQ(5, s.n);
	EXPECT_EQ(-EINVAL, pg_record_stream(self->h, REC_GROUP, &by_type, query, see, &s));
	EXPECT_EQ(-ENOENT, pg_record_stream(self->h, "nogroup", NULL, NULL, see, &s));
	/* The handle still works after an early stop. */
	EXPECT_EQ(20, count_records(self->h, REC_GROUP, 0));
}

#define DUMP_RECORDS 200
TEST_F(record, dump_interrupted_by_a_change_is_flagged)
{
	static uint8_t data[4000];
	struct nl_sock *sk = pg_sock(self->h);
	struct pg_handle *other;
	bool done = false;
	struct nl_msg *msg;
	int flags = 0, i;

	/*
	 * 800 KB of records. A dump datagram holds at least the largest
	 * record (about 80 KB), and each recv() makes the kernel fill the
	 * next one: the dump must be longer than the two parts made before
	 * the change.
	 */
	memset(data, 'd', sizeof(data));
	for (i = 0; i < DUMP_RECORDS; i++) {
		struct pg_record r = record_of(type_a,
					       peer_time_in(self->h, REC_GROUP, HOUR_MS));

		record_set_data(&r, data, sizeof(data));
		ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	}

	/* The first part of the dump comes before anything changes ... */
	msg = pg_msg_new(self->h, PEERGROUP_CMD_RECORD_GET, NLM_F_DUMP);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_GROUP_NAME, REC_GROUP));
	ASSERT_LT(0, nl_send_auto(sk, msg));
	nlmsg_free(msg);
	ASSERT_LT(0, recv_dump_datagram(sk, &flags, &done));
	ASSERT_FALSE(done) TH_LOG("the records fit one datagram: make them larger");
	EXPECT_EQ(0, flags & NLM_F_DUMP_INTR);

	/* ... then another socket adds a record: the rest is flagged. */
	ASSERT_EQ(0, pg_open(&other));
	ASSERT_EQ(0, add_record(other, REC_GROUP, type_b, "late", NULL));
	while (!done) {
		ASSERT_LT(0, recv_dump_datagram(sk, &flags, &done));
	}
	EXPECT_NE(0, flags & NLM_F_DUMP_INTR);

	/* The library starts such a dump again and returns the whole table. */
	EXPECT_EQ(DUMP_RECORDS + 1, count_records(self->h, REC_GROUP, 0));
	pg_close(other);
}

TEST_HARNESS_MAIN
