/* KPI stand-in: the interface cloner KPI of FreeBSD 15 <net/if_clone.h>. */
#ifndef KPI_NET_IF_CLONE_H
#define KPI_NET_IF_CLONE_H

#include <sys/param.h>

struct if_clone;
struct ifnet;

struct ifc_data {
    uint32_t flags;
    uint32_t unit;
    void *params;
    struct vnet *vnet;
};

typedef int ifc_match_f(struct if_clone *ifc, const char *name);
typedef int ifc_create_f(struct if_clone *ifc, char *name, size_t maxlen, struct ifc_data *ifd,
                         struct ifnet **ifpp);
typedef int ifc_destroy_f(struct if_clone *ifc, struct ifnet *ifp, uint32_t flags);

struct if_clone_addreq {
    uint16_t version;
    uint16_t spare;
    uint32_t flags;
    uint32_t maxunit;
    ifc_match_f *match_f;
    ifc_create_f *create_f;
    ifc_destroy_f *destroy_f;
};

#define IFC_F_FORCE  0x08
#define IFC_F_CREATE 0x10

struct if_clone *ifc_attach_cloner(const char *name, struct if_clone_addreq *req);
void ifc_detach_cloner(struct if_clone *ifc);
int ifc_create_ifp(const char *name, struct ifc_data *ifd, struct ifnet **ifpp);

#endif
