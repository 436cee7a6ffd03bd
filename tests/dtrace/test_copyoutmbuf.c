/*
 * Unit tests of kernel/sys/cddl/dev/dtrace/dtrace_mbuf.c, the chain walk
 * behind the D subroutine copyoutmbuf(), compiled unchanged against
 * stand-ins for struct mbuf (kpi/sys/mbuf.h), DTrace's fault flags
 * (kpi/.../cpuvar_defs.h) and safe loads (safe_loads.c).  Scratch space is a
 * buffer of exactly its size, so that AddressSanitizer sees any write past it.
 *
 * usage: test_copyoutmbuf [NAME]	run one case, or all of them
 */
#include <string.h>

#include <glib.h>

#include <sys/param.h>
#include <sys/mbuf.h>
#include <cddl/compat/opensolaris/sys/cpuvar_defs.h>

#include "dtrace_mbuf.h"
#include "safe_loads.h"

#define SCRATCH_POISON 0xa5 /* scratch bytes nobody wrote */
#define DATA_LEAD      5    /* bytes in front of m_data, unaligned on purpose */
#define HEADER_LOADS   4    /* m_next, m_data, m_len, m_flags */

/*
 * A 52-byte TCP/IPv4 packet, the RFD's example: a 20-byte IPv4 header and a
 * 32-byte TCP header (an ACK with a timestamp option).  Checksums are not
 * filled in; the walk does not look at them.
 */
// clang-format off
static const guint8 tcp4_packet[52] = {
    /* IPv4, 52 bytes, TTL 64, TCP, 192.0.2.1 > 198.51.100.2 */
    0x45, 0x00, 0x00, 0x34, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06,
    0x00, 0x00, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
    /* TCP 8080 > 50000, header 32 bytes, ACK, NOP NOP timestamps */
    0x1f, 0x90, 0xc3, 0x50, 0x00, 0x00, 0x10, 0x00,
    0x00, 0x00, 0x20, 0x00, 0x80, 0x10, 0x01, 0xf5,
    0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a,
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
};
// clang-format on

/* An mbuf chain and, for comparisons, its bytes in one piece. */
struct chain {
    struct mbuf *m; /* m[0] is the head */
    guint8 **storage;
    size_t n;
    guint8 *bytes;
    size_t len;
};

/*
 * Builds a chain of n mbufs holding lens[i] bytes each, taken in turn from
 * bytes (or a counting pattern when bytes is NULL).  Each mbuf's data sit in
 * storage of their own, and only the mbuf header and exactly its m_len data
 * bytes are mapped for the safe loads, so a walk that reads past an mbuf's
 * data or follows the wrong pointer faults.
 */
static void
chain_init(struct chain *c, const size_t *lens, size_t n, const guint8 *bytes)
{
    size_t off = 0;

    safe_loads_reset();
    c->n = n;
    c->m = g_new0(struct mbuf, n);
    c->storage = g_new0(guint8 *, n);
    c->len = 0;
    for (size_t i = 0; i < n; i++)
        c->len += lens[i];
    c->bytes = g_malloc(c->len + 1);
    for (size_t i = 0; i < c->len; i++)
        c->bytes[i] = bytes != NULL ? bytes[i] : (guint8)(i * 7 + 1);
    for (size_t i = 0; i < n; i++) {
        struct mbuf *m = &c->m[i];

        c->storage[i] = g_malloc(DATA_LEAD + lens[i]);
        memcpy(c->storage[i] + DATA_LEAD, c->bytes + off, lens[i]);
        m->m_next = i + 1 < n ? &c->m[i + 1] : NULL;
        m->m_data = (char *)c->storage[i] + DATA_LEAD;
        m->m_len = (int32_t)lens[i];
        m->m_type = 1;
        m->m_flags = M_EXT;
        safe_loads_map(m, offsetof(struct mbuf, m_dat));
        safe_loads_map(m->m_data, lens[i]);
        off += lens[i];
    }
}

static void
chain_clear(struct chain *c)
{
    for (size_t i = 0; i < c->n; i++)
        g_free(c->storage[i]);
    g_free(c->storage);
    g_free(c->m);
    g_free(c->bytes);
}

/* The probe's scratch space: dtms_scratch_base, _ptr and the end. */
static guint8 *scratch_base;
static uintptr_t scratch_ptr;
static uintptr_t scratch_end;

