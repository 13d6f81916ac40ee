"""What the network view shows, computed off the UI thread from a ``NetworkAnalysis``.

Plain numpy and dataclasses, no Qt: filters (group, department, community, minimum tie
strength), the ego network of a person, and the switch between showing people and showing
clusters. Above ``threshold`` visible people the view shows clusters — communities or
departments — sized by headcount, coloured by readiness, joined by summed tie strength; if a
cluster cannot be split further, the most influential ``threshold`` members are shown instead,
and the view says so.

People without a tie in view cost no layout work: Louvain leaves each of them a community of
one, so 3,000 imported people without ties made 3,000 clusters (a force layout and a
label-overlap pass over 3,000² pairs, minutes and ~1 GB). In the community clusters they
form one "No ties" cluster and communities beyond the largest ``MAX_CLUSTERS`` one
"Smaller communities" cluster; in the people view they sit on a grid below the drawing and
the force layout runs over the tied people only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from cmio_desktop.analysis.network_layout import cached_layout, force_layout
from cmio_desktop.services.network.analysis import NetworkAnalysis

ClusterBy = Literal["community", "department"]
DEFAULT_THRESHOLD = 600
MAX_CLUSTER_EDGES = 45
EDGES_PER_CLUSTER = 3
LABEL_HEIGHT = 32.0  # two label lines, in pixels
MAX_CLUSTERS = 40  # community clusters drawn one by one; the rest share one
NO_TIES_KEY, SMALLER_KEY = "no-ties", "smaller"  # cluster keys that name no one community


@dataclass(frozen=True)
class ViewFilters:
    group: str | None = None  # StakeholderGroup value
    department: str | None = None
    community: int | None = None
    min_strength: int = 1
    ego_id: int | None = None  # with ego_depth > 0: that person and their neighbourhood
    ego_depth: int = 0
    cluster_by: ClusterBy = "community"
    threshold: int = DEFAULT_THRESHOLD

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.group
            or self.department
            or self.community is not None
            or self.min_strength > 1
            or (self.ego_id is not None and self.ego_depth > 0)
        )


@dataclass(frozen=True)
class Cluster:
    key: str  # community number or department name; NO_TIES_KEY / SMALLER_KEY for the lumps
    label: str
    size: int
    assessed: int
    readiness: float | None  # headcount mean
    influence_weighted: float | None
    internal_strength: float
    top_member: str


@dataclass
class ViewGraph:
    """Scene-ready data; coordinates are scene units."""

    mode: Literal["people", "clusters", "empty"]
    cluster_by: ClusterBy = "community"
    people: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # positions
    xy: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    radius: np.ndarray = field(default_factory=lambda: np.zeros(0))
    edge_a: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # local indexes
    edge_b: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    edge_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    clusters: list[Cluster] = field(default_factory=list)
    matching: int = 0  # people matching the filters (before aggregation or trimming)
    note: str = ""
    scope: np.ndarray | None = None  # mask of the people matching the filters (None: all)
    unit: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))  # layout in [-1, 1]
    # clusters view: person position → index into ``clusters`` (-1: not shown)
    cluster_of: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def cluster_key_of(self, position: int) -> str | None:
        """The key of the cluster that holds the person at ``position`` (clusters view)."""
        if self.mode != "clusters" or not 0 <= position < self.cluster_of.size:
            return None
        j = int(self.cluster_of[position])
        return self.clusters[j].key if j >= 0 else None

    def unit_positions(self, ids: np.ndarray) -> dict[int, tuple[float, float]]:
        """Person id → layout position, to start the next layout from (people view only)."""
        if self.mode != "people":
            return {}
        return {
            int(i): (float(x), float(y))
            for i, (x, y) in zip(ids[self.people].tolist(), self.unit.tolist(), strict=True)
        }


class NetworkIndex:
    """Lookups built once per analysis: codes for filters and an undirected adjacency."""

    def __init__(self, analysis: NetworkAnalysis) -> None:
        import scipy.sparse as sp

        a = analysis
        self.analysis = a
        self.departments = sorted({d for d in a.department if d}, key=str.casefold)
        self.groups = sorted(set(a.group))
        self._dept_code = {d: i for i, d in enumerate(sorted(set(a.department)))}
        self.dept = np.fromiter((self._dept_code[d] for d in a.department), np.int64, a.n)
        self._group_code = {g: i for i, g in enumerate(sorted(set(a.group)))}
        self.group = np.fromiter((self._group_code[g] for g in a.group), np.int64, a.n)
        self.dept_names = sorted(self._dept_code, key=self._dept_code.__getitem__)
        n = a.n
        both_src = np.concatenate([a.tie_source, a.tie_target])
        both_tgt = np.concatenate([a.tie_target, a.tie_source])
        both_w = np.concatenate([a.tie_strength, a.tie_strength])
        self.adjacency = sp.csr_matrix((both_w, (both_src, both_tgt)), shape=(n, n))
        self.adjacency.sum_duplicates()

    def mask(self, f: ViewFilters) -> np.ndarray:
        a = self.analysis
        keep = np.ones(a.n, dtype=bool)
        if f.group is not None:
            keep &= self.group == self._group_code.get(f.group, -1)
        if f.department is not None:
            keep &= self.dept == self._dept_code.get(f.department, -1)
        if f.community is not None:
            keep &= a.community == f.community
        return keep

    def ego(self, person: int, depth: int, min_strength: int) -> np.ndarray:
        """Mask of the person and everyone within ``depth`` ties (either direction)."""
        a = self.analysis
        keep = np.zeros(a.n, dtype=bool)
        keep[person] = True
        adj = self.adjacency
        frontier = np.array([person])
        for _ in range(depth):
            nxt = []
            for p in frontier.tolist():
                start, stop = adj.indptr[p], adj.indptr[p + 1]
                nbrs = adj.indices[start:stop][adj.data[start:stop] >= min_strength]
                nxt.append(nbrs)
            found = np.unique(np.concatenate(nxt)) if nxt else np.zeros(0, np.int64)
            found = found[~keep[found]]
            keep[found] = True
            frontier = found
        return keep


def build_view(
    index: NetworkIndex,
    f: ViewFilters,
    progress=None,  # noqa: ANN001
    previous: dict[int, tuple[float, float]] | None = None,
) -> ViewGraph:
    """The people or clusters to show for these filters, with scene coordinates.

    ``previous`` (person id → layout position from the picture shown before an edit) makes
    the new layout start where people were, so an edit does not rearrange the drawing."""
    graph = _build(index, f, progress, previous)
    if graph.scope is not None and not f.is_filtered:
        graph.scope = None
    return graph


def _build(
    index: NetworkIndex,
    f: ViewFilters,
    progress,  # noqa: ANN001
    previous: dict[int, tuple[float, float]] | None,
) -> ViewGraph:
    a = index.analysis
    if a.n == 0:
        return ViewGraph("empty", f.cluster_by, note="No people in this workspace yet.")
    ego_pos = a.position_of(f.ego_id) if f.ego_id is not None and f.ego_depth > 0 else None
    keep = index.mask(f) if ego_pos is None else index.ego(ego_pos, f.ego_depth, f.min_strength)
    people = np.flatnonzero(keep)
    if people.size == 0:
        return ViewGraph("empty", f.cluster_by, note="Nobody matches these filters.", scope=keep)
    strong = a.tie_strength >= f.min_strength
    tie_keep = strong & keep[a.tie_source] & keep[a.tie_target]
    if people.size <= f.threshold:
        note = ""
        if f.ego_depth > 0 and ego_pos is None:
            note = "Select a person (click a node or a ranking row) to see their neighbourhood."
        graph = _people_view(a, people, tie_keep, f, people.size, note, progress, previous)
        graph.scope = keep
        return graph
    for by in (f.cluster_by, _other(f.cluster_by)):
        codes, labels = _cluster_codes(index, by, people, tie_keep)
        if np.unique(codes[people]).size >= 2:
            graph = _cluster_view(a, people, codes, labels, by, tie_keep, progress)
            graph.scope = keep
            return graph
    top = people[np.lexsort((people, -a.influence[people]))[: f.threshold]]
    trimmed = np.zeros(a.n, dtype=bool)
    trimmed[top] = True
    tie_keep &= trimmed[a.tie_source] & trimmed[a.tie_target]
    note = (
        f"Showing the {top.size:,} most influential of {people.size:,} people; "
        "narrow the filters to see everyone."
    )
    graph = _people_view(a, np.sort(top), tie_keep, f, people.size, note, progress, previous)
    graph.scope = keep
    return graph


def _digest(people: np.ndarray) -> str:
    return hashlib.blake2b(people.tobytes(), digest_size=16).hexdigest()


def _other(by: ClusterBy) -> ClusterBy:
    return "department" if by == "community" else "community"


def _cluster_codes(
    index: NetworkIndex, by: ClusterBy, people: np.ndarray, tie_keep: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """A cluster code per person and the codes' labels. Communities: people without a tie
    in view share a "No ties" code, communities beyond the largest :data:`MAX_CLUSTERS` a
    "Smaller communities" code (labels ending in those two), so the count stays bounded."""
    if by == "department":
        return index.dept, [d or "(no department)" for d in index.dept_names]
    a = index.analysis
    count = len(a.community_names)
    codes = a.community.copy()
    no_ties, smaller = count, count + 1
    alone = _without_ties(a.n, a.tie_source[tie_keep], a.tie_target[tie_keep])
    codes[alone] = no_ties
    shown = codes[people]
    sizes = np.bincount(shown[shown < count], minlength=count)
    present = np.flatnonzero(sizes)
    if present.size > MAX_CLUSTERS:
        ranked = present[np.lexsort((present, -sizes[present]))]
        lumped = np.zeros(count + 2, dtype=bool)
        lumped[ranked[MAX_CLUSTERS:]] = True
        codes[lumped[codes]] = smaller
    return codes, [*a.community_names, "No ties", "Smaller communities"]


def _without_ties(n: int, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Mask of the ``n`` nodes that no tie (given as index arrays) touches."""
    degree = np.bincount(source, minlength=n) + np.bincount(target, minlength=n)
    return degree == 0


