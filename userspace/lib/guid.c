// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * GUIDs (record ids and types) as text: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx,
 * the 16 bytes in order, lowercase; braces and uppercase accepted on input.
 * This is also the form the kernel searches peerrecordid and peerrecordtype
 * in.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "internal.h"

/* After which byte a dash follows. */
static bool dash_after(int i)
{
	return i == 3 || i == 5 || i == 7 || i == 9;
}

void pg_guid_format(const uint8_t guid[PG_GUID_LEN], char out[PG_GUID_STR_LEN])
{
	static const char hex[] = "0123456789abcdef";
	char *p = out;
	int i;

	for (i = 0; i < PG_GUID_LEN; i++) {
		*p++ = hex[guid[i] >> 4];
		*p++ = hex[guid[i] & 0xf];
		if (dash_after(i))
			*p++ = '-';
	}
	*p = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pg_guid_parse(const char *s, uint8_t guid[PG_GUID_LEN])
{
	uint8_t v[PG_GUID_LEN];
	bool braced = *s == '{';
	int i, hi, lo;

	s += braced;
	for (i = 0; i < PG_GUID_LEN; i++) {
		hi = nibble(s[0]);
		lo = hi < 0 ? -1 : nibble(s[1]);
		if (lo < 0)
			return -EINVAL;
		v[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (dash_after(i) && *s++ != '-')
			return -EINVAL;
	}
	if (braced && *s++ != '}')
		return -EINVAL;
	if (*s)
		return -EINVAL;
	memcpy(guid, v, sizeof(v));
	return 0;
}
