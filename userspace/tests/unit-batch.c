// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Offline tests of pipelined writes: the window's bound, requests packed
 * into one send buffer, answers matched to their requests (the kernel's
 * answers made by hand), the handle kept for the batch; and the tool's
 * splitting of "record load" lines into words.
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

#define FAMILY 0x20

static void test_window(void)
{
	/* The default buffer: 212992 (rmem_max) doubled. */
	CHECK_INT(pg_batch_window_for(0, 425984), PG_BATCH_WINDOW_DEFAULT);
	CHECK_INT(pg_batch_window_for(PG_BATCH_WINDOW_MAX, 425984),
		  PG_BATCH_WINDOW_MAX);
	CHECK_INT(pg_batch_window_for(1, 425984), 1);
	/* The answers of a window always fit the buffer. */
	CHECK_INT(pg_batch_window_for(0, 8192), 4);
	CHECK_INT(pg_batch_window_for(100, 100 * PG_BATCH_ANSWER_COST - 1), 99);
	CHECK_INT(pg_batch_window_for(0, 1000), 1);
	CHECK_INT(pg_batch_window_for(7, -1), 1);
	/* The bound of the header, in the default buffer. */
	CHECK_INT(PG_BATCH_WINDOW_MAX * PG_BATCH_ANSWER_COST <= 425984, 1);
}

/* What the callback saw, in order. */
struct seen {
	size_t n;
	size_t index[8];
	int err[8];
	uint8_t id0[8];
	uint32_t version[8];
};

static void on_answer(void *arg, size_t index, int err,
		      const uint8_t id[PG_GUID_LEN], uint32_t version)
{
	struct seen *s = arg;

	if (s->n == 8)
		return;
	s->index[s->n] = index;
	s->err[s->n] = err;
	s->id0[s->n] = id[0];
	s->version[s->n] = version;
	s->n++;
}

/* The kernel's reply to a record write: the group, then id and version. */
static struct nl_msg *reply(uint32_t seq, uint8_t id0, uint32_t version)
{
	struct nl_msg *msg = nlmsg_alloc();
	uint8_t id[PG_GUID_LEN] = { id0 };
	struct nlattr *nest;

	genlmsg_put(msg, 0, seq, FAMILY, 0, 0, PEERGROUP_CMD_RECORD_ADD,
		    PEERGROUP_GENL_VERSION);
	nla_put_string(msg, PEERGROUP_A_GROUP_NAME, "office");
	nest = nla_nest_start(msg, PEERGROUP_A_RECORD);
	nla_put(msg, PEERGROUP_RECORD_A_ID, PG_GUID_LEN, id);
	nla_put_u32(msg, PEERGROUP_RECORD_A_VERSION, version);
	nla_nest_end(msg, nest);
	return msg;
}

/* The kernel's NLMSG_ERROR (or ACK, error 0) for the request req. */
static struct nl_msg *answer_error(const struct nlmsghdr *req, int error,
				   const char *text, uint32_t off)
{
	struct nl_msg *msg = error_reply(req, error, true);

	nlmsg_hdr(msg)->nlmsg_seq = req->nlmsg_seq;
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	if (off)
		nla_put_u32(msg, NLMSGERR_ATTR_OFFS, off);
	return msg;
}

static void feed(struct pg_batch *b, struct nl_msg *msg)
{
	pg_batch_answer(b, nlmsg_hdr(msg));
	nlmsg_free(msg);
}

/* The request at byte off of a packed buffer. */
static const struct nlmsghdr *at(const uint8_t *buf, size_t off)
{
	return (const struct nlmsghdr *)(buf + off);
}