/* size bytes of scratch space, the first skip of them already in use. */
static void
scratch_init(size_t size, size_t skip)
{
    g_free(scratch_base);
    scratch_base = g_malloc(size);
    memset(scratch_base, SCRATCH_POISON, size);
    scratch_ptr = (uintptr_t)scratch_base + skip;
    scratch_end = (uintptr_t)scratch_base + size;
    safe_loads_flags = 0;
    safe_loads_illval = 0;
}

static uintptr_t
copyoutmbuf(const struct mbuf *m, uint64_t len, uint64_t off)
{
    return dtrace_copyoutmbuf((uintptr_t)m, len, off, &scratch_ptr, scratch_end, &safe_loads_flags,
                              &safe_loads_illval);
}

/* The call succeeded with n bytes at dest: the chain's from off, then zeros. */
static void
assert_copied(const struct chain *c, uintptr_t dest, size_t n, size_t off)
{
    const guint8 *got = (const guint8 *)dest;
    size_t data = off < c->len ? MIN(n, c->len - off) : 0;

    g_assert_cmpuint(safe_loads_flags, ==, 0);
    g_assert_cmpuint(dest, !=, 0);
    g_assert_cmpuint(dest % 8, ==, 0);
    g_assert_cmpuint(scratch_ptr, ==, dest + n);
    if (data > 0)
        g_assert_cmpmem(got, data, c->bytes + off, data);
    for (size_t i = data; i < n; i++)
        g_assert_cmphex(got[i], ==, 0);
}

/* The call failed with fault (and illval, unless it is ~0). */
static void
assert_fault(uintptr_t dest, uintptr_t scratch_before, uint16_t fault, uintptr_t illval)
{
    g_assert_cmpuint(dest, ==, 0);
    g_assert_cmphex(safe_loads_flags, ==, fault);
    if (illval != ~(uintptr_t)0)
        g_assert_cmphex(safe_loads_illval, ==, illval);
    g_assert_cmphex(scratch_ptr, ==, scratch_before);
}

/* No byte of scratch space from 'from' on was written. */
static void
assert_scratch_untouched(uintptr_t from)
{
    for (uintptr_t p = from; p < scratch_end; p++)
        g_assert_cmphex(*(const guint8 *)p, ==, SCRATCH_POISON);
}

static void
test_pads_a_52_byte_packet_to_64_with_zeros(void)
{
    static const size_t one[] = { 52 }, split[] = { 20, 32 };
    struct chain c;

    /* As received in one mbuf, and with the headers in two. */
    chain_init(&c, one, G_N_ELEMENTS(one), tcp4_packet);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 64, 0), 64, 0);
    chain_clear(&c);

    chain_init(&c, split, G_N_ELEMENTS(split), tcp4_packet);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 64, 0), 64, 0);
    chain_clear(&c);
}

static void
test_offset_20_gives_the_tcp_header_then_zeros(void)
{
    static const size_t split[] = { 20, 32 };
    struct chain c;
    uintptr_t dest;

    chain_init(&c, split, G_N_ELEMENTS(split), tcp4_packet);
    scratch_init(256, 0);
    dest = copyoutmbuf(c.m, 64, 20);
    assert_copied(&c, dest, 64, 20);
    g_assert_cmpmem((const void *)dest, 32, tcp4_packet + 20, 32);
    chain_clear(&c);
}

static void
test_length_0_copies_the_rest_of_the_chain(void)
{
    static const size_t split[] = { 20, 32 };
    struct chain c;

    chain_init(&c, split, G_N_ELEMENTS(split), tcp4_packet);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 0, 0), 52, 0);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 0, 20), 32, 20);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 0, 33), 19, 33);
    chain_clear(&c);
}

static void
test_offset_inside_the_second_mbuf_is_found(void)
{
    static const size_t lens[] = { 14, 20, 32 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), NULL);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 10, 14), 10, 14); /* its first byte */
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 6, 15), 6, 15); /* inside it */
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 30, 20), 30, 20); /* on into the third */
    chain_clear(&c);
}

