// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Offline tests: GUID text, ISO-8601 dates, the tool's WHEN and attr
 * arguments and its bounded file reads, the record nest both ways,
 * requests too large for a netlink attribute, and Windows names from the
 * innermost attribute the kernel blamed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include "../lib/internal.h"
#include "../peergroup/args.h"
#include "unit.h"

#define SEC 1000000000ULL

static void test_guid(void)
{
	static const uint8_t g[PG_GUID_LEN] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
	};
	static const char *const bad[] = {
		"", "0123456789abcdeffedcba9876543210",
		"01234567-89ab-cdef-fedc-ba987654321",
		"01234567-89ab-cdef-fedc-ba98765432100",
		"01234567-89ab-cdef-fedc-ba987654321g",
		"01234567-89abc-def-fedc-ba9876543210",
		"{01234567-89ab-cdef-fedc-ba9876543210",
		"01234567-89ab-cdef-fedc-ba9876543210}",
		" 01234567-89ab-cdef-fedc-ba9876543210",
	};
	char s[PG_GUID_STR_LEN];
	uint8_t out[PG_GUID_LEN];
	size_t i;

	pg_guid_format(g, s);
	CHECK_STR(s, "01234567-89ab-cdef-fedc-ba9876543210");
	CHECK_INT(pg_guid_parse(s, out), 0);
	CHECK_INT(memcmp(out, g, PG_GUID_LEN), 0);
	memset(out, 0, sizeof(out));
	CHECK_INT(pg_guid_parse("{01234567-89AB-CDEF-fedc-BA9876543210}", out), 0);
	CHECK_INT(memcmp(out, g, PG_GUID_LEN), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(out, 0x5a, sizeof(out));
		CHECK_INT(pg_guid_parse(bad[i], out), -EINVAL);
		CHECK_INT(out[0], 0x5a);	/* untouched on failure */
	}
}

static void test_dates(void)
{
	static const struct {
		const char *s;
		int err;
		uint64_t ns;
	} cases[] = {
		{ "1970", 0, 0 },
		{ "2026", 0, 1767225600 * SEC },
		{ "2026-03", 0, 1772323200 * SEC },
		{ "2024-02-29", 0, 1709164800 * SEC },
		{ "2023-11-14T22:13Z", 0, 1699999980 * SEC },
		{ "2023-11-14T22:13:20Z", 0, 1700000000 * SEC },
		{ "2023-11-14T22:13:20.5Z", 0, 1700000000 * SEC + 500000000 },
		{ "2023-11-14T22:13:20.123456789Z", 0, 1700000000123456789ULL },
		{ "2023-11-14T22:13:20.1234567891Z", 0, 1700000000123456789ULL },
		{ "2023-11-15T00:13:20+02:00", 0, 1700000000 * SEC },
		{ "2023-11-14T20:43:20-01:30", 0, 1700000000 * SEC },
		{ "2554-07-21T23:34:33.709551615Z", 0, UINT64_MAX },
		{ "2554-07-21T23:34:33.709551616Z", -ERANGE, 0 },
		{ "1969-12-31T23:59:59Z", -ERANGE, 0 },
		{ "1970-01-01T00:30+01:00", -ERANGE, 0 },
		{ "9999-12-31", -ERANGE, 0 },
		{ "2023-02-29", -EINVAL, 0 },
		{ "2023-13-01", -EINVAL, 0 },
		{ "2023-00-01", -EINVAL, 0 },
		{ "2023-1-01", -EINVAL, 0 },
		{ "2023-11-14T22:13:20", -EINVAL, 0 },	/* no zone */
		{ "2023-11-14T24:00Z", -EINVAL, 0 },
		{ "2023-11-14T22:60Z", -EINVAL, 0 },
		{ "2023-11-14T22:13:60Z", -EINVAL, 0 },
		{ "2023-11-14T22:13:20.Z", -EINVAL, 0 },
		{ "2023-11-14T22:13:20+0200", -EINVAL, 0 },
		{ "2023-11-14T22:13:20+24:00", -EINVAL, 0 },
		{ "2023-11-14 22:13:20Z", -EINVAL, 0 },
		{ "2023-11-14T22:13:20Zx", -EINVAL, 0 },
		{ "20231", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "0000", -EINVAL, 0 },
	};
	char out[PG_DATE_STR_LEN];
	uint64_t ns;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ns = 42;
		CHECK_INT(pg_date_parse(cases[i].s, &ns), cases[i].err);
		CHECK_INT(ns, cases[i].err ? 42 : cases[i].ns);
	}
	pg_date_format(0, out);
	CHECK_STR(out, "1970-01-01T00:00:00Z");
	pg_date_format(1700000000 * SEC, out);
	CHECK_STR(out, "2023-11-14T22:13:20Z");
	pg_date_format(1709164800 * SEC + 1, out);
	CHECK_STR(out, "2024-02-29T00:00:00.000000001Z");
	pg_date_format(UINT64_MAX, out);
	CHECK_STR(out, "2554-07-21T23:34:33.709551615Z");
	CHECK_INT(pg_date_parse(out, &ns), 0);
	CHECK_INT(ns, UINT64_MAX);
}

