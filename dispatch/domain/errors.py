"""Errors the domain raises; the API turns each into a problem-details response."""

from __future__ import annotations


class DispatchError(Exception):
    """Base for every error a user can cause and fix."""

    status = 400
    title = "Bad request"


class InvalidInput(DispatchError):
    """Input that parses but makes no sense for dispatch (unknown skill, bad window)."""

    status = 422
    title = "Invalid input"


class NotFound(DispatchError):
    status = 404
    title = "Not found"


class Conflict(DispatchError):
    """The request is valid but clashes with what is stored (idempotency key reuse)."""

    status = 409
    title = "Conflict"
