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
 *             answers accept, reject or defer (not enough known yet: a later
 *             provider parks such records until it can decide).
 * A provider's failure vetoes the operation: nothing is stored or sent.
 */
#ifndef _PG_SECURITY_H
#define _PG_SECURITY_H

#include <linux/peergroup.h>
#include <linux/types.h>

struct pg_group;
struct pg_record;

/* The most security data any provider produces or accepts. */
#define PG_SECURITY_MAX		1024
/* The longest proof of membership in a handshake, and session secret. */
#define PG_PROOF_MAX		1024
#define PG_SESSION_SECRET_MAX	64

/* Which side of a handshake proves or checks: each proves its own role. */
enum pg_auth_role {
	PG_AUTH_INITIATOR,
	PG_AUTH_RESPONDER,
};

enum pg_verdict {
	PG_VERDICT_ACCEPT,
	PG_VERDICT_REJECT,
	PG_VERDICT_DEFER,
};

struct pg_security_ops {
	const char *name;
	enum peergroup_security kind;
	/* The longest security data secure() produces. */
	u32 sec_len;
	/*
	 * Sets up @grp->sec_ctx from the group's secret (@secret, @len; NULL
	 * for a group created without one). psk: the group key, derived from
	 * the password in userspace.
	 */
	int (*init)(struct pg_group *grp, const u8 *secret, size_t len);
	void (*uninit)(struct pg_group *grp);
	int (*secure)(struct pg_group *grp, const struct pg_record *rec,
		      enum peergroup_change change, u8 **sec, u32 *sec_len);
	enum pg_verdict (*validate)(struct pg_group *grp,
				    const struct pg_record *rec,
				    enum peergroup_change change);
	void (*free)(struct pg_group *grp, u8 *sec);

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
};

extern const struct pg_security_ops pg_psk_ops;

int pg_security_init(struct pg_group *grp, enum peergroup_security kind,
		     const u8 *secret, size_t len);
void pg_security_uninit(struct pg_group *grp);

/*
 * Canonical encoding of a record, every field but its security data, as
 * documented in Documentation/records.rst: fed to @emit piece by piece.
 */
int pg_record_encode(const struct pg_group *grp, const struct pg_record *rec,
		     int (*emit)(void *ctx, const u8 *p, unsigned int len),
		     void *ctx);

#endif /* _PG_SECURITY_H */
