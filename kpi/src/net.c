/*
 * Stand-ins for the interface layer: the IfAPI accessors, the interface
 * index with generation counts (ifnet_byindexgen()), the cloner KPI of
 * FreeBSD 15 and the driver side of bpf(4), whose listeners keep frames
 * and write pcap files.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/time.h>

#include <sys/epoch.h>

#include <net/bpf.h>
#include <net/if.h>
#include <net/if_clone.h>
#include <net/if_var.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "kpi.h"
#include "kpi_private.h"

/* tcpdump's default snapshot length: frames are never cut. */
#define KPI_BPF_SNAPLEN 262144

/* One lock for the index, the cloners and the listeners. */
static pthread_mutex_t net_mutex = PTHREAD_MUTEX_INITIALIZER;

__thread int kpi_net_epoch_depth;
static pthread_rwlock_t net_epoch_lock;
static pthread_once_t net_epoch_once = PTHREAD_ONCE_INIT;

static void
net_epoch_init(void)
{
    pthread_rwlockattr_t attr;

    /* Writer-preferring: a waiter is not starved by new sections. */
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&net_epoch_lock, &attr);
    pthread_rwlockattr_destroy(&attr);
}

void
kpi_epoch_enter(void)
{
    if (kpi_net_epoch_depth++ == 0) {
        pthread_once(&net_epoch_once, net_epoch_init);
        pthread_rwlock_rdlock(&net_epoch_lock);
    }
}

void
kpi_epoch_exit(void)
{
    if (--kpi_net_epoch_depth == 0)
        pthread_rwlock_unlock(&net_epoch_lock);
}

void
kpi_epoch_wait(void)
{
    KASSERT(kpi_net_epoch_depth == 0, ("NET_EPOCH_WAIT() in the net epoch"));
    pthread_once(&net_epoch_once, net_epoch_init);
    pthread_rwlock_wrlock(&net_epoch_lock);
    pthread_rwlock_unlock(&net_epoch_lock);
}

void
kpi_net_epoch_enter(void)
{
    struct epoch_tracker et;

    NET_EPOCH_ENTER(et);
}

void
kpi_net_epoch_exit(void)
{
    struct epoch_tracker et;

    KASSERT(kpi_net_epoch_depth > 0, ("kpi_net_epoch_exit: not in the net epoch"));
    NET_EPOCH_EXIT(et);
}

#define IFINDEX_MAX 64

static struct {
    struct ifnet *ife_ifnet;
    uint16_t ife_gencnt;
} ifindex_table[IFINDEX_MAX];

/*
 * As in FreeBSD 15's if.c, the index belongs to the ifnet from if_alloc()
 * to if_free(), not from attach to detach: if_free() gives the index its
 * next generation, so a handle (index, generation) finds nothing after it.
 */
if_t
if_alloc(unsigned char type)
{
    struct ifnet *ifp = calloc(1, sizeof(*ifp));
    uint16_t idx;

    if (ifp == NULL)
        abort();
    ifp->if_type = type;
    STAILQ_INIT(&ifp->if_groups);
    pthread_mutex_lock(&net_mutex);
    for (idx = 1; idx < IFINDEX_MAX && ifindex_table[idx].ife_ifnet != NULL; idx++)
        ;
    if (idx == IFINDEX_MAX)
        kassert_panic("if_alloc: interface index full");
    ifindex_table[idx].ife_ifnet = ifp;
    ifp->if_index = idx;
    ifp->if_idxgen = ifindex_table[idx].ife_gencnt;
    pthread_mutex_unlock(&net_mutex);
    return ifp;
}

void
if_initname(if_t ifp, const char *name, int unit)
{
    ifp->if_dname = name;
    ifp->if_dunit = unit;
    if (unit != IF_DUNIT_NONE)
        snprintf(ifp->if_xname, IFNAMSIZ, "%s%d", name, unit);
    else
        snprintf(ifp->if_xname, IFNAMSIZ, "%s", name);
}

void
if_attach(if_t ifp)
{
    pthread_mutex_lock(&net_mutex);
    KASSERT(!ifp->if_attached, ("if_attach: %s is attached", ifp->if_xname));
    ifp->if_attached = true;
    pthread_mutex_unlock(&net_mutex);
}

