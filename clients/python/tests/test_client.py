from __future__ import annotations

import gzip
import json
import math
import subprocess
import sys
import textwrap
import time
import unittest
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List

from plumbline_client import BaselineUploadError, ErrorEvent, PlumblineClient

from .ingest_double import DROP, Answer, IngestDouble

MODEL = {"id": "fraud-detector", "version": "1"}
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class ClientTestCase(unittest.TestCase):
    """Each test gets its own ingest double and closes its clients afterwards."""

    def setUp(self) -> None:
        self.server = IngestDouble()
        self.events: List[ErrorEvent] = []
        self.clients: List[PlumblineClient] = []

    def tearDown(self) -> None:
        for client in self.clients:
            client.close(timeout=0.1)
        self.server.close()

    def make_client(self, **overrides: Any) -> PlumblineClient:
        """Fast retries, no time-based flush and no atexit hook unless a test asks for them."""
        options: Dict[str, Any] = {
            "model": MODEL,
            "flush_interval": 60.0,
            "initial_backoff": 0.001,
            "max_backoff": 0.005,
            "flush_at_exit": False,
            "on_error": self.events.append,
        }
        options.update(overrides)
        client = PlumblineClient(self.server.url, "pl_test_key_secret", **options)
        self.clients.append(client)
        return client

    def log_many(self, client: PlumblineClient, count: int, prefix: str = "p") -> None:
        for index in range(count):
            client.log_prediction(
                {"score": 0.5}, prediction_id=f"{prefix}-{index}", features={"amount": index}
            )

    def ids(self) -> List[str]:
        return [record["prediction_id"] for record in self.server.records()]


class BatchingTest(ClientTestCase):
    def test_sends_full_batches_at_once_and_the_rest_on_flush(self) -> None:
        client = self.make_client(batch_size=3)
        self.log_many(client, 7)
        self.server.wait_for_requests(2)
        self.assertEqual([len(r.body["records"]) for r in self.server.requests], [3, 3])

        self.assertTrue(client.flush(5))
        self.assertEqual([len(r.body["records"]) for r in self.server.requests], [3, 3, 1])
        self.assertEqual(self.ids(), [f"p-{index}" for index in range(7)])
        first = self.server.requests[0]
        self.assertEqual(first.path, "/v1/predictions")
        self.assertEqual(first.headers["Authorization"], "Bearer pl_test_key_secret")
        self.assertEqual(first.headers["Content-Type"], "application/json")
        keys = {request.headers["Idempotency-Key"] for request in self.server.requests}
        self.assertEqual(len(keys), 3)
        stats = client.stats()
        self.assertEqual((stats.sent, stats.dropped, stats.buffered), (7, 0, 0))

    def test_sends_a_partial_batch_after_the_flush_interval(self) -> None:
        client = self.make_client(batch_size=100, flush_interval=0.15)
        logged_at = time.time()
        self.log_many(client, 2)
        self.server.wait_for_requests(1)
        self.assertGreaterEqual(self.server.requests[0].received_at - logged_at, 0.14)
        self.assertEqual(len(self.server.requests[0].body["records"]), 2)

    def test_fills_in_id_timestamp_and_model(self) -> None:
        client = self.make_client()
        before = datetime.now(timezone.utc)
        generated = client.log_prediction({"label": "fraud"})
        given = client.log_prediction(
            {"value": 3},
            prediction_id="mine",
            timestamp=datetime(2024, 6, 1, 12, tzinfo=timezone.utc),
            model={"id": "other-model", "version": "7", "deployment": "canary"},
            segments={"region": "eu"},
        )
        client.flush(5)

        self.assertRegex(generated, r"^[0-9a-f-]{36}$")
        self.assertEqual(given, "mine")
        first, second = self.server.records()
        self.assertEqual(first["prediction_id"], generated)
        self.assertEqual(first["model"], MODEL)
        self.assertGreaterEqual(datetime.fromisoformat(first["timestamp"]), before)
        self.assertEqual(second["timestamp"], "2024-06-01T12:00:00+00:00")
        client.log_prediction({"value": 1}, timestamp=0)
        client.flush(5)
        self.assertEqual(self.server.records()[2]["timestamp"], "1970-01-01T00:00:00+00:00")
        self.assertEqual(second["model"]["deployment"], "canary")
        self.assertEqual(second["segments"], {"region": "eu"})

    def test_snapshots_records_and_writes_nan_as_null(self) -> None:
        client = self.make_client()
        features = {"amount": 1.0, "ratio": math.nan}
        client.log_prediction({"score": 0.1}, features=features)
        features["amount"] = 2.0
        client.flush(5)
        self.assertEqual(self.server.records()[0]["features"], {"amount": 1.0, "ratio": None})

    def test_posts_labels_with_the_model_id_and_observed_at(self) -> None:
        client = self.make_client()
        client.log_label("p-1", {"label": "fraud"})
        client.flush(5)
        self.assertEqual(self.server.requests[0].path, "/v1/labels")
        label = self.server.records()[0]
        self.assertEqual(label["model"], {"id": "fraud-detector"})
        self.assertEqual(label["prediction_id"], "p-1")
        self.assertIn("observed_at", label)


