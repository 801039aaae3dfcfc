"""Loading and validation of the relation rule data (models/triggers.yaml, models/cues.yaml).

Files are read once per process (``functools.cache``) and validated on load: an error names
the file and the entry at fault, so a typo in the lexicon fails loudly instead of silently
dropping a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .settings import DEFAULT_MODELS_DIR

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


class RuleDataError(ValueError):
    """Rule data under models/ is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Trigger:
    """One trigger of the lexicon (see models/triggers.yaml for the meaning of each field)."""

    id: str
    kind: str
    pos: str
    patterns: list[list[dict[str, Any]]]
    reciprocal: bool = False
    object_partner: bool = False
    needs_partner_prep: bool = False
    requires_reflexive: bool = False
    role_noun: bool = False
    weight: float = 0.7
    partner_preps: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, eq=False)
class RuleData:
    """Triggers and cue lexicons used by the relations stage."""

    triggers: dict[str, Trigger]
    partner_preps: tuple[tuple[str, ...], ...]
    support_verbs: frozenset[str]
    #: Support verbs that make a noun trigger mutual: "X et Y ont signé un contrat" is a
    #: contract between X and Y ("X et Y ont remporté un contrat" is not).
    mutual_support_verbs: frozenset[str]
    noun_blockers: tuple[tuple[str, ...], ...]
    cues: dict[str, Any] = field(default_factory=dict)
    #: The actors lexicon (models/actors.yaml).
    actors: dict[str, Any] = field(default_factory=dict)

    #: Lists already lower-cased, by (kind, section, key): the actors and relation rules ask
    #: for them per token (a third of their time went to rebuilding them).
    _lists: dict[tuple[str, ...], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _cached(self, kind: str, *key: str) -> Any:
        found = self._lists.get((kind, *key))
        if found is None:
            value = self.actors[key[0]] if kind.startswith("actor") else self.cues[key[0]][key[1]]
            if kind.endswith("words"):
                found = frozenset(str(w).lower() for w in value)
            else:
                found = tuple(tuple(str(t).lower() for t in seq) for seq in value)
            self._lists[(kind, *key)] = found
        return found

    def actor_words(self, key: str) -> frozenset[str]:
        """A flat list of models/actors.yaml as a set of lower-case strings."""
        return self._cached("actor_words", key)  # type: ignore[no-any-return]

    def actor_sequences(self, key: str) -> tuple[tuple[str, ...], ...]:
        """A list of token sequences of models/actors.yaml, lower-cased."""
        return self._cached("actor_sequences", key)  # type: ignore[no-any-return]

    def actor_sequences_from(self, key: str, word: str) -> tuple[tuple[str, ...], ...]:
        """The sequences of ``actor_sequences(key)`` that may stand at a token whose
        ``layout.lower`` is ``word``: those starting with it (and any empty one), in list
        order, so the first that ``seq_at`` accepts is the same as over the whole list."""
        index = self._lists.get(("actor_sequences_from", key))
        if index is None:
            seqs = self.actor_sequences(key)
            firsts = {s[0].replace("’", "'") for s in seqs if s}
            index = (
                {w: tuple(s for s in seqs if not s or s[0].replace("’", "'") == w)
                 for w in firsts},
                tuple(s for s in seqs if not s),
            )
            self._lists[("actor_sequences_from", key)] = index
        by_first, empty = index
        return by_first.get(word, empty)  # type: ignore[no-any-return]

    def cue_words(self, section: str, key: str) -> frozenset[str]:
        """A flat cue list as a set of lower-case strings."""
        return self._cached("cue_words", section, key)  # type: ignore[no-any-return]

    def cue_sequences(self, section: str, key: str) -> tuple[tuple[str, ...], ...]:
        """A list of token sequences, lower-cased."""
        return self._cached("cue_sequences", section, key)  # type: ignore[no-any-return]


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RuleDataError(f"{path}: rule file not found") from exc
    except yaml.YAMLError as exc:
        raise RuleDataError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != 1:
        raise RuleDataError(f"{path}: expected a mapping with 'version: 1' at the top")
    return data


def _sequences(path: Path, name: str, value: Any) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or not all(isinstance(s, list) and s for s in value):
        raise RuleDataError(f"{path}: '{name}' must be a list of non-empty token lists")
    return tuple(tuple(str(t).lower() for t in seq) for seq in value)


def _trigger(path: Path, index: int, raw: Any) -> Trigger:
    where = f"{path}: trigger #{index + 1}"
    if not isinstance(raw, dict):
        raise RuleDataError(f"{where}: expected a mapping")
    missing = {"id", "kind", "pos", "patterns"} - raw.keys()
    if missing:
        raise RuleDataError(f"{where} ({raw.get('id')}): missing {sorted(missing)}")
    known = set(Trigger.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise RuleDataError(f"{where} ({raw['id']}): unknown fields {sorted(unknown)}")
    if raw["kind"] not in KINDS:
        raise RuleDataError(f"{where} ({raw['id']}): kind {raw['kind']!r} not in {KINDS}")
    if raw["pos"] not in ("noun", "verb"):
        raise RuleDataError(f"{where} ({raw['id']}): pos must be noun or verb")
    patterns = raw["patterns"]
    if not isinstance(patterns, list) or not all(
        isinstance(p, list) and p and all(isinstance(t, dict) for t in p) for p in patterns
    ):
        raise RuleDataError(f"{where} ({raw['id']}): patterns must be lists of token dicts")
    values = dict(raw)
    values["partner_preps"] = (
        _sequences(path, "partner_preps", raw.get("partner_preps", []))
        if raw.get("partner_preps")
        else ()
    )
    return Trigger(**values)


#: Keys of models/actors.yaml and whether each is a flat list of words.
ACTOR_KEYS = {
    "name_suffixes": "words",
    "institution_heads": "words",
    "executive_roles": "words",
    "state_roles": "words",
    "independent_roles": "words",
    "plural_numbers": "numbers",
    "plural_heads": "groups",
    "both_forms": "sequences",
    "subject_pronouns": "words",
    "latest_pronouns": "sequences",
    "not_names": "words",
    "not_name_starts": "words",
    "speech_verbs": "words",
    "naming_words": "words",
    "organ_nouns": "words",
}


def _actors(path: Path) -> dict[str, Any]:
    data = _read_yaml(path)
    for key, shape in ACTOR_KEYS.items():
        value = data.get(key)
        where = f"{path}: {key}"
        if value is None:
            raise RuleDataError(f"{where}: missing")
        if shape == "words" and not (
            isinstance(value, list) and all(isinstance(w, str) and w.strip() for w in value)
        ):
            raise RuleDataError(f"{where}: must be a list of non-empty strings")
        if shape == "sequences":
            _sequences(path, key, value)
        if shape == "numbers" and not (
            isinstance(value, dict) and all(isinstance(n, int) for n in value.values())
        ):
            raise RuleDataError(f"{where}: must map number words to integers")
        if shape == "groups" and not (
            isinstance(value, dict)
            and all(isinstance(v, list) and all(isinstance(w, str) for w in v)
                    for v in value.values())
        ):
            raise RuleDataError(f"{where}: must map a type to a list of words")
    return data


@cache
def load_rules(models_dir: Path = DEFAULT_MODELS_DIR) -> RuleData:
    """Read and validate models/triggers.yaml, models/cues.yaml and models/actors.yaml."""
    tpath = Path(models_dir) / "triggers.yaml"
    cpath = Path(models_dir) / "cues.yaml"
    tdata = _read_yaml(tpath)
    cdata = _read_yaml(cpath)
    triggers: dict[str, Trigger] = {}
    for i, raw in enumerate(tdata.get("triggers") or []):
        trig = _trigger(tpath, i, raw)
        if trig.id in triggers:
            raise RuleDataError(f"{tpath}: duplicate trigger id {trig.id!r}")
        triggers[trig.id] = trig
    if not triggers:
        raise RuleDataError(f"{tpath}: no triggers")
    for section, keys in {
        "status": ("negating_verbs", "hypothetical_verbs", "reported_words", "planned_words"),
        "purpose": ("markers", "objective_openers", "light_verbs", "stops", "max_tokens"),
        "kind": ("joint_venture_cues",),
        "not_events": ("acquisition_lemmas", "political_names", "political_context"),
    }.items():
        if section not in cdata:
            raise RuleDataError(f"{cpath}: missing section {section!r}")
        for key in keys:
            if key not in cdata[section]:
                raise RuleDataError(f"{cpath}: missing {section}.{key}")
    return RuleData(
        triggers=triggers,
        partner_preps=_sequences(tpath, "partner_preps", tdata.get("partner_preps")),
        support_verbs=frozenset(str(v).lower() for v in tdata.get("support_verbs") or []),
        mutual_support_verbs=frozenset(
            str(v).lower() for v in tdata.get("mutual_support_verbs") or []
        ),
        noun_blockers=_sequences(tpath, "noun_blockers", tdata.get("noun_blockers") or [["-"]]),
        cues=cdata,
        actors=_actors(Path(models_dir) / "actors.yaml"),
    )
