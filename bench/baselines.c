// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own figures that ours are measured against, in the same VM:
 * a generic netlink round trip (CTRL_CMD_GETFAMILY for our family, over
 * libnl), an rtnetlink dump of IPv4 routes read by a libnl client set up
 * like libpeergroup's socket, HMAC-SHA256 through the kernel crypto API
 * (AF_ALG), the cost of one signature check, and an RSA signature and its
 * check through the kernel keyring, a certificate group's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/if_alg.h>
#include <linux/keyctl.h>
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

/*
 * What a certificate group's record costs the kernel beyond a password
 * group's: one RSA signature (PKCS#1 v1.5 over SHA-256, as the pki
 * provider makes them) with the key of serial SERIAL, and one check of it,
 * through the keyring's own system calls (keyctl pkey_sign, pkey_verify).
 */
int bench_cmd_rsa(int argc, char **argv)
{
	static const char info[] = "enc=pkcs1 hash=sha256";
	struct keyctl_pkey_params p = { 0 };
	struct keyctl_pkey_query q;
	uint8_t digest[32], sig[512];
	long n, i, len = 0;
	uint64_t t;

	(void)argc;
	p.key_id = bench_number("SERIAL", argv[0], 0x7fffffff);
	n = bench_number("OPS", argv[1], 1000000);
	/* The signature's size: the kernel wants no larger a buffer. */
	if (syscall(SYS_keyctl, KEYCTL_PKEY_QUERY, p.key_id, 0, info, &q))
		bench_die("keyctl pkey_query: %s", strerror(errno));
	if (q.max_sig_size > sizeof(sig))
		bench_die("keyctl pkey_query: signatures of %u bytes",
			  q.max_sig_size);
	memset(digest, 'd', sizeof(digest));
	p.in_len = sizeof(digest);
	p.out_len = q.max_sig_size;
	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		len = syscall(SYS_keyctl, KEYCTL_PKEY_SIGN, &p, info, digest, sig);
		if (len <= 0)
			bench_die("keyctl pkey_sign: %s", strerror(errno));
	}
	bench_value("rsa_sign_us", (bench_now_ns() - t) / 1e3 / n);
	p.in2_len = len;
	t = bench_now_ns();
	for (i = 0; i < n; i++)
		if (syscall(SYS_keyctl, KEYCTL_PKEY_VERIFY, &p, info, digest, sig))
			bench_die("keyctl pkey_verify: %s", strerror(errno));
	bench_value("rsa_verify_us", (bench_now_ns() - t) / 1e3 / n);
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
