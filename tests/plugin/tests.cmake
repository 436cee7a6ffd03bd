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
# The Protocol column names what the packet is (its first snapshot's innermost
# protocol; mbuf_trace without one), Info leads with that packet's Info.
plugin_golden(protocol_column_names_the_packet record_types-columns.txt record_types
              -T fields -e frame.number -e _ws.col.Protocol -e _ws.col.Info)
plugin_golden(protocol_column_names_the_deployed_kernels_packets gen2-columns.txt gen2
              -T fields -e frame.number -e _ws.col.Protocol -e _ws.col.Info)

# ---- The deployed patch's captures: both generations (gen_captures.c
# writes their exact byte layout), strings of every form, cut snapshots ----
plugin_golden(generation_1_capture_decodes gen1-V.txt gen1 -V -O mbuf_trace)
plugin_golden(generation_2_capture_decodes gen2-V.txt gen2 -V -O mbuf_trace)
plugin_golden(rows_tell_what_the_packet_is_and_where_it_went gen2-summary.txt gen2)
plugin_golden(generation_1_rows_tell_the_same gen1-summary.txt gen1)
plugin_golden(every_string_form_decodes strings-V.txt strings -V -O mbuf_trace)
plugin_golden(cut_snapshots_decode_like_a_snaplen_cut_capture cut-V.txt cut -V)
plugin_golden(tshark_fields_extracts_locations_and_source_links strings-fields.txt strings
              -T fields -E header=y -E "aggregator=|" -e frame.number -e mbuf_trace.file
              -e mbuf_trace.line -e mbuf_trace.func -e mbuf_trace.arg -e mbuf_trace.event
              -e mbuf_trace.text -e mbuf_trace.source_url -e mbuf_trace.data
              -o "mbuf_trace.source_url_template:vscode://file/home/me/src/%f:%l")
plugin_golden(stats_tree_counts_generation_2_records_by_what_they_are gen2-stats.txt gen2
              -q -z mbuf_trace,tree)

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
add_test(NAME plugin.exports_exactly_the_loader_symbols_of_its_release
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/exports.sh" "${plugin}"
            "${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION}")
set_tests_properties(plugin.exports_exactly_the_loader_symbols_of_its_release
    PROPERTIES LABELS plugin)
add_test(NAME plugin.every_field_is_registered
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/golden.sh" --grep "mbuf_trace"
            "${expected}/fields.txt" "${plugin}" - -G fields)
add_test(NAME plugin.user0_is_claimed_by_default
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/golden.sh" --grep "^wtap_encap.(45|48)\\b"
            "${expected}/decodes.txt" "${plugin}" - -G decodes)
set_tests_properties(plugin.every_field_is_registered plugin.user0_is_claimed_by_default
    PROPERTIES LABELS "plugin;golden")
mbuf_trace_uses_checked_plugin(plugin.every_field_is_registered
    plugin.user0_is_claimed_by_default)

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
plugin_filter(filter_on_event_enter 1,2,3 basic "mbuf_trace.event == \"enter\"")
plugin_filter(filter_on_event_by_its_number 1,2 basic "mbuf_trace.event == 3")
plugin_filter(filter_on_packet 3 basic "mbuf_trace.packet contains 08:06:00:01")
plugin_filter(filter_on_ethertype 3 snapshots "mbuf_trace.ethertype == 0x86dd")
plugin_filter(filter_on_time 5 record_types "mbuf_trace.time == 1.000000123")
plugin_filter(filter_on_time_delta 1 basic "mbuf_trace.time_delta == 0.00000285")
plugin_filter(filter_on_lost 11 malformed "mbuf_trace.lost == 42")
plugin_filter(filter_on_snapshot_layer 2 snapshots "count(ip) == 3 && tcp.dstport#3 == 80")

# ---- Generations, strings, locations, links, cuts ----
plugin_filter(type_0_means_generation_2 1,2,3,4,5,6,7 gen2 "mbuf_trace.generation == 2")
plugin_filter(types_2_and_3_mean_generation_1 1,2,3,4,5,6,7,8 gen1 "mbuf_trace.generation == 1")
plugin_filter(type_1_strings_alone_are_generation_2 6 gen2
              "mbuf_trace.generation == 2 && all mbuf_trace.record.type == 1")
plugin_filter(type_1_packets_alone_are_generation_1 6,8 gen1
              "mbuf_trace.generation == 1 && all mbuf_trace.record.type == 1 && arp")
plugin_filter(generation_preference_forces_1 1,2,3,4,5,7 gen2 "mbuf_trace.unknown_type"
              -o mbuf_trace.generation:1)
plugin_filter(generation_preference_forces_2 1,2,3,4,5,7 gen1 "mbuf_trace.unknown_type"
              -o mbuf_trace.generation:2)
plugin_filter(deployed_generation_1_is_read_newest_first 1,2,3,4,5,7 gen1
              "mbuf_trace.newest_first == 1")