def _cluster_key(by: ClusterBy, code: int, labels: list[str]) -> str:
    if by == "department":
        return labels[code]
    special = len(labels) - 2  # the "No ties" code; then "Smaller communities"
    return {special: NO_TIES_KEY, special + 1: SMALLER_KEY}.get(code, str(code))


def _people_view(
    a: NetworkAnalysis,
    people: np.ndarray,
    tie_keep: np.ndarray,
    f: ViewFilters,
    matching: int,
    note: str,
    progress,  # noqa: ANN001
    previous: dict[int, tuple[float, float]] | None = None,
) -> ViewGraph:
    local = np.full(a.n, -1, dtype=np.int64)
    local[people] = np.arange(people.size)
    ea, eb = local[a.tie_source[tie_keep]], local[a.tie_target[tie_keep]]
    ew = a.tie_strength[tie_keep]
    key = ("people", a.path, a.revision, _digest(people), f.min_strength)

    alone = _without_ties(people.size, ea, eb)
    tied = np.flatnonzero(~alone)
    to_tied = np.cumsum(~alone) - 1  # local index → index among the tied people
    ta, tb = to_tied[ea], to_tied[eb]
    start = _warm_start(a.ids[people[tied]], previous)

    def compute_tied() -> np.ndarray:
        if start is not None:
            return force_layout(tied.size, ta, tb, ew, initial=start, iterations=30,
                                progress=progress)  # fmt: skip
        groups = None
        if tied.size > 40:  # seed by community, or by department inside one community
            groups = a.community[people[tied]]
            if np.unique(groups).size < 2:
                groups = np.asarray([a.department[p] for p in people[tied].tolist()], object)
        return force_layout(tied.size, ta, tb, ew, groups=groups, progress=progress)

    def compute() -> np.ndarray:
        unit = np.zeros((people.size, 2))
        unit[tied] = compute_tied()
        loners = np.flatnonzero(alone)
        order = sorted(loners.tolist(), key=lambda i: (a.department[people[i]], a.name[people[i]]))
        unit[order] = _grid(len(order), people.size, below=tied.size > 0)
        return unit

    unit = cached_layout(key, compute)
    scale = 26.0 * np.sqrt(max(people.size, 4))
    radius = 3.5 + 14.0 * np.sqrt(np.clip(a.influence[people], 0, 100) / 100.0)
    return ViewGraph(
        "people",
        f.cluster_by,
        people=people,
        xy=unit * scale,
        radius=radius,
        edge_a=ea,
        edge_b=eb,
        edge_weight=ew,
        matching=matching,
        note=note,
        unit=unit,
    )


