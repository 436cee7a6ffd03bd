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
 * The mbuf chain walk behind the D subroutine copyoutmbuf() (OpenDTrace
 * RFD 1).  dtrace.c includes this header for the prototypes and
 * dtrace_mbuf.c at its end, as it does with the rest of the FreeBSD glue in
 * this directory.
 */

#ifndef _DTRACE_MBUF_H_
#define	_DTRACE_MBUF_H_

/*
 * The most mbufs one call visits.  A 64 KB packet in plain mbufs is about
 * 300 of them; a longer walk is a cyclic or corrupt chain, and probe context
 * must not spin on it.
 */
#define	DTRACE_MBUF_MAXHOPS	1024

/*
 * DTrace's safe loads, which dtrace.c defines and declares for itself; here
 * for dtrace_mbuf.c, which also compiles on its own.
 */
uint8_t		dtrace_load8(uintptr_t);
uint32_t	dtrace_load32(uintptr_t);
uint64_t	dtrace_load64(uintptr_t);

size_t dtrace_mbuf_copydata(uintptr_t m, uint64_t off, uint64_t len, void *dst,
    size_t room, volatile uint16_t *flags, volatile uintptr_t *illval);
uintptr_t dtrace_copyoutmbuf(uintptr_t m, uint64_t len, uint64_t off,
    uintptr_t *scratch, uintptr_t scratch_end, volatile uint16_t *flags,
    volatile uintptr_t *illval);

#endif /* !_DTRACE_MBUF_H_ */
