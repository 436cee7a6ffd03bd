#!/bin/sh
#
# filter_batch.sh - the frames each of many display filters selects in one
# capture, from one tshark run: a Lua tap listener per filter (the same
# display filter engine as -Y), each counting the frames it sees.
#
# usage: filter_batch.sh LIST RESULTS PLUGIN PCAP [tshark args...]
#	LIST	one line per filter: NAME, a tab, FILTER
#	RESULTS	written: one line per filter: NAME, a tab, the frame numbers
#		comma-separated or "none", or "ERROR: " and why the filter
#		could not be applied
#
# The filter tests (frames.sh --from RESULTS) read their line; a CTest
# fixture runs this once per capture and set of tshark arguments.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
list=$1 results=$2 plugin=$3 pcap=$4
shift 4

rm -f "$results"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The runner drops root to uid 65534 for tshark, which must read the script.
chmod 755 "$tmp"

tab=$(printf '\t')
{
	cat <<'EOF'
local order, frames, errors = {}, {}, {}
local function add(name, filter)
	order[#order + 1] = name
	local ok, listener = pcall(Listener.new, "frame", filter)
	if not ok then
		errors[name] = tostring(listener)
		return
	end
	local seen = {}
	frames[name] = seen
	function listener.packet(pinfo)
		seen[#seen + 1] = pinfo.number
	end
end
EOF
	while IFS=$tab read -r name filter; do
		case $name$filter in
		*']==]'*)
			echo "filter_batch.sh: cannot quote $name for Lua: $filter" >&2
			exit 1
			;;
		esac
		printf 'add([==[%s]==], [==[%s]==])\n' "$name" "$filter"
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
    "$@" <"$pcap" >"$tmp/out" || status=$?
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
