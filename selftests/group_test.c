// SPDX-License-Identifier: GPL-2.0
/*
 * Group commands of the peergroup generic netlink family: create, delete,
 * get, dump, every rejected input with its exact errno and extack, limits,
 * namespace isolation and permissions.
 *
 * Every test runs in a fresh network namespace of its own (the fixture
 * unshares one), so tests never see each other's groups.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/peergroup.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"
#include "libpeergroup.h"
#include "pg_selftest.h"

/* The first 20 bytes of SHA-256("alice") and of SHA-256("bob"), in hex. */
#define ALICE_AUTHORITY "2bd806c97f0e00af1a1fc3328fa763a9269723c8"
#define BOB_AUTHORITY   "81b637d8fcd2c6da6359e6963113a1170de795e4"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Names of PEERGROUP_GROUP_NAME_MAX characters that sort in @i's order. */
static void long_name(char *name, unsigned int i)
{
	int len = snprintf(name, PEERGROUP_GROUP_NAME_MAX + 1, "group-%04u-",
			   i % 10000);

	memset(name + len, 'x', PEERGROUP_GROUP_NAME_MAX - len);
	name[PEERGROUP_GROUP_NAME_MAX] = '\0';
}

/* Sends PEERGROUP_CMD_GROUP_ADD with the name given as raw bytes. */
static int add_raw_name(struct pg_handle *h, const void *name, int len,
			int nlm_flags)
{
	struct nl_msg *msg = pg_msg_new(h, PEERGROUP_CMD_GROUP_ADD, nlm_flags);

	if (!msg)
		return -ENOMEM;
	if (nla_put(msg, PEERGROUP_A_GROUP_NAME, len, name) ||
	    nla_put_string(msg, PEERGROUP_A_IDENTITY, "alice")) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return pg_transact(h, msg, NULL, NULL);
}

/*
 * Creates MANY_GROUPS groups of about 500 bytes each (long names, the
 * longest identity): 100 KB, several dump datagrams of 32 KB at most.
 * Returns 0 or the first error.
 */
