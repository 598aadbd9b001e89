// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * PeerGroupRegisterEvent: a socket of its own in the multicast groups
 * PEERGROUP_MCGRP_EVENTS and, where it can, PEERGROUP_MCGRP_NEIGHBOURS.
 * libnl sets it up; we read it ourselves, one datagram at a time, and hand
 * out its messages one by one, so that a wait with a timeout is one poll()
 * and no event is ever held back in libnl.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include "internal.h"

/* Room for any event datagram; larger ones are dropped as malformed. */
#define MONITOR_BUF 65536
/* Events queue in the kernel while we are not reading. */
#define MONITOR_RCVBUF (1024 * 1024)

struct pg_monitor {
	struct nl_sock *sk;
	int family;
	int neighbours;		/* 0, or -EPERM: not in their group */
	size_t len, off;	/* the datagram in buf, the next message */
	uint8_t buf[MONITOR_BUF];
};

/* A multicast group of the family by name: its id, or a negative errno. */
static int resolve_grp(struct pg_monitor *m, const char *name)
{
	int grp = genl_ctrl_resolve_grp(m->sk, PEERGROUP_GENL_NAME, name);

	if (grp >= 0)
		return grp;
	return grp == -NLE_OBJ_NOTFOUND ? -ENOENT : pg_errno_from_nl(grp);
}

/*
 * The neighbour events, on their own group: only CAP_NET_ADMIN may join it,
 * and without it the monitor goes on with the rest. An older module has no
 * such group; it sends them to "events".
 */
static int join_neighbours(struct pg_monitor *m)
{
	int grp, err;

	grp = resolve_grp(m, PEERGROUP_MCGRP_NEIGHBOURS);
	if (grp == -ENOENT)
		return 0;
	if (grp < 0)
		return grp;
	err = pg_errno_from_nl(nl_socket_add_membership(m->sk, grp));
	if (err == -EPERM) {
		m->neighbours = err;
		return 0;
	}
	return err;
}

static int setup(struct pg_monitor *m)
{
	int err, grp;

	m->sk = nl_socket_alloc();
	if (!m->sk)
		return -ENOMEM;
	nl_socket_disable_seq_check(m->sk);
	err = genl_connect(m->sk);
	if (err < 0)
		return pg_errno_from_nl(err);
	m->family = genl_ctrl_resolve(m->sk, PEERGROUP_GENL_NAME);
	if (m->family < 0)
		return m->family == -NLE_OBJ_NOTFOUND ? -ENOENT :
						       pg_errno_from_nl(m->family);
	grp = resolve_grp(m, PEERGROUP_MCGRP_EVENTS);
	if (grp < 0)
		return grp;
	err = nl_socket_set_buffer_size(m->sk, MONITOR_RCVBUF, 0);
	if (!err)
		err = nl_socket_add_membership(m->sk, grp);
	if (err < 0)
		return pg_errno_from_nl(err);
	return join_neighbours(m);
}

int pg_monitor_open(struct pg_monitor **mp)
{
	struct pg_monitor *m = calloc(1, sizeof(*m));
	int err;

	*mp = NULL;
	if (!m)
		return -ENOMEM;
	err = setup(m);
	if (err) {
		pg_monitor_close(m);
		return err;
	}
	*mp = m;
	return 0;
}

int pg_monitor_fd(const struct pg_monitor *m)
{
	return nl_socket_get_fd(m->sk);
}

int pg_monitor_neighbours(const struct pg_monitor *m)
{
	return m->neighbours;
}

void pg_monitor_close(struct pg_monitor *m)
{
	if (!m)
		return;
	nl_socket_free(m->sk);
	free(m);
}

static const struct nla_policy event_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME] = { .type = NLA_STRING,
				     .maxlen = PEERGROUP_GROUP_NAME_MAX + 1 },
	[PEERGROUP_A_RECORD] = { .type = NLA_NESTED },
	[PEERGROUP_A_GROUP_STATUS] = { .type = NLA_U32 },
	[PEERGROUP_A_NEIGHBOUR] = { .type = NLA_NESTED },
	[PEERGROUP_A_NEIGHBOUR_ID] = { .type = NLA_U64 },
	[PEERGROUP_A_MEMBER] = { .type = NLA_NESTED },
};

static bool get_small(const struct nlattr *a, uint8_t *v)
{
	uint64_t x;

	if (!a || !pg_nla_uint(a, &x) || x > UINT8_MAX)
		return false;
	*v = (uint8_t)x;
	return true;
}

