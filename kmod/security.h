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
 *             and (later) received records (PFNPEER_VALIDATE_RECORD). It
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
	 * Sets up @grp->sec_ctx from the group password (@secret, @len; NULL
	 * for a group without one) and the group id.
	 */
	int (*init)(struct pg_group *grp, const u8 *secret, size_t len);
	void (*uninit)(struct pg_group *grp);
	int (*secure)(struct pg_group *grp, const struct pg_record *rec,
		      enum peergroup_change change, u8 **sec, u32 *sec_len);
	enum pg_verdict (*validate)(struct pg_group *grp,
				    const struct pg_record *rec,
				    enum peergroup_change change);
	void (*free)(struct pg_group *grp, u8 *sec);
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
