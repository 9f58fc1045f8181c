"""Run the ads counters' flush in a process of its own and stop dead at a chosen point, so
that a test can SIGKILL it there (test_ads_delivery_counting.py).

    python -m ent_plugins.ads.tests.flush_until_killed in_transaction|after_commit

``in_transaction``: once the statistics rows are written and the batch's transaction is still
open; ``after_commit``: once it committed, before Redis forgets the batch. The process prints
``STOPPED <point>`` and waits to be killed.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from sqlalchemy import event


def main(point: str) -> None:
    from ent_core import create_app
    from ent_core.db import db

    app = create_app()
    with app.app_context():
        from ent_plugins.ads import counting

        def stop(*_: Any) -> None:
            print(f"STOPPED {point}", flush=True)
            time.sleep(600)

        if point == "in_transaction":

            @event.listens_for(db.engine, "after_execute")
            def written(conn: Any, clauseelement: Any, *args: Any) -> None:
                if "ads_placement_stat" in str(clauseelement) and "INSERT" in str(clauseelement):
                    stop()

        else:
            event.listen(db.session, "after_commit", stop)
        counting.delivery.flush()
        print("FLUSHED", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
