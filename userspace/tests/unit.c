// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Offline unit test of the pure parts of libpeergroup and the tool: the
 * extended-ACK parser (fed with hand-built kernel answers), the reply
 * parser, the error-name tables, JSON strings and time stamps; the other
 * unit-*.c files test records, XML and the export file. No kernel module
 * needed: "make -C userspace check".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include "../lib/internal.h"
#include "../peergroup/output.h"
#include "unit.h"

int checks, failures;

void check_int(long long got, long long want, const char *what,
	       const char *file, int line)
{
	checks++;
	if (got == want)
		return;
	failures++;
	fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", file, line, what,
		got, want);
}

void check_str(const char *got, const char *want, const char *what,
	       const char *file, int line)
{
	checks++;
	if (got == want || (got && want && !strcmp(got, want)))
		return;
	failures++;
	fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", file, line,
		what, got ? got : "(null)", want ? want : "(null)");
}

/*
 * A GROUP_ADD request as libnl builds it: attributes at offset 20 (name,
 * 11 bytes, padded to 12) and 32 (identity, 10 bytes, padded to 12).
 */
static struct nl_msg *request(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 1, 7, 0x20, 0, 0, PEERGROUP_CMD_GROUP_ADD,
		    PEERGROUP_GENL_VERSION);
	nla_put_string(msg, PEERGROUP_A_GROUP_NAME, "office");
	nla_put_string(msg, PEERGROUP_A_IDENTITY, "alice");
	return msg;
}

/* The kernel's NLMSG_ERROR for req, TLVs to be added by the caller. */
struct nl_msg *error_reply(const struct nlmsghdr *req, int error,
			   bool capped)
{
	int flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, flags);
	struct nlmsgerr e = { .error = error, .msg = *req };

	nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	if (!capped)
		nlmsg_append(msg, (char *)req + NLMSG_HDRLEN,
			     req->nlmsg_len - NLMSG_HDRLEN, NLMSG_ALIGNTO);
	return msg;
}

static void put_policy(struct nl_msg *msg, uint32_t min, uint32_t max)
{
	struct nlattr *nest = nla_nest_start(msg, NLMSGERR_ATTR_POLICY);

	nla_put_u32(msg, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_NUL_STRING);
	if (min)
		nla_put_u32(msg, NL_POLICY_TYPE_ATTR_MIN_LENGTH, min);
	nla_put_u32(msg, NL_POLICY_TYPE_ATTR_MAX_LENGTH, max);
	nla_nest_end(msg, nest);
}

static void test_attr_at(void)
{
	struct nl_msg *req = request();
	const struct nlmsghdr *h = nlmsg_hdr(req);

	CHECK_INT(h->nlmsg_len, 44);
	CHECK_INT(pg_request_attr_at(h, 0), 0);
	CHECK_INT(pg_request_attr_at(h, 19), 0);
	CHECK_INT(pg_request_attr_at(h, 20), PEERGROUP_A_GROUP_NAME);
	CHECK_INT(pg_request_attr_at(h, 24), PEERGROUP_A_GROUP_NAME);
	CHECK_INT(pg_request_attr_at(h, 30), PEERGROUP_A_GROUP_NAME);
	CHECK_INT(pg_request_attr_at(h, 31), 0);	/* padding */
	CHECK_INT(pg_request_attr_at(h, 32), PEERGROUP_A_IDENTITY);
	CHECK_INT(pg_request_attr_at(h, 41), PEERGROUP_A_IDENTITY);
	CHECK_INT(pg_request_attr_at(h, 44), 0);
	CHECK_INT(pg_request_attr_at(h, 100000), 0);
	CHECK_INT(pg_request_attr_at(NULL, 24), 0);
	nlmsg_free(req);
}

