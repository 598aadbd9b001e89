// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Pipelined writes: record requests in flight many at a time on the
 * handle's one socket (pg_batch_*; pg_import() goes through here too).
 *
 * A batch is a ring of window slots, each a request in queue order: the
 * oldest are sent and wait for their answer, the newest are queued (built
 * and completed with our port and a sequence number, not sent yet). When
 * the ring is full, every queued request is packed into one buffer and
 * sent with one sendmsg(), then answers are read until half the ring is
 * free, so each later send carries about half a window. Answers are
 * matched to requests by sequence number; a request leaves the ring, and
 * the caller's callback runs, in queue order, once it and every request
 * before it are answered.
 *
 * Why the window is bounded. The kernel carries out the messages of a
 * datagram one after the other inside our sendmsg() and queues each
 * answer on our socket before we read any. An answer that finds the
 * receive buffer full (netlink_attachskb(): sk_rmem_alloc above sk_rcvbuf)
 * is dropped, the write it answers stands, and the socket reports ENOBUFS.
 * So the answers of a whole window must fit the buffer at once. An answer
 * costs its skb's truesize: struct sk_buff (256 bytes with alignment),
 * struct skb_shared_info (320) and its data rounded up to a kmalloc size.
 * A reply to add, update or delete holds about 120 bytes (headers, group
 * name, id, version): its data and shared info take a 512-byte slab, a
 * truesize of about 770 bytes. An error (capped: our request is not
 * echoed) holds struct nlmsgerr, the extended-ACK message (our kernel's
 * are under 200 bytes), the offset and the policy: under 700 bytes, a
 * 1 KB slab, a truesize of about 1.3 KB. PG_BATCH_ANSWER_COST, 2 KB,
 * covers either with room. pg_open() asks for a 256 KB buffer; the kernel
 * caps that at net.core.rmem_max (212992 by default) and doubles it:
 * 425984 bytes, 208 answers. The batch reads the real size back and takes
 * the window no larger than size / PG_BATCH_ANSWER_COST, so a lowered
 * rmem_max shrinks the window instead of losing answers; the kernel checks
 * the buffer before it adds an answer, so one answer always fits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include "internal.h"

/* netlink_sendmsg() refuses a datagram above sk_sndbuf minus this. */
#define SEND_SLACK 32

struct slot {
	struct nl_msg *msg;	/* the request, completed */
	size_t index;
	uint8_t cmd;
	bool answered;
	int err;
	uint8_t id[PG_GUID_LEN];
	uint32_t version;
};

struct pg_batch {
	struct pg_handle *h;
	char *group;		/* NULL: left out of the requests */
	pg_batch_cb cb;
	void *arg;
	struct nl_cb *nl_cb;	/* hands every message to on_msg() */

	unsigned int window;
	size_t send_max;	/* bytes one sendmsg() may carry */
	struct slot *ring;	/* window slots */
	unsigned int head;	/* the oldest request */
	unsigned int used;	/* requests in the ring, from head */
	unsigned int sent;	/* of these, sent (the oldest ones) */
	unsigned int waiting;	/* sent and not answered yet */
	uint8_t *buf;		/* the send buffer */
	size_t buf_size;

	size_t next;		/* the index of the next request */
	size_t succeeded;
	int err;		/* the first failure, 0 while none */
	size_t failed;		/* its index */
	struct pg_error first;	/* what h->last says about it */
	bool lost;		/* answers were lost: read no more */
};

static struct slot *slot_at(struct pg_batch *b, unsigned int i)
{
	return &b->ring[(b->head + i) % b->window];
}

unsigned int pg_batch_window_for(unsigned int asked, int rcvbuf)
{
	unsigned int w = asked ? asked : PG_BATCH_WINDOW_DEFAULT;
	unsigned int fit = rcvbuf > 0 ?
		(unsigned int)rcvbuf / PG_BATCH_ANSWER_COST : 0;

	if (w > fit)
		w = fit;
	return w ? w : 1;
}

/* Records err at index as the batch's failure if it is the first. */
static void failure(struct pg_batch *b, size_t index, const struct pg_error *e)
{
	if (b->err && b->failed <= index)
		return;
	b->err = e->err;
	b->failed = index;
	b->first = *e;
}

/* A failure the library found, with its message: on h, then the batch's. */
static void failure_here(struct pg_batch *b, size_t index)
{
	failure(b, index, &b->h->last);
}

