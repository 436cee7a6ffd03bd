# integrate-lib.sh - the edits mbuf_trace-integrate makes to a FreeBSD tree.
#
# Sourced by mbuf_trace-integrate; the parts in integrate.d/ call these.
# Every edit goes to a staged copy of the file under $mt_stage; nothing in
# the tree changes until every part has succeeded, so a refusal leaves the
# tree as it was.  Every edit is idempotent: running the tool twice changes
# nothing the second time.
#
#	mt_install SRC DEST	copy project file SRC (relative to kernel/)
#				to DEST (relative to the tree)
#	mt_insert FILE FUNC before|after ANCHOR TEXT [NTH]
#				insert TEXT next to ANCHOR inside function
#				FUNC of FILE (see insert.awk); FUNC "" means
#				anywhere in the file
#	mt_replace FILE FUNC ANCHOR TEXT
#				replace the lines ANCHOR matches (once) by
#				TEXT; done already if ANCHOR is gone and
#				TEXT stands in FUNC
#	mt_insert_sorted FILE LIST LINE
#				insert LINE into the sorted list of lines
#				matching LIST (e.g. "^kern/" in sys/conf/files)
#	mt_fragment FILE FRAGMENT
#				put every line of project file FRAGMENT
#				(relative to kernel/; '#' comments and blank
#				lines skipped) into FILE, a sys/conf/files
#				style list, among the entries of its directory
#	mt_need FILE ERE WHY	refuse unless FILE has a line matching ERE
#	mt_include FILE		include <sys/mbuf_trace.h> after <sys/mbuf.h>
#	mt_fate FILE FUNC STATEMENT TEXT [NTH]
#				insert TEXT (lines without indentation) in
#				front of the statement of FUNC that the ERE
#				STATEMENT matches as a whole line (leading and
#				trailing blanks aside), indented like it;
#				refused in front of the body of an if, else,
#				for or while without braces
#	mt_skip FILE FUNC COUNTER WHY
#				no edit: a drop counter's site that gets no
#				fate record, and why (mbuf_trace-dropsites
#				reads these lines)
#
# ANCHOR and TEXT may span several lines (separated by newlines); TEXT is
# inserted literally, so it carries its own tabs.  $T is one tab.

T='	'

mt_fail()
{
	printf '%s: %s\n' "$mt_prog" "$*" >&2
	exit 2
}

# An edit that cannot be made is reported and counted, and the run goes on,
# so that one run names every place that differs from what the parts
# expect; mt_refuse_missed then refuses the whole change.
mt_missed()
{
	[ $# -eq 0 ] || printf '%s\n' "$*" >&2
	echo x >>"$mt_stage/.missed"
}

mt_refuse_missed()
{
	[ -s "$mt_stage/.missed" ] || return 0
	set -- $(wc -l <"$mt_stage/.missed")
	[ "$1" -eq 1 ] && set -- "1 edit" || set -- "$1 edits"
	mt_fail "$1 could not be made; refusing to change the tree"
}

# Make sure tree file $1 has a staged copy; later edits go to that copy.
mt_stage_file()
{
	[ -f "$mt_stage/$1" ] && return 0
	[ -f "$mt_tree/$1" ] || mt_fail "$mt_tree/$1: no such file (is this a FreeBSD 15 src tree?)"
	mkdir -p "$(dirname "$mt_stage/$1")"
	cp "$mt_tree/$1" "$mt_stage/$1"
	printf '%s\n' "$1" >>"$mt_stage/.touched"
}

mt_install()
{
	[ -f "$mt_kernel/$1" ] || mt_fail "$mt_kernel/$1: missing from this checkout"
	mkdir -p "$(dirname "$mt_stage/$2")"
	cp "$mt_kernel/$1" "$mt_stage/$2"
	grep -qxF "$2" "$mt_stage/.touched" 2>/dev/null ||
	    printf '%s\n' "$2" >>"$mt_stage/.touched"
}

mt_insert()
{
	mt_stage_file "$1"
	MT_FILE=$1 MT_FUNC=$2 MT_WHERE=$3 MT_ANCHOR=$4 MT_TEXT=$5 \
	    MT_NTH=${6:-0} awk -f "$mt_tools/insert.awk" "$mt_stage/$1" \
	    >"$mt_stage/$1.new" || { mt_missed; return 0; }
	mv "$mt_stage/$1.new" "$mt_stage/$1"
}

mt_include()
{
	mt_insert "$1" "" after '^#include <sys/mbuf\.h>$' '#include <sys/mbuf_trace.h>'
}

mt_fate()
{
	mt_stage_file "$1"
	MT_FILE=$1 MT_FUNC=$2 MT_WHERE=before MT_INDENT=1 \
	    MT_ANCHOR="^[ 	]*$3[ 	]*\$" MT_TEXT=$4 MT_NTH=${5:-0} \
	    awk -f "$mt_tools/insert.awk" "$mt_stage/$1" \
	    >"$mt_stage/$1.new" || { mt_missed; return 0; }
	mv "$mt_stage/$1.new" "$mt_stage/$1"
}

mt_skip()
{
	:
}

mt_replace()
{
	mt_insert "$1" "$2" replace "$3" "$4"
}

mt_insert_sorted()
{
	mt_insert "$1" "" sorted "$2" "$3"
}

mt_fragment()
{
	[ -f "$mt_kernel/$2" ] || mt_fail "$mt_kernel/$2: missing from this checkout"
	grep -v -e '^#' -e '^[[:space:]]*$' "$mt_kernel/$2" |
	while IFS= read -r mt_line; do
		mt_path=${mt_line%%[[:space:]]*}
		mt_insert_sorted "$1" "^${mt_path%/*}/" "$mt_line"
	done || exit 2
}

mt_need()
{
	mt_stage_file "$1"
	grep -Eq -- "$2" "$mt_stage/$1" ||
	    mt_missed "$1: $3 (no line matches \"$2\")"
}
