"""Access and refresh tokens: JWTs signed with the service's secret (pyjwt, HS256).

An access token lives 15 minutes and says who and in which role; a refresh token lives
7 days and only buys new access tokens, after the user is checked again (a disabled
login gets no more). Short access tokens keep a request's check to one signature,
without reading the database (issue 16: authentication may cost a quote 2 ms at most).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from jwt.types import Options

from dispatch.domain.errors import Unauthenticated
from dispatch.domain.users import Role, User

ACCESS = timedelta(minutes=15)
REFRESH = timedelta(days=7)
ALGORITHM = "HS256"
# expiry is checked against the injected clock below, not the machine's
OPTIONS: Options = {"verify_exp": False, "require": ["exp", "sub", "typ"]}


@dataclass(frozen=True)
class Caller:
    username: str
    role: Role
    technician_id: int | None


def issue(user: User, secret: str, now: datetime, kind: str = "access",
          life: timedelta | None = None) -> str:  # fmt: skip
    """``life``: only tests and in-process benchmarks, whose fake clocks run for days."""
    life = life or (ACCESS if kind == "access" else REFRESH)
    claims = {"sub": user.username, "role": user.role.value, "tech": user.technician_id,
              "typ": kind, "iat": int(now.timestamp()),
              "exp": int((now + life).timestamp())}  # fmt: skip
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read(token: str, secret: str, now: datetime, kind: str = "access") -> Caller:
    """The caller a token names; Unauthenticated when it is forged, expired or of the
    wrong kind (a refresh token is no access token)."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options=OPTIONS)
    except jwt.PyJWTError:
        raise Unauthenticated("the token is not one of ours; log in again") from None
    if claims["typ"] != kind:
        raise Unauthenticated(f"wrong kind of token: this needs the {kind} token")
    if claims["exp"] <= now.timestamp():  # the injected clock, not the machine's
        raise Unauthenticated("the token has expired; refresh it or log in again")
    try:
        return Caller(str(claims["sub"]), Role(claims["role"]), claims.get("tech"))
    except (KeyError, ValueError):
        raise Unauthenticated("the token is not one of ours; log in again") from None