/* What a batch call returns: h describes the first failure, or nothing. */
static int result(struct pg_batch *b)
{
	if (b->err)
		b->h->last = b->first;
	else
		pg_clear(b->h);
	return b->err;
}

static void answered(struct pg_batch *b, struct slot *s, int err)
{
	s->answered = true;
	s->err = err;
	if (err) {
		memset(s->id, 0, sizeof(s->id));
		s->version = 0;
	}
	b->waiting--;
}

/* Hands the answered requests at the head of the ring to the caller. */
static void retire(struct pg_batch *b)
{
	struct slot *s;

	while (b->used && (s = slot_at(b, 0))->answered) {
		if (!s->err)
			b->succeeded++;
		if (b->cb)
			b->cb(b->arg, s->index, s->err, s->id, s->version);
		nlmsg_free(s->msg);
		memset(s, 0, sizeof(*s));
		b->head = (b->head + 1) % b->window;
		b->used--;
		b->sent--;
	}
}

/*
 * The id and version in the PEERGROUP_A_RECORD of nlh (a reply, or our
 * own import request); what is missing stays zero. false when the message
 * has no record with both.
 */
static bool id_version(const struct nlmsghdr *nlh, uint8_t id[PG_GUID_LEN],
		       uint32_t *version)
{
	struct nlattr *tb[PEERGROUP_A_MAX + 1];
	struct nlattr *rec[PEERGROUP_RECORD_A_MAX + 1];
	struct nlattr *a;
	bool both = true;

	memset(id, 0, PG_GUID_LEN);
	*version = 0;
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, PEERGROUP_A_MAX, NULL) ||
	    !tb[PEERGROUP_A_RECORD] ||
	    nla_parse_nested(rec, PEERGROUP_RECORD_A_MAX, tb[PEERGROUP_A_RECORD],
			     NULL))
		return false;
	a = rec[PEERGROUP_RECORD_A_ID];
	if (a && nla_len(a) == PG_GUID_LEN)
		memcpy(id, nla_data(a), PG_GUID_LEN);
	else
		both = false;
	a = rec[PEERGROUP_RECORD_A_VERSION];
	if (a && nla_len(a) == sizeof(uint32_t))
		*version = nla_get_u32(a);
	else
		both = false;
	return both;
}

/* A failure of the library's own about request s (a bad answer). */
static void protocol_failure(struct pg_batch *b, struct slot *s,
			     const char *msg)
{
	pg_fail(b->h, -EPROTO, "%s", msg);
	failure_here(b, s->index);
	answered(b, s, -EPROTO);
}

void pg_batch_answer(struct pg_batch *b, const struct nlmsghdr *nlh)
{
	struct slot *s = NULL;
	struct pg_error e;
	unsigned int i;

	for (i = 0; i < b->sent && !s; i++) {
		s = slot_at(b, i);
		if (s->answered ||
		    nlmsg_hdr(s->msg)->nlmsg_seq != nlh->nlmsg_seq)
			s = NULL;
	}
	if (!s)
		return;		/* stale, or not ours */
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		pg_extack_error(&e, nlh, nlmsg_hdr(s->msg));
		if (e.err) {
			failure(b, s->index, &e);
			answered(b, s, e.err);
		} else if (s->cmd != PEERGROUP_CMD_RECORD_IMPORT) {
			protocol_failure(b, s, "the kernel's reply carried no record");
		} else {
			/* An import is acknowledged: the record is ours. */
			id_version(nlmsg_hdr(s->msg), s->id, &s->version);
			answered(b, s, 0);
		}
	} else if (nlh->nlmsg_type == b->h->family &&
		   s->cmd != PEERGROUP_CMD_RECORD_IMPORT) {
		if (id_version(nlh, s->id, &s->version))
			answered(b, s, 0);
		else
			protocol_failure(b, s,
					 "the kernel's reply lacks the record's id or version");
	} else {
		protocol_failure(b, s, "unexpected answer from the kernel");
	}
	retire(b);
}

static int on_msg(struct nl_msg *msg, void *arg)
{
	pg_batch_answer(arg, nlmsg_hdr(msg));
	return NL_SKIP;	/* libnl has nothing left to do with it */
}

