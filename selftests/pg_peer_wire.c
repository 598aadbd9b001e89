// SPDX-License-Identifier: GPL-2.0
/*
 * pg_peer's wire: bytes, the crypto of the suite (OpenSSL 3's libcrypto),
 * frames, sealing, the handshake as the initiator, WELCOME and SOLICIT
 * (protocol.rst). Written from the documentation alone.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "pg_peer.h"

const char *prog = "pg_peer";
int verbose;
long long welcome_skew_ns;

void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void vlog(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

/* Room for one more of *n elements of size at p (capacity *cap). */
void *xgrow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? 2 * *cap : 16;
	p = realloc(p, *cap * size);
	if (!p)
		die("out of memory for %zu x %zu bytes", *cap, size);
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

/* Bytes */

void buf_put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			die("out of memory (%zu bytes)", cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

void buf_u8(struct buf *b, u8 v)
{
	buf_put(b, &v, 1);
}

void put_be(u8 *p, u64 v, unsigned int n)
{
	while (n--) {
		p[n] = v;
		v >>= 8;
	}
}

u64 get_be(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

void buf_be(struct buf *b, u64 v, unsigned int n)
{
	u8 tmp[8];

	put_be(tmp, v, n);
	buf_put(b, tmp, n);
}

void buf_str16(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	buf_be(b, n, 2);
	buf_put(b, s, n);
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

const u8 *rd_bytes(struct rd *r, size_t n)
{
	size_t at = r->off;

	r->bad = r->bad || n > r->len - r->off;
	if (r->bad)
		return NULL;
	r->off += n;
	return r->p + at;
}

u64 rd_be(struct rd *r, unsigned int n)
{
	const u8 *p = rd_bytes(r, n);

	return p ? get_be(p, n) : 0;
}

/* Crypto */

void sha256(const void *p, size_t n, u8 out[32])
{
	if (!EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL))
		die("SHA-256 failed");
}

void hmac256(const u8 *key, size_t klen, const void *p, size_t n, u8 out[32])
{
	unsigned int len = 32;

	if (!HMAC(EVP_sha256(), key, klen, p, n, out, &len) || len != 32)
		die("HMAC-SHA256 failed");
}

/* RFC 5869 HKDF-Expand with SHA-256; extract is hmac256(salt, ikm). */
void hkdf_expand(const u8 prk[32], const void *info, size_t ilen, u8 *out,
		 size_t olen)
{
	struct buf b = { };
	u8 t[32];
	size_t done = 0;
	u8 i = 0;

	while (done < olen) {
		b.len = 0;
		if (i)
			buf_put(&b, t, sizeof(t));
		buf_put(&b, info, ilen);
		buf_u8(&b, ++i);
		hmac256(prk, 32, b.p, b.len, t);
		memcpy(out + done, t, olen - done < 32 ? olen - done : 32);
		done += olen - done < 32 ? olen - done : 32;
	}
	buf_free(&b);
}

void random_bytes(void *p, size_t n)
{
	if (RAND_bytes(p, n) != 1)
		die("no random bytes from OpenSSL");
}

/* A direction's ChaCha20-Poly1305 (RFC 7539 AEAD), keyed once. */
static EVP_CIPHER_CTX *aead_new(const u8 key[W_KEY], bool encrypt)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (!ctx || !EVP_CipherInit_ex(ctx, EVP_chacha20_poly1305(), NULL, NULL,
				       NULL, encrypt) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) ||
	    !EVP_CipherInit_ex(ctx, NULL, NULL, key, NULL, encrypt))
		die("ChaCha20-Poly1305 could not be set up");
	return ctx;
}

/* One frame: the header as AD, the payload in place, the tag after it. */
static bool aead(EVP_CIPHER_CTX *ctx, u64 seq, u8 *frame, size_t len,
		 bool encrypt)
{
	size_t plen = len - W_HDR - W_TAG;
	u8 nonce[12] = { };
	int n, ok;

	put_be(nonce + 4, seq, 8);
	ok = EVP_CipherInit_ex(ctx, NULL, NULL, NULL, nonce, -1) &&
	     EVP_CipherUpdate(ctx, NULL, &n, frame, W_HDR) &&
	     EVP_CipherUpdate(ctx, frame + W_HDR, &n, frame + W_HDR, plen);
	if (ok && !encrypt)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, W_TAG,
					 frame + W_HDR + plen);
	if (ok)
		ok = EVP_CipherFinal_ex(ctx, frame + W_HDR + plen, &n) > 0;
	if (ok && encrypt)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, W_TAG,
					 frame + W_HDR + plen);
	if (!ok && encrypt)
		die("ChaCha20-Poly1305 failed to seal");
	return ok;
}

