// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: one kernel TCP socket of a namespace each, its callbacks,
 * its frames, its sealing, and its teardown.
 *
 * The socket's callbacks run in softirq context: they only queue the
 * connection's work. That work does everything else, in process context:
 * it finishes a connect, reads and opens frames and hands them to the
 * handshake or the protocol, streams the records a peer asked for, sends
 * the queue, and at last tears the connection down. A connection is closed
 * by marking it dead and queueing its work; nothing else ever touches the
 * socket.
 */
#include "conn.h"
#include "fault.h"
#include "group.h"
#include "memcg.h"
#include "pernet.h"
#include "peer.h"
#include "security.h"

#include <crypto/aead.h>
#include <linux/net.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/tcp.h>

/* The handshake must be done within this. */
#define PG_HS_TIMEOUT		(10 * HZ)
/* An accepted connection's HELLO must be whole within this. */
#define PG_HS_FIRST		(3 * HZ)
/* Frames read in one run of the work before it yields. */
#define PG_RX_BUDGET		64

struct pg_frame {
	struct list_head node;
	u64 queued;			/* ktime_get_ns() */
	u32 len;
	u8 data[];
};

bool pg_addr_equal(const struct pg_addr *a, const struct pg_addr *b)
{
	if (a->family != b->family || a->port != b->port)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return ipv6_addr_equal(&a->v6, &b->v6);
}

static void conn_release(struct kref *ref)
{
	struct pg_conn *conn = container_of(ref, struct pg_conn, ref);
	struct pg_net *pn = conn->pn;

	/* Torn down already: the socket, keys and queue are gone. */
	if (conn->grp)
		pg_group_put(conn->grp);
	mem_cgroup_put(conn->memcg);
	kfree(conn->rx_buf);
	kfree(conn);
	if (atomic_dec_and_test(&pn->conns_alive))
		wake_up_var(&pn->conns_alive);
}

void pg_conn_put(struct pg_conn *conn)
{
	kref_put(&conn->ref, conn_release);
}

/* Every queued run of the work holds a reference. */
static void conn_queue(struct pg_conn *conn)
{
	kref_get(&conn->ref);
	if (!queue_work(pg_wq, &conn->io_work))
		pg_conn_put(conn);
}

void pg_conn_kick(struct pg_conn *conn)
{
	conn_queue(conn);
}

void pg_conn_close(struct pg_conn *conn, u8 reason, int err)
{
	mutex_lock(&conn->tx_lock);
	if (!test_bit(PG_CONN_F_DEAD, &conn->flags)) {
		conn->reason = reason;
		conn->err = err;
		set_bit(PG_CONN_F_DEAD, &conn->flags);
	}
	mutex_unlock(&conn->tx_lock);
	conn_queue(conn);
}

u32 pg_conn_queued(struct pg_conn *conn)
{
	return READ_ONCE(conn->tx_bytes);
}

u32 pg_conn_lag_ms(struct pg_conn *conn)
{
	u64 at = READ_ONCE(conn->tx_head_at);

	if (!at)
		return 0;
	return min_t(u64, div_u64(ktime_get_ns() - at, NSEC_PER_MSEC), U32_MAX);
}

u32 pg_conn_frame_max(const struct pg_conn *conn)
{
	/* A HELLO, then the proof of the group's provider. */
	if (conn->phase != PG_CONN_OPEN)
		return PG_WIRE_HS_MAX +
		       (conn->grp ? conn->grp->sec_ops->proof_max : 0);
	return PG_WIRE_HDR_LEN + PG_WIRE_TAG_LEN + PG_WIRE_OVERHEAD +
	       READ_ONCE(conn->grp->props.max_record_size);
}

/* The socket's callbacks: queue the work, then what was there before. */
static void conn_data_ready(struct sock *sk)
{
	void (*ready)(struct sock *sk);
	struct pg_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn) {
		ready = conn->saved_data_ready;
		conn_queue(conn);
	} else {
		ready = sk->sk_data_ready;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	if (ready != conn_data_ready)
		ready(sk);
}

