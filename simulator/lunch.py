"""When a simulated technician eats: the habit the truth gives them.

Real technicians eat when the day lets them, not at a time the system computes. The
habit: not before the lunch window opens, and only where it still ends in time; then
at the first stop boundary where the plan leaves room for it before the next customer
(the ETA of the next stop, less the drive, leaves a lunch's length, give or take five
minutes), or at the last boundary that still can. With nothing left to drive to, at
once. The plan (``solver/day_schedule.py``) puts lunch where it keeps every window;
where the two differ, the ETAs must catch up, which is what the simulator measures.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from dispatch.domain.model import LunchBreak, Visit

SLACK = timedelta(minutes=5)


def eats_now(lunch: LunchBreak | None, eaten: bool, at: datetime, nxt: Visit | None) -> bool:
    if lunch is None or eaten or at < lunch.earliest or at + lunch.duration > lunch.latest:
        return False
    if nxt is None:
        return True
    reach = at + timedelta(seconds=nxt.leg_s)
    if nxt.eta - reach >= lunch.duration - SLACK:
        return True  # the plan has room for it here
    after_next = max(reach, nxt.eta) + nxt.service
    return after_next + lunch.duration > lunch.latest  # the last boundary that can
