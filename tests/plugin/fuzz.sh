#!/bin/sh
#
# fuzz.sh - run the in-process fuzz harness for a bounded time, seeded with
# the generated test frames. A crash, sanitizer report or timeout
# fails the run; the input that caused it is kept in ARTIFACT_DIR.
#
# usage: fuzz.sh FUZZER SEED_DIR SECONDS ARTIFACT_DIR
#	FUZZER "-" means the harness could not be built: skip (exit 77).
set -eu
fuzzer=$1 seeds=$2 seconds=$3 artifacts=$4

if [ "$fuzzer" = - ]; then
	echo "fuzz.sh: SKIP: no clang with libFuzzer (apt-get install clang libclang-rt-14-dev)"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/corpus" "$tmp/home" "$tmp/config" "$artifacts"

# wmem "simple" allocates with plain malloc, so ASan sees pinfo->pool overruns.
# Leak detection is off: LeakSanitizer reports epan's one-time column setup
# (col_setup) as leaked, and the dissector allocates nothing outside the
# per-packet wmem pool, which epan frees after every frame.
env HOME="$tmp/home" WIRESHARK_CONFIG_DIR="$tmp/config" \
    WIRESHARK_DEBUG_WMEM_OVERRIDE=simple \
    ASAN_OPTIONS="abort_on_error=1:detect_leaks=0" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    "$fuzzer" -max_total_time="$seconds" -timeout=10 -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=4096 -detect_leaks=0 -max_len=70000 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$tmp/corpus" "$seeds"
