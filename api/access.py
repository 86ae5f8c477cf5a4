"""Who may call what: one matrix, every endpoint by role, deny by default.

Each API route's (method, path template) names the roles allowed. A route missing from
the matrix and not public answers 403 to everyone (``tests/e2e/test_access_matrix.py``
fails when a route is added without a line here). ``own`` lets a technician through
only for their own ``technician_id``: a phone reads its own route and posts its own
events, never a colleague's. Customers never log in: the tracking link's endpoints are
public, and the unguessable token in the path is the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from dispatch.domain.users import Role

A, D, T, ADMIN = Role.AGENT, Role.DISPATCHER, Role.TECHNICIAN, Role.ADMIN


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    own: bool = False  # a technician only where the path's technician_id is theirs

    def allows(self, role: Role, own_technician: bool) -> bool:
        if role not in self.roles:
            return False
        return role != T or not self.own or own_technician


def rule(*roles: Role, own: bool = False) -> Rule:
    return Rule(frozenset(roles), own)


EVERYONE = rule(A, D, T, ADMIN)
HELPDESK = rule(A, D, ADMIN)  # agents, and dispatchers and admins, who can do all they do
DISPATCH = rule(D, ADMIN)
ADMINS = rule(ADMIN)
HIS_OWN = rule(A, D, ADMIN, T, own=True)  # the helpdesk reads anyone's; a phone its own

PUBLIC_PREFIXES = ("/api/track/", "/track/", "/assets/")
PUBLIC_PATHS = frozenset({"/healthz", "/api/auth/token", "/api/auth/refresh", "/openapi.json",
                          "/docs", "/docs/oauth2-redirect", "/redoc",
                          "/tech", "/console"})  # pages' shells: they hold no data  # fmt: skip

MATRIX: dict[tuple[str, str], Rule] = {
    ("GET", "/api/auth/me"): EVERYONE,
    ("GET", "/api/kinds"): HELPDESK,
    ("POST", "/api/tickets"): HELPDESK,
    ("GET", "/api/tickets/{ticket_id}"): HELPDESK,
    ("GET", "/api/tickets/{ticket_id}/candidates"): HELPDESK,
    ("POST", "/api/tickets/{ticket_id}/book"): HELPDESK,
    ("GET", "/api/tickets/{ticket_id}/messages"): HELPDESK,
    ("GET", "/api/tickets/{ticket_id}/slots"): HELPDESK,
    ("POST", "/api/tickets/{ticket_id}/cancel"): HELPDESK,
    ("GET", "/api/tickets/{ticket_id}/history"): HELPDESK,
    ("POST", "/api/tickets/{ticket_id}/contacts"): HELPDESK,
    ("POST", "/api/tickets/{ticket_id}/tracking-link"): HELPDESK,
    ("GET", "/api/followups"): HELPDESK,
    ("POST", "/api/followups/{followup_id}/outcome"): HELPDESK,
    ("GET", "/api/technicians"): HELPDESK,
    ("GET", "/api/board"): HELPDESK,
    ("GET", "/api/map/roads"): HELPDESK,
    ("GET", "/api/map/streets"): HELPDESK,
    ("GET", "/api/stream"): HELPDESK,
    ("GET", "/api/attention"): HELPDESK,
    ("POST", "/api/tickets/{ticket_id}/move"): DISPATCH,
    ("GET", "/api/technicians/{technician_id}/route"): HIS_OWN,
    ("POST", "/api/technicians/{technician_id}/events"): rule(D, ADMIN, T, own=True),
    ("GET", "/api/technicians/{technician_id}/calendar"): HIS_OWN,
    ("PUT", "/api/technicians/{technician_id}/calendar/pattern"): DISPATCH,
    ("POST", "/api/technicians/{technician_id}/calendar/exceptions"): DISPATCH,
    ("DELETE", "/api/technicians/{technician_id}/calendar/exceptions/{exception_id}"): DISPATCH,
    ("POST", "/api/disruptions"): DISPATCH,
    ("GET", "/api/disruptions"): DISPATCH,
    ("GET", "/api/disruptions/{disruption_id}"): DISPATCH,
    ("POST", "/api/disruptions/{disruption_id}/end"): DISPATCH,
    ("GET", "/api/reports/service"): DISPATCH,
    ("GET", "/api/reports/technicians"): DISPATCH,
    ("GET", "/api/messages/dead"): DISPATCH,
    ("GET", "/api/webhooks"): ADMINS,
    ("POST", "/api/webhooks"): ADMINS,
    ("DELETE", "/api/webhooks/{endpoint_id}"): ADMINS,
    ("GET", "/api/keys"): ADMINS,
    ("POST", "/api/keys"): ADMINS,
    ("DELETE", "/api/keys/{key_id}"): ADMINS,
    ("GET", "/api/users"): ADMINS,
    ("POST", "/api/users"): ADMINS,
    ("POST", "/api/users/{username}/disable"): ADMINS,
    ("POST", "/api/users/{username}/enable"): ADMINS,
    ("GET", "/api/audit"): ADMINS,
}


def is_public(path_template: str) -> bool:
    return path_template in PUBLIC_PATHS or path_template.startswith(PUBLIC_PREFIXES)


def rule_for(method: str, path_template: str) -> Rule | None:
    """None: nobody may (deny by default)."""
    return MATRIX.get((method, path_template))
