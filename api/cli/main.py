"""``dispatch``: serve the API, migrate the database, seed demo data, deliver messages,
benchmarks.

Every command loads this module and all the commands' modules: they import what is slow
to load (Alembic, the solver, the benchmarks) inside the command, so that ``dispatch
deliver``, restarted after a crash, starts in about a second."""

from __future__ import annotations

import logging
import time

import typer

from dispatch.config import Settings
from dispatch.domain.errors import DispatchError
from dispatch.store.engine import make_engine, session_factory
from dispatch.store.uow import SqlUnitOfWork

app = typer.Typer(help="field-dispatch: dispatch and ETA optimiser.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")
bench_app = typer.Typer(help="Benchmarks anyone can rerun; figures go to docs/benchmarks.md.")
app.add_typer(bench_app, name="bench")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="target revision")) -> None:
    """Create or update the schema; running it twice is harmless."""
    from dispatch.store.migrate import current_revision, head_revision, upgrade

    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    before = current_revision(engine)
    typer.echo(f"database: {_redact(settings.database_url)}")
    typer.echo(f"schema revision before: {before or 'empty'}")
    upgrade(engine, revision)
    after = current_revision(engine)
    typer.echo(f"schema revision now:    {after} (head {head_revision()})")
    engine.dispose()


@app.command()
def seed(
    synthetic: bool = typer.Option(
        False, "--synthetic", help="a generated live day instead of the demo fixtures"
    ),
    technicians: int = typer.Option(200, min=1, max=5000, help="with --synthetic"),
    visits_per_technician: int = typer.Option(10, min=0, max=40, help="with --synthetic"),
    seed_value: int = typer.Option(1, "--seed", help="with --synthetic: the random seed"),
    lunch_min: int = typer.Option(
        0, "--lunch-min", min=0, max=180,
        help="with --synthetic: a lunch this long for everyone, 2-3.5 h from now",
    ),
) -> None:
    """Load the demo fleet and open tickets from fixtures/ (idempotent), or a synthetic day."""
    from api.app import default_travel
    from benchmarks.synthetic_day import seed_synthetic
    from dispatch.services.seed import seed_fleet, seed_skills, seed_tickets
    from dispatch.services.seed_calendars import seed_calendars
    from dispatch.services.seed_users import seed_demo_users
    from dispatch.store.migrate import current_revision, head_revision
    from fixtures import load_json

    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    if current_revision(engine) != head_revision():
        typer.echo("the schema is not up to date: run `dispatch db upgrade` first", err=True)
        raise typer.Exit(2)
    uow = SqlUnitOfWork(session_factory(engine))
    clock = settings.clock()
    travel = default_travel(settings)
    started = time.perf_counter()
    if synthetic:
        try:
            with typer.progressbar(length=technicians, label="technicians") as bar:
                day = seed_synthetic(
                    uow, clock, travel, technicians, visits_per_technician, seed_value,
                    bar.update, lunch_min=lunch_min,
                )  # fmt: skip
        except DispatchError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(
            f"synthetic day: {day.technicians} technicians, {day.visits} visits booked "
            f"in {time.perf_counter() - started:.1f} s"
        )
        engine.dispose()
        return
    typer.echo(f"skills: {seed_skills(uow, load_json('skills.json'))}")
    fleet = load_json("demo_fleet.json")
    typer.echo(f"technicians: {seed_fleet(uow, clock, fleet)}")
    weeks = seed_calendars(uow, clock, fleet)
    typer.echo(f"weekly patterns: {weeks} set; today's shifts follow the calendars")
    tickets = load_json("demo_tickets.json")
    with typer.progressbar(length=len(tickets), label="tickets") as bar:
        assigned, total = seed_tickets(
            uow, clock, travel, tickets, progress=lambda _msg: bar.update(1),
            zone=settings.timezone.key,
        )  # fmt: skip
    typer.echo(f"tickets: {assigned} of {total} assigned in {time.perf_counter() - started:.1f} s")
    if assigned < total:
        typer.echo("the others wait, with a reason, for a technician whose shift covers them")
    if not settings.production:
        for name, role, password in seed_demo_users(uow, clock):
            typer.echo(f"demo login: {name} / {password}  ({role})")
    engine.dispose()


