"""The people facts behind the dashboard, go-live and training are read once per revision,
even when two pages ask at the same moment."""

from __future__ import annotations

import threading

from cmio_desktop.services.plan import facts as facts_module
from cmio_desktop.services.workspace_info import workspace_info


def test_two_threads_asking_at_once_read_the_facts_once(sample_ws, monkeypatch):
    ws = sample_ws
    initiative = workspace_info(ws).initiatives[0].id
    facts_module._cache.clear()
    loads: list[int] = []
    started = threading.Barrier(2)
    real = facts_module.load_people_facts

    def counted(session, initiative_id):
        loads.append(initiative_id)
        return real(session, initiative_id)

    monkeypatch.setattr(facts_module, "load_people_facts", counted)
    results = []

    def ask():
        started.wait()
        results.append(facts_module.people_facts(ws, initiative))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert loads == [initiative]
    assert results[0] is results[1]