struct pg_batch *pg_batch_new(struct pg_handle *h, const char *group,
			      unsigned int window, size_t send_max,
			      pg_batch_cb cb, void *arg)
{
	struct pg_batch *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->h = h;
	b->cb = cb;
	b->arg = arg;
	b->window = window;
	b->send_max = send_max;
	b->failed = PG_BATCH_NO_FAILURE;
	b->ring = calloc(window, sizeof(*b->ring));
	b->group = group ? strdup(group) : NULL;
	b->nl_cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!b->ring || (group && !b->group) || !b->nl_cb) {
		nl_cb_put(b->nl_cb);
		free(b->group);
		free(b->ring);
		free(b);
		return NULL;
	}
	nl_cb_set(b->nl_cb, NL_CB_MSG_IN, NL_CB_CUSTOM, on_msg, b);
	h->batch = true;
	return b;
}

static int socket_size(struct pg_handle *h, int opt, const char *what,
		       int *size)
{
	socklen_t len = sizeof(*size);

	if (!getsockopt(nl_socket_get_fd(h->sk), SOL_SOCKET, opt, size, &len))
		return 0;
	return pg_fail(h, -errno, "cannot read the socket's %s buffer size: %s",
		       what, strerror(errno));
}

int pg_batch_open(struct pg_handle *h, const char *group, unsigned int window,
		  pg_batch_cb cb, void *arg, struct pg_batch **out)
{
	int rcvbuf, sndbuf, err;

	*out = NULL;
	pg_clear(h);
	if (h->batch)
		return pg_fail(h, -EBUSY, "a batch is already open on this handle");
	if (window > PG_BATCH_WINDOW_MAX)
		return pg_fail(h, -EINVAL, "batch window %u: at most %d",
			       window, PG_BATCH_WINDOW_MAX);
	err = socket_size(h, SO_RCVBUF, "receive", &rcvbuf);
	if (!err)
		err = socket_size(h, SO_SNDBUF, "send", &sndbuf);
	if (err)
		return err;
	if (sndbuf <= 2 * SEND_SLACK)
		sndbuf = 2 * SEND_SLACK;
	*out = pg_batch_new(h, group, pg_batch_window_for(window, rcvbuf),
			    (size_t)sndbuf - SEND_SLACK, cb, arg);
	if (!*out)
		return pg_fail(h, -ENOMEM, "cannot allocate a batch");
	return 0;
}

int pg_batch_pack(struct pg_batch *b, const uint8_t **buf, size_t *len)
{
	const struct nlmsghdr *nlh;
	size_t total = 0, size;
	unsigned int n = 0, i;
	uint8_t *p;

	while (b->sent + n < b->used) {
		nlh = nlmsg_hdr(slot_at(b, b->sent + n)->msg);
		size = NLMSG_ALIGN(nlh->nlmsg_len);
		if (n && total + size > b->send_max)
			break;
		total += size;
		n++;
	}
	if (total > b->buf_size) {
		p = realloc(b->buf, total);
		if (!p)
			return -ENOMEM;
		b->buf = p;
		b->buf_size = total;
	}
	for (total = 0, i = 0; i < n; i++) {
		nlh = nlmsg_hdr(slot_at(b, b->sent + i)->msg);
		size = NLMSG_ALIGN(nlh->nlmsg_len);
		memcpy(b->buf + total, nlh, nlh->nlmsg_len);
		memset(b->buf + total + nlh->nlmsg_len, 0, size - nlh->nlmsg_len);
		total += size;
	}
	b->sent += n;
	b->waiting += n;
	*buf = b->buf;
	*len = total;
	return (int)n;
}

/*
 * Ends the requests sent and unanswered, from the i-th of the ring on, with
 * err (the message is on h).
 */
static void fail_waiting(struct pg_batch *b, unsigned int i, int err)
{
	bool first = true;
	struct slot *s;

	for (; i < b->sent; i++) {
		s = slot_at(b, i);
		if (s->answered)
			continue;
		if (first)
			failure_here(b, s->index);
		first = false;
		answered(b, s, err);
	}
}

/* Sends every queued request, unless the batch has failed. */
static void send_queued(struct pg_batch *b)
{
	const uint8_t *buf;
	size_t len;
	int n, err;

	while (!b->err && b->sent < b->used) {
		n = pg_batch_pack(b, &buf, &len);
		if (n < 0) {
			/* Nothing was packed: the oldest queued one fails. */
			pg_fail(b->h, n, "cannot pack the requests: out of memory");
			failure_here(b, slot_at(b, b->sent)->index);
			return;
		}
		err = nl_sendto(b->h->sk, (void *)buf, len);
		if (err < 0) {
			/* A failed sendmsg() delivered none of them. */
			pg_fail(b->h, pg_errno_from_nl(err),
				"cannot send the requests: %s", nl_geterror(err));
			fail_waiting(b, b->sent - (unsigned int)n,
				     b->h->last.err);
		}
		retire(b);
	}
}

