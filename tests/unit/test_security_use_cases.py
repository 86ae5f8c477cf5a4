"""API keys, the audit log and the tracking link's lifetime, on the fake unit of work
(issue 16)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import MORNING, TRAVEL, demo_fleet, fill_route, quoted, technician
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.api_keys import digest
from dispatch.domain.errors import Gone, InvalidInput, NotFound, Unauthenticated
from dispatch.domain.users import Role
from dispatch.services.api_keys import create_key, key_for, list_keys, revoke_key
from dispatch.services.audit_log import read_log
from dispatch.services.bookings import book
from dispatch.services.cases import cancel
from dispatch.services.tracking_links import check_link, reissue_link


def fleet() -> tuple[FakeUnitOfWork, FakeClock]:
    clock = FakeClock(MORNING)
    return demo_fleet(clock), clock


def test_a_key_is_shown_once_kept_as_its_digest_and_dies_when_revoked() -> None:
    uow, clock = fleet()
    uow.actor = "admin:ada"
    key, secret = create_key(uow, clock, "crm", Role.AGENT)
    assert key_for(uow, secret).role == Role.AGENT and key.created_by == "admin:ada"
    assert list(uow.committed.api_keys.rows) == [digest(secret)]  # never the key itself
    revoke_key(uow, clock, key.id)
    with pytest.raises(Unauthenticated, match="revoked"):
        key_for(uow, secret)
    with pytest.raises(NotFound):
        revoke_key(uow, clock, key.id)  # once is enough
    assert list_keys(uow)[0].revoked_at == MORNING
    with pytest.raises(InvalidInput, match="agent, dispatcher, admin"):
        create_key(uow, clock, "phone", Role.TECHNICIAN)


def test_bookings_and_cancellations_are_audited_with_who_in_their_transaction() -> None:
    uow, clock = fleet()
    uow.actor = "agent:anna"
    [ticket] = fill_route(uow, clock, "cpo-jan", 1)
    other = quoted(uow, clock)
    uow.actor = "system"  # the optimiser's jobs
    book(uow, clock, TRAVEL, other.ticket.id, technician(uow, "cpo-jan").id)
    uow.actor = "agent:anna"
    cancel(uow, clock, "agent", ticket_id=ticket, why="solved itself")
    said = [(e.actor, e.action, e.subject) for e in reversed(read_log(uow))]
    assert said == [("agent:anna", "booked", f"ticket:{ticket}"),
                    ("system", "booked", f"ticket:{other.ticket.id}"),
                    ("agent:anna", "cancelled", f"ticket:{ticket}")]  # fmt: skip
    assert read_log(uow, limit=1)[0].detail.endswith("by the agent")


def test_a_link_lives_until_its_days_after_closing_and_a_reissued_one_replaces_it() -> None:
    uow, clock = fleet()
    [ticket] = fill_route(uow, clock, "cpo-jan", 1)
    with uow:
        token = uow.tickets.get(ticket).tracking_token  # type: ignore[union-attr]
    check_link(uow, token, clock.now() + timedelta(days=400), 30)  # open: no end
    cancel(uow, clock, "customer", token=token)
    check_link(uow, token, clock.now() + timedelta(days=30), 30)
    with pytest.raises(Gone, match="expired 30 days after the case closed"):
        check_link(uow, token, clock.now() + timedelta(days=31), 30)
    new = reissue_link(uow, clock, ticket)
    assert new != token and len(new) >= 22
    with uow:
        assert uow.tickets.by_token(token) is None and uow.tickets.by_token(new) is not None
    with pytest.raises(NotFound):
        reissue_link(uow, clock, 999)