static void conn_write_space(struct sock *sk)
{
	void (*space)(struct sock *sk);
	struct pg_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn) {
		space = conn->saved_write_space;
		conn_queue(conn);
	} else {
		space = sk->sk_write_space;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	if (space != conn_write_space)
		space(sk);
}

static void conn_state_change(struct sock *sk)
{
	void (*change)(struct sock *sk);
	struct pg_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn) {
		change = conn->saved_state_change;
		conn_queue(conn);
	} else {
		change = sk->sk_state_change;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	if (change != conn_state_change)
		change(sk);
}

static void callbacks_set(struct pg_conn *conn)
{
	struct sock *sk = conn->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	conn->saved_data_ready = sk->sk_data_ready;
	conn->saved_write_space = sk->sk_write_space;
	conn->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = conn;
	sk->sk_data_ready = conn_data_ready;
	sk->sk_write_space = conn_write_space;
	sk->sk_state_change = conn_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

static void callbacks_restore(struct pg_conn *conn)
{
	struct sock *sk = conn->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = conn->saved_data_ready;
	sk->sk_write_space = conn->saved_write_space;
	sk->sk_state_change = conn->saved_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

/*
 * Fast failure detection: a silent peer is found by keepalive within
 * 5 + 3 * 2 seconds, a peer that takes no data within 15.
 */
static void sock_tune(struct socket *sock)
{
	struct sock *sk = sock->sk;

	tcp_sock_set_nodelay(sk);
	sock_set_keepalive(sk);
	tcp_sock_set_keepidle(sk, 5);
	tcp_sock_set_keepintvl(sk, 2);
	tcp_sock_set_keepcnt(sk, 3);
	tcp_sock_set_user_timeout(sk, 15000);
}

static void conn_timeout(struct work_struct *work)
{
	struct pg_conn *conn = container_of(to_delayed_work(work),
					    struct pg_conn, timer);

	pg_conn_close(conn, PEERGROUP_REASON_TIMEOUT, 0);
	pg_conn_put(conn);
}

static void conn_io(struct work_struct *work);

/* Whose memory cgroup pays for @conn now: its group's once known. */
static struct mem_cgroup *conn_memcg(const struct pg_conn *conn)
{
	return conn->grp ? conn->grp->memcg : conn->memcg;
}

/*
 * A new connection, counted against the namespace's caps: every one against
 * max_connections, an accepted one against max_handshakes too until it is
 * authenticated (outbound ones are bounded by the neighbours an admin
 * added: no outsider can take them). The namespace's list holds one
 * reference, the caller gets another.
 */
static struct pg_conn *conn_new(struct pg_net *pn, bool outbound,
				struct mem_cgroup *memcg, int *err)
{
	struct pg_conn *conn;

	if (pg_fault(outbound ? PG_FAULT_CONNECT : PG_FAULT_ACCEPT))
		conn = NULL;
	else
		conn = kzalloc(sizeof(*conn), GFP_KERNEL_ACCOUNT);
	if (!conn) {
		*err = -ENOMEM;
		return NULL;
	}
	kref_init(&conn->ref);
	conn->pn = pn;
	conn->outbound = outbound;
	conn->memcg = pg_memcg_hold(memcg);
	INIT_WORK(&conn->io_work, conn_io);
	INIT_DELAYED_WORK(&conn->timer, conn_timeout);
	mutex_init(&conn->tx_lock);
	INIT_LIST_HEAD(&conn->txq);
	conn->phase = outbound ? PG_CONN_CONNECTING : PG_CONN_HANDSHAKE;

	mutex_lock(&pn->conn_lock);
	if (pn->dying) {
		*err = -ENETDOWN;
	} else if (pn->nconns >= READ_ONCE(pn->max_connections) ||
		   (!outbound &&
		    pn->nhandshakes >= READ_ONCE(pn->max_handshakes))) {
		*err = -ENOSPC;
	} else {
		*err = 0;
		list_add_tail(&conn->pn_node, &pn->conns);
		pn->nconns++;
		if (!outbound) {
			pn->nhandshakes++;
			conn->counted = true;
		}
		atomic_inc(&pn->conns_alive);
	}
	mutex_unlock(&pn->conn_lock);
	if (*err) {
		mem_cgroup_put(conn->memcg);
		kfree(conn);
		return NULL;
	}
	kref_get(&conn->ref);
	/* The deadline holds a reference until it fires or is cancelled. */
	kref_get(&conn->ref);
	queue_delayed_work(pg_wq, &conn->timer,
			   outbound ? PG_HS_TIMEOUT : PG_HS_FIRST);
	return conn;
}

/*
 * An accepted connection's handshake is over (authenticated, or torn
 * down): its slot and its source's are free again.
 */
static void conn_uncount(struct pg_conn *conn)
{
	struct pg_net *pn = conn->pn;

	if (!conn->counted)
		return;
	conn->counted = false;
	mutex_lock(&pn->conn_lock);
	pn->nhandshakes--;
	mutex_unlock(&pn->conn_lock);
	pg_rl_done(&pn->rl, &conn->peer);
}

void pg_conn_hello_seen(struct pg_conn *conn)
{
	/* A pending deadline keeps its reference; a new one takes one. */
	if (!mod_delayed_work(pg_wq, &conn->timer, PG_HS_TIMEOUT))
		kref_get(&conn->ref);
}

void pg_addr_to_sockaddr(const struct pg_addr *a, struct sockaddr_storage *ss,
			 int *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(a->port);
		sin->sin_addr = a->v4;
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(a->port);
		sin6->sin6_addr = a->v6;
		*len = sizeof(*sin6);
	}
}

static void sockaddr_to_addr(const struct sockaddr_storage *ss,
			     struct pg_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		a->family = AF_INET;
		a->port = ntohs(sin->sin_port);
		a->v4 = sin->sin_addr;
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		a->family = AF_INET6;
		a->port = ntohs(sin6->sin6_port);
		a->v6 = sin6->sin6_addr;
		/* An IPv4 peer on the IPv6 wildcard listener. */
		if (ipv6_addr_v4mapped(&a->v6)) {
			a->family = AF_INET;
			a->v4.s_addr = a->v6.s6_addr32[3];
		}
	}
}

