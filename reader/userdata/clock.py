"""The clock that user data is stamped with, kept apart so tests can inject a fixed one."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Return the current time as a timezone-aware UTC datetime.

    Returns:
        The current moment, with ``tzinfo`` set to UTC.
    """
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """Format a moment as ISO 8601 UTC with whole seconds, e.g. ``2026-11-25T03:40:00Z``.

    Args:
        moment: The time to format. A naive datetime is taken to be UTC already.

    Returns:
        The formatted timestamp.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
