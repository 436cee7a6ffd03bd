#!/bin/sh
#
# fuzz.sh - run the kernel facility's fuzz harness (fuzz_facility.c) for a
# bounded time: on a copy of the checked-in corpus plus the inputs it makes
# up.  A sanitizer report, leak, model mismatch or timeout fails the run;
# the input that caused it is kept in ARTIFACT_DIR.
#
# usage: fuzz.sh FUZZER SECONDS ARTIFACT_DIR CORPUS_DIR [libFuzzer option...]
#        fuzz.sh --replay FUZZER FILE_OR_DIR...   run each input once
#	FUZZER "-" means the harness could not be built: skip (exit 77).
#	MBUF_TRACE_FUZZ_SECONDS, when set, replaces SECONDS: the suite's
#	runs are short, CI's (.ci/run) two minutes.
set -eu
here=$(dirname "$0")
replay=false
if [ "$1" = --replay ]; then
	replay=true
	shift
fi
fuzzer=$1
shift

if [ "$fuzzer" = - ]; then
	echo "fuzz.sh: SKIP: no clang with libFuzzer (apt-get install clang libclang-rt-14-dev)"
	exit 77
fi

export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# fuzz_concurrent.c: see tsan.supp.  Without report_signal_unsafe=0, the
# report of a failed check deadlocks in libFuzzer's crash handler.
export TSAN_OPTIONS="halt_on_error=1:report_signal_unsafe=0:suppressions=$here/tsan.supp"
# clang 14's sanitizers want address-space randomisation off (see
# ../sanitize/run.sh, which skips with 77 where that cannot be had).
run="sh $here/../sanitize/run.sh"

if $replay; then
	files=$(find "$@" -type f ! -name '.*' ! -name '*.md' | sort)
	if [ -z "$files" ]; then
		echo "fuzz.sh: no inputs to replay"
		exit 0
	fi
	# shellcheck disable=SC2086
	exec $run "$fuzzer" -error_exitcode=1 -timeout=10 $files
fi

seconds=${MBUF_TRACE_FUZZ_SECONDS:-$1} artifacts=$2 seeds=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# MBUF_TRACE_FUZZ_CORPUS: keep what the run finds there (tools/fuzz-long).
corpus=${MBUF_TRACE_FUZZ_CORPUS:-$tmp/corpus}
mkdir -p "$corpus" "$artifacts"
# A run that outlives its time by a minute hangs: a ThreadSanitizer report
# can deadlock libFuzzer's crash handler after printing itself.  Fail then.
$run timeout -s KILL $((seconds + 60)) "$fuzzer" -max_total_time="$seconds" -timeout=10 -error_exitcode=1 -timeout_exitcode=1 \
    -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$@" "$corpus" "$seeds"
