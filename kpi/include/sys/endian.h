/* KPI stand-in: the byte-order encoders of FreeBSD's <sys/endian.h>. */
#ifndef KPI_SYS_ENDIAN_H
#define KPI_SYS_ENDIAN_H

#include <stdint.h>

static inline void
be16enc(void *pp, uint16_t u)
{
    uint8_t *p = pp;

    p[0] = (uint8_t)(u >> 8);
    p[1] = (uint8_t)u;
}

static inline void
be32enc(void *pp, uint32_t u)
{
    uint8_t *p = pp;

    be16enc(p, (uint16_t)(u >> 16));
    be16enc(p + 2, (uint16_t)u);
}

static inline void
be64enc(void *pp, uint64_t u)
{
    uint8_t *p = pp;

    be32enc(p, (uint32_t)(u >> 32));
    be32enc(p + 4, (uint32_t)u);
}

static inline uint16_t
be16dec(const void *pp)
{
    const uint8_t *p = pp;

    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
be32dec(const void *pp)
{
    const uint8_t *p = pp;

    return (uint32_t)be16dec(p) << 16 | be16dec(p + 2);
}

static inline uint64_t
be64dec(const void *pp)
{
    const uint8_t *p = pp;

    return (uint64_t)be32dec(p) << 32 | be32dec(p + 4);
}

#endif