static void
test_offset_inside_a_later_mbuf_is_found(void)
{
    static const size_t lens[] = { 3, 5, 8, 13, 21, 34 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), NULL);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 4, 17), 4, 17); /* inside the fourth */
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 40, 29), 40, 29); /* fifth's first, to the end */
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 0, 83), 1, 83); /* the last byte */
    chain_clear(&c);
}

static void
test_zero_length_mbufs_are_skipped(void)
{
    static const size_t lens[] = { 0, 0, 10, 0, 0, 0, 7, 0 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), NULL);
    for (size_t i = 0; i < c.n; i++)
        if (c.m[i].m_len == 0)
            c.m[i].m_data = NULL; /* never loaded from */
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 0, 0), 17, 0);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 5, 8), 5, 8);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 24, 0), 24, 0);
    chain_clear(&c);
}

static void
test_offset_past_the_end_reads_as_zeros(void)
{
    static const size_t lens[] = { 20, 32 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), tcp4_packet);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 16, 52), 16, 52);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 16, 1000), 16, 1000);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 0, 1000), 0, 1000); /* nothing at all */
    chain_clear(&c);
}

static void
test_every_offset_and_length_matches_the_flat_chain(void)
{
    static const size_t lens[] = { 7, 0, 1, 100, 0, 0, 33, 2 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), NULL);
    for (size_t off = 0; off <= c.len + 3; off++) {
        for (size_t len = 0; len <= c.len + 5; len++) {
            size_t n = len != 0 ? len : off < c.len ? c.len - off : 0;

            scratch_init(256, 0);
            assert_copied(&c, copyoutmbuf(c.m, len, off), n, off);
            assert_scratch_untouched(scratch_ptr);
        }
    }
    chain_clear(&c);
}

static void
test_too_little_scratch_faults_with_noscratch(void)
{
    static const size_t lens[] = { 20, 32 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), tcp4_packet);
    scratch_init(64, 8);
    assert_fault(copyoutmbuf(c.m, 57, 0), scratch_ptr, CPU_DTRACE_NOSCRATCH, 0);
    assert_scratch_untouched((uintptr_t)scratch_base);
    /* The whole chain (length 0) does not fit either. */
    scratch_init(64, 24);
    assert_fault(copyoutmbuf(c.m, 0, 0), scratch_ptr, CPU_DTRACE_NOSCRATCH, 0);
    chain_clear(&c);
}

static void
test_result_exactly_filling_scratch_succeeds(void)
{
    static const size_t lens[] = { 20, 32 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), tcp4_packet);
    scratch_init(64, 8);
    assert_copied(&c, copyoutmbuf(c.m, 56, 0), 56, 0);
    g_assert_cmphex(scratch_ptr, ==, scratch_end);
    scratch_init(60, 8);
    assert_copied(&c, copyoutmbuf(c.m, 0, 0), 52, 0);
    g_assert_cmphex(scratch_ptr, ==, scratch_end);
    chain_clear(&c);
}

static void
test_result_is_8_byte_aligned_and_scratch_moves_past_it(void)
{
    static const size_t lens[] = { 20, 32 };
    struct chain c;
    uintptr_t dest;

    chain_init(&c, lens, G_N_ELEMENTS(lens), tcp4_packet);
    scratch_init(256, 3);
    dest = copyoutmbuf(c.m, 13, 0);
    g_assert_cmphex(dest, ==, (uintptr_t)scratch_base + 8);
    assert_copied(&c, dest, 13, 0);
    /* A second call in the same clause lands after the first. */
    dest = copyoutmbuf(c.m, 4, 20);
    g_assert_cmphex(dest, ==, (uintptr_t)scratch_base + 24);
    assert_copied(&c, dest, 4, 20);
    g_assert_cmpmem(scratch_base + 8, 13, tcp4_packet, 13);
    chain_clear(&c);
}

static void
test_alignment_padding_counts_against_scratch(void)
{
    static const size_t lens[] = { 20, 32 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), tcp4_packet);
    /* 61 bytes free from offset 3, but 56 once aligned to 8. */
    scratch_init(64, 3);
    assert_fault(copyoutmbuf(c.m, 57, 0), scratch_ptr, CPU_DTRACE_NOSCRATCH, 0);
    scratch_init(64, 3);
    assert_copied(&c, copyoutmbuf(c.m, 56, 0), 56, 0);
    /* Padding past the end fails even for an empty result. */
    scratch_init(4, 3);
    assert_fault(copyoutmbuf(c.m, 0, 52), scratch_ptr, CPU_DTRACE_NOSCRATCH, 0);
    chain_clear(&c);
}

