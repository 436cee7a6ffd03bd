# The plugin's test list. Golden tests compare tshark's whole output with a
# reviewed file under expected/; filter tests name the frames a display
# filter must select. Capture contents: gen_captures.c.
#
# After a deliberate output change:
#   cmake --build build --target regenerate-plugin-golden
# rewrites expected/ from the current plugin; review every hunk of the git
# diff by eye before committing it.

# ---- What a person sees (-V trees, summary lines) ----
plugin_golden(trace_decodes_into_a_tree basic-V.txt basic -V -O mbuf_trace)
plugin_golden(every_record_type_decodes record_types-V.txt record_types -V -O mbuf_trace)
plugin_golden(malformed_input_is_flagged_and_decoding_continues malformed-V.txt malformed
              -V -O mbuf_trace)
plugin_golden(limits_and_odd_strings_decode edges-V.txt edges -V -O mbuf_trace)
plugin_golden(snapshots_are_dissected_in_their_own_subtrees snapshots-V.txt snapshots -V)
plugin_golden(info_column_leads_with_the_path basic-summary.txt basic)
plugin_golden(src_and_dst_come_from_the_first_snapshot snapshots-summary.txt snapshots)
plugin_golden(malformed_frames_still_get_a_summary malformed-summary.txt malformed)

# ---- Batch extraction ----
set(all_fields
    -e frame.number -e mbuf_trace.count -e mbuf_trace.path -e mbuf_trace.record.index
    -e mbuf_trace.record.type -e mbuf_trace.record.length -e mbuf_trace.string
    -e mbuf_trace.data -e mbuf_trace.file -e mbuf_trace.line -e mbuf_trace.func
    -e mbuf_trace.event -e mbuf_trace.packet -e mbuf_trace.ethertype -e mbuf_trace.time
    -e mbuf_trace.time_delta -e mbuf_trace.lost)
plugin_golden(tshark_fields_extracts_every_field basic-fields.txt basic
              -T fields -E header=y -E "aggregator=|" ${all_fields})
plugin_golden(tshark_fields_extracts_record_types record_types-fields.txt record_types
              -T fields -E header=y -E "aggregator=|" ${all_fields})
plugin_golden(tshark_json_extracts_every_field basic-json.txt basic -T json ${all_fields})

# ---- Expert info and statistics ----
plugin_golden(expert_info_covers_every_malformation malformed-expert.txt malformed -q -z expert)
plugin_golden(stats_tree_counts_types_functions_files_paths basic-stats.txt basic
              -q -z mbuf_trace,tree)
plugin_golden(stats_tree_counts_lost_and_unknown_records lost_unknown-stats.txt lost_unknown
              -q -z mbuf_trace,tree)