class CompressionTest(ClientTestCase):
    def test_gzips_large_bodies_and_leaves_small_ones_plain(self) -> None:
        client = self.make_client(gzip_threshold_bytes=2048)
        self.log_many(client, 1, "small")
        client.flush(5)
        self.log_many(client, 50, "large")
        client.flush(5)

        small, large = self.server.requests
        self.assertNotIn("Content-Encoding", small.headers)
        self.assertEqual(large.headers["Content-Encoding"], "gzip")
        decoded = json.loads(gzip.decompress(large.raw_body))
        self.assertEqual(len(decoded["records"]), 50)
        self.assertLess(len(large.raw_body), len(json.dumps(decoded)))


class RetryTest(ClientTestCase):
    def test_retries_5xx_and_dropped_connections_with_the_same_key_and_body(self) -> None:
        client = self.make_client()
        self.server.script(Answer(503), DROP, Answer(500, {"error": "internal_error"}))
        self.log_many(client, 5)
        client.flush(10)

        self.assertEqual(len(self.server.requests), 4)
        self.assertEqual(len({r.headers["Idempotency-Key"] for r in self.server.requests}), 1)
        self.assertEqual(len({r.raw_body for r in self.server.requests}), 1)
        stats = client.stats()
        self.assertEqual((stats.sent, stats.retries, stats.failed_batches), (5, 3, 0))
        self.assertEqual(self.events, [])

    def test_waits_at_least_retry_after_before_retrying_a_429(self) -> None:
        client = self.make_client()
        self.server.script(Answer(429, {"error": "rate_limited"}, {"Retry-After": "1"}))
        self.log_many(client, 1)
        client.flush(10)

        first, second = self.server.requests
        self.assertGreaterEqual(second.received_at - first.received_at, 0.95)
        self.assertEqual(first.headers["Idempotency-Key"], second.headers["Idempotency-Key"])
        self.assertEqual((client.stats().sent, client.stats().retries), (1, 1))

    def test_gives_a_batch_up_after_max_retries(self) -> None:
        client = self.make_client(max_retries=2)
        self.server.answer_always(Answer(503, {"error": "database_unavailable", "message": "down"}))
        self.log_many(client, 4)
        client.flush(10)

        self.assertEqual(len(self.server.requests), 3)
        stats = client.stats()
        self.assertEqual((stats.retries, stats.failed_batches, stats.failed_records), (2, 1, 4))
        self.assertEqual(len(self.events), 1)
        event = self.events[0]
        self.assertEqual((event.type, event.status, event.records), ("batch_failed", 503, 4))
        self.assertEqual(event.message, "HTTP 503 database_unavailable: down")

    def test_does_not_retry_a_401(self) -> None:
        client = self.make_client()
        self.server.script(Answer(401, {"error": "unauthorized", "message": "bad key"}))
        self.log_many(client, 2)
        client.flush(5)
        self.assertEqual(len(self.server.requests), 1)
        stats = client.stats()
        self.assertEqual((stats.retries, stats.failed_batches, stats.failed_records), (0, 1, 2))

    def test_splits_a_batch_the_server_finds_too_large(self) -> None:
        client = self.make_client()
        self.server.script(Answer(413, {"error": "payload_too_large", "message": "too big"}))
        self.log_many(client, 5)
        client.flush(5)
        self.assertEqual([len(r.body["records"]) for r in self.server.requests], [5, 3, 2])
        self.assertEqual(len({r.headers["Idempotency-Key"] for r in self.server.requests}), 3)
        self.assertEqual(client.stats().sent, 5)


