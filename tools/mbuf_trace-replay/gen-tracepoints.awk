#
# gen-tracepoints.awk - tracepoints.tsv (kernel/tools/mbuf_trace-tracepoints
# output) to C: an enum of trace points and, where TP_DEFINE_TABLE is
# defined, the table of their file, line, function, kind, text and the
# call they stand before.
#
# A trace point is named TP_<FUNCTION>_<KIND>, or TP_<FUNCTION>_<TEXT> when
# it has a text (printf conversions left out); a name that several trace
# points would share gets _1, _2, ... in the order of their lines.
#

function slug(s)
{
	gsub(/%[-#0-9. +]*[a-zA-Z]/, "", s)
	gsub(/[^A-Za-z0-9]+/, "_", s)
	gsub(/^_+|_+$/, "", s)
	return toupper(s)
}

function cstr(s)
{
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}

BEGIN {
	FS = "\t"
	n = 0
}

/^#/ {
	next
}

{
	file[n] = $1
	line[n] = $2
	fn[n] = $3
	kind[n] = $4
	text[n] = $5
	before[n] = $6
	base[n] = "TP_" toupper($3) "_" ($5 != "" ? slug($5) : toupper($4))
	uses[base[n]]++
	n++
}

END {
	print "/* Generated from tracepoints.tsv by gen-tracepoints.awk: do not edit. */"
	print "enum tp_id {"
	for (i = 0; i < n; i++) {
		name[i] = base[i]
		if (uses[base[i]] > 1)
			name[i] = name[i] "_" ++seen[base[i]]
		printf("    %s, /* %s:%s %s */\n", name[i], file[i], line[i],
		    text[i] != "" ? text[i] : kind[i])
	}
	print "    TP_COUNT"
	print "};"
	print ""
	print "#ifdef TP_DEFINE_TABLE"
	print "const struct tp tp_table[TP_COUNT] = {"
	for (i = 0; i < n; i++) {
		printf("    [%s] = { %s, %s, %s, TP_KIND_%s, %s, %s },\n", name[i],
		    cstr(file[i]), line[i], cstr(fn[i]), toupper(kind[i]),
		    text[i] != "" ? cstr(text[i]) : "NULL", cstr(before[i]))
	}
	print "};"
	print "#endif"
}
