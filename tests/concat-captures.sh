#!/bin/sh
#
# concat-captures.sh OUT PCAP... - the captures one after the other in OUT
# (mergecap -a), so that tshark starts once for all of them; on stdout, for
# each capture in that order, its path, a tab and its frame count
# (capinfos), by which a caller cuts tshark's output back into captures.
set -eu
out=$1
shift
mergecap -a -w "$out" "$@"
capinfos -T -r -c "$@"