/* Undoes a connection no one else has seen yet. */
static void conn_abort(struct pg_conn *conn)
{
	struct pg_net *pn = conn->pn;

	/* No callback was set: no one else can reach it. */
	if (conn->sock) {
		sock_no_linger(conn->sock->sk);
		sock_release(conn->sock);
		conn->sock = NULL;
	}
	set_bit(PG_CONN_F_GONE, &conn->flags);
	if (cancel_delayed_work_sync(&conn->timer))
		pg_conn_put(conn);
	conn_uncount(conn);
	mutex_lock(&pn->conn_lock);
	list_del(&conn->pn_node);
	pn->nconns--;
	mutex_unlock(&pn->conn_lock);
	pg_conn_put(conn);	/* the list's */
	pg_conn_put(conn);	/* the caller's */
}

/*
 * Connects to @nb's address: the connection is returned with a reference
 * for the neighbour, and finishes in its work. NULL and *@err on failure.
 */
struct pg_conn *pg_conn_connect(struct pg_neighbour *nb, int *err)
{
	struct pg_net *pn = nb->grp->pn;
	struct sockaddr_storage ss;
	struct pg_conn *conn;
	int len, ret;

	conn = conn_new(pn, true, nb->grp->memcg, err);
	if (!conn)
		return NULL;
	conn->peer = nb->addr;
	if (pg_fault(PG_FAULT_CONNECT))
		ret = -ENOMEM;
	else
		ret = sock_create_kern(pn->net, nb->addr.family, SOCK_STREAM,
				       IPPROTO_TCP, &conn->sock);
	if (ret) {
		conn->sock = NULL;
		goto fail;
	}
	sock_tune(conn->sock);
	callbacks_set(conn);
	kref_get(&nb->ref);
	conn->nb = nb;
	pg_group_get(nb->grp);
	conn->grp = nb->grp;
	pg_addr_to_sockaddr(&nb->addr, &ss, &len);
	ret = kernel_connect(conn->sock, (struct sockaddr *)&ss, len,
			     O_NONBLOCK);
	/*
	 * A failure at once is reported like a later one, by the work; it may
	 * be established already too: look at once either way.
	 */
	if (ret && ret != -EINPROGRESS)
		pg_conn_close(conn, PEERGROUP_REASON_CONNECT, ret);
	else
		conn_queue(conn);
	return conn;

fail:
	conn_abort(conn);
	*err = ret;
	return NULL;
}

