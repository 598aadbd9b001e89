// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * "cert FILE" of a certificate group: this node's certificate chain, as
 * PEM (decoded by pem.c) or DER, read within bounds and shaped as the
 * kernel takes it, DER certificates one after another. The kernel checks
 * the certificates themselves.
 */
#include <errno.h>
#include <stdlib.h>
#include "args.h"
#include "pem.h"
#include "peergroup.h"

/* A PEM chain of 24 large certificates fits, with room for comments. */
#define CERT_FILE_MAX (128 * 1024)

static int not_certs(const char *where, const char *file)
{
	return usage_error(where, "cert %s: neither PEM CERTIFICATE blocks nor DER certificates one after another",
			   file);
}

static int too_long(const char *where, const char *file)
{
	return usage_error(where, "cert %s: more than %d bytes of certificates (as DER), the most a group takes (EMSGSIZE)",
			   file, PG_CERTS_LEN_MAX);
}

/* The PEM text (len bytes) of file into DER: *der, *len, *n. */
static int from_pem(const char *where, const char *file, const char *text,
		    size_t text_len, uint8_t **der, size_t *len,
		    unsigned int *n)
{
	char why[256];
	int err;

	*der = malloc(PG_CERTS_LEN_MAX);
	if (!*der) {
		usage_error(where, "cert %s: out of memory", file);
		return EXIT_FAILED;
	}
	err = pem_certs(PEM_LIBCRYPTO, text, text_len, *der, PG_CERTS_LEN_MAX,
			len, n, why, sizeof(why));
	if (!err)
		return EXIT_OK;
	free(*der);
	*der = NULL;
	if (err == -EMSGSIZE)
		return too_long(where, file);
	usage_error(where, "cert %s: %s", file, why);
	return err == -EINVAL ? EXIT_USAGE : EXIT_FAILED;
}

int read_certs(const char *where, const char *file, uint8_t **der,
	       size_t *len)
{
	unsigned int n = 0, shaped;
	size_t text_len;
	char *text;
	int ret;

	*der = NULL;
	*len = 0;
	ret = tool_read(where, "cert", file, CERT_FILE_MAX,
			"the most a certificate file may be", &text, &text_len);
	if (ret)
		return ret;
	if (!text_len) {
		ret = usage_error(where, "cert %s: empty (expected this node's certificate chain)",
				  file);
	} else if (pem_blocks(text, text_len)) {
		ret = from_pem(where, file, text, text_len, der, len, &n);
	} else if (text_len > PG_CERTS_LEN_MAX) {
		ret = too_long(where, file);
	} else {
		*der = (uint8_t *)text;
		*len = text_len;
		text = NULL;
	}
	free(text);
	if (!ret && (der_certs(*der, *len, &shaped) || (n && shaped != n)))
		ret = not_certs(where, file);
	else if (!ret && shaped > PG_CERTS_MAX)
		ret = usage_error(where, "cert %s: %u certificates, more than the %d a chain may have",
				  file, shaped, PG_CERTS_MAX);
	if (ret) {
		free(*der);
		*der = NULL;
		*len = 0;
	}
	return ret;
}
