/* Stand-in for ddb(4): "show" commands, with their output kept. */
#include <sys/param.h>
#include <sys/systm.h>

#include <ddb/ddb.h>

#include <stdlib.h>

#include "kpi.h"

SET_DECLARE(kpi_db_show_set, struct kpi_db_command);

static char *db_out;
static size_t db_len, db_size;

int
db_printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (db_len + (size_t)n + 1 > db_size) {
        db_size = 2 * (db_len + (size_t)n + 1);
        db_out = realloc(db_out, db_size);
        if (db_out == NULL)
            abort();
    }
    va_start(ap, fmt);
    vsnprintf(db_out + db_len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    db_len += (size_t)n;
    return n;
}

const char *
kpi_db_show(const char *cmd, const void *addr, bool have_addr)
{
    struct kpi_db_command **c;

    db_len = 0;
    db_printf("%s", "");
    for (c = SET_BEGIN(kpi_db_show_set); c < SET_LIMIT(kpi_db_show_set); c++) {
        if (strcmp((*c)->name, cmd) == 0) {
            (*c)->fcn((db_expr_t)(uintptr_t)addr, have_addr, -1, "");
            return db_out;
        }
    }
    db_printf("No such command\n");
    return db_out;
}