static bool record_event(struct nlattr **tb, struct pg_event *ev)
{
	struct pg_record *r;
	bool ok;

	/* An older module sends no origin: it stays unspec. */
	if (tb[PEERGROUP_A_RECORD_ORIGIN] &&
	    !get_small(tb[PEERGROUP_A_RECORD_ORIGIN], &ev->origin))
		return false;
	if (!get_small(tb[PEERGROUP_A_RECORD_CHANGE], &ev->change) ||
	    !tb[PEERGROUP_A_RECORD] ||
	    pg_record_parse(tb[PEERGROUP_A_RECORD], &r))
		return false;
	ok = (r->present & (PG_REC_ID | PG_REC_TYPE)) == (PG_REC_ID | PG_REC_TYPE);
	memcpy(ev->id, r->id, PG_GUID_LEN);
	memcpy(ev->type, r->type, PG_GUID_LEN);
	ev->version = r->version;
	pg_record_free(r);
	/* From a neighbour: which one. */
	if (ev->origin == PEERGROUP_ORIGIN_PEER) {
		if (!tb[PEERGROUP_A_NEIGHBOUR_ID])
			return false;
		ev->neighbour_id = nla_get_u64(tb[PEERGROUP_A_NEIGHBOUR_ID]);
	}
	return ok;
}

static bool neighbour_event(struct nlattr **tb, struct pg_event *ev)
{
	return get_small(tb[PEERGROUP_A_NEIGHBOUR_EVENT], &ev->neighbour_event) &&
	       tb[PEERGROUP_A_NEIGHBOUR] &&
	       !pg_neighbour_parse(tb[PEERGROUP_A_NEIGHBOUR], &ev->neighbour);
}

bool pg_event_parse(int family, struct nlmsghdr *nlh, struct pg_event *ev)
{
	struct nlattr *tb[PEERGROUP_A_MAX + 1];
	struct genlmsghdr *g;

	if (nlh->nlmsg_type != family ||
	    genlmsg_parse(nlh, 0, tb, PEERGROUP_A_MAX, event_policy) ||
	    !tb[PEERGROUP_A_GROUP_NAME])
		return false;
	g = nlmsg_data(nlh);
	memset(ev, 0, sizeof(*ev));
	nla_strlcpy(ev->group, tb[PEERGROUP_A_GROUP_NAME], sizeof(ev->group));
	if (g->cmd == PEERGROUP_CMD_RECORD_EVENT) {
		ev->kind = PG_EVENT_RECORD;
		return record_event(tb, ev);
	}
	if (g->cmd == PEERGROUP_CMD_NEIGHBOUR_EVENT) {
		ev->kind = PG_EVENT_NEIGHBOUR;
		return neighbour_event(tb, ev);
	}
	if (g->cmd == PEERGROUP_CMD_MEMBER_EVENT) {
		ev->kind = PG_EVENT_MEMBER;
		return get_small(tb[PEERGROUP_A_MEMBER_EVENT], &ev->member_event) &&
		       tb[PEERGROUP_A_MEMBER] &&
		       !pg_member_parse(tb[PEERGROUP_A_MEMBER], &ev->member);
	}
	if (g->cmd != PEERGROUP_CMD_GROUP_EVENT ||
	    !get_small(tb[PEERGROUP_A_GROUP_EVENT], &ev->group_event))
		return false;
	ev->kind = PG_EVENT_GROUP;
	if (tb[PEERGROUP_A_GROUP_STATUS])
		ev->status = nla_get_u32(tb[PEERGROUP_A_GROUP_STATUS]);
	return true;
}

/* The next event of the datagram in buf, if any. */
static bool next_buffered(struct pg_monitor *m, struct pg_event *ev)
{
	struct nlmsghdr *nlh;
	int left;

	while (m->off < m->len) {
		nlh = (struct nlmsghdr *)(m->buf + m->off);
		left = (int)(m->len - m->off);
		if (!nlmsg_ok(nlh, left)) {
			m->off = m->len;
			break;
		}
		m->off += NLMSG_ALIGN(nlh->nlmsg_len);
		if (pg_event_parse(m->family, nlh, ev))
			return true;
	}
	return false;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One datagram from the kernel into buf: 1, 0 on timeout, -errno. */
static int receive(struct pg_monitor *m, int timeout_ms)
{
	struct pollfd pfd = { .fd = pg_monitor_fd(m), .events = POLLIN };
	struct sockaddr_nl from;
	socklen_t fromlen = sizeof(from);
	ssize_t n;
	int ready;

	ready = poll(&pfd, 1, timeout_ms);
	if (ready < 0)
		return -errno;
	if (!ready)
		return 0;
	n = recvfrom(pfd.fd, m->buf, sizeof(m->buf), MSG_DONTWAIT | MSG_TRUNC,
		     (struct sockaddr *)&from, &fromlen);
	if (n < 0)
		return errno == EAGAIN ? 1 : -errno;
	/* Truncated, or not from the kernel: drop it. */
	m->off = 0;
	m->len = (size_t)n <= sizeof(m->buf) && from.nl_pid == 0 ? (size_t)n : 0;
	return 1;
}

int pg_monitor_next(struct pg_monitor *m, struct pg_event *ev,
		    int timeout_ms)
{
	int64_t deadline = timeout_ms < 0 ? 0 : now_ms() + timeout_ms;
	int wait = timeout_ms, ret;

	for (;;) {
		if (next_buffered(m, ev))
			return 1;
		ret = receive(m, wait);
		if (ret <= 0)
			return ret;
		if (timeout_ms >= 0) {
			wait = (int)(deadline - now_ms());
			if (wait < 0)
				wait = 0;
		}
	}
}
