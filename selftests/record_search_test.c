// SPDX-License-Identifier: GPL-2.0
/*
 * Record search (PEERGROUP_CMD_RECORD_SEARCH, PeerGroupSearchRecords): the
 * six comparisons on each attribute kind, wildcards and escapes, and/or
 * nesting, the reserved names, tombstones, and every malformed query, sent
 * as the library's XML and, where the XML cannot express it, as raw netlink;
 * the limits on patterns, and what a hostile search costs a writer.
 *
 * Every test gets a fresh network namespace with a group "office" holding
 * the records below; results are bit masks of their indexes.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <linux/netlink.h>
#include <linux/peergroup.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "kselftest_harness.h"
#include "libpeergroup.h"
#include "pg_selftest.h"

PG_SHARED_NETNS()

#define R(i)		(1L << (i))
#define UNKNOWN		R(30)		/* a record the fixture did not add */
#define D0		(1767225600ull * NS_PER_SEC)	/* 2026-01-01T00:00:00Z */
#define D1		(D0 + NS_PER_SEC / 2)
#define D2		(1798761600ull * NS_PER_SEC)	/* 2027-01-01T00:00:00Z */
#define NRECORDS	8
#define LIVE		(R(NRECORDS - 1) - 1)		/* all but the tombstone */

/*
 * 0..2 are of type_a, 3..6 of type_b; 7 (type_a) is deleted, so a tombstone
 * without attributes; 0 is updated last but for that delete.
 */
static const struct pg_attribute attrs0[] = {
	{ .name = "s", .kind = PG_ATTR_STRING, .str = "alpha" },
	{ .name = "n", .kind = PG_ATTR_INT, .i = 1 },
	{ .name = "d", .kind = PG_ATTR_DATE, .date = D0 },
};
static const struct pg_attribute attrs1[] = {
	{ .name = "s", .kind = PG_ATTR_STRING, .str = "alps" },
	{ .name = "n", .kind = PG_ATTR_INT, .i = -5 },
	{ .name = "d", .kind = PG_ATTR_DATE, .date = D1 },
};
static const struct pg_attribute attrs2[] = {
	{ .name = "s", .kind = PG_ATTR_STRING, .str = "a*b" },
	{ .name = "n", .kind = PG_ATTR_INT, .i = 10 },
	{ .name = "d", .kind = PG_ATTR_DATE, .date = D2 },
};
static const struct pg_attribute attrs3[] = {
	{ .name = "s", .kind = PG_ATTR_STRING, .str = "a?b" },
	{ .name = "n", .kind = PG_ATTR_INT, .i = 0 },
};
static const struct pg_attribute attrs4[] = {
	{ .name = "s", .kind = PG_ATTR_STRING, .str = "a\\b" },
};
static const struct pg_attribute attrs5[] = {
	{ .name = "s", .kind = PG_ATTR_STRING, .str = "axb" },
	{ .name = "n", .kind = PG_ATTR_STRING, .str = "1" },	/* another kind */
};

static const struct {
	const struct pg_attribute *attrs;
	size_t n;
} fixture_attrs[NRECORDS] = {
	{ attrs0, 3 }, { attrs1, 3 }, { attrs2, 3 }, { attrs3, 2 },
	{ attrs4, 1 }, { attrs5, 2 }, { NULL, 0 }, { attrs0, 3 },
};

FIXTURE(search) {
	struct pg_handle *h;
	uint8_t ids[NRECORDS][PG_GUID_LEN];
	uint64_t created[NRECORDS];
	uint64_t modified[NRECORDS];
};

/*
 * Waits until the group's clock has moved past now, so the next write gets a
 * later time than every earlier one (a coarse clock, as under emulation,
 * gives consecutive writes the same time).
 */
static void wait_tick(struct pg_handle *h)
{
	uint64_t then, now;

	if (pg_time_convert(h, REC_GROUP, PG_TIME_NOW, 0, NULL, &then))
		return;
	do {
		usleep(500);
		if (pg_time_convert(h, REC_GROUP, PG_TIME_NOW, 0, NULL, &now))
			return;
	} while (now <= then);
}

FIXTURE_SETUP(search)
{
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	const struct pg_record *r;
	struct pg_record *cur, u;
	struct pg_enum *e;
	int i, found = 0;

	ASSERT_EQ(0, pg_empty_netns());
	ASSERT_EQ(0, pg_open(&self->h)) TH_LOG("pg_open: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, make_group(self->h, REC_GROUP, REC_IDENTITY, NULL, REC_PASSWORD));
	for (i = 0; i < NRECORDS; i++) {
		struct pg_record rec = record_of(i < 3 || i == 7 ? type_a : type_b,
						 peer_time_in(self->h, REC_GROUP, HOUR_MS));

		if (fixture_attrs[i].n)
			record_set_attrs(&rec, fixture_attrs[i].attrs, fixture_attrs[i].n);
		ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &rec, self->ids[i], NULL))
			TH_LOG("record %d: %s", i, pg_errmsg(self->h));
		wait_tick(self->h);
	}
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, self->ids[0], &cur));
	u = update_of(cur);
	record_set_attrs(&u, attrs0, 3);
	ASSERT_EQ(0, pg_record_update(self->h, REC_GROUP, &u, NULL))
		TH_LOG("update: %s", pg_errmsg(self->h));
	pg_record_free(cur);
	ASSERT_EQ(0, pg_record_delete(self->h, REC_GROUP, self->ids[7], NULL));

	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &all, &e));
	while ((r = pg_enum_next(e)))
		for (i = 0; i < NRECORDS; i++)
			if (!memcmp(r->id, self->ids[i], PG_GUID_LEN)) {
				self->created[i] = r->created;
				self->modified[i] = r->modified;
				found |= R(i);
			}
	pg_enum_close(e);
	ASSERT_EQ(R(NRECORDS) - 1, found);
}

