/*
 * Stand-in for sysctl(9): the OIDs of the linker set, found by their
 * dotted names and served by their own handlers, like sysctl(8) does
 * through the kernel's request functions.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/counter.h>
#include <sys/epoch.h>
#include <sys/sysctl.h>

#include <errno.h>
#include <stdlib.h>

#include "kpi.h"

struct sysctl_oid sysctl__net = { NULL, "net", CTLTYPE_NODE | CTLFLAG_RW, NULL, 0,
                                  NULL, "N",   "Network, (see socket.h)" };

SET_DECLARE(sysctl_set, struct sysctl_oid);

static bool
oid_is(const struct sysctl_oid *oid, const char *name, size_t len)
{
    size_t plen = len;

    /* The last component of name is the oid's, the rest its parent's. */
    while (plen > 0 && name[plen - 1] != '.')
        plen--;
    if (strlen(oid->oid_name) != len - plen || strncmp(oid->oid_name, name + plen, len - plen) != 0)
        return false;
    if (oid->oid_parent == NULL)
        return plen == 0;
    return plen > 0 && oid_is(oid->oid_parent, name, plen - 1);
}

static struct sysctl_oid *
oid_find(const char *name)
{
    struct sysctl_oid **oidp;

    for (oidp = SET_BEGIN(sysctl_set); oidp < SET_LIMIT(sysctl_set); oidp++)
        if (oid_is(*oidp, name, strlen(name)))
            return *oidp;
    return NULL;
}

static int
req_old(struct sysctl_req *req, const void *p, size_t l)
{
    if (req->oldptr != NULL) {
        if (req->oldlen - req->oldidx < l)
            return ENOMEM;
        memcpy((char *)req->oldptr + req->oldidx, p, l);
    }
    req->oldidx += l;
    return 0;
}

static int
req_new(struct sysctl_req *req, void *p, size_t l)
{
    if (req->newptr == NULL)
        return 0;
    if (req->newlen - req->newidx < l)
        return EINVAL;
    memcpy(p, (const char *)req->newptr + req->newidx, l);
    req->newidx += l;
    return 0;
}

int
sysctl_handle_int(SYSCTL_HANDLER_ARGS)
{
    int tmpout, tmpin, error;

    tmpout = arg1 != NULL ? __atomic_load_n((int *)arg1, __ATOMIC_RELAXED) : (int)arg2;
    error = SYSCTL_OUT(req, &tmpout, sizeof(int));
    if (error != 0 || req->newptr == NULL)
        return error;
    if (arg1 == NULL)
        return EPERM;
    /*
     * The kernel copies the new value in place, while the stack reads it:
     * an aligned int is written in one store, as here, and readers that
     * need one value read it once (atomic_load_int()).
     */
    if ((error = SYSCTL_IN(req, &tmpin, sizeof(int))) == 0)
        __atomic_store_n((int *)arg1, tmpin, __ATOMIC_RELAXED);
    return error;
}

/* Reads the counter; any write zeroes it, as in the kernel. */
/* arg1 is a buffer of arg2 bytes holding a C string, as in FreeBSD. */
int
sysctl_handle_string(SYSCTL_HANDLER_ARGS)
{
    size_t len;
    int error;

    error = SYSCTL_OUT(req, arg1, strlen(arg1) + 1);
    if (error != 0 || req->newptr == NULL)
        return error;
    len = req->newlen - req->newidx;
    if (len >= (size_t)arg2)
        return EINVAL;
    error = SYSCTL_IN(req, arg1, len);
    ((char *)arg1)[len] = '\0';
    return error;
}

int
sysctl_handle_counter_u64(SYSCTL_HANDLER_ARGS)
{
    counter_u64_t c = *(counter_u64_t *)arg1;
    uint64_t out;
    int error;

    out = counter_u64_fetch(c);
    error = SYSCTL_OUT(req, &out, sizeof(out));
    if (error != 0 || req->newptr == NULL)
        return error;
    error = SYSCTL_IN(req, &out, sizeof(out));
    if (error == 0)
        counter_u64_zero(c);
    return error;
}

int
kpi_sysctl_get(const char *name, void *val, size_t *len)
{
    struct sysctl_oid *oid = oid_find(name);
    struct sysctl_req req = {
        .oldptr = val, .oldlen = *len, .oldfunc = req_old, .newfunc = req_new
    };
    int error;

    if (oid == NULL || (oid->oid_kind & CTLTYPE) == CTLTYPE_NODE)
        return ENOENT;
    error = oid->oid_handler(oid, oid->oid_arg1, oid->oid_arg2, &req);
    *len = req.oldidx;
    return error;
}

int
kpi_sysctl_set(const char *name, const void *val, size_t len)
{
    struct sysctl_oid *oid = oid_find(name);
    struct sysctl_req req = {
        .newptr = val, .newlen = len, .oldfunc = req_old, .newfunc = req_new
    };
    int depth = kpi_net_epoch_depth, error, i;

    if (oid == NULL || (oid->oid_kind & CTLTYPE) == CTLTYPE_NODE)
        return ENOENT;
    if ((oid->oid_kind & CTLFLAG_WR) == 0)
        return EPERM;
    for (i = 0; i < depth; i++)
        kpi_net_epoch_exit();
    error = oid->oid_handler(oid, oid->oid_arg1, oid->oid_arg2, &req);
    for (i = 0; i < depth; i++)
        kpi_net_epoch_enter();
    return error;
}

uint64_t
kpi_sysctl_u64(const char *name)
{
    uint64_t val;
    size_t len = sizeof(val);

    if (kpi_sysctl_get(name, &val, &len) != 0 || len != sizeof(val))
        kassert_panic("kpi_sysctl_u64: no 64-bit sysctl %s", name);
    return val;
}

unsigned int
kpi_sysctl_uint(const char *name)
{
    unsigned int val;
    size_t len = sizeof(val);

    if (kpi_sysctl_get(name, &val, &len) != 0 || len != sizeof(val))
        kassert_panic("kpi_sysctl_uint: no integer sysctl %s", name);
    return val;
}

int
kpi_sysctl_set_uint(const char *name, unsigned int val)
{
    if (oid_find(name) == NULL)
        kassert_panic("kpi_sysctl_set_uint: no sysctl %s", name);
    return kpi_sysctl_set(name, &val, sizeof(val));
}
