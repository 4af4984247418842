"""A background-batching client for Plumbline's ingest API, standard library only."""

from __future__ import annotations

import atexit
import gzip
import http.client
import json
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Deque, Dict, List, Mapping, Optional, Sequence, Tuple

from .backoff import full_jitter_delay, parse_retry_after
from .baseline import UploadSettings, baseline_url, encode_baseline, upload_baseline
from .events import ClientStats, ErrorEvent, RecordKind
from .serialization import Timestamp, encode_record, to_timestamp

__version__ = "0.0.0"

#: The ingest API's limits (packages/contracts/src/limits.ts).
MAX_RECORDS_PER_BATCH = 1000
MAX_REQUEST_BYTES = 5 * 1024 * 1024
#: Room left under the request limit for the envelope around the records.
MAX_BATCH_BYTES = MAX_REQUEST_BYTES - 64 * 1024

_logger = logging.getLogger("plumbline")


def _warn(event: ErrorEvent) -> None:
    _logger.warning("plumbline: %s", event)


@dataclass
class _QueuedRecord:
    prediction_id: Optional[str]
    body: bytes
    enqueued_at: float


@dataclass
class _Buffer:
    """One endpoint's FIFO and its bookkeeping; guarded by the client's condition."""

    kind: RecordKind
    path: str
    body_key: str
    queue: Deque[_QueuedRecord] = field(default_factory=deque)
    admitted: int = 0  # records ever admitted
    taken: int = 0  # records taken out into a batch
    settled: int = 0  # records whose batch finished (stored, rejected or given up)
    send_through: int = 0  # records admitted before this count must go now, even in a partial batch
    overflowing: bool = False


@dataclass
class _Answer:
    status: Optional[int]  # None: no answer (network error, timeout)
    body: bytes
    retry_after: Optional[float]
    message: str


def _is_retryable(status: Optional[int]) -> bool:
    """No answer, 408, 429 and server errors may succeed later; 501, 505 and other 4xx will not."""
    if status is None or status in (408, 429):
        return True
    return status >= 500 and status not in (501, 505)


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _ingest_results(body: bytes) -> Optional[Dict[str, Any]]:
    """The per-record results ({accepted, duplicates, rejected, warnings}), if that is the body."""
    data = _parse_json(body)
    if (
        isinstance(data, dict)
        and isinstance(data.get("accepted"), int)
        and isinstance(data.get("duplicates"), int)
        and isinstance(data.get("rejected"), list)
    ):
        return data
    return None


def _error_message(status: Optional[int], body: bytes) -> str:
    data = _parse_json(body)
    if isinstance(data, dict) and "error" in data:
        return f"HTTP {status} {data.get('error')}: {data.get('message', '')}"
    return f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}"


