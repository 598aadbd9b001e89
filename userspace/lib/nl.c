// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * The transport: the handle, its generic netlink socket, and one
 * request/answer transaction with the errors the kernel gives back.
 *
 * A transaction sends one request and reads until its end: an NLMSG_ERROR
 * (an ACK when the error is 0), an NLMSG_DONE, or, for a request the kernel
 * answers with one message, that message (no ACK is asked for: it would cost
 * the kernel a message and us a read, and tell nothing the reply does not).
 * We check sequence numbers ourselves and skip stale replies (say, the tail
 * of a dump a failed parse left behind), so one bad transaction never
 * poisons the next.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include "internal.h"

/* Socket buffers: two maximal records and their headers, with room. */
#define PG_SOCK_BUF (256 * 1024)

void pg_clear(struct pg_handle *h)
{
	memset(&h->last, 0, sizeof(h->last));
}

int pg_fail(struct pg_handle *h, int err, const char *fmt, ...)
{
	va_list ap;

	pg_clear(h);
	h->last.err = err;
	va_start(ap, fmt);
	vsnprintf(h->last.msg, sizeof(h->last.msg), fmt, ap);
	va_end(ap);
	return err;
}

int pg_fail_build(struct pg_handle *h, struct nl_msg *msg)
{
	nlmsg_free(msg);
	return pg_fail(h, -ENOMEM, "cannot build the request: out of memory");
}

/* -EMSGSIZE for len bytes of what fmt names. */
static int fail_size(struct pg_handle *h, size_t len, const char *fmt,
		     va_list ap)
{
	char what[PG_ERRMSG_MAX];

	vsnprintf(what, sizeof(what), fmt, ap);
	return pg_fail(h, -EMSGSIZE,
		       "%s: %zu bytes, more than a netlink attribute holds (%zu)",
		       what, len, PG_NLA_PAYLOAD_MAX);
}

static int put(struct pg_handle *h, struct nl_msg *msg, int type,
	       const void *p, size_t len, const char *fmt, va_list ap)
{
	if (len > PG_NLA_PAYLOAD_MAX)
		return fail_size(h, len, fmt, ap);
	if (nla_put(msg, type, (int)len, len ? p : ""))
		return pg_fail_build(h, NULL);
	return 0;
}

int pg_put(struct pg_handle *h, struct nl_msg *msg, int type, const void *p,
	   size_t len, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = put(h, msg, type, p, len, fmt, ap);
	va_end(ap);
	return err;
}

int pg_put_str(struct pg_handle *h, struct nl_msg *msg, int type,
	       const char *s, const char *fmt, ...)
{
	va_list ap;
	int err;

	if (!s)
		return 0;
	va_start(ap, fmt);
	err = put(h, msg, type, s, strlen(s) + 1, fmt, ap);
	va_end(ap);
	return err;
}

int pg_check_size(struct pg_handle *h, size_t len, const char *fmt, ...)
{
	va_list ap;
	int err;

	if (len <= PG_NLA_PAYLOAD_MAX)
		return 0;
	va_start(ap, fmt);
	err = fail_size(h, len, fmt, ap);
	va_end(ap);
	return err;
}

int pg_nest_end(struct pg_handle *h, struct nl_msg *msg, struct nlattr *nest,
		const char *fmt, ...)
{
	size_t len = (size_t)((char *)nlmsg_tail(nlmsg_hdr(msg)) -
			      (char *)nest) - NLA_HDRLEN;
	va_list ap;
	int err;

	/* libnl refuses such a nest too, but says only NLE_ATTRSIZE. */
	if (len > PG_NLA_PAYLOAD_MAX) {
		nla_nest_cancel(msg, nest);
		va_start(ap, fmt);
		err = fail_size(h, len, fmt, ap);
		va_end(ap);
		return err;
	}
	return nla_nest_end_keep_empty(msg, nest) ? pg_fail_build(h, NULL) : 0;
}