def _grid(count: int, shown: int, *, below: bool) -> np.ndarray:
    """``count`` positions in rows (about twice as wide as tall) for people without ties:
    below the force layout's [-1, 1] square, or centred on it when nobody has a tie."""
    if count == 0:
        return np.zeros((0, 2))
    cols = int(np.ceil(np.sqrt(2.0 * count)))
    gap = min(2.0 / cols, 2.5 / np.sqrt(max(shown, 4)))
    row, col = np.divmod(np.arange(count), cols)
    rows = int(row[-1]) + 1
    x = (col - (min(cols, count) - 1) / 2.0) * gap
    y = (row + 1.5) * gap + 1.0 if below else (row - (rows - 1) / 2.0) * gap
    return np.column_stack([x, y])


def _warm_start(
    ids: np.ndarray, previous: dict[int, tuple[float, float]] | None
) -> np.ndarray | None:
    """Previous positions for the people shown before (newcomers start at the centre with a
    little jitter), or None when too few were shown before to be worth keeping."""
    if not previous:
        return None
    known = [previous.get(int(i)) for i in ids.tolist()]
    if sum(p is not None for p in known) < 0.7 * len(known):
        return None
    jitter = np.random.default_rng(len(known)).normal(0, 0.05, (len(known), 2))
    return np.array([p if p is not None else (0.0, 0.0) for p in known]) + np.where(
        np.array([p is None for p in known])[:, None], jitter, 0.0
    )


