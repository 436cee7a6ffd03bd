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
#	MT_WHERE	"before" or "after" the anchor: insert the text there;
#			"replace": put the text in place of the anchor lines;
#			"sorted": insert the one-line text into the sorted
#			list of lines matching the anchor, by first field
#			(sys/conf/files style; continuation lines follow)
#	MT_ANCHOR	one or more EREs, newline-separated, that must match
#			consecutive lines ("sorted": one ERE naming the list)
#	MT_TEXT		lines to insert, newline-separated, taken literally
#	MT_NTH		"N/M": use the Nth of the M places that match, and
#			refuse unless exactly M match (a place added or
#			removed would shift the Nth); 0 means the anchor
#			must match exactly once
#	MT_INDENT	"1": each line of text gets the indentation of the
#			anchor's first line, and a text put before a
#			statement that is the body of an if, else, for or
#			while without braces is refused (it would change
#			what the condition governs)
#
# If the text already stands where it would go (for "replace": the anchor
# is gone and the text is there; for "sorted": the line is in the file),
# the file is written unchanged.  Failures print one line on stderr and
# exit 2.
#

function die(msg)
{
	printf("%s: %s%s\n", ENVIRON["MT_FILE"], fname != "" ? fname "(): " : "",
	    msg) > "/dev/stderr"
	failed = 1
	exit 2
}

# How many times the text stands in the searched range.
function count_text(	i, k, n)
{
	n = 0
	for (i = first; i + ntext - 1 <= last; i++) {
		for (k = 1; k <= ntext; k++)
			if (line[i + k - 1] != text[k])
				break
		if (k > ntext)
			n++
	}
	return (n)
}

function print_unchanged(	i)
{
	for (i = 1; i <= NR; i++)
		print line[i]
	exit 0
}

function first_field(s,	f)
{
	split(s, f, /[ \t]+/)
	return (f[1] != "" ? f[1] : f[2])
}

# Insert text[1] into the list of lines matching anchor[1], before the
# first entry whose first field sorts after the text's first field.
function sorted_insert(		i, key, at, lastent)
{
	if (ntext != 1 || nanchor != 1)
		die("\"sorted\" takes one anchor and one line of text")
	if (count_text() > 0)
		print_unchanged()
	key = first_field(text[1])
	at = 0
	lastent = 0
	for (i = first; i <= last; i++) {
		if (line[i] !~ anchor[1])
			continue
		if (first_field(line[i]) > key) {
			at = i
			break
		}
		lastent = i
	}
	if (at == 0) {
		if (lastent == 0)
			die("no line matches \"" anchor[1] "\"")
		# After the last entry and its continuation lines.
		for (at = lastent + 1; at <= NR && line[at] ~ /^[ \t]/; at++)
			;
	}
	for (i = 1; i <= NR; i++) {
		if (i == at)
			print text[1]
		print line[i]
	}
	if (at == NR + 1)
		print text[1]
	exit 0
}

BEGIN {
	fname = ENVIRON["MT_FUNC"]
	where = ENVIRON["MT_WHERE"]
	nth = ENVIRON["MT_NTH"] + 0
	of = ENVIRON["MT_NTH"]
	of = sub(/^[0-9]+\//, "", of) ? of + 0 : 0
	if (nth > 0 && of < nth)
		die("bad MT_NTH \"" ENVIRON["MT_NTH"] "\": want N/M, M >= N")
	nanchor = split(ENVIRON["MT_ANCHOR"], anchor, "\n")
	ntext = split(ENVIRON["MT_TEXT"], text, "\n")
	if (where != "before" && where != "after" && where != "replace" &&
	    where != "sorted")
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

	if (where == "sorted")
		sorted_insert()

	nmatch = 0
	for (i = first; i + nanchor - 1 <= last; i++) {
		for (k = 1; k <= nanchor; k++)
			if (line[i + k - 1] !~ anchor[k])
				break
		if (k > nanchor)
			match_at[++nmatch] = i
	}
	shown = anchor[1]
	for (k = 2; k <= nanchor; k++)
		shown = shown "\" then \"" anchor[k]
	if (nmatch == 0 && where == "replace" && count_text() == 1)
		print_unchanged()
	if (nmatch == 0)
		die((nanchor > 1 ? "no lines match \"" : "no line matches \"") shown "\"")
	if (nth == 0 && nmatch > 1)
		die(nmatch " places match \"" shown "\"; the anchor must be unique")
	if (nth > 0 && nmatch != of)
		die("wanted match " nth " of " of " places matching \"" shown \
		    "\", found " nmatch ": the code around it changed")
	a = match_at[nth > 0 ? nth : 1]

	if (ENVIRON["MT_INDENT"] == "1") {
		indent = line[a]
		sub(/[^ \t].*/, "", indent)
		for (k = 1; k <= ntext; k++)
			text[k] = indent text[k]
		for (i = a - 1; i >= 1 && line[i] ~ /^[ \t]*$/; i--)
			;
		prev = i >= 1 ? line[i] : ""
		sub(/[ \t]*(\/\*.*\*\/)?[ \t]*$/, "", prev)
		if (where == "before" && (prev ~ /\)$/ || prev ~ /^[ \t]*else$/))
			die("\"" line[a] "\" is the body of a statement without braces")
	}

	if (where == "replace") {
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
