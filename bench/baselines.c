// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own figures that ours are measured against, in the same VM:
 * a generic netlink round trip (CTRL_CMD_GETFAMILY for our family, over
 * libnl), an rtnetlink dump of IPv4 routes read by a libnl client set up
 * like libpeergroup's socket, and HMAC-SHA256 through the kernel crypto
 * API (AF_ALG), the cost of one signature check.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_alg.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "bench.h"

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

/* As libpeergroup's handle: replies peeked at, buffers of 256 KB. */
#define SOCK_BUF (256 * 1024)

static struct nl_sock *nl_open(int protocol)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	if (!sk)
		bench_die("out of memory");
	err = nl_connect(sk, protocol);
	if (!err)
		err = nl_socket_set_buffer_size(sk, SOCK_BUF, SOCK_BUF);
	if (err)
		bench_die("netlink socket: %s", nl_geterror(err));
	nl_socket_enable_msg_peek(sk);
	return sk;
}

int bench_cmd_genl(int argc, char **argv)
{
	long n = bench_number("OPS", argv[0], 10000000), i;
	struct nl_sock *sk = nl_open(NETLINK_GENERIC);
	uint64_t t;
	int id;

	(void)argc;
	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		id = genl_ctrl_resolve(sk, PEERGROUP_GENL_NAME);
		if (id < 0)
			bench_die("CTRL_CMD_GETFAMILY %s: %s",
				  PEERGROUP_GENL_NAME, nl_geterror(id));
	}
	bench_rate("genl_per_s", n, bench_now_ns() - t);
	nl_socket_free(sk);
	return 0;
}

/* Each route is parsed as a client would, its destination read. */
static int count_route(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[RTA_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct { long routes; uint32_t sum; } *c = arg;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlmsg_parse(nlh, sizeof(struct rtmsg), tb, RTA_MAX, NULL))
		return NL_SKIP;
	c->routes++;
	if (tb[RTA_DST])
		c->sum += nla_get_u32(tb[RTA_DST]);
	return NL_OK;
}

int bench_cmd_routes(int argc, char **argv)
{
	struct nl_sock *sk = nl_open(NETLINK_ROUTE);
	struct rtmsg rtm = { .rtm_family = AF_INET };
	struct { long routes; uint32_t sum; } c = { 0, 0 };
	uint64_t t;
	int err;

	(void)argc;
	(void)argv;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, count_route, &c);
	t = bench_now_ns();
	err = nl_send_simple(sk, RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof(rtm));
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	if (err < 0)
		bench_die("RTM_GETROUTE dump: %s", nl_geterror(err));
	bench_rate("routes_per_s", c.routes, bench_now_ns() - t);
	bench_value("routes", c.routes);
	nl_socket_free(sk);
	return 0;
}

int bench_cmd_hmac(int argc, char **argv)
{
	struct sockaddr_alg sa = {
		.salg_family = AF_ALG,
		.salg_type = "hash",
		.salg_name = "hmac(sha256)",
	};
	long len = bench_number("BYTES", argv[0], 65536), n, i;
	static uint8_t buf[65536], key[32], mac[32];
	int tfm, op;
	uint64_t t;

	(void)argc;
	n = bench_number("OPS", argv[1], 10000000);
	memset(buf, 'r', sizeof(buf));
	memset(key, 'k', sizeof(key));
	tfm = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (tfm < 0 || bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, sizeof(key)))
		bench_die("AF_ALG hmac(sha256): %s", strerror(errno));
	op = accept(tfm, NULL, 0);
	if (op < 0)
		bench_die("AF_ALG accept: %s", strerror(errno));
	t = bench_now_ns();
	for (i = 0; i < n; i++)
		if (write(op, buf, len) != len ||
		    read(op, mac, sizeof(mac)) != sizeof(mac))
			bench_die("AF_ALG hmac(sha256): %s", strerror(errno));
	bench_value("hmac_us", (bench_now_ns() - t) / 1e3 / n);
	close(op);
	close(tfm);
	return 0;
}
