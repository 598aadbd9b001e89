// SPDX-License-Identifier: GPL-2.0
/*
 * The pki provider: certificate groups.
 *
 * Every member has an RSA key pair, its private key in the kernel keyring;
 * an administrator vouches for it with a certificate (cert.h) whose chain
 * ends at the group's root, the creator's self-signed certificate: the
 * group id is the hash of the root's public key, the creator its subject.
 * A certificate enters a group's store only with a chain that verifies to
 * the root, each link issued by an administrator (basicConstraints cA),
 * within its issuer's validity.
 *
 * A record's security data names its signer's certificate and carries the
 * signer's signature over the record's canonical encoding (records.rst,
 * the bytes psk authenticates):
 *
 *   u8 format (1) | 32 bytes: SHA-256 of the signer's certificate |
 *   be16 length | RSASSA-PKCS1-v1_5 SHA-256 signature
 *
 * The signer is the record's modifier. A receiver accepts the record when
 * the certificate is known and not revoked, its subject is the modifier,
 * [modified, expires] lies inside its validity, a modifier other than the
 * creator is an administrator, and the signature verifies; it defers a
 * record whose certificate it does not know yet.
 *
 * A connection proves membership with the same keys: each side sends its
 * chain and signs the handshake's transcript (protocol.rst):
 *
 *   be16 length | signature over SHA-256(role label | th) | the chain
 */
#include "change.h"
#include "der.h"
#include "group.h"
#include "peer.h"
#include "pernet.h"
#include "pki.h"
#include "record.h"
#include "security.h"
#include "sig.h"
#include "write.h"

#include <crypto/sha2.h>
#include <linux/key.h>
#include <linux/math64.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#define PKI_FORMAT		1
#define PKI_SEC_HDR		(1 + SHA256_DIGEST_SIZE + 2)
/* The most certificates a group's store holds. */
#define PKI_CERTS_MAX		4096

static int fp_cmp(const u8 *fp, const struct rb_node *node)
{
	return memcmp(fp, rb_entry(node, struct pki_cert, node)->c.fingerprint,
		      SHA256_DIGEST_SIZE);
}

static int fp_key_cmp(const void *key, const struct rb_node *node)
{
	return fp_cmp(key, node);
}

static int fp_node_cmp(struct rb_node *a, const struct rb_node *b)
{
	return fp_cmp(rb_entry(a, struct pki_cert, node)->c.fingerprint, b);
}

static struct pki_cert *cert_find(struct pki *pki, const u8 *fp)
{
	struct rb_node *node;

	lockdep_assert_held(&pki->lock);
	node = rb_find(fp, &pki->certs, fp_key_cmp);
	return node ? rb_entry(node, struct pki_cert, node) : NULL;
}

static int rv_key_cmp(const void *key, const struct rb_node *node)
{
	return memcmp(key, rb_entry(node, struct pki_revocation, node)->fp,
		      SHA256_DIGEST_SIZE);
}

static bool rv_less(struct rb_node *a, const struct rb_node *b)
{
	return rv_key_cmp(rb_entry(a, struct pki_revocation, node)->fp, b) < 0;
}

u64 pki_revoked_at(struct pki *pki, const u8 *fp)
{
	struct rb_node *node;

	lockdep_assert_held(&pki->lock);
	node = rb_find(fp, &pki->revocations, rv_key_cmp);
	return node ? rb_entry(node, struct pki_revocation, node)->at : 0;
}

struct pki_cert *pki_cert_new(const u8 *der, u32 len, const char **why)
{
	struct pki_cert *pc;

	pc = kmalloc(struct_size(pc, der, len), GFP_KERNEL_ACCOUNT);
	if (!pc) {
		*why = "out of memory for a certificate";
		return NULL;
	}
	memcpy(pc->der, der, len);
	pc->revoked = 0;
	if (pg_cert_parse(pc->der, len, &pc->c, why)) {
		kfree(pc);
		return NULL;
	}
	return pc;
}

/*
 * Whether @c may have been issued by @issuer: its signature verifies with
 * the issuer's key, the issuer is an administrator, and the validity of
 * @c lies inside the issuer's (no certificate outlives its issuer).
 */
