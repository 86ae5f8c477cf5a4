"""``dispatch bench deliveries``: customer messages through the real channels to
receivers on loopback, so the delivery rate can be checked against the targets."""

from __future__ import annotations

import json

import typer


def deliveries(
    webhooks: int = typer.Option(2000, "--webhooks", min=1, help="signed webhooks to send"),
    mails: int = typer.Option(500, "--mails", min=1, help="e-mails to send over SMTP"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Send N webhooks and M mails one after the other, as one dispatcher thread does.

    Needs the dev extra (aiosmtpd) for the SMTP server. Exits 1 when a message was
    not delivered or the receiver does not hold it (a webhook: with a valid
    signature), whatever the rate.
    """
    try:
        from benchmarks.deliveries import run
    except ImportError as exc:  # aiosmtpd missing: say what to install
        typer.echo(f"error: {exc}; install the dev extra: pip install -e '.[dev]'", err=True)
        raise typer.Exit(2) from exc

    figures = run(webhooks, mails)
    rows = [f.as_dict() for f in figures]
    if as_json:
        typer.echo(json.dumps({f.channel: f.as_dict() for f in figures}))
    else:
        typer.echo(f"{'channel':8} {'sent':>6} {'ok':>6} {'recv':>6} {'per s':>8} "
                   f"{'p50 ms':>8} {'p95 ms':>8} {'target/s':>9}")  # fmt: skip
        for r in rows:
            typer.echo(
                f"{r['channel']:8} {r['sent']:>6} {r['ok']:>6} {r['received']:>6} "
                f"{r['per_s']:>8.1f} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} "
                f"{r['target_per_s']:>9.0f}"
            )
    broken = [f for f in figures if f.ok < f.sent or f.received < f.sent]
    for f in broken:
        typer.echo(f"{f.channel}: {f.sent - f.ok} not ok, {f.sent - f.received} not received; "
                   f"first failures: {list(f.failures)}", err=True)  # fmt: skip
    if broken:
        raise typer.Exit(1)
