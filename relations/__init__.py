"""relations: dated bilateral events (visits, meetings, signings, aid) from news articles."""

# `events` (one row per merged event) takes the name of the events module as a package
# attribute; that module is still `relations.events` in sys.modules, as `from relations.events import …` uses
from .extract import Extraction, extract, parse, parse_bytes, parse_text
from .extract import merged as events
from .schema import DOCUMENT_COLUMNS, EVENT_COLUMNS, EVENT_TYPES

__all__ = ["DOCUMENT_COLUMNS", "EVENT_COLUMNS", "EVENT_TYPES", "Extraction", "events", "extract", "parse", "parse_bytes", "parse_text"]
__version__ = "0.1.0"