# ---- Registration ----
add_test(NAME plugin.exports_exactly_the_four_loader_symbols
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/exports.sh" "${plugin}")
set_tests_properties(plugin.exports_exactly_the_four_loader_symbols PROPERTIES LABELS plugin)
add_test(NAME plugin.every_field_is_registered
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/golden.sh" --grep "mbuf_trace"
            "${expected}/fields.txt" "${plugin}" - -G fields)
add_test(NAME plugin.user0_is_claimed_by_default
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/golden.sh" --grep "^wtap_encap.(45|48)\\b"
            "${expected}/decodes.txt" "${plugin}" - -G decodes)
set_tests_properties(plugin.every_field_is_registered plugin.user0_is_claimed_by_default
    PROPERTIES LABELS "plugin;golden")

# ---- Display filters on every field ----
plugin_filter(filter_on_protocol 1,2,3 basic "mbuf_trace")
plugin_filter(filter_on_count 2 basic "mbuf_trace.count == 5")
plugin_filter(filter_on_path_equality 3 basic
              "mbuf_trace.path == \"ether_input > arpintr > in_arpinput\"")
plugin_filter(filter_on_path_contains 1 basic "mbuf_trace.path contains \"tcp_input\"")
plugin_filter(filter_on_record_presence 2,3,4,5 edges "mbuf_trace.record")
plugin_filter(filter_on_record_index 1 basic "mbuf_trace.record.index == 14")
plugin_filter(filter_on_record_length 1 basic "mbuf_trace.record.length == 72")
plugin_filter(filter_on_record_type 1,2 basic "mbuf_trace.record.type == 3")
plugin_filter(filter_on_string 2 basic "mbuf_trace.string contains \"no socket\"")
plugin_filter(filter_on_string_after_a_nul 10 malformed "mbuf_trace.string contains \"\\\\0after\"")
plugin_filter(filter_on_data_as_lua_showed_it 10 malformed "mbuf_trace.data == \"before\"")
plugin_filter(filter_on_file 3 basic "mbuf_trace.file == \"sys/netinet/if_ether.c\"")
plugin_filter(filter_on_line 1 basic "mbuf_trace.line == 1402")
plugin_filter(filter_on_func 2 basic "mbuf_trace.func == \"udp_input\"")
plugin_filter(filter_on_event_location 1 basic "mbuf_trace.event == \"location\"")
plugin_filter(filter_on_event_leave 1,2 basic "mbuf_trace.event == \"leave\"")
plugin_filter(filter_on_event_mark 1,3 basic "mbuf_trace.event == \"mark\"")
plugin_filter(filter_on_packet 3 basic "mbuf_trace.packet contains 08:06:00:01")
plugin_filter(filter_on_ethertype 3 snapshots "mbuf_trace.ethertype == 0x86dd")
plugin_filter(filter_on_time 5 record_types "mbuf_trace.time == 1.000000123")
plugin_filter(filter_on_time_delta 1 basic "mbuf_trace.time_delta == 0.00000285")
plugin_filter(filter_on_lost 11 malformed "mbuf_trace.lost == 42")
plugin_filter(filter_on_snapshot_layer 2 snapshots "count(ip) == 3 && tcp.dstport#3 == 80")

# ---- Expert items, one filter each ----
plugin_filter(truncated_record_is_flagged 1,2,4,5,6 malformed "mbuf_trace.truncated")
plugin_filter(count_mismatch_is_flagged 3 malformed "mbuf_trace.count_mismatch")
plugin_filter(trailing_bytes_are_flagged 7,8 malformed "mbuf_trace.trailing")
plugin_filter(unknown_type_is_flagged 14 malformed "mbuf_trace.unknown_type")
plugin_filter(unknown_type_is_skipped_by_length 14 malformed
              "mbuf_trace.func == \"after\" && mbuf_trace.record.index == 3")
plugin_filter(bad_fixed_length_is_flagged 9 malformed "mbuf_trace.bad_length")
plugin_filter(zero_length_fixed_records_are_flagged 2 edges "mbuf_trace.bad_length")
plugin_filter(nul_inside_string_is_flagged 10 malformed "mbuf_trace.nul_in_string")
plugin_filter(lost_records_are_flagged 9,11 malformed "mbuf_trace.lost_records")
plugin_filter(unused_time_is_flagged 12 malformed "mbuf_trace.time_unused")
plugin_filter(exception_in_a_snapshot_is_contained 13 malformed
              "_ws.malformed && mbuf_trace.func == \"after_exception\"")
plugin_filter(well_formed_captures_have_no_expert_items none basic
              "mbuf_trace.truncated || mbuf_trace.count_mismatch || mbuf_trace.trailing || mbuf_trace.unknown_type || mbuf_trace.bad_length || mbuf_trace.nul_in_string || mbuf_trace.lost_records || mbuf_trace.time_unused || _ws.malformed || _ws.expert.severity >= warning")

# ---- Preferences ----
plugin_filter(claim_encap_off_leaves_user0_to_user_dlt 1,2,3 basic "user_dlt && !mbuf_trace"
              -o mbuf_trace.claim_encap:FALSE)
plugin_filter(user_dlts_table_can_select_mbuf_trace 1 basic
              "user_dlt && mbuf_trace.path contains \"tcp_input\""
              -o mbuf_trace.claim_encap:FALSE
              -o "uat:user_dlts:\"User 0 (DLT=147)\",\"mbuf_trace\",\"0\",\"\",\"0\",\"\"")
plugin_filter(user3_is_not_claimed_by_default none basic_user3 "mbuf_trace")
plugin_filter(dlt_user_pref_claims_another_linktype 1,2,3 basic_user3 "mbuf_trace && !user_dlt"
              -o mbuf_trace.dlt_user:3)
plugin_filter(released_user0_goes_back_to_user_dlt 1,2,3 basic "user_dlt && !mbuf_trace"
              -o mbuf_trace.dlt_user:3)
plugin_filter(repeated_snapshots_are_not_retransmissions none snapshots
              "tcp.analysis.flags")
plugin_filter(split_request_is_reassembled_once 5 snapshots "tcp.reassembled.length")
plugin_filter(analyze_snapshots_feeds_every_snapshot_to_tcp 2,3,4,5 snapshots
              "tcp.analysis.retransmission" -o mbuf_trace.analyze_snapshots:TRUE)

# ---- Compatibility with the Lua dissector it replaces ----
add_test(NAME plugin.shows_every_string_the_lua_dissector_showed
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/lua_compat.sh" "${plugin}"
            "${capture_dir}/compat.pcap" "${MBUF_TRACE_SHARED_DIR}/reference/mbuf_trace.lua")
set_tests_properties(plugin.shows_every_string_the_lua_dissector_showed
    PROPERTIES LABELS plugin SKIP_RETURN_CODE 77)

# ---- Packaging ----
add_test(NAME plugin.debian_package_holds_a_loadable_plugin
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/package.sh" "${PROJECT_BINARY_DIR}"
            "${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION}")
set_tests_properties(plugin.debian_package_holds_a_loadable_plugin PROPERTIES LABELS plugin)

# ---- The runner itself ----
add_test(NAME plugin.runner_fails_loudly_when_the_plugin_does_not_load
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/runner_refuses_bad_plugin.sh")
set_tests_properties(plugin.runner_fails_loudly_when_the_plugin_does_not_load
    PROPERTIES LABELS plugin)
