"""relations: dated bilateral events (visits, meetings, signings, aid) from news articles."""

from .extract import Extraction, extract, parse, parse_bytes, parse_text
from .schema import DOCUMENT_COLUMNS, EVENT_COLUMNS, EVENT_TYPES

__all__ = ["DOCUMENT_COLUMNS", "EVENT_COLUMNS", "EVENT_TYPES", "Extraction", "extract", "parse", "parse_bytes", "parse_text"]
__version__ = "0.1.0"
