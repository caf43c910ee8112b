"""The worker's quiet chores: the dashboard's projection kept current without a
page visit; the layout libraries log only warnings."""
import logging

from sqlalchemy import func, select

from engine import Worker
from engine.storage.monitoring_models import StepTime
from tests.conftest import future_request
from tests.engine.driver import Driver


def test_the_worker_brings_the_dashboard_projection_up_to_date(make_engine, clock):
    d = Driver(make_engine())
    d.start(future_request(clock))
    d.complete("T02_disposition_kadis")
    d.complete("T03_disposition_kabid")
    with d.engine.db.reading() as session:
        projected = session.scalar(select(func.count()).select_from(StepTime))
    assert projected >= 2  # no dashboard was asked for: the worker projected the finished steps
    worker = Worker(d.engine)
    worker.run_once()
    d.engine.complete_task(d.ready()["T04_disposition_staf"].id, {}, d.actor("subkoordinator"))
    worker.run_once()  # within the interval: the projection waits (the next pass or page catches up)
    with d.engine.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(StepTime)) == projected
    clock.advance(minutes=1)
    worker.run_once()
    with d.engine.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(StepTime)) > projected


def test_the_layout_libraries_log_warnings_only():
    import engine.letters.press  # noqa: F401  (the press sets their level)
    assert {logging.getLogger(name).getEffectiveLevel() for name in ("weasyprint", "fontTools")} == \
        {logging.WARNING}
