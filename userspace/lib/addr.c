// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Addresses of listeners and neighbours: IPv4 or IPv6, as text (the
 * literals inet_pton() takes) and as the 4 or 16 bytes of PEERGROUP_A_ADDR.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include "internal.h"

int pg_addr_parse(const char *s, struct pg_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->bytes) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->bytes) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	memset(a, 0, sizeof(*a));
	return -EINVAL;
}

size_t pg_addr_len(const struct pg_addr *a)
{
	if (a->family == AF_INET)
		return 4;
	return a->family == AF_INET6 ? 16 : 0;
}

void pg_addr_format(const struct pg_addr *a, char out[PG_ADDR_STR_LEN])
{
	out[0] = '\0';
	if (a->family == AF_UNSPEC)
		return;
	if (!pg_addr_len(a) ||
	    !inet_ntop(a->family, a->bytes, out, PG_ADDR_STR_LEN))
		strcpy(out, "?");
}

int pg_addr_put(struct nl_msg *msg, int type, const struct pg_addr *a)
{
	size_t len;

	if (!a || a->family == AF_UNSPEC)
		return 0;
	len = pg_addr_len(a);
	if (!len)
		return -EINVAL;
	return nla_put(msg, type, (int)len, a->bytes) ? -ENOMEM : 0;
}

bool pg_addr_get(const struct nlattr *attr, struct pg_addr *a)
{
	int len = nla_len(attr);

	memset(a, 0, sizeof(*a));
	if (len != 4 && len != 16)
		return false;
	a->family = len == 4 ? AF_INET : AF_INET6;
	memcpy(a->bytes, nla_data(attr), (size_t)len);
	return true;
}