/* Connections */

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/*
 * A node takes at most 20 handshakes a second from one source address, 5
 * at once in a burst (protocol.rst, "The handshake"): connections started
 * at least CONNECT_SPACING_MS apart never go over that.
 */
#define CONNECT_SPACING_MS	50

static void connect_pace(void)
{
	static u64 last;
	u64 now = now_ms();

	if (last && now - last < CONNECT_SPACING_MS)
		usleep((CONNECT_SPACING_MS - (now - last)) * 1000);
	last = now_ms();
}

int tcp_connect(const char *addr, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai, *it;
	int fd = -1, one = 1, ret;

	connect_pace();
	ret = getaddrinfo(addr, port, &hints, &ai);
	if (ret) {
		fprintf(stderr, "%s: address %s port %s: %s\n", prog, addr, port,
			gai_strerror(ret));
		return -1;
	}
	for (it = ai; it; it = it->ai_next) {
		fd = socket(it->ai_family, it->ai_socktype, it->ai_protocol);
		if (fd < 0)
			continue;
		if (!connect(fd, it->ai_addr, it->ai_addrlen))
			break;
		ret = errno;
		close(fd);
		fd = -1;
		errno = ret;
	}
	/* A reset is a node's answer to a source over its rate: said later. */
	if (fd < 0 && errno != ECONNRESET)
		fprintf(stderr, "%s: connect to %s port %s: %s\n", prog, addr,
			port, strerror(errno));
	ret = errno;
	freeaddrinfo(ai);
	errno = ret;
	if (fd >= 0) {
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	}
	return fd;
}

int tcp_listen(const char *port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(number_arg("PORT", port, 1, 65535)),
	};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 8))
		die("listen on port %s: %s", port, strerror(errno));
	return fd;
}

void fd_blocking(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
}

void conn_init(struct conn *c, int fd, const struct group *g)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->g = g;
}

void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->rbuf);
	c->rbuf = NULL;
	c->rlen = c->rcap = 0;
	memset(c->tx_key, 0, sizeof(c->tx_key));
	memset(c->rx_key, 0, sizeof(c->rx_key));
	EVP_CIPHER_CTX_free(c->tx_ctx);
	EVP_CIPHER_CTX_free(c->rx_ctx);
	c->tx_ctx = c->rx_ctx = NULL;
}

/* Reads what the socket holds: 0, or -1 once the peer has closed. */
int conn_pump(struct conn *c)
{
	for (;;) {
		ssize_t n;

		if (c->eof)
			return -1;
		if (c->rlen == c->rcap) {
			c->rcap = c->rcap ? 2 * c->rcap : 65536;
			c->rbuf = realloc(c->rbuf, c->rcap);
			if (!c->rbuf)
				die("out of memory for %zu bytes received", c->rcap);
		}
		n = recv(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen, 0);
		if (n > 0) {
			c->rlen += n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		c->eof = true;
		return -1;
	}
}

/* Sends all of it, reading meanwhile; -1 if the connection failed. */
int conn_send_raw(struct conn *c, const void *p, size_t n)
{
	const u8 *q = p;

	while (n) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLOUT | POLLIN };
		ssize_t k = send(c->fd, q, n, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (k > 0) {
			q += k;
			n -= k;
			continue;
		}
		if (k < 0 && errno != EAGAIN && errno != EINTR) {
			/* Closed by the peer, as a read would have found. */
			c->eof = errno == EPIPE || errno == ECONNRESET;
			return -1;
		}
		if (poll(&pfd, 1, 15000) <= 0)
			return -1;
		if (pfd.revents & POLLIN)
			conn_pump(c);
		if ((pfd.revents & (POLLERR | POLLHUP)) && !(pfd.revents & POLLOUT))
			return -1;
	}
	return 0;
}