FIXTURE_TEARDOWN(search)
{
	pg_close(self->h);
}

static long index_bit(FIXTURE_DATA(search) *self, const uint8_t *id)
{
	int i;

	for (i = 0; i < NRECORDS; i++)
		if (!memcmp(id, self->ids[i], PG_GUID_LEN))
			return R(i);
	return UNKNOWN;
}

/* The mask of the records the XML query finds, or a negative errno. */
static long search(FIXTURE_DATA(search) *self, const char *xml, uint32_t flags)
{
	const struct pg_record *r;
	struct pg_enum *e;
	long mask = 0;
	int ret;

	ret = pg_record_search(self->h, REC_GROUP, xml, flags, &e);
	if (ret)
		return ret;
	while ((r = pg_enum_next(e)))
		mask |= index_bit(self, r->id);
	pg_enum_close(e);
	return mask;
}

/* One clause; a NULL compare leaves the attribute out (equal). */
static long search_clause(FIXTURE_DATA(search) *self, const char *attr,
			  const char *type, const char *compare,
			  const char *value, uint32_t flags)
{
	char xml[512], cmp[64] = "";

	if (compare)
		snprintf(cmp, sizeof(cmp), " compare=\"%s\"", compare);
	snprintf(xml, sizeof(xml),
		 "<peersearch><clause attrib=\"%s\" type=\"%s\"%s>%s</clause></peersearch>",
		 attr, type, cmp, value);
	return search(self, xml, flags);
}

/* ns since the epoch as an ISO-8601 date with nanoseconds. */
static void iso_date(uint64_t ns, char out[40])
{
	time_t secs = ns / NS_PER_SEC;
	char day[24];
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 40, "%.19s.%09uZ", day, (unsigned int)(ns % NS_PER_SEC));
}

struct expectation {
	const char *compare;
	const char *value;
	long mask;
};

#define CHECK_ALL(attr, type, table) do {					\
	size_t __i;								\
										\
	for (__i = 0; __i < sizeof(table) / sizeof(table[0]); __i++) {	\
		EXPECT_EQ(table[__i].mask, search_clause(self, attr, type,	\
					table[__i].compare, table[__i].value, 0)) \
			TH_LOG("%s %s %s: %s", attr, table[__i].compare,	\
			       table[__i].value, pg_errmsg(self->h));		\
	}									\
} while (0)

/* ---- Comparisons */

TEST_F(search, int_comparisons)
{
	static const struct expectation t[] = {
		{ "equal", "1", R(0) },
		{ "notequal", "1", R(1) | R(2) | R(3) },
		{ "less", "1", R(1) | R(3) },
		{ "greater", "1", R(2) },
		{ "lessorequal", "1", R(0) | R(1) | R(3) },
		{ "greaterorequal", "1", R(0) | R(2) },
		{ "equal", "-5", R(1) },
		{ "less", "-5", 0 },
		{ "greaterorequal", "-9223372036854775808", R(0) | R(1) | R(2) | R(3) },
	};

	CHECK_ALL("n", "int", t);
}

TEST_F(search, string_comparisons)
{
	/* Bytes: "a*b" < "a?b" < "a\b" < "alpha" < "alps" < "axb". */
	static const struct expectation t[] = {
		{ "equal", "alps", R(1) },
		{ "notequal", "alps", R(0) | R(2) | R(3) | R(4) | R(5) },
		{ "less", "alps", R(0) | R(2) | R(3) | R(4) },
		{ "greater", "alps", R(5) },
		{ "lessorequal", "alps", R(0) | R(1) | R(2) | R(3) | R(4) },
		{ "greaterorequal", "alps", R(1) | R(5) },
		/* Ordering compares the value after its escapes. */
		{ "less", "a\\*c", R(2) },
		{ "greater", "a\\\\b", R(0) | R(1) | R(5) },
	};

	CHECK_ALL("s", "string", t);
}

TEST_F(search, date_comparisons)
{
	char d1[40];
	struct expectation t[] = {
		{ "equal", d1, R(1) },
		{ "notequal", d1, R(0) | R(2) },
		{ "less", d1, R(0) },
		{ "greater", d1, R(2) },
		{ "lessorequal", d1, R(0) | R(1) },
		{ "greaterorequal", d1, R(1) | R(2) },
	};

	iso_date(D1, d1);
	CHECK_ALL("d", "date", t);
}

TEST_F(search, compare_defaults_to_equal)
{
	char d1[40];

	iso_date(D1, d1);
	EXPECT_EQ(R(0), search_clause(self, "n", "int", NULL, "1", 0));
	EXPECT_EQ(R(1), search_clause(self, "s", "string", NULL, "alps", 0));
	EXPECT_EQ(R(1), search_clause(self, "d", "date", NULL, d1, 0));
}