class PerRecordResultsTest(ClientTestCase):
    def test_counts_a_207_and_reports_the_rejected_records(self) -> None:
        client = self.make_client()
        rejected = [
            {"index": 2, "prediction_id": "p-2", "code": "schema_violation", "message": "bad"}
        ]
        self.server.script(
            Answer(207, {"accepted": 1, "duplicates": 1, "rejected": rejected, "warnings": []})
        )
        self.log_many(client, 3)
        client.flush(5)

        stats = client.stats()
        self.assertEqual((stats.sent, stats.duplicates, stats.rejected), (2, 1, 1))
        self.assertEqual(stats.failed_batches, 0)
        self.assertEqual(
            [(e.type, e.status, e.rejected) for e in self.events], [("rejected", 207, rejected)]
        )


class BoundedBufferTest(ClientTestCase):
    def test_drops_the_newest_records_when_full_and_reports_once(self) -> None:
        client = self.make_client(max_buffered_records=5, batch_size=1000)
        self.log_many(client, 8)
        stats = client.stats()
        self.assertEqual((stats.dropped, stats.buffered), (3, 5))
        self.assertEqual([(e.type, e.capacity) for e in self.events], [("buffer_full", 5)])
        client.flush(5)
        self.assertEqual(self.ids(), ["p-0", "p-1", "p-2", "p-3", "p-4"])

    def test_logging_during_an_outage_returns_at_once(self) -> None:
        client = self.make_client(max_buffered_records=100, batch_size=10)
        self.server.answer_always(Answer(503, None, {"Retry-After": "30"}))
        self.log_many(client, 10)
        self.server.wait_for_requests(1)

        started = time.perf_counter()
        self.log_many(client, 1000, "during-outage")
        self.assertLess(time.perf_counter() - started, 1.0)
        # 10 are in flight, 100 fill the buffer, the other 900 are dropped.
        stats = client.stats()
        self.assertEqual((stats.buffered, stats.dropped), (100, 900))


class NeverRaisesTest(ClientTestCase):
    def test_counts_and_reports_records_it_cannot_send(self) -> None:
        client = self.make_client(model=None)
        circular: Dict[str, Any] = {}
        circular["self"] = circular

        self.assertRegex(client.log_prediction({"score": 0.5}), r"^[0-9a-f-]{36}$")
        self.assertEqual(
            client.log_prediction(
                {"score": 0.5}, prediction_id="c", model=MODEL, metadata=circular
            ),
            "c",
        )
        client.log_prediction({"score": 0.5}, model=MODEL, features={"x": object()})
        client.log_prediction({"score": 1}, model=MODEL, timestamp=object())  # type: ignore[arg-type]
        client.log_label("p-1", {"label": "x"})  # no model anywhere

        self.assertEqual(client.stats().rejected, 5)
        self.assertEqual([e.type for e in self.events], ["invalid_record"] * 5)
        self.assertEqual(self.events[1].prediction_id, "c")

    def test_survives_an_on_error_callback_that_raises(self) -> None:
        def broken(_event: ErrorEvent) -> None:
            raise RuntimeError("callback bug")

        client = self.make_client(on_error=broken)
        self.server.script(Answer(401))
        client.log_prediction({"score": 0.5}, model=None)
        self.log_many(client, 1)
        client.flush(5)
        self.log_many(client, 1, "after")
        client.flush(5)
        stats = client.stats()
        self.assertEqual((stats.sent, stats.failed_batches), (1, 1))


class CloseTest(ClientTestCase):
    def test_flushes_then_drops_later_records(self) -> None:
        client = self.make_client()
        self.log_many(client, 3)
        client.close()
        self.assertEqual(len(self.server.records()), 3)

        self.log_many(client, 2, "late")
        client.close()
        self.assertEqual(len(self.server.records()), 3)
        stats = client.stats()
        self.assertEqual((stats.sent, stats.dropped), (3, 2))

    def test_gives_up_after_its_timeout(self) -> None:
        client = self.make_client(initial_backoff=10.0, max_backoff=10.0)
        self.server.answer_always(Answer(503, None, {"Retry-After": "30"}))
        self.log_many(client, 3)
        started = time.monotonic()
        client.close(timeout=0.3)
        self.assertLess(time.monotonic() - started, 5.0)
        stats = client.stats()
        self.assertEqual((stats.sent, stats.failed_batches, stats.failed_records), (0, 1, 3))

    def test_flushes_at_interpreter_exit(self) -> None:
        script = textwrap.dedent(
            f"""
            from plumbline_client import PlumblineClient
            client = PlumblineClient({self.server.url!r}, "pl_test_key_secret",
                                     model={MODEL!r}, flush_interval=60.0)
            for index in range(3):
                client.log_prediction({{"score": 0.5}}, prediction_id=f"exit-{{index}}")
            """
        )
        completed = subprocess.run(
            [sys.executable, "-c", script], cwd=PACKAGE_ROOT, timeout=30, check=False
        )
        self.assertEqual(completed.returncode, 0)
        self.assertEqual(self.ids(), ["exit-0", "exit-1", "exit-2"])