/* A whole frame into *b: header, payload, and sealed if asked. */
void frame_build(struct conn *c, struct buf *b, u8 version, u8 type, u16 flags,
		 const void *payload, size_t len, bool seal)
{
	size_t start = b->len, flen = W_HDR + len + (seal ? W_TAG : 0);
	u8 tag[W_TAG] = { };

	buf_be(b, flen, 4);
	buf_u8(b, version);
	buf_u8(b, type);
	buf_be(b, flags, 2);
	buf_put(b, payload, len);
	if (seal) {
		buf_put(b, tag, sizeof(tag));
		aead(c->tx_ctx, c->tx_seq++, b->p + start, flen, true);
	}
}

int conn_send(struct conn *c, u8 type, const void *payload, size_t len)
{
	struct buf b = { };
	int ret;

	frame_build(c, &b, W_VERSION, type, 0, payload, len, c->sealed);
	ret = conn_send_raw(c, b.p, b.len);
	buf_free(&b);
	if (!ret)
		c->frames_tx++;
	return ret;
}

/* 1 if a whole frame is buffered, 0 if not yet, -1 if its length is out of bounds. */
static int frame_ready(struct conn *c, u32 max)
{
	u32 len;

	if (c->rlen < W_HDR)
		return 0;
	len = get_be(c->rbuf, 4);
	if (len < W_HDR || len > max) {
		fprintf(stderr, "%s: the peer sent a frame of %u bytes, out of bounds\n",
			prog, len);
		return -1;
	}
	return c->rlen >= len;
}

/*
 * What is wrong with the creator and signature of a PROPERTIES whose
 * fields (creator to max lifetime) are the first n bytes at p: in a psk
 * group the creator must hash to the group id's authority; in a pki group
 * be the root's subject, and the signature verify with the root's key.
 */
static const char *props_wrong(const struct conn *c, const char *creator,
			       const u8 *p, size_t n, const u8 *sig, size_t len)
{
	char authority[41];
	u8 h[32];
	int i;

	if (c->g->pki) {
		if (strcmp(creator, pki_creator(c->g)))
			return "is not the root certificate's subject";
		if (!pki_props_verify(c->g, p, n, sig, len))
			return "did not sign them with the root's key";
		return NULL;
	}
	sha256(creator, strlen(creator), h);
	for (i = 0; i < 20; i++)
		snprintf(authority + 2 * i, 3, "%02x", h[i]);
	return strncmp(c->g->id, authority, 40) ?
	       "has a hash that is not the group id's" : NULL;
}

/*
 * A PROPERTIES from the peer (protocol.rst): its creator and signature
 * right (props_wrong()), its max lifetime in its range. Kept in c; -1
 * (said on stderr) if it is not right.
 */
static int properties_take(struct conn *c, const struct frame *f)
{
	struct rd r = { .p = f->p, .len = f->len };
	char *creator = rd_identity(&r);
	const char *wrong;
	const u8 *sig;
	size_t fields;
	u64 lifetime;
	u16 siglen;

	rd_bytes(&r, W_PROPS_FIXED - 4);
	lifetime = rd_be(&r, 4);
	fields = r.off;
	siglen = rd_be(&r, 2);
	sig = rd_bytes(&r, siglen);
	/* A psk group's creator signs nothing. */
	if (r.bad || r.off != r.len || !creator || siglen > W_SEC_MAX ||
	    (siglen && !c->g->pki) ||
	    lifetime < W_LIFETIME_MIN || lifetime > W_LIFETIME_MAX) {
		fprintf(stderr, "%s: a malformed PROPERTIES (%u bytes)\n", prog, f->len);
		free(creator);
		return -1;
	}
	wrong = props_wrong(c, creator, f->p, fields, sig, siglen);
	if (wrong) {
		fprintf(stderr, "%s: the creator the peer's PROPERTIES name, %s, %s\n",
			prog, creator, wrong);
		free(creator);
		return -1;
	}
	snprintf(c->creator, sizeof(c->creator), "%s", creator);
	memcpy(c->props, f->p, f->len);
	c->props_len = f->len;
	c->properties_rx++;
	free(creator);
	return 0;
}

u64 props_lifetime(const struct conn *c)
{
	if (!c->props_len)
		return 0;
	return get_be(c->props + 2 + get_be(c->props, 2) + W_PROPS_FIXED - 4, 4) *
	       1000000000ULL;
}

/*
 * The next frame, opened: 1, 0 on timeout, -1 when the connection closed,
 * was refused (c->refused) or sent what cannot be a frame (said on
 * stderr). The payload is valid until the next call. PROPERTIES are taken
 * here (properties_take()), never handed out.
 */
