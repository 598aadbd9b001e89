// SPDX-License-Identifier: GPL-2.0
/*
 * Listeners: kernel TCP sockets of a namespace that accept connections for
 * every group of it. The list is the namespace's, under pg_net.lock; each
 * listener's callback only queues its accept work.
 */
#include "change.h"
#include "group.h"
#include "memcg.h"
#include "pernet.h"
#include "peer.h"

#include <linux/net.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <net/tcp_states.h>

struct pg_listener {
	struct list_head node;		/* in pg_net.listeners */
	struct pg_net *pn;
	struct socket *sock;
	struct pg_addr addr;
	struct work_struct accept_work;
	void (*saved_data_ready)(struct sock *sk);
	struct pg_listen_stats stats;
	struct mem_cgroup *memcg;	/* its opener's: pays (memcg.h) */
};

/*
 * Sockets not yet accepted inherit this callback and the listener as their
 * user data: for them it only passes on to the original.
 */
static void listen_data_ready(struct sock *sk)
{
	void (*ready)(struct sock *sk);
	struct pg_listener *l;

	read_lock_bh(&sk->sk_callback_lock);
	l = sk->sk_user_data;
	if (l) {
		ready = l->saved_data_ready;
		if (sk->sk_state == TCP_LISTEN)
			queue_work(pg_wq, &l->accept_work);
	} else {
		ready = sk->sk_data_ready;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	if (ready != listen_data_ready)
		ready(sk);
}

static void accept_work(struct work_struct *work)
{
	struct pg_listener *l = container_of(work, struct pg_listener,
					     accept_work);
	struct mem_cgroup *old = set_active_memcg(l->memcg);
	struct socket *sock;

	while (!kernel_accept(l->sock, &sock, O_NONBLOCK)) {
		struct sock *sk = sock->sk;

		/* Undo what it inherited, before a connection saves it. */
		write_lock_bh(&sk->sk_callback_lock);
		if (sk->sk_data_ready == listen_data_ready)
			sk->sk_data_ready = l->saved_data_ready;
		sk->sk_user_data = NULL;
		write_unlock_bh(&sk->sk_callback_lock);
		switch (pg_conn_accept(l->pn, sock, l->memcg)) {
		case 0:
			atomic64_inc(&l->stats.accepted);
			break;
		case -EBUSY:
			atomic64_inc(&l->stats.ratelimited);
			break;
		case -ENOSPC:
			atomic64_inc(&l->stats.busy);
			break;
		}
		cond_resched();
	}
	set_active_memcg(old);
}

static void listener_free(struct pg_listener *l)
{
	struct sock *sk = l->sock->sk;

	lock_sock(sk);
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = l->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	release_sock(sk);
	cancel_work_sync(&l->accept_work);
	sock_release(l->sock);
	mem_cgroup_put(l->memcg);
	kfree(l);
}

/* LISTENING on every group follows whether anything listens. */
static void groups_listening(struct pg_net *pn, bool on)
{
	struct pg_group *grp = NULL;
	const char *after = "";

	lockdep_assert_held(&pn->lock);
	while ((grp = pg_group_next(pn, after))) {
		pg_group_listening(grp, on);
		after = grp->name;
	}
}

static struct pg_listener *listener_find(struct pg_net *pn,
					 const struct pg_addr *addr)
{
	struct pg_listener *l;

	lockdep_assert_held(&pn->lock);
	list_for_each_entry(l, &pn->listeners, node)
		if (pg_addr_equal(&l->addr, addr))
			return l;
	return NULL;
}

int pg_listen_add(struct pg_net *pn, const struct pg_addr *addr,
		  const char **msg)
{
	struct sockaddr_storage ss;
	struct pg_listener *l;
	struct sock *sk;
	int len, ret;

	mutex_lock(&pn->lock);
	ret = -EEXIST;
	*msg = "listener: this address and port listen already";
	if (listener_find(pn, addr))
		goto out;
	ret = -ENOSPC;
	*msg = "listener: at most 16 per namespace";
	if (pn->nlisteners >= PEERGROUP_LISTENERS_MAX)
		goto out;
	ret = -ENOMEM;
	*msg = "out of memory for the listener";
	l = kzalloc(sizeof(*l), GFP_KERNEL_ACCOUNT);
	if (!l)
		goto out;
	l->pn = pn;
	l->addr = *addr;
	INIT_WORK(&l->accept_work, accept_work);
	ret = sock_create_kern(pn->net, addr->family, SOCK_STREAM,
			       IPPROTO_TCP, &l->sock);
	*msg = "listener: cannot create its socket";
	if (ret) {
		kfree(l);
		goto out;
	}
	sk = l->sock->sk;
	sock_set_reuseaddr(sk);
	pg_addr_to_sockaddr(addr, &ss, &len);
	ret = kernel_bind(l->sock, (struct sockaddr *)&ss, len);
	if (!ret)
		ret = kernel_listen(l->sock, 64);
	if (ret) {
		*msg = ret == -EADDRINUSE ?
		       "listener: the address and port are taken" :
		       ret == -EADDRNOTAVAIL ?
		       "listener: no interface of this namespace has the address" :
		       "listener: cannot bind or listen";
		sock_release(l->sock);
		kfree(l);
		goto out;
	}
	l->memcg = pg_memcg_current();
	write_lock_bh(&sk->sk_callback_lock);
	l->saved_data_ready = sk->sk_data_ready;
	sk->sk_user_data = l;
	sk->sk_data_ready = listen_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	list_add_tail(&l->node, &pn->listeners);
	if (!pn->nlisteners++)
		groups_listening(pn, true);
	*msg = NULL;
out:
	mutex_unlock(&pn->lock);
	return ret;
}

int pg_listen_del(struct pg_net *pn, const struct pg_addr *addr)
{
	struct pg_listener *l;

	mutex_lock(&pn->lock);
	l = listener_find(pn, addr);
	if (l) {
		list_del(&l->node);
		if (!--pn->nlisteners)
			groups_listening(pn, false);
	}
	mutex_unlock(&pn->lock);
	if (!l)
		return -ENOENT;
	listener_free(l);
	return 0;
}

bool pg_listen_get(struct pg_net *pn, unsigned int idx, struct pg_addr *addr,
		   u64 counts[3])
{
	struct pg_listener *l;
	bool found = false;

	mutex_lock(&pn->lock);
	list_for_each_entry(l, &pn->listeners, node) {
		if (!idx--) {
			*addr = l->addr;
			counts[0] = atomic64_read(&l->stats.accepted);
			counts[1] = atomic64_read(&l->stats.ratelimited);
			counts[2] = atomic64_read(&l->stats.busy);
			found = true;
			break;
		}
	}
	mutex_unlock(&pn->lock);
	return found;
}

/* Namespace exit: nothing is accepted any more. */
void pg_listen_stop_all(struct pg_net *pn)
{
	struct pg_listener *l, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&pn->lock);
	list_splice_init(&pn->listeners, &gone);
	pn->nlisteners = 0;
	mutex_unlock(&pn->lock);
	list_for_each_entry_safe(l, tmp, &gone, node) {
		list_del(&l->node);
		listener_free(l);
	}
}
