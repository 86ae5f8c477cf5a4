"""A customer stops (or restarts) our messages on one of their channels, through the
tracking link every message carries.

The tracking token identifies the customer; the opt-out is kept per channel and address
(``MessageStore.opt_out``), so it holds for every visit booked under that address, and
planning gives later messages to it the status ``suppressed``. Opting out also
suppresses what is still waiting to go out (a held change, a retry): it takes effect at
once. Both directions are idempotent. Opting in again does not revive suppressed
messages (that news is old); the next message goes out as usual.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from dispatch.clock import Clock
from dispatch.domain.errors import InvalidInput, NotFound
from dispatch.domain.messages import CUSTOMER_CHANNELS, OPTED_OUT, customer_address
from dispatch.domain.model import Customer, Ticket
from dispatch.store.ports import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Preferences:
    """The customer's channels (those they gave an address for) and which of them they
    opted out of; never the addresses themselves."""

    channels: list[str]
    opted_out: list[str]


def preferences_of(uow: UnitOfWork, customer: Customer) -> Preferences:
    """Within an open unit of work: the customer's channels and their opt-outs."""
    found = [(c, a) for c in CUSTOMER_CHANNELS if (a := customer_address(customer, c))]
    return Preferences(
        channels=[c for c, _ in found],
        opted_out=[c for c, a in found if uow.messages.opted_out(c, a)],
    )


def _check(channel: str) -> None:
    if channel not in CUSTOMER_CHANNELS:
        known = ", ".join(f'"{c}"' for c in CUSTOMER_CHANNELS)
        raise InvalidInput(f"unknown channel {channel!r}; a customer can opt out of: {known}")


def _address(uow: UnitOfWork, token: str, channel: str) -> tuple[Ticket, str]:
    ticket = uow.tickets.by_token(token)
    if ticket is None:
        raise NotFound("no visit is known under this tracking link")
    address = customer_address(ticket.customer, channel)
    if address is None:
        raise InvalidInput(
            f"no {channel} address was given for this visit, so there are no {channel} "
            "messages to stop or start"
        )
    return ticket, address


def opt_out(uow: UnitOfWork, clock: Clock, token: str, channel: str) -> Preferences:
    """Stop messages on ``channel`` to the customer behind ``token``, now and later."""
    _check(channel)
    with uow:
        ticket, address = _address(uow, token, channel)
        uow.messages.opt_out(channel, address, clock.now())
        suppressed = uow.messages.suppress_pending(channel, address, OPTED_OUT)
        prefs = preferences_of(uow, ticket.customer)
        uow.commit()
    log.info("ticket %s: customer opted out of %s (%d pending suppressed)",
             ticket.id, channel, suppressed)  # fmt: skip
    return prefs


def opt_in(uow: UnitOfWork, token: str, channel: str) -> Preferences:
    """Undo ``opt_out``: the next message on ``channel`` goes out as usual."""
    _check(channel)
    with uow:
        ticket, address = _address(uow, token, channel)
        if uow.messages.opt_in(channel, address):
            log.info("ticket %s: customer opted in to %s again", ticket.id, channel)
        prefs = preferences_of(uow, ticket.customer)
        uow.commit()
    return prefs
