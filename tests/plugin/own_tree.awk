# own_tree.awk - reduce tshark -V text to what the mbuf_trace plugin owns,
# so that a golden file compares our tree exactly on every Wireshark
# release while the other dissectors' text may change between releases.
#
# - A subtree of another protocol (the frame, Ethernet, IP, TCP, ...) is
#   kept as its one summary line: that line still shows the plugin handed
#   the right bytes on, and its children are that dissector's business.
#   "Data (N bytes)" subtrees go entirely: whether a payload gets one
#   depends on the release.
# - Every other line is the plugin's, kept as it is, except for how
#   Wireshark formats long values: a "Packet:" byte field is cut to its
#   first 32 bytes (-T fields goldens have every byte), a label to 200
#   characters, and the truncation markers ("[truncated]", "[…]") are
#   unified.
#
# golden.sh applies it to both the expected file and tshark's output.

function indent(s) { match(s, /^ */); return RLENGTH }

function seconds(s,    w, closing, scale) {
    split(s, w, " ")
    closing = w[2] ~ /\]$/ ? "]" : ""
    scale = w[2] ~ /^nano/ ? 1e-9 : w[2] ~ /^micro/ ? 1e-6 : w[2] ~ /^milli/ ? 1e-3 : 1
    return sprintf("%.9f seconds", w[1] * scale) closing
}

BEGIN {
    # A header cut short has no ", Src: ..." in its summary line.
    foreign = "^(Frame [0-9]+: |Ethernet II, |Internet Protocol Version [46]($|, )|" \
              "Transmission Control Protocol($|, )|User Datagram Protocol($|, )|" \
              "Internet Control Message Protocol|Address Resolution Protocol|" \
              "Hypertext Transfer Protocol|\\[[0-9]+ Reassembled TCP Segments)"
    skip_below = -1
}

# Wireshark 4.4 and later follow a "Data (N bytes)" line with a blank line
# and a hex dump of the payload: dropped with the Data subtree.
/^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]  [0-9a-f][0-9a-f] / {
    blanks = 0
    next
}
/^$/ {
    blanks++
    next
}
{
    for (; blanks > 0; blanks--)
        tree_line("")
    tree_line($0)
}
END {
    for (; blanks > 0; blanks--)
        tree_line("")
}

function tree_line(line,    depth, text) {
    depth = indent(line)
    if (skip_below >= 0) {
        if (depth > skip_below)
            return
        skip_below = -1
    }
    text = substr(line, depth + 1)
    if (text ~ /^Data \([0-9]+ bytes?\)$/) {
        skip_below = depth
        return
    }
    if (text ~ foreign)
        skip_below = depth

    # 4.6: "Frame 1: Packet, 48 bytes on wire ...".
    if (text ~ /^Frame [0-9]+: Packet, /)
        sub(/: Packet, /, ": ", text)
    # 4.6 shows relative times in the largest fitting unit ("1.250
    # microseconds"), 4.0 in seconds with nanoseconds: back to seconds.
    if (match(text, /: [0-9.]+ (nano|micro|milli)?seconds?\]?$/))
        text = substr(text, 1, RSTART + 1) seconds(substr(text, RSTART + 2))
    sub(/^\[…\] /, "", text)
    sub(/ \[…\]: /, " [truncated]: ", text)
    if (text ~ /^Packet: [0-9a-f]+(…)?$/) {
        sub(/…$/, "", text)
        if (length(text) > 8 + 64)
            text = substr(text, 1, 8 + 64) "…"
    }
    if (length(text) > 200)
        text = substr(text, 1, 200)
    print substr(line, 1, depth) text
}