static void test_error_uncapped(void)
{
	struct nl_msg *req = request(), *ans;
	struct pg_error e;

	ans = error_reply(nlmsg_hdr(req), -EINVAL, false);
	nla_put_string(ans, NLMSGERR_ATTR_MSG, "group name is malformed");
	nla_put_u32(ans, NLMSGERR_ATTR_OFFS, 24);
	put_policy(ans, 0, PEERGROUP_GROUP_NAME_MAX);
	nla_put_u32(ans, 99, 1);	/* unknown: ignored */

	CHECK_INT(pg_extack_error(&e, nlmsg_hdr(ans), nlmsg_hdr(req)), -EINVAL);
	CHECK_INT(e.err, -EINVAL);
	CHECK_STR(e.msg, "group name is malformed");
	CHECK_INT(e.attr, PEERGROUP_A_GROUP_NAME);
	CHECK_INT(e.min_len, 0);
	CHECK_INT(e.max_len, PEERGROUP_GROUP_NAME_MAX);
	CHECK_STR(pg_windows_error(e.err, e.attr), "PEER_E_INVALID_CLASSIFIER");

	/* Without NLM_F_ACK_TLVS the same bytes are not TLVs. */
	nlmsg_hdr(ans)->nlmsg_flags &= ~NLM_F_ACK_TLVS;
	CHECK_INT(pg_extack_error(&e, nlmsg_hdr(ans), nlmsg_hdr(req)), -EINVAL);
	CHECK_STR(e.msg, "");
	CHECK_INT(e.attr, 0);
	nlmsg_free(ans);
	nlmsg_free(req);
}

static void test_error_capped(void)
{
	struct nl_msg *req = request(), *ans;
	struct pg_error e;

	ans = error_reply(nlmsg_hdr(req), -EINVAL, true);
	nla_put_string(ans, NLMSGERR_ATTR_MSG, "missing identity");
	nla_put_u32(ans, NLMSGERR_ATTR_MISS_TYPE, PEERGROUP_A_IDENTITY);
	CHECK_INT(pg_extack_error(&e, nlmsg_hdr(ans), nlmsg_hdr(req)), -EINVAL);
	CHECK_STR(e.msg, "missing identity");
	CHECK_INT(e.attr, PEERGROUP_A_IDENTITY);
	CHECK_STR(pg_windows_error(e.err, e.attr), "PEER_E_INVALID_PEER_NAME");
	nlmsg_free(ans);

	/* Missing inside a nest: the nest we sent is blamed. */
	ans = error_reply(nlmsg_hdr(req), -EINVAL, true);
	nla_put_u32(ans, NLMSGERR_ATTR_MISS_TYPE, 7);
	nla_put_u32(ans, NLMSGERR_ATTR_MISS_NEST, 32);
	pg_extack_error(&e, nlmsg_hdr(ans), nlmsg_hdr(req));
	CHECK_INT(e.attr, PEERGROUP_A_IDENTITY);
	nlmsg_free(ans);

	/* Positive errno, limits, a message without its NUL. */
	ans = error_reply(nlmsg_hdr(req), EEXIST, true);
	nla_put(ans, NLMSGERR_ATTR_MSG, 5, "taken");
	put_policy(ans, PEERGROUP_IDENTITY_MIN, PEERGROUP_IDENTITY_MAX);
	CHECK_INT(pg_extack_error(&e, nlmsg_hdr(ans), NULL), -EEXIST);
	CHECK_STR(e.msg, "taken");
	CHECK_INT(e.min_len, PEERGROUP_IDENTITY_MIN);
	CHECK_INT(e.max_len, PEERGROUP_IDENTITY_MAX);
	nlmsg_free(ans);
	nlmsg_free(req);
}

