"""Retry timing: full-jitter exponential backoff and the server's Retry-After."""

from __future__ import annotations

import math
import random
import time
from email.utils import parsedate_to_datetime
from typing import Callable, Optional

#: A server asking for more than this is treated as asking for this, so a client never stalls.
MAX_RETRY_AFTER_SECONDS = 60.0


def full_jitter_delay(
    attempt: int,
    initial: float,
    maximum: float,
    rand: Callable[[], float] = random.random,
) -> float:
    """A uniformly random delay in [0, min(maximum, initial * 2**attempt)).

    Spreading retries over the whole window keeps clients that failed together from retrying
    together (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
    """
    ceiling = min(maximum, initial * math.pow(2.0, attempt))
    return rand() * ceiling


def parse_retry_after(header: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Reads Retry-After (RFC 9110 section 10.2.3): delay-seconds or an HTTP date.

    Returns seconds to wait, capped at MAX_RETRY_AFTER_SECONDS, or None when absent or unreadable.
    """
    if header is None:
        return None
    value = header.strip()
    if value == "":
        return None
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_SECONDS)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    current = time.time() if now is None else now
    return min(max(0.0, moment.timestamp() - current), MAX_RETRY_AFTER_SECONDS)