TEST_F(search, clause_on_a_missing_attribute_is_false)
{
	static const char *const cmps[] = {
		"equal", "notequal", "less", "greater", "lessorequal", "greaterorequal",
	};
	size_t i;

	for (i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		EXPECT_EQ(0, search_clause(self, "nosuch", "int", cmps[i], "1", 0))
			TH_LOG("%s: %s", cmps[i], pg_errmsg(self->h));
		EXPECT_EQ(0, search_clause(self, "nosuch", "string", cmps[i], "*", 0));
	}
	/* Records 4 and 6 have no "n": not even notequal finds them. */
	EXPECT_EQ(R(1) | R(2) | R(3), search_clause(self, "n", "int", "notequal", "1", 0));
}

TEST_F(search, clause_on_an_attribute_of_another_kind_is_false)
{
	/* Record 5 holds "n" as the string "1", record 0 as the int 1. */
	EXPECT_EQ(R(0), search_clause(self, "n", "int", "equal", "1", 0));
	EXPECT_EQ(R(5), search_clause(self, "n", "string", "equal", "1", 0));
	EXPECT_EQ(0, search_clause(self, "n", "string", "notequal", "1", 0));
	EXPECT_EQ(0, search_clause(self, "s", "int", "notequal", "0", 0));
	EXPECT_EQ(0, search_clause(self, "d", "string", "equal", "*", 0));
}

/* ---- Wildcards and escapes */

TEST_F(search, star_matches_any_run)
{
	EXPECT_EQ(R(0) | R(1), search_clause(self, "s", "string", "equal", "al*", 0));
	/* An empty run. */
	EXPECT_EQ(R(0), search_clause(self, "s", "string", "equal", "alpha*", 0));
	EXPECT_EQ(R(0), search_clause(self, "s", "string", "equal", "*alpha", 0));
	EXPECT_EQ(R(0), search_clause(self, "s", "string", "equal", "al*pha", 0));
	EXPECT_EQ(R(2) | R(3) | R(4) | R(5),
		  search_clause(self, "s", "string", "equal", "*b", 0));
	EXPECT_EQ(R(0) | R(1) | R(2) | R(3) | R(4) | R(5),
		  search_clause(self, "s", "string", "equal", "*", 0));
	EXPECT_EQ(R(2) | R(3) | R(4) | R(5),
		  search_clause(self, "s", "string", "notequal", "al*", 0));
}

TEST_F(search, question_mark_matches_one_character)
{
	EXPECT_EQ(R(1), search_clause(self, "s", "string", "equal", "al?s", 0));
	EXPECT_EQ(R(0), search_clause(self, "s", "string", "equal", "alph?", 0));
	EXPECT_EQ(0, search_clause(self, "s", "string", "equal", "alpha?", 0));
	EXPECT_EQ(R(2) | R(3) | R(4) | R(5),
		  search_clause(self, "s", "string", "equal", "a?b", 0));
}

TEST_F(search, escapes_match_literally)
{
	EXPECT_EQ(R(2), search_clause(self, "s", "string", "equal", "a\\*b", 0));
	EXPECT_EQ(R(3), search_clause(self, "s", "string", "equal", "a\\?b", 0));
	EXPECT_EQ(R(4), search_clause(self, "s", "string", "equal", "a\\\\b", 0));
	EXPECT_EQ(R(0) | R(1) | R(3) | R(4) | R(5),
		  search_clause(self, "s", "string", "notequal", "a\\*b", 0));
}

TEST_F(search, bad_escape_is_einval)
{
	EXPECT_EQ(-EINVAL, search_clause(self, "s", "string", "equal", "a\\xb", 0));
	EXPECT_NE('\0', pg_errmsg(self->h)[0]);
	EXPECT_STREQ("E_INVALIDARG", pg_last_windows_error(self->h, -EINVAL));
	/* A lone backslash at the end escapes nothing. */
	EXPECT_EQ(-EINVAL, search_clause(self, "s", "string", "equal", "ab\\", 0));
	EXPECT_STREQ("E_INVALIDARG", pg_last_windows_error(self->h, -EINVAL));
}

/* ---- The limits on patterns */

#define HAS_S		(R(6) - 1)	/* the records with a string s */

/* @len bytes of @fill after @head, NUL-terminated, in @buf. */
static const char *pattern_of(char *buf, const char *head, char fill, size_t len)
{
	size_t n = strlen(head);

	memcpy(buf, head, n);
	memset(buf + n, fill, len - n);
	buf[len] = '\0';
	return buf;
}

TEST_F(search, pattern_length_is_bounded)
{
	char buf[2 * PEERGROUP_QUERY_PATTERN_MAX + 1];
	const char *at = pattern_of(buf, "*", 'z', PEERGROUP_QUERY_PATTERN_MAX);

	/* It matches no value: notequal finds every string. */
	EXPECT_EQ(HAS_S, search_clause(self, "s", "string", "notequal", at, 0))
		TH_LOG("%s", pg_errmsg(self->h));
	EXPECT_EQ(-EINVAL, search_clause(self, "s", "string", "notequal",
					 pattern_of(buf, "*", 'z',
						    PEERGROUP_QUERY_PATTERN_MAX + 1), 0));
	EXPECT_STREQ("search value: a pattern (a value with * or ?) is at most 128 bytes",
		     pg_errmsg(self->h));
	EXPECT_STREQ("E_INVALIDARG", pg_last_windows_error(self->h, -EINVAL));
	/* Bytes as sent: 129 of them, 128 once the escape is decoded. */
	pattern_of(buf, "\\?", 'z', PEERGROUP_QUERY_PATTERN_MAX + 1);
	buf[PEERGROUP_QUERY_PATTERN_MAX] = '*';
	EXPECT_EQ(-EINVAL, search_clause(self, "s", "string", "notequal", buf, 0));
	EXPECT_STREQ("search value: a pattern (a value with * or ?) is at most 128 bytes",
		     pg_errmsg(self->h));
	/* Without a wildcard a value is no pattern, and may be longer. */
	EXPECT_EQ(HAS_S, search_clause(self, "s", "string", "notequal",
				       pattern_of(buf, "", 'z', sizeof(buf) - 1), 0))
		TH_LOG("%s", pg_errmsg(self->h));
}