void
if_detach(if_t ifp)
{
    pthread_mutex_lock(&net_mutex);
    KASSERT(ifp->if_attached, ("if_detach: %s is not attached", ifp->if_xname));
    ifp->if_attached = false;
    pthread_mutex_unlock(&net_mutex);
}

void
if_free(if_t ifp)
{
    KASSERT(!ifp->if_attached, ("if_free: %s is attached", ifp->if_xname));
    pthread_mutex_lock(&net_mutex);
    KASSERT(ifindex_table[ifp->if_index].ife_ifnet == ifp,
            ("if_free: %s is not at its index", ifp->if_xname));
    ifindex_table[ifp->if_index].ife_ifnet = NULL;
    ifindex_table[ifp->if_index].ife_gencnt++;
    pthread_mutex_unlock(&net_mutex);
    while (!STAILQ_EMPTY(&ifp->if_groups))
        kpi_if_delgroup(ifp, STAILQ_FIRST(&ifp->if_groups)->ifgl_group->ifg_group);
    (free)(ifp);
}

/* "ifconfig NAME group GROUP", as if_addgroup() does it: EEXIST if it is. */
int
kpi_if_addgroup(struct ifnet *ifp, const char *group)
{
    struct ifg_list *ifgl;

    STAILQ_FOREACH(ifgl, &ifp->if_groups, ifgl_next)
    if (strcmp(ifgl->ifgl_group->ifg_group, group) == 0)
        return EEXIST;
    ifgl = calloc(1, sizeof(*ifgl));
    if (ifgl == NULL || (ifgl->ifgl_group = calloc(1, sizeof(*ifgl->ifgl_group))) == NULL)
        abort();
    snprintf(ifgl->ifgl_group->ifg_group, sizeof(ifgl->ifgl_group->ifg_group), "%s", group);
    STAILQ_INSERT_TAIL(&ifp->if_groups, ifgl, ifgl_next);
    return 0;
}

/* "ifconfig NAME -group GROUP": ENOENT if it is not a member. */
int
kpi_if_delgroup(struct ifnet *ifp, const char *group)
{
    struct ifg_list *ifgl;

    STAILQ_FOREACH(ifgl, &ifp->if_groups, ifgl_next)
    if (strcmp(ifgl->ifgl_group->ifg_group, group) == 0)
        break;
    if (ifgl == NULL)
        return ENOENT;
    STAILQ_REMOVE(&ifp->if_groups, ifgl, ifg_list, ifgl_next);
    (free)(ifgl->ifgl_group);
    (free)(ifgl);
    return 0;
}

if_t
ifnet_byindexgen(uint16_t idx, uint16_t gen)
{
    struct ifnet *ifp = NULL;

    pthread_mutex_lock(&net_mutex);
    if (idx < IFINDEX_MAX && ifindex_table[idx].ife_gencnt == gen)
        ifp = ifindex_table[idx].ife_ifnet;
    pthread_mutex_unlock(&net_mutex);
    return ifp;
}

struct ifnet *
kpi_ifunit(const char *ifname)
{
    struct ifnet *ifp = NULL;
    int i;

    pthread_mutex_lock(&net_mutex);
    for (i = 1; i < IFINDEX_MAX && ifp == NULL; i++)
        if (ifindex_table[i].ife_ifnet != NULL && ifindex_table[i].ife_ifnet->if_attached &&
            strcmp(ifindex_table[i].ife_ifnet->if_xname, ifname) == 0)
            ifp = ifindex_table[i].ife_ifnet;
    pthread_mutex_unlock(&net_mutex);
    return ifp;
}

int
if_getindex(const if_t ifp)
{
    return ifp->if_index;
}

const char *
if_name(if_t ifp)
{
    return ifp->if_xname;
}

int
if_setsoftc(if_t ifp, void *softc)
{
    ifp->if_softc = softc;
    return 0;
}

void *
if_getsoftc(if_t ifp)
{
    return ifp->if_softc;
}

int
if_getidxgen(const if_t ifp)
{
    return ifp->if_idxgen;
}

/* One VNET, which VNET_VNET() does not look at: none to name. */
struct vnet *
if_getvnet(if_t ifp __unused)
{
    return NULL;
}

int
if_setmtu(if_t ifp, int mtu)
{
    ifp->if_mtu = mtu;
    return 0;
}