/* Reads answers until at most keep requests are left in the ring. */
static void read_answers(struct pg_batch *b, unsigned int keep)
{
	int err;

	while (!b->lost && b->waiting && b->used > keep) {
		err = pg_receive(b->h, b->nl_cb, NULL);
		if (err == -ENOBUFS)
			pg_fail(b->h, err,
				"answers were lost (ENOBUFS): %u requests sent may have been carried out",
				b->waiting);
		if (err) {
			/* The answers missing now will never come. */
			b->lost = true;
			fail_waiting(b, 0, err);
		}
		retire(b);
	}
}

/* Drops the requests never sent: their callbacks say so. */
static void cancel_queued(struct pg_batch *b)
{
	struct slot *s;
	unsigned int i;

	for (i = b->sent; i < b->used; i++) {
		s = slot_at(b, i);
		s->answered = true;
		s->err = -ECANCELED;
	}
	b->sent = b->used;
	retire(b);
}

int pg_batch_flush(struct pg_batch *b)
{
	send_queued(b);
	read_answers(b, 0);
	if (b->err)
		cancel_queued(b);
	return result(b);
}

/*
 * Queues cmd for rec (or the record nest, as it is), first making room in
 * the ring when it is full.
 */
static int queue(struct pg_batch *b, uint8_t cmd, const struct pg_record *rec,
		 const struct nlattr *nest)
{
	struct nl_msg *msg;
	struct slot *s;
	int err;

	if (b->err)
		return result(b);
	if (b->used == b->window) {
		send_queued(b);
		read_answers(b, b->window / 2);
		if (b->err)
			return result(b);
	}
	err = pg_record_request(b->h, cmd, b->group, rec, nest, &msg);
	if (err) {
		/* Let what came before finish, in order, then fail here. */
		struct pg_error e = b->h->last;

		pg_batch_flush(b);
		failure(b, b->next, &e);
		if (b->cb)
			b->cb(b->arg, b->next, err, (const uint8_t[PG_GUID_LEN]){ 0 }, 0);
		b->next++;
		return result(b);
	}
	/* libnl adds our port, a sequence number, NLM_F_REQUEST and _ACK. */
	nl_complete_msg(b->h->sk, msg);
	if (cmd != PEERGROUP_CMD_RECORD_IMPORT)
		nlmsg_hdr(msg)->nlmsg_flags &= ~NLM_F_ACK;
	s = slot_at(b, b->used++);
	s->msg = msg;
	s->index = b->next++;
	s->cmd = cmd;
	return result(b);
}

int pg_batch_add(struct pg_batch *b, const struct pg_record *rec)
{
	return queue(b, PEERGROUP_CMD_RECORD_ADD, rec, NULL);
}

int pg_batch_update(struct pg_batch *b, const struct pg_record *rec)
{
	return queue(b, PEERGROUP_CMD_RECORD_UPDATE, rec, NULL);
}

int pg_batch_delete(struct pg_batch *b, const uint8_t id[PG_GUID_LEN])
{
	struct pg_record rec;

	pg_record_of_id(&rec, id);
	return queue(b, PEERGROUP_CMD_RECORD_DEL, &rec, NULL);
}

int pg_batch_import(struct pg_batch *b, const struct pg_record *rec)
{
	return queue(b, PEERGROUP_CMD_RECORD_IMPORT, rec, NULL);
}

int pg_batch_import_nest(struct pg_batch *b, const struct nlattr *nest)
{
	return queue(b, PEERGROUP_CMD_RECORD_IMPORT, NULL, nest);
}

size_t pg_batch_succeeded(const struct pg_batch *b)
{
	return b->succeeded;
}

size_t pg_batch_failed_index(const struct pg_batch *b)
{
	return b->failed;
}

int pg_batch_close(struct pg_batch *b)
{
	int err;

	if (!b)
		return 0;
	err = pg_batch_flush(b);
	b->h->batch = false;
	nl_cb_put(b->nl_cb);
	free(b->buf);
	free(b->ring);
	free(b->group);
	free(b);
	return err;
}
