"""Plumbline's Python client: log predictions and labels to the ingest API in the background,
and upload reference datasets."""

from .baseline import BaselineUploadError
from .client import PlumblineClient, __version__
from .events import ClientStats, ErrorEvent, RecordKind

__all__ = [
    "PlumblineClient",
    "BaselineUploadError",
    "ClientStats",
    "ErrorEvent",
    "RecordKind",
    "__version__",
]