int conn_recv(struct conn *c, struct frame *f, int timeout_ms)
{
	u64 deadline = now_ms() + timeout_ms;
	u32 len, max;
	int ready;

	/* What the previous call handed out is dropped now. */
	if (c->consumed) {
		memmove(c->rbuf, c->rbuf + c->consumed, c->rlen - c->consumed);
		c->rlen -= c->consumed;
		c->consumed = 0;
	}
	max = c->sealed ? W_HDR + W_TAG + W_OVERHEAD + c->g->max_record_size :
	      c->g->pki ? W_HS_MAX + W_PKI_PROOF_MAX : W_HS_MAX;
	while (!(ready = frame_ready(c, max))) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		size_t had = c->rlen;
		int left;

		if (c->eof)
			return -1;
		conn_pump(c);
		if (c->eof || c->rlen != had)
			continue;
		left = deadline - now_ms();
		if (left <= 0 || poll(&pfd, 1, left) == 0)
			return 0;
	}
	if (ready < 0)
		return -1;
	len = get_be(c->rbuf, 4);
	f->version = c->rbuf[4];
	f->type = c->rbuf[5];
	f->flags = get_be(c->rbuf + 6, 2);
	f->p = c->rbuf + W_HDR;
	f->len = len - W_HDR;
	c->consumed = len;
	/* The REFUSE that answers a PROOF is plaintext (9 bytes: too short to be sealed). */
	if (c->sealed && !(c->after_proof && f->type == T_REFUSE && len < W_HDR + W_TAG)) {
		if (len < W_HDR + W_TAG || !aead(c->rx_ctx, c->rx_seq, c->rbuf, len, false)) {
			fprintf(stderr, "%s: a frame from the peer (type 0x%02x, %u bytes) failed to open\n",
				prog, f->type, len);
			return -1;
		}
		c->rx_seq++;
		f->len -= W_TAG;
		c->after_proof = false;
	}
	c->frames_rx++;
	if (f->type == T_REFUSE) {
		c->refused = f->len == 1 ? f->p[0] : -1;
		if (!c->quiet)
			fprintf(stderr, "%s: refused by the peer: %s\n", prog,
				reason_name(c->refused));
		return -1;
	}
	if (c->sealed && f->type == T_PROPERTIES) {
		int left = deadline - now_ms();

		if (properties_take(c, f))
			return -1;
		return conn_recv(c, f, left > 0 ? left : 0);
	}
	return 1;
}

static const char *const reasons[] = {
	"none", "closed", "connect", "version", "unknown-group", "auth",
	"timeout", "protocol", "overflow", "deleted", "limit", "self", "error",
	"kdf",
};

const char *reason_name(int reason)
{
	if (reason < 0 || reason >= (int)(sizeof(reasons) / sizeof(reasons[0])))
		return "(malformed)";
	return reasons[reason];
}

const char *type_name(u8 type)
{
	switch (type) {
	case T_HELLO: return "HELLO";
	case T_WELCOME: return "WELCOME";
	case T_REFUSE: return "REFUSE";
	case T_SOLICIT: return "SOLICIT";
	case T_RECONCILE: return "RECONCILE";
	case T_RECORD: return "RECORD";
	case T_SYNC_END: return "SYNC_END";
	case T_PROPERTIES: return "PROPERTIES";
	case T_CHALLENGE: return "CHALLENGE";
	case T_PROOF: return "PROOF";
	}
	return "unknown";
}

/* The handshake, as the initiator */

static bool x25519_pair(EVP_PKEY **key, u8 pub[W_KEY])
{
	size_t len = W_KEY;

	*key = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	return *key && EVP_PKEY_get_raw_public_key(*key, pub, &len) && len == W_KEY;
}

static bool x25519_shared(EVP_PKEY *key, const u8 peer[W_KEY], u8 out[W_KEY])
{
	EVP_PKEY *pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer,
						   W_KEY);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	size_t len = W_KEY;
	bool ok;

	ok = pk && ctx && EVP_PKEY_derive_init(ctx) > 0 &&
	     EVP_PKEY_derive_set_peer(ctx, pk) > 0 &&
	     EVP_PKEY_derive(ctx, out, &len) > 0 && len == W_KEY;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ok;
}