/*
 * Takes over @sock, accepted by a listener: a handshake begins, or, if its
 * source is over its rate (-EBUSY) or a limit is reached (-ENOSPC), the
 * socket is closed at once, with nothing said: nothing is spent on it.
 */
int pg_conn_accept(struct pg_net *pn, struct socket *sock,
		   struct mem_cgroup *memcg)
{
	struct sockaddr_storage ss;
	struct pg_conn *conn;
	struct pg_addr peer;
	int ret;

	memset(&ss, 0, sizeof(ss));
	ret = kernel_getpeername(sock, (struct sockaddr *)&ss);
	if (ret < 0)
		goto drop;
	sockaddr_to_addr(&ss, &peer);
	if (!pg_rl_start(&pn->rl, &peer)) {
		ret = -EBUSY;
		goto drop;
	}
	conn = conn_new(pn, false, memcg, &ret);
	if (!conn) {
		pg_rl_done(&pn->rl, &peer);
		goto drop;
	}
	conn->sock = sock;
	conn->peer = peer;
	sock_tune(sock);
	callbacks_set(conn);
	/* Data may have come before the callbacks: read at once. */
	conn_queue(conn);
	pg_conn_put(conn);
	return 0;

drop:
	net_info_ratelimited("netns %u: connection from %pISc refused: %s\n",
			     pn->net->ns.inum, &ss,
			     ret == -EBUSY ? "its source is over its handshake rate" :
			     ret == -ENOSPC ? "too many connections or handshakes" :
			     ret == -ENOMEM ? "out of memory" :
			     ret == -ENETDOWN ? "closing" : "no peer address");
	sock_no_linger(sock->sk);
	sock_release(sock);
	return ret;
}

/* Sealing: the header is associated data, the nonce the frame counter. */
static int seal_run(struct pg_seal *s, u8 *frame, u32 len, bool encrypt)
{
	struct scatterlist sg;
	__be64 seq = cpu_to_be64(s->seq);
	u8 iv[12] = { };
	int ret;

	memcpy(iv + 4, &seq, sizeof(seq));
	sg_init_one(&sg, frame, len);
	aead_request_set_callback(s->req, 0, NULL, NULL);
	aead_request_set_ad(s->req, PG_WIRE_HDR_LEN);
	aead_request_set_crypt(s->req, &sg, &sg,
			       len - PG_WIRE_HDR_LEN -
			       (encrypt ? PG_WIRE_TAG_LEN : 0), iv);
	ret = encrypt ? crypto_aead_encrypt(s->req) :
			crypto_aead_decrypt(s->req);
	if (!ret)
		s->seq++;
	return ret;
}

static void seal_free(struct pg_seal *s)
{
	aead_request_free(s->req);	/* zeroes it */
	crypto_free_aead(s->tfm);	/* and the key */
	s->req = NULL;
	s->tfm = NULL;
}

static int seal_init(struct pg_seal *s, const u8 *key)
{
	int ret;

	if (pg_fault(PG_FAULT_HANDSHAKE))
		s->tfm = ERR_PTR(-ENOMEM);
	else
		s->tfm = crypto_alloc_aead("rfc7539(chacha20,poly1305)", 0,
					   CRYPTO_ALG_ASYNC);
	if (IS_ERR(s->tfm)) {
		ret = PTR_ERR(s->tfm);
		s->tfm = NULL;
		pg_crypto_missing("rfc7539(chacha20,poly1305)", ret);
		return ret;
	}
	ret = crypto_aead_setkey(s->tfm, key, PG_WIRE_KEY_LEN);
	if (!ret)
		ret = crypto_aead_setauthsize(s->tfm, PG_WIRE_TAG_LEN);
	if (!ret) {
		s->req = pg_fault(PG_FAULT_HANDSHAKE) ? NULL :
			 aead_request_alloc(s->tfm, GFP_KERNEL_ACCOUNT);
		if (!s->req)
			ret = -ENOMEM;
	}
	if (ret) {
		crypto_free_aead(s->tfm);
		s->tfm = NULL;
	}
	s->seq = 0;
	return ret;
}