static void
test_huge_length_and_offset_do_not_wrap(void)
{
    static const size_t lens[] = { 20, 32 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), tcp4_packet);
    scratch_init(256, 0);
    assert_fault(copyoutmbuf(c.m, UINT64_MAX, 0), scratch_ptr, CPU_DTRACE_NOSCRATCH, 0);
    scratch_init(256, 0);
    assert_fault(copyoutmbuf(c.m, (uint64_t)1 << 32, 0), scratch_ptr, CPU_DTRACE_NOSCRATCH, 0);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 16, UINT64_MAX), 16, SIZE_MAX);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 0, UINT64_MAX), 0, SIZE_MAX);
    chain_clear(&c);
}

static void
test_null_chain_faults_with_badaddr(void)
{
    safe_loads_reset();
    scratch_init(256, 0);
    assert_fault(copyoutmbuf(NULL, 64, 0), scratch_ptr, CPU_DTRACE_BADADDR, 0);
    g_assert_cmpuint(safe_loads_stats.loads, ==, 0);
}

static void
test_null_m_next_ends_the_chain(void)
{
    static const size_t lens[] = { 20, 32 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), tcp4_packet);
    g_assert_null(c.m[1].m_next);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 0, 0), 52, 0);
    /* It stopped at the NULL instead of loading from NULL + offsetof(...). */
    g_assert_cmphex(safe_loads_stats.lowest, >=, 4096);
    chain_clear(&c);
}

static void
test_cyclic_chain_faults_with_illop_after_bounded_hops(void)
{
    static const size_t lens[] = { 0, 5, 0 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), NULL);
    c.m[2].m_next = &c.m[0];

    /* Copying the rest of the chain, which never ends. */
    scratch_init(DTRACE_MBUF_MAXHOPS * 8, 0);
    assert_fault(copyoutmbuf(c.m, 0, 0), scratch_ptr, CPU_DTRACE_ILLOP, ~(uintptr_t)0);
    g_assert_cmpuint(safe_loads_stats.loads, <=, DTRACE_MBUF_MAXHOPS * (HEADER_LOADS + 5));

    /* Looking for an offset the cycle never reaches. */
    safe_loads_stats.loads = 0;
    scratch_init(256, 0);
    assert_fault(copyoutmbuf(c.m, 8, 1 << 20), scratch_ptr, CPU_DTRACE_ILLOP, ~(uintptr_t)0);
    g_assert_cmpuint(safe_loads_stats.loads, <=, DTRACE_MBUF_MAXHOPS * HEADER_LOADS);
    chain_clear(&c);
}

static void
test_chain_of_maxhops_mbufs_is_read_but_one_more_faults(void)
{
    size_t lens[DTRACE_MBUF_MAXHOPS + 1];
    struct chain c;

    for (size_t i = 0; i < G_N_ELEMENTS(lens); i++)
        lens[i] = 1;
    chain_init(&c, lens, DTRACE_MBUF_MAXHOPS, NULL);
    scratch_init(2 * DTRACE_MBUF_MAXHOPS, 0);
    assert_copied(&c, copyoutmbuf(c.m, 0, 0), DTRACE_MBUF_MAXHOPS, 0);
    chain_clear(&c);

    chain_init(&c, lens, G_N_ELEMENTS(lens), NULL);
    scratch_init(2 * DTRACE_MBUF_MAXHOPS, 0);
    assert_fault(copyoutmbuf(c.m, 0, 0), scratch_ptr, CPU_DTRACE_ILLOP,
                 (uintptr_t)&c.m[DTRACE_MBUF_MAXHOPS]);
    /* A short copy from its head never gets that far. */
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 64, 0), 64, 0);
    chain_clear(&c);
}

static void
test_unreadable_mbuf_faults_with_badaddr(void)
{
    struct mbuf unmapped = { 0 };

    safe_loads_reset();
    scratch_init(256, 0);
    assert_fault(copyoutmbuf(&unmapped, 64, 0), scratch_ptr, CPU_DTRACE_BADADDR,
                 (uintptr_t)&unmapped);
}

