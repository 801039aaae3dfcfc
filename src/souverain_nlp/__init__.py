"""souverain_nlp: French news articles in, partnership events out (Parquet tables)."""

__version__ = "0.1.0"

from .load import Dataset, load, load_articles, load_entities, load_events  # noqa: E402

__all__ = ["Dataset", "__version__", "load", "load_articles", "load_entities", "load_events"]