#define MANY_GROUPS 200
static int create_many(struct pg_handle *h)
{
	char name[PEERGROUP_GROUP_NAME_MAX + 1];
	char identity[PEERGROUP_IDENTITY_MAX + 1];
	unsigned int i;
	int ret;

	memset(identity, 'x', PEERGROUP_IDENTITY_MAX);
	identity[PEERGROUP_IDENTITY_MAX] = '\0';
	for (i = 0; i < MANY_GROUPS; i++) {
		long_name(name, i);
		ret = pg_group_create(h, name, identity, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

FIXTURE(group) {
	struct pg_handle *h;
};

FIXTURE_SETUP(group)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	ASSERT_EQ(0, pg_open(&self->h)) TH_LOG("pg_open: %s", pg_errmsg(self->h));
}

FIXTURE_TEARDOWN(group)
{
	pg_close(self->h);
}

TEST_F(group, create_returns_the_group)
{
	struct pg_group_info info, got;
	uint64_t before = now_ns(), after;

	ASSERT_EQ(0, pg_group_create(self->h, "office", "alice", &info));
	after = now_ns();
	EXPECT_STREQ("office", info.name);
	EXPECT_STREQ("alice", info.identity);
	EXPECT_STREQ(ALICE_AUTHORITY ".office", info.id);
	EXPECT_LE(before, info.created_ns);
	EXPECT_GE(after, info.created_ns);

	ASSERT_EQ(0, pg_group_get(self->h, "office", &got));
	EXPECT_EQ(0, memcmp(&info, &got, sizeof(info)));
}

TEST_F(group, id_is_derived_from_the_creator)
{
	struct pg_group_info a, b, c;

	ASSERT_EQ(0, pg_group_create(self->h, "one", "alice", &a));
	ASSERT_EQ(0, pg_group_create(self->h, "two", "alice", &b));
	ASSERT_EQ(0, pg_group_create(self->h, "three", "bob", &c));
	EXPECT_STREQ(ALICE_AUTHORITY ".one", a.id);
	EXPECT_STREQ(ALICE_AUTHORITY ".two", b.id);
	EXPECT_STREQ(BOB_AUTHORITY ".three", c.id);
}

TEST_F(group, duplicate_name_is_eexist)
{
	struct pg_group_info got;

	ASSERT_EQ(0, pg_group_create(self->h, "office", "alice", NULL));
	EXPECT_EQ(-EEXIST, pg_group_create(self->h, "office", "bob", NULL));
	EXPECT_NE(NULL, strstr(pg_errmsg(self->h), "already exists"))
		TH_LOG("extack: '%s'", pg_errmsg(self->h));
	EXPECT_EQ(PEERGROUP_A_GROUP_NAME, pg_errattr(self->h));
	EXPECT_STREQ("PEER_E_ALREADY_EXISTS",
		     pg_windows_error(-EEXIST, pg_errattr(self->h)));

	/* Nothing changed: still one group, still alice's. */
	EXPECT_EQ(1, count_groups(self->h));
	ASSERT_EQ(0, pg_group_get(self->h, "office", &got));
	EXPECT_STREQ("alice", got.identity);
}

TEST_F(group, delete_removes_the_group)
{
	struct pg_group_info got;

	ASSERT_EQ(0, pg_group_create(self->h, "office", "alice", NULL));
	ASSERT_EQ(0, pg_group_create(self->h, "lab", "alice", NULL));
	ASSERT_EQ(0, pg_group_delete(self->h, "office"));
	EXPECT_EQ(-ENOENT, pg_group_get(self->h, "office", &got));
	EXPECT_EQ(1, count_groups(self->h));
	ASSERT_EQ(0, pg_group_get(self->h, "lab", &got));

	/* The name is free again. */
	EXPECT_EQ(0, pg_group_create(self->h, "office", "bob", &got));
	EXPECT_STREQ(BOB_AUTHORITY ".office", got.id);
}

TEST_F(group, missing_group_is_enoent)
{
	struct pg_group_info got;

	EXPECT_EQ(-ENOENT, pg_group_delete(self->h, "nothere"));
	EXPECT_NE(NULL, strstr(pg_errmsg(self->h), "no such group"))
		TH_LOG("extack: '%s'", pg_errmsg(self->h));
	EXPECT_EQ(PEERGROUP_A_GROUP_NAME, pg_errattr(self->h));
	EXPECT_STREQ("PEER_E_INVALID_GROUP",
		     pg_windows_error(-ENOENT, pg_errattr(self->h)));

	EXPECT_EQ(-ENOENT, pg_group_get(self->h, "nothere", &got));
	EXPECT_NE(NULL, strstr(pg_errmsg(self->h), "no such group"));
}

TEST_F(group, missing_attributes_are_named)
{
	struct nl_msg *msg;

	msg = pg_msg_new(self->h, PEERGROUP_CMD_GROUP_ADD, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_IDENTITY, "alice"));
	EXPECT_EQ(-EINVAL, pg_transact(self->h, msg, NULL, NULL));
	EXPECT_STREQ("group name: missing", pg_errmsg(self->h));
	EXPECT_EQ(PEERGROUP_A_GROUP_NAME, pg_errattr(self->h));

	msg = pg_msg_new(self->h, PEERGROUP_CMD_GROUP_ADD, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_GROUP_NAME, "office"));
	EXPECT_EQ(-EINVAL, pg_transact(self->h, msg, NULL, NULL));
	EXPECT_STREQ("identity: missing", pg_errmsg(self->h));
	EXPECT_EQ(PEERGROUP_A_IDENTITY, pg_errattr(self->h));

	msg = pg_msg_new(self->h, PEERGROUP_CMD_GROUP_DEL, 0);
	ASSERT_NE(NULL, msg);
	EXPECT_EQ(-EINVAL, pg_transact(self->h, msg, NULL, NULL));
	EXPECT_STREQ("group name: missing", pg_errmsg(self->h));

	msg = pg_msg_new(self->h, PEERGROUP_CMD_GROUP_GET, 0);
	ASSERT_NE(NULL, msg);
	EXPECT_EQ(-EINVAL, pg_transact(self->h, msg, NULL, NULL));
	EXPECT_STREQ("group name: missing", pg_errmsg(self->h));

	EXPECT_EQ(0, count_groups(self->h));
}