def _cluster_view(
    a: NetworkAnalysis,
    people: np.ndarray,
    codes: np.ndarray,
    labels: list[str],
    by: ClusterBy,
    tie_keep: np.ndarray,
    progress,  # noqa: ANN001
) -> ViewGraph:
    member_codes = codes[people]
    present, local_code = np.unique(member_codes, return_inverse=True)
    g = present.size
    size = np.bincount(local_code, minlength=g)
    ready = a.readiness[people]
    assessed = ~np.isnan(ready)
    r0 = np.where(assessed, ready, 0.0)
    infl = a.influence[people]
    count = np.bincount(local_code, weights=assessed, minlength=g)
    total = np.bincount(local_code, weights=r0, minlength=g)
    w_total = np.bincount(local_code, weights=np.where(assessed, infl, 0.0), minlength=g)
    w_sum = np.bincount(local_code, weights=np.where(assessed, infl * r0, 0.0), minlength=g)
    # the most influential member of each cluster
    order = np.lexsort((-infl, local_code))
    first = np.searchsorted(local_code[order], np.arange(g))
    top_member = people[order[first]]
    # summed tie strength between clusters (both directions merged)
    to_local = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
    to_local[present] = np.arange(g)
    ca = to_local[codes[a.tie_source[tie_keep]]]
    cb = to_local[codes[a.tie_target[tie_keep]]]
    w = a.tie_strength[tie_keep]
    internal = np.bincount(ca[ca == cb], weights=w[ca == cb], minlength=g)
    cross = ca != cb
    lo, hi = np.minimum(ca[cross], cb[cross]), np.maximum(ca[cross], cb[cross])
    pair, inverse = np.unique(lo * g + hi, return_inverse=True)
    weight = np.bincount(inverse, weights=w[cross], minlength=pair.size)
    ea, eb = pair // g, pair % g
    ea, eb, weight = _strongest_edges(g, ea, eb, weight)
    clusters = [
        Cluster(
            key=_cluster_key(by, int(present[j]), labels),
            label=labels[int(present[j])],
            size=int(size[j]),
            assessed=int(count[j]),
            readiness=float(total[j] / count[j]) if count[j] else None,
            influence_weighted=float(w_sum[j] / w_total[j]) if w_total[j] > 0 else None,
            internal_strength=float(internal[j]),
            top_member=a.name[int(top_member[j])],
        )
        for j in range(g)
    ]
    radius = 12.0 + 40.0 * np.sqrt(size / size.max())
    # the clusters and links drawn (they change with the tie-strength filter, not only with
    # the people shown)
    drawn = _digest(np.concatenate([present, ea, eb]))
    key = ("clusters", a.path, a.revision, by, _digest(people), drawn)
    # "No ties" has no links: laid out with the rest it drifts off and squeezes them into a
    # line, so it goes beside the drawing instead
    lone = next(
        (j for j, c in enumerate(clusters) if by == "community" and c.key == NO_TIES_KEY), None
    )
    tied = np.array([j for j in range(g) if j != lone], dtype=np.int64)
    to_tied = np.full(g, -1, dtype=np.int64)
    to_tied[tied] = np.arange(tied.size)
    unit = cached_layout(
        key,
        lambda: force_layout(
            tied.size, to_tied[ea], to_tied[eb], np.log1p(weight), seed=7, iterations=150,
            progress=progress,
        ),
    )  # fmt: skip
    label_width = np.array([_text_width(c) for c in clusters])
    half_width = np.maximum(radius, label_width / 2)
    xy = np.zeros((g, 2))
    xy[tied] = _spread(unit * 55.0 * np.sqrt(tied.size), radius[tied], label_width[tied])
    if lone is not None and tied.size:
        right = float((xy[tied, 0] + half_width[tied]).max())
        xy[lone] = (right + half_width[lone] + 40.0, float(xy[tied, 1].mean()))
    cluster_of = np.full(a.n, -1, dtype=np.int64)
    cluster_of[people] = local_code
    return ViewGraph(
        "clusters",
        by,
        people=people,
        xy=xy,
        radius=radius,
        edge_a=ea,
        edge_b=eb,
        edge_weight=weight,
        clusters=clusters,
        matching=int(people.size),
        cluster_of=cluster_of,
    )


