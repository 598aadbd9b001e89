// SPDX-License-Identifier: GPL-2.0
/*
 * The handshake rate limiter (ratelimit.h): a hash of sources, each with a
 * token bucket kept in nanoseconds of credit and a count of its handshakes
 * under way. Accepting runs in process context, teardown too; the lock is
 * a spinlock because nothing under it sleeps.
 */
#include "peer.h"
#include "ratelimit.h"

#include <linux/hash.h>
#include <linux/ktime.h>
#include <linux/slab.h>

#define PG_RL_COST	(NSEC_PER_SEC / PG_RL_PER_SECOND)
#define PG_RL_CREDIT	(PG_RL_COST * PG_RL_BURST)
/* Idle this long with nothing under way, an entry is as good as new. */
#define PG_RL_IDLE	NSEC_PER_SEC

struct pg_rl_source {
	struct hlist_node node;
	u64 key[2];		/* IPv4: the address; IPv6: its /64 */
	u64 last;		/* ktime_get_ns() of the last refill */
	u64 credit;		/* ns: PG_RL_COST buys one handshake */
	unsigned int active;	/* handshakes under way */
};

static void rl_key(const struct pg_addr *addr, u64 key[2])
{
	if (addr->family == AF_INET) {
		key[0] = AF_INET;
		key[1] = (__force u32)addr->v4.s_addr;
	} else {
		key[0] = AF_INET6;
		memcpy(&key[1], addr->v6.s6_addr, sizeof(key[1]));
	}
}

static struct hlist_head *rl_bucket(struct pg_ratelimit *rl, const u64 key[2])
{
	return &rl->buckets[hash_64(key[0] ^ key[1], ilog2(PG_RL_BUCKETS))];
}

static struct pg_rl_source *rl_find(struct pg_ratelimit *rl, const u64 key[2])
{
	struct pg_rl_source *s;

	lockdep_assert_held(&rl->lock);
	hlist_for_each_entry(s, rl_bucket(rl, key), node)
		if (s->key[0] == key[0] && s->key[1] == key[1])
			return s;
	return NULL;
}

/* Forgets every source idle long enough; bounded by PG_RL_SOURCES. */
static void rl_sweep(struct pg_ratelimit *rl, u64 now)
{
	struct pg_rl_source *s;
	struct hlist_node *tmp;
	unsigned int i;

	lockdep_assert_held(&rl->lock);
	for (i = 0; i < PG_RL_BUCKETS; i++) {
		hlist_for_each_entry_safe(s, tmp, &rl->buckets[i], node) {
			if (s->active || now - s->last < PG_RL_IDLE)
				continue;
			hlist_del(&s->node);
			kfree(s);
			rl->n--;
		}
	}
}

void pg_rl_init(struct pg_ratelimit *rl)
{
	unsigned int i;

	spin_lock_init(&rl->lock);
	rl->n = 0;
	for (i = 0; i < PG_RL_BUCKETS; i++)
		INIT_HLIST_HEAD(&rl->buckets[i]);
}

void pg_rl_free(struct pg_ratelimit *rl)
{
	struct pg_rl_source *s;
	struct hlist_node *tmp;
	unsigned int i;

	for (i = 0; i < PG_RL_BUCKETS; i++) {
		hlist_for_each_entry_safe(s, tmp, &rl->buckets[i], node) {
			hlist_del(&s->node);
			kfree(s);
		}
	}
	rl->n = 0;
}

bool pg_rl_start(struct pg_ratelimit *rl, const struct pg_addr *addr)
{
	struct pg_rl_source *s, *fresh = NULL;
	bool ok = false;
	u64 key[2], now;

	rl_key(addr, key);
	spin_lock(&rl->lock);
	s = rl_find(rl, key);
	if (!s) {
		/* A new source's entry, allocated outside the lock. */
		spin_unlock(&rl->lock);
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
		spin_lock(&rl->lock);
		s = rl_find(rl, key);
	}
	/* Read under the lock: no entry's last refill is ever after it. */
	now = ktime_get_ns();
	if (!s && rl->n >= PG_RL_SOURCES)
		rl_sweep(rl, now);
	if (!s && fresh && rl->n < PG_RL_SOURCES) {
		s = fresh;
		fresh = NULL;
		s->key[0] = key[0];
		s->key[1] = key[1];
		s->last = now;
		s->credit = PG_RL_CREDIT;
		hlist_add_head(&s->node, rl_bucket(rl, key));
		rl->n++;
	}
	if (s) {
		s->credit = min_t(u64, s->credit + (now - s->last),
				  PG_RL_CREDIT);
		s->last = now;
		if (s->credit >= PG_RL_COST && s->active < PG_RL_HANDSHAKES) {
			s->credit -= PG_RL_COST;
			s->active++;
			ok = true;
		}
	}
	spin_unlock(&rl->lock);
	kfree(fresh);
	return ok;
}

void pg_rl_done(struct pg_ratelimit *rl, const struct pg_addr *addr)
{
	struct pg_rl_source *s;
	u64 key[2];

	rl_key(addr, key);
	spin_lock(&rl->lock);
	s = rl_find(rl, key);
	if (!WARN_ON_ONCE(!s || !s->active))
		s->active--;
	spin_unlock(&rl->lock);
}
