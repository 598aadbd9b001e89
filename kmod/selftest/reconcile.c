// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel test of reconciliation's pure parts (DEBUG builds only), run at
 * module load: fingerprints against values computed outside the kernel
 * (Python's hashlib over protocol.rst's definition), the 128-bit sum's carry
 * and wrap; and the message checker over messages that protocol.rst allows
 * and ones it forbids.
 */
#ifdef DEBUG

struct rc_fp_case {
	const char *name;
	u8 d[2][PG_RECORD_DIGEST_LEN];
	unsigned int n;
	u8 fp[PG_RC_FP_LEN];
};

static const struct rc_fp_case rc_fp_cases[] = {
	{
		.name = "no records",
		.n = 0,
		.fp = { 0xde, 0x47, 0xc9, 0xb2, 0x7e, 0xb8, 0xd3, 0x00,
			0xdb, 0xb5, 0xf2, 0xc3, 0x53, 0xe6, 0x32, 0xc3 },
	},
	{
		.name = "the sum wraps at 2^128",
		.d = { { [0 ... 15] = 0xff }, { [15] = 0x01 } },
		.n = 2,
		.fp = { 0x31, 0x8b, 0x8f, 0x30, 0x81, 0x52, 0x53, 0xbc,
			0xae, 0x6e, 0xef, 0x8f, 0xf3, 0xdb, 0xd5, 0x2e },
	},
	{
		.name = "the low half carries",
		.d = { { [8 ... 15] = 0xff }, { [15] = 0x01 } },
		.n = 2,
		.fp = { 0x40, 0xda, 0xfa, 0x6f, 0x2b, 0x04, 0xd3, 0x87,
			0xbb, 0x92, 0x62, 0x00, 0x5d, 0x69, 0x7e, 0x1f },
	},
};

/* A message under construction: appends, and an id of one repeated byte. */
struct rc_msg {
	u8 b[40 * PG_RC_ITEM];
	u32 len;
};

static void rc_put(struct rc_msg *m, const void *p, u32 n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void rc_byte(struct rc_msg *m, u8 v)
{
	rc_put(m, &v, 1);
}

static void rc_id(struct rc_msg *m, u8 v)
{
	memset(m->b + m->len, 0, PG_RC_ID - 1);
	m->b[m->len + PG_RC_ID - 1] = v;
	m->len += PG_RC_ID;
}

/* A LIST of ids @first, @first + @step, ... (digests of zeros). */
static void rc_list(struct rc_msg *m, u8 mode, unsigned int n, u8 first,
		    int step)
{
	unsigned int i;

	rc_byte(m, mode);
	rc_byte(m, n);
	for (i = 0; i < n; i++) {
		rc_id(m, first + i * step);
		memset(m->b + m->len, 0, PG_RECORD_DIGEST_LEN);
		m->len += PG_RECORD_DIGEST_LEN;
	}
}

static bool rc_expect(const char *name, struct rc_msg *m, bool valid)
{
	if ((check_message(m->b, m->len) == 0) == valid)
		return true;
	pr_err("reconcile selftest: %s: %s\n", name,
	       valid ? "refused" : "accepted");
	return false;
}

static bool rc_check_messages(void)
{
	struct rc_msg *m;
	bool ok = true;

	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return false;
#define RC_MSG(flags) do { m->len = 0; rc_byte(m, flags); } while (0)
	RC_MSG(PG_RC_F_DONE);
	ok &= rc_expect("DONE", m, true);
	rc_byte(m, PG_RC_M_END);
	ok &= rc_expect("DONE with a range", m, false);
	RC_MSG(0x4);
	rc_byte(m, PG_RC_SKIP | PG_RC_M_END);
	ok &= rc_expect("an unknown flag", m, false);
	RC_MSG(PG_RC_F_START);
	ok &= rc_expect("no range", m, false);
	rc_byte(m, PG_RC_SKIP | PG_RC_M_END);
	ok &= rc_expect("START, one SKIP to the end", m, true);
	rc_byte(m, PG_RC_SKIP | PG_RC_M_END);
	ok &= rc_expect("a byte after the last range", m, false);
	RC_MSG(0);
	rc_byte(m, PG_RC_FP | PG_RC_M_END);
	ok &= rc_expect("a FINGERPRINT cut short", m, false);
	memset(m->b + m->len, 0xa5, PG_RC_FP_LEN);
	m->len += PG_RC_FP_LEN;
	ok &= rc_expect("a FINGERPRINT to the end", m, true);
	RC_MSG(0);
	rc_byte(m, PG_RC_SKIP);
	rc_id(m, 5);
	ok &= rc_expect("no range to the end", m, false);
	rc_list(m, PG_RC_LIST | PG_RC_M_END, 2, 5, 1);
	ok &= rc_expect("SKIP, then a LIST from its bound", m, true);
	RC_MSG(0);
	rc_byte(m, PG_RC_SKIP);
	rc_id(m, 5);
	rc_list(m, PG_RC_LIST | PG_RC_M_END, 1, 4, 1);
	ok &= rc_expect("a listed id below its range", m, false);
	RC_MSG(0);
	rc_list(m, PG_RC_LIST, 1, 5, 1);
	rc_id(m, 5);
	rc_byte(m, PG_RC_SKIP | PG_RC_M_END);
	ok &= rc_expect("a listed id at its range's bound", m, false);
	RC_MSG(0);
	rc_list(m, PG_RC_LIST | PG_RC_M_END, 2, 7, -1);
	ok &= rc_expect("listed ids out of order", m, false);
	RC_MSG(0);
	rc_list(m, PG_RC_LIST | PG_RC_M_END, PG_RC_LIST_MAX + 1, 1, 1);
	ok &= rc_expect("a LIST one over the limit", m, false);
	RC_MSG(0);
	rc_byte(m, PG_RC_SKIP);
	rc_id(m, 5);
	rc_byte(m, PG_RC_SKIP);
	rc_id(m, 5);
	rc_byte(m, PG_RC_SKIP | PG_RC_M_END);
	ok &= rc_expect("a bound that does not increase", m, false);
	RC_MSG(0);
	rc_byte(m, 4 | PG_RC_M_END);
	ok &= rc_expect("an unknown mode", m, false);
#undef RC_MSG
	kfree(m);
	return ok;
}

bool pg_recon_selftest(void)
{
	bool ok = true;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(rc_fp_cases); i++) {
		const struct rc_fp_case *c = &rc_fp_cases[i];
		struct pg_rc_acc acc = { };
		u8 fp[PG_RC_FP_LEN];

		for (j = 0; j < c->n; j++)
			acc_add(&acc, c->d[j]);
		acc_fingerprint(&acc, fp);
		if (memcmp(fp, c->fp, sizeof(fp))) {
			pr_err("reconcile selftest: fingerprint, %s: wrong\n",
			       c->name);
			ok = false;
		}
	}
	ok &= rc_check_messages();
	if (ok)
		pr_info("reconcile selftest: pass\n");
	return ok;
}

#endif /* DEBUG */
