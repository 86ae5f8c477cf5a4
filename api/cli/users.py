"""``dispatch users``: who may log in, and in which role (docs/security.md)."""

from __future__ import annotations

import typer

from dispatch.clock import SystemClock
from dispatch.config import Settings
from dispatch.domain.errors import DispatchError
from dispatch.domain.users import Role
from dispatch.store.engine import make_engine, session_factory
from dispatch.store.uow import SqlUnitOfWork

users_app = typer.Typer(help="Logins: add, list, disable, enable, reset a password.",
                        no_args_is_help=True)  # fmt: skip
PASSWORD = typer.Option(..., prompt=True, confirmation_prompt=True, hide_input=True,
                        help="at least 10 characters (asked for when not given)")  # fmt: skip


def cli_uow() -> SqlUnitOfWork:
    return SqlUnitOfWork(session_factory(make_engine(Settings.from_env().database_url)), "cli")


def fail(exc: DispatchError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


@users_app.command("add")
def add(username: str, role: Role = typer.Option(..., help="agent, dispatcher, technician, admin"),
        technician: int | None = typer.Option(None, help="a technician's login: their id"),
        password: str = PASSWORD) -> None:  # fmt: skip
    from dispatch.services.users import add_user

    try:
        user = add_user(cli_uow(), SystemClock(), username, password, role, technician)
    except DispatchError as exc:
        raise fail(exc) from exc
    typer.echo(f"added {user.username} ({user.role.value})")


@users_app.command("list")
def list_() -> None:
    from dispatch.services.users import list_users

    for u in list_users(cli_uow()):
        tech = f" technician {u.technician_id}" if u.technician_id else ""
        off = "  DISABLED" if u.disabled else ""
        typer.echo(f"{u.username:24} {u.role.value:10}{tech}{off}")


def _switch(username: str, disabled: bool) -> None:
    from dispatch.services.users import set_disabled

    try:
        set_disabled(cli_uow(), SystemClock(), username, disabled)
    except DispatchError as exc:
        raise fail(exc) from exc
    typer.echo(f"{username} {'disabled' if disabled else 'enabled'}")


@users_app.command("disable")
def disable(username: str) -> None:
    """No new tokens from now on; access tokens already out end within 15 minutes."""
    _switch(username, True)


@users_app.command("enable")
def enable(username: str) -> None:
    _switch(username, False)


@users_app.command("reset-password")
def reset(username: str, password: str = PASSWORD) -> None:
    from dispatch.services.users import reset_password

    try:
        reset_password(cli_uow(), SystemClock(), username, password)
    except DispatchError as exc:
        raise fail(exc) from exc
    typer.echo(f"new password set for {username}")