static void
test_cut_short_mbuf_faults_at_its_first_bad_byte(void)
{
    /* Where the second mbuf's readable bytes end, like one at a page's end. */
    static const size_t cuts[] = {
        offsetof(struct mbuf, m_data), offsetof(struct mbuf, m_len),
        offsetof(struct mbuf, m_len) + sizeof(int32_t), /* m_type, m_flags */
    };
    static const size_t lens[] = { 20, 32 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), tcp4_packet);
    for (size_t i = 0; i < G_N_ELEMENTS(cuts); i++) {
        safe_loads_reset();
        safe_loads_map(&c.m[0], offsetof(struct mbuf, m_dat));
        safe_loads_map(c.m[0].m_data, 20);
        safe_loads_map(&c.m[1], cuts[i]);
        safe_loads_map(c.m[1].m_data, 32);
        scratch_init(256, 0);
        assert_fault(copyoutmbuf(c.m, 64, 0), scratch_ptr, CPU_DTRACE_BADADDR,
                     (uintptr_t)&c.m[1] + cuts[i]);
        g_assert_cmpuint(safe_loads_stats.loads_after_fault, ==, 0);
    }
    chain_clear(&c);
}

static void
test_unreadable_m_next_faults_with_badaddr(void)
{
    static const size_t lens[] = { 20, 32 };
    const uintptr_t bad = (uintptr_t)0xdead0000;
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), tcp4_packet);
    c.m[1].m_next = (struct mbuf *)bad;
    scratch_init(256, 0);
    assert_fault(copyoutmbuf(c.m, 64, 0), scratch_ptr, CPU_DTRACE_BADADDR, bad);
    /* Bytes before the bad pointer are still fine. */
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 52, 0), 52, 0);
    chain_clear(&c);
}

static void
test_unreadable_data_fault_at_the_first_bad_byte(void)
{
    static const size_t lens[] = { 20, 32 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), tcp4_packet);
    /* Map only the first 12 bytes of the second mbuf's data. */
    safe_loads_reset();
    safe_loads_map(&c.m[0], offsetof(struct mbuf, m_dat));
    safe_loads_map(c.m[0].m_data, 20);
    safe_loads_map(&c.m[1], offsetof(struct mbuf, m_dat));
    safe_loads_map(c.m[1].m_data, 12);
    scratch_init(256, 0);
    assert_fault(copyoutmbuf(c.m, 52, 0), scratch_ptr, CPU_DTRACE_BADADDR,
                 (uintptr_t)c.m[1].m_data + 12);
    g_assert_cmpuint(safe_loads_stats.loads_after_fault, ==, 0);
    chain_clear(&c);
}

static void
test_negative_m_len_faults_with_badaddr(void)
{
    static const size_t lens[] = { 20, 32 };
    struct chain c;

    chain_init(&c, lens, G_N_ELEMENTS(lens), tcp4_packet);
    c.m[1].m_len = -1;
    scratch_init(256, 0);
    assert_fault(copyoutmbuf(c.m, 64, 0), scratch_ptr, CPU_DTRACE_BADADDR, (uintptr_t)&c.m[1]);
    chain_clear(&c);
}

/* An unmapped (M_EXTPG) mbuf of 1000 bytes between two ordinary ones. */
static void
chain_with_extpg(struct chain *c)
{
    static const size_t lens[] = { 20, 1000, 10 };

    chain_init(c, lens, G_N_ELEMENTS(lens), NULL);
    c->m[1].m_flags = M_EXT | M_EXTPG;
    c->m[1].m_data = NULL; /* its bytes are in physical pages */
}

static void
test_unmapped_extpg_mbuf_is_refused_with_illop(void)
{
    struct chain c;

    chain_with_extpg(&c);
    scratch_init(2048, 0);
    assert_fault(copyoutmbuf(c.m, 64, 0), scratch_ptr, CPU_DTRACE_ILLOP, (uintptr_t)&c.m[1]);
    scratch_init(2048, 0);
    assert_fault(copyoutmbuf(c.m, 0, 0), scratch_ptr, CPU_DTRACE_ILLOP, (uintptr_t)&c.m[1]);
    scratch_init(2048, 0);
    assert_fault(copyoutmbuf(c.m, 1, 1019), scratch_ptr, CPU_DTRACE_ILLOP, (uintptr_t)&c.m[1]);
    chain_clear(&c);
}

