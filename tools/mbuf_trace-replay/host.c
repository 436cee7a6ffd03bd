/*
 * The host's state outside the packets: its addresses (configured, or in
 * local mode the one each packet comes to), its multicast groups, open
 * ports, vlan(4) interfaces, neighbour cache and transmit ring.
 */
#include <glib.h>

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include <sys/param.h>
#include <net/if_types.h>
#include <net/if_var.h>

#include "kpi.h"
#include "replay.h"

/*
 * The ifnet the start points see for an interface: one in group mtrace
 * when --interface-group names it, else none (NULL), which no group
 * chooses either.
 */
static struct ifnet *
group_ifnet(const struct host *h, const char *name)
{
    struct ifnet *ifp;
    guint i;

    for (i = 0; i < h->cfg.mtrace_group->len; i++) {
        if (strcmp(g_ptr_array_index(h->cfg.mtrace_group, i), name) == 0) {
            ifp = if_alloc(IFT_OTHER);
            g_strlcpy(ifp->if_xname, name, sizeof(ifp->if_xname));
            kpi_if_addgroup(ifp, "mtrace");
            return ifp;
        }
    }
    return NULL;
}

static void
sim_if_free(gpointer data)
{
    struct sim_if *ifp = data;

    if (ifp->ifnet != NULL)
        if_free(ifp->ifnet);
    g_free(ifp);
}

/* Neighbours nobody was heard from: a locally administered address. */
static const uint8_t unknown_neighbour[ETHER_ADDR_LEN] = { 0x02, 0, 0, 0, 0, 0x02 };
/* The interfaces' address before any frame came to one (local mode). */
static const uint8_t initial_mac[ETHER_ADDR_LEN] = { 0x02, 0, 0, 0, 0, 0x01 };

void
host_init(struct host *h, const struct host_config *cfg)
{
    memset(h, 0, sizeof(*h));
    h->cfg = *cfg;
    g_strlcpy(h->ether.name, "em0", sizeof(h->ether.name));
    h->ether.ifnet = group_ifnet(h, h->ether.name);
    h->vlans = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, sim_if_free);
    memcpy(h->mac, cfg->fixed_mac ? cfg->mac : initial_mac, ETHER_ADDR_LEN);
    h->neighbours =
        g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, g_free);
    g_queue_init(&h->tx);
}

void
host_destroy(struct host *h)
{
    host_tx_complete(h);
    g_hash_table_destroy(h->vlans);
    g_hash_table_destroy(h->neighbours);
    if (h->ether.ifnet != NULL)
        if_free(h->ether.ifnet);
}

/* Local mode without --local-addr: every packet's destination is ours. */
static bool
every_dst_is_local(const struct host *h)
{
    return !h->cfg.forwarding && h->cfg.addr4->len == 0 && h->cfg.addr6->len == 0;
}

/*
 * In local mode without --local-addr, the unicast address a packet comes
 * to is the host's while the packet is handled.
 */
void
host_adopt_dst4(struct host *h, struct in_addr dst)
{
    uint32_t a = g_ntohl(dst.s_addr);

    h->have_dst4 = every_dst_is_local(h) && a != INADDR_ANY && a != INADDR_BROADCAST &&
                   !IN_MULTICAST(a) && (a >> 24) != IN_LOOPBACKNET;
    h->dst4 = dst;
}

void
host_adopt_dst6(struct host *h, const struct in6_addr *dst)
{
    h->have_dst6 = every_dst_is_local(h) && !IN6_IS_ADDR_UNSPECIFIED(dst) &&
                   !IN6_IS_ADDR_MULTICAST(dst) && !IN6_IS_ADDR_LOOPBACK(dst);
    h->dst6 = *dst;
}

bool
host_is_local4(struct host *h, struct in_addr a)
{
    guint i;

    if (h->have_dst4 && a.s_addr == h->dst4.s_addr)
        return true;
    for (i = 0; i < h->cfg.addr4->len; i++)
        if (g_array_index(h->cfg.addr4, struct prefix4, i).addr.s_addr == a.s_addr)
            return true;
    return false;
}