TEST_F(group, bad_group_names_are_einval)
{
	static const char *const bad[] = {
		"", "a b", "a/b", "tab\there", "caf\xc3\xa9",
		"caf\xe9" /* Latin-1 */, "\xc0\xff", "new\nline",
		"star*", "0123456789012345678901234567890123456789012345678901234567890123x",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, pg_group_create(self->h, bad[i], "alice", NULL))
			TH_LOG("name '%s' was accepted", bad[i]);
		EXPECT_EQ(PEERGROUP_A_GROUP_NAME, pg_errattr(self->h))
			TH_LOG("name '%s': blamed attr %d", bad[i], pg_errattr(self->h));
		EXPECT_NE('\0', pg_errmsg(self->h)[0]);
		EXPECT_STREQ("PEER_E_INVALID_CLASSIFIER",
			     pg_windows_error(-EINVAL, pg_errattr(self->h)));
	}
	EXPECT_EQ(0, count_groups(self->h));

	/* The limits themselves are fine. */
	EXPECT_EQ(0, pg_group_create(self->h,
		"0123456789012345678901234567890123456789012345678901234567890123",
		"alice", NULL));
	EXPECT_EQ(0, pg_group_create(self->h, "A.b_c-9", "alice", NULL));
	EXPECT_EQ(0, pg_group_create(self->h, "x", "alice", NULL));
}

TEST_F(group, bad_identities_are_einval)
{
	char longest[PEERGROUP_IDENTITY_MAX + 2];
	static const char *const bad[] = { "", "a", "has space", "ctl\x01", "\x7f""del" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, pg_group_create(self->h, "g", bad[i], NULL))
			TH_LOG("identity '%s' was accepted", bad[i]);
		EXPECT_EQ(PEERGROUP_A_IDENTITY, pg_errattr(self->h));
		EXPECT_STREQ("PEER_E_INVALID_PEER_NAME",
			     pg_windows_error(-EINVAL, pg_errattr(self->h)));
	}
	memset(longest, 'i', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	EXPECT_EQ(-EINVAL, pg_group_create(self->h, "g", longest, NULL));
	EXPECT_EQ(PEERGROUP_A_IDENTITY, pg_errattr(self->h));
	EXPECT_EQ(0, count_groups(self->h));

	longest[PEERGROUP_IDENTITY_MAX] = '\0';
	EXPECT_EQ(0, pg_group_create(self->h, "g1", longest, NULL));
	EXPECT_EQ(0, pg_group_create(self->h, "g2", "ab", NULL));
	EXPECT_EQ(0, pg_group_create(self->h, "g3", "alice@example.org!~", NULL));
}

TEST_F(group, unterminated_string_is_einval)
{
	EXPECT_EQ(-EINVAL, add_raw_name(self->h, "office", 6, 0));
	EXPECT_EQ(PEERGROUP_A_GROUP_NAME, pg_errattr(self->h));
	EXPECT_NE('\0', pg_errmsg(self->h)[0]);
	EXPECT_EQ(0, count_groups(self->h));
	/* The same bytes with their NUL are a good name. */
	EXPECT_EQ(0, add_raw_name(self->h, "office", 7, 0));
}

TEST_F(group, unexpected_attributes_are_rejected)
{
	struct nl_msg *msg;

	/* The group id is derived by the module, never given. */
	msg = pg_msg_new(self->h, PEERGROUP_CMD_GROUP_ADD, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_GROUP_NAME, "office"));
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_IDENTITY, "alice"));
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_GROUP_ID, "x.office"));
	EXPECT_EQ(-EINVAL, pg_transact(self->h, msg, NULL, NULL));
	EXPECT_EQ(PEERGROUP_A_GROUP_ID, pg_errattr(self->h));

	/* An attribute this kernel does not know. */
	msg = pg_msg_new(self->h, PEERGROUP_CMD_GROUP_ADD, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_GROUP_NAME, "office"));
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_IDENTITY, "alice"));
	ASSERT_EQ(0, nla_put_u32(msg, PEERGROUP_A_MAX + 1, 7));
	EXPECT_EQ(-EINVAL, pg_transact(self->h, msg, NULL, NULL));

	EXPECT_EQ(0, count_groups(self->h));
}

TEST_F(group, create_flags_are_rejected)
{
	/* Strict generic netlink: ADD, DEL and GET are separate commands. */
	EXPECT_EQ(-EINVAL, add_raw_name(self->h, "office", 7, NLM_F_CREATE));
	EXPECT_EQ(-EINVAL, add_raw_name(self->h, "office", 7, NLM_F_REPLACE));
	EXPECT_EQ(0, count_groups(self->h));
}

