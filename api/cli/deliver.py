"""``dispatch deliver``: the message delivery loop alone, without the other jobs.

Every ``--interval`` seconds it plans messages from the outbox and sends those that
are due, as the scheduler's ``deliver_messages`` job does. It needs no leader lock:
claims are leased (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so it may run next to
the scheduler or a second copy of itself. SIGTERM or SIGINT stops it after the
message in hand; the rest of its batch is handed back for the next sender, and a
second signal ends it at once.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from types import FrameType
from typing import Any

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from api.delivery import deliver_round
from api.message_channels import message_channels
from dispatch.config import Settings
from dispatch.notify.channels import Channel
from dispatch.services.deliver import LEASE
from dispatch.store.engine import make_engine, session_factory

Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers


def _stop_on_signals(stop: threading.Event) -> dict[signal.Signals, Handler]:
    """The first SIGTERM/SIGINT asks the loop to stop; a second one acts as it did
    before. Returns the handlers to put back."""
    before: dict[signal.Signals, Handler] = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        found = signal.getsignal(sig)
        before[sig] = signal.SIG_DFL if found is None else found

    def handler(signum: int, _frame: FrameType | None) -> None:
        stop.set()
        for sig, previous in before.items():
            signal.signal(sig, previous)

    for sig in before:
        signal.signal(sig, handler)
    return before


@contextmanager
def _log_to_stderr() -> Iterator[None]:
    """The file sink says where it saved each mail, one line each, while this runs."""
    logger = logging.getLogger("dispatch")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _close(channels: Mapping[str, Channel]) -> None:
    for channel in channels.values():
        close = getattr(channel, "close", None)
        if callable(close):
            close()


def deliver(
    interval: float = typer.Option(0.5, "--interval", min=0.01, help="seconds between rounds"),
    batch: int = typer.Option(
        100, "--batch", min=1, help="outbox events planned and messages claimed per round"
    ),
    lease: float = typer.Option(
        LEASE.total_seconds(),
        "--lease",
        min=0.1,
        help="seconds a claimed message stays with this sender; must outlast one batch",
    ),
    once: bool = typer.Option(False, "--once", help="one round, then exit"),
) -> None:
    """Plan and send customer messages until stopped (or one round with --once)."""
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    sessions = session_factory(engine)
    clock = settings.clock()
    channels = message_channels(settings)
    stop = threading.Event()
    handlers = _stop_on_signals(stop)
    pid = os.getpid()
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    typer.echo(f"deliver {pid}: every {interval:g} s, batch {batch}, lease {lease:g} s ({where})")

    def one_round() -> bool:
        """Plan and send once; False when the database could not be reached."""
        try:
            done = deliver_round(
                sessions, clock, settings, channels, batch,
                timedelta(seconds=lease), stop.is_set, batch,
            )  # fmt: skip
        except SQLAlchemyError as exc:  # the database is away: say so, try again
            typer.echo(f"deliver {pid}: round failed: {type(exc).__name__}: {exc}", err=True)
            return False
        if done.busy:
            typer.echo(f"deliver {pid}: {done.line()}")
        return True

    ok = True
    try:
        with _log_to_stderr():
            while not stop.is_set():
                ok = one_round()
                if once:
                    break
                stop.wait(interval)
    finally:
        for sig, previous in handlers.items():
            signal.signal(sig, previous)
        _close(channels)
        engine.dispose()
    typer.echo(f"deliver {pid}: stopped")
    if once and not ok:
        raise typer.Exit(1)
