"""The kinds of work a ticket can be, and what each implies when the agent does not say
otherwise: the skills a technician needs, and whether property is at risk.

One table (docs/cases.md shows it): an unknown kind is refused with the known ones
listed, so a typo never books a parcel driver for a locked cable.
"""

from __future__ import annotations

from dataclasses import dataclass

from dispatch.domain.errors import InvalidInput


@dataclass(frozen=True)
class WorkKind:
    code: str
    label: str
    skills: frozenset[str]  # what a technician needs when the ticket names none
    at_risk: bool = False  # unattended property at risk unless the agent says otherwise


KINDS: dict[str, WorkKind] = {k.code: k for k in (
    # a locked cable hangs unattended in a public car park: property at risk
    WorkKind("cable_stuck", "Charging cable locked in the charge point",
             frozenset({"cable_release"}), at_risk=True),
    WorkKind("charger_offline", "Charge point offline or not charging",
             frozenset({"ac_charger"})),
    WorkKind("damaged_connector", "Damaged connector or cable", frozenset({"ac_charger"})),
    WorkKind("dc_fault", "DC fast charger fault", frozenset({"dc_fast_charger"})),
    WorkKind("payment_failure", "Payment terminal or RFID reader fails",
             frozenset({"payment_terminal"})),
    WorkKind("parcel_delivery", "Parcel or spare-part delivery", frozenset({"delivery"})),
)}  # fmt: skip


def work_kind(code: str) -> WorkKind:
    kind = KINDS.get(code)
    if kind is None:
        raise InvalidInput(f"kind {code!r} is unknown; the known kinds are "
                           + ", ".join(sorted(KINDS)))  # fmt: skip
    return kind


def at_risk_by_default(kind: str) -> bool:
    """Whether the kind implies unattended property at risk (an unknown kind does not;
    creating its ticket is refused anyway)."""
    known = KINDS.get(kind)
    return known.at_risk if known else False
