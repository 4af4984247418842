"""Uploading a reference dataset (a baseline) to the ingest baseline endpoint."""

from __future__ import annotations

import gzip
import http.client
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

from .backoff import full_jitter_delay, parse_retry_after
from .serialization import encode_record


class BaselineUploadError(Exception):
    """The upload failed for good: the server refused the dataset, or the retries ran out.

    ``status`` is the last HTTP status (None when the last attempt got no answer) and ``code``
    the API's error code (``not_found``, ``schema_violation``, ...) when it sent one.
    """

    def __init__(self, message: str, status: Optional[int], code: Optional[str]) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class UploadSettings:
    endpoint: str
    api_key: str
    user_agent: str
    gzip_threshold_bytes: int
    max_retries: int
    initial_backoff: float
    max_backoff: float
    #: Set when the client gives up (close() ran out of time): retry waits end at once.
    abandon: threading.Event


def baseline_url(endpoint: str, model_id: str, version: str, name: Optional[str]) -> str:
    """The baseline endpoint of one model version, with the optional reference name."""
    model_part = urllib.parse.quote(model_id, safe="")
    version_part = urllib.parse.quote(version, safe="")
    url = f"{endpoint}/v1/models/{model_part}/versions/{version_part}/baseline"
    if name is not None:
        url += "?" + urllib.parse.urlencode({"name": name}, quote_via=urllib.parse.quote)
    return url


def encode_baseline(
    rows: Optional[Sequence[Mapping[str, Any]]], csv: Optional[str]
) -> Tuple[str, bytes]:
    """The body and its Content-Type: rows as JSON ``{"rows": [...]}``, or the CSV text."""
    if (rows is None) == (csv is None):
        raise ValueError("upload_baseline takes either rows or csv, not both and not neither")
    if csv is not None:
        return "text/csv", csv.encode("utf-8")
    # encode_record turns NaN into null (missing) and NumPy values into plain numbers.
    return "application/json", encode_record({"rows": list(rows or [])})


def _is_retryable(status: Optional[int]) -> bool:
    if status is None or status in (408, 429):
        return True
    return status >= 500 and status not in (501, 505)


def _refusal(status: int, body: bytes) -> BaselineUploadError:
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        issues = data.get("issues") or []
        details = "".join(
            f" ({issue.get('path')}: {issue.get('message')})"
            for issue in issues[:3]
            if isinstance(issue, dict)
        )
        message = f"HTTP {status} {data['error']}: {data.get('message', '')}{details}"
        return BaselineUploadError(message, status, data["error"])
    return BaselineUploadError(
        f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}", status, None
    )


def upload_baseline(
    settings: UploadSettings,
    url: str,
    content_type: str,
    body: bytes,
    timeout: float,
) -> Dict[str, Any]:
    """Posts the dataset until the server answers for good; returns its summary (``201``).

    429 and 503 mean nothing was stored, so repeating is safe. After another 5xx or a lost
    connection the dataset may have been stored: repeating then stores the same rows as the next
    revision, with the same profiles.
    """
    headers = {
        "Authorization": f"Bearer {settings.api_key}",
        "Content-Type": content_type,
        "User-Agent": settings.user_agent,
    }
    if len(body) >= settings.gzip_threshold_bytes:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    attempt = 0
    while True:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        retry_after: Optional[float] = None
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                answer = response.read()
                try:
                    summary = json.loads(answer)
                except ValueError:
                    summary = None
                if not isinstance(summary, dict) or "revision" not in summary:
                    raise BaselineUploadError(
                        "The baseline was stored, but the answer is not a baseline summary: "
                        + answer[:200].decode("utf-8", "replace"),
                        response.status,
                        None,
                    )
                return summary
        except urllib.error.HTTPError as error:
            failure = _refusal(error.code, error.read())
            if not _is_retryable(error.code):
                raise failure from None
            retry_after = parse_retry_after(error.headers.get("Retry-After"))
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            # Refused, reset or dropped connections and timeouts: worth another attempt.
            failure = BaselineUploadError(f"{type(error).__name__}: {error}", None, None)
        if attempt >= settings.max_retries or settings.abandon.is_set():
            raise failure
        delay = full_jitter_delay(attempt, settings.initial_backoff, settings.max_backoff)
        # The server knows best how long it needs: never retry before its Retry-After.
        settings.abandon.wait(max(delay, retry_after or 0.0))
        attempt += 1
