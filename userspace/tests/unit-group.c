// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Certificate groups (security pki) offline: the GROUP_ADD request that
 * carries the key serial and the chain, the provider's name in replies and
 * output, and how the tool reads "cert FILE" (DER shape, PEM blocks).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include "../lib/internal.h"
#include "../peergroup/args.h"
#include "../peergroup/output.h"
#include "../peergroup/pem.h"
#include "unit.h"

/* Two certificates as far as their shape goes: SEQUENCEs of 3 and 0. */
static const uint8_t chain[] = { 0x30, 0x03, 1, 2, 3, 0x30, 0x00 };

/* The attributes of a request, with no policy: everything as sent. */
static void attrs_of(struct nl_msg *msg, struct nlattr **tb)
{
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, PEERGROUP_A_MAX, NULL), 0);
}

static void test_request(void)
{
	struct pg_handle h = { .family = 0x20 };
	struct pg_group_params p = {
		.name = "office",
		.identity = "bob",
		.security = PEERGROUP_SECURITY_PKI,
		.key_serial = 123456789,
		.certs = chain,
		.certs_len = sizeof(chain),
	};
	struct nlattr *tb[PEERGROUP_A_MAX + 1];
	uint8_t key[PEERGROUP_GROUP_KEY_LEN];
	struct nl_msg *msg;

	msg = pg_group_add_msg(&h, &p, key);
	CHECK_INT(msg != NULL, 1);
	if (!msg)
		return;
	CHECK_INT(genlmsg_hdr(nlmsg_hdr(msg))->cmd, PEERGROUP_CMD_GROUP_ADD);
	attrs_of(msg, tb);
	CHECK_STR(nla_get_string(tb[PEERGROUP_A_GROUP_NAME]), "office");
	CHECK_STR(nla_get_string(tb[PEERGROUP_A_IDENTITY]), "bob");
	CHECK_INT(nla_len(tb[PEERGROUP_A_GROUP_SECURITY]), 1);
	CHECK_INT(nla_get_u8(tb[PEERGROUP_A_GROUP_SECURITY]), PEERGROUP_SECURITY_PKI);
	CHECK_INT(nla_len(tb[PEERGROUP_A_GROUP_KEY_SERIAL]), 4);
	CHECK_INT(nla_get_s32(tb[PEERGROUP_A_GROUP_KEY_SERIAL]), 123456789);
	CHECK_INT(nla_len(tb[PEERGROUP_A_GROUP_CERTS]), sizeof(chain));
	CHECK_INT(memcmp(nla_data(tb[PEERGROUP_A_GROUP_CERTS]), chain,
			 sizeof(chain)), 0);
	CHECK_INT(!tb[PEERGROUP_A_GROUP_KEY] && !tb[PEERGROUP_A_GROUP_KDF_TIME] &&
		  !tb[PEERGROUP_A_GROUP_CREATOR] && !tb[PEERGROUP_A_GROUP_ID], 1);
	nlmsg_free(msg);

	/* Joined by its id: sent as given, for the kernel to compare. */
	p.group_id = "0123456789abcdef0123456789abcdef01234567.office";
	msg = pg_group_add_msg(&h, &p, key);
	attrs_of(msg, tb);
	CHECK_STR(nla_get_string(tb[PEERGROUP_A_GROUP_ID]), p.group_id);
	nlmsg_free(msg);

	/* A password has no place in a certificate group. */
	p.password = "secret";
	p.password_len = 6;
	CHECK_INT(pg_group_add_msg(&h, &p, key) == NULL, 1);
	CHECK_INT(h.last.err, -EINVAL);
	CHECK_STR(pg_errmsg(&h), "password: a certificate group (pki) has none: its members sign with their keys");

	/* psk, the default, sends none of pki's attributes. */
	p = (struct pg_group_params){ .name = "office", .identity = "bob" };
	msg = pg_group_add_msg(&h, &p, key);
	attrs_of(msg, tb);
	CHECK_INT(!tb[PEERGROUP_A_GROUP_SECURITY] &&
		  !tb[PEERGROUP_A_GROUP_KEY_SERIAL] &&
		  !tb[PEERGROUP_A_GROUP_CERTS], 1);
	nlmsg_free(msg);
}