static void
test_extpg_mbuf_outside_the_range_is_not_read(void)
{
    struct chain c;

    chain_with_extpg(&c);
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 20, 0), 20, 0); /* ends before it */
    scratch_init(256, 0);
    assert_copied(&c, copyoutmbuf(c.m, 16, 1020), 16, 1020); /* starts after it */
    chain_clear(&c);
}

static const struct {
    const char *name;
    GTestFunc func;
} cases[] = {
    { "copyoutmbuf_pads_a_52_byte_packet_to_64_with_zeros",
      test_pads_a_52_byte_packet_to_64_with_zeros },
    { "copyoutmbuf_from_offset_20_gives_the_tcp_header_then_zeros",
      test_offset_20_gives_the_tcp_header_then_zeros },
    { "copyoutmbuf_of_length_0_copies_the_rest_of_the_chain",
      test_length_0_copies_the_rest_of_the_chain },
    { "copyoutmbuf_finds_an_offset_inside_the_second_mbuf",
      test_offset_inside_the_second_mbuf_is_found },
    { "copyoutmbuf_finds_an_offset_inside_a_later_mbuf", test_offset_inside_a_later_mbuf_is_found },
    { "copyoutmbuf_skips_zero_length_mbufs", test_zero_length_mbufs_are_skipped },
    { "copyoutmbuf_reads_zeros_past_the_end", test_offset_past_the_end_reads_as_zeros },
    { "copyoutmbuf_matches_the_flat_chain_at_every_offset_and_length",
      test_every_offset_and_length_matches_the_flat_chain },
    { "copyoutmbuf_faults_noscratch_when_scratch_is_short",
      test_too_little_scratch_faults_with_noscratch },
    { "copyoutmbuf_may_fill_scratch_exactly", test_result_exactly_filling_scratch_succeeds },
    { "copyoutmbuf_result_is_8_byte_aligned_and_scratch_moves_past_it",
      test_result_is_8_byte_aligned_and_scratch_moves_past_it },
    { "copyoutmbuf_counts_alignment_padding_against_scratch",
      test_alignment_padding_counts_against_scratch },
    { "copyoutmbuf_huge_length_and_offset_do_not_wrap", test_huge_length_and_offset_do_not_wrap },
    { "copyoutmbuf_of_null_faults_badaddr", test_null_chain_faults_with_badaddr },
    { "copyoutmbuf_stops_at_a_null_m_next", test_null_m_next_ends_the_chain },
    { "copyoutmbuf_faults_illop_on_a_cyclic_chain_after_bounded_hops",
      test_cyclic_chain_faults_with_illop_after_bounded_hops },
    { "copyoutmbuf_reads_maxhops_mbufs_but_faults_on_one_more",
      test_chain_of_maxhops_mbufs_is_read_but_one_more_faults },
    { "copyoutmbuf_faults_badaddr_on_an_unreadable_mbuf",
      test_unreadable_mbuf_faults_with_badaddr },
    { "copyoutmbuf_faults_badaddr_at_the_first_unreadable_byte_of_an_mbuf",
      test_cut_short_mbuf_faults_at_its_first_bad_byte },
    { "copyoutmbuf_faults_badaddr_on_an_unreadable_m_next",
      test_unreadable_m_next_faults_with_badaddr },
    { "copyoutmbuf_faults_badaddr_at_the_first_unreadable_data_byte",
      test_unreadable_data_fault_at_the_first_bad_byte },
    { "copyoutmbuf_faults_badaddr_on_a_negative_m_len", test_negative_m_len_faults_with_badaddr },
    { "copyoutmbuf_refuses_an_unmapped_extpg_mbuf_with_illop",
      test_unmapped_extpg_mbuf_is_refused_with_illop },
    { "copyoutmbuf_does_not_read_an_extpg_mbuf_outside_the_range",
      test_extpg_mbuf_outside_the_range_is_not_read },
};

int
main(int argc, char **argv)
{
    int status;

    /* One ctest per case: test_copyoutmbuf -p /NAME. */
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *path = g_strconcat("/", cases[i].name, NULL);

        g_test_add_func(path, cases[i].func);
        g_free(path);
    }
    status = g_test_run();
    g_free(scratch_base);
    return status;
}