static void proof(const struct group *g, const char *role, const u8 th[32],
		  u8 out[32])
{
	struct buf b = { };

	buf_put(&b, role, strlen(role));
	buf_put(&b, th, 32);
	hmac256(g->auth, sizeof(g->auth), b.p, b.len, out);
	buf_free(&b);
}

/* Our proof as the CHALLENGE and PROOF carry it: be16 length, then it. */
static void proof_put(const struct group *g, const char *role, const u8 th[32],
		      struct buf *b)
{
	size_t at = b->len;
	u8 mac[32];

	buf_be(b, 0, 2);
	if (g->pki) {
		pki_proof(g, role, th, b);
	} else {
		proof(g, role, th, mac);
		buf_put(b, mac, sizeof(mac));
	}
	put_be(b->p + at, b->len - at - 2, 2);
}

/* Whether the peer's proof verifies (a pki prover's chain is kept). */
static bool proof_verifies(const struct group *g, const char *role,
			   const u8 th[32], const u8 *p, size_t n,
			   const char *identity)
{
	struct timespec ts;
	u8 mac[32];

	if (g->pki) {
		clock_gettime(CLOCK_REALTIME, &ts);
		return pki_proof_verifies(g, role, th, p, n, identity,
					  ts.tv_sec * 1000000000ULL + ts.tv_nsec);
	}
	proof(g, role, th, mac);
	return n == sizeof(mac) && !memcmp(mac, p, n);
}

void hello_build(struct buf *b, u8 suite, const u8 node[W_NODE_ID],
		 const u8 ni[W_NONCE], const u8 ei[W_KEY], const char *group_id,
		 const char *identity)
{
	buf_u8(b, suite);
	buf_be(b, 0, 3);
	buf_put(b, node, W_NODE_ID);
	buf_put(b, ni, W_NONCE);
	buf_put(b, ei, W_KEY);
	buf_str16(b, group_id);
	buf_str16(b, identity);
}

enum hs_result handshake(struct conn *c, const struct hs_opts *o)
{
	u8 ni_nr[2 * W_NONCE], pub[W_KEY], shared[W_KEY], th[32];
	u8 prk[32], info[7 + 32], nid[W_NODE_ID];
	struct buf hello = { }, t = { };
	enum hs_result res = HS_ERROR;
	const u8 *node, *nr, *er, *kdf, *rproof;
	EVP_PKEY *key = NULL;
	u8 ours[12];
	char *identity;
	struct frame f;
	struct rd r;
	size_t body;
	u16 plen;

