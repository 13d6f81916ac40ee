"""A process that has imported the app once and forks a child per trial (``python -m
tests.safety.zygote``), so a hundred kills do not pay a hundred interpreter start-ups.

Protocol, one line each way: ``OPERATION PATH`` in; the child says ``go PID`` when it starts
writing and ``done`` when finished; the zygote says ``exit STATUS`` once it has reaped the child
(killed or not). The zygote never opens a workspace itself, so a child inherits no connection.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.safety.operations import preload, run


def serve() -> None:
    preload()
    print("ready", flush=True)
    for line in sys.stdin:
        operation, path = line.split(maxsplit=1)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                run(operation, Path(path.strip()), lambda: print(f"go {os.getpid()}", flush=True))
                print("done", flush=True)
            except BaseException as exc:  # report, never fall back into the serve loop
                print(f"failed {type(exc).__name__}: {exc}".replace("\n", " "), flush=True)
                code = 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(f"exit {status}", flush=True)


if __name__ == "__main__":
    serve()
