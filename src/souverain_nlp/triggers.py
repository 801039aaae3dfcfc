"""Partnership triggers: the spaCy Matcher built from ``models/triggers.yaml``.

``find_triggers`` returns the matches of a Doc or Span in text order, the longest first
where two overlap; ``triggers_of`` looks only in the article's scope, the windows around the
sentences the sentence gate keeps (``nlp.SCOPE_KEY``), since no trigger pattern can match
elsewhere.
"""

from __future__ import annotations

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from .nlp import SCOPE_KEY
from .rules import RuleData, Trigger

_MATCHERS: dict[tuple[int, int], Matcher] = {}


def _trigger_matcher(rules: RuleData, vocab: object) -> Matcher:
    key = (id(vocab), id(rules))
    matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = Matcher(vocab)  # type: ignore[arg-type]
        for trig in rules.triggers.values():
            matcher.add(trig.id, trig.patterns)
        _MATCHERS[key] = matcher
    return matcher


def find_triggers(doc: Doc | Span, rules: RuleData) -> list[tuple[Trigger, Span]]:
    """Trigger matches in text order, longest first where two overlap."""
    matcher = _trigger_matcher(rules, doc.vocab)
    spans = []
    offset = doc.start if isinstance(doc, Span) else 0
    for match_id, start, end in matcher(doc):
        start, end = start + offset, end + offset
        trig = rules.triggers[doc.vocab.strings[match_id]]
        spans.append((start, end, trig))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[Trigger, Span]] = []
    taken: set[int] = set()
    for start, end, trig in sorted(spans, key=lambda s: -(s[1] - s[0])):
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        span = doc[start:end] if isinstance(doc, Doc) else doc.doc[start:end]
        out.append((trig, span))
    out.sort(key=lambda ts: ts[1].start)
    return out


def triggers_of(doc: Doc, rules: RuleData) -> list[tuple[Trigger, Span]]:
    """Triggers of a Doc; of its scope only when it has one (``SCOPE_KEY``, set by
    ``nlp.annotate``): no trigger can match elsewhere, and the Matcher is costly."""
    scope = doc.user_data.get(SCOPE_KEY)
    if scope is None:
        return find_triggers(doc, rules)
    return [ts for lo, hi in scope for ts in find_triggers(doc[lo:hi], rules)]
