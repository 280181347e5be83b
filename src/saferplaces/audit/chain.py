"""The hash chain over the audit log: canonical content, hashing and verification.

Plain functions over plain values, so the data migration and ``audit_verify`` use exactly the
same rule as ``audit_record``. A row's hash covers every stored field and the previous row's
hash; changing any field, deleting a row or reordering rows breaks the chain.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# Bump only with a data migration that re-chains every row.
CHAIN_VERSION = 1
HASHED_FIELDS = (
    "id",
    "sequence",
    "occurred_at",
    "actor_id",
    "subject_id",
    "verb",
    "action",
    "object_type",
    "object_id",
    "partnership_id",
    "ip_address",
    "user_agent",
    "summary",
    "previous_hash",
)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _ip(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return str(ipaddress.ip_address(str(value)))
    except ValueError:
        return str(value)


def _time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("Audit times must be timezone-aware.")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes a row's hash is taken over: the fields in ``HASHED_FIELDS``, as JSON.

    Values are normalised the way both databases give them back (UUIDs as text with dashes,
    times in UTC with microseconds, IP addresses in their shortest form, the summary as JSON),
    so the hash of a row read back equals the hash computed before it was written.
    """
    content = {
        "v": CHAIN_VERSION,
        "id": _text(row["id"]),
        "sequence": int(row["sequence"]),
        "occurred_at": _time(row["occurred_at"]),
        "actor_id": _text(row["actor_id"]),
        "subject_id": _text(row["subject_id"]),
        "verb": row["verb"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "partnership_id": _text(row["partnership_id"]),
        "ip_address": _ip(row["ip_address"]),
        "user_agent": row["user_agent"],
        "summary": row["summary"],
        "previous_hash": row["previous_hash"],
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def row_hash(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


@dataclass(frozen=True, slots=True)
class Break:
    """The first place the chain does not hold."""

    sequence: int | None
    event_id: str | None
    occurred_at: datetime | None
    problem: str

    def describe(self) -> str:
        where = f"event #{self.sequence}" if self.sequence is not None else "the chain head"
        if self.event_id:
            when = f", {_time(self.occurred_at)}" if self.occurred_at else ""
            where += f" (id {self.event_id}{when})"
        return f"Audit chain broken at {where}: {self.problem}"


@dataclass(frozen=True, slots=True)
class Verification:
    events: int
    head_sequence: int
    head_hash: str
    first_break: Break | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def _where(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "sequence": int(row["sequence"]),
        "event_id": str(row["id"]),
        "occurred_at": row["occurred_at"],
    }


def _check(
    row: Mapping[str, Any],
    expected_sequence: int,
    expected_previous: str,
    previous: Mapping[str, Any] | None,
) -> Break | None:
    sequence = int(row["sequence"])
    if sequence > expected_sequence:
        missing = (
            f"#{expected_sequence}"
            if sequence == expected_sequence + 1
            else f"#{expected_sequence} to #{sequence - 1}"
        )
        return Break(**_where(row), problem=f"event {missing} before it is missing (deleted)")
    if sequence < expected_sequence:
        return Break(**_where(row), problem=f"its number repeats (expected #{expected_sequence})")
    computed = row_hash(row)
    if computed != row["row_hash"]:
        return Break(
            **_where(row),
            problem=(
                f"its content does not match its hash (stored {row['row_hash'][:12]}…, "
                f"computed {computed[:12]}…): the row was changed"
            ),
        )
    if row["previous_hash"] != expected_previous:
        # This row is intact, so the one before it was rewritten and its hash recomputed.
        culprit = _where(previous) if previous is not None else _where(row)
        return Break(
            **culprit,
            problem=(
                f"its hash {expected_previous[:12]}… is not the one event #{sequence} "
                f"recorded for it ({row['previous_hash'][:12]}…): the row was rewritten"
            ),
        )
    return None


def verify(
    rows: Iterable[Mapping[str, Any]],
    *,
    head: tuple[int, str] | None,
    start: tuple[int, str] = (1, ""),
) -> Verification:
    """Walk the rows in ``sequence`` order and return the first break, if any.

    ``rows`` are mappings with the ``HASHED_FIELDS`` plus ``row_hash``; ``head`` is the chain
    head's (sequence, last hash), or None when the head row is missing; ``start`` is the first
    event's number and the hash it must name (moved on by a retention job).
    """
    expected_sequence, expected_previous = start
    count, first_break = 0, None
    last: Mapping[str, Any] | None = None
    for row in rows:
        count += 1
        if first_break is None:
            first_break = _check(row, expected_sequence, expected_previous, last)
        expected_sequence, expected_previous = int(row["sequence"]) + 1, row["row_hash"]
        last = row
    last_sequence = int(last["sequence"]) if last is not None else start[0] - 1
    last_hash = last["row_hash"] if last is not None else start[1]
    if first_break is None and head is not None and head != (last_sequence, last_hash):
        first_break = Break(
            sequence=head[0] if head[0] > last_sequence else None,
            event_id=None,
            occurred_at=None,
            problem=(
                f"the head says the last event is #{head[0]} ({head[1][:12]}…), but the last "
                f"row is #{last_sequence} ({last_hash[:12]}…): events at the end were deleted"
                if head[0] > last_sequence
                else f"the head (#{head[0]}) does not match the last row (#{last_sequence})"
            ),
        )
    if first_break is None and head is None and count:
        first_break = Break(
            sequence=None, event_id=None, occurred_at=None, problem="the chain head is missing"
        )
    return Verification(
        events=count, head_sequence=last_sequence, head_hash=last_hash, first_break=first_break
    )