int pg_conn_set_keys(struct pg_conn *conn, const u8 *tx_key, const u8 *rx_key)
{
	struct pg_seal tx = { };
	int ret;

	ret = seal_init(&tx, tx_key);
	if (ret)
		return ret;
	ret = seal_init(&conn->rx, rx_key);
	if (ret) {
		seal_free(&tx);
		return ret;
	}
	mutex_lock(&conn->tx_lock);
	conn->tx = tx;
	mutex_unlock(&conn->tx_lock);
	conn->phase = PG_CONN_OPEN;
	conn_uncount(conn);
	if (cancel_delayed_work(&conn->timer))
		pg_conn_put(conn);
	return 0;
}

static int conn_queue_frame(struct pg_conn *conn, u8 type, const void *payload,
			    u32 len, bool sealed)
{
	u32 flen = PG_WIRE_HDR_LEN + len + (sealed ? PG_WIRE_TAG_LEN : 0);
	struct pg_frame *f;
	__be32 blen = cpu_to_be32(flen);
	struct mem_cgroup *old;
	int ret = 0;

	/* A queue's frames: its group's to pay, whoever writes. */
	old = set_active_memcg(conn_memcg(conn));
	f = pg_fault(PG_FAULT_SEND) ? NULL :
	    kmalloc(sizeof(*f) + flen, PG_GFP_PEER);
	set_active_memcg(old);
	if (!f)
		return -ENOMEM;
	f->queued = ktime_get_ns();
	f->len = flen;
	memcpy(f->data, &blen, sizeof(blen));
	f->data[4] = PG_WIRE_VERSION;
	f->data[5] = type;
	f->data[6] = 0;
	f->data[7] = 0;
	memcpy(f->data + PG_WIRE_HDR_LEN, payload, len);

	mutex_lock(&conn->tx_lock);
	if (test_bit(PG_CONN_F_DEAD, &conn->flags))
		ret = -ENOTCONN;
	else if (sealed != !!conn->tx.tfm)
		ret = -EPROTO;
	else if (conn->tx_bytes + flen > READ_ONCE(conn->pn->queue_bytes))
		ret = -ENOBUFS;
	else if (sealed && conn->tx.seq >= PG_WIRE_SEQ_LIMIT)
		ret = -EKEYEXPIRED;	/* closed, back with new keys */
	else if (sealed)
		ret = seal_run(&conn->tx, f->data, flen, true);
	if (!ret) {
		if (list_empty(&conn->txq))
			WRITE_ONCE(conn->tx_head_at, f->queued);
		list_add_tail(&f->node, &conn->txq);
		WRITE_ONCE(conn->tx_bytes, conn->tx_bytes + flen);
	}
	mutex_unlock(&conn->tx_lock);
	if (ret) {
		kfree_sensitive(f);
		return ret;
	}
	conn_queue(conn);
	return 0;
}

int pg_conn_send(struct pg_conn *conn, u8 type, const void *payload, u32 len)
{
	return conn_queue_frame(conn, type, payload, len, true);
}

int pg_conn_send_plain(struct pg_conn *conn, u8 type, const void *payload,
		       u32 len)
{
	conn->plain_sent = ktime_get_ns();
	return conn_queue_frame(conn, type, payload, len, false);
}

/* Frames handed to the socket in one call: records are small, calls dear. */
#define PG_TX_IOV	32