TEST_F(search, pattern_stars_are_bounded)
{
	char buf[64];

	pattern_of(buf, "", '*', PEERGROUP_QUERY_STARS_MAX);
	EXPECT_EQ(R(0), search_clause(self, "s", "string", NULL, strcat(buf, "ha"), 0))
		TH_LOG("%s", pg_errmsg(self->h));
	pattern_of(buf, "", '*', PEERGROUP_QUERY_STARS_MAX + 1);
	EXPECT_EQ(-EINVAL, search_clause(self, "s", "string", NULL, strcat(buf, "ha"), 0));
	EXPECT_STREQ("search value: a pattern has at most 16 *", pg_errmsg(self->h));
	EXPECT_STREQ("E_INVALIDARG", pg_last_windows_error(self->h, -EINVAL));
	/* Escaped stars are no wildcards: one star in all. */
	buf[0] = '\0';
	while (strlen(buf) < 2 * (PEERGROUP_QUERY_STARS_MAX + 1))
		strcat(buf, "\\*");
	EXPECT_EQ(HAS_S, search_clause(self, "s", "string", "notequal", strcat(buf, "*"), 0))
		TH_LOG("%s", pg_errmsg(self->h));
}

/* ---- and / or */

TEST_F(search, and_or_nest)
{
	EXPECT_EQ(R(0), search(self, "<peersearch><and>"
		"<clause attrib=\"n\" type=\"int\" compare=\"greater\">0</clause>"
		"<clause attrib=\"s\" type=\"string\">al*</clause>"
		"</and></peersearch>", 0));
	EXPECT_EQ(R(1) | R(2), search(self, "<peersearch><or>"
		"<clause attrib=\"n\" type=\"int\">10</clause>"
		"<clause attrib=\"s\" type=\"string\">alps</clause>"
		"</or></peersearch>", 0));
	EXPECT_EQ(R(0) | R(2), search(self, "<peersearch><and><or>"
		"<clause attrib=\"n\" type=\"int\">1</clause>"
		"<clause attrib=\"n\" type=\"int\">10</clause></or>"
		"<clause attrib=\"s\" type=\"string\">a*</clause>"
		"</and></peersearch>", 0));
	EXPECT_EQ(R(1) | R(2), search(self, "<peersearch><or><and>"
		"<clause attrib=\"n\" type=\"int\" compare=\"less\">0</clause>"
		"<clause attrib=\"s\" type=\"string\">al*</clause></and><and>"
		"<clause attrib=\"n\" type=\"int\" compare=\"greater\">5</clause>"
		"<clause attrib=\"s\" type=\"string\">a\\*b</clause></and>"
		"</or></peersearch>", 0));
	/* One child is enough. */
	EXPECT_EQ(R(1), search(self, "<peersearch><and>"
		"<clause attrib=\"s\" type=\"string\">alps</clause>"
		"</and></peersearch>", 0));
	EXPECT_EQ(R(1), search(self, "<peersearch><or>"
		"<clause attrib=\"s\" type=\"string\">alps</clause>"
		"</or></peersearch>", 0));
}

/* ---- The reserved names */

TEST_F(search, record_id_and_type_are_searchable)
{
	char guid[PG_GUID_STR_LEN];

	pg_guid_format(self->ids[3], guid);
	EXPECT_EQ(R(3), search_clause(self, "peerrecordid", "string", "equal", guid, 0));
	EXPECT_EQ(LIVE & ~R(3),
		  search_clause(self, "peerrecordid", "string", "notequal", guid, 0));
	pg_guid_format(type_a, guid);
	EXPECT_EQ(R(0) | R(1) | R(2),
		  search_clause(self, "peerrecordtype", "string", "equal", guid, 0));
	pg_guid_format(type_b, guid);
	EXPECT_EQ(R(3) | R(4) | R(5) | R(6),
		  search_clause(self, "peerrecordtype", "string", "equal", guid, 0));
}

TEST_F(search, creator_and_modifier_are_searchable)
{
	EXPECT_EQ(LIVE, search_clause(self, "peercreatorid", "string", "equal",
				      REC_IDENTITY, 0));
	EXPECT_EQ(LIVE, search_clause(self, "peercreatorid", "string", "equal", "al?ce", 0));
	EXPECT_EQ(0, search_clause(self, "peercreatorid", "string", "equal", "bob", 0));
	EXPECT_EQ(LIVE, search_clause(self, "peerlastmodifiedby", "string", "equal",
				      REC_IDENTITY, 0));
	EXPECT_EQ(0, search_clause(self, "peerlastmodifiedby", "string", "notequal",
				   REC_IDENTITY, 0));
}

