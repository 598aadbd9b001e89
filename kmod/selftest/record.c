// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel unit tests of the conflict rule and the canonical encoding
 * (DEBUG builds only), run at module load. Both decide what every peer
 * stores, so both must be exactly what Documentation/records.rst says
 * ("Conflict rule", "Canonical encoding"), byte for byte.
 */
#ifdef DEBUG

static const u8 selftest_id[PEERGROUP_GUID_LEN] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

static const u8 selftest_type[PEERGROUP_GUID_LEN] = {
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

/* A record of fields @f with the given conflict-rule fields. */
static struct pg_record *selftest_copy(u32 version, u64 created, u64 modified,
				       const char *modifier, const u8 *sec,
				       u32 sec_len)
{
	struct pg_record_fields f = {
		.id = selftest_id,
		.type = selftest_type,
		.version = version,
		.creator = "alice",
		.modifier = modifier,
		.created = created,
		.modified = modified,
		.expires = modified + 1000,
		.sec = sec,
		.sec_len = sec_len,
	};

	return pg_record_build(&f);
}

struct conflict_case {
	const char *what;
	u32 version;
	u64 modified;		/* created is 100 */
	const char *modifier;
	u8 sec[4];
	u32 sec_len;
};

/*
 * Each case wins over every case before it, by the first rule that
 * differs between them; and no copy wins over itself.
 */
static const struct conflict_case conflict_cases[] = {
	{ "version 1, never modified", 1, 100, "bob", { 1 }, 1 },
	{ "version 1, modified", 1, 101, "alice", { 1 }, 1 },
	{ "version 1, modified, larger modifier", 1, 101, "bob", { 1 }, 1 },
	{ "version 1, ..., later modification", 1, 102, "bob", { 1 }, 1 },
	{ "version 1, ..., longer security data", 1, 102, "bob", { 0, 0 }, 2 },
	{ "version 1, ..., greater security data", 1, 102, "bob", { 0, 1 }, 2 },
	{ "version 2, never modified", 2, 100, "alice", { 0 }, 1 },
	{ "version 3, never modified", 3, 100, "alice", { 0 }, 1 },
};

static bool conflict_selftest(void)
{
	struct pg_record *recs[ARRAY_SIZE(conflict_cases)] = { };
	bool ok = true;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(conflict_cases); i++) {
		const struct conflict_case *c = &conflict_cases[i];

		recs[i] = selftest_copy(c->version, 100, c->modified,
					c->modifier, c->sec, c->sec_len);
		if (!recs[i]) {
			pr_err("record selftest: out of memory\n");
			ok = false;
			goto out;
		}
	}
	for (i = 0; i < ARRAY_SIZE(conflict_cases); i++) {
		for (j = 0; j < ARRAY_SIZE(conflict_cases); j++) {
			bool want = i > j;

			if (pg_record_newer(recs[i], recs[j]) == want)
				continue;
			pr_err("record selftest: conflict rule: \"%s\" %s \"%s\"\n",
			       conflict_cases[i].what,
			       want ? "must win over" : "must not win over",
			       conflict_cases[j].what);
			ok = false;
		}
	}
out:
	for (i = 0; i < ARRAY_SIZE(conflict_cases); i++)
		pg_record_put(recs[i]);
	return ok;
}

/* The canonical encoding, collected. */
struct encode_buf {
	u8 bytes[256];
	unsigned int len;
};

static int encode_collect(void *ctx, const u8 *p, unsigned int len)
{
	struct encode_buf *buf = ctx;

	if (len > sizeof(buf->bytes) - buf->len)
		return -EMSGSIZE;
	memcpy(buf->bytes + buf->len, p, len);
	buf->len += len;
	return 0;
}

/* What Documentation/records.rst says the record below encodes to. */
static const u8 encode_expected[] = {
	'P', 'G', 'R', '1',
	0x00, 0x03, 'g', '.', 'x',			/* group id */
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,	/* record id */
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,	/* type */
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0x00, 0x00, 0x00, 0x02,				/* version */
	0x00, 0x00, 0x00, 0x01,				/* flags */
	0x00, 0x02, 'a', 'b',				/* creator */
	0x00, 0x02, 'c', 'd',				/* modifier */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* created */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x09,	/* modified */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a,	/* expires */
	0x00, 0x00, 0x00, 0x03,				/* attribute count */
	0x00, 0x01, 'a', 0x01,				/* "a": string "hi" */
	0x00, 0x00, 0x00, 0x02, 'h', 'i',
	0x00, 0x01, 'b', 0x02,				/* "b": int -2 */
	0x00, 0x00, 0x00, 0x08,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
	0x00, 0x01, 'c', 0x03,				/* "c": date */
	0x00, 0x00, 0x00, 0x08,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x03, 'x', 'y', 'z',		/* data */
};

static bool encode_selftest(void)
{
	/* Out of order on purpose: the encoding sorts them by name. */
	const struct pg_attr attrs[] = {
		{ .name = "c", .name_len = 1, .kind = PG_ATTR_DATE,
		  .date = 0x100 },
		{ .name = "a", .name_len = 1, .kind = PG_ATTR_STR, .len = 2,
		  .str = "hi" },
		{ .name = "b", .name_len = 1, .kind = PG_ATTR_INT, .i = -2 },
	};
	struct pg_record_fields f = {
		.id = selftest_id,
		.type = selftest_type,
		.version = 2,
		.flags = PEERGROUP_RECORD_F_AUTOREFRESH,
		.creator = "ab",
		.modifier = "cd",
		.created = 0x0102030405060708ULL,
		.modified = 0x0102030405060709ULL,
		.expires = 0x010203040506070aULL,
		.nattrs = ARRAY_SIZE(attrs),
		.attrs = attrs,
		.data_len = 3,
		.data = "xyz",
		.sec = "\x5e\xc0",
		.sec_len = 2,	/* not encoded */
	};
	struct encode_buf *buf;
	struct pg_group *grp;
	struct pg_record *rec;
	bool ok = false;
	int ret;

	grp = kzalloc(sizeof(*grp), GFP_KERNEL);
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	rec = pg_record_build(&f);
	if (!grp || !buf || !rec) {
		pr_err("record selftest: out of memory\n");
		goto out;
	}
	strscpy(grp->id, "g.x", sizeof(grp->id));
	ret = pg_record_encode(grp, rec, encode_collect, buf);
	if (ret) {
		pr_err("record selftest: encoding failed: %d\n", ret);
	} else if (buf->len != sizeof(encode_expected) ||
		   memcmp(buf->bytes, encode_expected, buf->len)) {
		pr_err("record selftest: encoding: %u bytes, expected %zu\n",
		       buf->len, sizeof(encode_expected));
		print_hex_dump(KERN_ERR, "got: ", DUMP_PREFIX_OFFSET, 16, 1,
			       buf->bytes, buf->len, false);
	} else {
		ok = true;
	}
out:
	pg_record_put(rec);
	kfree(buf);
	kfree(grp);
	return ok;
}

bool pg_record_selftest(void)
{
	bool ok = conflict_selftest();

	ok = encode_selftest() && ok;
	if (ok)
		pr_info("record selftest: pass\n");
	return ok;
}

#endif /* DEBUG */