static void test_when(void)
{
	const uint64_t now = 1700000000 * SEC;
	const char *why = NULL;
	uint64_t out = 0;

	CHECK_INT(parse_when("+30s", now, &out, &why), 0);
	CHECK_INT(out, now + 30 * SEC);
	CHECK_INT(parse_when("+5m", now, &out, &why), 0);
	CHECK_INT(out, now + 300 * SEC);
	CHECK_INT(parse_when("+1h", now, &out, &why), 0);
	CHECK_INT(out, now + 3600 * SEC);
	CHECK_INT(parse_when("+2d", now, &out, &why), 0);
	CHECK_INT(out, now + 2 * 86400 * SEC);
	CHECK_INT(parse_when("+0s", now, &out, &why), 0);
	CHECK_INT(out, now);
	CHECK_INT(parse_when("2023-11-14T22:13:21Z", now, &out, &why), 0);
	CHECK_INT(out, now + SEC);
	CHECK_INT(parse_when("+1", now, &out, &why), -1);
	CHECK_INT(parse_when("+s", now, &out, &why), -1);
	CHECK_INT(parse_when("+1hh", now, &out, &why), -1);
	CHECK_INT(parse_when("+-1h", now, &out, &why), -1);
	CHECK_INT(parse_when("1h", now, &out, &why), -1);
	CHECK_INT(parse_when("+200000d", now, &out, &why), -1);
	CHECK_STR(why, "too far in the future");
	CHECK_INT(parse_when("+99999999999999999999s", 0, &out, &why), -1);
	CHECK_STR(why, "too far in the future");
	CHECK_INT(when_is_relative("+1s"), 1);
	CHECK_INT(when_is_relative("2026"), 0);
}

/* parse_seconds() up to UINT32_MAX, parse_kib() up to 4 GiB. */
static void test_seconds_and_kib(void)
{
	static const struct {
		const char *s;
		int ret;
		uint64_t v;
		bool kib;
	} cases[] = {
		{ "3600", 0, 3600, false }, { "90s", 0, 90, false }, { "90m", 0, 5400, false },
		{ "2h", 0, 7200, false }, { "30d", 0, 2592000, false }, { "0", 0, 0, false },
		{ "49710d", 0, 49710ULL * 86400, false },
		/* Beyond UINT32_MAX, beyond 2^64 ns, not a span: unchanged. */
		{ "49711d", -1, 7, false }, { "4294967296", -1, 7, false },
		{ "99999999999999999999", -1, 7, false }, { "1w", -1, 7, false },
		{ "1hh", -1, 7, false }, { "+1h", -1, 7, false }, { "h", -1, 7, false }, { "", -1, 7, false },
		/* KiB, or k, m, g in either case; beyond 4 GiB, not a size. */
		{ "65536", 0, 65536, true }, { "64k", 0, 64, true },
		{ "64K", 0, 64, true }, { "64m", 0, 65536, true },
		{ "1G", 0, 1048576, true }, { "4g", 0, 4194304, true },
		{ "5g", -1, 7, true }, { "4194305", -1, 7, true },
		{ "1t", -1, 7, true }, { "m", -1, 7, true }, { "1mb", -1, 7, true },
		{ "", -1, 7, true }, { "-1", -1, 7, true },
		{ "99999999999999999999", -1, 7, true },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 7;

		CHECK_INT(cases[i].kib ?
			  parse_kib(cases[i].s, PEERGROUP_KDF_MEMORY_MAX, &v) :
			  parse_seconds(cases[i].s, UINT32_MAX, &v), cases[i].ret);
		CHECK_INT(v, cases[i].v);
	}
}