/* The first frame of the queue is sent whole: it goes. */
static void frame_sent(struct pg_conn *conn, struct pg_frame *f)
{
	struct pg_neighbour *nb = conn->nb;

	lockdep_assert_held(&conn->tx_lock);
	list_del(&f->node);
	WRITE_ONCE(conn->tx_bytes, conn->tx_bytes - f->len);
	WRITE_ONCE(conn->tx_head_at, list_empty(&conn->txq) ? 0 :
		   list_first_entry(&conn->txq, struct pg_frame,
				    node)->queued);
	conn->tx_off = 0;
	if (nb) {
		atomic64_inc(&nb->stats.frames_tx);
		atomic64_add(f->len, &nb->stats.bytes_tx);
	}
	kfree(f);
}

/*
 * Sends what the socket takes, up to PG_TX_IOV frames a call; 0, or a
 * negative errno to close.
 */
static int conn_flush(struct pg_conn *conn)
{
	struct kvec iov[PG_TX_IOV];
	struct pg_frame *f, *tmp;
	int ret = 0;

	mutex_lock(&conn->tx_lock);
	while (!list_empty(&conn->txq)) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
		u32 off = conn->tx_off;
		size_t total = 0;
		int nvec = 0, n, sent;

		list_for_each_entry(f, &conn->txq, node) {
			iov[nvec].iov_base = f->data + off;
			iov[nvec].iov_len = f->len - off;
			total += iov[nvec].iov_len;
			off = 0;
			if (++nvec == PG_TX_IOV)
				break;
		}
		n = kernel_sendmsg(conn->sock, &msg, iov, nvec, total);
		if (n == -EAGAIN)
			break;
		if (n < 0) {
			ret = n;
			break;
		}
		sent = n;
		list_for_each_entry_safe(f, tmp, &conn->txq, node) {
			u32 left = f->len - conn->tx_off;

			if (n < left) {
				conn->tx_off += n;
				break;
			}
			n -= left;
			frame_sent(conn, f);
			if (!n)
				break;
		}
		/* The socket took less than all: it is full for now. */
		if ((size_t)sent < total)
			break;
	}
	mutex_unlock(&conn->tx_lock);
	return ret;
}

static int conn_recv(struct pg_conn *conn, void *buf, u32 len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = buf, .iov_len = len };

	return kernel_recvmsg(conn->sock, &msg, &iov, 1, len, msg.msg_flags);
}

/* What the peer says in a REFUSE, if it is a reason we know. */
static u8 refused_reason(const u8 *p, u32 len)
{
	if (len < 1 || !p[0] || p[0] > PEERGROUP_REASON_MAX)
		return PEERGROUP_REASON_PROTOCOL;
	return p[0];
}

/*
 * Whether a frame of @len bytes is the responder's plaintext REFUSE of our
 * PROOF: we hold keys, but nothing sealed has come yet, and it is too
 * short to be sealed (protocol.rst, "Session keys").
 */
static bool plain_refuse(const struct pg_conn *conn, u32 len)
{
	return conn->outbound && conn->rx.tfm && !conn->rx.seq &&
	       len == PG_WIRE_HDR_LEN + 1 && conn->rx_hdr[5] == PG_WIRE_REFUSE;
}

/* One whole frame in rx_buf: opened, counted and handed on. */
static int conn_frame(struct pg_conn *conn)
{
	u8 *frame = conn->rx_buf;
	u32 len = conn->rx_len, plen;
	u8 type = frame[5];
	int ret;

	if (conn->rx.tfm && !plain_refuse(conn, len)) {
		ret = seal_run(&conn->rx, frame, len, false);
		if (ret) {
			net_info_ratelimited("netns %u: a frame failed authentication\n",
					     conn->pn->net->ns.inum);
			conn->why = PEERGROUP_REASON_PROTOCOL;
			return -EBADMSG;
		}
		plen = len - PG_WIRE_HDR_LEN - PG_WIRE_TAG_LEN;
	} else {
		plen = len - PG_WIRE_HDR_LEN;
	}
	if (conn->nb) {
		atomic64_inc(&conn->nb->stats.frames_rx);
		atomic64_add(len, &conn->nb->stats.bytes_rx);
	}
	if (frame[6] || frame[7]) {
		conn->why = PEERGROUP_REASON_PROTOCOL;
		return -EPROTO;
	}
	if (type == PG_WIRE_REFUSE) {
		conn->why = refused_reason(frame + PG_WIRE_HDR_LEN, plen);
		return -ECONNREFUSED;
	}
	if (conn->phase == PG_CONN_OPEN)
		return pg_sync_frame(conn, type, frame + PG_WIRE_HDR_LEN, plen);
	return pg_hs_frame(conn, type, frame + PG_WIRE_HDR_LEN, plen);
}

