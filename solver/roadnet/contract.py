"""Collapse degree-2 chains so a search visits junctions only.

Most nodes of an unsimplified OSM graph only bend a road. A node whose single way in
and single way out (or, on a two-way road, the same two neighbours in both directions)
continue one road is *interior*; a chain runs from one junction to the next through
interior nodes. Searching the junction graph is several times faster and exact: each
chain's weight is the sum of its edges, and every original edge remembers its chain
and its offset along it, so a point on any edge can be joined to the junction graph
(see ``network.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix

from solver.roadnet.compiled import CompiledGraph


@dataclass(frozen=True)
class Contracted:
    junction_of_node: npt.NDArray[np.int64]  # node -> junction index, or -1
    junction_nodes: npt.NDArray[np.int64]  # junction index -> node
    forward: csr_matrix  # junction graph, seconds
    backward: csr_matrix  # its transpose, for searches towards a point
    edge_chain: npt.NDArray[np.int64]  # original edge -> chain
    edge_offset: npt.NDArray[np.float64]  # seconds along the chain before the edge
    chain_start: npt.NDArray[np.int64]  # chain -> junction index
    chain_end: npt.NDArray[np.int64]
    chain_seconds: npt.NDArray[np.float64]
    chain_edges: list[list[int]]  # chain -> original edges in order


def contract(g: CompiledGraph) -> Contracted:
    n = g.nodes
    out_edges: list[list[int]] = [[] for _ in range(n)]
    in_edges: list[list[int]] = [[] for _ in range(n)]
    for e, (a, b) in enumerate(zip(g.u.tolist(), g.v.tolist(), strict=True)):
        out_edges[a].append(e)
        in_edges[b].append(e)
    u, v = g.u.tolist(), g.v.tolist()

    def interior(x: int) -> bool:
        outs = {v[e] for e in out_edges[x]}
        ins = {u[e] for e in in_edges[x]}
        if len(out_edges[x]) == 1 and len(in_edges[x]) == 1:
            return outs != ins  # a one-way road passing through
        if len(out_edges[x]) == 2 and len(in_edges[x]) == 2:
            return len(outs) == 2 and outs == ins  # a two-way road passing through
        return False

    is_junction = np.array([not interior(x) for x in range(n)], dtype=bool)
    if not is_junction.any():  # a single loop: any node will do
        is_junction[0] = True
    junction_nodes = np.flatnonzero(is_junction).astype(np.int64)
    junction_of_node = np.full(n, -1, dtype=np.int64)
    junction_of_node[junction_nodes] = np.arange(len(junction_nodes))

    edge_chain = np.full(len(u), -1, dtype=np.int64)
    edge_offset = np.zeros(len(u), dtype=np.float64)
    starts: list[int] = []
    ends: list[int] = []
    totals: list[float] = []
    chains: list[list[int]] = []
    w = g.seconds.tolist()
    for j in junction_nodes.tolist():
        for first in out_edges[j]:
            chain_id = len(chains)
            path: list[int] = []
            total = 0.0
            e = first
            prev = j
            while True:
                edge_chain[e] = chain_id
                edge_offset[e] = total
                path.append(e)
                total += w[e]
                x = v[e]
                if is_junction[x]:
                    break
                nxt = [f for f in out_edges[x] if v[f] != prev] or out_edges[x]
                prev, e = x, nxt[0]
            starts.append(int(junction_of_node[j]))
            ends.append(int(junction_of_node[v[e]]))
            totals.append(total)
            chains.append(path)
    if (edge_chain < 0).any():  # pragma: no cover - guaranteed by the walk above
        raise AssertionError("an edge belongs to no chain")
    s = np.asarray(starts, dtype=np.int64)
    t = np.asarray(ends, dtype=np.int64)
    c = np.asarray(totals, dtype=np.float64)
    k = len(junction_nodes)
    keep = s != t
    order = np.lexsort((c[keep], t[keep], s[keep]))
    ss, tt, cc = s[keep][order], t[keep][order], c[keep][order]
    first_of_pair = np.ones(len(ss), dtype=bool)
    first_of_pair[1:] = (ss[1:] != ss[:-1]) | (tt[1:] != tt[:-1])
    forward = csr_matrix((cc[first_of_pair], (ss[first_of_pair], tt[first_of_pair])), shape=(k, k))
    return Contracted(
        junction_of_node=junction_of_node,
        junction_nodes=junction_nodes,
        forward=forward,
        backward=forward.T.tocsr(),
        edge_chain=edge_chain,
        edge_offset=edge_offset,
        chain_start=s,
        chain_end=t,
        chain_seconds=c,
        chain_edges=chains,
    )
