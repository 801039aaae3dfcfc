"""souverain_nlp: French news articles in, partnership events out (Parquet tables)."""

__version__ = "0.1.0"