static void test_kdf_spec(void)
{
	struct pg_kdf k = { 0 };
	const char *why = NULL;

	CHECK_INT(parse_kdf_spec("time=1,memory=64k,lanes=1", &k, &why), 0);
	CHECK_INT(k.time, 1);
	CHECK_INT(k.memory_kib, 64);
	CHECK_INT(k.lanes, 1);
	k = (struct pg_kdf){ 0 };
	CHECK_INT(parse_kdf_spec("memory=1m", &k, &why), 0);
	CHECK_INT(k.memory_kib, 1024);
	CHECK_INT(k.time, 0);
	CHECK_INT(parse_kdf_spec("time=0", &k, &why), -1);
	CHECK_STR(why, "bad time (expected passes, 1 to 1000)");
	CHECK_INT(parse_kdf_spec("memory=4k", &k, &why), -1);
	CHECK_STR(why, "bad memory (expected KiB, or N and a unit k, m or g, from 8k to 4g)");
	CHECK_INT(parse_kdf_spec("lanes=256", &k, &why), -1);
	CHECK_STR(why, "bad lanes (expected 1 to 255)");
	CHECK_INT(parse_kdf_spec("time=1,time=2", &k, &why), -1);
	CHECK_STR(why, "a parameter given twice");
	CHECK_INT(parse_kdf_spec("speed=1", &k, &why), -1);
	CHECK_STR(why, "expected time=N,memory=SIZE,lanes=N (any of them)");
	CHECK_INT(parse_kdf_spec("time", &k, &why), -1);
	CHECK_INT(parse_kdf_spec("", &k, &why), -1);
}

/*
 * The group key, known answers: computed once with Debian's argon2 CLI,
 * e.g. printf 'correct horse' | argon2 "peergroup psk v2 $ID" -id -t 2 -k 64
 * -p 2 -l 32 -r, ID the id alice's group "office" has.
 */
static void test_kdf_derive(void)
{
	static const char id[] = "2bd806c97f0e00af1a1fc3328fa763a9269723c8.office";
	static const char pw[] = "correct horse";
	struct pg_kdf k = { .time = 2, .memory_kib = 64, .lanes = 2 }, used;
	uint8_t key[PEERGROUP_GROUP_KEY_LEN];
	const char *why = NULL;
	char hex[2 * sizeof(key) + 1];
	size_t i;

	CHECK_INT(pg_kdf_derive(pw, strlen(pw), id, &k, &used, key, &why), 0);
	for (i = 0; i < sizeof(key); i++)
		sprintf(hex + 2 * i, "%02x", key[i]);
	CHECK_STR(hex, "9246f7ebaafa538d98d732be03136d56f61f84cb09c95743994d7bd9029b1e7c");
	CHECK_INT(used.time, 2);
	/* The defaults, RFC 9106's second option: t=3, 64 MiB, 4 lanes. */
	CHECK_INT(pg_kdf_derive(pw, strlen(pw), id, NULL, &used, key, &why), 0);
	for (i = 0; i < sizeof(key); i++)
		sprintf(hex + 2 * i, "%02x", key[i]);
	CHECK_STR(hex, "bb367df189833d8903ac19cbacab5948eb1808f1531edb9fabc5651557c82689");
	CHECK_INT(used.time, 3);
	CHECK_INT(used.memory_kib, 65536);
	CHECK_INT(used.lanes, 4);
	k = (struct pg_kdf){ .time = 1, .memory_kib = 8, .lanes = 2 };
	CHECK_INT(pg_kdf_derive(pw, strlen(pw), id, &k, NULL, key, &why), -EINVAL);
	CHECK_STR(why, "kdf memory: Argon2id needs at least 8 KiB per lane");
	CHECK_INT(pg_kdf_derive(pw, 0, id, NULL, NULL, key, &why), -EINVAL);
	CHECK_STR(why, "password: 1 to 256 bytes");
}

