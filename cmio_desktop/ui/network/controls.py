"""The network page's filter bar: colour, filters, ego view and clustering."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from cmio_desktop.enums import StakeholderGroup
from cmio_desktop.ui.network import palette
from cmio_desktop.ui.network.view_data import ClusterBy, NetworkIndex, ViewFilters


def _combo(tooltip: str, max_width: int = 170) -> QComboBox:
    box = QComboBox()
    box.setToolTip(tooltip)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    box.setMaximumWidth(max_width)
    return box


class NetworkControls(QWidget):
    filters_changed = Signal()
    colour_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = _combo("Colour people by")
        for key, label in palette.COLOUR_BY_LABELS.items():
            self.colour.addItem(label, key)
        self.group = _combo("Show one stakeholder group")
        self.department = _combo("Show one department")
        self.community = _combo("Show one community (Louvain)")
        self.strength = _combo("Hide ties weaker than this")
        for value in range(1, 6):
            self.strength.addItem("All ties" if value == 1 else f"Ties ≥ {value}", value)
        self.ego = _combo("Show only the selected person and their neighbourhood")
        self.ego.addItem("Whole network", 0)
        self.ego.addItem("Ego: 1 step", 1)
        self.ego.addItem("Ego: 2 steps", 2)
        self.cluster_by = _combo("Large networks are shown as clusters of these", 190)
        self.cluster_by.addItem("Clusters: communities", "community")
        self.cluster_by.addItem("Clusters: departments", "department")
        self.reset = QPushButton("Reset")
        self.reset.setToolTip("Clear the filters and show the whole network")
        self.reset.clicked.connect(self.clear)
        self._set_options([], [], [])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(QLabel("Colour"))
        layout.addWidget(self.colour)
        layout.addSpacing(8)
        for box in (
            self.group,
            self.department,
            self.community,
            self.strength,
            self.ego,
            self.cluster_by,
        ):
            layout.addWidget(box)
        layout.addWidget(self.reset)
        layout.addStretch(1)
        self.colour.currentIndexChanged.connect(self._on_colour_changed)
        for box in (
            self.group,
            self.department,
            self.community,
            self.strength,
            self.ego,
            self.cluster_by,
        ):
            box.currentIndexChanged.connect(self._on_filter_changed)

    # -- options --------------------------------------------------------------------------------
    def set_index(self, index: NetworkIndex | None) -> None:
        """Fill the filter lists from the analysis, keeping current choices that still exist."""
        if index is None:
            self._set_options([], [], [])
            return
        a = index.analysis
        groups = [(_group_label(g), g) for g in index.groups]
        sizes = np.bincount(a.community, minlength=len(a.community_names))
        # a person without ties is a community of one: thousands of entries that show nobody
        alone = np.bincount(a.community[a.isolates], minlength=sizes.size)
        communities = [
            (f"{name} ({int(sizes[c]):,})", c)
            for c, name in enumerate(a.community_names)
            if alone[c] < sizes[c]
        ]
        self._set_options(groups, [(d, d) for d in index.departments], communities)

    def _set_options(
        self,
        groups: list[tuple[str, Any]],
        departments: list[tuple[str, Any]],
        communities: list[tuple[str, Any]],
    ) -> None:
        for box, first, items in (
            (self.group, "All groups", groups),
            (self.department, "All departments", departments),
            (self.community, "All communities", communities),
        ):
            with QSignalBlocker(box):
                current = box.currentData()
                box.clear()
                box.addItem(first, None)
                for label, value in items:
                    box.addItem(label, value)
                box.setCurrentIndex(max(0, box.findData(current)) if current is not None else 0)

    # -- state ----------------------------------------------------------------------------------
    @property
    def colour_by(self) -> palette.ColourBy:
        return self.colour.currentData()

    def filters(self, ego_id: int | None, threshold: int) -> ViewFilters:
        cluster_by: ClusterBy = self.cluster_by.currentData()
        return ViewFilters(
            group=self.group.currentData(),
            department=self.department.currentData(),
            community=self.community.currentData(),
            min_strength=int(self.strength.currentData()),
            ego_id=ego_id,
            ego_depth=int(self.ego.currentData()),
            cluster_by=cluster_by,
            threshold=threshold,
        )

    def set_department(self, name: str | None) -> None:
        self._choose(self.department, name)

    def set_community(self, community: int | None) -> None:
        self._choose(self.community, community)

    def set_ego_depth(self, depth: int) -> None:
        self._choose(self.ego, depth)

    def _choose(self, box: QComboBox, value: Any) -> None:
        i = box.findData(value)
        if i >= 0 and i != box.currentIndex():
            box.setCurrentIndex(i)

    def clear(self) -> None:
        changed = False
        for box in (self.group, self.department, self.community, self.strength, self.ego):
            if box.currentIndex() != 0:
                with QSignalBlocker(box):
                    box.setCurrentIndex(0)
                changed = True
        if changed:
            self.filters_changed.emit()

    def _on_colour_changed(self, _index: int) -> None:
        self.colour_changed.emit(self.colour_by)

    def _on_filter_changed(self, _index: int) -> None:
        self.filters_changed.emit()


def _group_label(value: str) -> str:
    try:
        return StakeholderGroup(value).label
    except ValueError:
        return value