static void test_error_bounds(void)
{
	struct nl_msg *req = request(), *ans;
	char longmsg[2 * PG_ERRMSG_MAX];
	struct nlattr *a;
	struct pg_error e;

	/* A message longer than our buffer is cut, terminated. */
	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	ans = error_reply(nlmsg_hdr(req), -EINVAL, true);
	nla_put_string(ans, NLMSGERR_ATTR_MSG, longmsg);
	pg_extack_error(&e, nlmsg_hdr(ans), NULL);
	CHECK_INT(strlen(e.msg), PG_ERRMSG_MAX - 1);
	nlmsg_free(ans);

	/* A TLV claiming more than the message holds is not read. */
	ans = error_reply(nlmsg_hdr(req), -EINVAL, true);
	nla_put_string(ans, NLMSGERR_ATTR_MSG, "lie");
	a = nlmsg_attrdata(nlmsg_hdr(ans), sizeof(struct nlmsgerr));
	a->nla_len = 200;
	CHECK_INT(pg_extack_error(&e, nlmsg_hdr(ans), NULL), -EINVAL);
	CHECK_STR(e.msg, "");
	nlmsg_free(ans);

	/* An uncapped error whose echoed request claims too much. */
	ans = error_reply(nlmsg_hdr(req), -EINVAL, false);
	nla_put_string(ans, NLMSGERR_ATTR_MSG, "hidden");
	((struct nlmsgerr *)nlmsg_data(nlmsg_hdr(ans)))->msg.nlmsg_len = 4000;
	CHECK_INT(pg_extack_error(&e, nlmsg_hdr(ans), NULL), -EINVAL);
	CHECK_STR(e.msg, "");
	nlmsg_free(ans);

	/* A truncated nlmsgerr. */
	ans = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	nlmsg_append(ans, &(int){ -EINVAL }, sizeof(int), NLMSG_ALIGNTO);
	CHECK_INT(pg_extack_error(&e, nlmsg_hdr(ans), NULL), -EPROTO);
	nlmsg_free(ans);
	nlmsg_free(req);
}

static void test_done(void)
{
	struct nl_msg *ans;
	struct pg_error e;

	ans = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	nlmsg_append(ans, &(int){ -ENOSPC }, sizeof(int), NLMSG_ALIGNTO);
	nla_put_string(ans, NLMSGERR_ATTR_MSG, "too many groups");
	CHECK_INT(pg_extack_done(&e, nlmsg_hdr(ans), NULL), -ENOSPC);
	CHECK_STR(e.msg, "too many groups");
	CHECK_STR(pg_windows_error(e.err, e.attr), "E_OUTOFMEMORY");
	nlmsg_free(ans);

	ans = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);
	nlmsg_append(ans, &(int){ 0 }, sizeof(int), NLMSG_ALIGNTO);
	CHECK_INT(pg_extack_done(&e, nlmsg_hdr(ans), NULL), 0);
	nlmsg_free(ans);

	ans = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);
	CHECK_INT(pg_extack_done(&e, nlmsg_hdr(ans), NULL), 0);
	nlmsg_free(ans);
}

static struct nl_msg *group_reply(const char *name, const char *identity)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 7, 0x20, 0, 0, PEERGROUP_CMD_GROUP_GET,
		    PEERGROUP_GENL_VERSION);
	if (name)
		nla_put_string(msg, PEERGROUP_A_GROUP_NAME, name);
	nla_put_string(msg, PEERGROUP_A_GROUP_ID,
		       "0123456789abcdef0123456789abcdef01234567.office");
	nla_put_string(msg, PEERGROUP_A_IDENTITY, identity);
	nla_put_u64(msg, PEERGROUP_A_GROUP_CREATED, 1700000000123456789ULL);
	nla_put_u32(msg, PEERGROUP_A_MAX + 5, 1);	/* from a newer kernel */
	return msg;
}