static void test_attr_args(void)
{
	struct pg_attribute a;
	const char *why;
	char *copy;

	CHECK_INT(parse_attr("colour=blue", &a, &copy, &why), 0);
	CHECK_STR(a.name, "colour");
	CHECK_INT(a.kind, PG_ATTR_STRING);
	CHECK_STR(a.str, "blue");
	free(copy);
	CHECK_INT(parse_attr("n=-42:int", &a, &copy, &why), 0);
	CHECK_INT(a.kind, PG_ATTR_INT);
	CHECK_INT(a.i, -42);
	free(copy);
	CHECK_INT(parse_attr("d=2023-11-14T22:13:20Z:date", &a, &copy, &why), 0);
	CHECK_INT(a.kind, PG_ATTR_DATE);
	CHECK_INT(a.date, 1700000000 * SEC);
	free(copy);
	CHECK_INT(parse_attr("s=a=b:c:int:string", &a, &copy, &why), 0);
	CHECK_STR(a.name, "s");
	CHECK_INT(a.kind, PG_ATTR_STRING);
	CHECK_STR(a.str, "a=b:c:int");
	free(copy);
	CHECK_INT(parse_attr("e=", &a, &copy, &why), 0);
	CHECK_STR(a.str, "");
	free(copy);
	CHECK_INT(parse_attr("n=9223372036854775808:int", &a, &copy, &why), -1);
	CHECK_INT(parse_attr("n=1.5:int", &a, &copy, &why), -1);
	CHECK_INT(parse_attr("noequals", &a, &copy, &why), -1);
	CHECK_INT(parse_attr("=x", &a, &copy, &why), -1);
	CHECK_INT(parse_attr("d=yesterday:date", &a, &copy, &why), -1);
	CHECK_INT(copy == NULL, 1);
}

/* A file is read up to one byte past the bound, never further. */
static void test_read_bounded(void)
{
	size_t len = 0;
	char *buf;

	CHECK_INT(read_input("/dev/zero", 10, &buf, &len), 0);
	CHECK_INT(len, 11);
	free(buf);
	CHECK_INT(read_input("/dev/null", 10, &buf, &len), 0);
	CHECK_INT(len, 0);
	CHECK_STR(buf, "");
	free(buf);
	CHECK_INT(read_input("/nonexistent", 10, &buf, &len), -ENOENT);
}

/*
 * Caller-sized data over what a netlink attribute holds: -EMSGSIZE and a
 * message naming the field, before anything is sent (h has no socket).
 */