class PlumblineClient:
    """Sends predictions and labels to Plumbline in a background thread.

    ``log_prediction`` and ``log_label`` only serialise the record into a bounded buffer and
    return: they never wait on the network and never raise. Batches leave by size or by time,
    gzipped, and are retried with the same Idempotency-Key, so a retry never stores a record twice.
    When the buffer is full the newest record (the one being logged) is dropped and counted.
    """

    def __init__(
        self,
        endpoint: str,
        api_key: str,
        *,
        model: Optional[Mapping[str, Any]] = None,
        batch_size: int = 500,
        flush_interval: float = 1.0,
        max_buffered_records: int = 10_000,
        gzip_threshold_bytes: int = 1024,
        max_retries: int = 8,
        initial_backoff: float = 0.25,
        max_backoff: float = 30.0,
        request_timeout: float = 10.0,
        flush_at_exit: bool = True,
        shutdown_timeout: float = 10.0,
        on_error: Optional[Callable[[ErrorEvent], None]] = None,
    ) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise ValueError(f"endpoint must be an http(s) URL, got {endpoint!r}")
        if not api_key.strip():
            raise ValueError("api_key is required")
        if not 1 <= batch_size <= MAX_RECORDS_PER_BATCH:
            raise ValueError(f"batch_size must be 1 to {MAX_RECORDS_PER_BATCH}, got {batch_size}")
        if max_buffered_records < 1:
            raise ValueError("max_buffered_records must be at least 1")
        self._endpoint = endpoint.rstrip("/")
        self._api_key = api_key
        self._model = dict(model) if model is not None else None
        self._batch_size = batch_size
        self._flush_interval = flush_interval
        self._capacity = max_buffered_records
        self._gzip_threshold = gzip_threshold_bytes
        self._max_retries = max_retries
        self._initial_backoff = initial_backoff
        self._max_backoff = max_backoff
        self._request_timeout = request_timeout
        self._shutdown_timeout = shutdown_timeout
        self._on_error = on_error or _warn

        self._condition = threading.Condition()
        self._buffers: Tuple[_Buffer, _Buffer] = (
            _Buffer("prediction", "/v1/predictions", "records"),
            _Buffer("label", "/v1/labels", "labels"),
        )
        self._stats = ClientStats()
        self._closed = False
        self._stopping = False
        #: Set when close() runs out of time: retry waits end and remaining batches fail at once.
        self._abandon = threading.Event()
        # A daemon thread does not hold the interpreter open; atexit flushes it instead.
        self._worker = threading.Thread(target=self._run, name="plumbline-sender", daemon=True)
        self._worker.start()
        self._flush_at_exit = flush_at_exit
        if flush_at_exit:
            atexit.register(self.close)

    # The inference path -------------------------------------------------------------------

    def log_prediction(
        self,
        prediction: Mapping[str, Any],
        *,
        features: Optional[Mapping[str, Any]] = None,
        prediction_id: Optional[str] = None,
        timestamp: Timestamp = None,
        model: Optional[Mapping[str, Any]] = None,
        **fields: Any,
    ) -> str:
        """Queues one prediction and returns its ``prediction_id`` (a UUID when not given).

        ``prediction`` is the model's output (``label``, ``value``, ``score``, ``scores``, ...);
        other record fields (``segments``, ``metadata``, ``latency_ms``, ``actual``, ...) go in
        as keyword arguments. Never raises and never blocks.
        """
        record_id = prediction_id if prediction_id is not None else str(uuid.uuid4())
        try:
            chosen_model = model if model is not None else self._model
            if chosen_model is None:
                self._refuse("prediction", record_id, "The record has no model and the client none")
                return record_id
            record: Dict[str, Any] = {
                "prediction_id": record_id,
                "model": chosen_model,
                "timestamp": to_timestamp(timestamp),
                "prediction": prediction,
            }
            if features is not None:
                record["features"] = features
            record.update(fields)
            self._enqueue(self._buffers[0], record_id, record)
        except Exception as error:  # noqa: BLE001 - the inference path must never see an exception
            self._refuse("prediction", record_id, f"{type(error).__name__}: {error}")
        return record_id

    def log_label(
        self,
        prediction_id: str,
        actual: Mapping[str, Any],
        *,
        model: Optional[Mapping[str, Any]] = None,
        observed_at: Timestamp = None,
        **fields: Any,
    ) -> None:
        """Queues one label (delayed ground truth) for ``prediction_id``. Never raises.

        ``model`` defaults to the client's model id without a version, so the label applies to
        every version that logged that prediction; ``observed_at`` defaults to now.
        """
        try:
            chosen_model = model
            if chosen_model is None and self._model is not None:
                chosen_model = {"id": self._model["id"]}
            if chosen_model is None:
                self._refuse("label", prediction_id, "The label has no model and the client none")
                return
            record: Dict[str, Any] = {
                "prediction_id": prediction_id,
                "model": chosen_model,
                "actual": actual,
                "observed_at": to_timestamp(observed_at),
            }
            record.update(fields)
            self._enqueue(self._buffers[1], prediction_id, record)
        except Exception as error:  # noqa: BLE001 - the inference path must never see an exception
            self._refuse("label", None, f"{type(error).__name__}: {error}")

    # References ---------------------------------------------------------------------------

    def upload_baseline(
        self,
        rows: Optional[Sequence[Mapping[str, Any]]] = None,
        *,
        csv: Optional[str] = None,
        model_id: Optional[str] = None,
        version: Optional[str] = None,
        name: Optional[str] = None,
        timeout: float = 120.0,
    ) -> Dict[str, Any]:
        """Uploads a reference dataset (usually the training data) for a model version.

        Give ``rows`` (dicts: every column but ``prediction`` and ``score`` is a feature; for
        pandas, ``df.to_dict("records")``) or ``csv`` (the text of a CSV file with a header line;
        ``df.to_csv(index=False)``). ``model_id`` and ``version`` default to the client's model;
        ``name`` labels the reference. Returns the server's summary (``revision``, ``rows`` and
        each profile's ``target``, ``name``, ``kind``, ``n``, ``missing``, ``bins``).

        Unlike the logging methods this one blocks and raises: ``BaselineUploadError`` when the
        server refuses the dataset or 429, 5xx and network errors outlast ``max_retries``;
        ``ValueError`` when there is no model version or no data. ``timeout`` is per attempt.
        The key needs the ``baselines:write`` scope.
        """
        target_model = model_id if model_id is not None else (self._model or {}).get("id")
        target_version = version if version is not None else (self._model or {}).get("version")
        if not target_model or not target_version:
            raise ValueError(
                "upload_baseline needs a model id and version: pass model_id and version, "
                "or give the client a model with a version"
            )
        content_type, body = encode_baseline(rows, csv)
        settings = UploadSettings(
            endpoint=self._endpoint,
            api_key=self._api_key,
            user_agent=f"plumbline-client-python/{__version__}",
            gzip_threshold_bytes=self._gzip_threshold,
            max_retries=self._max_retries,
            initial_backoff=self._initial_backoff,
            max_backoff=self._max_backoff,
            abandon=self._abandon,
        )
        url = baseline_url(self._endpoint, str(target_model), str(target_version), name)
        return upload_baseline(settings, url, content_type, body, timeout)

    # Control ------------------------------------------------------------------------------

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends everything logged so far; returns True once each record is stored, rejected or
        given up, or False if ``timeout`` seconds passed first. Never raises."""
        with self._condition:
            targets = [buffer.admitted for buffer in self._buffers]
            for buffer, target in zip(self._buffers, targets):
                buffer.send_through = max(buffer.send_through, target)
            self._condition.notify_all()
            return self._condition.wait_for(
                lambda: all(b.settled >= t for b, t in zip(self._buffers, targets)), timeout
            )

    def close(self, timeout: Optional[float] = None) -> None:
        """Flushes (at most ``timeout`` seconds, default ``shutdown_timeout``), then stops: later
        records are dropped, unsent ones after the timeout are given up. Safe to call twice."""
        with self._condition:
            if self._closed:
                return
            self._closed = True
        if self._flush_at_exit:
            atexit.unregister(self.close)
        limit = self._shutdown_timeout if timeout is None else timeout
        if not self.flush(limit):
            self._abandon.set()
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        # An in-flight request cannot be interrupted; it ends within its own timeout.
        self._worker.join(self._request_timeout + 1.0)

    def stats(self) -> ClientStats:
        """A snapshot of the counters."""
        with self._condition:
            snapshot = ClientStats(**vars(self._stats))
            snapshot.buffered = sum(len(buffer.queue) for buffer in self._buffers)
            return snapshot

    def __enter__(self) -> "PlumblineClient":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # Buffering ----------------------------------------------------------------------------

    def _enqueue(self, buffer: _Buffer, prediction_id: Optional[str], record: Any) -> None:
        if self._closed:
            with self._condition:
                self._stats.dropped += 1
            self._report(
                ErrorEvent(
                    "invalid_record",
                    buffer.kind,
                    "The client is closed",
                    prediction_id=prediction_id,
                )
            )
            return
        # Serialised now, not at send time: the caller may reuse or mutate its objects afterwards.
        body = encode_record(record)
        if len(body) > MAX_BATCH_BYTES:
            self._refuse(
                buffer.kind,
                prediction_id,
                f"The record is {len(body)} bytes of JSON, more than a request may carry",
            )
            return
        overflowed = False
        with self._condition:
            if len(buffer.queue) >= self._capacity:
                self._stats.dropped += 1
                overflowed = not buffer.overflowing
                buffer.overflowing = True
            else:
                buffer.overflowing = False
                buffer.queue.append(_QueuedRecord(prediction_id, body, time.monotonic()))
                buffer.admitted += 1
                # Wake the sender when a batch is full, or to start the interval of a first record.
                if len(buffer.queue) in (1, self._batch_size):
                    self._condition.notify_all()
        if overflowed:
            self._report(ErrorEvent("buffer_full", buffer.kind, capacity=self._capacity))

    def _refuse(self, kind: RecordKind, prediction_id: Optional[str], message: str) -> None:
        with self._condition:
            self._stats.rejected += 1
        self._report(ErrorEvent("invalid_record", kind, message, prediction_id=prediction_id))

    def _report(self, event: ErrorEvent) -> None:
        try:
            self._on_error(event)
        except Exception:  # noqa: BLE001 - a broken callback must not break logging; it is counted
            pass

    def _is_due(self, buffer: _Buffer, now: float) -> bool:
        if not buffer.queue:
            return False
        return (
            len(buffer.queue) >= self._batch_size
            or buffer.taken < buffer.send_through
            or now - buffer.queue[0].enqueued_at >= self._flush_interval
            or self._stopping
        )

    def _next_batch(self) -> Optional[Tuple[_Buffer, List[_QueuedRecord]]]:
        """Waits (holding the condition) until a batch is due; None when stopping and empty."""
        while True:
            now = time.monotonic()
            for buffer in self._buffers:
                if self._is_due(buffer, now):
                    return buffer, self._take(buffer)
            if self._stopping:
                return None
            oldest = [b.queue[0].enqueued_at for b in self._buffers if b.queue]
            wait = min(oldest) + self._flush_interval - now if oldest else None
            self._condition.wait(wait)

    def _take(self, buffer: _Buffer) -> List[_QueuedRecord]:
        batch: List[_QueuedRecord] = []
        size = 0
        while buffer.queue and len(batch) < self._batch_size:
            cost = len(buffer.queue[0].body) + 1  # + 1 for the separating comma
            if batch and size + cost > MAX_BATCH_BYTES:
                break
            batch.append(buffer.queue.popleft())
            size += cost
        buffer.taken += len(batch)
        return batch

    def _run(self) -> None:
        """The sender: one request at a time, so a struggling server slows the client down."""
        while True:
            with self._condition:
                due = self._next_batch()
            if due is None:
                return
            buffer, batch = due
            try:
                self._deliver(buffer, batch)
            except Exception as error:  # noqa: BLE001 - a bug must cost one batch, not the thread
                self._fail(buffer, len(batch), None, f"{type(error).__name__}: {error}")
            with self._condition:
                buffer.settled += len(batch)
                self._condition.notify_all()

    # Delivery -----------------------------------------------------------------------------

    def _deliver(self, buffer: _Buffer, batch: Sequence[_QueuedRecord]) -> None:
        answer = self._post_with_retries(buffer, batch)
        status = answer.status
        if status in (200, 202, 207, 400):
            results = _ingest_results(answer.body)
            if results is not None:
                self._account(buffer, status, results)
                return
            if status != 400:
                # The write was acknowledged; only its details are unreadable.
                with self._condition:
                    self._stats.sent += len(batch)
                return
        if status == 413 and len(batch) > 1:
            # The server's limit is lower than ours: halve until each part fits. Each half is a
            # new body, so it gets its own Idempotency-Key.
            middle = (len(batch) + 1) // 2
            self._deliver(buffer, batch[:middle])
            self._deliver(buffer, batch[middle:])
            return
        if status == 413:
            rejection = {
                "index": 0,
                "prediction_id": batch[0].prediction_id,
                "code": "too_large",
                "message": "The record alone is larger than the server accepts",
            }
            self._account(buffer, 413, {"accepted": 0, "duplicates": 0, "rejected": [rejection]})
            return
        self._fail(buffer, len(batch), status, answer.message)

    def _account(self, buffer: _Buffer, status: int, results: Mapping[str, Any]) -> None:
        rejected: List[Dict[str, Any]] = list(results["rejected"])
        with self._condition:
            self._stats.sent += results["accepted"] + results["duplicates"]
            self._stats.duplicates += results["duplicates"]
            self._stats.rejected += len(rejected)
        if rejected:
            self._report(ErrorEvent("rejected", buffer.kind, status=status, rejected=rejected))

    def _fail(self, buffer: _Buffer, records: int, status: Optional[int], message: str) -> None:
        with self._condition:
            self._stats.failed_batches += 1
            self._stats.failed_records += records
        self._report(
            ErrorEvent("batch_failed", buffer.kind, message, status=status, records=records)
        )

    def _post_with_retries(self, buffer: _Buffer, batch: Sequence[_QueuedRecord]) -> _Answer:
        """Posts one body until a final answer or the retries run out.

        The body and its Idempotency-Key stay the same across attempts: if an earlier attempt was
        stored but its answer was lost, the server replays its stored response instead of storing
        the batch twice.
        """
        payload = b'{"%s":[%s]}' % (buffer.body_key.encode(), b",".join(r.body for r in batch))
        headers = {
            "Authorization": f"Bearer {self._api_key}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
            "User-Agent": f"plumbline-client-python/{__version__}",
        }
        if len(payload) >= self._gzip_threshold:
            payload = gzip.compress(payload)
            headers["Content-Encoding"] = "gzip"
        url = self._endpoint + buffer.path
        attempt = 0
        while True:
            if self._abandon.is_set():
                return _Answer(None, b"", None, "Given up: close() ran out of time")
            answer = self._post_once(url, payload, headers)
            if not _is_retryable(answer.status) or attempt >= self._max_retries:
                return answer
            with self._condition:
                self._stats.retries += 1
            delay = full_jitter_delay(attempt, self._initial_backoff, self._max_backoff)
            # The server knows best how long it needs: never retry before its Retry-After.
            if answer.retry_after is not None:
                delay = max(delay, answer.retry_after)
            self._abandon.wait(delay)
            attempt += 1

    def _post_once(self, url: str, payload: bytes, headers: Dict[str, str]) -> _Answer:
        request = urllib.request.Request(url, data=payload, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self._request_timeout) as response:
                return _Answer(response.status, response.read(), None, f"HTTP {response.status}")
        except urllib.error.HTTPError as error:
            body = error.read()
            return _Answer(
                error.code,
                body,
                parse_retry_after(error.headers.get("Retry-After")),
                _error_message(error.code, body),
            )
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            # Refused, reset or dropped connections and timeouts: worth another attempt.
            return _Answer(None, b"", None, f"{type(error).__name__}: {error}")
