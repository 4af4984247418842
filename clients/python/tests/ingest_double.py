"""A stand-in for the ingest service's network peer, speaking the HTTP API of ingest-api.md.

It records every request (gunzipping bodies like the server does) and answers from a script,
then with 202 and the count of records received.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Union

#: Close the connection without answering, like a crashed server or a broken proxy.
DROP = "drop"


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: Optional[Dict[str, str]] = None


Scripted = Union[Answer, str]


@dataclass
class ReceivedRequest:
    path: str
    headers: Dict[str, str]
    raw_body: bytes
    body: Dict[str, Any]
    received_at: float


class IngestDouble:
    def __init__(self) -> None:
        self.requests: List[ReceivedRequest] = []
        self._script: List[Scripted] = []
        self._always: Optional[Scripted] = None
        self._arrived = threading.Condition()
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - the name http.server dispatches to
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                text = (
                    gzip.decompress(raw) if self.headers.get("Content-Encoding") == "gzip" else raw
                )
                # A reference dataset may come as CSV; everything else the client sends is JSON.
                if self.headers.get("Content-Type", "").startswith("text/csv"):
                    body = {"csv": text.decode("utf-8")}
                else:
                    body = json.loads(text)
                answer = double._record(
                    ReceivedRequest(self.path, dict(self.headers.items()), raw, body, time.time())
                )
                if answer == DROP:
                    self.close_connection = True
                    return
                assert isinstance(answer, Answer)
                payload = b"" if answer.body is None else json.dumps(answer.body).encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (answer.headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def _record(self, request: ReceivedRequest) -> Scripted:
        with self._arrived:
            self.requests.append(request)
            self._arrived.notify_all()
            if self._script:
                return self._script.pop(0)
            if self._always is not None:
                return self._always
        records = request.body.get("records", request.body.get("labels", []))
        return Answer(
            202, {"accepted": len(records), "duplicates": 0, "rejected": [], "warnings": []}
        )

    def script(self, *answers: Scripted) -> None:
        """Answers for the next requests, in order; afterwards every request gets 202."""
        with self._arrived:
            self._always = None
            self._script.extend(answers)

    def answer_always(self, answer: Scripted) -> None:
        with self._arrived:
            self._always = answer

    def records(self) -> List[Dict[str, Any]]:
        """Every record received, in arrival order (retries included)."""
        out: List[Dict[str, Any]] = []
        for request in self.requests:
            out.extend(request.body.get("records", request.body.get("labels", [])))
        return out

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> None:
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"expected {count} requests, got {len(self.requests)}")

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
