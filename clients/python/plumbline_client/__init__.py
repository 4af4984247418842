"""Plumbline's Python client: log predictions and labels to the ingest API in the background."""

from .client import PlumblineClient, __version__
from .events import ClientStats, ErrorEvent, RecordKind

__all__ = ["PlumblineClient", "ClientStats", "ErrorEvent", "RecordKind", "__version__"]
