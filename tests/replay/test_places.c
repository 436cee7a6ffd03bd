/*
 * The numbered trace points (TP_IP_INPUT_LEAVE_3, ...) are told apart only
 * by their place in the source: the replay states the call each one it
 * uses stands before, and the table from the instrumented tree must agree,
 * or a regenerated table would have shifted them silently.
 */
#include <glib.h>

#include "tp.h"

static void
test_numbered_trace_points_stand_where_the_replay_expects(void)
{
    g_assert_cmpint(tp_check_places(), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/numbered_trace_points_stand_where_the_replay_expects",
                    test_numbered_trace_points_stand_where_the_replay_expects);
    return g_test_run();
}