int
if_setflagbits(if_t ifp, int set, int clear)
{
    ifp->if_flags = (ifp->if_flags | set) & ~clear;
    return 0;
}

int
if_setdrvflagbits(if_t ifp, int set, int clear)
{
    ifp->if_drv_flags = (ifp->if_drv_flags | set) & ~clear;
    return 0;
}

int
if_getflags(const if_t ifp)
{
    return ifp->if_flags;
}

void
if_setioctlfn(if_t ifp, if_ioctl_fn_t fn)
{
    ifp->if_ioctl = fn;
}

void
if_setoutputfn(if_t ifp, if_output_fn_t fn)
{
    ifp->if_output = fn;
}

void
if_settransmitfn(if_t ifp, if_transmit_fn_t fn)
{
    ifp->if_transmit = fn;
}

void
if_setqflushfn(if_t ifp, if_qflush_fn_t fn)
{
    ifp->if_qflush = fn;
}

void
if_inc_counter(if_t ifp, ift_counter cnt, int64_t inc)
{
    __atomic_fetch_add(&ifp->if_counters[cnt], (uint64_t)inc, __ATOMIC_RELAXED);
}

/* Cloners. */

#define IFC_MAXIFS 8
/* if_clone.c: a cloner's name has room for IFNAMSIZ - 5 bytes with its NUL. */
#define IFCLOSIZ (IFNAMSIZ - 5)

struct if_clone {
    char ifc_name[IFCLOSIZ];
    ifc_match_f *ifc_match;
    ifc_create_f *ifc_create;
    ifc_destroy_f *ifc_destroy;
    struct ifnet *ifc_ifs[IFC_MAXIFS];
    struct if_clone *ifc_next;
};

static struct if_clone *cloners;

/* The default match: the cloner's name, then digits or nothing. */
static int
ifc_simple_match(struct if_clone *ifc, const char *name)
{
    size_t len = strlen(ifc->ifc_name);

    if (strncmp(name, ifc->ifc_name, len) != 0)
        return 0;
    return strspn(name + len, "0123456789") == strlen(name + len);
}

struct if_clone *
ifc_attach_cloner(const char *name, struct if_clone_addreq *req)
{
    struct if_clone *ifc;

    /* FreeBSD 15 refuses a name of 10 characters or more, so "mbuf_trace". */
    if (req->create_f == NULL || req->destroy_f == NULL || strnlen(name, IFCLOSIZ) >= IFCLOSIZ - 1)
        return NULL;
    ifc = calloc(1, sizeof(*ifc));
    if (ifc == NULL)
        abort();
    snprintf(ifc->ifc_name, sizeof(ifc->ifc_name), "%s", name);
    ifc->ifc_match = req->match_f != NULL ? req->match_f : ifc_simple_match;
    ifc->ifc_create = req->create_f;
    ifc->ifc_destroy = req->destroy_f;
    pthread_mutex_lock(&net_mutex);
    ifc->ifc_next = cloners;
    cloners = ifc;
    pthread_mutex_unlock(&net_mutex);
    return ifc;
}

static struct if_clone *
ifc_find(const char *name)
{
    struct if_clone *ifc;

    pthread_mutex_lock(&net_mutex);
    for (ifc = cloners; ifc != NULL && !ifc->ifc_match(ifc, name); ifc = ifc->ifc_next)
        ;
    pthread_mutex_unlock(&net_mutex);
    return ifc;
}

int
ifc_create_ifp(const char *name, struct ifc_data *ifd, struct ifnet **ifpp)
{
    struct if_clone *ifc = ifc_find(name);
    struct ifnet *ifp = NULL;
    char buf[IFNAMSIZ];
    int error, i;

    if (ifc == NULL)
        return EINVAL;
    if (kpi_ifunit(name) != NULL)
        return EEXIST;
    snprintf(buf, sizeof(buf), "%s", name);
    error = ifc->ifc_create(ifc, buf, sizeof(buf), ifd, &ifp);
    if (error != 0)
        return error;
    for (i = 0; ifc->ifc_ifs[i] != NULL; i++)
        if (i == IFC_MAXIFS - 1)
            kassert_panic("ifc_create_ifp: too many %s interfaces", ifc->ifc_name);
    ifc->ifc_ifs[i] = ifp;
    if (ifpp != NULL)
        *ifpp = ifp;
    return 0;
}

