/*
 * replay.h - the FreeBSD 15.1 host that mbuf_trace-replay runs packets
 * through: its configuration, its interfaces, its packets, and the stack
 * functions, each named after the kernel function it stands for.
 *
 * The functions follow the kernel's code paths and make the same trace
 * calls at the same places (tp.h); docs/replay.md says what they simulate
 * and what not.  A packet is a struct pkt: one KPI mbuf (the facility's
 * trace tag hangs off it and is emitted when it is freed) plus the packet
 * header fields the KPI's struct mbuf does not have.
 *
 * Include <glib.h> before this file: the KPI's <sys/malloc.h> turns
 * malloc() and free() into malloc(9) and free(9).
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

struct mbuf;

#ifndef ETHER_ADDR_LEN
#define ETHER_ADDR_LEN 6
#endif

/* An interface: the Ethernet one, or a vlan(4) on it. */
struct sim_if {
    char name[16];
    uint16_t vid;          /* 0: the Ethernet interface itself */
    struct sim_if *parent; /* of a vlan(4) */
    struct ifnet *ifnet;   /* what start points see: only a member of group mtrace */
};

struct prefix4 {
    struct in_addr addr;
    int plen;
};

struct prefix6 {
    struct in6_addr addr;
    int plen;
};

struct port_range {
    uint8_t proto; /* IPPROTO_TCP, IPPROTO_UDP, or 0 for both */
    uint16_t lo, hi;
};

/* What the command line says about the host. */
struct host_config {
    bool forwarding;    /* net.inet.ip.forwarding, net.inet6.ip6.forwarding */
    GArray *addr4;      /* struct prefix4: --local-addr */
    GArray *addr6;      /* struct prefix6 */
    GArray *open_ports; /* struct port_range; empty: every port is open */
    bool vlans_all;     /* a vlan(4) for every VLAN ID */
    GArray *vlan_ids;   /* uint16_t, when not vlans_all; empty: no vlan(4) */
    bool fixed_mac;     /* --mac given */
    bool rxcsum;        /* the interface checks checksums (--rxcsum) */
    uint8_t mac[ETHER_ADDR_LEN];
    int mtu;
    GPtrArray *mtrace_group; /* char *: interfaces in group mtrace (--interface-group) */
};

struct host {
    struct host_config cfg;
    struct sim_if ether;         /* em0 */
    GHashTable *vlans;           /* VLAN ID -> struct sim_if, made when first used */
    uint8_t mac[ETHER_ADDR_LEN]; /* the interfaces' address now */
    bool have_dst4, have_dst6;   /* local mode: the address a packet came to */
    struct in_addr dst4;
    struct in6_addr dst6;
    GHashTable *neighbours;  /* IP address (as bytes) -> MAC, learned */
    uint64_t ip_id;          /* V_ip_id */
    uint32_t ip6_id;         /* the fragment IDs ip6_randomid() would give */
    GQueue tx;               /* struct pkt sent, freed at tx completion */
    struct sim_if *route_if; /* every route's interface: the current packet's */
    GList *ipq;              /* reassembly queues (reass.c) */
    uint64_t now_ns;         /* the time: the current packet's, since the epoch */
};

/*
 * errno values as FreeBSD numbers them (sys/sys/errno.h): the kernel's
 * "drop: error %d" records show these, not the host's.
 */
#define FBSD_EACCES        13
#define FBSD_EMSGSIZE      40
#define FBSD_EOPNOTSUPP    45
#define FBSD_EADDRNOTAVAIL 49
#define FBSD_ENOBUFS       55
#define FBSD_EHOSTUNREACH  65

/* From FreeBSD's netinet6/ip6.h and ip6_var.h, which glibc lacks. */
#define IPV6_VERSION      0x60
#define IPV6_VERSION_MASK 0xf0
#define IPV6_DEFHLIM      64 /* net.inet6.ip6.hlim */

/* m_flags and csum_flags of FreeBSD the KPI's mbuf does not carry. */
#define PKT_BCAST       0x01
#define PKT_MCAST       0x02
#define PKT_PROMISC     0x04
#define PKT_VLANTAG     0x08
#define PKT_RTALERT_MLD 0x10 /* M_RTALERT_MLD: a hop-by-hop router alert */