static void test_request_too_large(void)
{
	struct pg_handle h = { .family = 0x20 };
	struct pg_attribute a = { .name = "big", .kind = PG_ATTR_STRING };
	struct pg_record rec = { .present = PG_REC_TYPE | PG_REC_EXPIRES };
	const char *held = "more than a netlink attribute holds (65531)";
	char want[PG_ERRMSG_MAX];
	struct nl_msg *msg;
	char *big;

	big = malloc(70001);
	if (!big)
		return;
	memset(big, 'a', 70000);
	big[70000] = '\0';

	a.str = big;
	rec.present |= PG_REC_ATTRS;
	rec.attrs = &a;
	rec.nattrs = 1;
	CHECK_INT(pg_record_request(&h, PEERGROUP_CMD_RECORD_ADD, "office", &rec,
				    NULL, &msg), -EMSGSIZE);
	CHECK_INT(msg == NULL, 1);
	snprintf(want, sizeof(want), "record: attribute \"big\": 70001 bytes, %s", held);
	CHECK_STR(pg_errmsg(&h), want);

	a.name = big;
	a.str = "x";
	CHECK_INT(pg_record_request(&h, PEERGROUP_CMD_RECORD_ADD, "office", &rec,
				    NULL, &msg), -EMSGSIZE);
	snprintf(want, sizeof(want), "record: attribute 1: its name: 70001 bytes, %s", held);
	CHECK_STR(pg_errmsg(&h), want);

	/* Name and value fit one by one, not together in the attribute's nest. */
	a.name = "n";
	a.str = big + 70000 - 65520;
	CHECK_INT(pg_record_request(&h, PEERGROUP_CMD_RECORD_ADD, "office", &rec,
				    NULL, &msg), -EMSGSIZE);
	snprintf(want, sizeof(want), "record: attribute \"n\": 65536 bytes, %s", held);
	CHECK_STR(pg_errmsg(&h), want);

	rec.present = PG_REC_TYPE | PG_REC_EXPIRES | PG_REC_DATA;
	rec.data = (const uint8_t *)big;
	rec.data_len = 70000;
	CHECK_INT(pg_record_add(&h, "office", &rec, NULL, NULL), -EMSGSIZE);
	snprintf(want, sizeof(want), "record: data: 70000 bytes, %s", held);
	CHECK_STR(pg_errmsg(&h), want);

	rec.data_len = 0;
	CHECK_INT(pg_record_request(&h, PEERGROUP_CMD_RECORD_ADD, big, &rec,
				    NULL, &msg), -EMSGSIZE);
	snprintf(want, sizeof(want), "group name: 70001 bytes, %s", held);
	CHECK_STR(pg_errmsg(&h), want);

	CHECK_INT(pg_group_create(&h, "office", big, NULL), -EMSGSIZE);
	snprintf(want, sizeof(want), "identity: 70001 bytes, %s", held);
	CHECK_STR(pg_errmsg(&h), want);
	free(big);
}

/* A record nest as the kernel sends it, with pads and a newer attribute. */
static struct nl_msg *kernel_record(void)
{
	static const uint8_t id[PG_GUID_LEN] = { 1, 2, 3 }, type[PG_GUID_LEN] = { 9 };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *rec, *attrs, *a;

