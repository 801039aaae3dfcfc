"""souverain_nlp: French news articles in, partnership events out (Parquet tables)."""

__version__ = "0.1.0"

from .load import (  # noqa: E402
    Dataset,
    event_parties,
    load,
    load_articles,
    load_entities,
    load_events,
)

__all__ = [
    "Dataset",
    "__version__",
    "event_parties",
    "load",
    "load_articles",
    "load_entities",
    "load_events",
]
