#
# tracepoints.awk - the mtrace_*() calls of instrumented C sources, one
# tab-separated line each:
#
#	file  line  function  kind  text  next
#
# file is the path given as the awk variable "path" (default: FILENAME);
# function is the enclosing function (its definition starts with "NAME(" in
# column 0, style(9)); kind is the macro without its "mtrace_" prefix
# (start, enter, leave, func, data, data_proto, printf, static, dynamic,
# static_length, dynamic_length, and "location" for mtrace_(), "static" for
# mtrace()); text is the first string literal of the call as written in the
# source (empty when there is none); next is the first source line after
# the call that is not blank and not another trace point, trimmed: it says
# where the trace point stands when a function has several of one kind.
#

function flush(nextline,	i)
{
	for (i = 0; i < npending; i++)
		print pending[i] "\t" nextline
	npending = 0
}

FNR == 1 {
	flush("")
	func_name = ""
}

/^[A-Za-z_][A-Za-z0-9_]*\(/ {
	func_name = $0
	sub(/\(.*/, "", func_name)
}

match($0, /^[ \t]+mtrace(_[a-z_]*)?\(/) {
	call = substr($0, RSTART, RLENGTH - 1)
	sub(/^[ \t]+/, "", call)
	kind = call == "mtrace" ? "static" : call == "mtrace_" ? "location" : substr(call, 8)
	if (kind !~ /^(start|enter|leave|func|location|data|data_proto|printf|static|dynamic|static_length|dynamic_length)$/)
		next
	text = ""
	if (match($0, /"([^"\\]|\\.)*"/))
		text = substr($0, RSTART + 1, RLENGTH - 2)
	pending[npending++] = (path != "" ? path : FILENAME) "\t" FNR "\t" \
	    func_name "\t" kind "\t" text
	next
}

/[^ \t]/ {
	if (npending > 0) {
		line = $0
		gsub(/^[ \t]+|[ \t]+$/, "", line)
		gsub(/\t/, " ", line)
		flush(line)
	}
}

END {
	flush("")
}
