"""The reporting-bias fit in the background, debounced.

A daemon thread, started by the app's lifespan when ``COUNTERCHECK_BIAS_FIT_DEBOUNCE_SECONDS`` is
above 0, wakes every that many seconds and reads the change cursor (two index lookups). It fits
when the data changed since the stored fit AND the cursor did not move since its previous wake (no
write in the last period: a burst of writes is fitted once, after it ends); under writes that never
pause, it fits anyway once the data has been stale for ``MAX_WAITS`` periods. Reads never wait for
it: they serve the stored fit and say how stale it is. A failed fit is logged and stored (the last
good result stays served); the same data is not fitted again until it changes.

With several worker processes each runs its own thread; a worker that wakes after another stored a
fit of the same data finds it current and does nothing."""

import logging
import threading

from sqlalchemy import Engine

from app.services import bias

log = logging.getLogger("countercheck")
MAX_WAITS = 10  # periods of continuous writes after which the fit runs anyway


class BackgroundFitter:
    def __init__(self, engine: Engine, period: float) -> None:
        self.engine, self.period = engine, period
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="countercheck-bias-fit", daemon=True)
        self.last_seen: bias.Cursor | None = None
        self.waits = 0

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to stop and wait a little (a fit in progress finishes on its own: daemon)."""
        self.stop_event.set()
        self.thread.join(timeout)

    def _run(self) -> None:
        while not self.stop_event.wait(self.period):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - the thread must outlive a bad moment (a locked or lost database)
                log.exception("the background bias fit could not run")

    def tick(self) -> bool:
        """One wake: fit when due (class docstring). True when a fit ran."""
        seen = bias.cursor(self.engine)
        quiet, self.last_seen = seen == self.last_seen, seen
        if bias.is_current(self.engine):
            self.waits = 0
            return False
        self.waits += 1
        if not quiet and self.waits < MAX_WAITS:
            return False
        self.waits = 0
        info = bias.run_fit(self.engine)
        log.info("bias fit: %s", info.message, extra={"statements": info.statements})
        return True
