// SPDX-License-Identifier: GPL-2.0
/*
 * Invitations of a certificate group (PeerGroupCreateInvitation): an
 * administrator's node issues a certificate for another identity's public
 * key, signed by the private key the group holds in the keyring, and hands
 * back the chain the invitee joins with. The rules are the ones every
 * receiver checks of a chain (pki.c), applied before signing, so that an
 * administrator cannot issue what its peers would refuse: the issuer is an
 * administrator whose certificate is valid and not revoked, the new
 * validity lies inside the issuer's, the chain stays within
 * PEERGROUP_CHAIN_MAX certificates and PEERGROUP_CERTS_BYTES_MAX bytes.
 * The certificate made is read back and verified like any other before it
 * leaves.
 */
#include "der.h"
#include "group.h"
#include "pki.h"
#include "sig.h"
#include "write.h"

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

/* How many certificates the DER @der holds, or PEERGROUP_CHAIN_MAX + 1. */
static unsigned int chain_count(const u8 *der, u32 len)
{
	struct pg_rd d = { .p = der, .left = len };
	unsigned int n = 0;

	while (d.left && n <= PEERGROUP_CHAIN_MAX && pg_der_skip(&d))
		n++;
	return d.left ? PEERGROUP_CHAIN_MAX + 1 : n;
}

/* The issuer's side of the rules: NULL, or why not (*@ret the errno). */
static const char *issuer_check(struct pki *pki, s64 now, int *ret)
{
	const struct pki_cert *own = pki->own;
	bool revoked;

	*ret = -EACCES;
	if (!own->c.admin)
		return "member invite: only an administrator issues certificates";
	mutex_lock(&pki->lock);
	revoked = own->revoked || pki_revoked_at(pki, own->c.fingerprint);
	mutex_unlock(&pki->lock);
	*ret = -EKEYREVOKED;
	if (revoked)
		return "member invite: this node's certificate was revoked";
	*ret = -EKEYEXPIRED;
	if (now > own->c.not_after)
		return "member invite: this node's certificate has expired";
	*ret = -EMSGSIZE;
	if (chain_count(pki->chain, pki->chain_len) >= PEERGROUP_CHAIN_MAX)
		return "member invite: the new chain would be longer than 24 certificates";
	*ret = 0;
	return NULL;
}

/* The invitee's side: its key and validity, into @t. */
static const char *invitee_check(const struct pki *pki,
				 const struct pg_invite *inv, s64 now,
				 struct pg_cert_tbs *t)
{
	const struct pg_cert *own = &pki->own->c;
	struct pg_cert key;
	const char *why;

	if (pg_cert_parse_key(inv->spki, inv->spki_len, &key, &why))
		return why;
	t->issuer = own->subject;
	t->subject = inv->identity;
	t->spki = inv->spki;
	t->spki_len = inv->spki_len;
	t->admin = inv->admin;
	t->not_before = inv->not_before ?: max(now, own->not_before);
	t->not_after = inv->not_after ?: own->not_after;
	if (t->not_before > t->not_after)
		return "member invite: the validity ends before it begins";
	if (t->not_after < now)
		return "member invite: the validity has ended already";
	if (t->not_before < own->not_before || t->not_after > own->not_after)
		return "member invite: the validity is not inside this node's certificate's";
	return NULL;
}

int pki_invite(struct pg_group *grp, const struct pg_invite *inv,
	       u8 **chain, u32 *chain_len, struct pg_member *m,
	       struct pg_write_err *err)
{
	struct pki *pki = grp->sec_ctx;
	s64 now = ktime_get_real_seconds();
	struct pg_cert_tbs t;
	struct pki_cert *pc;
	const char *why;
	u8 *der, *out;
	u32 len;
	int ret;

	why = issuer_check(pki, now, &ret);
	if (why)
		return pg_write_fail(err, ret, 0, why);
	if (!pg_identity_valid(inv->identity))
		return pg_write_fail(err, -EINVAL, 0,
				     "member invite: the identity is not a valid identity");
	why = invitee_check(pki, inv, now, &t);
	if (why)
		return pg_write_fail(err, -EINVAL, 0, why);
	ret = pg_cert_issue(&t, pki->key, pki->sig_len, &der, &len);
	if (ret == -ENOMEM)
		why = "out of memory for a certificate";
	else if (ret == -EINVAL)
		why = "member invite: a time a certificate cannot hold (1950 to 9999)";
	else if (ret)
		why = "member invite: this node's key did not sign (revoked in its keyring?)";
	if (ret)
		return pg_write_fail(err, ret, 0, why);
	/* Read back as any receiver will read it. */
	pc = pki_cert_new(der, len, &why);
	if (pc)
		why = pki_issued_by(&pc->c, &pki->own->c);
	ret = -EINVAL;
	if (!why && len > PEERGROUP_CERTS_BYTES_MAX - pki->chain_len) {
		why = "member invite: the new chain would be larger than 49152 bytes";
		ret = -EMSGSIZE;
	}
	if (why)
		goto out;
	ret = -ENOMEM;
	why = "out of memory for the chain";
	out = kvmalloc(len + pki->chain_len, GFP_KERNEL);
	if (!out)
		goto out;
	memcpy(out, der, len);
	memcpy(out + len, pki->chain, pki->chain_len);
	*chain = out;
	*chain_len = len + pki->chain_len;
	pki_member_fill(&pc->c, m);
	ret = 0;
	why = NULL;
out:
	kfree(pc);
	kfree(der);
	return why ? pg_write_fail(err, ret, 0, why) : 0;
}