static void test_group_parse(void)
{
	char toolong[PEERGROUP_IDENTITY_MAX + 2];
	struct pg_group_info g;
	struct nl_msg *msg;

	msg = group_reply("office", "alice");
	CHECK_INT(pg_group_parse(msg, &g), 0);
	CHECK_STR(g.name, "office");
	CHECK_STR(g.id, "0123456789abcdef0123456789abcdef01234567.office");
	CHECK_STR(g.identity, "alice");
	CHECK_INT(g.created_ns, 1700000000123456789ULL);
	CHECK_INT(g.key_random, false);
	nlmsg_free(msg);

	msg = group_reply("office", "alice");
	nla_put_flag(msg, PEERGROUP_A_GROUP_KEY_RANDOM);
	CHECK_INT(pg_group_parse(msg, &g), 0);
	CHECK_INT(g.key_random, true);
	nlmsg_free(msg);

	msg = group_reply(NULL, "alice");
	CHECK_INT(pg_group_parse(msg, &g), -EPROTO);
	nlmsg_free(msg);

	memset(toolong, 'a', sizeof(toolong) - 1);
	toolong[sizeof(toolong) - 1] = '\0';
	msg = group_reply("office", toolong);
	CHECK_INT(pg_group_parse(msg, &g), -EPROTO);
	nlmsg_free(msg);

	toolong[PEERGROUP_IDENTITY_MAX] = '\0';
	msg = group_reply("office", toolong);
	CHECK_INT(pg_group_parse(msg, &g), 0);
	CHECK_INT(strlen(g.identity), PEERGROUP_IDENTITY_MAX);
	nlmsg_free(msg);
}

static void test_names(void)
{
	static const struct {
		int err, attr;
		const char *name;
	} windows[] = {
		{ -EINVAL, PEERGROUP_A_GROUP_NAME, "PEER_E_INVALID_CLASSIFIER" },
		{ -EINVAL, PEERGROUP_A_IDENTITY, "PEER_E_INVALID_PEER_NAME" },
		{ -EINVAL, 0, "E_INVALIDARG" },
		{ -EINVAL, PEERGROUP_A_GROUP_CREATED, "E_INVALIDARG" },
		{ -EEXIST, PEERGROUP_A_GROUP_NAME, "PEER_E_ALREADY_EXISTS" },
		{ -ENOENT, 0, "PEER_E_INVALID_GROUP" },
		{ -ENODEV, 0, "PEER_E_INVALID_GROUP" },
		{ -EACCES, 0, "PEER_E_NOT_AUTHORIZED" },
		{ -EPERM, 0, "E_ACCESSDENIED" },
		{ -EMSGSIZE, 0, "PEER_E_MAX_RECORD_SIZE_EXCEEDED" },
		{ -EAGAIN, 0, "PEER_E_GROUP_NOT_READY" },
		{ -EBUSY, 0, "PEER_E_GROUP_IN_USE" },
		{ -ENOMEM, 0, "E_OUTOFMEMORY" },
		{ -ENOSPC, 0, "E_OUTOFMEMORY" },
		{ ENOSPC, 0, "E_OUTOFMEMORY" },
		{ -EPROTO, 0, "E_FAIL" },
		{ 0, 0, "E_FAIL" },
	};
	size_t i;

	for (i = 0; i < sizeof(windows) / sizeof(windows[0]); i++)
		CHECK_STR(pg_windows_error(windows[i].err, windows[i].attr),
			  windows[i].name);

	CHECK_STR(pg_errno_name(-EEXIST), "EEXIST");
	CHECK_STR(pg_errno_name(ENOSPC), "ENOSPC");
	CHECK_STR(pg_errno_name(-9999), NULL);
	CHECK_STR(pg_attr_name(PEERGROUP_A_GROUP_NAME), "group name");
	CHECK_STR(pg_attr_name(PEERGROUP_A_IDENTITY), "identity");
	CHECK_STR(pg_attr_name(0), NULL);
	CHECK_STR(pg_attr_name(PEERGROUP_A_MAX + 1), NULL);

	CHECK_INT(pg_errno_from_nl(-NLE_OBJ_NOTFOUND), -ENOENT);
	CHECK_INT(pg_errno_from_nl(-NLE_NOMEM), -ENOMEM);
	CHECK_INT(pg_errno_from_nl(-NLE_NOACCESS), -EACCES);
	CHECK_INT(pg_errno_from_nl(-NLE_NOADDR), -EADDRNOTAVAIL);
	CHECK_INT(pg_errno_from_nl(-NLE_DUMP_INTR), -EINTR);
	CHECK_INT(pg_errno_from_nl(0), 0);
	CHECK_INT(pg_errno_from_nl(-1000), -EIO);
}