static int
ifc_destroy_ifp(struct if_clone *ifc, struct ifnet *ifp, uint32_t flags)
{
    int error, i;

    for (i = 0; i < IFC_MAXIFS && ifc->ifc_ifs[i] != ifp; i++)
        ;
    if (i == IFC_MAXIFS)
        return ENXIO;
    error = ifc->ifc_destroy(ifc, ifp, flags);
    if (error == 0)
        ifc->ifc_ifs[i] = NULL;
    return error;
}

void
ifc_detach_cloner(struct if_clone *ifc)
{
    struct if_clone **p;
    int i;

    pthread_mutex_lock(&net_mutex);
    for (p = &cloners; *p != ifc; p = &(*p)->ifc_next)
        ;
    *p = ifc->ifc_next;
    pthread_mutex_unlock(&net_mutex);
    for (i = 0; i < IFC_MAXIFS; i++)
        if (ifc->ifc_ifs[i] != NULL)
            ifc_destroy_ifp(ifc, ifc->ifc_ifs[i], IFC_F_FORCE);
    (free)(ifc);
}

int
kpi_if_clone_destroy(const char *ifname, bool force)
{
    struct ifnet *ifp = kpi_ifunit(ifname);
    struct if_clone *ifc;

    if (ifp == NULL)
        return ENXIO;
    if ((ifc = ifc_find(ifname)) == NULL)
        return EINVAL;
    return ifc_destroy_ifp(ifc, ifp, force ? IFC_F_FORCE : 0);
}

int
kpi_if_clone_create(const char *ifname)
{
    struct ifc_data ifd = { .flags = IFC_F_CREATE };

    return ifc_create_ifp(ifname, &ifd, NULL);
}

/* bpf(4). */

struct kpi_eventhandler *kpi_eventhandler_bpf_track;

struct kpi_bpf_frame {
    struct timeval ts;
    size_t len;
    uint8_t *data;
};

struct kpi_bpf_listener {
    struct kpi_bpf_if *bif;
    struct kpi_pcap *pcap;
    bool keep; /* frames kept for kpi_bpf_frame(), not only written */
    struct kpi_bpf_frame *frames;
    size_t nframes;
    size_t maxframes;
    struct kpi_bpf_listener *next;
};

struct kpi_bpf_if {
    struct ifnet *ifp;
    unsigned int dlt;
    struct kpi_bpf_listener *listeners;
};

void
bpfattach(struct ifnet *ifp, unsigned int dlt, unsigned int hdrlen __unused)
{
    struct kpi_bpf_if *bif = calloc(1, sizeof(*bif));

    if (bif == NULL)
        abort();
    bif->ifp = ifp;
    bif->dlt = dlt;
    pthread_mutex_lock(&net_mutex);
    __atomic_store_n(&ifp->if_bpf, bif, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&net_mutex);
}

/* Listeners stay readable after their interface is gone. */
void
bpfdetach(struct ifnet *ifp)
{
    struct kpi_bpf_if *bif;
    struct kpi_bpf_listener *l;

    pthread_mutex_lock(&net_mutex);
    bif = ifp->if_bpf;
    __atomic_store_n(&ifp->if_bpf, NULL, __ATOMIC_RELEASE);
    if (bif != NULL) {
        for (l = bif->listeners; l != NULL; l = l->next) {
            l->bif = NULL;
            EVENTHANDLER_INVOKE(bpf_track, ifp, (int)bif->dlt, 0);
        }
    }
    pthread_mutex_unlock(&net_mutex);
    (free)(bif);
}

/*
 * Lockless, as FreeBSD's (a CK_LIST_EMPTY() of the descriptor list): the
 * stack asks it for every packet that passes a start point.  The writers
 * store with release under net_mutex.
 */
bool
bpf_peers_present_if(struct ifnet *ifp)
{
    struct kpi_bpf_if *bif = __atomic_load_n(&ifp->if_bpf, __ATOMIC_ACQUIRE);

    return bif != NULL && __atomic_load_n(&bif->listeners, __ATOMIC_ACQUIRE) != NULL;
}