/* The link-local address the kernel gives the interface: EUI-64 of its MAC. */
static void
link_local6(const struct host *h, struct in6_addr *a)
{
    memset(a, 0, sizeof(*a));
    a->s6_addr[0] = 0xfe;
    a->s6_addr[1] = 0x80;
    a->s6_addr[8] = h->mac[0] ^ 0x02;
    a->s6_addr[9] = h->mac[1];
    a->s6_addr[10] = h->mac[2];
    a->s6_addr[11] = 0xff;
    a->s6_addr[12] = 0xfe;
    a->s6_addr[13] = h->mac[3];
    a->s6_addr[14] = h->mac[4];
    a->s6_addr[15] = h->mac[5];
}

bool
host_is_local6(struct host *h, const struct in6_addr *a)
{
    struct in6_addr ll;
    guint i;

    link_local6(h, &ll);
    if (IN6_ARE_ADDR_EQUAL(a, &ll) || (h->have_dst6 && IN6_ARE_ADDR_EQUAL(a, &h->dst6)))
        return true;
    for (i = 0; i < h->cfg.addr6->len; i++)
        if (IN6_ARE_ADDR_EQUAL(&g_array_index(h->cfg.addr6, struct prefix6, i).addr, a))
            return true;
    return false;
}

static bool
same_prefix6(const struct in6_addr *a, const struct in6_addr *b, int plen)
{
    int i;

    for (i = 0; i < plen; i++)
        if (((a->s6_addr[i / 8] ^ b->s6_addr[i / 8]) >> (7 - i % 8)) & 1)
            return false;
    return true;
}

/*
 * nd6_is_addr_neighbor(): link-local, or in the prefix of an address of
 * ours (a /64 for the one adopted in local mode).
 */
bool
host_is_neighbour6(struct host *h, const struct in6_addr *a)
{
    guint i;

    if (IN6_IS_ADDR_LINKLOCAL(a))
        return true;
    if (h->have_dst6 && same_prefix6(a, &h->dst6, 64))
        return true;
    for (i = 0; i < h->cfg.addr6->len; i++) {
        const struct prefix6 *p = &g_array_index(h->cfg.addr6, struct prefix6, i);

        if (p->plen < 128 && same_prefix6(a, &p->addr, p->plen))
            return true;
    }
    return false;
}

/* in_ifnet_broadcast(): all ones, all zeros, or a subnet's broadcast. */
bool
host_is_broadcast4(struct host *h, struct in_addr a)
{
    guint i;

    if (a.s_addr == INADDR_BROADCAST || a.s_addr == INADDR_ANY)
        return true;
    for (i = 0; i < h->cfg.addr4->len; i++) {
        const struct prefix4 *p = &g_array_index(h->cfg.addr4, struct prefix4, i);
        uint32_t host_bits = p->plen >= 31 ? 0 : 0xffffffffu >> p->plen;

        if (host_bits != 0 && a.s_addr == (p->addr.s_addr | g_htonl(host_bits)))
            return true;
    }
    return false;
}

/* The interface's first IPv4 address (its first --local-addr, or the adopted one). */
bool
host_first4(struct host *h, struct in_addr *a)
{
    if (h->cfg.addr4->len > 0)
        *a = g_array_index(h->cfg.addr4, struct prefix4, 0).addr;
    else if (h->have_dst4)
        *a = h->dst4;
    else
        return false;
    return true;
}

/*
 * in6_selectsrc_addr(), for the one interface: the link-local address
 * towards link-local destinations, else a global one if there is.
 */
bool
host_select_src6(struct host *h, const struct in6_addr *dst, struct in6_addr *src)
{
    if (IN6_IS_ADDR_LINKLOCAL(dst) || IN6_IS_ADDR_MC_LINKLOCAL(dst) ||
        IN6_IS_ADDR_MC_NODELOCAL(dst)) {
        link_local6(h, src);
        return true;
    }
    if (h->cfg.addr6->len > 0)
        *src = g_array_index(h->cfg.addr6, struct prefix6, 0).addr;
    else if (h->have_dst6)
        *src = h->dst6;
    else
        return false;
    return true;
}

static bool
is_solicited_node_of(const struct in6_addr *group, const struct in6_addr *a)
{
    static const uint8_t prefix[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff };

    return memcmp(group->s6_addr, prefix, sizeof(prefix)) == 0 &&
           memcmp(group->s6_addr + 13, a->s6_addr + 13, 3) == 0;
}

