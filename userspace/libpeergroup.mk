# SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
#
# libpeergroup for other Makefiles. Set PG_O first if the library is built
# elsewhere than build/userspace (absolute path), then include this file:
#
#   include $(TOP)/userspace/libpeergroup.mk
#   CFLAGS += $(PG_LIB_CFLAGS)
#   LDLIBS += $(PG_LIB_LDLIBS)
#   mytest: mytest.c $(PG_LIB)
#   $(PG_LIB): FORCE
#   	$(MAKE) -C $(PG_USERSPACE) O=$(PG_O) lib
#
# It defines variables only (no rules), so it may be included anywhere.
#   PG_USERSPACE    this directory
#   PG_O            where the library is built
#   PG_LIB          the archive, $(PG_O)/libpeergroup.a
#   PG_LIB_CFLAGS   -I for <libpeergroup.h> and <linux/peergroup.h>, libnl
#   PG_LIB_LDLIBS   the archive, then libnl-genl-3, libnl-3, libxml2,
#                   libargon2 and libmd

PG_USERSPACE := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
PG_REPO := $(abspath $(PG_USERSPACE)/..)
PG_O ?= $(PG_REPO)/build/userspace
PG_LIB := $(PG_O)/libpeergroup.a
PG_NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0)
PG_NL_LIBS := $(shell pkg-config --libs libnl-genl-3.0)
# The XML forms of attributes and search queries are parsed with libxml2.
PG_XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0)
PG_XML_LIBS := $(shell pkg-config --libs libxml-2.0)
# The group key is derived from its password with Argon2id (libargon2),
# salted with the group id, whose authority is a SHA-256 (libmd: 50 KB,
# where libcrypto's loading made every start of the tool half as long again
# on the debug kernel).
PG_KDF_CFLAGS := $(shell pkg-config --cflags libargon2 libmd)
PG_KDF_LIBS := $(shell pkg-config --libs libargon2 libmd)
PG_LIB_CFLAGS := -I$(PG_USERSPACE)/lib -I$(PG_REPO)/uapi $(PG_NL_CFLAGS) \
		 $(PG_XML_CFLAGS) $(PG_KDF_CFLAGS)
PG_LIB_LDLIBS := $(PG_LIB) $(PG_NL_LIBS) $(PG_XML_LIBS) $(PG_KDF_LIBS)
