/*
 * KPI stand-in: the IfAPI of FreeBSD's <net/if_var.h> (if_t and its
 * accessors), the interface index with generation counts, and counters.
 */
#ifndef KPI_NET_IF_VAR_H
#define KPI_NET_IF_VAR_H

#include <sys/param.h>
#include <sys/ck.h>
#include <net/if.h>

struct mbuf;
struct route;
struct sockaddr;
struct vnet;

typedef struct ifnet *if_t;

#define IF_DUNIT_NONE (-1)

typedef int (*if_ioctl_fn_t)(if_t, unsigned long, caddr_t);
typedef int (*if_output_fn_t)(if_t, struct mbuf *, const struct sockaddr *, struct route *);
typedef int (*if_transmit_fn_t)(if_t, struct mbuf *);
typedef void (*if_qflush_fn_t)(if_t);

typedef enum { IFCOUNTER_OPACKETS, IFCOUNTER_OBYTES, IFCOUNTER_OQDROPS, IFCOUNTERS } ift_counter;

struct kpi_bpf_if;

/* The interface groups an interface is a member of ("ifconfig em0 group"). */
struct ifg_group {
    char ifg_group[IFNAMSIZ];
};

struct ifg_list {
    struct ifg_group *ifgl_group;
    CK_STAILQ_ENTRY(ifg_list) ifgl_next;
};

struct ifnet {
    char if_xname[IFNAMSIZ];
    const char *if_dname;
    int if_dunit;
    unsigned char if_type;
    int if_flags;
    int if_drv_flags;
    int if_mtu;
    uint16_t if_index;
    uint16_t if_idxgen;
    bool if_attached;
    if_ioctl_fn_t if_ioctl;
    if_output_fn_t if_output;
    if_transmit_fn_t if_transmit;
    if_qflush_fn_t if_qflush;
    uint64_t if_counters[IFCOUNTERS];
    struct kpi_bpf_if *if_bpf;
    void *if_softc;
    CK_STAILQ_HEAD(, ifg_list) if_groups;
};

if_t if_alloc(unsigned char type);
void if_initname(if_t ifp, const char *name, int unit);
void if_attach(if_t ifp);
void if_detach(if_t ifp);
void if_free(if_t ifp);
int if_setmtu(if_t ifp, int mtu);
int if_setflagbits(if_t ifp, int set, int clear);
int if_setdrvflagbits(if_t ifp, int set, int clear);
int if_getflags(const if_t ifp);
void if_setioctlfn(if_t ifp, if_ioctl_fn_t fn);
void if_setoutputfn(if_t ifp, if_output_fn_t fn);
void if_settransmitfn(if_t ifp, if_transmit_fn_t fn);
void if_setqflushfn(if_t ifp, if_qflush_fn_t fn);
void if_inc_counter(if_t ifp, ift_counter cnt, int64_t inc);
int if_getindex(const if_t ifp);
const char *if_name(if_t ifp);
int if_setsoftc(if_t ifp, void *softc);
void *if_getsoftc(if_t ifp);
int if_getidxgen(const if_t ifp);
struct vnet *if_getvnet(if_t ifp);
if_t ifnet_byindexgen(uint16_t idx, uint16_t gen);

#endif