const char *pki_issued_by(const struct pg_cert *c,
			  const struct pg_cert *issuer)
{
	if (strcmp(c->issuer, issuer->subject))
		return "certificates: one's issuer is not the subject of the next";
	if (!issuer->admin)
		return "certificates: an issuer is not an administrator (basicConstraints cA)";
	if (c->not_before < issuer->not_before ||
	    c->not_after > issuer->not_after)
		return "certificates: a validity is not inside its issuer's";
	if (pg_cert_verify(c, issuer))
		return "certificates: a signature does not verify with its issuer's key";
	return NULL;
}

static void chain_free(struct pki_chain *ch)
{
	while (ch->n)
		kfree(ch->c[--ch->n]);
}

/*
 * Reads the chain @der (certificates one after another, the first the
 * holder's, the root last) into @ch: each issued by the next, the last by
 * itself and, once the group has a root, that root. NULL, or why not.
 */
static const char *chain_read(struct pki *pki, const u8 *der, u32 len,
			      struct pki_chain *ch)
{
	struct pg_rd d = { .p = der, .left = len };
	const struct pg_cert *last;
	const char *why = NULL;
	unsigned int i;
	const u8 *start;

	ch->n = 0;
	ch->fresh = 0;
	while (d.left) {
		start = d.p;
		if (ch->n == PEERGROUP_CHAIN_MAX)
			return "certificates: a chain of more than 24";
		if (!pg_der_skip(&d))
			return "certificates: not DER certificates one after another";
		ch->c[ch->n] = pki_cert_new(start, d.p - start, &why);
		if (!ch->c[ch->n])
			return why;
		ch->n++;
	}
	if (!ch->n)
		return "certificates: none given";
	last = &ch->c[ch->n - 1]->c;
	if (pki->root &&
	    memcmp(last->fingerprint, pki->root->c.fingerprint,
		   SHA256_DIGEST_SIZE))
		return "certificates: the chain ends at another root than the group's";
	for (i = 0; !why && i + 1 < ch->n; i++)
		why = pki_issued_by(&ch->c[i]->c, &ch->c[i + 1]->c);
	/* The group's root was checked when the group was made. */
	if (!why && !pki->root && strcmp(last->issuer, last->subject))
		why = "certificates: the last is not self-signed; a chain ends at the group's root";
	if (!why && !pki->root)
		why = pki_issued_by(last, last);
	return why;
}

/*
 * Moves @ch's certificates into the store (those it has already are
 * freed): the holder's in *@holder, the root's in *@root.
 */
static const char *chain_store(struct pki *pki, struct pki_chain *ch,
			       const struct pki_cert **holder,
			       const struct pki_cert **root)
{
	u8 fp[SHA256_DIGEST_SIZE], root_fp[SHA256_DIGEST_SIZE];
	unsigned int i;

	lockdep_assert_held(&pki->lock);
	memcpy(fp, ch->c[0]->c.fingerprint, sizeof(fp));
	memcpy(root_fp, ch->c[ch->n - 1]->c.fingerprint, sizeof(root_fp));
	if (pki->ncerts + ch->n > PKI_CERTS_MAX)
		return "certificates: the group knows 4096 already";
	for (i = 0; i < ch->n; i++) {
		ch->c[i]->revoked = pki_revoked_at(pki, ch->c[i]->c.fingerprint);
		if (rb_find_add(&ch->c[i]->node, &pki->certs, fp_node_cmp)) {
			kfree(ch->c[i]);
		} else {
			pki->ncerts++;
			pki->gen++;
			ch->fresh |= BIT(i);
		}
	}
	ch->n = 0;
	*holder = cert_find(pki, fp);
	if (root)
		*root = cert_find(pki, root_fp);
	return NULL;
}

/* Whether @key signs what @pc's public key verifies: they are a pair. */
static int key_matches(struct key *key, u32 sig_len,
		       const struct pki_cert *pc)
{
	u8 digest[SHA256_DIGEST_SIZE];
	u8 *sig;
	int ret;

	if (sig_len * 8 != pc->c.key_bits)
		return -EKEYREJECTED;
	sig = kmalloc(sig_len, GFP_KERNEL);
	if (!sig)
		return -ENOMEM;
	get_random_bytes(digest, sizeof(digest));
	ret = pg_sig_sign(key, sig_len, digest, sig) ?:
	      pg_sig_verify(pc->c.rsa_key, pc->c.rsa_key_len, digest, sig,
			    sig_len);
	kfree(sig);
	return ret == -ENOMEM ? ret : ret ? -EKEYREJECTED : 0;
}

