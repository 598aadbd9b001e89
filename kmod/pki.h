/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pki provider's state (pki.c), shared with the files that do one job
 * of it: pki_invite.c issues certificates.
 */
#ifndef _PG_PKI_H
#define _PG_PKI_H

#include "cert.h"
#include "security.h"

#include <linux/mutex.h>
#include <linux/rbtree.h>

/* A certificate the group knows: its DER, owned, and what it says. */
struct pki_cert {
	struct rb_node node;		/* in pki.certs, by fingerprint */
	struct pg_cert c;		/* ranges into der[] */
	u64 revoked;			/* since (ns, peer time); 0: not */
	u8 der[];
};

/* A revocation the group knows (the certificate may not be known yet). */
struct pki_revocation {
	struct rb_node node;		/* in pki.revocations, by fingerprint */
	u8 fp[SHA256_DIGEST_SIZE];
	u64 at;				/* its record's modification time */
};

/*
 * A chain read from a command or a peer, before it is stored; once it is,
 * the bits of fresh say which of c[] the store did not know (and keeps).
 */
struct pki_chain {
	struct pki_cert *c[PEERGROUP_CHAIN_MAX];
	unsigned int n;
	u32 fresh;
};

struct pki {
	struct key *key;		/* this node's private key */
	u32 sig_len;
	u8 *chain;			/* this node's chain, DER, root last */
	u32 chain_len;
	struct mutex lock;		/* the certificates */
	struct rb_root certs;
	u32 ncerts;
	struct rb_root revocations;	/* struct pki_revocation */
	u32 nrevocations;
	u32 gen;			/* changes with the store; never 0 */
	const struct pki_cert *own;	/* this node's certificate */
	const struct pki_cert *root;
};

/* When the certificate @fp was revoked, or 0. pki->lock held. */
u64 pki_revoked_at(struct pki *pki, const u8 *fp);

/* A copy of @der read as a certificate, or NULL and *@why. */
struct pki_cert *pki_cert_new(const u8 *der, u32 len, const char **why);

/*
 * Whether @c may have been issued by @issuer: NULL, or why not (a fixed
 * string). Sleeps: it checks the signature.
 */
const char *pki_issued_by(const struct pg_cert *c,
			  const struct pg_cert *issuer);

/* What @c says, as the provider interface reports a member. */
void pki_member_fill(const struct pg_cert *c, struct pg_member *m);

int pki_invite(struct pg_group *grp, const struct pg_invite *inv,
	       u8 **chain, u32 *chain_len, struct pg_member *m,
	       struct pg_write_err *err);

#endif /* _PG_PKI_H */
