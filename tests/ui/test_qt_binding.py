"""Guard against Qt binding builds that leak references to None/True (they crash later).

PySide6 6.12.0 on Python 3.11 decrements ``None`` on every void method call and ``True`` on
every ``Signal.emit()``; a long session then aborts with "none_dealloc". Immortal singletons
(Python 3.12+) hide the symptom, so the check is only meaningful where they are mortal.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QStringListModel, Signal


class _Emitter(QObject):
    fired = Signal()


def _drift(action, repeats: int = 200) -> tuple[int, int]:
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(repeats):
        action()
    return sys.getrefcount(None) - before[0], sys.getrefcount(True) - before[1]


def test_void_calls_and_emits_keep_singleton_refcounts(qapp) -> None:
    emitter = _Emitter()
    model = QStringListModel(["a"])
    none_drift, true_drift = _drift(lambda: emitter.fired.emit())
    assert true_drift > -50, "Signal.emit() leaks references to True"
    none_drift, _ = _drift(lambda: model.setStringList(["a"]))
    assert none_drift > -50, "void Qt calls leak references to None"
    none_drift, _ = _drift(lambda: emitter.setObjectName("x"))
    assert none_drift > -50, "void Qt calls leak references to None"
