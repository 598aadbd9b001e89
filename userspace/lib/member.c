// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * PeerGroupEnumMembers: the members of a certificate group
 * (PEERGROUP_CMD_MEMBER_GET), and the member nest its events carry too;
 * an administrator's revocations and invitations.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include "internal.h"

/*
 * Numbers are read at any width the kernel sends (pg_nla_uint()); the
 * strings and the fingerprint have their bounds here.
 */
static const struct nla_policy member_policy[PEERGROUP_MEMBER_A_MAX + 1] = {
	[PEERGROUP_MEMBER_A_IDENTITY] = { .type = NLA_STRING,
					  .maxlen = PEERGROUP_IDENTITY_MAX + 1 },
	[PEERGROUP_MEMBER_A_ISSUER] = { .type = NLA_STRING,
					.maxlen = PEERGROUP_IDENTITY_MAX + 1 },
	[PEERGROUP_MEMBER_A_FINGERPRINT] = { .type = NLA_UNSPEC,
					     .minlen = PEERGROUP_FINGERPRINT_LEN,
					     .maxlen = PEERGROUP_FINGERPRINT_LEN },
	[PEERGROUP_MEMBER_A_REVOKED] = { .type = NLA_FLAG },
	[PEERGROUP_MEMBER_A_OWN] = { .type = NLA_FLAG },
};

int pg_member_parse(const struct nlattr *nest, struct pg_member *m)
{
	struct nlattr *tb[PEERGROUP_MEMBER_A_MAX + 1];
	uint64_t role = 0;

	if (nla_parse_nested(tb, PEERGROUP_MEMBER_A_MAX, (struct nlattr *)nest,
			     member_policy) ||
	    !tb[PEERGROUP_MEMBER_A_IDENTITY] ||
	    !tb[PEERGROUP_MEMBER_A_FINGERPRINT])
		return -EPROTO;
	memset(m, 0, sizeof(*m));
	if ((tb[PEERGROUP_MEMBER_A_ROLE] &&
	     (!pg_nla_uint(tb[PEERGROUP_MEMBER_A_ROLE], &role) ||
	      role > UINT8_MAX)) ||
	    (tb[PEERGROUP_MEMBER_A_NOT_BEFORE] &&
	     !pg_nla_uint(tb[PEERGROUP_MEMBER_A_NOT_BEFORE], &m->not_before_ns)) ||
	    (tb[PEERGROUP_MEMBER_A_NOT_AFTER] &&
	     !pg_nla_uint(tb[PEERGROUP_MEMBER_A_NOT_AFTER], &m->not_after_ns)))
		return -EPROTO;
	m->role = (uint8_t)role;
	nla_strlcpy(m->identity, tb[PEERGROUP_MEMBER_A_IDENTITY],
		    sizeof(m->identity));
	if (tb[PEERGROUP_MEMBER_A_ISSUER])
		nla_strlcpy(m->issuer, tb[PEERGROUP_MEMBER_A_ISSUER],
			    sizeof(m->issuer));
	memcpy(m->fingerprint, nla_data(tb[PEERGROUP_MEMBER_A_FINGERPRINT]),
	       PEERGROUP_FINGERPRINT_LEN);
	m->revoked = tb[PEERGROUP_MEMBER_A_REVOKED] != NULL;
	m->own = tb[PEERGROUP_MEMBER_A_OWN] != NULL;
	return 0;
}

static const struct nla_policy member_msg_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME] = { .type = NLA_STRING,
				     .maxlen = PEERGROUP_GROUP_NAME_MAX + 1 },
	[PEERGROUP_A_MEMBER] = { .type = NLA_NESTED },
};

static int parse_member(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PEERGROUP_A_MAX + 1];
	struct pg_list *l = arg;
	struct pg_member *m;
	int err;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PEERGROUP_A_MAX,
			  member_msg_policy) ||
	    !tb[PEERGROUP_A_MEMBER])
		return -EPROTO;
	m = pg_list_slot(l);
	if (!m)
		return -ENOMEM;
	err = pg_member_parse(tb[PEERGROUP_A_MEMBER], m);
	if (!err)
		l->n++;
	return err;
}

int pg_member_enum(struct pg_handle *h, const char *group,
		   struct pg_member **v, size_t *n)
{
	struct pg_list l = { .size = sizeof(**v) };
	struct nl_msg *msg;
	int err;

	msg = pg_msg_alloc(h, PEERGROUP_CMD_MEMBER_GET, NLM_F_DUMP,
			   group ? nla_total_size(strlen(group) + 1) : 0);
	if (!msg) {
		err = pg_fail(h, -ENOMEM, "cannot allocate a netlink message");
	} else if (pg_put_str(h, msg, PEERGROUP_A_GROUP_NAME, group,
			      "group name")) {
		nlmsg_free(msg);
		err = h->last.err;
	} else {
		err = pg_list_dump(h, msg, parse_member, &l, "member list");
	}
	*v = l.v;
	*n = l.n;
	return err;
}