static void refuse(struct pg_conn *conn, u8 reason)
{
	u8 r = reason;

	if (conn->tx.tfm)
		pg_conn_send(conn, PG_WIRE_REFUSE, &r, 1);
	else
		pg_conn_send_plain(conn, PG_WIRE_REFUSE, &r, 1);
}

/*
 * Reads and handles frames: 0 when the socket is empty, 1 when the budget
 * ran out first, or a negative errno with conn->reason set to close.
 */
static int conn_read(struct pg_conn *conn)
{
	int budget, n, ret;

	for (budget = PG_RX_BUDGET; budget; budget--) {
		if (!conn->rx_buf) {
			u32 len;

			n = conn_recv(conn, conn->rx_hdr + conn->rx_got,
				      PG_WIRE_HDR_LEN - conn->rx_got);
			if (n == -EAGAIN)
				return 0;
			if (n <= 0)
				goto closed;
			conn->rx_got += n;
			if (conn->rx_got < PG_WIRE_HDR_LEN)
				continue;
			len = (u32)conn->rx_hdr[0] << 24 |
			      (u32)conn->rx_hdr[1] << 16 |
			      (u32)conn->rx_hdr[2] << 8 | conn->rx_hdr[3];
			if (conn->rx_hdr[4] != PG_WIRE_VERSION) {
				conn->why = PEERGROUP_REASON_VERSION;
				refuse(conn, PEERGROUP_REASON_VERSION);
				return -EPROTO;
			}
			if ((len < PG_WIRE_HDR_LEN +
				   (conn->rx.tfm ? PG_WIRE_TAG_LEN : 0) &&
			     !plain_refuse(conn, len)) ||
			    len > pg_conn_frame_max(conn)) {
				net_info_ratelimited("netns %u: a frame of %u bytes is out of bounds\n",
						     conn->pn->net->ns.inum,
						     len);
				conn->why = PEERGROUP_REASON_PROTOCOL;
				return -EPROTO;
			}
			conn->rx_buf = pg_fault(PG_FAULT_RECEIVE) ? NULL :
				       kmalloc(len, PG_GFP_PEER);
			if (!conn->rx_buf) {
				conn->why = PEERGROUP_REASON_ERROR;
				return -ENOMEM;
			}
			memcpy(conn->rx_buf, conn->rx_hdr, PG_WIRE_HDR_LEN);
			conn->rx_len = len;
		}
		if (conn->rx_got < conn->rx_len) {
			n = conn_recv(conn, conn->rx_buf + conn->rx_got,
				      conn->rx_len - conn->rx_got);
			if (n == -EAGAIN)
				return 0;
			if (n <= 0)
				goto closed;
			conn->rx_got += n;
			if (conn->rx_got < conn->rx_len)
				continue;
		}
		ret = conn_frame(conn);
		kfree_sensitive(conn->rx_buf);
		conn->rx_buf = NULL;
		conn->rx_got = 0;
		if (ret)
			return ret;
		if (test_bit(PG_CONN_F_DEAD, &conn->flags))
			return 0;
	}
	return 1;

closed:
	conn->why = PEERGROUP_REASON_CLOSED;
	return n ? n : -ECONNRESET;
}

/* An outbound connection under way: established, failed, or not yet. */
static int conn_connecting(struct pg_conn *conn)
{
	struct sock *sk = conn->sock->sk;
	int state = READ_ONCE(sk->sk_state);

	if (state == TCP_ESTABLISHED) {
		conn->phase = PG_CONN_HANDSHAKE;
		return pg_hs_start(conn);
	}
	if (state == TCP_SYN_SENT)
		return 0;
	conn->why = PEERGROUP_REASON_CONNECT;
	return sock_error(sk) ?: -ECONNREFUSED;
}