	genlmsg_put(msg, 0, 1, 0x20, 0, 0, PEERGROUP_CMD_RECORD_GET, 1);
	nla_put_string(msg, PEERGROUP_A_GROUP_NAME, "office");
	rec = nla_nest_start(msg, PEERGROUP_A_RECORD);
	nla_put(msg, PEERGROUP_RECORD_A_ID, PG_GUID_LEN, id);
	nla_put(msg, PEERGROUP_RECORD_A_TYPE, PG_GUID_LEN, type);
	nla_put_u32(msg, PEERGROUP_RECORD_A_VERSION, 3);
	nla_put_u32(msg, PEERGROUP_RECORD_A_FLAGS, PEERGROUP_RECORD_F_AUTOREFRESH);
	nla_put_string(msg, PEERGROUP_RECORD_A_CREATOR, "alice");
	nla_put_string(msg, PEERGROUP_RECORD_A_MODIFIER, "bob");
	nla_put(msg, PEERGROUP_RECORD_A_PAD, 0, NULL);
	nla_put_u64(msg, PEERGROUP_RECORD_A_CREATED, 10);
	nla_put_u64(msg, PEERGROUP_RECORD_A_MODIFIED, 20);
	nla_put_u64(msg, PEERGROUP_RECORD_A_EXPIRES, 30);
	attrs = nla_nest_start(msg, PEERGROUP_RECORD_A_ATTRS);
	a = nla_nest_start(msg, PEERGROUP_ATTRS_A_ATTR);
	nla_put_string(msg, PEERGROUP_ATTR_A_NAME, "colour");
	nla_put_string(msg, PEERGROUP_ATTR_A_STR, "blue");
	nla_nest_end(msg, a);
	a = nla_nest_start(msg, PEERGROUP_ATTRS_A_ATTR);
	nla_put_string(msg, PEERGROUP_ATTR_A_NAME, "n");
	nla_put(msg, PEERGROUP_ATTR_A_PAD, 0, NULL);
	nla_put_s64(msg, PEERGROUP_ATTR_A_INT, -7);
	nla_nest_end(msg, a);
	a = nla_nest_start(msg, PEERGROUP_ATTRS_A_ATTR);
	nla_put_string(msg, PEERGROUP_ATTR_A_NAME, "when");
	nla_put_u64(msg, PEERGROUP_ATTR_A_DATE, 99);
	nla_nest_end(msg, a);
	nla_nest_end(msg, attrs);
	nla_put(msg, PEERGROUP_RECORD_A_SECURITY, 3, "\x01\x02\x03");
	nla_put(msg, PEERGROUP_RECORD_A_DATA, 5, "hello");
	nla_put_u32(msg, PEERGROUP_RECORD_A_MAX + 3, 1);
	nla_nest_end(msg, rec);
	return msg;
}

static void test_record_parse(void)
{
	struct nl_msg *msg = kernel_record(), *again;
	struct pg_handle h = { .family = 0x20 };
	struct pg_record *r, *r2;
	struct nlattr *raw;

	CHECK_INT(pg_record_from_msg(msg, NULL, &raw), 0);	/* raw only */
	CHECK_INT(nla_type(raw), PEERGROUP_A_RECORD);
	CHECK_INT(pg_record_from_msg(msg, &r, &raw), 0);
	if (!r)
		return;
	CHECK_INT(r->present, PG_REC_ID | PG_REC_TYPE | PG_REC_VERSION |
		  PG_REC_FLAGS | PG_REC_CREATOR | PG_REC_MODIFIER |
		  PG_REC_CREATED | PG_REC_MODIFIED | PG_REC_EXPIRES |
		  PG_REC_ATTRS | PG_REC_SECURITY | PG_REC_DATA);
	CHECK_INT(r->id[2], 3);
	CHECK_INT(r->type[0], 9);
	CHECK_INT(r->version, 3);
	CHECK_INT(r->flags, PEERGROUP_RECORD_F_AUTOREFRESH);
	CHECK_STR(r->creator, "alice");
	CHECK_STR(r->modifier, "bob");
	CHECK_INT(r->created + r->modified + r->expires, 60);
	CHECK_INT(r->nattrs, 3);
	CHECK_STR(r->attrs[0].name, "colour");
	CHECK_STR(r->attrs[0].str, "blue");
	CHECK_INT(r->attrs[1].kind, PG_ATTR_INT);
	CHECK_INT(r->attrs[1].i, -7);
	CHECK_INT(r->attrs[2].kind, PG_ATTR_DATE);
	CHECK_INT(r->attrs[2].date, 99);
	CHECK_INT(r->security_len, 3);
	CHECK_INT(r->data_len, 5);
	CHECK_INT(memcmp(r->data, "hello", 5), 0);

	/* What we parsed, sent back, parses to the same. */
	again = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + pg_record_msg_size(r));
	genlmsg_put(again, 0, 1, 0x20, 0, 0, PEERGROUP_CMD_RECORD_IMPORT, 1);
	CHECK_INT(pg_record_put(&h, again, r), 0);
	CHECK_INT(pg_record_from_msg(again, &r2, NULL), 0);
	if (r2) {
		CHECK_INT(r2->present, r->present);
		CHECK_STR(r2->attrs[0].str, "blue");
		CHECK_INT(r2->attrs[2].date, 99);
		CHECK_INT(memcmp(r2->data, "hello", 5), 0);
		CHECK_INT(r2->security[2], 3);
	}
	pg_record_free(r2);
	pg_record_free(r);
	nlmsg_free(again);

	/* A malformed id, an attribute with two values: refused. */
	nla_put(msg, 0, 0, NULL);
	raw = nla_find(nlmsg_attrdata(nlmsg_hdr(msg), GENL_HDRLEN),
		       nlmsg_attrlen(nlmsg_hdr(msg), GENL_HDRLEN),
		       PEERGROUP_A_RECORD);
	((struct nlattr *)nla_data(raw))->nla_len = NLA_HDRLEN + 15;
	CHECK_INT(pg_record_parse(raw, &r), -EPROTO);
	CHECK_INT(r == NULL, 1);
	nlmsg_free(msg);
}

