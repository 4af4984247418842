from __future__ import annotations

import unittest
from datetime import datetime, timezone

from plumbline_client.backoff import (
    MAX_RETRY_AFTER_SECONDS,
    full_jitter_delay,
    parse_retry_after,
)

NOW = datetime(2024, 6, 1, 12, tzinfo=timezone.utc).timestamp()


class FullJitterDelayTest(unittest.TestCase):
    def test_draws_up_to_initial_times_two_to_the_attempt_capped_at_maximum(self) -> None:
        self.assertEqual(full_jitter_delay(0, 0.1, 10.0, lambda: 0.0), 0.0)
        self.assertAlmostEqual(full_jitter_delay(3, 0.1, 10.0, lambda: 0.5), 0.4)
        self.assertAlmostEqual(full_jitter_delay(30, 0.1, 10.0, lambda: 0.5), 5.0)


class ParseRetryAfterTest(unittest.TestCase):
    def test_reads_delay_seconds(self) -> None:
        self.assertEqual(parse_retry_after("2", NOW), 2.0)
        self.assertEqual(parse_retry_after(" 0 ", NOW), 0.0)

    def test_reads_an_http_date_and_a_past_date_means_now(self) -> None:
        self.assertEqual(parse_retry_after("Sat, 01 Jun 2024 12:00:05 GMT", NOW), 5.0)
        self.assertEqual(parse_retry_after("Sat, 01 Jun 2024 11:00:00 GMT", NOW), 0.0)

    def test_caps_long_waits_and_ignores_what_it_cannot_read(self) -> None:
        self.assertEqual(parse_retry_after("86400", NOW), MAX_RETRY_AFTER_SECONDS)
        for header in (None, "", "-1", "soon"):
            self.assertIsNone(parse_retry_after(header, NOW), header)


if __name__ == "__main__":
    unittest.main()