class BaselineUploadTest(ClientTestCase):
    SUMMARY = {
        "model_id": "fraud-detector",
        "version": "1",
        "revision": 3,
        "rows": 2,
        "profiles": [
            {
                "target": "feature",
                "name": "amount",
                "kind": "numeric",
                "n": 1,
                "missing": 1,
                "bins": 1,
            }
        ],
    }

    def test_posts_rows_as_json_and_returns_the_summary(self) -> None:
        client = self.make_client()
        self.server.script(Answer(201, self.SUMMARY))
        rows = [{"amount": 12.5, "prediction": "legit", "score": 0.2}, {"amount": math.nan}]
        summary = client.upload_baseline(rows, name="training 2026/Q3")

        self.assertEqual(summary, self.SUMMARY)
        (request,) = self.server.requests
        self.assertEqual(
            request.path, "/v1/models/fraud-detector/versions/1/baseline?name=training%202026%2FQ3"
        )
        self.assertEqual(request.headers["Content-Type"], "application/json")
        self.assertEqual(request.headers["Authorization"], "Bearer pl_test_key_secret")
        # NaN is a missing value, sent as null.
        self.assertEqual(
            request.body,
            {"rows": [{"amount": 12.5, "prediction": "legit", "score": 0.2}, {"amount": None}]},
        )

    def test_posts_csv_text_gzipped_to_the_named_version(self) -> None:
        client = self.make_client(gzip_threshold_bytes=0)
        self.server.script(Answer(201, {**self.SUMMARY, "model_id": "churn", "version": "7"}))
        csv = "amount,country\n12.5,FR\n,DE\n"
        client.upload_baseline(csv=csv, model_id="churn", version="7")

        (request,) = self.server.requests
        self.assertEqual(request.path, "/v1/models/churn/versions/7/baseline")
        self.assertEqual(request.headers["Content-Type"], "text/csv")
        self.assertEqual(request.headers["Content-Encoding"], "gzip")
        self.assertEqual(request.body, {"csv": csv})

    def test_retries_a_503_with_the_same_body(self) -> None:
        client = self.make_client()
        self.server.script(
            Answer(503, None, {"Retry-After": "0"}), DROP, Answer(201, self.SUMMARY)
        )
        self.assertEqual(client.upload_baseline([{"amount": 1}])["revision"], 3)
        self.assertEqual(len(self.server.requests), 3)
        self.assertEqual(len({request.raw_body for request in self.server.requests}), 1)

    def test_raises_the_servers_refusal_without_retrying(self) -> None:
        client = self.make_client()
        self.server.script(
            Answer(404, {"error": "not_found", "message": 'version "9" is not registered'})
        )
        with self.assertRaises(BaselineUploadError) as raised:
            client.upload_baseline([{"amount": 1}], version="9")
        self.assertEqual((raised.exception.status, raised.exception.code), (404, "not_found"))
        self.assertEqual(str(raised.exception), 'HTTP 404 not_found: version "9" is not registered')
        self.assertEqual(len(self.server.requests), 1)

    def test_raises_the_last_answer_once_the_retries_run_out(self) -> None:
        client = self.make_client(max_retries=2)
        self.server.answer_always(Answer(503, {"error": "overloaded", "message": "busy"}))
        with self.assertRaises(BaselineUploadError) as raised:
            client.upload_baseline([{"amount": 1}])
        self.assertEqual((raised.exception.status, raised.exception.code), (503, "overloaded"))
        self.assertEqual(len(self.server.requests), 3)

    def test_refuses_a_call_without_a_version_or_without_data(self) -> None:
        client = self.make_client(model=None)
        with self.assertRaises(ValueError):
            client.upload_baseline([{"amount": 1}])
        with self.assertRaises(ValueError):
            client.upload_baseline(model_id="fraud-detector", version="1")
        self.assertEqual(self.server.requests, [])


if __name__ == "__main__":
    unittest.main()
