# SPDX-License-Identifier: GPL-2.0
#
# peergroup: the top-level build. (Kbuild, not this file, describes the module
# to the kernel's build system.)
#
#   make              the module kmod/peergroup.ko and the tool build/userspace/peergroup
#   make check        install what is missing, build, run every test in the VM,
#                     on every lane (LANES="6.1 6.12 debug", or a subset;
#                     LANES=debug-scale: only the debug kernel's record_scale)
#   make demo         a narrated tour of what works, in the VM
#   make bench        peergroup against its anchors, in the VM on Debian's 6.1
#                     (table, build/bench/results.json and plots; about 20 min)
#   make vm-shell     an interactive shell in the test VM, module and tool at hand
#   make checkpatch   the kernel's style checker over kmod/ and uapi/
#   make deps         install the Debian packages the rest needs
#   make clean        remove everything built
#
# KVER selects the kernel to build against (default: the newest installed
# Debian 6.1 kernel); KDIR overrides its build directory.

TOP		:= $(CURDIR)
BUILD		:= $(TOP)/build
KVER		?= $(shell ls /lib/modules 2>/dev/null | grep -E '^6\.1\.[0-9]+-[0-9]+-amd64$$' | sort -V | tail -n 1)
KDIR		?= /lib/modules/$(KVER)/build
KSRC_TAR	?= /usr/src/linux-source-6.1.tar.xz
CHECKPATCH	:= $(BUILD)/cache/checkpatch/scripts/checkpatch.pl

KBUILD_ARGS	:= -C $(KDIR) W=1 KCFLAGS=-Werror

.PHONY: all module tool selftests check demo bench vm-shell \
	checkpatch deps clean kdir

all: module tool

kdir:
	@test -d "$(KDIR)" || { echo "peergroup: no kernel build directory '$(KDIR)'; run 'make deps' (or set KDIR)" >&2; exit 1; }

module: kdir
	$(MAKE) $(KBUILD_ARGS) M=$(TOP) modules

tool:
	$(MAKE) -C userspace O=$(BUILD)/userspace

selftests: tool
	$(MAKE) -C selftests install-ksft

deps:
	@scripts/deps

# The package set may change what KVER finds: build in a new make.
export LANES
check: deps
	@$(MAKE) --no-print-directory -j$(shell nproc) all selftests
	@scripts/check

# The demo's RSA keys, made here: under emulation each takes seconds.
DEMO_KEYS	:= $(BUILD)/demo-keys

$(DEMO_KEYS)/carol.p8: selftests/pki_certs.sh
	@mkdir -p $(DEMO_KEYS)
	@PKI=$(DEMO_KEYS) bash -c '. selftests/pki_certs.sh && key alice && key bob && key carol'

demo: deps
	@$(MAKE) --no-print-directory all $(DEMO_KEYS)/carol.p8
	@selftests/vm/run --timeout 900 -- bash $(TOP)/scripts/demo

# The stock 6.1 kernel only: never the debug one.
bench: LANES := 6.1
bench: deps
	@$(MAKE) --no-print-directory all
	@bench/run

vm-shell: deps
	@$(MAKE) --no-print-directory all
	@selftests/vm/run --shell

$(CHECKPATCH): $(KSRC_TAR)
	@mkdir -p $(BUILD)/cache/checkpatch
	@tar -C $(BUILD)/cache/checkpatch --strip-components=1 -xJf $(KSRC_TAR) \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	@touch $@

checkpatch: $(CHECKPATCH)
	@$(CHECKPATCH) --no-tree --strict --quiet --show-types -f \
		$(filter-out %.mod.c,$(wildcard kmod/*.[ch] kmod/selftest/*.[ch] selftests/vm/splat-test/*.[ch])) \
		uapi/linux/peergroup.h

clean:
	-@test -d "$(KDIR)" && $(MAKE) -s $(KBUILD_ARGS) M=$(TOP) clean
	-@test -d "$(KDIR)" && $(MAKE) -s $(KBUILD_ARGS) M=$(TOP)/selftests/vm/splat-test clean
	@find kmod selftests/vm/splat-test -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name 'modules.order' \
		-o -name 'Module.symvers' | xargs rm -f
	@rm -f .*.cmd .module-common.o modules.order Module.symvers
	@rm -rf $(BUILD)
