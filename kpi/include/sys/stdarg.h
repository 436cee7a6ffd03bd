/* KPI stand-in: <sys/stdarg.h> of FreeBSD 15 is the compiler's <stdarg.h>. */
#include <stdarg.h>