TEST_F(search, creation_and_modification_times_are_searchable)
{
	char when[40];

	iso_date(self->created[3], when);
	EXPECT_EQ(R(3) | R(4) | R(5) | R(6), search_clause(self, "peercreationtime",
		  "date", "greaterorequal", when, 0));
	EXPECT_EQ(R(0) | R(1) | R(2),
		  search_clause(self, "peercreationtime", "date", "less", when, 0));
	EXPECT_EQ(R(3), search_clause(self, "peercreationtime", "date", "equal", when, 0));

	/* Record 0 was modified after every record was created. */
	iso_date(self->modified[6], when);
	EXPECT_EQ(R(0), search_clause(self, "peerlastmodificationtime", "date",
				      "greater", when, 0));
	iso_date(self->modified[0], when);
	EXPECT_EQ(R(0), search_clause(self, "peerlastmodificationtime", "date",
				      "equal", when, 0));
}

TEST_F(search, tombstones_match_only_when_asked_for)
{
	char guid[PG_GUID_STR_LEN], when[40];

	EXPECT_EQ(LIVE, search_clause(self, "peercreatorid", "string", "equal",
				      REC_IDENTITY, 0));
	EXPECT_EQ(LIVE | R(7), search_clause(self, "peercreatorid", "string", "equal",
					     REC_IDENTITY, PG_ENUM_TOMBSTONES));
	pg_guid_format(self->ids[7], guid);
	EXPECT_EQ(0, search_clause(self, "peerrecordid", "string", "equal", guid, 0));
	EXPECT_EQ(R(7), search_clause(self, "peerrecordid", "string", "equal", guid,
				      PG_ENUM_TOMBSTONES));
	iso_date(self->modified[6], when);
	EXPECT_EQ(R(0) | R(7), search_clause(self, "peerlastmodificationtime", "date",
					     "greater", when, PG_ENUM_TOMBSTONES));
	/* A tombstone has no attributes left to match. */
	EXPECT_EQ(R(0), search_clause(self, "s", "string", "equal", "alpha",
				      PG_ENUM_TOMBSTONES));
}

/* ---- Malformed queries, as raw netlink */

struct raw_clause {
	const char *attr;	/* NULL: left out */
	int compare;		/* < 0: left out */
	const char *str;	/* each value attribute when set */
	bool has_int;
	int64_t i;
	bool has_date;
	uint64_t date;
};

static const struct raw_clause alpha_clause = {
	.attr = "s", .compare = PEERGROUP_COMPARE_EQUAL, .str = "alpha",
};