def _strongest_edges(
    g: int, ea: np.ndarray, eb: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep each cluster's strongest few links and the strongest overall (no hairball)."""
    if weight.size <= MAX_CLUSTER_EDGES:
        return ea, eb, weight
    order = np.argsort(-weight, kind="stable")
    keep = np.zeros(weight.size, dtype=bool)
    keep[order[:MAX_CLUSTER_EDGES]] = True
    per = np.zeros(g, dtype=np.int64)
    for e in order.tolist():
        if per[ea[e]] < EDGES_PER_CLUSTER or per[eb[e]] < EDGES_PER_CLUSTER:
            keep[e] = True
        per[ea[e]] += 1
        per[eb[e]] += 1
    return ea[keep], eb[keep], weight[keep]


def _text_width(c: Cluster) -> float:
    """Rough pixel width of a cluster's two-line label at the view's 8–8.5 pt font."""
    return 6.0 * max(len(c.label), len(f"{c.size:,} people · readiness 0.0")) + 12


def _spread(
    xy: np.ndarray, radius: np.ndarray, label_width: np.ndarray, rounds: int = 400
) -> np.ndarray:
    """Push clusters apart until no circle-with-its-label box overlaps another.

    Units are pixels at zoom 1: each box is the circle plus its two-line label below it.
    """
    xy = xy.copy()
    g = xy.shape[0]
    if g < 2:
        return xy
    half_w = np.maximum(radius, label_width / 2) * 1.12 + 8  # slack for zoom ≈ 0.8
    top = radius + 4
    bottom = radius + LABEL_HEIGHT + 6
    for _ in range(rounds):
        cx, cy = xy[:, 0], xy[:, 1] + (bottom - top) / 2
        half_h = (top + bottom) / 2
        dx = cx[:, None] - cx[None, :]
        dy = cy[:, None] - cy[None, :]
        ox = half_w[:, None] + half_w[None, :] - np.abs(dx)
        oy = half_h[:, None] + half_h[None, :] - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        along_x = hit & (ox <= oy)  # separate along the axis that needs the smaller move
        along_y = hit & ~along_x
        order = np.sign(np.arange(g)[:, None] - np.arange(g)[None, :])  # breaks exact ties
        sx = np.where(dx != 0, np.sign(dx), order)
        sy = np.where(dy != 0, np.sign(dy), order)
        xy[:, 0] += np.where(along_x, ox * sx, 0.0).sum(1) / 2
        xy[:, 1] += np.where(along_y, oy * sy, 0.0).sum(1) / 2
    return xy