TEST_F(group, dump_lists_every_group_in_name_order)
{
	static const char *const names[] = { "delta", "alpha", "echo", "charlie", "bravo" };
	static const char *const sorted[] = { "alpha", "bravo", "charlie", "delta", "echo" };
	struct pg_group_info *groups = NULL;
	size_t i, n = 0;

	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, pg_group_create(self->h, names[i], "alice", NULL));
	ASSERT_EQ(0, pg_group_enum(self->h, &groups, &n));
	ASSERT_EQ(5, n);
	for (i = 0; i < n; i++) {
		EXPECT_STREQ(sorted[i], groups[i].name);
		EXPECT_STREQ("alice", groups[i].identity);
	}
	free(groups);
}

TEST_F(group, dump_spans_many_messages)
{
	struct pg_group_info *groups = NULL;
	char name[PEERGROUP_GROUP_NAME_MAX + 1];
	size_t i, n = 0;

	ASSERT_EQ(0, create_many(self->h));
	ASSERT_EQ(0, pg_group_enum(self->h, &groups, &n));
	ASSERT_EQ(MANY_GROUPS, n);
	for (i = 0; i < n; i++) {
		long_name(name, i);
		EXPECT_STREQ(name, groups[i].name);
	}
	free(groups);
}

static int count_dump_msgs(struct nl_msg *msg, void *arg)
{
	(void)msg;
	++*(int *)arg;
	return 0;
}

TEST_F(group, dump_takes_no_name)
{
	struct nl_msg *msg;
	int msgs = 0;

	ASSERT_EQ(0, pg_group_create(self->h, "office", "alice", NULL));
	msg = pg_msg_new(self->h, PEERGROUP_CMD_GROUP_GET, NLM_F_DUMP);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_GROUP_NAME, "office"));
	EXPECT_EQ(-EINVAL, pg_transact(self->h, msg, count_dump_msgs, &msgs));
	EXPECT_NE(NULL, strstr(pg_errmsg(self->h), "dump"))
		TH_LOG("extack: '%s'", pg_errmsg(self->h));
	EXPECT_EQ(0, msgs);
}

TEST_F(group, dump_interrupted_by_a_change_is_flagged)
{
	struct pg_group_info *groups = NULL;
	struct nl_sock *sk = pg_sock(self->h);
	struct pg_handle *other;
	bool done = false;
	int flags = 0;
	struct nl_msg *msg;
	size_t n = 0;

	ASSERT_EQ(0, create_many(self->h));

	/* The first part of a dump comes before anything changes ... */
	msg = pg_msg_new(self->h, PEERGROUP_CMD_GROUP_GET, NLM_F_DUMP);
	ASSERT_NE(NULL, msg);
	ASSERT_LT(0, nl_send_auto(sk, msg));
	nlmsg_free(msg);
	ASSERT_LT(0, recv_dump_datagram(sk, &flags, &done));
	ASSERT_FALSE(done) TH_LOG("the groups fit one datagram: make them larger");
	EXPECT_EQ(0, flags & NLM_F_DUMP_INTR);

	/* ... then another socket adds a group: the rest is flagged. */
	ASSERT_EQ(0, pg_open(&other));
	ASSERT_EQ(0, pg_group_create(other, "zzz-late", "bob", NULL));
	while (!done)
		ASSERT_LT(0, recv_dump_datagram(sk, &flags, &done));
	EXPECT_NE(0, flags & NLM_F_DUMP_INTR);

	/* The library starts such a dump again and returns a whole list. */
	ASSERT_EQ(0, pg_group_enum(self->h, &groups, &n));
	EXPECT_EQ(MANY_GROUPS + 1, n);
	free(groups);
	pg_close(other);
}