	if (!x25519_pair(&key, pub))
		die("X25519 key generation failed");
	random_bytes(ni_nr, W_NONCE);
	random_bytes(nid, sizeof(nid));
	hello_build(&hello, W_SUITE, o->node_id ? o->node_id : nid, ni_nr, pub,
		    c->g->id, o->identity);
	if (conn_send(c, T_HELLO, hello.p, hello.len))
		goto out;
	switch (conn_recv(c, &f, 10000)) {
	case 1:
		break;
	case 0:
		fprintf(stderr, "%s: no CHALLENGE within 10 s\n", prog);
		goto out;
	default:
		res = c->refused ? HS_REFUSED : HS_ERROR;
		goto out;
	}
	if (f.version != W_VERSION || f.type != T_CHALLENGE || f.flags) {
		fprintf(stderr, "%s: expected a CHALLENGE, got a %s (version %u, flags 0x%x)\n",
			prog, type_name(f.type), f.version, f.flags);
		goto out;
	}
	r = (struct rd){ .p = f.p, .len = f.len };
	node = rd_bytes(&r, W_NODE_ID);
	nr = rd_bytes(&r, W_NONCE);
	er = rd_bytes(&r, W_KEY);
	identity = rd_identity(&r);
	kdf = rd_bytes(&r, 12);
	body = r.off;
	plen = rd_be(&r, 2);
	rproof = rd_bytes(&r, plen);
	if (r.bad || r.off != r.len || !identity || kdf[2] || kdf[3]) {
		fprintf(stderr, "%s: a malformed CHALLENGE (%u bytes)\n", prog, f.len);
		free(identity);
		goto out;
	}
	/*
	 * A pki group's key is no password's: protocol.rst says nothing of its
	 * kdf block, but that its reserved bytes are 0 and th covers it.
	 */
	kdf_block(&c->g->kdf, ours);
	if (!c->g->pki && memcmp(ours, kdf, sizeof(ours))) {
		u8 reason = PEERGROUP_REASON_KDF;

		fprintf(stderr, "%s: the responder %s derives its key with alg %u t=%llu m=%llu p=%u, we with argon2id t=%u m=%u p=%u\n",
			prog, identity, kdf[0], (unsigned long long)get_be(kdf + 4, 4),
			(unsigned long long)get_be(kdf + 8, 4), kdf[1],
			c->g->kdf.time, c->g->kdf.memory, c->g->kdf.lanes);
		free(identity);
		conn_send(c, T_REFUSE, &reason, 1);
		res = HS_KDF;
		goto out;
	}
	memcpy(c->peer_node, node, W_NODE_ID);
	memcpy(ni_nr + W_NONCE, nr, W_NONCE);
	snprintf(c->peer_identity, sizeof(c->peer_identity), "%s", identity);
	free(identity);
	buf_put(&t, hello.p, hello.len);
	buf_put(&t, f.p, body);
	sha256(t.p, t.len, th);
	if (!proof_verifies(c->g, "pg1 responder", th, rproof, plen,
			    c->peer_identity)) {
		u8 reason = PEERGROUP_REASON_AUTH;

		fprintf(stderr, "%s: the responder %s failed to prove membership (%s?)\n",
			prog, c->peer_identity,
			c->g->pki ? "another root" : "wrong password");
		res = HS_AUTH;
		if (!o->force) {
			conn_send(c, T_REFUSE, &reason, 1);
			goto out;
		}
	}
	if (!x25519_shared(key, er, shared)) {
		fprintf(stderr, "%s: X25519 with the responder's key failed\n", prog);
		goto out;
	}
	t.len = 0;
	proof_put(c->g, "pg1 initiator", th, &t);
	if (conn_send(c, T_PROOF, t.p, t.len))
		goto out;
	t.len = 0;
	buf_put(&t, shared, W_KEY);
	/* The provider's session secret: none in a pki group. */
	if (!c->g->pki)
		buf_put(&t, c->g->session, sizeof(c->g->session));
	hmac256(ni_nr, sizeof(ni_nr), t.p, t.len, prk);
	memcpy(info, "pg1 i2r", 7);
	memcpy(info + 7, th, 32);
	hkdf_expand(prk, info, sizeof(info), c->tx_key, W_KEY);
	memcpy(info, "pg1 r2i", 7);
	hkdf_expand(prk, info, sizeof(info), c->rx_key, W_KEY);
	c->tx_ctx = aead_new(c->tx_key, true);
	c->rx_ctx = aead_new(c->rx_key, false);
	c->sealed = true;
	c->after_proof = true;
	res = HS_OK;
out:
	memset(shared, 0, sizeof(shared));
	memset(prk, 0, sizeof(prk));
	EVP_PKEY_free(key);
	buf_free(&hello);
	buf_free(&t);
	return res;
}

/*
 * The handshake as the responder, up to the initiator's PROOF, which it
 * then refuses with reason auth, in plaintext: what protocol.rst says a
 * responder does when the PROOF does not verify (here whatever it holds:
 * the test is of the initiator). 0 once the REFUSE is sent, -1 (said on
 * stderr) if the initiator did not get that far.
 */