static void certs_free(struct pki *pki)
{
	struct pki_cert *pc, *next;

	struct pki_revocation *rv, *rv_next;

	rbtree_postorder_for_each_entry_safe(pc, next, &pki->certs, node)
		kfree(pc);
	pki->certs = RB_ROOT;
	pki->ncerts = 0;
	rbtree_postorder_for_each_entry_safe(rv, rv_next, &pki->revocations,
					     node)
		kfree(rv);
	pki->revocations = RB_ROOT;
	pki->nrevocations = 0;
}

static void pki_free_all(struct pki *pki)
{
	certs_free(pki);
	if (!IS_ERR_OR_NULL(pki->key))
		pg_sig_key_put(pki->key);
	kfree(pki->chain);
	kfree(pki);
}

/* The chain given: read, stored, and this node's certificate its first. */
static int init_chain(struct pki *pki, const struct pg_group *grp,
		      const struct pg_group_params *params,
		      struct pg_write_err *err)
{
	struct pki_chain ch;
	const char *why;

	why = chain_read(pki, params->certs, params->certs_len, &ch);
	if (!why && strcmp(ch.c[0]->c.subject, grp->identity))
		why = "certificates: the first one's subject is not this node's identity";
	if (!why && (ktime_get_real_seconds() < ch.c[0]->c.not_before ||
		     ktime_get_real_seconds() > ch.c[0]->c.not_after))
		why = "certificates: this node's certificate is not valid now";
	if (!why) {
		mutex_lock(&pki->lock);
		why = chain_store(pki, &ch, &pki->own, &pki->root);
		mutex_unlock(&pki->lock);
	}
	chain_free(&ch);
	if (why)
		return pg_write_fail(err, -EINVAL, PEERGROUP_A_GROUP_CERTS,
				     why);
	pki->chain = kmemdup(params->certs, params->certs_len,
			     GFP_KERNEL_ACCOUNT);
	if (!pki->chain)
		return pg_write_fail(err, -ENOMEM, 0,
				     "out of memory for the certificates");
	pki->chain_len = params->certs_len;
	return 0;
}

static int pki_init(struct pg_group *grp,
		    const struct pg_group_params *params,
		    struct pg_write_err *err)
{
	struct pki *pki;
	const char *why;
	int ret;

	if (!params->key_serial || !params->certs)
		return pg_write_fail(err, -EINVAL,
				     params->certs ? PEERGROUP_A_GROUP_KEY_SERIAL :
						     PEERGROUP_A_GROUP_CERTS,
				     "security pki: needs a key serial and certificates");
	pki = kzalloc(sizeof(*pki), GFP_KERNEL_ACCOUNT);
	if (!pki)
		return pg_write_fail(err, -ENOMEM, 0,
				     "out of memory for the group's certificates");
	mutex_init(&pki->lock);
	pki->certs = RB_ROOT;
	pki->revocations = RB_ROOT;
	pki->gen = 1;

	pki->key = pg_sig_key_get(params->key_serial, &pki->sig_len, &why);
	if (IS_ERR(pki->key)) {
		ret = pg_write_fail(err, PTR_ERR(pki->key),
				    PEERGROUP_A_GROUP_KEY_SERIAL, why);
		goto free;
	}
	ret = init_chain(pki, grp, params, err);
	if (ret)
		goto free;
	ret = key_matches(pki->key, pki->sig_len, pki->own);
	if (ret) {
		pg_write_fail(err, ret, PEERGROUP_A_GROUP_KEY_SERIAL,
			      ret == -ENOMEM ? "out of memory for a signature" :
			      "key: not the private key of the first certificate");
		goto free;
	}
	grp->sec_ctx = pki;
	return 0;

free:
	pki_free_all(pki);
	return ret;
}

static void pki_uninit(struct pg_group *grp)
{
	pki_free_all(grp->sec_ctx);
	grp->sec_ctx = NULL;
}

/*
 * The membership record's type (records.rst), {6d656d62-0000-0000-0000-
 * 000000000000}: "memb", then zeros, reserved to the module.
 */
static const u8 membership_type[PEERGROUP_GUID_LEN] = { 'm', 'e', 'm', 'b' };