def _log_jobs() -> None:
    """The jobs and the mail sink say what they do, one line each, as uvicorn does."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
    logger = logging.getLogger("dispatch")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
) -> None:
    """Serve the HTTP API (docs at /docs)."""
    import uvicorn

    from api import collector
    from api.app import create_app

    try:  # production mode with a default or missing secret: refuse to start
        settings = Settings.from_env()
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"database: {_redact(settings.database_url)}")
    typer.echo(f"serving on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    if not settings.smtp_host:
        typer.echo(f"no SMTP configured: customer mail is written to {settings.outbox_dir}/")
    _log_jobs()
    application = create_app(settings, run_scheduler=True)
    collector.tune()
    uvicorn.run(application, host=host, port=port, log_level="info")


@app.command()
def worker() -> None:
    """Run the clock-driven jobs only (for deployments with several API replicas).

    A second worker waits on the leader lock and takes over when the first dies.
    """
    import signal

    from apscheduler.schedulers.blocking import BlockingScheduler

    from api.app import default_travel
    from api.scheduler import JobContext, install_jobs

    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    scheduler = BlockingScheduler(timezone="UTC")
    ctx = JobContext(
        engine, settings.clock(), default_travel(settings), settings, say=lambda m: typer.echo(m)
    )
    leader = install_jobs(scheduler, ctx)
    typer.echo(
        f"worker started: refresh every {settings.refresh_interval_s:g} s, "
        f"backlog every {settings.backlog_interval_s:g} s ({_redact(settings.database_url)})"
    )

    def stop(*_: object) -> None:
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    try:
        scheduler.start()
    finally:
        leader.release()
        engine.dispose()


def _register_benchmarks() -> None:
    from api.cli.bench_auth import auth_cost
    from api.cli.bench_http import events, quotes
    from api.cli.bench_live import refresh

    bench_app.command("quotes")(quotes)
    bench_app.command("auth-cost")(auth_cost)
    from api.cli.bench_console import console

    bench_app.command("console")(console)
    from api.cli.bench_stream import stream

    bench_app.command("stream")(stream)
    bench_app.command("events")(events)
    bench_app.command("refresh")(refresh)
    from api.cli.bench_day import day
    from api.cli.bench_vrptw import vrptw

    bench_app.command("vrptw")(vrptw)
    bench_app.command("day")(day)
    from api.cli.bench_large_day import large_day

    bench_app.command("large-day")(large_day)
    from api.cli.bench_deliveries import deliveries

    bench_app.command("deliveries")(deliveries)
    from api.cli.bench_messages import CONTEXT, messages

    bench_app.command("messages", context_settings=CONTEXT)(messages)
    from api.cli.bench_latency import delivery_latency
    from api.cli.bench_slots import slots

    bench_app.command("slots")(slots)
    from api.cli.bench_breakdown import breakdown, reports, slowdown
    from api.cli.nightly import nightly, plan_night

    bench_app.command("nightly")(nightly)
    bench_app.command("breakdown")(breakdown)
    bench_app.command("slowdown")(slowdown)
    bench_app.command("reports")(reports)
    app.command("plan-night")(plan_night)

    bench_app.command("delivery-latency")(delivery_latency)
    from api.cli.keys import keys_app
    from api.cli.roads import roads_app
    from api.cli.users import users_app

    app.add_typer(roads_app, name="roads")
    app.add_typer(users_app, name="users")
    app.add_typer(keys_app, name="keys")
    from api.cli.deliver import deliver
    from api.cli.fuzz import fuzz

    app.command("fuzz")(fuzz)
    from api.cli.simulate import simulate_cmd

    app.command("simulate")(simulate_cmd)

    app.command("deliver")(deliver)


_register_benchmarks()

if __name__ == "__main__":
    app()