plugin_filter(our_frames_are_read_oldest_first none basic "mbuf_trace.newest_first == 1")
plugin_filter(each_record_shows_its_place_in_time 1,2,3,4,5,6 gen2
              "mbuf_trace.record.step == 1 && mbuf_trace.string contains \"if_transmit_default\"")
plugin_filter(path_is_oldest_first_in_generation_2 1,2,3,4,5 gen2
              "mbuf_trace.path == \"if_transmit_default > IFQ_HANDOFF_ADJ > IFQ_ENQUEUE > _IF_ENQUEUE > _IF_DEQUEUE > IFQ_DEQUEUE_NOLOCK > if_dequeue\"")
plugin_filter(path_is_oldest_first_in_generation_1 1,2,3,4,5 gen1
              "mbuf_trace.path == \"if_transmit_default > IFQ_HANDOFF_ADJ > IFQ_ENQUEUE > _IF_ENQUEUE > _IF_DEQUEUE > IFQ_DEQUEUE_NOLOCK > if_dequeue\"")
plugin_filter(path_names_a_function_only_its_leave_names 3 strings
              "mbuf_trace.path == \"only_left > outer > inner > outer > also_left\"")
plugin_filter(terminating_nul_is_not_part_of_the_string 1,2,3,4,5,6 gen2
              "mbuf_trace.string == \"/usr/src/sys/net/if.c:4784: if_dequeue(vtnet0)\"")
plugin_filter(terminating_nul_is_not_flagged none gen2 "mbuf_trace.nul_in_string")
plugin_filter(nul_before_the_terminator_is_flagged 4 strings "mbuf_trace.nul_in_string")
plugin_filter(data_keeps_the_lua_value_of_deployed_strings 1,2,3,4,5 gen1
              "mbuf_trace.data == \"/usr/src/sys/net/if.c:3980: if_transmit_default(vtnet0)\"")
plugin_filter(filter_on_arg 1,2,3,4,5,6 gen2 "mbuf_trace.arg == \"vtnet0\"")
plugin_filter(filter_on_arg_with_parentheses 1 strings "mbuf_trace.arg == \"m, (sizeof(struct ip))\"")
plugin_filter(filter_on_macro_name 1,2,3,4,5 gen1 "mbuf_trace.func == \"IFQ_DEQUEUE_NOLOCK\"")
plugin_filter(filter_on_text 2,5 strings "mbuf_trace.text contains \"drop\"")
plugin_filter(filter_on_text_after_a_location 7 gen2 "mbuf_trace.text == \"drop: bad checksum\"")
plugin_filter(text_that_only_looks_like_a_function_is_text 2 strings
              "mbuf_trace.text == \"f(a) (b)\" && !mbuf_trace.func")
plugin_filter(source_url_needs_a_template none gen2 "mbuf_trace.source_url")
plugin_filter(filter_on_source_url 1,2,3,4,5,6 gen2
              "mbuf_trace.source_url == \"https://cgit.freebsd.org/src/tree/sys/net/if.c?h=releng/15.1#n4784\""
              -o "mbuf_trace.source_url_template:https://cgit.freebsd.org/src/tree/%f?h=releng/15.1#n%l")
plugin_filter(filter_on_packet_length 1 cut "mbuf_trace.packet_length == 90")
plugin_filter(cut_snapshot_is_short_not_malformed 1,2 cut "_ws.short && !_ws.malformed && !(_ws.expert.severity >= warning)")
plugin_filter(cut_that_describes_no_snapshot_is_flagged 3 cut "mbuf_trace.cut_unused")
plugin_filter(deployed_snapshots_are_not_retransmissions none gen2 "tcp.analysis.flags")
plugin_filter(analyze_snapshots_feeds_every_deployed_snapshot 4,5 gen2
              "tcp.analysis.retransmission" -o mbuf_trace.analyze_snapshots:TRUE)
add_test(NAME plugin.stats_tree_counts_each_record_type_as_decoded
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/stats_records.sh" "${plugin}"
            "${capture_dir}/record_types.pcap" "${capture_dir}/basic.pcap"
            "${capture_dir}/fates.pcap" "${capture_dir}/lost_unknown.pcap"
            "${capture_dir}/cut.pcap" "${capture_dir}/snapshots.pcap")
set_tests_properties(plugin.stats_tree_counts_each_record_type_as_decoded PROPERTIES LABELS plugin)
mbuf_trace_uses_checked_plugin(plugin.stats_tree_counts_each_record_type_as_decoded)
add_test(NAME plugin.no_string_field_carries_invalid_utf8
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/utf8.sh" "${plugin}" "${capture_dir}/strings.pcap"
            "${capture_dir}/edges.pcap" "${capture_dir}/compat.pcap")
set_tests_properties(plugin.no_string_field_carries_invalid_utf8 PROPERTIES LABELS plugin)
mbuf_trace_uses_checked_plugin(plugin.no_string_field_carries_invalid_utf8)

