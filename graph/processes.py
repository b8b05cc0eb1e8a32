"""Helper processes that must not outlive the process that started them."""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent(parent: int) -> None:
    """End this process when `parent` is gone: a worker left behind would otherwise wait on its queue
    or socket forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