/* A certificate group as the kernel reports it, parsed and printed. */
static void test_reply_and_output(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct pg_group_status s = { .role = PEERGROUP_ROLE_MEMBER };
	struct pg_group_info g;
	char out[1024];
	FILE *f;

	genlmsg_put(msg, 0, 7, 0x20, 0, 0, PEERGROUP_CMD_GROUP_GET,
		    PEERGROUP_GENL_VERSION);
	nla_put_string(msg, PEERGROUP_A_GROUP_NAME, "office");
	nla_put_u8(msg, PEERGROUP_A_GROUP_SECURITY, PEERGROUP_SECURITY_PKI);
	CHECK_INT(pg_group_parse(msg, &g), 0);
	CHECK_INT(g.security, PEERGROUP_SECURITY_PKI);
	nlmsg_free(msg);

	f = fmemopen(out, sizeof(out), "w");
	print_group(f, &g, true);
	fclose(f);
	CHECK_STR(strstr(out, ",\"key\""),
		  ",\"key\":\"certificate\",\"kdf\":{\"alg\":\"none\"}}\n");
	f = fmemopen(out, sizeof(out), "w");
	print_group(f, &g, false);
	fclose(f);
	CHECK_STR(strstr(out, "\tkey"), "\tkey certificate\n\tkdf none\n");

	s.info = g;
	s.security = g.security;
	f = fmemopen(out, sizeof(out), "w");
	print_group_status(f, &s, "", true);
	fclose(f);
	CHECK_INT(strstr(out, ",\"role\":\"member\",\"security\":\"pki\",") != NULL, 1);
	f = fmemopen(out, sizeof(out), "w");
	print_group_status(f, &s, "", false);
	fclose(f);
	CHECK_INT(strstr(out, "\trole member\n\tsecurity pki\n") != NULL, 1);
}

