"""A job for ``ent worker``: flush the ads counters and stop dead at a chosen point, so that
a test can SIGKILL the worker there (test_ads_delivery_counting.py).

``in_transaction``: once the statistics rows are written and the batch's transaction is still
open; ``after_commit``: once it committed, before Redis forgets the batch. The worker prints
``STOPPED <point>`` and waits to be killed.
"""

from __future__ import annotations

import time
from typing import Any

from ent_plugins.ads import counting
from sqlalchemy import event

from ent_core import sdk


def _stop(point: str) -> None:
    print(f"STOPPED {point}", flush=True)
    time.sleep(600)


def flush_and_stop(point: str) -> None:
    """The job: what the core's ``counters.flush`` schedule does for this counter, with a
    stop where the test kills the worker."""
    if point == "in_transaction":

        def written(conn: Any, clauseelement: Any, *args: Any) -> None:
            text = str(clauseelement)
            if "INSERT" in text and "ads_placement_stat" in text:
                _stop(point)

        event.listen(sdk.db.engine, "after_execute", written)
    else:
        event.listen(sdk.db.session, "after_commit", lambda session: _stop(point))
    counting.delivery.flush()
    print("FLUSHED", flush=True)