/* An empty request for cmd with rec in it; *rec_off is its offset. */
static struct nl_msg *record_request(const struct pg_record *rec)
{
	struct pg_handle h = { .family = 0x20 };
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 1, 7, 0x20, 0, 0, PEERGROUP_CMD_RECORD_ADD, 1);
	nla_put_string(msg, PEERGROUP_A_GROUP_NAME, "office");
	pg_record_put(&h, msg, rec);
	return msg;
}

/* The offset of the first attribute of type inside nest at depth 1..n. */
static uint32_t offset_of(struct nl_msg *msg, const int *types, int n)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *a = nla_find(nlmsg_attrdata(h, GENL_HDRLEN),
				    nlmsg_attrlen(h, GENL_HDRLEN), types[0]);
	int i;

	for (i = 1; a && i < n; i++)
		a = nla_find(nla_data(a), nla_len(a), types[i]);
	return a ? (uint32_t)((char *)a - (char *)h) : 0;
}

/* The Windows name the kernel's blame of off (or a missing one) gives. */
static const char *blamed(struct nl_msg *req, int err, uint32_t off,
			  uint32_t miss_type, uint32_t miss_nest)
{
	static char name[64];
	struct nl_msg *ans = error_reply(nlmsg_hdr(req), err, true);
	struct pg_error e;

	if (off)
		nla_put_u32(ans, NLMSGERR_ATTR_OFFS, off);
	if (miss_type)
		nla_put_u32(ans, NLMSGERR_ATTR_MISS_TYPE, miss_type);
	if (miss_nest)
		nla_put_u32(ans, NLMSGERR_ATTR_MISS_NEST, miss_nest);
	pg_extack_error(&e, nlmsg_hdr(ans), nlmsg_hdr(req));
	nlmsg_free(ans);
	snprintf(name, sizeof(name), "%s", pg_error_windows(&e));
	return name;
}

