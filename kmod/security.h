/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The security provider interface: the kernel's PEER_SECURITY_INTERFACE.
 *
 * A group has one provider, chosen at creation. It is called on every write
 * of the group's table, in process context and before the table lock is
 * taken (record.h):
 *   secure    on every local add, update and delete (and autorefresh), with
 *             the change type; produces the record's security data as a new
 *             buffer (PFNPEER_SECURE_RECORD), which the caller copies into
 *             the record and hands back to free (PFNPEER_FREE_SECURITY_DATA).
 *   validate  on every record before it is stored: local writes, imported
 *             and received records (PFNPEER_VALIDATE_RECORD). It
 *             answers accept (0), defer (-EAGAIN: not enough known yet,
 *             pki's signer whose certificate has not arrived) or refuses
 *             with an errno and why.
 * A provider's failure vetoes the operation: nothing is stored or sent.
 */
#ifndef _PG_SECURITY_H
#define _PG_SECURITY_H

#include <linux/peergroup.h>
#include <linux/types.h>

struct pg_group;
struct pg_group_params;
struct pg_record;
struct pg_write_err;

/* The most security data any provider produces or accepts. */
#define PG_SECURITY_MAX		1024
/* The longest session secret. */
#define PG_SESSION_SECRET_MAX	64

/*
 * A member of a certificate group, copied out of the provider's store: the
 * certificate's subject and issuer, role (enum peergroup_role), validity
 * in seconds since the epoch (UTC), SHA-256 fingerprint, whether it is
 * revoked and whether it is this node's own.
 */
struct pg_member {
	char identity[PEERGROUP_IDENTITY_MAX + 1];
	char issuer[PEERGROUP_IDENTITY_MAX + 1];
	u8 role;
	bool revoked;
	bool own;
	s64 not_before;
	s64 not_after;
	u8 fingerprint[PEERGROUP_FINGERPRINT_LEN];
};

/*
 * What an administrator asks a certificate to say (PeerGroupCreateInvitation):
 * the invitee's identity and public key (a DER SubjectPublicKeyInfo), its
 * role, its validity (seconds since the epoch; 0: from now, to the end of
 * the issuer's own).
 */
struct pg_invite {
	const char *identity;
	const u8 *spki;
	u32 spki_len;
	bool admin;
	s64 not_before;
	s64 not_after;
};

/* Which side of a handshake proves or checks: each proves its own role. */
enum pg_auth_role {
	PG_AUTH_INITIATOR,
	PG_AUTH_RESPONDER,
};

struct pg_security_ops {
	const char *name;
	enum peergroup_security kind;
	/* The longest security data secure() produces. */
	u32 sec_len;
	/* The longest proof of membership prove() makes and verify() reads. */
	u32 proof_max;
	/*
	 * Whether validate() judges who may change a record (pki: from the
	 * signer's certificate); if not, the group's creator is its one
	 * administrator (write.c).
	 */
	bool judges_roles;
	/*
	 * Sets up @grp->sec_ctx from what creating or joining the group gave
	 * (@params): psk, the group key derived from the password in
	 * userspace, or none (a random one). A refusal: a negative errno and
	 * *@err (its field a PEERGROUP_A_GROUP_* attribute, or 0).
	 */
	int (*init)(struct pg_group *grp, const struct pg_group_params *params,
		    struct pg_write_err *err);
	/*
	 * Once the group is ready (made by its creator; a joiner's first
	 * synchronization or import): the provider's own first records (pki:
	 * this node's membership). A creator's refusal undoes the group.
	 */
	int (*ready)(struct pg_group *grp, struct pg_write_err *err);
	/*
	 * Whether records of the reserved @type are the provider's (pki:
	 * memberships): written by the module only, validated by it.
	 */
	bool (*owns_type)(const u8 *type);
	/*
	 * An administrator's revocation of the certificate whose SHA-256 is
	 * @fp (pki): its later records and its connections refused on every
	 * peer. NULL: no provider but pki revokes anything.
	 */
	int (*revoke)(struct pg_group *grp, const u8 *fp,
		      struct pg_write_err *err);
	/*
	 * An administrator issues a certificate (pki): the new certificate
	 * and, after it, this node's chain, the invitee's chain to join with,
	 * in *@chain (kvmalloc'ed), *@chain_len bytes; what it says in @m.
	 * NULL: no provider but pki issues certificates.
	 */
	int (*invite)(struct pg_group *grp, const struct pg_invite *inv,
		      u8 **chain, u32 *chain_len, struct pg_member *m,
		      struct pg_write_err *err);
	void (*uninit)(struct pg_group *grp);
	/*
	 * After init: what the group's id hashes into its authority, the
	 * creator's name and whether this node administers the group. NULL:
	 * the creator is the one named (or learnt from a neighbour), its
	 * identity is what the id hashes, and it alone is the administrator.
	 * pki: the root certificate's subject and public key, and this
	 * node's certificate's role.
	 */
	void (*root)(struct pg_group *grp, const char **creator,
		     const u8 **key, u32 *key_len, bool *admin);
	int (*secure)(struct pg_group *grp, const struct pg_record *rec,
		      enum peergroup_change change, u8 **sec, u32 *sec_len);
	int (*validate)(struct pg_group *grp, const struct pg_record *rec,
			enum peergroup_change change, struct pg_write_err *err);
	void (*free)(struct pg_group *grp, u8 *sec);
	/*
	 * The creator's properties (group.c): sign_props signs @digest (of
	 * the group id and the properties) on the creator's set, into a new
	 * buffer freed with kfree(); verify_props checks a neighbour's copy
	 * against the creator's key: 0, or a negative errno and *@err. NULL
	 * (psk): unsigned; every member holds the one key, and the creator
	 * is the identity that hashes to the group id.
	 */
	int (*sign_props)(struct pg_group *grp, const u8 *digest, u8 **sec,
			  u32 *len);
	int (*verify_props)(struct pg_group *grp, const u8 *digest,
			    const u8 *sec, u32 len, struct pg_write_err *err);

	/*
	 * The connection side (handshake.c): proving membership to a peer
	 * over the handshake's transcript hash @th (SHA-256), checking the
	 * peer's proof of the other role, and the secret mixed into the
	 * session keys with the ephemeral key exchange. psk: an HMAC under a
	 * key derived from the group key; a certificate provider signs
	 * @th and sends its chain.
	 */
	int (*prove)(struct pg_group *grp, enum pg_auth_role role,
		     const u8 *th, u8 *proof, u32 *len);
	bool (*verify)(struct pg_group *grp, enum pg_auth_role role,
		       const char *peer, const u8 *th, const u8 *proof,
		       u32 len);
	int (*session_secret)(struct pg_group *grp, u8 *out, u32 *len);

	/*
	 * PeerGroupEnumMembers: up to @n members copied into @out, in
	 * fingerprint order from the first after @after (NULL: from the
	 * first), and *@gen, a number that changes with the member list;
	 * the number copied. The provider's lock is held only while copying,
	 * so that a caller may sleep between batches (a netlink dump resumes
	 * from the last fingerprint it sent). A member the store takes is
	 * published through pg_change_member(), with none of the provider's
	 * locks held. NULL (psk): no member list, one key for all.
	 */
	unsigned int (*members)(struct pg_group *grp, const u8 *after,
				struct pg_member *out, unsigned int n,
				u32 *gen);
};

extern const struct pg_security_ops pg_psk_ops;
extern const struct pg_security_ops pg_pki_ops;

int pg_security_init(struct pg_group *grp,
		     const struct pg_group_params *params,
		     struct pg_write_err *err);
void pg_security_uninit(struct pg_group *grp);

/*
 * Canonical encoding of a record, every field but its security data, as
 * documented in Documentation/records.rst: fed to @emit piece by piece.
 */
int pg_record_encode(const struct pg_group *grp, const struct pg_record *rec,
		     int (*emit)(void *ctx, const u8 *p, unsigned int len),
		     void *ctx);

#endif /* _PG_SECURITY_H */