/*
 * The revocation record's type, {7265766b-0000-0000-0000-000000000000}:
 * "revk", then zeros. Its data: the SHA-256 of the certificate revoked.
 */
static const u8 revocation_type[PEERGROUP_GUID_LEN] = { 'r', 'e', 'v', 'k' };

static bool is_revocation(const struct pg_record *rec)
{
	return !memcmp(rec->type, revocation_type, PEERGROUP_GUID_LEN);
}

static bool pki_owns_type(const u8 *type)
{
	return !memcmp(type, membership_type, PEERGROUP_GUID_LEN) ||
	       !memcmp(type, revocation_type, PEERGROUP_GUID_LEN);
}

/*
 * This node's membership record: its chain, for every peer to learn its
 * certificate; as long as the group's max lifetime allows, refreshed while
 * the group lives, never past the certificate's end (the validity rule
 * would refuse it). Written once the group is ready: a joiner knows the
 * creator's max lifetime then.
 */
static int pki_ready(struct pg_group *grp, struct pg_write_err *err)
{
	struct pki *pki = grp->sec_ctx;
	u64 now = pg_group_now(grp);
	struct pg_write_req req = {
		.type = membership_type,
		.flags = PEERGROUP_RECORD_F_AUTOREFRESH,
		.expires = min(now + (u64)READ_ONCE(grp->props.max_lifetime) *
				     NSEC_PER_SEC,
			       (u64)pki->own->c.not_after * NSEC_PER_SEC),
		.data = pki->chain,
		.data_len = pki->chain_len,
		.module = true,
	};

	return pg_write_add(grp, &req, NULL, err);
}

/*
 * An administrator revokes the certificate @fp (its SHA-256): a
 * revocation record, as long as the group's max lifetime allows, no
 * longer than the revoked certificate or this node's, refreshed.
 */
static int pki_revoke(struct pg_group *grp, const u8 *fp,
		      struct pg_write_err *err)
{
	struct pki *pki = grp->sec_ctx;
	u64 now = pg_group_now(grp);
	u64 end = (u64)pki->own->c.not_after * NSEC_PER_SEC;
	struct pg_write_req req = {
		.type = revocation_type,
		.flags = PEERGROUP_RECORD_F_AUTOREFRESH,
		.data = fp,
		.data_len = SHA256_DIGEST_SIZE,
		.module = true,
	};
	const struct pki_cert *pc;

	if (grp->role != PEERGROUP_ROLE_ADMIN)
		return pg_write_fail(err, -EACCES, 0,
				     "member revoke: only an administrator revokes a membership");
	mutex_lock(&pki->lock);
	pc = cert_find(pki, fp);
	if (pc)
		end = min(end, (u64)pc->c.not_after * NSEC_PER_SEC);
	mutex_unlock(&pki->lock);
	req.expires = min(now + (u64)READ_ONCE(grp->props.max_lifetime) *
				NSEC_PER_SEC, end);
	return pg_write_add(grp, &req, NULL, err);
}

static void pki_root(struct pg_group *grp, const char **creator,
		     const u8 **key, u32 *key_len, bool *admin)
{
	struct pki *pki = grp->sec_ctx;

	*creator = pki->root->c.subject;
	*key = pki->root->c.spki;
	*key_len = pki->root->c.spki_len;
	*admin = pki->own->c.admin;
}

static int digest_update(void *ctx, const u8 *p, unsigned int len)
{
	sha256_update(ctx, p, len);
	return 0;
}

/* SHA-256 of @rec's canonical encoding: what its signer signs. */
static int record_digest(struct pg_group *grp, const struct pg_record *rec,
			 u8 digest[SHA256_DIGEST_SIZE])
{
	struct sha256_state st;
	int ret;

	sha256_init(&st);
	ret = pg_record_encode(grp, rec, digest_update, &st);
	sha256_final(&st, digest);
	return ret;
}

