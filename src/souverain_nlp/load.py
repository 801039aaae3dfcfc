"""Load the output tables as pandas DataFrames with usable dtypes.

``pd.read_parquet`` on the raw tables gives list columns as NumPy arrays, dates as strings and
every label as free text.  :func:`load` returns the same tables (every contract column kept as
it is) with:

* list columns (``who``, ``with_whom``, ``party_ids``, ``aliases``...) as Python lists, an empty
  list where the table has a null;
* low-cardinality labels (``kind``, ``status``, ``axis``, ``bloc``, ``label``, ``reason``...) as
  pandas ``category``, with the documented vocabulary first so that counts show zeros too;
* parsed dates next to the strings, as ``datetime64``: ``articles.published_date`` and, on
  events, ``date_start`` / ``date_end`` (first and last day of the ISO prefix: ``2020`` ->
  2020-01-01 .. 2020-12-31, ``2020-09`` -> 2020-09-01 .. 2020-09-30; NaT when there is no
  date or the year is unknown, ``XXXX-06-04``), ``date_year`` (nullable integer) and
  ``published_date`` (the article's publication date).

The files themselves carry these typed columns (Parquet DATE, dictionary-encoded labels; see
``store``) for readers other than pandas; tables written before they existed get them here.

>>> import souverain_nlp
>>> data = souverain_nlp.load("outputs")        # doctest: +SKIP
>>> data.events.groupby("axis", observed=True).size()        # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .store import SCHEMAS, TABLES, date_bounds

KINDS = (
    "partnership",
    "agreement",
    "letter_of_intent",
    "joint_venture",
    "investment",
    "contract",
    "collaboration",
    "alliance",
)
STATUSES = ("announced", "planned", "reported", "hypothetical", "negated")
BLOCS = ("EU", "US", "CN", "other")
GRANULARITIES = ("day", "month", "year")

# Columns turned into ``category``, with the documented vocabulary (may be empty) listed first;
# values outside it are appended, never dropped.
CATEGORIES: dict[str, dict[str, tuple[str, ...]]] = {
    "articles": {
        "published_from": ("byline", "metadata", "inferred"),
        "status": ("ok", "skipped", "error"),
    },
    "blocks": {"reason": ()},
    "mentions": {"label": ("ORG", "LOC", "MISC", "STATE", "DESC")},
    "entities": {"type": (), "bloc": BLOCS},
    "events": {
        "kind": KINDS,
        "status": STATUSES,
        "axis": (),
        "date_granularity": GRANULARITIES,
    },
}


@dataclass(frozen=True)
class Dataset:
    """The five output tables as DataFrames (``data.events`` or ``data["events"]``)."""

    articles: pd.DataFrame
    blocks: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    events: pd.DataFrame

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(f"no table {name!r}; tables are {', '.join(TABLES)}")
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def as_dict(self) -> dict[str, pd.DataFrame]:
        """The tables as a plain ``{name: DataFrame}`` dict."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _missing_tables_error(out_dir: Path, missing: list[str]) -> FileNotFoundError:
    if not out_dir.is_dir():
        where = f"folder {out_dir} does not exist"
    else:
        where = f"no {', '.join(m + '.parquet' for m in missing)} in {out_dir}"
    return FileNotFoundError(
        f"{where}: run `make run` (or `souverain-nlp run CORPUS --out {out_dir}`) first"
    )


def date_start(prefix: str | None) -> pd.Timestamp:
    """First day of an ISO date prefix (``2020`` -> 2020-01-01); NaT if none or year unknown."""
    start = date_bounds(prefix)[0]
    return pd.Timestamp(start) if start is not None else pd.NaT


def date_end(prefix: str | None) -> pd.Timestamp:
    """Last day of an ISO date prefix (``2020-09`` -> 2020-09-30); NaT if none or year unknown."""
    end = date_bounds(prefix)[1]
    return pd.Timestamp(end) if end is not None else pd.NaT


def _datetimes(series: pd.Series) -> pd.Series:
    """A column of ``datetime.date`` / None (Parquet DATE) as ``datetime64[ns]``."""
    return pd.Series(
        pd.to_datetime(series.astype(object), errors="coerce"), index=series.index
    ).astype("datetime64[ns]")


def _categorical(series: pd.Series, known: tuple[str, ...]) -> pd.Series:
    values = series.astype(object)  # a dictionary column arrives as a category of its own
    seen = sorted({v for v in values.dropna().unique() if v not in known})
    return values.astype(pd.CategoricalDtype(list(known) + seen))


