"""Logins (issue 16): who may be added, and what a login says when it fails."""

from __future__ import annotations

import pytest
from builders import MORNING, demo_fleet, technician
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.errors import Conflict, InvalidInput, NotFound
from dispatch.domain.users import Role
from dispatch.services.users import (
    LoginFailed,
    add_user,
    authenticate,
    list_users,
    reset_password,
    set_disabled,
)

PASSWORD = "correct horse battery"


def fleet() -> tuple[FakeUnitOfWork, FakeClock]:
    clock = FakeClock(MORNING)
    return demo_fleet(clock), clock


def test_a_login_works_with_its_password_only_and_never_shows_its_hash() -> None:
    uow, clock = fleet()
    added = add_user(uow, clock, "nele", PASSWORD, Role.AGENT)
    assert added.password_hash == "" and [u.username for u in list_users(uow)] == ["nele"]
    assert list_users(uow)[0].password_hash == ""
    assert authenticate(uow, "nele", PASSWORD).role == Role.AGENT
    for name, word in (("nele", "wrong password"), ("nobody", PASSWORD)):
        with pytest.raises(LoginFailed, match="wrong username or password"):
            authenticate(uow, name, word)  # the same words: no hint which was wrong


def test_a_disabled_login_fails_and_a_reset_password_replaces_the_old_one() -> None:
    uow, clock = fleet()
    add_user(uow, clock, "jan.tech", PASSWORD, Role.TECHNICIAN, technician(uow, "cpo-jan").id)
    set_disabled(uow, clock, "jan.tech", True)
    with pytest.raises(LoginFailed):
        authenticate(uow, "jan.tech", PASSWORD)
    set_disabled(uow, clock, "jan.tech", False)
    reset_password(uow, clock, "jan.tech", "a brand new secret")
    with pytest.raises(LoginFailed):
        authenticate(uow, "jan.tech", PASSWORD)
    assert authenticate(uow, "jan.tech", "a brand new secret").technician_id is not None


def test_what_cannot_be_a_login_is_refused_with_the_reason() -> None:
    uow, clock = fleet()
    add_user(uow, clock, "nele", PASSWORD, Role.AGENT)
    with pytest.raises(Conflict, match="username 'nele' is taken"):
        add_user(uow, clock, "nele", PASSWORD, Role.ADMIN)
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        add_user(uow, clock, "kort", "short", Role.AGENT)
    with pytest.raises(InvalidInput, match="names their technician"):
        add_user(uow, clock, "jan", PASSWORD, Role.TECHNICIAN)
    with pytest.raises(InvalidInput, match="names their technician"):
        add_user(uow, clock, "ann", PASSWORD, Role.AGENT, technician_id=1)
    with pytest.raises(InvalidInput, match="username"):
        add_user(uow, clock, "Bad Name!", PASSWORD, Role.AGENT)
    with pytest.raises(NotFound, match="technician 999 does not exist"):
        add_user(uow, clock, "ghost", PASSWORD, Role.TECHNICIAN, technician_id=999)
    with pytest.raises(NotFound, match="no user 'nobody'"):
        set_disabled(uow, clock, "nobody", True)


def test_the_demo_has_one_login_per_role_added_once() -> None:
    from dispatch.services.seed_users import seed_demo_users

    uow, clock = fleet()
    added = seed_demo_users(uow, clock)
    assert sorted(role for _, role, _ in added) == ["admin", "agent", "dispatcher", "technician"]
    assert seed_demo_users(uow, clock) == []
    for name, role, password in added:
        assert authenticate(uow, name, password).role.value == role
    assert authenticate(uow, "jan", "technician-demo-pass").technician_id == technician(
        uow, "cpo-jan").id  # fmt: skip
