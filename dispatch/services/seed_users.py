"""Demo logins, one per role, so a newcomer can try every face of the product after
``make run``. Demo mode only: their passwords are in the README."""

from __future__ import annotations

from dispatch.clock import Clock
from dispatch.domain.users import Role
from dispatch.services.users import add_user
from dispatch.store.ports import UnitOfWork

# username, role, password, the technician's code (for the technician's login)
DEMO_USERS = (
    ("agent", Role.AGENT, "agent-demo-pass", None),
    ("dispatcher", Role.DISPATCHER, "dispatcher-demo-pass", None),
    ("jan", Role.TECHNICIAN, "technician-demo-pass", "cpo-jan"),
    ("admin", Role.ADMIN, "admin-demo-pass", None),
)


def seed_demo_users(uow: UnitOfWork, clock: Clock) -> list[tuple[str, str, str]]:
    """(username, role, password) of the logins added now; none the second time."""
    with uow:
        existing = {u.username for u in uow.users.all()}
        techs = {t.code: t.id for t in uow.technicians.all()}
    added = []
    for name, role, password, code in DEMO_USERS:
        if name in existing or (code is not None and code not in techs):
            continue
        add_user(uow, clock, name, password, role, techs[code] if code else None)
        added.append((name, role.value, password))
    return added