int respond_refuse(struct conn *c, const char *identity)
{
	u8 nr[W_NONCE], pub[W_KEY], th[32], p[32], nid[W_NODE_ID];
	u8 reason = PEERGROUP_REASON_AUTH;
	struct buf t = { }, ch = { };
	char *gid = NULL, *peer = NULL;
	EVP_PKEY *key = NULL;
	struct frame f;
	struct rd r;
	int ret = -1;

	if (!x25519_pair(&key, pub))
		die("X25519 key generation failed");
	random_bytes(nr, sizeof(nr));
	random_bytes(nid, sizeof(nid));
	if (conn_recv(c, &f, 10000) != 1 || f.type != T_HELLO) {
		fprintf(stderr, "%s: no HELLO within 10 s\n", prog);
		goto out;
	}
	r = (struct rd){ .p = f.p, .len = f.len };
	rd_bytes(&r, 4 + W_NODE_ID + W_NONCE + W_KEY);
	gid = rd_identity(&r);
	peer = rd_identity(&r);
	if (r.bad || r.off != r.len || !gid || !peer || strcmp(gid, c->g->id)) {
		fprintf(stderr, "%s: a malformed HELLO, or of another group\n", prog);
		goto out;
	}
	snprintf(c->peer_identity, sizeof(c->peer_identity), "%s", peer);
	buf_put(&t, f.p, f.len);
	buf_put(&ch, nid, sizeof(nid));
	buf_put(&ch, nr, sizeof(nr));
	buf_put(&ch, pub, sizeof(pub));
	buf_str16(&ch, identity);
	/* A pki group: "0: none", no key derived from a password. */
	kdf_block(c->g->pki ? NULL : &c->g->kdf, p);
	buf_put(&ch, p, 12);
	buf_put(&t, ch.p, ch.len);
	sha256(t.p, t.len, th);
	proof_put(c->g, "pg1 responder", th, &ch);
	if (conn_send(c, T_CHALLENGE, ch.p, ch.len))
		goto out;
	if (conn_recv(c, &f, 10000) != 1 || f.type != T_PROOF) {
		fprintf(stderr, "%s: no PROOF within 10 s\n", prog);
		goto out;
	}
	ret = conn_send(c, T_REFUSE, &reason, 1);
out:
	free(gid);
	free(peer);
	EVP_PKEY_free(key);
	buf_free(&t);
	buf_free(&ch);
	return ret;
}

/*
 * What an outsider learns from one HELLO: the responder's CHALLENGE, and
 * which key its proof verifies under, checked offline: the one-HMAC key of
 * the old derivation ("peergroup psk v1 " and the id as HKDF-Extract's
 * salt, a guess costing one HMAC) or Argon2id with the parameters the
 * CHALLENGE tells (or ours if it tells none). A CHALLENGE with or without
 * the kdf block parses. Prints one line of JSON; 0, or -1.
 */
int challenge_check(struct conn *c, const char *identity, const char *password)
{
	u8 ni[W_NONCE], pub[W_KEY], nid[W_NODE_ID], th[32], want[32];
	struct buf hello = { }, t = { }, salt = { };
	const u8 *kdf = NULL, *rproof;
	struct group v1 = { .id = c->g->id }, v2 = v1;
	struct timespec t0, t1;
	bool ok_v1, ok_v2;
	EVP_PKEY *key = NULL;
	char *peer = NULL;
	struct frame f;
	struct rd r;
	size_t body;
	u16 plen;
	int ret = -1;

	if (!x25519_pair(&key, pub))
		die("X25519 key generation failed");
	random_bytes(ni, sizeof(ni));
	random_bytes(nid, sizeof(nid));
	hello_build(&hello, W_SUITE, nid, ni, pub, c->g->id, identity);
	if (conn_send(c, T_HELLO, hello.p, hello.len))
		goto out;
	if (conn_recv(c, &f, 10000) != 1 || f.type != T_CHALLENGE) {
		fprintf(stderr, "%s: no CHALLENGE within 10 s (refused: %s)\n",
			prog, c->refused ? reason_name(c->refused) : "no");
		goto out;
	}
	r = (struct rd){ .p = f.p, .len = f.len };
	rd_bytes(&r, W_NODE_ID + W_NONCE + W_KEY);
	peer = rd_identity(&r);
	if (r.len - r.off >= 2 && r.len - r.off - 2 != get_be(f.p + r.off, 2))
		kdf = rd_bytes(&r, 12);
	body = r.off;
	plen = rd_be(&r, 2);
	rproof = rd_bytes(&r, plen);
	if (r.bad || r.off != r.len || !peer || plen != 32) {
		fprintf(stderr, "%s: a malformed CHALLENGE (%u bytes)\n", prog, f.len);
		goto out;
	}
	buf_put(&t, hello.p, hello.len);
	buf_put(&t, f.p, body);
	sha256(t.p, t.len, th);

	buf_put(&salt, "peergroup psk v1 ", 17);
	buf_put(&salt, c->g->id, strlen(c->g->id));
	hmac256(salt.p, salt.len, password, strlen(password), v1.key);
	hkdf_expand(v1.key, "pg1 auth", 8, v1.auth, sizeof(v1.auth));
	proof(&v1, "pg1 responder", th, want);
	ok_v1 = !memcmp(want, rproof, 32);

	v2.kdf = peer_kdf;
	if (kdf && kdf[0] == 1)
		v2.kdf = (struct kdf){ .time = get_be(kdf + 4, 4),
				       .memory = get_be(kdf + 8, 4),
				       .lanes = kdf[1] };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kdf_derive(password, c->g->id, &v2.kdf, v2.key);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	hkdf_expand(v2.key, "pg1 auth", 8, v2.auth, sizeof(v2.auth));
	proof(&v2, "pg1 responder", th, want);
	ok_v2 = !memcmp(want, rproof, 32);
	printf("{\"responder\":\"%s\",\"kdf\":\"%s t=%u m=%u p=%u\",\"v1_hmac\":%s,\"argon2id\":%s,\"argon2id_ms\":%lld}\n",
	       peer, !kdf ? "absent" : kdf[0] == 1 ? "argon2id" :
	       kdf[0] ? "unknown" : "none", v2.kdf.time, v2.kdf.memory,
	       v2.kdf.lanes, ok_v1 ? "true" : "false", ok_v2 ? "true" : "false",
	       (long long)(t1.tv_sec - t0.tv_sec) * 1000 +
	       (t1.tv_nsec - t0.tv_nsec) / 1000000);
	ret = 0;
out:
	free(peer);
	EVP_PKEY_free(key);
	buf_free(&hello);
	buf_free(&t);
	buf_free(&salt);
	return ret;
}