/* Security data: this node's signature of @digest (format above). */
static int sign_digest(struct pki *pki, const u8 *digest, u8 **sec,
		       u32 *sec_len)
{
	u8 *out;
	int ret;

	out = kmalloc(PKI_SEC_HDR + pki->sig_len, GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	out[0] = PKI_FORMAT;
	memcpy(out + 1, pki->own->c.fingerprint, SHA256_DIGEST_SIZE);
	pg_put_be(out + 1 + SHA256_DIGEST_SIZE, pki->sig_len, 2);
	/* pg_sig_sign() copies both into memory 6.1's scatterlists take. */
	ret = pg_sig_sign(pki->key, pki->sig_len, digest, out + PKI_SEC_HDR);
	if (ret) {
		kfree(out);
		return ret;
	}
	*sec = out;
	*sec_len = PKI_SEC_HDR + pki->sig_len;
	return 0;
}

/* Security data read: the signer's fingerprint and signature, or false. */
static bool sec_read(const u8 *sec, u32 len, const u8 **fp, const u8 **sig,
		     u32 *sig_len)
{
	struct pg_rd r = { .p = sec, .left = len };

	if (pg_rd_be(&r, 1) != PKI_FORMAT)
		return false;
	*fp = pg_rd_bytes(&r, SHA256_DIGEST_SIZE);
	*sig_len = pg_rd_be(&r, 2);
	*sig = pg_rd_bytes(&r, *sig_len);
	return !r.bad && !r.left;
}

static int pki_secure(struct pg_group *grp, const struct pg_record *rec,
		      enum peergroup_change change, u8 **sec, u32 *sec_len)
{
	u8 digest[SHA256_DIGEST_SIZE];

	return record_digest(grp, rec, digest) ?:
	       sign_digest(grp->sec_ctx, digest, sec, sec_len);
}

static int pki_sign_props(struct pg_group *grp, const u8 *digest, u8 **sec,
			  u32 *len)
{
	return sign_digest(grp->sec_ctx, digest, sec, len);
}

/* The creator's properties are signed with the root's key. */
static int pki_verify_props(struct pg_group *grp, const u8 *digest,
			    const u8 *sec, u32 len, struct pg_write_err *err)
{
	struct pki *pki = grp->sec_ctx;
	const struct pg_cert *root = &pki->root->c;
	const u8 *fp, *sig;
	u32 sig_len;

	if (!sec_read(sec, len, &fp, &sig, &sig_len))
		return pg_write_fail(err, -EINVAL, 0,
				     "properties: not signed as a certificate group's");
	if (memcmp(fp, root->fingerprint, SHA256_DIGEST_SIZE) ||
	    pg_sig_verify(root->rsa_key, root->rsa_key_len, digest, sig,
			  sig_len))
		return pg_write_fail(err, -EACCES, 0,
				     "properties: not signed with the root certificate's key");
	return 0;
}

/* Whether @ns (peer time) lies inside @c's validity, in seconds. */
static bool within(const struct pg_cert *c, u64 ns)
{
	s64 s = div_u64(ns, NSEC_PER_SEC);

	return s >= c->not_before && s <= c->not_after;
}

/* The rules on @rec's signer, its certificate @c (under pki->lock). */
static int signer_check(const struct pg_record *rec,
			const struct pki_cert *pc, struct pg_write_err *err)
{
	const struct pg_cert *c = &pc->c;

	if (pc->revoked && rec->modified >= pc->revoked)
		return pg_write_fail(err, -EKEYREVOKED, PEERGROUP_RECORD_A_SECURITY,
				     "security data: signed with a certificate revoked before the record's modification");
	if (strcmp(c->subject, rec->modifier))
		return pg_write_fail(err, -EACCES, PEERGROUP_RECORD_A_MODIFIER,
				     "record modifier: not the subject of the certificate that signed the record");
	if (!within(c, rec->modified))
		return pg_write_fail(err, -EKEYEXPIRED, PEERGROUP_RECORD_A_MODIFIED,
				     "modification time: outside the validity of the signer's certificate");
	if (!within(c, rec->expires))
		return pg_write_fail(err, -EKEYEXPIRED, PEERGROUP_RECORD_A_EXPIRES,
				     "expiration: after the signer's certificate expires; a record may not outlive its writer's membership");
	if (strcmp(rec->modifier, rec->creator) && !c->admin)
		return pg_write_fail(err, -EACCES, PEERGROUP_RECORD_A_MODIFIER,
				     "record modifier: neither the record's creator nor an administrator");
	return 0;
}

void pki_member_fill(const struct pg_cert *c, struct pg_member *m)
{
	strscpy(m->identity, c->subject, sizeof(m->identity));
	strscpy(m->issuer, c->issuer, sizeof(m->issuer));
	m->role = c->admin ? PEERGROUP_ROLE_ADMIN : PEERGROUP_ROLE_MEMBER;
	m->revoked = false;
	m->own = false;
	m->not_before = c->not_before;
	m->not_after = c->not_after;
	memcpy(m->fingerprint, c->fingerprint, sizeof(m->fingerprint));
}

/* What the store says of @pc, a member. */
static void member_copy(struct pki *pki, const struct pki_cert *pc,
			struct pg_member *m)
{
	lockdep_assert_held(&pki->lock);
	pki_member_fill(&pc->c, m);
	m->revoked = pc->revoked;
	m->own = pc == pki->own;
}

/*
 * The certificates of @ch the store took (chain_store()), each a member
 * joined, told once pki->lock is let go: the subscribers may sleep. Kept
 * out of line: the member is a large copy on the stack.
 */
static noinline void members_joined(struct pg_group *grp,
				    const struct pki_chain *ch)
{
	struct pki *pki = grp->sec_ctx;
	unsigned long fresh = ch->fresh;
	struct pg_member m;
	unsigned int i;

	for_each_set_bit(i, &fresh, PEERGROUP_CHAIN_MAX) {
		mutex_lock(&pki->lock);
		member_copy(pki, ch->c[i], &m);
		mutex_unlock(&pki->lock);
		pg_change_member(grp, PEERGROUP_MEMBER_EVENT_JOINED, &m);
	}
}

/*
 * A membership record brings its member's chain: verified to the root and
 * stored, whatever becomes of the record (a chain to the root is the
 * group's say-so), before its signature is checked with it.
 */
static int membership_take(struct pg_group *grp, const struct pg_record *rec,
			   struct pg_write_err *err)
{
	struct pki *pki = grp->sec_ctx;
	const struct pki_cert *holder;
	struct pki_chain ch;
	const char *why;

	if (pg_record_deleted(rec))
		return 0;
	why = chain_read(pki, rec->data, rec->data_len, &ch);
	if (!why && strcmp(ch.c[0]->c.subject, rec->creator))
		why = "membership: its certificate's subject is not the record's creator";
	if (!why) {
		mutex_lock(&pki->lock);
		why = chain_store(pki, &ch, &holder, NULL);
		mutex_unlock(&pki->lock);
	}
	if (!why)
		members_joined(grp, &ch);
	chain_free(&ch);
	if (why)
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_DATA, why);
	return 0;
}

