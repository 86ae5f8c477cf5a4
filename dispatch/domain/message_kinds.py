"""What we tell a customer, and why a promised window moved.

Both are plain string enums so a domain event, an outbox payload and a template file
name can all carry the same value (``"running_late"``, ``"traffic"``). The words a
customer reads live in the notifier's templates (``dispatch/notify/templates``), one
file per kind, channel and locale; this module only names the cases.
"""

from __future__ import annotations

import enum


class MessageKind(enum.StrEnum):
    """A message to a customer about their visit."""

    BOOKED = "booking_confirmation"  # the window, the technician's first name, tracking link
    ON_THE_WAY = "on_the_way"  # the technician has left for the customer; narrowed window
    RUNNING_LATE = "running_late"  # a new, later window and the reason in plain words
    WINDOW_CHANGED = "window_changed"  # moved (usually earlier) by more than a threshold
    ARRIVING_SOON = "arriving_soon"  # about ten minutes out
    COMPLETED = "visit_completed"  # thanks, and a link to confirm the problem is solved
    REBOOKED = "rebooked"  # the slot has changed: the new window
    TECHNICIAN_CHANGED = "technician_changed"  # same window, another technician comes
    FORCE_MAJEURE = "force_majeure"  # what happened, sorry, new appointments (first held)
    WEATHER_NOTICE = "weather_notice"  # on our way, but no guarantee in this weather
    CANCELLED = "cancelled"  # the appointment is off, as the customer or an agent asked


class Reason(enum.StrEnum):
    """Why a window moved; every locale words each one (``<locale>/_reasons.j2``)."""

    TRAFFIC = "traffic"
    PREVIOUS_JOB_LONGER = "previous_job_longer"
    URGENT_CASE = "urgent_case"
    RUNNING_EARLY = "running_early"
    BREAKDOWN = "breakdown"
    WEATHER = "weather"
    SICKNESS = "sickness"
    ABSENCE = "absence"  # a technician unexpectedly unavailable (sick, called away)
    OTHER = "other"