static int put_clause(struct nl_msg *msg, const struct raw_clause *c)
{
	struct nlattr *nest = nla_nest_start(msg, PEERGROUP_QUERY_A_CLAUSE);

	if (!nest ||
	    (c->attr && nla_put_string(msg, PEERGROUP_CLAUSE_A_ATTR, c->attr)) ||
	    (c->compare >= 0 && nla_put_u8(msg, PEERGROUP_CLAUSE_A_COMPARE, c->compare)) ||
	    (c->str && nla_put_string(msg, PEERGROUP_CLAUSE_A_STR, c->str)) ||
	    (c->has_int && nla_put_u64(msg, PEERGROUP_CLAUSE_A_INT, c->i)) ||
	    (c->has_date && nla_put_u64(msg, PEERGROUP_CLAUSE_A_DATE, c->date)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* A search request for the group, its PEERGROUP_A_QUERY nest opened. */
static struct nl_msg *query_msg(struct pg_handle *h, struct nlattr **query)
{
	struct nl_msg *msg = pg_msg_new(h, PEERGROUP_CMD_RECORD_SEARCH, NLM_F_DUMP);

	if (!msg)
		return NULL;
	if (nlmsg_expand(msg, 65536) ||
	    nla_put_string(msg, PEERGROUP_A_GROUP_NAME, REC_GROUP) ||
	    !(*query = nla_nest_start(msg, PEERGROUP_A_QUERY))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct collected {
	FIXTURE_DATA(search) *self;
	int family;
	long mask;
};

static int collect(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PEERGROUP_A_MAX + 1], *rtb[PEERGROUP_RECORD_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct collected *c = arg;

	if (nlh->nlmsg_type != c->family)
		return 0;
	if (genlmsg_parse(nlh, 0, tb, PEERGROUP_A_MAX, NULL) || !tb[PEERGROUP_A_RECORD] ||
	    nla_parse_nested(rtb, PEERGROUP_RECORD_A_MAX, tb[PEERGROUP_A_RECORD], NULL) ||
	    !rtb[PEERGROUP_RECORD_A_ID] || nla_len(rtb[PEERGROUP_RECORD_A_ID]) != PG_GUID_LEN)
		return -EBADMSG;
	c->mask |= index_bit(c->self, nla_data(rtb[PEERGROUP_RECORD_A_ID]));
	return 0;
}

/* Closes the query nest, sends it: the mask found, or a negative errno. */
static long raw_search(FIXTURE_DATA(search) *self, struct nl_msg *msg,
		       struct nlattr *query)
{
	struct collected c = { .self = self, .family = pg_family(self->h) };
	int ret;

	if (!msg)
		return -ENOMEM;
	nla_nest_end(msg, query);
	ret = pg_transact(self->h, msg, collect, &c);
	return ret ? ret : c.mask;
}

/* A raw query of one clause. */
static long raw_clause_search(FIXTURE_DATA(search) *self, const struct raw_clause *cl)
{
	struct nlattr *query = NULL;
	struct nl_msg *msg = query_msg(self->h, &query);

	if (msg && put_clause(msg, cl)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return raw_search(self, msg, query);
}

/* Inside a TEST: a raw search refused as an invalid query. */
#define EXPECT_INVALID_SEARCH(ret) do {						\
	EXPECT_EQ(-EINVAL, ret) TH_LOG("%s", pg_errmsg(self->h));		\
	EXPECT_NE('\0', pg_errmsg(self->h)[0]);					\
	EXPECT_STREQ("PEER_E_INVALID_SEARCH",					\
		     pg_last_windows_error(self->h, -EINVAL));			\
} while (0)

TEST_F(search, raw_clause_is_evaluated)
{
	struct raw_clause cl = alpha_clause;

	/* The raw form works when well formed: the refusals below are real. */
	EXPECT_EQ(R(0), raw_clause_search(self, &cl));
	cl.compare = -1;
	EXPECT_EQ(R(0), raw_clause_search(self, &cl));
	cl = (struct raw_clause){ .attr = "d", .compare = PEERGROUP_COMPARE_LESS,
				  .has_date = true, .date = D1 };
	EXPECT_EQ(R(0), raw_clause_search(self, &cl));
	cl = (struct raw_clause){ .attr = "peercreationtime", .compare = -1,
				  .has_date = true, .date = self->created[4] };
	EXPECT_EQ(R(4), raw_clause_search(self, &cl));
}

TEST_F(search, query_without_a_node_is_einval)
{
	struct nlattr *query = NULL;
	struct nl_msg *msg;

	msg = query_msg(self->h, &query);
	EXPECT_INVALID_SEARCH(raw_search(self, msg, query));

	/* No PEERGROUP_A_QUERY at all. */
	msg = pg_msg_new(self->h, PEERGROUP_CMD_RECORD_SEARCH, NLM_F_DUMP);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_GROUP_NAME, REC_GROUP));
	EXPECT_EQ(-EINVAL, pg_transact(self->h, msg, NULL, NULL));
	EXPECT_NE('\0', pg_errmsg(self->h)[0]);
}

TEST_F(search, query_with_two_nodes_at_the_top_is_einval)
{
	struct nlattr *query = NULL;
	struct nl_msg *msg = query_msg(self->h, &query);

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, put_clause(msg, &alpha_clause));
	ASSERT_EQ(0, put_clause(msg, &alpha_clause));
	EXPECT_INVALID_SEARCH(raw_search(self, msg, query));
}

TEST_F(search, empty_and_or_are_einval)
{
	static const int kinds[] = { PEERGROUP_QUERY_A_AND, PEERGROUP_QUERY_A_OR };
	struct nlattr *query = NULL, *node;
	struct nl_msg *msg;
	size_t i;

	for (i = 0; i < 2; i++) {
		msg = query_msg(self->h, &query);
		ASSERT_NE(NULL, msg);
		node = nla_nest_start(msg, kinds[i]);
		ASSERT_NE(NULL, node);
		nla_nest_end(msg, node);
		EXPECT_INVALID_SEARCH(raw_search(self, msg, query));

		/* The same with one child is good. */
		msg = query_msg(self->h, &query);
		ASSERT_NE(NULL, msg);
		node = nla_nest_start(msg, kinds[i]);
		ASSERT_NE(NULL, node);
		ASSERT_EQ(0, put_clause(msg, &alpha_clause));
		nla_nest_end(msg, node);
		EXPECT_EQ(R(0), raw_search(self, msg, query));
	}
}

TEST_F(search, clause_without_an_attribute_name_is_einval)
{
	struct raw_clause cl = alpha_clause;

	cl.attr = NULL;
	EXPECT_INVALID_SEARCH(raw_clause_search(self, &cl));
	cl.attr = "";
	EXPECT_INVALID_SEARCH(raw_clause_search(self, &cl));
}

TEST_F(search, clause_without_a_value_is_einval)
{
	struct raw_clause cl = alpha_clause;

	cl.str = NULL;
	EXPECT_INVALID_SEARCH(raw_clause_search(self, &cl));
}

TEST_F(search, clause_with_two_values_is_einval)
{
	struct raw_clause cl = alpha_clause;

	cl.has_int = true;
	cl.i = 1;
	EXPECT_INVALID_SEARCH(raw_clause_search(self, &cl));
	cl = (struct raw_clause){ .attr = "n", .compare = -1, .has_int = true, .i = 1,
				  .has_date = true, .date = D0 };
	EXPECT_INVALID_SEARCH(raw_clause_search(self, &cl));
}

TEST_F(search, compare_out_of_range_is_einval)
{
	struct raw_clause cl = alpha_clause;

	cl.compare = PEERGROUP_COMPARE_MAX + 1;
	EXPECT_INVALID_SEARCH(raw_clause_search(self, &cl));
	cl.compare = 255;
	EXPECT_INVALID_SEARCH(raw_clause_search(self, &cl));
	cl.compare = PEERGROUP_COMPARE_MAX;
	EXPECT_EQ(R(0) | R(1) | R(5), raw_clause_search(self, &cl));	/* >= "alpha" */
}

TEST_F(search, reserved_name_with_the_wrong_kind_is_einval)
{
	static const struct raw_clause bad[] = {
		{ .attr = "peerrecordid", .compare = -1, .has_int = true, .i = 1 },
		{ .attr = "peerrecordtype", .compare = -1, .has_date = true, .date = D0 },
		{ .attr = "peercreatorid", .compare = -1, .has_int = true, .i = 1 },
		{ .attr = "peerlastmodifiedby", .compare = -1, .has_date = true, .date = D0 },
		{ .attr = "peercreationtime", .compare = -1, .str = "alice" },
		{ .attr = "peerlastmodificationtime", .compare = -1, .has_int = true, .i = 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, raw_clause_search(self, &bad[i]))
			TH_LOG("%s: %s", bad[i].attr, pg_errmsg(self->h));
		EXPECT_STREQ("PEER_E_INVALID_SEARCH",
			     pg_last_windows_error(self->h, -EINVAL));
	}
}

/* @depth levels: depth - 1 nested ands around the alpha clause. */
static int put_nested(struct nl_msg *msg, int depth)
{
	struct nlattr *node;
	int ret;

	if (depth == 1)
		return put_clause(msg, &alpha_clause);
	node = nla_nest_start(msg, PEERGROUP_QUERY_A_AND);
	if (!node)
		return -EMSGSIZE;
	ret = put_nested(msg, depth - 1);
	nla_nest_end(msg, node);
	return ret;
}

TEST_F(search, query_depth_is_bounded)
{
	struct nlattr *query = NULL;
	struct nl_msg *msg;

	msg = query_msg(self->h, &query);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, put_nested(msg, PEERGROUP_QUERY_DEPTH_MAX));
	EXPECT_EQ(R(0), raw_search(self, msg, query)) TH_LOG("%s", pg_errmsg(self->h));

	msg = query_msg(self->h, &query);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, put_nested(msg, PEERGROUP_QUERY_DEPTH_MAX + 1));
	EXPECT_INVALID_SEARCH(raw_search(self, msg, query));
}

