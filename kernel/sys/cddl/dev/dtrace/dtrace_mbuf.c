/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE AUTHOR AND CONTRIBUTORS ``AS IS'' AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED.  IN NO EVENT SHALL THE AUTHOR OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS
 * OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
 * HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT
 * LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY
 * OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF
 * SUCH DAMAGE.
 */

/*
 * copyoutmbuf(m, length[, offset]) for DTrace: bytes of an mbuf chain read
 * into scratch space in probe context.  Despite the name (OpenDTrace RFD 1)
 * it writes nothing but scratch.
 *
 * A probe may fire anywhere, on a chain that is being built, freed or is
 * corrupt, so m_copydata() will not do: its KASSERTs panic on a short chain
 * and its plain loads fault on a bad pointer.  This walk reads the chain only
 * through DTrace's safe loads, which turn a bad address into a fault flag,
 * stops at the first fault, and gives up after DTRACE_MBUF_MAXHOPS mbufs.  It
 * calls nothing outside DTrace, and every function is named dtrace_* so that
 * fbt never instruments it.
 *
 * dtrace.c includes this file at its end, as it does dtrace_anon.c and the
 * other glue here, so no build file changes; it also compiles on its own.
 */

#include <sys/param.h>
#include <sys/mbuf.h>

#include <cddl/compat/opensolaris/sys/cpuvar_defs.h>

#include "dtrace_mbuf.h"

/*
 * m_type and m_flags are bitfields sharing the 32-bit word after m_len, which
 * offsetof() cannot name.  The word is loaded whole and read through a union
 * declared like struct mbuf, so the compiler places the bits as it does there.
 */
union dtrace_mbuf_typeflags {
	uint32_t	word;
	struct {
		uint32_t	m_type:8,
				m_flags:24;
	}		bits;
};
_Static_assert(sizeof(union dtrace_mbuf_typeflags) == sizeof(uint32_t),
    "m_type and m_flags share one 32-bit word");
#define	DTRACE_MBUF_TYPEFLAGS_OFF					\
	(offsetof(struct mbuf, m_len) + sizeof(int32_t))

static uintptr_t
dtrace_mbuf_loadptr(uintptr_t addr)
{
#ifdef __LP64__
	return (dtrace_load64(addr));
#else
	return (dtrace_load32(addr));
#endif
}

/* What the walk needs of an mbuf. */
struct dtrace_mbuf_hdr {
	uintptr_t	next;
	uintptr_t	data;
	int32_t		len;
	uint32_t	mflags;
};

/* Loads the header of the mbuf at mb; false at the first fault. */
static bool
dtrace_mbuf_loadhdr(uintptr_t mb, struct dtrace_mbuf_hdr *h,
    volatile uint16_t *flags)
{
	union dtrace_mbuf_typeflags tf;

	h->next = dtrace_mbuf_loadptr(mb + offsetof(struct mbuf, m_next));
	if ((*flags & CPU_DTRACE_FAULT) != 0)
		return (false);
	h->data = dtrace_mbuf_loadptr(mb + offsetof(struct mbuf, m_data));
	if ((*flags & CPU_DTRACE_FAULT) != 0)
		return (false);
	h->len = (int32_t)dtrace_load32(mb + offsetof(struct mbuf, m_len));
	if ((*flags & CPU_DTRACE_FAULT) != 0)
		return (false);
	tf.word = dtrace_load32(mb + DTRACE_MBUF_TYPEFLAGS_OFF);
	h->mflags = tf.bits.m_flags;
	return ((*flags & CPU_DTRACE_FAULT) == 0);
}

/* Copies len bytes from kernel address src; false at the first fault. */
static bool
dtrace_mbuf_load(uint8_t *dst, uintptr_t src, size_t len,
    volatile uint16_t *flags)
{
	size_t i;

	for (i = 0; i < len; i++) {
		dst[i] = dtrace_load8(src + i);
		if ((*flags & CPU_DTRACE_FAULT) != 0)
			return (false);
	}
	return (true);
}

/*
 * Copies len bytes of the chain at m, from off bytes into it, to dst, which
 * has room for room bytes; len == 0 copies the rest of the chain.  Bytes past
 * the chain's end read as zero.  Returns the number of bytes written, or 0
 * with a fault in *flags and, where there is one, the culprit in *illval:
 *	CPU_DTRACE_BADADDR	m is NULL, an mbuf or its data cannot be read,
 *				or an m_len is negative
 *	CPU_DTRACE_NOSCRATCH	the result does not fit in room
 *	CPU_DTRACE_ILLOP	more than DTRACE_MBUF_MAXHOPS mbufs, or bytes
 *				wanted lie in an unmapped (M_EXTPG) mbuf
 * No load follows a fault, so *illval is the first bad address.
 */
size_t
dtrace_mbuf_copydata(uintptr_t m, uint64_t off, uint64_t len, void *dst,
    size_t room, volatile uint16_t *flags, volatile uintptr_t *illval)
{
	struct dtrace_mbuf_hdr h;
	uint8_t *cp;
	size_t done, n;
	int hops;

	if (m == 0) {
		*flags |= CPU_DTRACE_BADADDR;
		*illval = 0;
		return (0);
	}
	if (len > room) {
		*flags |= CPU_DTRACE_NOSCRATCH;
		return (0);
	}
	cp = dst;
	done = 0;
	for (hops = 0; m != 0 && (len == 0 || done < len); hops++, m = h.next) {
		if (hops == DTRACE_MBUF_MAXHOPS) {
			*flags |= CPU_DTRACE_ILLOP;
			*illval = m;
			return (0);
		}
		if (!dtrace_mbuf_loadhdr(m, &h, flags))
			return (0);
		if (h.len < 0) {
			*flags |= CPU_DTRACE_BADADDR;
			*illval = m;
			return (0);
		}
		if (off >= (uint64_t)h.len) {
			off -= h.len;
			continue;
		}
		n = h.len - off;
		if (len != 0 && n > len - done)
			n = len - done;
		if (len == 0 && n > room - done) {
			*flags |= CPU_DTRACE_NOSCRATCH;
			return (0);
		}
		if ((h.mflags & M_EXTPG) != 0) {
			/* Its pages have no kernel address to load from. */
			*flags |= CPU_DTRACE_ILLOP;
			*illval = m;
			return (0);
		}
		if (!dtrace_mbuf_load(cp + done, h.data + off, n, flags))
			return (0);
		done += n;
		off = 0;
	}
	while (done < len)
		cp[done++] = 0;
	return (done);
}

/*
 * The body of copyoutmbuf(m, len[, off]): copies into the scratch space
 * between *scratch and scratch_end, 8-aligned as copyin() does so that the
 * result can be cast to a header structure, and moves *scratch past the copy.
 * Returns the copy's address, or 0 with a fault set and *scratch unchanged.
 */
uintptr_t
dtrace_copyoutmbuf(uintptr_t m, uint64_t len, uint64_t off, uintptr_t *scratch,
    uintptr_t scratch_end, volatile uint16_t *flags, volatile uintptr_t *illval)
{
	uintptr_t dest;
	size_t n;

	dest = roundup2(*scratch, 8);
	if (dest > scratch_end) {
		*flags |= CPU_DTRACE_NOSCRATCH;
		return (0);
	}
	n = dtrace_mbuf_copydata(m, off, len, (void *)dest, scratch_end - dest,
	    flags, illval);
	if ((*flags & CPU_DTRACE_FAULT) != 0)
		return (0);
	*scratch = dest + n;
	return (dest);
}
