"""``dispatch keys``: API keys for integrations (docs/security.md); the secret is printed
once, at creation, and kept only as its SHA-256."""

from __future__ import annotations

import typer

from api.cli.users import cli_uow, fail
from dispatch.clock import SystemClock
from dispatch.domain.errors import DispatchError
from dispatch.domain.users import Role

keys_app = typer.Typer(help="API keys: add, list, revoke.", no_args_is_help=True)


@keys_app.command("add")
def add(name: str, role: Role = typer.Option(..., help="agent, dispatcher or admin"),
        quiet: bool = typer.Option(False, help="print only the key")) -> None:  # fmt: skip
    from dispatch.services.api_keys import create_key

    try:
        key, secret = create_key(cli_uow(), SystemClock(), name, role)
    except DispatchError as exc:
        raise fail(exc) from exc
    if quiet:
        typer.echo(secret)
        return
    typer.echo(f"key {key.id} for {key.name} ({key.role.value}); send it as X-API-Key, "
               f"it is not shown again:\n{secret}")  # fmt: skip


@keys_app.command("list")
def list_() -> None:
    from dispatch.services.api_keys import list_keys

    for k in list_keys(cli_uow()):
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "live"
        typer.echo(f"{k.id}\t{k.name}\t{k.role.value}\t{k.hint}…\t{state}")


@keys_app.command("revoke")
def revoke(key_id: int) -> None:
    from dispatch.services.api_keys import revoke_key

    try:
        revoke_key(cli_uow(), SystemClock(), key_id)
    except DispatchError as exc:
        raise fail(exc) from exc
    typer.echo(f"key {key_id} revoked")