# ---- What became of the packet: fates, drop reasons, free sites ----
plugin_golden(fates_and_free_sites_decode fates-V.txt fates -V -O mbuf_trace)
plugin_golden(info_column_tells_the_fate fates-summary.txt fates)
plugin_golden(drops_table_counts_reasons_by_free_site fates-drops.txt fates
              -q -z mbuf_trace,drops)
plugin_golden(drops_tree_counts_reasons_by_free_site fates-drops-tree.txt fates
              -q -z mbuf_trace_drops,tree)
plugin_golden(stats_tree_counts_fates fates-stats.txt fates -q -z mbuf_trace,tree)
plugin_golden(expert_info_names_each_drop fates-expert.txt fates -q -z expert)
# mbuf_trace.free.user is a boolean, which -T fields prints as 0/1 on 4.0
# and False/True from 4.4: a filter checks it (filter_on_free_user).
plugin_golden(tshark_fields_extracts_fates fates-fields.txt fates
              -T fields -E header=y -E "aggregator=|" -e frame.number -e mbuf_trace.fate
              -e mbuf_trace.fate.kind -e mbuf_trace.fate.reason -e mbuf_trace.fate.value
              -e mbuf_trace.fate.detail -e mbuf_trace.drop.reason -e mbuf_trace.drop.code
              -e mbuf_trace.drop.counter -e mbuf_trace.pf.rule -e mbuf_trace.pf.label
              -e mbuf_trace.free.pid -e mbuf_trace.free.thread
              -e mbuf_trace.free.site -e mbuf_trace.free.func)
plugin_filter(filter_on_fate_dropped 1,2,7 fates "mbuf_trace.fate == \"dropped\"")
plugin_filter(filter_on_fate_unknown 8,9 fates "mbuf_trace.fate == \"unknown\"")
plugin_filter(deployed_frames_tell_no_fate none gen1 "mbuf_trace.fate")
plugin_filter(filter_on_fate_kind 3,5 fates "mbuf_trace.fate.kind == \"delivered\"")
plugin_filter(filter_on_fate_reason 4 fates "mbuf_trace.fate.reason == 3")
plugin_filter(filter_on_fate_value 3 fates "mbuf_trace.fate.value == 17")
plugin_filter(filter_on_fate_detail 6 fates "mbuf_trace.fate.detail == \"vtnet0\"")
plugin_filter(filter_on_drop_reason 1 fates "mbuf_trace.drop.reason == \"PF_MATCH\"")
plugin_filter(drop_reasons_before_a_delivery_still_count 2,3 fates
              "mbuf_trace.drop.reason == \"PF_MEMORY\"")
plugin_filter(filter_on_drop_code 7 fates "mbuf_trace.drop.code == 65000")
plugin_filter(filter_on_drop_counter 2 fates "mbuf_trace.drop.counter == \"pf.state-mismatch\"")
plugin_filter(filter_on_pf_rule 1 fates "mbuf_trace.pf.rule == 2")
plugin_filter(filter_on_pf_label 1 fates "mbuf_trace.pf.label == \"block-telnet\"")
plugin_filter(filter_on_free_pid 6 fates "mbuf_trace.free.pid == 812")
plugin_filter(filter_on_free_user 6 fates "mbuf_trace.free.user == 1")
plugin_filter(filter_on_free_thread 6 fates "mbuf_trace.free.thread == \"ping\"")
plugin_filter(filter_on_free_site 3 fates "mbuf_trace.free.site contains \"udp_append\"")
plugin_filter(filter_on_free_func 1,2 fates "mbuf_trace.free.func == \"pf_test\"")
plugin_filter(each_drop_is_an_expert_item 1,2,3,7 fates "mbuf_trace.dropped")

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
mbuf_trace_uses_checked_plugin(plugin.shows_every_string_the_lua_dissector_showed)
# docs/format.md, "Version": the record deployed readers skip.
add_test(NAME plugin.lua_dissector_reads_versioned_frames_as_before
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/version_lua.sh" "${capture_dir}/version_none.pcap"
            "${capture_dir}/version.pcap" "${MBUF_TRACE_SHARED_DIR}/reference/mbuf_trace.lua")
set_tests_properties(plugin.lua_dissector_reads_versioned_frames_as_before
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

# ---- The field reference ----
add_test(NAME plugin.fields_md_names_every_field_expert_item_and_preference
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/docs_drift.sh" "${plugin}"
            "${PROJECT_SOURCE_DIR}/docs/fields.md")
set_tests_properties(plugin.fields_md_names_every_field_expert_item_and_preference
    PROPERTIES LABELS plugin)
mbuf_trace_uses_checked_plugin(plugin.fields_md_names_every_field_expert_item_and_preference)

# ---- The README's excerpt of ./dev.sh demo ----
add_test(NAME plugin.readme_quotes_what_the_demo_prints
    COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/readme_demo.sh" "${PROJECT_BINARY_DIR}")
set_tests_properties(plugin.readme_quotes_what_the_demo_prints PROPERTIES LABELS plugin)
mbuf_trace_uses_checked_plugin(plugin.readme_quotes_what_the_demo_prints)