static void test_der_shape(void)
{
	static const uint8_t indefinite[] = { 0x30, 0x80, 0x00, 0x00 };
	static const uint8_t set[] = { 0x31, 0x00 };
	static const uint8_t overrun[] = { 0x30, 0x05, 1 };
	static const uint8_t trailing[] = { 0x30, 0x00, 0x00 };
	static const uint8_t five_bytes[] = { 0x30, 0x84, 0, 0, 0, 0 };
	uint8_t long_form[3 + 200] = { 0x30, 0x81, 200 };
	unsigned int n = 99;

	CHECK_INT(der_certs(chain, sizeof(chain), &n), 0);
	CHECK_INT(n, 2);
	CHECK_INT(der_certs(long_form, sizeof(long_form), &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(der_certs(long_form, sizeof(long_form) - 1, &n), -1);
	CHECK_INT(der_certs(chain, 0, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(der_certs(chain, 1, &n), -1);
	CHECK_INT(der_certs(indefinite, sizeof(indefinite), &n), -1);
	CHECK_INT(der_certs(set, sizeof(set), &n), -1);
	CHECK_INT(der_certs(overrun, sizeof(overrun), &n), -1);
	CHECK_INT(der_certs(trailing, sizeof(trailing), &n), -1);
	CHECK_INT(der_certs(five_bytes, sizeof(five_bytes), &n), -1);
	CHECK_INT(der_cert_len(chain, sizeof(chain)), 5);
	CHECK_INT(der_cert_len(chain + 5, 2), 2);
	CHECK_INT(der_cert_len(long_form, sizeof(long_form)), sizeof(long_form));
	CHECK_INT(der_cert_len(long_form, sizeof(long_form) - 1), 0);
	CHECK_INT(der_cert_len(set, sizeof(set)), 0);
	CHECK_INT(der_cert_len(chain, 0), 0);
}

/*
 * A PUBLIC KEY block read as one (a CERTIFICATE is not one); blocks written
 * by pem_write() read back as what two holds, want.
 */
static void test_pem_key_and_write(const char *two, const uint8_t *want,
				   size_t want_len)
{
	static const char pub[] = "-----BEGIN PUBLIC KEY-----\nMAEF\n-----END PUBLIC KEY-----\n";
	const size_t lens[] = { 2, 3 };
	uint8_t der[16];
	char why[256], *text = NULL;
	size_t len, text_len = 0;
	unsigned int n;
	FILE *f;

	CHECK_INT(pem_decode(PEM_LIBCRYPTO, "PUBLIC KEY", pub, strlen(pub), der,
			     sizeof(der), &len, &n, why, sizeof(why)), 0);
	CHECK_INT(len, 3);
	CHECK_INT(pem_decode(PEM_LIBCRYPTO, "PUBLIC KEY", two, strlen(two), der,
			     sizeof(der), &len, &n, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "block 1 is a \"CERTIFICATE\", not a PUBLIC KEY");

	f = open_memstream(&text, &text_len);
	if (!f)
		abort();
	CHECK_INT(pem_write(PEM_LIBCRYPTO, f, "CERTIFICATE", want, lens, 2, why,
			    sizeof(why)), 0);
	fclose(f);
	CHECK_INT(pem_certs(PEM_LIBCRYPTO, text, text_len, der, sizeof(der),
			    &len, &n, why, sizeof(why)), 0);
	CHECK_INT(n, 2);
	CHECK_INT(len, want_len);
	CHECK_INT(memcmp(der, want, want_len), 0);
	free(text);
	CHECK_INT(pem_write("libpeergroup-none.so.0", stdout, "CERTIFICATE",
			    want, lens, 2, why, sizeof(why)), -ENOENT);
	CHECK_STR(why, "PEM needs libpeergroup-none.so.0 (Debian package libssl3)");
}

/* Blocks of base64(1)'s "MAA=" (30 00) and "MAEF" (30 01 05). */
#define CERT(b64) "-----BEGIN CERTIFICATE-----\n" b64 "\n-----END CERTIFICATE-----\n"

static void test_pem(void)
{
	static const char two[] = "root of the office\n" CERT("MAA=") CERT("MAEF");
	static const char key[] = CERT("MAA=")
		"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
	static const char bad[] = "-----BEGIN CERTIFICATE-----\nMA!A\n";
	static const uint8_t want[] = { 0x30, 0x00, 0x30, 0x01, 0x05 };
	uint8_t der[16];
	unsigned int n;
	char why[256];
	size_t len;

	CHECK_INT(pem_blocks(two, strlen(two)), 2);
	CHECK_INT(pem_blocks("x-----BEGIN CERTIFICATE-----\n", 29), 0);
	CHECK_INT(pem_blocks((const char *)chain, sizeof(chain)), 0);

	CHECK_INT(pem_certs(PEM_LIBCRYPTO, two, strlen(two), der, sizeof(der),
			    &len, &n, why, sizeof(why)), 0);
	CHECK_INT(n, 2);
	CHECK_INT(len, sizeof(want));
	CHECK_INT(memcmp(der, want, sizeof(want)), 0);

	CHECK_INT(pem_certs(PEM_LIBCRYPTO, two, strlen(two), der, 4, &len, &n,
			    why, sizeof(why)), -EMSGSIZE);
	CHECK_INT(pem_certs(PEM_LIBCRYPTO, key, strlen(key), der, sizeof(der),
			    &len, &n, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "block 2 is a \"PRIVATE KEY\", not a CERTIFICATE");
	CHECK_INT(pem_certs(PEM_LIBCRYPTO, bad, strlen(bad), der, sizeof(der),
			    &len, &n, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "block 1 does not decode as PEM (its base64 or its END line)");
	CHECK_INT(pem_certs("libpeergroup-none.so.0", two, strlen(two), der,
			    sizeof(der), &len, &n, why, sizeof(why)), -ENOENT);
	CHECK_STR(why, "PEM needs libpeergroup-none.so.0 (Debian package libssl3); or give DER");
	test_pem_key_and_write(two, want, sizeof(want));
}

/* What the kernel's errors about them are called. */
static void test_names(void)
{
	CHECK_STR(pg_attr_name(PEERGROUP_A_GROUP_KEY_SERIAL), "key serial");
	CHECK_STR(pg_attr_name(PEERGROUP_A_GROUP_CERTS), "certificates");
	CHECK_STR(pg_attr_name(PEERGROUP_A_GROUP_SECURITY), "security");
	CHECK_STR(pg_errno_name(-ENOKEY), "ENOKEY");
	CHECK_STR(pg_errno_name(-EKEYREJECTED), "EKEYREJECTED");
}

void test_group(void)
{
	test_request();
	test_reply_and_output();
	test_der_shape();
	test_pem();
	test_names();
}