/*
 * A revocation, its signature and signer checked: an administrator's,
 * never of the root. Kept from then on (a tombstone of it, or its expiry,
 * revokes nothing back): the certificate's records modified from its
 * modification time on are refused, and so are its connections. The
 * revoked certificate's subject, if known, in @subject: its connections
 * are closed.
 */
static int revocation_take(struct pki *pki, const struct pg_record *rec,
			   const struct pki_cert *signer, bool *news,
			   struct pg_write_err *err)
{
	const u8 *fp = rec->data;
	struct pki_revocation *rv;
	struct pki_cert *pc;
	struct rb_node *node;

	lockdep_assert_held(&pki->lock);
	if (pg_record_deleted(rec))
		return 0;
	if (rec->data_len != SHA256_DIGEST_SIZE)
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_DATA,
				     "revocation: its data is the SHA-256 of the certificate it revokes, 32 bytes");
	if (!signer->c.admin)
		return pg_write_fail(err, -EACCES, PEERGROUP_RECORD_A_MODIFIER,
				     "revocation: only an administrator revokes a membership");
	if (!memcmp(fp, pki->root->c.fingerprint, SHA256_DIGEST_SIZE))
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_DATA,
				     "revocation: the root certificate is the group's; it cannot be revoked");
	node = rb_find(fp, &pki->revocations, rv_key_cmp);
	if (node) {
		rv = rb_entry(node, struct pki_revocation, node);
	} else {
		if (pki->nrevocations >= PKI_CERTS_MAX)
			return pg_write_fail(err, -ENOSPC, PEERGROUP_RECORD_A_DATA,
					     "revocation: the group knows 4096 already");
		rv = kmalloc(sizeof(*rv), GFP_KERNEL_ACCOUNT);
		if (!rv)
			return pg_write_fail(err, -ENOMEM, 0,
					     "out of memory for a revocation");
		memcpy(rv->fp, fp, SHA256_DIGEST_SIZE);
		rv->at = rec->modified;
		rb_add(&rv->node, &pki->revocations, rv_less);
		pki->nrevocations++;
	}
	/* Two revocations of one certificate: the earlier counts. */
	rv->at = min(rv->at, rec->modified);
	pc = cert_find(pki, fp);
	if (pc) {
		*news = !pc->revoked;
		if (pc->revoked != rv->at)
			pki->gen++;
		pc->revoked = rv->at;
	}
	return 0;
}