static void test_windows_inner(void)
{
	static const struct pg_attribute attrs[] = {
		{ .name = "n", .kind = PG_ATTR_INT, .i = 1 },
	};
	struct pg_record rec = {
		.present = PG_REC_TYPE | PG_REC_EXPIRES | PG_REC_ATTRS | PG_REC_ID,
		.attrs = attrs, .nattrs = 1,
	};
	static const int name_path[] = { PEERGROUP_A_GROUP_NAME };
	static const int rec_path[] = { PEERGROUP_A_RECORD };
	static const int type_path[] = { PEERGROUP_A_RECORD, PEERGROUP_RECORD_A_TYPE };
	static const int id_path[] = { PEERGROUP_A_RECORD, PEERGROUP_RECORD_A_ID };
	static const int attr_path[] = { PEERGROUP_A_RECORD, PEERGROUP_RECORD_A_ATTRS,
					 PEERGROUP_ATTRS_A_ATTR, PEERGROUP_ATTR_A_INT };
	struct nl_msg *req = record_request(&rec);
	uint16_t path[PG_ERRPATH_MAX];
	uint32_t off;

	off = offset_of(req, attr_path, 4);
	CHECK_INT(pg_request_path_at(nlmsg_hdr(req), off + 5, path, PG_ERRPATH_MAX), 4);
	CHECK_INT(path[3], PEERGROUP_ATTR_A_INT);
	CHECK_INT(pg_request_path_at(nlmsg_hdr(req), off, path, 2), 2);
	CHECK_STR(blamed(req, -EINVAL, off, 0, 0), "PEER_E_INVALID_ATTRIBUTES");
	CHECK_STR(blamed(req, -EINVAL, offset_of(req, attr_path, 2), 0, 0),
		  "PEER_E_INVALID_ATTRIBUTES");
	CHECK_STR(blamed(req, -EINVAL, offset_of(req, type_path, 2), 0, 0),
		  "PEER_E_INVALID_RECORD");
	CHECK_STR(blamed(req, -EINVAL, offset_of(req, rec_path, 1), 0, 0),
		  "PEER_E_INVALID_RECORD");
	CHECK_STR(blamed(req, -ENOENT, offset_of(req, id_path, 2), 0, 0),
		  "PEER_E_RECORD_NOT_FOUND");
	CHECK_STR(blamed(req, -ENOENT, offset_of(req, name_path, 1), 0, 0),
		  "PEER_E_INVALID_GROUP");
	CHECK_STR(blamed(req, -EINVAL, offset_of(req, name_path, 1), 0, 0),
		  "PEER_E_INVALID_CLASSIFIER");
	/* Missing: the group name, or the data inside the record. */
	CHECK_STR(blamed(req, -EINVAL, 0, PEERGROUP_A_GROUP_NAME, 0), "E_INVALIDARG");
	CHECK_STR(blamed(req, -EINVAL, 0, PEERGROUP_A_IDENTITY, 0), "E_INVALIDARG");
	CHECK_STR(blamed(req, -EINVAL, 0, PEERGROUP_RECORD_A_FLAGS,
			 offset_of(req, rec_path, 1)), "E_INVALIDARG");
	CHECK_STR(blamed(req, -EINVAL, 0, 0, 0), "E_INVALIDARG");
	CHECK_STR(blamed(req, -EACCES, offset_of(req, id_path, 2), 0, 0),
		  "PEER_E_NOT_AUTHORIZED");
	CHECK_STR(blamed(req, -EMSGSIZE, 0, 0, 0), "PEER_E_MAX_RECORD_SIZE_EXCEEDED");
	nlmsg_free(req);

	CHECK_STR(pg_windows_error(-EINVAL, PEERGROUP_A_GROUP_CREATOR),
		  "PEER_E_INVALID_PEER_NAME");
	CHECK_STR(pg_windows_error(-EINVAL, PEERGROUP_A_GROUP_MAX_RECORDS),
		  "PEER_E_INVALID_GROUP_PROPERTIES");
	CHECK_STR(pg_windows_error(-EINVAL, PEERGROUP_A_GROUP_FLAGS),
		  "PEER_E_INVALID_GROUP_PROPERTIES");
	CHECK_STR(pg_windows_error(-EINVAL, PEERGROUP_A_QUERY), "PEER_E_INVALID_SEARCH");
	CHECK_STR(pg_windows_error(-EINVAL, PEERGROUP_A_DUMP_FLAGS), "E_INVALIDARG");
	CHECK_STR(pg_last_windows_error(NULL, -EBUSY), "PEER_E_GROUP_IN_USE");
}

void test_records(void)
{
	test_guid();
	test_dates();
	test_when();
	test_seconds_and_kib();
	test_kdf_spec();
	test_kdf_derive();
	test_attr_args();
	test_read_bounded();
	test_record_parse();
	test_request_too_large();
	test_windows_inner();
}
