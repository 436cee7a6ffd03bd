/*
 * The Internet checksum (RFC 1071) over contiguous bytes, and with the
 * pseudo headers of TCP, UDP and ICMPv6: what in_cksum(), in_pseudo() and
 * in6_cksum() give on the packet's bytes.  0 over a packet that carries its
 * correct checksum.
 */
#include <glib.h>

#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <string.h>

#include "replay.h"

static uint32_t
sum16(uint32_t sum, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)(p[len - 1] << 8);
    return sum;
}

static uint16_t
fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return g_htons((uint16_t)~sum);
}

/* The checksum as stored in a header: in network byte order. */
uint16_t
in_cksum(const void *data, size_t len)
{
    return fold(sum16(0, data, len));
}

uint16_t
in_cksum_pseudo4(const void *iphdr, int proto, const void *data, size_t len)
{
    const struct ip *ip = iphdr;
    uint32_t sum = 0;

    sum = sum16(sum, &ip->ip_src, sizeof(ip->ip_src));
    sum = sum16(sum, &ip->ip_dst, sizeof(ip->ip_dst));
    sum += (uint32_t)proto + (uint32_t)len;
    return fold(sum16(sum, data, len));
}

uint16_t
in_cksum_pseudo6(const void *ip6hdr, int proto, const void *data, size_t len)
{
    const struct ip6_hdr *ip6 = ip6hdr;
    uint32_t sum = 0;

    sum = sum16(sum, &ip6->ip6_src, sizeof(ip6->ip6_src));
    sum = sum16(sum, &ip6->ip6_dst, sizeof(ip6->ip6_dst));
    sum += (uint32_t)proto + (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
    return fold(sum16(sum, data, len));
}
