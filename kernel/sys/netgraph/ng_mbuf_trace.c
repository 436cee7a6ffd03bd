/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 */

/*
 * The netgraph node type "mbuf_trace": a pass-through that selects every
 * packet crossing it for mbuf_trace(4).
 *
 * Two hooks, "left" and "right".  A packet arriving on one leaves on the
 * other, unchanged, after mtrace_start_chosen() has started its trace (or
 * continued it); with nothing on the other side it is dropped.  Packets
 * are taken to be Ethernet frames, as they are between ng_ether(4)'s
 * "lower" and "upper" hooks, where the node is meant to go:
 *
 *	ngctl mkpeer vtnet0: mbuf_trace lower left
 *	ngctl name vtnet0:lower mt0
 *	ngctl connect vtnet0: mt0: upper right
 *
 * The filter of mbuf_trace(4) still applies, and nothing happens at all
 * while no one listens on the mbuf_trace interface.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mbuf_trace.h>

#include <netgraph/ng_message.h>
#include <netgraph/netgraph.h>

#define	NG_MBUF_TRACE_NODE_TYPE	"mbuf_trace"
#define	NG_MBUF_TRACE_HOOK_LEFT	"left"
#define	NG_MBUF_TRACE_HOOK_RIGHT "right"

static ng_constructor_t	ng_mbuf_trace_constructor;
static ng_shutdown_t	ng_mbuf_trace_shutdown;
static ng_newhook_t	ng_mbuf_trace_newhook;
static ng_rcvdata_t	ng_mbuf_trace_rcvdata;
static ng_disconnect_t	ng_mbuf_trace_disconnect;

static struct ng_type ng_mbuf_trace_typestruct = {
	.version =	NG_ABI_VERSION,
	.name =		NG_MBUF_TRACE_NODE_TYPE,
	.constructor =	ng_mbuf_trace_constructor,
	.shutdown =	ng_mbuf_trace_shutdown,
	.newhook =	ng_mbuf_trace_newhook,
	.rcvdata =	ng_mbuf_trace_rcvdata,
	.disconnect =	ng_mbuf_trace_disconnect,
};
NETGRAPH_INIT(mbuf_trace, &ng_mbuf_trace_typestruct);

static MALLOC_DEFINE(M_NETGRAPH_MBUF_TRACE, "netgraph_mbuf_trace",
    "netgraph mbuf_trace node");

/* The node's two hooks; a packet from one leaves by the other. */
struct ng_mbuf_trace_priv {
	hook_p	left;
	hook_p	right;
};

static int
ng_mbuf_trace_constructor(node_p node)
{
	struct ng_mbuf_trace_priv *priv;

	priv = malloc(sizeof(*priv), M_NETGRAPH_MBUF_TRACE, M_WAITOK | M_ZERO);
	NG_NODE_SET_PRIVATE(node, priv);
	return (0);
}

static int
ng_mbuf_trace_newhook(node_p node, hook_p hook, const char *name)
{
	struct ng_mbuf_trace_priv *priv;
	hook_p *slot;

	priv = NG_NODE_PRIVATE(node);
	if (strcmp(name, NG_MBUF_TRACE_HOOK_LEFT) == 0)
		slot = &priv->left;
	else if (strcmp(name, NG_MBUF_TRACE_HOOK_RIGHT) == 0)
		slot = &priv->right;
	else
		return (EINVAL);
	if (*slot != NULL)
		return (EISCONN);
	*slot = hook;
	return (0);
}

static int
ng_mbuf_trace_rcvdata(hook_p hook, item_p item)
{
	struct ng_mbuf_trace_priv *priv;
	hook_p out;
	int error;

	priv = NG_NODE_PRIVATE(NG_HOOK_NODE(hook));
	mtrace_start_chosen(NGI_M(item), MTRACE_L2);
	out = hook == priv->left ? priv->right : priv->left;
	if (out == NULL) {
		NG_FREE_ITEM(item);
		return (ENOTCONN);
	}
	NG_FWD_ITEM_HOOK(error, item, out);
	return (error);
}

static int
ng_mbuf_trace_disconnect(hook_p hook)
{
	struct ng_mbuf_trace_priv *priv;
	node_p node;

	node = NG_HOOK_NODE(hook);
	priv = NG_NODE_PRIVATE(node);
	if (hook == priv->left)
		priv->left = NULL;
	else if (hook == priv->right)
		priv->right = NULL;
	/* Like ng_tee(4): the node goes with its last hook. */
	if (NG_NODE_NUMHOOKS(node) == 0 && NG_NODE_IS_VALID(node))
		ng_rmnode_self(node);
	return (0);
}

static int
ng_mbuf_trace_shutdown(node_p node)
{

	free(NG_NODE_PRIVATE(node), M_NETGRAPH_MBUF_TRACE);
	NG_NODE_SET_PRIVATE(node, NULL);
	NG_NODE_UNREF(node);
	return (0);
}
