"""Settings from the environment, with defaults that work on a fresh clone."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dispatch.clock import Clock, ScaledClock, SystemClock
from dispatch.domain.errors import InvalidInput
from dispatch.domain.service_hours import ServiceHours

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = REPO_ROOT / "var" / "dispatch.sqlite3"
DEFAULT_FROM = "field-dispatch <noreply@field-dispatch.invalid>"
DEMO_SECRET = "demo-secret-never-for-production-use"
DEMO_ROADS = REPO_ROOT / "fixtures" / "osm" / "be_puurs_itinero-openlr.osm.pbf"


@dataclass(frozen=True)
class Settings:
    database_url: str
    timezone: ZoneInfo
    average_speed_kmh: float
    detour_factor: float
    clock_start: datetime | None
    clock_speed: float
    backlog_interval_s: float
    road_networks: tuple[Path, ...]
    osrm_url: str | None
    refresh_interval_s: float
    replan_interval_s: float
    reoptimise_after_booking: bool
    public_url: str = "http://127.0.0.1:8000"  # where customers open their tracking link
    smtp_host: str | None = None  # without it, mail is written to outbox_dir as .eml
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_tls: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = None
    mail_from: str = DEFAULT_FROM
    outbox_dir: Path = REPO_ROOT / "var" / "outbox"
    deliver_interval_s: float = 1.0  # p95 commit-to-arrival ~1 s (docs/benchmarks.md)
    visit_hours: ServiceHours | None = None  # None: visits whenever technicians work
    message_hours: ServiceHours | None = None  # None: quiet 21:00-08:00 only
    slot_minutes: int = 120  # the window a later-date slot promises
    nightly_days: int = 14  # later dates the nightly plan re-optimises
    nightly_seconds: float = 30.0  # the optimiser's time for each of them
    nightly_hour: int = 1  # local hour at which the nightly plan runs
    hold_minutes: int = 120  # force majeure: how long the first new appointment is held
    offers: int = 3  # force majeure: new appointments offered, the first held
    followup_hours: int = 24  # a completed case unconfirmed this long: a courtesy call
    auto_close_days: int = 10  # ... and closed after this many days without an answer
    repeat_buffer_min: int = 15  # a repeat visit's extra door time
    max_body_bytes: int = 1_000_000  # a larger request body is refused (413) unread
    cors_origins: tuple[str, ...] = ()  # other sites' pages that may call the API
    public_rate: str = "120/minute"  # per caller, on the tracking link's endpoints
    rate_limit_storage: str = "memory://"  # per process; redis://… to share (docs/security.md)
    secret_key: str = DEMO_SECRET  # signs login tokens; production refuses this one
    production: bool = False  # DISPATCH_MODE=production: no demo defaults allowed
    auth_disabled: bool = False  # DISPATCH_AUTH=off, for the auth-cost benchmark only
    login_rate: str = "10/minute"  # per username and per address on POST /api/auth/token
    tracking_days: int = 30  # a tracking link works this long after its case closes
    stream_interval_s: float = 2.0  # how often the console's live stream looks for changes

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        e = dict(os.environ) if env is None else env
        start = e.get("DISPATCH_CLOCK_START")
        try:
            clock_start = datetime.fromisoformat(start) if start else None
        except ValueError as exc:
            raise ValueError(f"DISPATCH_CLOCK_START={start!r} is not an ISO 8601 instant") from exc
        if clock_start is not None and clock_start.tzinfo is None:
            raise ValueError("DISPATCH_CLOCK_START needs a UTC offset, e.g. +01:00")
        return cls(
            database_url=e.get("DISPATCH_DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}"),
            timezone=ZoneInfo(e.get("DISPATCH_TIMEZONE", "Europe/Brussels")),
            average_speed_kmh=float(e.get("DISPATCH_AVERAGE_SPEED_KMH", "35")),
            detour_factor=float(e.get("DISPATCH_DETOUR_FACTOR", "1.3")),
            clock_start=clock_start,
            clock_speed=float(e.get("DISPATCH_CLOCK_SPEED", "1")),
            backlog_interval_s=float(e.get("DISPATCH_BACKLOG_INTERVAL_S", "300")),
            osrm_url=e.get("DISPATCH_OSRM_URL") or None,
            road_networks=tuple(
                Path(p.strip())
                for p in e.get("DISPATCH_ROAD_NETWORKS", str(DEMO_ROADS)).split(",")
                if p.strip()
            ),
            refresh_interval_s=float(e.get("DISPATCH_REFRESH_INTERVAL_S", "60")),
            replan_interval_s=float(e.get("DISPATCH_REPLAN_INTERVAL_S", "600")),
            reoptimise_after_booking=e.get("DISPATCH_REOPTIMISE_AFTER_BOOKING", "1") != "0",
            public_url=e.get("DISPATCH_PUBLIC_URL", "http://127.0.0.1:8000"),
            smtp_host=e.get("DISPATCH_SMTP_HOST") or None,
            smtp_port=int(e.get("DISPATCH_SMTP_PORT", "25")),
            smtp_starttls=e.get("DISPATCH_SMTP_STARTTLS", "0") == "1",
            smtp_tls=e.get("DISPATCH_SMTP_TLS", "0") == "1",
            smtp_user=e.get("DISPATCH_SMTP_USER") or None,
            smtp_password=e.get("DISPATCH_SMTP_PASSWORD") or None,
            mail_from=e.get("DISPATCH_MAIL_FROM", DEFAULT_FROM),
            outbox_dir=Path(e.get("DISPATCH_OUTBOX_DIR", str(REPO_ROOT / "var" / "outbox"))),
            deliver_interval_s=float(e.get("DISPATCH_DELIVER_INTERVAL_S", "1")),
            visit_hours=_hours(e.get("DISPATCH_VISIT_HOURS", ""), e),
            message_hours=_hours(e.get("DISPATCH_MESSAGE_HOURS", ""), e, "DISPATCH_MESSAGE_HOURS"),
            slot_minutes=int(e.get("DISPATCH_SLOT_MINUTES", "120")),
            hold_minutes=_at_least(e, "DISPATCH_HOLD_MINUTES", "120", 5),
            offers=_at_least(e, "DISPATCH_OFFERS", "3", 2),  # "at least two new appointments"
            followup_hours=_at_least(e, "DISPATCH_FOLLOWUP_HOURS", "24", 1),
            auto_close_days=_at_least(e, "DISPATCH_AUTO_CLOSE_DAYS", "10", 1),
            repeat_buffer_min=_at_least(e, "DISPATCH_REPEAT_BUFFER_MIN", "15", 0),
            max_body_bytes=_at_least(e, "DISPATCH_MAX_BODY_BYTES", "1000000", 1024),
            cors_origins=_listed(e.get("DISPATCH_CORS_ORIGINS", "")),
            public_rate=e.get("DISPATCH_PUBLIC_RATE", "120/minute"),
            rate_limit_storage=e.get("DISPATCH_RATE_LIMIT_STORAGE", "memory://"),
            secret_key=_secret(e),
            production=e.get("DISPATCH_MODE", "demo") == "production",
            auth_disabled=_auth_off(e),
            login_rate=e.get("DISPATCH_LOGIN_RATE", "10/minute"),
            tracking_days=_at_least(e, "DISPATCH_TRACKING_DAYS", "30", 1),
            stream_interval_s=float(e.get("DISPATCH_STREAM_INTERVAL_S", "2")),
            nightly_days=int(e.get("DISPATCH_NIGHTLY_DAYS", "14")),
            nightly_seconds=float(e.get("DISPATCH_NIGHTLY_SECONDS", "30")),
            nightly_hour=int(e.get("DISPATCH_NIGHTLY_HOUR", "1")),
        )

    def clock(self) -> Clock:
        if self.clock_start is None and self.clock_speed == 1:
            return SystemClock()
        start = self.clock_start or SystemClock().now()
        return ScaledClock(start, self.clock_speed)


def _secret(e: dict[str, str]) -> str:
    """The token-signing secret; in production mode it must be set, not the demo's, and
    long enough (32 characters) not to be guessed."""
    secret = e.get("DISPATCH_SECRET_KEY", "")
    weak = not secret or secret == DEMO_SECRET or len(secret) < 32
    if e.get("DISPATCH_MODE", "demo") == "production" and weak:
        raise ValueError("DISPATCH_MODE=production needs DISPATCH_SECRET_KEY: at least "
                         "32 random characters, e.g. `python -c 'import secrets; "
                         "print(secrets.token_urlsafe(48))'`")  # fmt: skip
    return secret or DEMO_SECRET


def _auth_off(e: dict[str, str]) -> bool:
    """Only the benchmark turns checking off, to measure what it costs; never production."""
    off = e.get("DISPATCH_AUTH", "on") == "off"
    if off and e.get("DISPATCH_MODE", "demo") == "production":
        raise ValueError("DISPATCH_AUTH=off is for benchmarks; production mode refuses it")
    return off


def _listed(raw: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in raw.split(",") if x.strip())


def _at_least(e: dict[str, str], name: str, default: str, low: int) -> int:
    raw = e.get(name, default)
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a whole number") from None
    if value < low:
        raise ValueError(f"{name}={value} is too small: at least {low}")
    return value


def _hours(text: str, e: dict[str, str], name: str = "DISPATCH_VISIT_HOURS") -> ServiceHours | None:
    """DISPATCH_VISIT_HOURS or _MESSAGE_HOURS, e.g. "mon-fri 08:00-20:00, sat 09:00-13:00"."""
    if not text.strip():
        return None
    try:
        return ServiceHours.parse(text, e.get("DISPATCH_TIMEZONE", "Europe/Brussels"))
    except InvalidInput as exc:
        raise ValueError(f"{name}: {exc}") from exc