#define PKT_CSUM_TCP  0x01 /* CSUM_TCP: th_sum holds the pseudo header sum */
#define PKT_CSUM_TCP6 0x02 /* CSUM_TCP_IPV6 */
/*
 * What a driver with rxcsum sets on a received packet: the IPv4 header
 * checksum checked and good (CSUM_IP_CHECKED | CSUM_IP_VALID), the TCP or
 * UDP one too (CSUM_DATA_VALID | CSUM_PSEUDO_HDR, csum_data 0xffff).
 */
#define PKT_CSUM_RX_VALID 0x04

struct pkt {
    struct mbuf *m; /* one mbuf, data in one external buffer */
    struct sim_if *rcvif;
    unsigned flags;
    uint16_t vtag; /* ether_vtag, with PKT_VLANTAG */
    unsigned csum;
};

/* Bytes a packet buffer keeps in front of its data: room for what is prepended. */
#define PKT_HEADROOM 128

/* pkt.c: packet buffers, as the stack's mbuf operations use them. */
struct pkt *pkt_new(const void *data, size_t len);
struct pkt *pkt_new_frame(const void *data, size_t len);
struct pkt *pkt_copy(struct pkt *p);
bool pkt_dup_pkthdr(struct pkt *to, struct pkt *from);
void pkt_free(struct pkt *p);
uint8_t *pkt_data(const struct pkt *p);
size_t pkt_len(const struct pkt *p);
void pkt_prepend(struct pkt *p, size_t len);
void pkt_adj(struct pkt *p, long len);
bool pkt_pullup(struct pkt *p, size_t len);

/* cksum.c: the Internet checksum as in_cksum(9) computes it. */
uint16_t in_cksum(const void *data, size_t len);
uint16_t in_cksum_pseudo4(const void *ip, int proto, const void *data, size_t len);
uint16_t in_cksum_pseudo6(const void *ip6, int proto, const void *data, size_t len);

/* host.c: the host's addresses, neighbours, ports and interfaces. */
void host_init(struct host *h, const struct host_config *cfg);
void host_destroy(struct host *h);
bool host_is_local4(struct host *h, struct in_addr a);
bool host_is_local6(struct host *h, const struct in6_addr *a);
bool host_is_broadcast4(struct host *h, struct in_addr a);
bool host_first4(struct host *h, struct in_addr *a);
bool host_select_src6(struct host *h, const struct in6_addr *dst, struct in6_addr *src);
bool host_is_member6(struct host *h, const struct in6_addr *group);
bool host_port_open(struct host *h, int proto, uint16_t port);
struct sim_if *host_vlan(struct host *h, uint16_t vid);
bool host_has_vlans(struct host *h);
void host_learn(struct host *h, int af, const void *addr, const uint8_t *mac);
void host_neighbour(struct host *h, int af, const void *addr, uint8_t *mac);
void host_adopt_dst4(struct host *h, struct in_addr dst);
void host_adopt_dst6(struct host *h, const struct in6_addr *dst);
bool host_is_neighbour6(struct host *h, const struct in6_addr *a);
void host_tx_complete(struct host *h);

/* ether.c: Ethernet, vlan(4), ARP. */
void ether_input(struct host *h, struct sim_if *ifp, struct pkt *p);
int ether_output(struct host *h, struct sim_if *ifp, struct pkt *p, int af, const void *dst,
                 const uint8_t *linkhdr);
void arpintr(struct host *h, struct pkt *p);

/* inet.c: IPv4 and ICMP. */
void ip_input(struct host *h, struct pkt *p);
int ip_output(struct host *h, struct pkt *p, const uint8_t *opts, size_t optlen, int flags);
void icmp_error(struct host *h, struct pkt *n, int type, int code, uint32_t dest, int mtu);
#define IP_FORWARDING 0x1

/* reass.c: IPv4 reassembly. */
struct pkt *ip_reass(struct host *h, struct pkt *p);
void ip_reass_expire(struct host *h, uint64_t now_ns);

/* inet6.c: IPv6 and ICMPv6. */
void ip6_input(struct host *h, struct pkt *p);
int ip6_output(struct host *h, struct pkt *p);
void icmp6_error(struct host *h, struct pkt *p, int type, int code, uint32_t param);

/* transport.c: TCP and UDP. */
void tcp_input(struct host *h, struct pkt *p, int off);
void tcp6_input(struct host *h, struct pkt *p, int off);
void udp_input(struct host *h, struct pkt *p, int off, int proto);
void udp6_input(struct host *h, struct pkt *p, int off, int proto);

#endif