/*
 * An or of @clauses copies of @cl, @clauses + 1 nodes; an int clause has
 * the value 0 in the first copy, 1 in the next, and so on.
 */
static long search_or(FIXTURE_DATA(search) *self, struct raw_clause cl, int clauses)
{
	struct nlattr *query = NULL, *node;
	struct nl_msg *msg = query_msg(self->h, &query);
	int i;

	if (!msg)
		return -ENOMEM;
	node = nla_nest_start(msg, PEERGROUP_QUERY_A_OR);
	for (i = 0; node && i < clauses; i++) {
		cl.i = i;
		if (put_clause(msg, &cl))
			node = NULL;
	}
	if (!node) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, node);
	return raw_search(self, msg, query);
}

/* An or of @clauses clauses n == 0, n == 1, ... */
static long search_wide(FIXTURE_DATA(search) *self, int clauses)
{
	struct raw_clause cl = { .attr = "n", .compare = -1, .has_int = true };

	return search_or(self, cl, clauses);
}

TEST_F(search, query_node_count_is_bounded)
{
	EXPECT_EQ(R(0) | R(2) | R(3), search_wide(self, PEERGROUP_QUERY_NODES_MAX - 1))
		TH_LOG("%s", pg_errmsg(self->h));
	EXPECT_INVALID_SEARCH(search_wide(self, PEERGROUP_QUERY_NODES_MAX));
}

/* ---- A hostile search and a writer */

#define HOSTILE_RECORDS	32	/* each with a string v of HOSTILE_LEN bytes */
#define HOSTILE_LEN	1000
#define WRITES		20	/* record adds timed, without and with a search */
#define WRITE_GAP_US	50000
#define WRITE_BUDGET_NS	(30 * NS_PER_SEC)	/* for the writes during a search */
#define SEARCH_WAIT_MS	300000	/* for the search to end */

/*
 * The most work a query may ask for on each record: an or of as many
 * clauses as a query holds, each a pattern at the limit that fails at its
 * last byte on every start its '*' tries. Finds nothing: 0, or a negative
 * errno, or the mask of what it found.
 */
static long hostile_search(FIXTURE_DATA(search) *self)
{
	struct raw_clause cl = { .attr = "v", .compare = -1 };
	char pattern[PEERGROUP_QUERY_PATTERN_MAX + 1];

	pattern_of(pattern, "*", 'a', PEERGROUP_QUERY_PATTERN_MAX);
	pattern[PEERGROUP_QUERY_PATTERN_MAX - 1] = 'b';
	cl.str = pattern;
	return search_or(self, cl, PEERGROUP_QUERY_NODES_MAX - 1);
}

struct search_report {
	long ret;		/* of hostile_search() */
	uint64_t start, end;	/* CLOCK_MONOTONIC; 0 before the search */
};

/*
 * The searcher, in a child: an unprivileged user (a search needs no
 * privilege) searching again and again, reporting on @fd when it is about
 * to start and each search done.
 */
static void __attribute__((noreturn)) searcher(FIXTURE_DATA(search) *self, int fd)
{
	struct search_report r = { 0 };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	r.ret = setgid(65534) || setuid(65534) ? -errno : 0;
	if (!r.ret)
		r.ret = pg_open(&self->h);
	if (write(fd, &r, sizeof(r)) != sizeof(r) || r.ret)
		_exit(1);
	for (;;) {
		r.start = clock_ns(CLOCK_MONOTONIC);
		r.ret = hostile_search(self);
		r.end = clock_ns(CLOCK_MONOTONIC);
		/* Flagged NLM_F_DUMP_INTR, as the writes make it: done all the same. */
		if (r.ret == -EINTR)
			r.ret = 0;
		if (write(fd, &r, sizeof(r)) != sizeof(r) || r.ret)
			_exit(1);
	}
}