def _as_lists(series: pd.Series) -> pd.Series:
    return pd.Series(
        [[] if v is None else list(v) for v in series], index=series.index, dtype=object
    )


def _frame(name: str, table: pa.Table) -> pd.DataFrame:
    df = table.to_pandas()
    for fld in table.schema:
        if pa.types.is_list(fld.type) or pa.types.is_large_list(fld.type):
            df[fld.name] = _as_lists(df[fld.name])
    for col, known in CATEGORIES.get(name, {}).items():
        if col in df.columns:
            df[col] = _categorical(df[col], known)
    if name == "articles" and "published" in df.columns:
        if "published_date" in df.columns:
            df["published_date"] = _datetimes(df["published_date"])
        else:
            df["published_date"] = pd.to_datetime(
                df["published"], format="%Y-%m-%d", errors="coerce"
            ).astype("datetime64[ns]")
    if name == "events" and "date" in df.columns:
        for col, bound in (("date_start", date_start), ("date_end", date_end)):
            if col in df.columns:
                df[col] = _datetimes(df[col])
            else:
                df[col] = pd.Series(
                    [bound(v) for v in df["date"]], index=df.index, dtype="datetime64[ns]"
                )
        df["date_year"] = df["date_start"].dt.year.astype("Int64")
    return df


def load_table(out_dir: str | Path, name: str) -> pd.DataFrame:
    """One output table (``articles``, ``blocks``, ``mentions``, ``entities``, ``events``)."""
    if name not in SCHEMAS:
        raise ValueError(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
    out_dir = Path(out_dir)
    path = out_dir / f"{name}.parquet"
    if not path.is_file():
        raise _missing_tables_error(out_dir, [name])
    return _frame(name, pq.read_table(path))


def _add_published(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    published = articles.drop_duplicates("article_id").set_index("article_id")["published_date"]
    values = published.reindex(events["article_id"]).to_numpy()
    events["published_date"] = pd.Series(values, index=events.index, dtype="datetime64[ns]")
    return events


def load(out_dir: str | Path = "outputs") -> Dataset:
    """All five tables of an output folder (see the module docstring for the dtypes)."""
    out_dir = Path(out_dir)
    missing = [n for n in TABLES if not (out_dir / f"{n}.parquet").is_file()]
    if missing:
        raise _missing_tables_error(out_dir, missing)
    frames = {n: load_table(out_dir, n) for n in TABLES}
    _add_published(frames["events"], frames["articles"])
    return Dataset(**frames)


def load_events(out_dir: str | Path = "outputs") -> pd.DataFrame:
    """The events table, with ``published_date`` taken from the articles when they are there."""
    out_dir = Path(out_dir)
    events = load_table(out_dir, "events")
    if (out_dir / "articles.parquet").is_file():
        _add_published(events, load_table(out_dir, "articles"))
    return events


def load_entities(out_dir: str | Path = "outputs") -> pd.DataFrame:
    """The entities table (canonical actors with country, bloc and aliases)."""
    return load_table(out_dir, "entities")


def load_articles(out_dir: str | Path = "outputs") -> pd.DataFrame:
    """The articles table, with ``published_date`` parsed."""
    return load_table(out_dir, "articles")


def event_parties(events: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, party): the event's columns plus the party's name, country, bloc.

    ``role`` is ``who`` or ``with_whom``; ``party_bloc`` is ``unknown`` when the actor has no
    bloc.  Handy for "who partners with whom" questions.
    """
    ents = entities.set_index("entity_id")
    rows = []
    for idx, ev in events.iterrows():
        who_left = list(ev["who"])
        for pid in ev["party_ids"]:
            name = ents["name"].get(pid, pid)
            if name in who_left:
                who_left.remove(name)
                role = "who"
            else:
                role = "with_whom"
            bloc = ents["bloc"].get(pid) if pid in ents.index else None
            country = ents["country"].get(pid) if pid in ents.index else None
            rows.append(
                {
                    "_row": idx,
                    "role": role,
                    "entity_id": pid,
                    "party_name": name,
                    "party_country": country if isinstance(country, str) else None,
                    "party_bloc": bloc if isinstance(bloc, str) else "unknown",
                }
            )
    parties = pd.DataFrame(
        rows,
        columns=["_row", "role", "entity_id", "party_name", "party_country", "party_bloc"],
    )
    parties["role"] = parties["role"].astype(pd.CategoricalDtype(["who", "with_whom"]))
    parties["party_bloc"] = _categorical(parties["party_bloc"].astype(object), BLOCS + ("unknown",))
    out = events.join(parties.set_index("_row"), how="inner")
    return out.reset_index(drop=True)
