#!/bin/sh
#
# run.sh COMMAND [ARG...] - run a sanitizer build's tests (ctest
# kernel.*_under_{asan_ubsan_lsan,tsan}).
#
# The sanitizers of clang before 18 cannot map their shadow memory when the
# kernel randomises mmap() with more than 28 bits (vm.mmap_rnd_bits = 32, as
# on Ubuntu 24.04 hosts): ThreadSanitizer stops with "unexpected memory
# mapping", AddressSanitizer loops on DEADLYSIGNAL.  So run the command
# without address-space randomisation (setarch -R) where that is allowed;
# where it is not and the randomisation is too strong, skip (77) and say so.
set -u

rnd_bits=$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 28)
if setarch "$(uname -m)" -R true 2>/dev/null; then
	exec setarch "$(uname -m)" -R "$@"
fi
if [ "$rnd_bits" -gt 28 ]; then
	echo "SKIPPED: vm.mmap_rnd_bits is $rnd_bits and setarch -R is not" \
	    "permitted here; sanitizers of clang < 18 cannot run like that"
	exit 77
fi
exec "$@"