u64 peer_now(const struct conn *c)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return c->peer_time + (ts.tv_sec - c->welcomed.tv_sec) * 1000000000ULL +
	       ts.tv_nsec - c->welcomed.tv_nsec;
}

/* Our WELCOME, then the peer's: 0, or -1. */
int session_open(struct conn *c, bool synchronized, int timeout_ms)
{
	u8 w[12] = { synchronized ? WELCOME_SYNCHRONIZED : 0 };
	struct timespec ts;
	struct frame f;
	int ret;

	clock_gettime(CLOCK_REALTIME, &ts);
	put_be(w + 4, ts.tv_sec * 1000000000ULL + ts.tv_nsec + welcome_skew_ns, 8);
	if (conn_send(c, T_WELCOME, w, sizeof(w)))
		return -1;
	ret = conn_recv(c, &f, timeout_ms);
	if (ret <= 0) {
		if (!ret)
			fprintf(stderr, "%s: no WELCOME within %d ms\n", prog, timeout_ms);
		return -1;
	}
	if (f.type != T_WELCOME || f.len != 12) {
		fprintf(stderr, "%s: expected a WELCOME, got a %s of %u bytes\n",
			prog, type_name(f.type), f.len);
		return -1;
	}
	c->peer_synchronized = f.p[0] & WELCOME_SYNCHRONIZED;
	c->peer_time = get_be(f.p + 4, 8);
	clock_gettime(CLOCK_MONOTONIC, &c->welcomed);
	return 0;
}

/*
 * A RECORD received: parsed into *r (kind set). -1 with a message if it
 * does not parse: the peer broke the protocol.
 */
int record_received(struct conn *c, const struct frame *f, struct record *r)
{
	const char *why = "kind";

	if (f->len >= 1 && f->p[0] <= 3 &&
	    !record_parse(c->g, f->p + 1, f->len - 1, r, &why)) {
		r->kind = f->p[0];
		if (c->g->pki)
			pki_learn(c->g, r);
		return 0;
	}
	record_free(r);
	fprintf(stderr, "%s: the peer sent a RECORD that does not parse: %s\n",
		prog, why);
	return -1;
}

int solicit(struct conn *c, struct table *t, int timeout_ms)
{
	u8 s[17] = { };
	struct record r;
	struct frame f;
	int ret;

	if (conn_send(c, T_SOLICIT, s, sizeof(s)))
		return -1;
	for (;;) {
		ret = conn_recv(c, &f, timeout_ms);
		if (ret <= 0) {
			if (!ret)
				fprintf(stderr, "%s: no SYNC_END within %d ms\n",
					prog, timeout_ms);
			return -1;
		}
		if (f.type == T_SYNC_END && !f.len)
			break;
		if (f.type != T_RECORD) {
			vlog("during the stream: a %s", type_name(f.type));
			continue;
		}
		if (record_received(c, &f, &r))
			return -1;
		if (r.kind == 1)
			table_put(t, &r);
		else
			c->unsolicited++;
		record_free(&r);
	}
	table_sort(t);
	return 0;
}
