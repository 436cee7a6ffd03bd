#!/bin/sh
#
# fuzz.sh - run the in-process fuzz harness for a bounded time, seeded with
# the generated test frames. A crash, sanitizer report, leak or timeout
# fails the run; the input that caused it is kept in ARTIFACT_DIR.
#
# usage: fuzz.sh FUZZER SEED_DIR SECONDS ARTIFACT_DIR [libFuzzer option...]
#        fuzz.sh --replay FUZZER FILE_OR_DIR...   run each input once
#	FUZZER "-" means the harness could not be built: skip (exit 77).
#	MBUF_TRACE_FUZZ_SECONDS, when set, replaces SECONDS: the suite's
#	runs are short, CI's (.ci/run) two minutes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
replay=false
if [ "$1" = --replay ]; then
	replay=true
	shift
fi
fuzzer=$1

if [ "$fuzzer" = - ]; then
	echo "fuzz.sh: SKIP: no clang with libFuzzer (apt-get install clang libclang-rt-14-dev)"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/corpus" "$tmp/seeds" "$tmp/home" "$tmp/config"

# wmem "simple" allocates with plain malloc, so ASan sees pinfo->pool
# overruns, and LeakSanitizer what the plugin allocates outside the pools,
# which epan frees after every frame.  LeakSanitizer checks when the run
# ends (ASAN_OPTIONS detect_leaks=1), not after each input (libFuzzer's
# -detect_leaks=0): epan keeps data for the capture file, one per frame,
# so every input would look like a leak and cost a scan (10 inputs/s
# instead of 1000).  The harness exempts epan's one-time column setup,
# which LeakSanitizer reports as leaked, and only it.
export HOME="$tmp/home" WIRESHARK_CONFIG_DIR="$tmp/config" \
    WIRESHARK_DEBUG_WMEM_OVERRIDE=simple \
    ASAN_OPTIONS="abort_on_error=1:detect_leaks=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

if $replay; then
	shift
	files=$(find "$@" -type f ! -name '.*' ! -name '*.md' | sort)
	if [ -z "$files" ]; then
		echo "fuzz.sh: no inputs to replay"
		exit 0
	fi
	# shellcheck disable=SC2086
	exec "$fuzzer" -error_exitcode=1 -timeout=10 -detect_leaks=0 $files
fi

seeds=$2 seconds=${MBUF_TRACE_FUZZ_SECONDS:-$3} artifacts=$4
shift 4
# MBUF_TRACE_FUZZ_CORPUS: keep what the run finds there (tools/fuzz-long).
corpus=${MBUF_TRACE_FUZZ_CORPUS:-$tmp/corpus}
mkdir -p "$artifacts" "$corpus"
# An input is a configuration byte (fuzz_mbuf_trace.c: tree mode and
# preferences), then the frame: each seed frame behind four of them,
# GUI with defaults, a primed tree with analyze_snapshots and generation 2,
# no tree with a source prefix and generation 1, DLT_USER3 with a URL.
# The seeds are the capture generator's frames and fuzz-seeds/, frames the
# kernel facility emitted under its own fuzz harness (tests/kernel/fuzz,
# MTRACE_FUZZ_FRAMES) that reach dissector states the generator's do not.
# One process writes them all: a printf and a cat per seed file were 600
# process starts, 10 s of the test on a loaded machine.
perl -e 'my $dir = shift;
	for my $f (@ARGV) {
		next unless -f $f;
		open(my $in, "<:raw", $f) or die "$f: $!";
		my $frame = do { local $/; <$in> };
		(my $b = $f) =~ s|.*/||;
		for my $cfg (000, 045, 0112, 0223) {
			open(my $out, ">:raw", sprintf("%s/%s-%03o", $dir, $b, $cfg)) or die "$b: $!";
			print $out chr($cfg), $frame;
		}
	}' "$tmp/seeds" "$seeds"/* "$here"/fuzz-seeds/*
"$fuzzer" -max_total_time="$seconds" -timeout=10 -error_exitcode=1 -timeout_exitcode=1 \
    -rss_limit_mb=4096 -detect_leaks=0 -max_len=70000 -dict="$here/fuzz.dict" \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" "$corpus" "$tmp/seeds"
