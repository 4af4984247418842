"""What the client reports: problem events and running counters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Literal, Optional

RecordKind = Literal["prediction", "label"]
EventType = Literal["rejected", "invalid_record", "buffer_full", "batch_failed"]


@dataclass(frozen=True)
class ErrorEvent:
    """A record or batch that was not stored, passed to ``on_error`` (never raised).

    - ``rejected``: the server refused records (``rejected`` holds its per-record results:
      ``index``, ``prediction_id``, ``code``, ``message``).
    - ``invalid_record``: the client refused a record before sending it (no model, not JSON
      serialisable, too large, or logged after ``close()``).
    - ``buffer_full``: the buffer overflowed and new records are dropped; once per overflow.
    - ``batch_failed``: a whole batch was given up (``records`` of them; ``status`` is the last
      HTTP status, or None when the last attempt got no answer).
    """

    type: EventType
    kind: RecordKind
    message: str = ""
    status: Optional[int] = None
    records: int = 0
    prediction_id: Optional[str] = None
    rejected: List[Dict[str, Any]] = field(default_factory=list)
    capacity: int = 0


@dataclass
class ClientStats:
    """Totals since the client started, predictions and labels together."""

    #: Stored by the server, including ``duplicates`` (records it already had).
    sent: int = 0
    duplicates: int = 0
    #: Discarded because the buffer was full or the client was closed.
    dropped: int = 0
    #: Refused per record, by the server or by the client before sending.
    rejected: int = 0
    #: HTTP attempts repeated after a 429, a 5xx, a timeout or a network error.
    retries: int = 0
    failed_batches: int = 0
    failed_records: int = 0
    #: Waiting in the buffer right now (not counting a batch being sent).
    buffered: int = 0
