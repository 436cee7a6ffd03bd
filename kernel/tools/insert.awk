#
# insert.awk - one anchored, idempotent insertion into a C source file.
#
# Reads the file on stdin-or-argument and writes it, changed or not, to
# stdout.  Parameters come through the environment, because awk -v would
# interpret the backslashes of the regular expressions:
#
#	MT_FILE		the file's name, for messages only
#	MT_FUNC		function whose body is searched (its definition starts
#			with "NAME(" in column 0, style(9)); empty: whole file
#	MT_WHERE	"before" or "after" the anchor, or "instead" of it
#	MT_ANCHOR	one or more EREs, newline-separated, that must match
#			consecutive lines
#	MT_TEXT		lines to insert, newline-separated, taken literally
#	MT_NTH		which match to use when there are several; 0 means
#			the anchor must match exactly once
#
# If the text already stands right before/after the anchor (for "instead":
# the anchor is gone and the text stands in its place), the file is written
# unchanged.  Failures print one line on stderr and exit 2.
#

function die(msg)
{
	printf("%s: %s%s\n", ENVIRON["MT_FILE"], fname != "" ? fname "(): " : "",
	    msg) > "/dev/stderr"
	failed = 1
	exit 2
}

# Does the text stand on consecutive lines somewhere in lines from..to?
function text_stands(from, to,	i, k)
{
	for (i = from; i + ntext - 1 <= to; i++) {
		for (k = 1; k <= ntext; k++)
			if (line[i + k - 1] != text[k])
				break
		if (k > ntext)
			return 1
	}
	return 0
}

BEGIN {
	fname = ENVIRON["MT_FUNC"]
	where = ENVIRON["MT_WHERE"]
	nth = ENVIRON["MT_NTH"] + 0
	nanchor = split(ENVIRON["MT_ANCHOR"], anchor, "\n")
	ntext = split(ENVIRON["MT_TEXT"], text, "\n")
	if (where != "before" && where != "after" && where != "instead")
		die("bad MT_WHERE \"" where "\"")
	if (nanchor == 0 || ntext == 0)
		die("empty anchor or text")
}

{
	line[NR] = $0
}

END {
	if (failed)
		exit 2
	first = 1
	last = NR
	if (fname != "") {
		first = 0
		for (i = 1; i <= NR; i++) {
			if (index(line[i], fname "(") != 1)
				continue
			if (first != 0)
				die("defined more than once")
			first = i
		}
		if (first == 0)
			die("function not found")
		for (last = first; last <= NR && line[last] !~ /^}/; last++)
			;
	}

	nmatch = 0
	for (i = first; i + nanchor - 1 <= last; i++) {
		for (k = 1; k <= nanchor; k++)
			if (line[i + k - 1] !~ anchor[k])
				break
		if (k > nanchor)
			match_at[++nmatch] = i
	}
	shown = anchor[1] (nanchor > 1 ? " ..." : "")
	if (nmatch == 0 && where == "instead" && text_stands(first, last)) {
		for (i = 1; i <= NR; i++)
			print line[i]
		exit 0
	}
	if (nmatch == 0)
		die("no line matches \"" shown "\"")
	if (nth == 0 && nmatch > 1)
		die(nmatch " places match \"" shown "\"; the anchor must be unique")
	if (nth > nmatch)
		die("wanted match " nth " of \"" shown "\", found " nmatch)
	a = match_at[nth > 0 ? nth : 1]

	if (where == "instead") {
		for (i = 1; i <= NR; i++) {
			if (i == a)
				for (k = 1; k <= ntext; k++)
					print text[k]
			if (i < a || i >= a + nanchor)
				print line[i]
		}
		exit 0
	}

	# "at" is the line the text goes in front of.
	at = where == "after" ? a + nanchor : a
	from = where == "after" ? at : at - ntext
	present = from >= 1
	for (k = 1; present && k <= ntext; k++)
		if (line[from + k - 1] != text[k])
			present = 0

	for (i = 1; i <= NR; i++) {
		if (i == at && !present)
			for (k = 1; k <= ntext; k++)
				print text[k]
		print line[i]
	}
	if (at == NR + 1 && !present)
		for (k = 1; k <= ntext; k++)
			print text[k]
}
