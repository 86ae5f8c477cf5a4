"""How urgent a ticket is, from explicit factors a helpdesk agent can ask about.

Urgency decides which existing visits a ticket may push later. The factors and their
weights are deliberately few and visible, so an agent can explain a decision to the
customer whose visit moved:

| factor | points | why |
|---|---|---|
| priority "urgent" set by the agent | 30 | the agent heard something the form cannot say |
| customer waiting on site | 40 | a person is standing in a car park now |
| unattended property at risk (a locked cable) | 30 | theft or damage grows by the hour |
| repeat visit after a failed or incomplete one | 20 | "the second time must be perfect" |
| SLA deadline within 2 hours | 20 (30 once overdue) | a contractual promise is about to break |

A score of 50 or more may push visits of lower urgency past their promise; such a
push always produces a ``PromiseChanged`` message for the customer who was moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

PUSH_THRESHOLD = 50

SLA_HORIZON = timedelta(hours=2)


@dataclass(frozen=True)
class UrgencyFactors:
    customer_on_site: bool = False
    property_at_risk: bool = False
    repeat_visit: bool = False
    sla_deadline: datetime | None = None


@dataclass(frozen=True)
class Urgency:
    score: int
    reasons: tuple[str, ...]

    @property
    def may_push(self) -> bool:
        return self.score >= PUSH_THRESHOLD


def assess(factors: UrgencyFactors, agent_says_urgent: bool, now: datetime) -> Urgency:
    score = 0
    reasons: list[str] = []
    if agent_says_urgent:
        score += 30
        reasons.append("marked urgent by the helpdesk")
    if factors.customer_on_site:
        score += 40
        reasons.append("customer waiting on site")
    if factors.property_at_risk:
        score += 30
        reasons.append("unattended property at risk")
    if factors.repeat_visit:
        score += 20
        reasons.append("repeat visit after a failed first one")
    if factors.sla_deadline is not None:
        if factors.sla_deadline <= now:
            score += 30
            reasons.append("SLA deadline passed")
        elif factors.sla_deadline - now <= SLA_HORIZON:
            score += 20
            reasons.append("SLA deadline within 2 hours")
    return Urgency(min(score, 100), tuple(reasons))