static void test_pack_and_answers(void)
{
	static const uint8_t data[300];
	struct pg_handle h = { .family = FAMILY };
	struct pg_record rec = { .present = PG_REC_TYPE | PG_REC_EXPIRES,
				 .type = { 1 }, .expires = 5 };
	struct pg_record big = rec;
	const struct nlmsghdr *r0, *r1, *r2, *r3;
	struct pg_group_info g;
	struct seen seen = { .n = 0 };
	struct pg_batch *b, *other;
	const uint8_t *buf;
	uint8_t copy[512];
	size_t len;

	h.sk = nl_socket_alloc();
	/*
	 * An add is 68 bytes: headers 20, "office" 12, the record nest 4 +
	 * type 20 + expires 12. Two fit into 200 bytes, three do not.
	 */
	b = pg_batch_new(&h, "office", 8, 200, on_answer, &seen);
	CHECK_INT(b != NULL, 1);
	if (!b || !h.sk)
		return;
	CHECK_INT(pg_batch_add(b, &rec), 0);
	CHECK_INT(pg_batch_add(b, &rec), 0);
	CHECK_INT(pg_batch_add(b, &rec), 0);
	CHECK_INT(pg_batch_import(b, &rec), 0);

	/* A batch keeps its handle: other calls are refused, nothing is sent. */
	CHECK_INT(pg_group_get(&h, "office", &g), -EBUSY);
	CHECK_STR(pg_errmsg(&h), "a batch is open on this handle: close it first");
	CHECK_INT(pg_batch_open(&h, "office", 0, NULL, NULL, &other), -EBUSY);
	CHECK_INT(other == NULL, 1);

	CHECK_INT(pg_batch_pack(b, &buf, &len), 2);
	CHECK_INT(len, 136);
	memcpy(copy, buf, len);
	r0 = at(copy, 0);
	r1 = at(copy, 68);
	CHECK_INT(r0->nlmsg_len, 68);
	CHECK_INT(r0->nlmsg_type, FAMILY);
	/* Add answers with its record: no ACK asked. */
	CHECK_INT(r0->nlmsg_flags, NLM_F_REQUEST);
	CHECK_INT(r1->nlmsg_len, 68);
	CHECK_INT(r1->nlmsg_seq, r0->nlmsg_seq + 1);
	CHECK_INT(((const struct genlmsghdr *)NLMSG_DATA(r1))->cmd,
		  PEERGROUP_CMD_RECORD_ADD);

	CHECK_INT(pg_batch_pack(b, &buf, &len), 2);
	CHECK_INT(len, 136);
	memcpy(copy + 136, buf, len);
	r2 = at(copy, 136);
	r3 = at(copy, 204);
	CHECK_INT(r2->nlmsg_seq, r0->nlmsg_seq + 2);
	CHECK_INT(r3->nlmsg_seq, r0->nlmsg_seq + 3);
	/* Import answers with an ACK. */
	CHECK_INT(r3->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	CHECK_INT(((const struct genlmsghdr *)NLMSG_DATA(r3))->cmd,
		  PEERGROUP_CMD_RECORD_IMPORT);
	CHECK_INT(pg_batch_pack(b, &buf, &len), 0);	/* nothing queued */

	/* Answers: stale ones are ignored, callbacks come in queue order. */
	feed(b, reply(r0->nlmsg_seq - 1, 9, 9));
	feed(b, reply(r1->nlmsg_seq, 0x22, 1));
	CHECK_INT(seen.n, 0);		/* request 0 is still unanswered */
	feed(b, reply(r0->nlmsg_seq, 0x11, 1));
	CHECK_INT(seen.n, 2);
	CHECK_INT(seen.index[0], 0);
	CHECK_INT(seen.id0[0], 0x11);
	CHECK_INT(seen.index[1], 1);
	CHECK_INT(seen.id0[1], 0x22);
	CHECK_INT(seen.version[1], 1);
	CHECK_INT(pg_batch_succeeded(b), 2);
	CHECK_INT(pg_batch_failed_index(b), PG_BATCH_NO_FAILURE);

	/* A refusal, its message parsed against its own request. */
	feed(b, answer_error(r2, -ENOENT, "record: no such record", 40));
	CHECK_INT(seen.n, 3);
	CHECK_INT(seen.err[2], -ENOENT);
	CHECK_INT(seen.id0[2], 0);
	CHECK_INT(pg_batch_failed_index(b), 2);
	/* Later calls return the first failure, and queue nothing. */
	CHECK_INT(pg_batch_add(b, &rec), -ENOENT);
	CHECK_STR(pg_errmsg(&h), "record: no such record");
	CHECK_INT(pg_errattr(&h), PEERGROUP_A_RECORD);
	CHECK_STR(pg_last_windows_error(&h, -ENOENT), "PEER_E_RECORD_NOT_FOUND");
	CHECK_INT(pg_batch_pack(b, &buf, &len), 0);
	/* The import in flight is still read: its ACK. */
	feed(b, answer_error(r3, 0, NULL, 0));
	CHECK_INT(seen.n, 4);
	CHECK_INT(seen.err[3], 0);
	CHECK_INT(pg_batch_succeeded(b), 3);
	CHECK_INT(pg_batch_close(b), -ENOENT);
	CHECK_STR(pg_errmsg(&h), "record: no such record");
	CHECK_INT(h.batch, 0);

	/* A request larger than a send goes alone. */
	b = pg_batch_new(&h, NULL, 4, 200, NULL, NULL);
	big.present |= PG_REC_DATA;
	big.data = data;
	big.data_len = sizeof(data);
	CHECK_INT(pg_batch_add(b, &big), 0);
	CHECK_INT(pg_batch_add(b, &rec), 0);
	CHECK_INT(pg_batch_pack(b, &buf, &len), 1);
	CHECK_INT(len > 300 && len <= sizeof(copy), 1);
	memcpy(copy, buf, len);
	CHECK_INT(pg_batch_pack(b, &buf, &len), 1);
	/* Without a group the request has none: 20 + 36 bytes. */
	CHECK_INT(len, 56);
	/* The first failure is the lowest index, whatever came first. */
	feed(b, answer_error(at(buf, 0), -EINVAL, "expires: in the past", 0));
	CHECK_INT(pg_batch_failed_index(b), 1);
	feed(b, answer_error(at(copy, 0), -EMSGSIZE, "record: too large", 0));
	CHECK_INT(pg_batch_failed_index(b), 0);
	CHECK_INT(pg_batch_close(b), -EMSGSIZE);
	CHECK_STR(pg_errmsg(&h), "record: too large");
	nl_socket_free(h.sk);
}

#define DOLLAR "$ and ` are not supported (nothing is expanded: put the word in single quotes)"
#define OPS "the shell operators ; & | < > ( ) are not supported (quote them)"

static const struct {
	const char *line;
	const char *words[9];	/* up to the first NULL */
	const char *why;	/* refused: why */
} lines[] = {
	{ "type 5f0c1d2e-3a4b-4c5d-8e9f-a0b1c2d3e4f5 expires +1h\tattr 'colour=light blue' "
	  "data \"say \\\"hi\\\" \\\\ ok\"\r",
	  { "type", "5f0c1d2e-3a4b-4c5d-8e9f-a0b1c2d3e4f5", "expires", "+1h",
	    "attr", "colour=light blue", "data", "say \"hi\" \\ ok" }, NULL },
	{ "", { NULL }, NULL },
	{ "   \t ", { NULL }, NULL },
	{ "  # a comment 'unterminated", { NULL }, NULL },
	{ "data ''", { "data", "" }, NULL },
	{ "a#b c # tail $x", { "a#b", "c" }, NULL },
	{ "a\\ b x\\'y \"it's\"", { "a b", "x'y", "it's" }, NULL },
	{ "n='one two':string", { "n=one two:string" }, NULL },
	{ "data 'a$b;c'", { "data", "a$b;c" }, NULL },
	{ "data \"a;b\"", { "data", "a;b" }, NULL },
	{ "data 'abc", { NULL }, "unterminated single quote" },
	{ "data \"abc", { NULL }, "unterminated double quote" },
	{ "data abc\\", { NULL }, "a \\ at the end of the line" },
	{ "data $HOME", { NULL }, DOLLAR },
	{ "data \"a`b\"", { NULL }, DOLLAR },
	{ "data a;b", { NULL }, OPS },
	{ "data x>y", { NULL }, OPS },
};

static void test_split_words(void)
{
	char buf[256], *argv[130];
	const char *why;
	size_t i;
	int argc, n, w;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", lines[i].line);
		why = NULL;
		CHECK_INT(split_words(buf, argv, &argc, &why),
			  lines[i].why ? -1 : 0);
		CHECK_STR(why, lines[i].why);
		if (lines[i].why)
			continue;
		for (n = 0; n < 9 && lines[i].words[n]; n++)
			;
		CHECK_INT(argc, n);
		for (w = 0; w < argc && w < n; w++)
			CHECK_STR(argv[w], lines[i].words[w]);
	}
}

void test_batch(void)
{
	test_window();
	test_pack_and_answers();
	test_split_words();
}