void
bpf_tap_if(struct ifnet *ifp, unsigned char *pkt, unsigned int pktlen)
{
    struct kpi_bpf_listener *l;
    struct kpi_bpf_frame *f;
    struct timeval ts;

    pthread_mutex_lock(&net_mutex);
    if (ifp->if_bpf == NULL) {
        pthread_mutex_unlock(&net_mutex);
        return;
    }
    microtime(&ts);
    for (l = ifp->if_bpf->listeners; l != NULL; l = l->next) {
        if (!l->keep) {
            l->nframes++;
            kpi_pcap_write(l->pcap, &ts, pkt, pktlen);
            continue;
        }
        if (l->nframes == l->maxframes) {
            l->maxframes = l->maxframes == 0 ? 16 : 2 * l->maxframes;
            l->frames = realloc(l->frames, l->maxframes * sizeof(*l->frames));
            if (l->frames == NULL)
                abort();
        }
        f = &l->frames[l->nframes++];
        f->ts = ts;
        f->len = pktlen;
        f->data = (malloc)(pktlen == 0 ? 1 : pktlen);
        if (f->data == NULL)
            abort();
        memcpy(f->data, pkt, pktlen);
        if (l->pcap != NULL)
            kpi_pcap_write(l->pcap, &ts, pkt, pktlen);
    }
    pthread_mutex_unlock(&net_mutex);
}

static struct kpi_bpf_listener *
bpf_listen(const char *ifname, const char *pcap_path, bool keep)
{
    struct ifnet *ifp = kpi_ifunit(ifname);
    struct kpi_bpf_listener *l;

    if (ifp == NULL || ifp->if_bpf == NULL)
        return NULL;
    l = calloc(1, sizeof(*l));
    if (l == NULL)
        abort();
    l->keep = keep;
    if (pcap_path != NULL && (l->pcap = kpi_pcap_open(pcap_path, (int)ifp->if_bpf->dlt,
                                                      KPI_BPF_SNAPLEN, keep)) == NULL) {
        (free)(l);
        return NULL;
    }
    pthread_mutex_lock(&net_mutex);
    l->bif = ifp->if_bpf;
    l->next = l->bif->listeners;
    __atomic_store_n(&l->bif->listeners, l, __ATOMIC_RELEASE);
    EVENTHANDLER_INVOKE(bpf_track, ifp, (int)l->bif->dlt, 1);
    pthread_mutex_unlock(&net_mutex);
    return l;
}

struct kpi_bpf_listener *
kpi_bpf_listen(const char *ifname, const char *pcap_path)
{
    return bpf_listen(ifname, pcap_path, true);
}

struct kpi_bpf_listener *
kpi_bpf_listen_pcap(const char *ifname, const char *pcap_path)
{
    return pcap_path != NULL ? bpf_listen(ifname, pcap_path, false) : NULL;
}

void
kpi_bpf_detach(struct kpi_bpf_listener *l)
{
    struct kpi_bpf_listener **p;

    pthread_mutex_lock(&net_mutex);
    if (l->bif != NULL) {
        for (p = &l->bif->listeners; *p != l; p = &(*p)->next)
            ;
        __atomic_store_n(p, l->next, __ATOMIC_RELEASE);
        EVENTHANDLER_INVOKE(bpf_track, l->bif->ifp, (int)l->bif->dlt, 0);
        l->bif = NULL;
    }
    pthread_mutex_unlock(&net_mutex);
}

void
kpi_bpf_unlisten(struct kpi_bpf_listener *l)
{
    size_t i;

    kpi_bpf_detach(l);
    if (l->pcap != NULL)
        kpi_pcap_close(l->pcap);
    for (i = 0; l->keep && i < l->nframes; i++)
        (free)(l->frames[i].data);
    (free)(l->frames);
    (free)(l);
}

size_t
kpi_bpf_nframes(struct kpi_bpf_listener *l)
{
    size_t n;

    pthread_mutex_lock(&net_mutex);
    n = l->nframes;
    pthread_mutex_unlock(&net_mutex);
    return n;
}

const uint8_t *
kpi_bpf_frame(struct kpi_bpf_listener *l, size_t i, size_t *len, struct timeval *ts)
{
    const uint8_t *data = NULL;

    pthread_mutex_lock(&net_mutex);
    if (l->keep && i < l->nframes) {
        data = l->frames[i].data;
        if (len != NULL)
            *len = l->frames[i].len;
        if (ts != NULL)
            *ts = l->frames[i].ts;
    }
    pthread_mutex_unlock(&net_mutex);
    return data;
}