static void conn_teardown(struct pg_conn *conn)
{
	struct pg_neighbour *nb = conn->nb;
	struct pg_net *pn = conn->pn;
	struct pg_frame *f, *tmp;
	u8 reason;
	int err;

	set_bit(PG_CONN_F_GONE, &conn->flags);
	mutex_lock(&conn->tx_lock);
	reason = conn->reason;
	err = conn->err;
	mutex_unlock(&conn->tx_lock);

	callbacks_restore(conn);
	/* A last word (a REFUSE, a DISCONNECT) may still go out. */
	if (conn->phase != PG_CONN_CONNECTING)
		conn_flush(conn);
	if (READ_ONCE(pn->dying))
		sock_no_linger(conn->sock->sk);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);
	sock_release(conn->sock);
	conn->sock = NULL;
	if (cancel_delayed_work(&conn->timer))
		pg_conn_put(conn);

	mutex_lock(&conn->tx_lock);
	list_for_each_entry_safe(f, tmp, &conn->txq, node) {
		list_del(&f->node);
		kfree(f);
	}
	conn->tx_bytes = 0;
	WRITE_ONCE(conn->tx_head_at, 0);
	if (conn->tx.tfm)
		seal_free(&conn->tx);
	mutex_unlock(&conn->tx_lock);
	if (conn->rx.tfm)
		seal_free(&conn->rx);
	pg_hs_free(conn);
	pg_recon_free(conn);

	if (nb) {
		pg_neighbour_down(nb, conn, conn->was_up, reason, err);
		pg_neighbour_put(nb);
	} else if (conn->grp) {
		/* Accepted, named a group, never authenticated. */
		pg_neighbour_refused(conn->grp, &conn->peer, reason, err);
	}
	conn_uncount(conn);
	mutex_lock(&pn->conn_lock);
	list_del(&conn->pn_node);
	pn->nconns--;
	mutex_unlock(&pn->conn_lock);
	pg_conn_put(conn);	/* the list's */
}

static void conn_io(struct work_struct *work)
{
	struct pg_conn *conn = container_of(work, struct pg_conn, io_work);
	struct mem_cgroup *old = set_active_memcg(conn_memcg(conn));
	int ret = 0, more = 0;

	if (test_bit(PG_CONN_F_GONE, &conn->flags))
		goto out;
	if (!test_bit(PG_CONN_F_DEAD, &conn->flags)) {
		if (conn->phase == PG_CONN_CONNECTING)
			ret = conn_connecting(conn);
		if (!ret && conn->phase != PG_CONN_CONNECTING) {
			more = conn_read(conn);
			if (more < 0)
				ret = more;
		}
		if (!ret && conn->phase == PG_CONN_OPEN)
			pg_sync_pump(conn);
		if (!ret && conn->phase != PG_CONN_CONNECTING) {
			ret = conn_flush(conn);
			if (ret)
				conn->why = PEERGROUP_REASON_CLOSED;
		}
		if (ret) {
			pg_conn_close(conn, conn->why ?:
				      PEERGROUP_REASON_ERROR, ret);
		} else if (more > 0 || (conn->phase == PG_CONN_OPEN &&
					pg_sync_more(conn) &&
					pg_conn_queued(conn) <
					READ_ONCE(conn->pn->queue_bytes) / 2)) {
			conn_queue(conn);
		}
	}
	if (test_bit(PG_CONN_F_DEAD, &conn->flags))
		conn_teardown(conn);
out:
	set_active_memcg(old);
	pg_conn_put(conn);
}

/* Namespace exit: every connection closes; then wait until all are freed. */
void pg_conns_close_all(struct pg_net *pn)
{
	struct pg_conn *conn;

	mutex_lock(&pn->conn_lock);
	list_for_each_entry(conn, &pn->conns, pn_node)
		pg_conn_close(conn, PEERGROUP_REASON_DELETED, 0);
	mutex_unlock(&pn->conn_lock);
}

void pg_conns_wait_freed(struct pg_net *pn)
{
	wait_var_event(&pn->conns_alive, !atomic_read(&pn->conns_alive));
}
