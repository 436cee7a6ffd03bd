#!/bin/sh
#
# filter_batch.sh - the frames each of many display filters selects in its
# capture, from one tshark run over all the captures: a Lua tap listener
# per filter (the same display filter engine as -Y), each counting the
# frames of its capture it sees.
#
# usage: filter_batch.sh LIST RESULTS PLUGIN [tshark args...]
#	LIST	one line per filter: NAME, a tab, CAPTURE, a tab, FILTER
#	RESULTS	written: one line per filter: NAME, a tab, the frame numbers
#		of its capture comma-separated or "none", or "ERROR: " and why
#		the filter could not be applied
#
# The captures are read one after the other (mergecap -a); each filter
# counts the frames of its own, numbered from 1 again.  Wireshark keeps
# state across the frames of a run (TCP analysis follows a conversation
# from one capture into the next): list captures together only when their
# filters do not depend on it (see tests/plugin/CMakeLists.txt).  The
# filter tests (frames.sh --from RESULTS) read their line; a CTest fixture
# runs this once per set of tshark arguments.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
list=$1 results=$2 plugin=$3
shift 3

rm -f "$results"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The runner drops root to uid 65534 for tshark, which must read the script.
chmod 755 "$tmp"

tab=$(printf '\t')
# The captures in the order LIST names them first, one after the other,
# and the frame each begins after.
cut -f2 "$list" | awk '!seen[$0]++' >"$tmp/captures"
# shellcheck disable=SC2046 # the capture paths, which have no blanks
sh "$here/../concat-captures.sh" "$tmp/all" $(cat "$tmp/captures") |
    awk -F '\t' -v OFS='\t' '{ print $1, at + 0, $2; at += $2 }' >"$tmp/starts"
{
	cat <<'EOF'
local order, frames, errors = {}, {}, {}
-- The frames from after + 1 to after + count are those of the filter's
-- capture, numbered from 1 again.
local function add(name, filter, after, count)
	order[#order + 1] = name
	local ok, listener = pcall(Listener.new, "frame", filter)
	if not ok then
		errors[name] = tostring(listener)
		return
	end
	local seen = {}
	frames[name] = seen
	function listener.packet(pinfo)
		local n = pinfo.number - after
		if n >= 1 and n <= count then
			seen[#seen + 1] = n
		end
	end
end
EOF
	while IFS=$tab read -r name capture filter; do
		case $name$filter in
		*']==]'*)
			echo "filter_batch.sh: cannot quote $name for Lua: $filter" >&2
			exit 1
			;;
		esac
		at=$(awk -F '\t' -v c="$capture" '$1 == c { print $2, $3 }' "$tmp/starts")
		printf 'add([==[%s]==], [==[%s]==], %s, %s)\n' "$name" "$filter" "${at% *}" "${at#* }"
	done <"$list"
	cat <<'EOF'
local printed = false
local last = Listener.new("frame", nil)
function last.draw()
	if printed then return end
	printed = true
	for _, name in ipairs(order) do
		if errors[name] then
			print(name .. "\tERROR: " .. errors[name]:gsub("[\r\n]+", " "))
		elseif #frames[name] == 0 then
			print(name .. "\tnone")
		else
			print(name .. "\t" .. table.concat(frames[name], ","))
		end
	end
end
EOF
} >"$tmp/filters.lua"
chmod 644 "$tmp/filters.lua"

status=0
"$here/../../tools/tshark-with-plugin" "$plugin" -r - -q -X "lua_script:$tmp/filters.lua" \
    "$@" <"$tmp/all" >"$tmp/out" || status=$?
if [ "$status" -ne 0 ]; then
	echo "filter_batch.sh: tshark-with-plugin exited $status" >&2
	exit 1
fi
# Every filter answered, in order, or the run proves nothing.
cut -f1 "$list" >"$tmp/want"
cut -f1 "$tmp/out" >"$tmp/got"
if ! cmp -s "$tmp/want" "$tmp/got"; then
	echo "filter_batch.sh: tshark did not answer for every filter; it printed:" >&2
	cat "$tmp/out" >&2
	exit 1
fi
mv "$tmp/out" "$results"
cat "$results"