/*
 * A known certificate @fp newly revoked: its holder's connections closed,
 * the event told, once pki->lock is let go. Out of line: the member is a
 * large copy on the stack.
 */
static noinline void member_revoked(struct pg_group *grp, const u8 *fp)
{
	struct pki *pki = grp->sec_ctx;
	const struct pki_cert *pc;
	struct pg_member m;

	mutex_lock(&pki->lock);
	pc = cert_find(pki, fp);
	if (pc)
		member_copy(pki, pc, &m);
	mutex_unlock(&pki->lock);
	if (!pc)
		return;
	pg_neighbours_close_identity(grp, m.identity, PEERGROUP_REASON_AUTH,
				     -EKEYREVOKED);
	pg_change_member(grp, PEERGROUP_MEMBER_EVENT_REVOKED, &m);
}

static int pki_validate(struct pg_group *grp, const struct pg_record *rec,
			enum peergroup_change change, struct pg_write_err *err)
{
	struct pki *pki = grp->sec_ctx;
	u8 digest[SHA256_DIGEST_SIZE];
	bool news = false;
	const struct pki_cert *pc;
	const u8 *fp, *sig;
	u32 sig_len;
	int ret;

	if (!sec_read(rec->sec, rec->sec_len, &fp, &sig, &sig_len))
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_SECURITY,
				     "security data: not a certificate group's (format 1, the signer's certificate's SHA-256, the signature)");
	ret = record_digest(grp, rec, digest);
	if (ret)
		return pg_write_fail(err, ret, 0,
				     "security data: the record could not be encoded");

	if (!memcmp(rec->type, membership_type, PEERGROUP_GUID_LEN)) {
		ret = membership_take(grp, rec, err);
		if (ret)
			return ret;
	}
	mutex_lock(&pki->lock);
	pc = cert_find(pki, fp);
	if (!pc)
		ret = pg_write_fail(err, -EAGAIN, PEERGROUP_RECORD_A_SECURITY,
				    "security data: signed with a certificate this node does not know yet");
	else
		ret = signer_check(rec, pc, err);
	if (!ret &&
	    pg_sig_verify(pc->c.rsa_key, pc->c.rsa_key_len, digest, sig, sig_len))
		ret = pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_SECURITY,
				    "security data: the signature does not verify with the signer's certificate");
	if (!ret && is_revocation(rec))
		ret = revocation_take(pki, rec, pc, &news, err);
	mutex_unlock(&pki->lock);
	if (news)
		member_revoked(grp, rec->data);
	return ret;
}

static void pki_free(struct pg_group *grp, u8 *sec)
{
	kfree(sec);
}

static const char *const role_label[] = {
	[PG_AUTH_INITIATOR] = "pg1 initiator",
	[PG_AUTH_RESPONDER] = "pg1 responder",
};

/* SHA-256(role label | th): what a side's handshake signature covers. */
static void auth_digest(enum pg_auth_role role, const u8 *th,
			u8 digest[SHA256_DIGEST_SIZE])
{
	struct sha256_state st;

	sha256_init(&st);
	sha256_update(&st, role_label[role], strlen(role_label[role]));
	sha256_update(&st, th, SHA256_DIGEST_SIZE);
	sha256_final(&st, digest);
}

static int pki_prove(struct pg_group *grp, enum pg_auth_role role,
		     const u8 *th, u8 *proof, u32 *len)
{
	struct pki *pki = grp->sec_ctx;
	u8 digest[SHA256_DIGEST_SIZE];
	u8 *sig;
	int ret;

	sig = kmalloc(pki->sig_len, GFP_KERNEL);
	if (!sig)
		return -ENOMEM;
	auth_digest(role, th, digest);
	ret = pg_sig_sign(pki->key, pki->sig_len, digest, sig);
	if (!ret) {
		pg_put_be(proof, pki->sig_len, 2);
		memcpy(proof + 2, sig, pki->sig_len);
		memcpy(proof + 2 + pki->sig_len, pki->chain, pki->chain_len);
		*len = 2 + pki->sig_len + pki->chain_len;
	}
	kfree(sig);
	return ret;
}