/* The next report of the searcher: 0, or a negative errno. */
static long next_report(int fd, struct search_report *r, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, timeout_ms) != 1)
		return -ETIMEDOUT;
	if (read(fd, r, sizeof(*r)) != sizeof(*r))
		return -EIO;
	return r->ret;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Times up to @n record adds, @budget ns at most: how many were made. */
static int timed_adds(FIXTURE_DATA(search) *self, uint64_t *ns, int n, uint64_t budget)
{
	struct pg_record rec = record_of(type_b, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	uint64_t begin = clock_ns(CLOCK_MONOTONIC);
	uint8_t id[PG_GUID_LEN];
	int i;

	for (i = 0; i < n && clock_ns(CLOCK_MONOTONIC) - begin < budget; i++) {
		uint64_t start = clock_ns(CLOCK_MONOTONIC);

		if (pg_record_add(self->h, REC_GROUP, &rec, id, NULL))
			return -1;
		ns[i] = clock_ns(CLOCK_MONOTONIC) - start;
		usleep(WRITE_GAP_US);
	}
	qsort(ns, i, sizeof(*ns), cmp_u64);
	return i;
}

/*
 * While a search does the most work a query may ask for, over records of a
 * kilobyte, a writer's record adds are timed, and before it for comparison.
 * The times are printed, not asserted: they are the machine's. A search
 * matches outside the table lock, so the writer should not wait for it.
 */
TEST_F_TIMEOUT(search, writer_latency_under_hostile_search, 600)
{
	struct pg_attribute attr = { .name = "v", .kind = PG_ATTR_STRING };
	uint64_t quiet[WRITES], busy[WRITES], begin = 0, end = 0;
	int fds[2], i, nquiet, nbusy = 0, status;
	struct search_report r = { 0 };
	char value[HOSTILE_LEN + 1];
	long failed;
	pid_t pid;

	attr.str = pattern_of(value, "", 'a', HOSTILE_LEN);
	for (i = 0; i < HOSTILE_RECORDS; i++) {
		struct pg_record rec = record_of(type_b, peer_time_in(self->h, REC_GROUP,
								      HOUR_MS));

		record_set_attrs(&rec, &attr, 1);
		ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &rec, NULL, NULL))
			TH_LOG("%s", pg_errmsg(self->h));
	}
	nquiet = timed_adds(self, quiet, WRITES, UINT64_MAX);
	ASSERT_EQ(WRITES, nquiet) TH_LOG("%s", pg_errmsg(self->h));

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(fds[0]);
		searcher(self, fds[1]);
	}
	close(fds[1]);
	/* Once the searcher is about to start, give it time to. */
	failed = next_report(fds[0], &r, SEARCH_WAIT_MS);
	if (!failed) {
		usleep(WRITE_GAP_US);
		begin = clock_ns(CLOCK_MONOTONIC);
		nbusy = timed_adds(self, busy, WRITES, WRITE_BUDGET_NS);
		end = clock_ns(CLOCK_MONOTONIC);
		/* The search under way: when it ended, to print. */
		failed = next_report(fds[0], &r, SEARCH_WAIT_MS);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(fds[0]);

	ASSERT_EQ(0, failed) TH_LOG("the searcher: %s", strerror(-failed));
	ASSERT_LT(0, nbusy) TH_LOG("%s", pg_errmsg(self->h));
	TH_LOG("record add, no search: median %.1f ms, max %.1f ms (%d adds)",
	       quiet[nquiet / 2] / 1e6, quiet[nquiet - 1] / 1e6, nquiet);
	TH_LOG("record add, while an unprivileged user searches with %d clauses of %d-byte patterns over %d records of %d bytes: median %.1f ms, max %.1f ms (%d adds)",
	       PEERGROUP_QUERY_NODES_MAX - 1, PEERGROUP_QUERY_PATTERN_MAX,
	       HOSTILE_RECORDS, HOSTILE_LEN, busy[nbusy / 2] / 1e6,
	       busy[nbusy - 1] / 1e6, nbusy);
	TH_LOG("the search took %.2f s; the adds ran from %.2f s to %.2f s after it began",
	       (r.end - r.start) / 1e9, ((double)begin - r.start) / 1e9,
	       ((double)end - r.start) / 1e9);
}

/* ---- XML the library refuses before sending anything */

TEST_F(search, malformed_xml_is_refused_by_the_library)
{
	static const char *const bad[] = {
		/* two roots */
		"<peersearch><clause attrib=\"s\" type=\"string\">alpha</clause></peersearch>"
		"<peersearch><clause attrib=\"s\" type=\"string\">alps</clause></peersearch>",
		/* an unknown comparison */
		"<peersearch><clause attrib=\"s\" type=\"string\" compare=\"like\">alpha"
		"</clause></peersearch>",
		/* not XML */
		"<peersearch><clause attrib=\"s\"",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, search(self, bad[i], 0)) TH_LOG("query %zu", i);
		EXPECT_NE('\0', pg_errmsg(self->h)[0]);
		EXPECT_EQ(0, pg_errattr(self->h)) TH_LOG("query %zu reached the kernel", i);
	}
}

TEST_HARNESS_MAIN