TEST_F(group, max_groups_caps_the_namespace)
{
	char name[16];
	int i;

	ASSERT_EQ(0, write_file("/proc/sys/net/peergroup/max_groups", "3"));
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "g%d", i);
		ASSERT_EQ(0, pg_group_create(self->h, name, "alice", NULL));
	}
	EXPECT_EQ(-ENOSPC, pg_group_create(self->h, "g3", "alice", NULL));
	EXPECT_NE(NULL, strstr(pg_errmsg(self->h), "max_groups"))
		TH_LOG("extack: '%s'", pg_errmsg(self->h));
	EXPECT_STREQ("E_OUTOFMEMORY", pg_windows_error(-ENOSPC, 0));
	EXPECT_EQ(3, count_groups(self->h));

	ASSERT_EQ(0, pg_group_delete(self->h, "g0"));
	EXPECT_EQ(0, pg_group_create(self->h, "g3", "alice", NULL));

	/* The sysctl keeps to its documented range. */
	EXPECT_EQ(-EINVAL, write_file("/proc/sys/net/peergroup/max_groups", "-1"));
	EXPECT_EQ(-EINVAL, write_file("/proc/sys/net/peergroup/max_groups", "65537"));
	EXPECT_EQ(0, write_file("/proc/sys/net/peergroup/max_groups", "0"));
	EXPECT_EQ(-ENOSPC, pg_group_create(self->h, "g4", "alice", NULL));
}

TEST_F(group, namespaces_are_isolated)
{
	struct pg_handle *other;
	struct pg_group_info got;

	ASSERT_EQ(0, pg_group_create(self->h, "shared", "alice", NULL));
	ASSERT_EQ(0, pg_group_create(self->h, "only-here", "alice", NULL));

	/* A second namespace; each socket stays in the one it was made in. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, pg_open(&other)) TH_LOG("pg_open: %s", pg_errmsg(other));
	EXPECT_EQ(0, count_groups(other));
	EXPECT_EQ(0, pg_group_create(other, "shared", "bob", NULL));
	EXPECT_EQ(-ENOENT, pg_group_get(other, "only-here", &got));

	ASSERT_EQ(0, pg_group_get(self->h, "shared", &got));
	EXPECT_STREQ("alice", got.identity);
	ASSERT_EQ(0, pg_group_get(other, "shared", &got));
	EXPECT_STREQ("bob", got.identity);

	ASSERT_EQ(0, pg_group_delete(self->h, "shared"));
	EXPECT_EQ(0, pg_group_get(other, "shared", &got));
	EXPECT_EQ(1, count_groups(self->h));
	EXPECT_EQ(1, count_groups(other));
	pg_close(other);
}

/* Exit codes: 0 as expected, else the step that went wrong. */
static int unprivileged_calls(void *unused __attribute__((unused)))
{
	struct pg_group_info got, *groups = NULL;
	struct pg_handle *h;
	size_t n = 0;

	if (pg_open(&h))
		return 1;
	if (pg_group_create(h, "mine", "eve", NULL) != -EPERM)
		return 2;
	if (strcmp(pg_windows_error(-EPERM, 0), "E_ACCESSDENIED"))
		return 3;
	if (pg_group_delete(h, "office") != -EPERM)
		return 4;
	/* Reading is open to everyone: nothing secret in a group's name. */
	if (pg_group_get(h, "office", &got) || strcmp(got.identity, "alice"))
		return 5;
	if (pg_group_enum(h, &groups, &n) || n != 1)
		return 6;
	free(groups);
	pg_close(h);
	return 0;
}

TEST_F(group, unprivileged_users_get_eperm)
{
	ASSERT_EQ(0, pg_group_create(self->h, "office", "alice", NULL));
	EXPECT_EQ(0, run_as_nobody(unprivileged_calls, NULL));
	EXPECT_EQ(1, count_groups(self->h));
}

/*
 * CAP_NET_ADMIN counts in the user namespace that owns the network
 * namespace: an unprivileged user is root of namespaces it makes itself.
 */
static int container_root_calls(void *unused __attribute__((unused)))
{
	struct pg_handle *h;
	int ret = 0;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return 10;
	if (pg_open(&h))
		return 11;
	if (pg_group_create(h, "mine", "eve", NULL))
		ret = 12;
	else if (count_groups(h) != 1)
		ret = 13;
	else if (pg_group_delete(h, "mine"))
		ret = 14;
	pg_close(h);
	return ret;
}

TEST_F(group, container_root_manages_its_own_namespace)
{
	ASSERT_EQ(0, pg_group_create(self->h, "office", "alice", NULL));
	EXPECT_EQ(0, run_as_nobody(container_root_calls, NULL));
	/* ... and cannot touch the namespace it came from. */
	EXPECT_EQ(1, count_groups(self->h));
}

TEST_HARNESS_MAIN
