"""Runs the client's unittest suite and writes {"passed", "failed", "skipped"} to a JSON file.

Usage: python3 run_tests.py <report.json>   (from clients/python; exits 1 if anything failed)
"""

from __future__ import annotations

import json
import sys
import unittest
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python3 run_tests.py <report.json>", file=sys.stderr)
        return 2
    root = Path(__file__).resolve().parent
    suite = unittest.defaultTestLoader.discover(
        start_dir=str(root / "tests"), top_level_dir=str(root)
    )
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    # An unexpected success is a test whose known failure went away: worth a look, so a failure.
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped) + len(result.expectedFailures)
    passed = result.testsRun - failed - skipped
    report = {"passed": passed, "failed": failed, "skipped": skipped}
    Path(argv[1]).write_text(json.dumps(report) + "\n", encoding="utf-8")
    print(f"{passed} passed, {failed} failed, {skipped} skipped", file=sys.stderr)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