static int on_seq_check(struct nl_msg *msg, void *arg)
{
	struct pg_handle *h = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == h->seq ? NL_OK : NL_SKIP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct pg_handle *h = arg;

	(void)msg;
	h->interrupted = true;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct pg_handle *h = arg;
	int err;

	if (h->parse && !h->parse_err) {
		err = h->parse(msg, h->parse_arg);
		if (err < 0)
			h->parse_err = err;
	}
	if (h->reply_ends) {
		h->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct pg_handle *h = arg;

	(void)msg;
	h->done = true;
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct pg_handle *h = arg;

	pg_extack_done(&h->last, nlmsg_hdr(msg), h->req);
	h->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *nlerr,
		    void *arg)
{
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((char *)nlerr - NLMSG_HDRLEN);
	struct pg_handle *h = arg;

	(void)nla;
	pg_extack_error(&h->last, nlh, h->req);
	h->done = true;
	return NL_STOP;
}

static int setup_callbacks(struct pg_handle *h)
{
	static const struct {
		enum nl_cb_type type;
		nl_recvmsg_msg_cb_t fn;
	} table[] = {
		{ NL_CB_SEQ_CHECK, on_seq_check },
		{ NL_CB_DUMP_INTR, on_dump_intr },
		{ NL_CB_VALID, on_valid },
		{ NL_CB_ACK, on_ack },
		{ NL_CB_FINISH, on_done },
	};
	size_t i;

	h->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!h->cb)
		return -ENOMEM;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		nl_cb_set(h->cb, table[i].type, NL_CB_CUSTOM, table[i].fn, h);
	nl_cb_err(h->cb, NL_CB_CUSTOM, on_error, h);
	return 0;
}

static int enable_option(struct pg_handle *h, int opt, const char *what)
{
	int one = 1;

	if (setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, opt, &one,
		       sizeof(one)) < 0)
		return pg_fail(h, -errno, "cannot enable %s: %s", what,
			       strerror(errno));
	return 0;
}

int pg_open(struct pg_handle **hp)
{
	struct pg_handle *h;
	int err;

	*hp = h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->sk = nl_socket_alloc();
	if (!h->sk || setup_callbacks(h))
		return pg_fail(h, -ENOMEM, "cannot allocate a netlink socket");
	err = genl_connect(h->sk);
	if (err < 0)
		return pg_fail(h, pg_errno_from_nl(err),
			       "cannot connect a generic netlink socket: %s",
			       nl_geterror(err));
	/*
	 * Replies are as large as the kernel makes them (a record is up to
	 * ~66 KB): peek at each one's size before reading it. Requests that
	 * large need a send buffer above libnl's default of 32 KB.
	 */
	nl_socket_enable_msg_peek(h->sk);
	err = nl_socket_set_buffer_size(h->sk, PG_SOCK_BUF, PG_SOCK_BUF);
	if (err < 0)
		return pg_fail(h, pg_errno_from_nl(err),
			       "cannot size the netlink socket's buffers: %s",
			       nl_geterror(err));
	err = enable_option(h, NETLINK_EXT_ACK, "extended ACK messages");
	if (!err)
		err = enable_option(h, NETLINK_CAP_ACK, "capped ACK messages");
	if (err)
		return err;

	h->family = genl_ctrl_resolve(h->sk, PEERGROUP_GENL_NAME);
	if (h->family == -NLE_OBJ_NOTFOUND)
		return pg_fail(h, -ENOENT,
			       "generic netlink family \"%s\" not found: is the peergroup module loaded?",
			       PEERGROUP_GENL_NAME);
	if (h->family < 0)
		return pg_fail(h, pg_errno_from_nl(h->family),
			       "cannot resolve generic netlink family \"%s\": %s",
			       PEERGROUP_GENL_NAME, nl_geterror(h->family));
	return 0;
}

void pg_close(struct pg_handle *h)
{
	if (!h)
		return;
	nl_cb_put(h->cb);
	nl_socket_free(h->sk);
	free(h);
}

const char *pg_errmsg(const struct pg_handle *h)
{
	return h ? h->last.msg : "";
}

int pg_errattr(const struct pg_handle *h)
{
	return h ? h->last.attr : 0;
}

uint32_t pg_errminlen(const struct pg_handle *h)
{
	return h ? h->last.min_len : 0;
}

uint32_t pg_errmaxlen(const struct pg_handle *h)
{
	return h ? h->last.max_len : 0;
}

int pg_family(const struct pg_handle *h)
{
	return h->family;
}

struct nl_sock *pg_sock(struct pg_handle *h)
{
	return h->sk;
}

struct nl_msg *pg_msg_alloc(struct pg_handle *h, uint8_t cmd, int nlm_flags,
			    size_t attr_bytes)
{
	struct nl_msg *msg;

	msg = attr_bytes ? nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN +
					    attr_bytes) : nlmsg_alloc();
	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0,
				nlm_flags, cmd, PEERGROUP_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

struct nl_msg *pg_msg_new(struct pg_handle *h, uint8_t cmd, int nlm_flags)
{
	return pg_msg_alloc(h, cmd, nlm_flags, 0);
}

