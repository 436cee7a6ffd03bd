#
# tracepoints.awk - the mtrace_*() calls of instrumented C sources, one
# tab-separated line each:
#
#	file  line  function  kind  text  before
#
# file is the path given as the awk variable "path" (default: FILENAME);
# function is the enclosing function (its definition starts with "NAME(" in
# column 0, style(9)); kind is the macro without its "mtrace_" prefix
# (start, start_ether, start_proto, start_socket, start_chosen, enter,
# leave, func, data, data_proto, printf, static, dynamic, static_length,
# dynamic_length, end, and "location" for mtrace_(), "static" for
# mtrace()); a call continued on more lines counts as its first; text is the first string literal of the call as written in the
# source (empty when there is none); before names the function or macro
# that the first source line after the call (not blank, not another trace
# point) calls, or is empty: it says where the trace point stands when a
# function has several of one kind, without copying the source line.
#

function flush(callee,	i)
{
	for (i = 0; i < npending; i++)
		print pending[i] "\t" callee
	npending = 0
}

# The first name the line calls: "return ether_output_frame(ifp, m);",
# "(*vlan_input_p)(ifp, m);" and "ip_protox[ip->ip_p](&m, ...)" call
# ether_output_frame, vlan_input_p and ip_protox.  Keywords call nothing.
function callee(s)
{
	gsub(/\[[^]]*\]/, "", s)
	gsub(/\(\*/, "", s)
	while (match(s, /[A-Za-z_][A-Za-z0-9_]*\)?\(/)) {
		name = substr(s, RSTART, RLENGTH - 1)
		sub(/\)$/, "", name)
		if (name !~ /^(if|for|while|switch|return|sizeof)$/)
			return (name)
		s = substr(s, RSTART + RLENGTH)
	}
	return ("")
}

FNR == 1 {
	flush("")
	func_name = ""
	incall = 0
}

# The lines that continue a trace point's call, up to its ";".
incall {
	if ($0 ~ /;[ \t]*$/)
		incall = 0
	next
}

/^[A-Za-z_][A-Za-z0-9_]*\(/ {
	func_name = $0
	sub(/\(.*/, "", func_name)
}

match($0, /^[ \t]+mtrace(_[a-z_]*)?\(/) {
	call = substr($0, RSTART, RLENGTH - 1)
	sub(/^[ \t]+/, "", call)
	kind = call == "mtrace" ? "static" : call == "mtrace_" ? "location" : substr(call, 8)
	if (kind !~ /^(start|start_ether|start_proto|start_socket|start_chosen|enter|leave|func|location|data|data_proto|printf|static|dynamic|static_length|dynamic_length|end)$/)
		next
	incall = $0 !~ /;[ \t]*$/
	text = ""
	if (match($0, /"([^"\\]|\\.)*"/))
		text = substr($0, RSTART + 1, RLENGTH - 2)
	pending[npending++] = (path != "" ? path : FILENAME) "\t" FNR "\t" \
	    func_name "\t" kind "\t" text
	next
}

/[^ \t]/ {
	if (npending > 0)
		flush(callee($0))
}

END {
	flush("")
}