/*
 * The peer's proof: its chain verifies to the root, names @peer, is valid
 * now and not revoked, and its key signed the transcript. Its
 * certificates join the store: the peer's records verify with them.
 */
static bool pki_verify(struct pg_group *grp, enum pg_auth_role role,
		       const char *peer, const u8 *th, const u8 *proof,
		       u32 len)
{
	struct pg_rd r = { .p = proof, .left = len };
	struct pki *pki = grp->sec_ctx;
	u8 digest[SHA256_DIGEST_SIZE];
	const struct pki_cert *holder;
	const struct pg_cert *c;
	struct pki_chain ch;
	const char *why;
	const u8 *sig;
	u32 sig_len;

	sig_len = pg_rd_be(&r, 2);
	sig = pg_rd_bytes(&r, sig_len);
	if (r.bad)
		return false;
	why = chain_read(pki, r.p, r.left, &ch);
	if (!why) {
		c = &ch.c[0]->c;
		auth_digest(role, th, digest);
		if (strcmp(c->subject, peer))
			why = "its certificate is not its identity's";
		else if (!within(c, pg_group_now(grp)))
			why = "its certificate is not valid now";
		else if (pg_sig_verify(c->rsa_key, c->rsa_key_len, digest, sig,
				       sig_len))
			why = "its signature of the handshake does not verify";
	}
	if (!why) {
		mutex_lock(&pki->lock);
		why = chain_store(pki, &ch, &holder, NULL);
		if (!why && holder->revoked)
			why = "its certificate is revoked";
		mutex_unlock(&pki->lock);
		members_joined(grp, &ch);
	}
	chain_free(&ch);
	if (why)
		net_info_ratelimited("netns %u: group %s: peer %s: %s\n",
				     grp->pn->net->ns.inum, grp->name, peer,
				     why);
	return !why;
}

/* The signed transcript binds the key exchange: no secret is added. */
static int pki_session_secret(struct pg_group *grp, u8 *out, u32 *len)
{
	*len = 0;
	return 0;
}

/* The first certificate of the store after the fingerprint @fp. */
static struct rb_node *cert_after(struct pki *pki, const u8 *fp)
{
	struct rb_node *node = pki->certs.rb_node, *after = NULL;

	lockdep_assert_held(&pki->lock);
	while (node) {
		if (fp_cmp(fp, node) < 0) {
			after = node;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return after;
}

static unsigned int pki_members(struct pg_group *grp, const u8 *after,
				struct pg_member *out, unsigned int n,
				u32 *gen)
{
	struct pki *pki = grp->sec_ctx;
	struct rb_node *node;
	unsigned int i = 0;

	mutex_lock(&pki->lock);
	*gen = pki->gen;
	for (node = after ? cert_after(pki, after) : rb_first(&pki->certs);
	     node && i < n; node = rb_next(node))
		member_copy(pki, rb_entry(node, struct pki_cert, node),
			    &out[i++]);
	mutex_unlock(&pki->lock);
	return i;
}

const struct pg_security_ops pg_pki_ops = {
	.name		= "pki",
	.kind		= PEERGROUP_SECURITY_PKI,
	.sec_len	= PKI_SEC_HDR + PG_SIG_MAX,
	.proof_max	= 2 + PG_SIG_MAX + PEERGROUP_CERTS_BYTES_MAX,
	.judges_roles	= true,
	.init		= pki_init,
	.ready		= pki_ready,
	.owns_type	= pki_owns_type,
	.revoke		= pki_revoke,
	.invite		= pki_invite,
	.uninit		= pki_uninit,
	.root		= pki_root,
	.secure		= pki_secure,
	.validate	= pki_validate,
	.free		= pki_free,
	.sign_props	= pki_sign_props,
	.verify_props	= pki_verify_props,
	.prove		= pki_prove,
	.verify		= pki_verify,
	.session_secret	= pki_session_secret,
	.members	= pki_members,
};