/* A request of cmd about group's members, room for size bytes more. */
static struct nl_msg *member_msg(struct pg_handle *h, uint8_t cmd,
				 const char *group, size_t size)
{
	struct nl_msg *msg;

	msg = pg_msg_alloc(h, cmd, 0, size);
	if (!msg) {
		pg_fail(h, -ENOMEM, "cannot allocate a netlink message");
		return NULL;
	}
	if (pg_put_str(h, msg, PEERGROUP_A_GROUP_NAME, group, "group name")) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int pg_member_revoke(struct pg_handle *h, const char *group,
		     const uint8_t fingerprint[PEERGROUP_FINGERPRINT_LEN])
{
	struct nlattr *nest;
	struct nl_msg *msg;

	msg = member_msg(h, PEERGROUP_CMD_MEMBER_REVOKE, group, 0);
	if (!msg)
		return h->last.err;
	nest = nla_nest_start(msg, PEERGROUP_A_MEMBER);
	if (!nest || nla_put(msg, PEERGROUP_MEMBER_A_FINGERPRINT,
			     PEERGROUP_FINGERPRINT_LEN, fingerprint))
		return pg_fail_build(h, msg);
	nla_nest_end(msg, nest);
	return pg_transact(h, msg, NULL, NULL);
}

static const struct nla_policy invite_reply_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_CERTS] = { .type = NLA_UNSPEC, .minlen = 1,
				      .maxlen = PEERGROUP_CERTS_BYTES_MAX },
	[PEERGROUP_A_MEMBER] = { .type = NLA_NESTED },
};

struct invite_reply {
	uint8_t *chain;
	size_t chain_len;
	struct pg_member *m;
};

static int parse_invite(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PEERGROUP_A_MAX + 1];
	struct invite_reply *r = arg;
	struct nlattr *certs;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PEERGROUP_A_MAX,
			  invite_reply_policy) ||
	    !tb[PEERGROUP_A_GROUP_CERTS] || !tb[PEERGROUP_A_MEMBER] ||
	    pg_member_parse(tb[PEERGROUP_A_MEMBER], r->m))
		return -EPROTO;
	certs = tb[PEERGROUP_A_GROUP_CERTS];
	free(r->chain);
	r->chain = malloc((size_t)nla_len(certs));
	if (!r->chain)
		return -ENOMEM;
	memcpy(r->chain, nla_data(certs), (size_t)nla_len(certs));
	r->chain_len = (size_t)nla_len(certs);
	return 0;
}

int pg_member_invite(struct pg_handle *h, const char *group,
		     const struct pg_invite *inv, uint8_t **chain,
		     size_t *chain_len, struct pg_member *m)
{
	struct invite_reply r = { .m = m };
	struct nlattr *nest;
	struct nl_msg *msg;
	int err;

	*chain = NULL;
	*chain_len = 0;
	if (inv->public_key_len > PEERGROUP_PUBLIC_KEY_BYTES_MAX)
		return pg_fail(h, -EMSGSIZE,
			       "public key: more than %d bytes",
			       PEERGROUP_PUBLIC_KEY_BYTES_MAX);
	msg = member_msg(h, PEERGROUP_CMD_MEMBER_INVITE, group,
			 inv->public_key_len + 256);
	if (!msg)
		return h->last.err;
	nest = nla_nest_start(msg, PEERGROUP_A_MEMBER);
	if (!nest ||
	    nla_put_string(msg, PEERGROUP_MEMBER_A_IDENTITY, inv->identity) ||
	    nla_put(msg, PEERGROUP_MEMBER_A_PUBLIC_KEY,
		    (int)inv->public_key_len, inv->public_key) ||
	    (inv->role && nla_put_u8(msg, PEERGROUP_MEMBER_A_ROLE, inv->role)) ||
	    (inv->not_before_ns &&
	     nla_put_u64(msg, PEERGROUP_MEMBER_A_NOT_BEFORE,
			 inv->not_before_ns)) ||
	    (inv->not_after_ns &&
	     nla_put_u64(msg, PEERGROUP_MEMBER_A_NOT_AFTER,
			 inv->not_after_ns)))
		return pg_fail_build(h, msg);
	nla_nest_end(msg, nest);
	err = pg_transact_reply(h, msg, parse_invite, &r);
	if (err) {
		free(r.chain);
		return err;
	}
	*chain = r.chain;
	*chain_len = r.chain_len;
	return 0;
}
