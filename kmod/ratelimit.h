/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may start a handshake: a token bucket per source address (an IPv4
 * address, an IPv6 /64), and a cap on the handshakes one source has under
 * way at once, so that no one address can take the namespace's handshake
 * slots (net.peergroup.max_handshakes) from everyone else, however fast it
 * connects. WireGuard's numbers: 20 a second, 5 at once in a burst.
 *
 * The sources a namespace remembers are bounded (PG_RL_SOURCES): an entry
 * idle for a second with no handshake under way is forgotten when room is
 * needed; when none can be, the new source waits, like one over its rate.
 */
#ifndef _PG_RATELIMIT_H
#define _PG_RATELIMIT_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define PG_RL_PER_SECOND	20
#define PG_RL_BURST		5
#define PG_RL_HANDSHAKES	8	/* under way at once, per source */
#define PG_RL_SOURCES		1024	/* remembered, per namespace */
#define PG_RL_BUCKETS		64

struct pg_addr;

struct pg_ratelimit {
	spinlock_t lock;		/* protects the fields below */
	unsigned int n;
	struct hlist_head buckets[PG_RL_BUCKETS];
};

void pg_rl_init(struct pg_ratelimit *rl);
void pg_rl_free(struct pg_ratelimit *rl);
/*
 * Whether @addr may start a handshake now; if so it holds one of its
 * source's PG_RL_HANDSHAKES until pg_rl_done().
 */
bool pg_rl_start(struct pg_ratelimit *rl, const struct pg_addr *addr);
void pg_rl_done(struct pg_ratelimit *rl, const struct pg_addr *addr);

#endif /* _PG_RATELIMIT_H */