/*
 * in6m_lookup(): all-nodes, all-routers when forwarding, the solicited-node
 * groups of our addresses; in local mode without --local-addr, every group.
 */
bool
host_is_member6(struct host *h, const struct in6_addr *group)
{
    static const struct in6_addr all_nodes_if = { { { 0xff, 0x01, [15] = 1 } } };
    static const struct in6_addr all_nodes = { { { 0xff, 0x02, [15] = 1 } } };
    static const struct in6_addr all_routers = { { { 0xff, 0x02, [15] = 2 } } };
    struct in6_addr ll;
    guint i;

    if (every_dst_is_local(h) || IN6_ARE_ADDR_EQUAL(group, &all_nodes_if) ||
        IN6_ARE_ADDR_EQUAL(group, &all_nodes) ||
        (h->cfg.forwarding && IN6_ARE_ADDR_EQUAL(group, &all_routers)))
        return true;
    link_local6(h, &ll);
    if (is_solicited_node_of(group, &ll))
        return true;
    for (i = 0; i < h->cfg.addr6->len; i++)
        if (is_solicited_node_of(group, &g_array_index(h->cfg.addr6, struct prefix6, i).addr))
            return true;
    return false;
}

bool
host_port_open(struct host *h, int proto, uint16_t port)
{
    guint i;

    if (h->cfg.open_ports->len == 0)
        return true;
    for (i = 0; i < h->cfg.open_ports->len; i++) {
        const struct port_range *r = &g_array_index(h->cfg.open_ports, struct port_range, i);

        if ((r->proto == 0 || r->proto == proto) && port >= r->lo && port <= r->hi)
            return true;
    }
    return false;
}

bool
host_has_vlans(struct host *h)
{
    return h->cfg.vlans_all || h->cfg.vlan_ids->len > 0;
}

/* The vlan(4) interface for VLAN ID vid, or NULL if there is none. */
struct sim_if *
host_vlan(struct host *h, uint16_t vid)
{
    struct sim_if *ifv;
    gboolean configured = h->cfg.vlans_all;
    guint i;

    for (i = 0; i < h->cfg.vlan_ids->len && !configured; i++)
        configured = g_array_index(h->cfg.vlan_ids, uint16_t, i) == vid;
    if (!configured)
        return NULL;
    ifv = g_hash_table_lookup(h->vlans, GUINT_TO_POINTER(vid));
    if (ifv == NULL) {
        ifv = g_new0(struct sim_if, 1);
        g_snprintf(ifv->name, sizeof(ifv->name), "%s.%u", h->ether.name, vid);
        ifv->vid = vid;
        ifv->parent = &h->ether;
        ifv->ifnet = group_ifnet(h, ifv->name);
        g_hash_table_insert(h->vlans, GUINT_TO_POINTER(vid), ifv);
    }
    return ifv;
}

static GBytes *
neighbour_key(int af, const void *addr)
{
    uint8_t key[1 + sizeof(struct in6_addr)];
    size_t len = af == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr);

    key[0] = (uint8_t)af;
    memcpy(key + 1, addr, len);
    return g_bytes_new(key, 1 + len);
}

/*
 * Remember that addr is at mac.  The kernel learns from ARP and neighbour
 * discovery only; the replay learns from every frame's source too, as the
 * kernel would have resolved those neighbours before the capture began.
 */
void
host_learn(struct host *h, int af, const void *addr, const uint8_t *mac)
{
    if (mac[0] & 0x01) /* a group address is nobody's */
        return;
    g_hash_table_insert(h->neighbours, neighbour_key(af, addr), g_memdup2(mac, ETHER_ADDR_LEN));
}

/* arpresolve(), nd6_resolve(): always resolved (see docs/replay.md). */
void
host_neighbour(struct host *h, int af, const void *addr, uint8_t *mac)
{
    GBytes *key = neighbour_key(af, addr);
    const uint8_t *known = g_hash_table_lookup(h->neighbours, key);

    memcpy(mac, known != NULL ? known : unknown_neighbour, ETHER_ADDR_LEN);
    g_bytes_unref(key);
}

/* The driver's transmit completions: sent packets are freed, in order. */
void
host_tx_complete(struct host *h)
{
    struct pkt *p;

    while ((p = g_queue_pop_head(&h->tx)) != NULL)
        pkt_free(p);
}
