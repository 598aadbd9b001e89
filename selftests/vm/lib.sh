# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by ./run and ./selftest-harness: which kernel the VM boots.

# The newest installed Debian 6.1 kernel image of the generic flavour.
vm_default_kernel() {
	local image
	image=$(printf '%s\n' /boot/vmlinuz-6.1.*-amd64 |
		grep -v -e '-rt-amd64$' -e '-cloud-amd64$' | sort -V | sed -n '$p')
	[[ -f $image ]] || return 1
	echo "$image"
}

# The release string of an x86 bzImage (what uname -r says once it runs),
# read from its setup header; nothing when the file is not a bzImage.
vm_kernel_release() {
	local image=$1 offset
	[[ $(dd if="$image" bs=1 skip=514 count=4 status=none 2>/dev/null) == HdrS ]] || return 0
	offset=$(od -An -tu2 -j 526 -N 2 "$image" | tr -d ' ')
	dd if="$image" bs=1 skip=$((offset + 512)) count=256 status=none |
		tr '\0' '\n' | sed -n '1s/ .*//p'
}

# The modules directory that goes with a kernel image, if it is installed.
vm_default_modules() {
	local release
	release=$(vm_kernel_release "$1")
	[[ -n $release && -f /lib/modules/$release/modules.dep ]] || return 1
	echo "/lib/modules/$release"
}

# The image to give qemu for a kernel image: an uncompressed vmlinux with a
# PVH entry point, extracted from the bzImage into CACHE, when the kernel
# has one (CONFIG_PVH): qemu then starts it directly, which skips the
# decompressor, seconds of work under TCG. Otherwise (or with
# VM_DIRECT_BOOT=0) the image itself.
vm_boot_image() {
	local image=$1 cache=$2
	# VM_DIRECT_BOOT=0 boots the image as given
	if [[ ${VM_DIRECT_BOOT:-1} == 0 ]]; then
		echo "$image"
		return
	fi
	if [[ ! -f $cache || $image -nt $cache ]] && ! vm_extract_vmlinux "$image" "$cache"; then
		echo "$image"
	else
		echo "$cache"
	fi
}

vm_extract_vmlinux() { # BZIMAGE VMLINUX
	local image=$1 cache=$2 setup_sects offset length magic tmp
	[[ $(dd if="$image" bs=1 skip=514 count=4 status=none 2>/dev/null) == HdrS ]] || return 1
	# the compressed kernel: payload_offset and payload_length in the
	# setup header, counted from the end of the setup sectors
	setup_sects=$(od -An -tu1 -j $((0x1f1)) -N 1 "$image" | tr -d ' ')
	((setup_sects)) || setup_sects=4
	offset=$(od -An -tu4 -j $((0x248)) -N 4 "$image" | tr -d ' ')
	length=$(od -An -tu4 -j $((0x24c)) -N 4 "$image" | tr -d ' ')
	offset=$(((setup_sects + 1) * 512 + offset))
	magic=$(od -An -tx1 -j "$offset" -N 4 "$image" | tr -d ' ')
	tmp=$(mktemp "$cache.XXXXXX") || return 1
	# xz and zstd payloads end in 4 bytes of size
	if case $magic in
		fd377a58) vm_payload "$image" "$offset" "$((length - 4))" | xz -dcq ;;
		28b52ffd) vm_payload "$image" "$offset" "$((length - 4))" | zstd -dcq ;;
		1f8b*) vm_payload "$image" "$offset" "$length" | gzip -dcq ;;
		*) false ;;
		esac >"$tmp" 2>/dev/null &&
		readelf -nW "$tmp" 2>/dev/null | grep -E 'Xen.*(0x00000012|PHYS32_ENTRY)' >/dev/null; then
		chmod 0644 "$tmp"
		mv -f "$tmp" "$cache"
	else
		rm -f "$tmp"
		return 1
	fi
}

vm_payload() { # FILE OFFSET LENGTH
	dd if="$1" iflag=skip_bytes,count_bytes skip="$2" count="$3" bs=1M status=none
}
