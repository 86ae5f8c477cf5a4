"""Errors a user can cause and fix. The API maps each kind to an HTTP status
(``api/problems.py``); the domain only says what went wrong."""

from __future__ import annotations


class DispatchError(Exception):
    """Base for every error a user can cause and fix."""


class InvalidInput(DispatchError):
    """Input that parses but makes no sense for dispatch (unknown skill, bad window)."""


class NotFound(DispatchError):
    """The thing asked for does not exist."""


class Conflict(DispatchError):
    """The request is valid but clashes with what is stored (idempotency key reuse)."""


class StaleRoute(Conflict):
    """A route changed between reading it and saving it; read again and retry."""


class Unauthenticated(DispatchError):
    """Who is calling is not known: no token, an expired one, or a failed login."""


class Forbidden(DispatchError):
    """Known, but this is not theirs to see or change."""


class Gone(DispatchError):
    """It existed and is over for good: a tracking link past its case's last days."""