int pg_receive(struct pg_handle *h, struct nl_cb *cb, const bool *done)
{
	int n;

	errno = 0;
	n = nl_recvmsgs_report(h->sk, cb);
	if (done && *done)
		return 0;
	/*
	 * ENOBUFS on a netlink socket: the kernel could not queue an answer
	 * (libnl calls it NLE_NOMEM). The request itself may well have been
	 * carried out: say so.
	 */
	if (n < 0 && errno == ENOBUFS)
		return pg_fail(h, -ENOBUFS,
			       "the kernel's answer was lost (ENOBUFS); the request may have been carried out");
	if (n < 0)
		return pg_fail(h, pg_errno_from_nl(n),
			       "cannot receive the kernel's answer: %s",
			       nl_geterror(n));
	if (n == 0)
		return pg_fail(h, -EIO,
			       "netlink socket closed before the kernel answered");
	return 0;
}

/* Reads until the request's ACK, error or DONE; 0 or a transport error. */
static int receive(struct pg_handle *h)
{
	int err;

	while (!h->done) {
		err = pg_receive(h, h->cb, &h->done);
		if (err)
			return err;
	}
	return 0;
}

static int transact(struct pg_handle *h, struct nl_msg *msg,
		    int (*parse)(struct nl_msg *msg, void *arg), void *arg,
		    bool reply_ends)
{
	int err;

	pg_clear(h);
	if (!msg)
		return pg_fail(h, -ENOMEM, "cannot allocate a netlink message");
	if (h->batch) {
		nlmsg_free(msg);
		return pg_fail(h, -EBUSY,
			       "a batch is open on this handle: close it first");
	}

	h->parse = parse;
	h->parse_arg = arg;
	h->parse_err = 0;
	h->done = false;
	h->interrupted = false;
	h->reply_ends = reply_ends;
	/* libnl adds NLM_F_REQUEST, NLM_F_ACK, our port and a sequence number */
	nl_complete_msg(h->sk, msg);
	if (reply_ends)
		nlmsg_hdr(msg)->nlmsg_flags &= ~NLM_F_ACK;
	err = nl_send(h->sk, msg);
	if (err < 0) {
		err = pg_fail(h, pg_errno_from_nl(err),
			      "cannot send the request: %s", nl_geterror(err));
		goto out;
	}
	h->req = nlmsg_hdr(msg);
	h->seq = h->req->nlmsg_seq;

	err = receive(h);
	if (!err)
		err = h->last.err;
	if (!err && h->parse_err)
		err = pg_fail(h, h->parse_err,
			      "cannot process the kernel's reply: %s",
			      strerror(-h->parse_err));
	if (!err && h->interrupted)
		err = pg_fail(h, -EINTR,
			      "dump interrupted by a concurrent change (NLM_F_DUMP_INTR)");
out:
	h->req = NULL;
	h->parse = NULL;
	h->parse_arg = NULL;
	h->reply_ends = false;
	nlmsg_free(msg);
	return err;
}

int pg_transact(struct pg_handle *h, struct nl_msg *msg,
		int (*parse)(struct nl_msg *msg, void *arg), void *arg)
{
	return transact(h, msg, parse, arg, false);
}

int pg_transact_reply(struct pg_handle *h, struct nl_msg *msg,
		      int (*parse)(struct nl_msg *msg, void *arg), void *arg)
{
	return transact(h, msg, parse, arg, true);
}

int pg_dump(struct pg_handle *h, struct nl_msg *msg,
	    int (*parse)(struct nl_msg *msg, void *arg),
	    void (*reset)(void *arg), void *arg, bool restart,
	    const char *what)
{
	int err, restarts = 0;
	struct nl_msg *copy;

	if (!msg)
		return pg_transact(h, NULL, NULL, NULL);
	/* Each attempt sends a copy: libnl stamps what it sends. */
	for (;;) {
		copy = nlmsg_convert(nlmsg_hdr(msg));
		err = pg_transact(h, copy, parse, arg);
		if (err != -EINTR || !h->interrupted || !restart)
			break;
		if (restarts++ == PG_DUMP_RESTARTS) {
			err = pg_fail(h, -EAGAIN,
				      "%s kept changing during the dump", what);
			break;
		}
		if (reset)
			reset(arg);
	}
	nlmsg_free(msg);
	return err;
}

void *pg_list_slot(struct pg_list *l)
{
	size_t cap;
	void *v;

	if (l->n == l->cap) {
		cap = l->cap ? 2 * l->cap : 16;
		v = reallocarray(l->v, cap, l->size);
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	return (char *)l->v + l->n * l->size;
}

static void list_reset(void *arg)
{
	struct pg_list *l = arg;

	l->n = 0;
}

int pg_list_dump(struct pg_handle *h, struct nl_msg *msg,
		 int (*parse)(struct nl_msg *msg, void *arg),
		 struct pg_list *l, const char *what)
{
	int err;

	err = msg ? pg_dump(h, msg, parse, list_reset, l, true, what) :
		    h->last.err;
	if (err || !l->n) {
		free(l->v);
		l->v = NULL;
		l->n = 0;
	}
	return err;
}
