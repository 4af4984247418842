"""Turning caller objects into the JSON the ingest API reads."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timezone
from typing import Any, Union

Timestamp = Union[str, datetime, float, None]


def to_timestamp(value: Timestamp) -> str:
    """RFC 3339 with an offset. None means now, a number is Unix seconds (as ``time.time()``
    returns), and a naive datetime is local time, as elsewhere in Python."""
    if value is None:
        return datetime.now(timezone.utc).isoformat()
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc).isoformat()
    if isinstance(value, str):
        return value
    raise TypeError(f"timestamp must be a str, datetime or number, not {type(value).__name__}")


def _json_default(value: Any) -> Any:
    """What ``json`` cannot encode on its own but inference code commonly holds."""
    if isinstance(value, datetime):
        return to_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return list(value)
    # NumPy scalars and arrays, without importing NumPy.
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _finite_or_none(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite_or_none(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_or_none(item) for item in value]
    return value


def encode_record(record: Any) -> bytes:
    """Compact JSON bytes of one record.

    NaN and infinities become null (a missing value), as JavaScript's JSON.stringify does: Python
    would otherwise write the non-JSON token ``NaN`` and the server would refuse the whole batch.
    """
    try:
        text = json.dumps(record, separators=(",", ":"), allow_nan=False, default=_json_default)
    except ValueError:
        converted = json.loads(json.dumps(record, default=_json_default))
        text = json.dumps(_finite_or_none(converted), separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")