/* s as json_string() writes it, in a static buffer. */
static const char *json_of(const char *s)
{
	static char out[256];
	FILE *f = fmemopen(out, sizeof(out), "w");

	json_string(f, s);
	fclose(f);
	return out;
}

static const char *group_printed(const struct pg_group_info *g, bool json)
{
	static char out[512];
	FILE *f = fmemopen(out, sizeof(out), "w");

	print_group(f, g, json);
	fclose(f);
	return out;
}

static void test_output(void)
{
	struct pg_group_info g = {
		.name = "office",
		.id = "0123456789abcdef0123456789abcdef01234567.office",
		.identity = "a\"b\\c",
		.created_ns = 1700000000123456789ULL,
		.kdf = { .time = 3, .memory_kib = 65536, .lanes = 4 },
	};
	char buf[TIME_ISO_SIZE], out[512];
	FILE *f;

	CHECK_STR(json_of("office"), "\"office\"");
	CHECK_STR(json_of("a\"b\\c"), "\"a\\\"b\\\\c\"");
	CHECK_STR(json_of("\n\t\x01\x1f\x7f~"), "\"\\u000a\\u0009\\u0001\\u001f\\u007f~\"");
	CHECK_STR(json_of(""), "\"\"");

	CHECK_INT(format_time_ns(buf, sizeof(buf), 0), 0);
	CHECK_STR(buf, "1970-01-01T00:00:00.000000000Z");
	CHECK_INT(format_time_ns(buf, sizeof(buf), 1700000000123456789ULL), 0);
	CHECK_STR(buf, "2023-11-14T22:13:20.123456789Z");
	CHECK_INT(format_time_ns(buf, sizeof(buf), UINT64_MAX), 0);
	CHECK_STR(buf, "2554-07-21T23:34:33.709551615Z");
	CHECK_INT(format_time_ns(buf, 30, 0), -1);	/* no room for the NUL */
	CHECK_INT(format_time_ns(buf, 31, 0), 0);
	CHECK_INT(format_time_ns(buf, 10, 0), -1);

	CHECK_STR(group_printed(&g, true),
		  "{\"name\":\"office\",\"id\":\"0123456789abcdef0123456789abcdef01234567.office\","
		  "\"identity\":\"a\\\"b\\\\c\",\"created\":\"2023-11-14T22:13:20.123456789Z\","
		  "\"created_ns\":1700000000123456789,\"key\":\"password\","
		  "\"kdf\":{\"alg\":\"argon2id\",\"time\":3,\"memory_kib\":65536,\"lanes\":4}}\n");
	CHECK_STR(group_printed(&g, false),
		  "group office\n"
		  "\tid 0123456789abcdef0123456789abcdef01234567.office\n"
		  "\tidentity a\"b\\c\n"
		  "\tcreated 2023-11-14T22:13:20.123456789Z\n"
		  "\tkey password\n"
		  "\tkdf argon2id t=3 m=65536 p=4\n");
	g.key_random = true;
	g.kdf = (struct pg_kdf){ 0 };
	CHECK_STR(strstr(group_printed(&g, true), ",\"key\""),
		  ",\"key\":\"random\",\"kdf\":{\"alg\":\"random\"}}\n");
	CHECK_STR(strstr(group_printed(&g, false), "\tkey"), "\tkey random\n\tkdf random\n");

	f = fmemopen(out, sizeof(out), "w");
	print_groups(f, NULL, 0, true);
	fclose(f);
	CHECK_STR(out, "[]\n");
}

int main(void)
{
	test_attr_at();
	test_error_uncapped();
	test_error_capped();
	test_error_bounds();
	test_done();
	test_group_parse();
	test_names();
	test_output();
	test_records();
	test_xml();
	test_export();
	test_replication();
	test_batch();
	test_group();
	printf("unit: %d checks, %d failed\n", checks, failures);
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
