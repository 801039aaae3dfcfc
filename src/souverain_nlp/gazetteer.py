"""The gazetteer: known actors, nationality words and descriptor heads (rule data in models/).

Three files, read once per process and validated on load (an error names the file and line):

- ``models/gazetteer.jsonl``: one actor per line (companies, public bodies, states,
  international bodies, projects) with its canonical name, ISO country, aliases, parent and
  sector; see :class:`GazetteerEntry` for the fields.
- ``models/nationalities.yaml``: French nationality adjectives and demonyms -> ISO code,
  region adjectives, phrases that designate a state ("l'État", "Bercy", "le gouvernement
  monégasque"), capitals used as metonyms.
- ``models/descriptors.yaml``: the closed list of sectors, descriptor heads ("le pétrolier",
  "l'éditeur", "le géant du numérique") -> sectors, and the country -> bloc map.

Matching is done on :func:`normalise_name` keys: typographic apostrophes become ``'``, hyphens
and dashes become spaces, accents are folded, case is folded except for the aliases an entry
lists under ``ambiguous`` (common words such as "Orange" or "Total"), which only match with the
case they are written with.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .settings import DEFAULT_MODELS_DIR

__all__ = [
    "DEFAULT_MODELS_DIR",
    "ENTRY_TYPES",
    "Gazetteer",
    "GazetteerEntry",
    "GazetteerError",
    "StateRef",
    "load_gazetteer",
    "normalise_name",
]

GAZETTEER_FILE = "gazetteer.jsonl"
NATIONALITIES_FILE = "nationalities.yaml"
DESCRIPTORS_FILE = "descriptors.yaml"

#: ORG company or association; GOV public body (ministry, agency, regulator, public
#: institution); STATE sovereign state (or territory with its own ISO code); INTL international
#: organisation (EU institutions carry the reserved code "EU", the others no country);
#: PROJECT a named multi-party initiative (Gaia-X).
ENTRY_TYPES = ("ORG", "GOV", "STATE", "INTL", "PROJECT")
#: Wildcard sector of descriptors that fit any kind of actor ("le groupe", "la société").
ANY_SECTOR = "any"
#: Values of ``Gazetteer.bloc``.
BLOCS = ("EU", "US", "CN", "other")
#: Contexts of state phrases (see models/nationalities.yaml).
STATE_CONTEXTS = ("always", "french", "metonym")

_REQUIRED_FIELDS = (
    "id",
    "name",
    "type",
    "country",
    "aliases",
    "parent",
    "division",
    "sector",
    "descriptors",
)
_OPTIONAL_FIELDS = ("ambiguous",)
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")

# Normalisation tables.
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u0060\u00b4\u2032\uff07"})
_DASHES_RE = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d]+")
_SPECIAL_LETTERS = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
    }
)
_EDGE_PUNCT = ' \t\n.,;:!?"«»“”„()[]{}'
#: Double quotes and guillemets: never part of a name, dropped wherever they stand
#: ('Œuvre «Ørsted»' is the key of 'Œuvre Ørsted').
_QUOTES_RE = re.compile(r'["«»“”„‟‹›]')

# Leading determiners and prepositions stripped by ``lookup`` ("le Chinois Alibaba",
# "du groupe Orange", "à l'AP-HP"); tried only after the surface as written.
_DETERMINER_RE = re.compile(
    r"^(?:(?:de la|de l'|à la|à l'|a la|a l'|le|la|les|l'|du|des|de|d'|au|aux)(?:\s+|(?<=')))",
    re.IGNORECASE,
)
# Legal forms and group words stripped at the end ("Orange SA", "Alphabet Inc.", "SAP SE").
_LEGAL_SUFFIXES = frozenset(
    {
        "sa",
        "sas",
        "sasu",
        "sarl",
        "sca",
        "se",
        "gmbh",
        "ag",
        "kgaa",
        "inc",
        "ltd",
        "limited",
        "llc",
        "plc",
        "corp",
        "corporation",
        "co",
        "nv",
        "bv",
        "spa",
        "ab",
        "asa",
        "oyj",
        "holding",
        "holdings",
        "group",
        "groupe",
        "&",
    }
)
_LEGAL_PREFIXES = frozenset({"groupe", "group"})
_PREPOSITION_RE = re.compile(r"^(?:de la|de l'|du|des|de|d')\s*(.+)$")


class GazetteerError(ValueError):
    """Rule data under models/ is malformed; the message names the file and the line."""


@dataclass(frozen=True)
class GazetteerEntry:
    """One known actor (a line of models/gazetteer.jsonl).

    ``division`` marks business units and brands that are the same actor as their
    ``parent`` (Google Cloud -> Google); legally distinct subsidiaries with an identity of
    their own (T-Systems -> Deutsche Telekom) have a parent but ``division`` False.
    ``ambiguous`` lists the surfaces (name or aliases) that are common words and match only
    case-sensitively.  ``line`` is the 1-based line of the entry in its file.
    """

    id: str
    name: str
    type: str
    country: str | None
    aliases: tuple[str, ...]
    parent: str | None
    division: bool
    sector: str
    descriptors: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    line: int = 0
    #: analysis bloc set by a user file (else the bloc of ``country``)
    bloc: str | None = None

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The canonical name followed by every alias."""
        return (self.name, *self.aliases)

    @property
    def label(self) -> str:
        """spaCy label for this entry: LOC for states (as fr_core_news uses), ORG otherwise."""
        return "LOC" if self.type == "STATE" else "ORG"


@dataclass(frozen=True)
class StateRef:
    """A phrase that designates a state: its country code and when that reading holds.

    ``context`` is "always" (Bercy, "le gouvernement monégasque"), "french" (the French state
    only when the article is about France: "l'État", "le gouvernement") or "metonym" (a
    capital standing for its government: "Washington").
    """

    country: str
    context: str


@lru_cache(maxsize=65536)
def normalise_name(s: str, keep_case: bool = False) -> str:
    """Matching key of a name: apostrophes, dashes, whitespace and accents normalised.

    Typographic apostrophes become ``'``, hyphens and dashes become spaces, letters lose their
    accents (é -> e, œ -> oe, ø -> o), double quotes and guillemets are dropped wherever they
    stand, surrounding punctuation is dropped and whitespace is collapsed.  Case is folded
    unless ``keep_case``.

    >>> normalise_name("l’Agence nationale de la sécurité")
    "l'agence nationale de la securite"
    >>> normalise_name("T-Systems"), normalise_name("OVH Cloud", keep_case=True)
    ('t systems', 'OVH Cloud')
    """
    text = unicodedata.normalize("NFKC", s).translate(_APOSTROPHES).translate(_SPECIAL_LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _QUOTES_RE.sub(" ", _DASHES_RE.sub(" ", text))
    text = re.sub(r"'\s+", "'", text)
    text = " ".join(text.split()).strip(_EDGE_PUNCT)
    return text if keep_case else text.casefold()


def _singular(word: str) -> str:
    """Crude French singular of one normalised word (plural in -s / -x)."""
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def _strip_determiner(text: str) -> str:
    """Remove leading determiners / prepositions ("le", "l'", "du"...) from a normalised text."""
    previous = None
    while previous != text:
        previous = text
        stripped = _DETERMINER_RE.sub("", text, count=1).strip()
        if stripped:
            text = stripped
    return text


def strip_legal(text: str) -> str:
    """Remove legal-form suffixes (SA, SAS, GmbH, Inc...) and a leading "Groupe"."""
    return _strip_legal(text)


def _strip_legal(text: str) -> str:
    """Remove legal-form suffixes and a leading "Groupe" from a normalised text."""
    tokens = text.split()
    while len(tokens) > 1 and tokens[-1].replace(".", "").rstrip(",").casefold() in _LEGAL_SUFFIXES:
        tokens.pop()
        if tokens:
            tokens[-1] = tokens[-1].rstrip(",")
    while len(tokens) > 1 and tokens[0].casefold() in _LEGAL_PREFIXES:
        tokens.pop(0)
    return " ".join(tokens)


class Gazetteer:
    """The loaded rule data with its lookup indexes (build it with :func:`load_gazetteer`)."""

    def __init__(
        self,
        entries: dict[str, GazetteerEntry],
        *,
        sectors: tuple[str, ...],
        heads: dict[str, frozenset[str]],
        topics: dict[str, frozenset[str]],
        blocs: dict[str, str],
        countries: dict[str, str],
        prefixes: dict[str, str],
        region_words: frozenset[str],
        state_heads: frozenset[str],
        state_phrases: dict[str, StateRef],
        capitals: dict[str, str],
        source: Path,
    ) -> None:
        self.entries = entries
        self.sectors = sectors
        self.source = source
        self._heads = heads
        self._topics = topics
        self._blocs = blocs
        self._countries = countries  # normalised nationality word -> ISO code or "EU"
        self._prefixes = prefixes
        self._nat_words = frozenset(countries) | region_words
        self._state_heads = state_heads
        self._state_phrases = state_phrases
        self._capitals = capitals
        self._ci: dict[str, str] = {}
        self._cs: dict[str, str] = {}
        self._descriptors: dict[str, str] = {}
        self._states: dict[str, str] = {}
        self._index(source / GAZETTEER_FILE)

    # -- building -----------------------------------------------------------------------

    def _index(self, path: Path) -> None:
        """Fill the surface and descriptor indexes; raise on conflicting claims."""
        claims: dict[str, str] = {}
        for entry in self.entries.values():
            for surface in dict.fromkeys(entry.surfaces):
                key = normalise_name(surface)
                if not key:
                    raise GazetteerError(
                        f"{path}:{entry.line}: {entry.id!r}: alias {surface!r} is empty "
                        "after normalisation"
                    )
                other = claims.get(key)
                if other is not None and other != entry.id:
                    if not self._related(other, entry.id):
                        first = self.entries[other]
                        raise GazetteerError(
                            f"{path}:{entry.line}: alias {surface!r} of {entry.id!r} is also "
                            f"claimed by {other!r} (line {first.line}); the two entries are "
                            "not related (neither is the other's parent)"
                        )
                    continue  # related entries may share a spelling; the first one wins
                claims[key] = entry.id
                if surface in entry.ambiguous:
                    self._cs.setdefault(normalise_name(surface, keep_case=True), entry.id)
                else:
                    self._ci.setdefault(key, entry.id)
            for phrase in entry.descriptors:
                key = _strip_determiner(normalise_name(phrase))
                other = self._descriptors.get(key)
                if other is not None and other != entry.id:
                    raise GazetteerError(
                        f"{path}:{entry.line}: descriptor {phrase!r} of {entry.id!r} is also "
                        f"claimed by {other!r} (line {self.entries[other].line})"
                    )
                self._descriptors[key] = entry.id
            if entry.country and (
                entry.type == "STATE" or (entry.type == "INTL" and entry.parent is None)
            ):
                self._states.setdefault(entry.country, entry.id)

    def _ancestors(self, entry_id: str) -> list[str]:
        """The entry's id followed by its parent chain."""
        chain = [entry_id]
        parent = self.entries[entry_id].parent
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = self.entries[parent].parent
        return chain

    def _related(self, a: str, b: str) -> bool:
        """True when one entry is an ancestor of the other."""
        return a in self._ancestors(b) or b in self._ancestors(a)

    # -- entries ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.entries

    def get(self, entry_id: str) -> GazetteerEntry | None:
        """The entry with this id, or None."""
        return self.entries.get(entry_id)

    def canonical(self, entry: GazetteerEntry) -> GazetteerEntry:
        """The actor an entry counts as: follows ``division`` links up to the parent."""
        seen = {entry.id}
        while entry.division and entry.parent is not None and entry.parent not in seen:
            entry = self.entries[entry.parent]
            seen.add(entry.id)
        return entry

    def ancestors(self, entry: GazetteerEntry) -> list[GazetteerEntry]:
        """The parent chain of an entry (nearest first), divisions and subsidiaries alike."""
        return [self.entries[i] for i in self._ancestors(entry.id)[1:]]

    def _find(self, text: str) -> GazetteerEntry | None:
        """Exact index lookup of one already normalised (case-kept) text."""
        if not text:
            return None
        entry_id = self._cs.get(text) or self._ci.get(text.casefold())
        return self.entries[entry_id] if entry_id else None

    def _candidates(self, surface: str) -> Iterator[str]:
        """The surface and its progressively stripped forms, most literal first."""
        text = normalise_name(surface, keep_case=True)
        forms = [text]
        text = _strip_determiner(text)
        forms.append(text)
        head = self._head_length(text.split())
        if head:
            text = " ".join(text.split()[head:])
            forms.append(text)
        nat = self._nationality_length(text.split())
        if nat and nat < len(text.split()):
            text = " ".join(text.split()[nat:])
            forms.append(text)
        seen: set[str] = set()
        for form in forms:
            for candidate in (form, _strip_legal(form)):
                if candidate and candidate not in seen:
                    seen.add(candidate)
                    yield candidate

    def lookup(self, surface: str) -> GazetteerEntry | None:
        """The entry a surface form names, or None.

        Exact match after :func:`normalise_name`, case-insensitive except for ambiguous
        aliases.  When the surface as written is unknown, leading determiners ("le", "l'"),
        a leading descriptor head ("le groupe", "l'opérateur"), a leading nationality word
        ("le Chinois Alibaba", "l'Allemand T-Systems") and legal-form suffixes ("Orange SA",
        "Alphabet Inc.") are stripped in turn.  Returns the entry as listed (a division such as
        Google Cloud, not its parent): call :meth:`canonical` for the actor it counts as.
        """
        for candidate in self._candidates(surface):
            entry = self._find(candidate)
            if entry is not None:
                return entry
        return None

    def resolve(self, surface: str) -> GazetteerEntry | None:
        """``canonical(lookup(surface))``: the actor a surface form counts as, or None."""
        entry = self.lookup(surface)
        return self.canonical(entry) if entry is not None else None

    def by_descriptor(self, phrase: str) -> GazetteerEntry | None:
        """The entry a well-known epithet designates ("le géant de Redmond"), or None."""
        entry_id = self._descriptors.get(_strip_determiner(normalise_name(phrase)))
        return self.entries[entry_id] if entry_id else None

    def state_entry(self, country: str | None) -> GazetteerEntry | None:
        """The STATE entry of a country code (the Union européenne entry for "EU"), or None."""
        entry_id = self._states.get(country or "")
        return self.entries[entry_id] if entry_id else None

    def iter_patterns(self) -> Iterator[tuple[str, str, bool]]:
        """(label, surface, case_sensitive) for an entity ruler, one per spelling.

        Labels: LOC for states, ORG for everything else.  Each name and alias is yielded as
        written, with the other apostrophe (' / ’) where it has one, and without accents where
        it has some (the press often drops accents on capitals: "Etat", "Electricite").
        Ambiguous aliases are case-sensitive.
        """
        seen: set[tuple[str, str, bool]] = set()
        for entry in self.entries.values():
            for surface in entry.surfaces:
                case_sensitive = surface in entry.ambiguous
                variants = [surface]
                if "'" in surface or "’" in surface:
                    variants.append(surface.replace("'", "\u2019"))
                    variants.append(surface.replace("\u2019", "'"))
                folded = "".join(
                    c
                    for c in unicodedata.normalize("NFKD", surface)
                    if not unicodedata.combining(c)
                )
                if folded != surface:
                    variants.append(folded)
                for variant in variants:
                    item = (entry.label, variant, case_sensitive)
                    if item not in seen:
                        seen.add(item)
                        yield item

    # -- countries and blocs ------------------------------------------------------------

    def bloc(self, country: str | None) -> str | None:
        """Bloc of an ISO country code: "EU", "US", "CN" or "other"; None when unknown."""
        if not country:
            return None
        return self._blocs.get(country.upper(), "other")

    def nationality(self, word: str) -> str | None:
        """ISO code of a nationality adjective or demonym ("allemande", "Chinois" -> DE, CN).

        Region adjectives of a bloc give the bloc code ("européen" -> "EU"); compounds
        ("franco-allemand") and unknown words give None (see :meth:`nationality_codes`).
        """
        return self._countries.get(_strip_determiner(normalise_name(word)))

    def nationality_codes(self, word: str) -> tuple[str, ...]:
        """Every country of a nationality word, compounds included ("sino-espagnol" -> CN, ES)."""
        tokens = _strip_determiner(normalise_name(word)).split()
        codes: list[str] = []
        i = 0
        while i < len(tokens) and tokens[i] in self._prefixes:
            codes.append(self._prefixes[tokens[i]])
            i += 1
        rest = " ".join(tokens[i:])
        if rest not in self._countries:
            return ()
        codes.append(self._countries[rest])
        return tuple(dict.fromkeys(codes))

    def _nationality_length(self, tokens: list[str]) -> int:
        """Number of leading tokens that form a nationality word (0 when none)."""
        folded = [t.casefold() for t in tokens]
        i = 0
        while i < len(folded) and folded[i] in self._prefixes:
            i += 1
        for size in (3, 2, 1):
            if i + size <= len(folded) and " ".join(folded[i : i + size]) in self._nat_words:
                return i + size
        return 0

    def state_phrase(self, text: str) -> StateRef | None:
        """The state a phrase designates ("l'État", "Bercy", "le gouvernement monégasque").

        Fixed phrases of models/nationalities.yaml first, then a state head followed by a
        nationality adjective ("les autorités chinoises" -> CN, context "always"), then
        capitals used as metonyms ("Washington" -> US, context "metonym").
        """
        key = _strip_determiner(normalise_name(text))
        if key in self._state_phrases:
            return self._state_phrases[key]
        tokens = key.split()
        for size in (2, 1):
            if len(tokens) > size and " ".join(tokens[:size]) in self._state_heads:
                rest = tokens[size:]
                if self._nationality_length(rest) == len(rest):
                    codes = self.nationality_codes(" ".join(rest))
                    if len(codes) == 1:
                        return StateRef(codes[0], "always")
        if key in self._capitals:
            return StateRef(self._capitals[key], "metonym")
        return None

    # -- descriptors --------------------------------------------------------------------

    def _head_length(self, tokens: list[str]) -> int:
        """Number of leading tokens that form a descriptor head (longest match, 0 if none)."""
        folded = [t.casefold() for t in tokens]
        for size in range(min(5, len(folded) - 1), 0, -1):
            if self._sectors_of(self._heads, " ".join(folded[:size])) is not None:
                return size
        return 0

    def _sectors_of(self, table: dict[str, frozenset[str]], phrase: str) -> frozenset[str] | None:
        """Sectors of a phrase in a table, trying the plural-reduced form too."""
        if phrase in table:
            return table[phrase]
        singular = " ".join(_singular(t) for t in phrase.split())
        return table.get(singular)

    def topic_sectors(self, word: str) -> set[str]:
        """Sectors of a topic word or phrase ("hôtellerie", "centres de données"), or empty."""
        found = self._sectors_of(self._topics, normalise_name(word))
        return set(found) if found is not None else set()

    def descriptor_sectors(self, head_noun: str) -> set[str]:
        """Sectors a descriptor is compatible with; {"any"} for generic heads, empty if unknown.

        Accepts a head noun ("pétrolier", "opérateurs"), a listed phrase ("géant du
        numérique", "réseau social") or a longer descriptor whose start is one of them ("le
        pétrolier français", "groupe pharmaceutique allemand").  For "spécialiste de X",
        "géant du X", "leader de X"... the complement X gives the sectors (models/descriptors.yaml
        ``topics``).
        """
        tokens = _strip_determiner(normalise_name(head_noun)).split()
        for size in range(len(tokens), 0, -1):
            head = " ".join(tokens[:size])
            sectors = self._sectors_of(self._heads, head)
            if sectors is None:
                continue
            rest_tokens = tokens[size:]
            while rest_tokens and self._nationality_length(rest_tokens[:3]) == 1:
                rest_tokens = rest_tokens[1:]  # "société française de télécommunications"
            match = _PREPOSITION_RE.match(" ".join(rest_tokens))
            if match:
                topic_tokens = match.group(1).split()
                nat = len(topic_tokens)
                while nat and self._nationality_length(topic_tokens[nat - 1 :]) == 1:
                    nat -= 1
                for tsize in range(nat, 0, -1):
                    topic = self._sectors_of(self._topics, " ".join(topic_tokens[:tsize]))
                    if topic is not None:
                        if ANY_SECTOR in sectors:
                            return set(topic)
                        return set(sectors & topic) or set(sectors)
            return set(sectors)
        return set()


# -- loading ------------------------------------------------------------------------------


def _read_yaml(path: Path) -> dict[str, Any]:
    """Read a versioned YAML rule file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GazetteerError(f"{path}: rule file not found") from exc
    except yaml.YAMLError as exc:
        raise GazetteerError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != 1:
        raise GazetteerError(f"{path}: expected a mapping with 'version: 1' at the top")
    return data


def _str_list(path: Path, where: str, value: Any) -> list[str]:
    """Check that a YAML value is a list of non-empty strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(f"{path}: {where} must be a list of non-empty strings")
    return value


def _sector_table(
    path: Path, section: str, raw: Any, sectors: tuple[str, ...]
) -> dict[str, frozenset[str]]:
    """Validate a phrase -> sectors mapping of descriptors.yaml."""
    if not isinstance(raw, dict):
        raise GazetteerError(f"{path}: '{section}' must be a mapping of phrase -> sectors")
    table: dict[str, frozenset[str]] = {}
    allowed = set(sectors) | {ANY_SECTOR}
    for phrase, values in raw.items():
        where = f"{section}.{phrase}"
        values = _str_list(path, where, values)
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise GazetteerError(f"{path}: {where}: unknown sectors {unknown}")
        key = normalise_name(str(phrase))
        if key in table:
            raise GazetteerError(f"{path}: {where}: duplicate phrase (after normalisation)")
        table[key] = frozenset(values)
    return table


def _load_descriptors(
    path: Path,
) -> tuple[tuple[str, ...], dict[str, frozenset[str]], dict[str, frozenset[str]], dict[str, str]]:
    """Read descriptors.yaml: sectors, heads, topics, blocs."""
    data = _read_yaml(path)
    for section in ("sectors", "heads", "topics", "blocs"):
        if section not in data:
            raise GazetteerError(f"{path}: missing section {section!r}")
    sectors = tuple(_str_list(path, "sectors", data["sectors"]))
    if len(set(sectors)) != len(sectors) or ANY_SECTOR in sectors:
        raise GazetteerError(f"{path}: sectors must be unique and must not include 'any'")
    heads = _sector_table(path, "heads", data["heads"], sectors)
    topics = _sector_table(path, "topics", data["topics"], sectors)
    if not isinstance(data["blocs"], dict):
        raise GazetteerError(f"{path}: 'blocs' must be a mapping of bloc -> country codes")
    blocs: dict[str, str] = {}
    for bloc, codes in data["blocs"].items():
        if bloc not in BLOCS or bloc == "other":
            raise GazetteerError(f"{path}: blocs.{bloc}: bloc must be one of EU, US, CN")
        for code in _str_list(path, f"blocs.{bloc}", codes):
            if not _COUNTRY_RE.match(code):
                raise GazetteerError(f"{path}: blocs.{bloc}: {code!r} is not a 2-letter code")
            if code in blocs:
                raise GazetteerError(f"{path}: blocs: {code} is in {blocs[code]} and {bloc}")
            blocs[code] = bloc
    return sectors, heads, topics, blocs


@dataclass(frozen=True)
class _Nationalities:
    countries: dict[str, str]
    prefixes: dict[str, str]
    region_words: frozenset[str]
    state_heads: frozenset[str]
    state_phrases: dict[str, StateRef]
    capitals: dict[str, str]


def _load_nationalities(path: Path) -> _Nationalities:
    """Read nationalities.yaml."""
    data = _read_yaml(path)
    for section in (
        "countries",
        "regions",
        "other_regions",
        "prefixes",
        "state_heads",
        "state_phrases",
        "capitals",
    ):
        if section not in data:
            raise GazetteerError(f"{path}: missing section {section!r}")
    countries: dict[str, str] = {}
    for section in ("countries", "regions"):
        if not isinstance(data[section], dict):
            raise GazetteerError(f"{path}: '{section}' must be a mapping of code -> words")
        for code, words in data[section].items():
            if not isinstance(code, str) or not _COUNTRY_RE.match(code):
                raise GazetteerError(f"{path}: {section}.{code}: not a 2-letter upper-case code")
            for word in _str_list(path, f"{section}.{code}", words):
                key = normalise_name(word)
                if countries.get(key, code) != code:
                    raise GazetteerError(
                        f"{path}: {section}.{code}: {word!r} is also listed for {countries[key]}"
                    )
                countries[key] = code
    region_words = frozenset(
        normalise_name(w) for w in _str_list(path, "other_regions", data["other_regions"])
    )
    if not isinstance(data["prefixes"], dict):
        raise GazetteerError(f"{path}: 'prefixes' must be a mapping of prefix -> code")
    prefixes = {normalise_name(str(k)): str(v) for k, v in data["prefixes"].items()}
    state_heads = frozenset(
        normalise_name(w) for w in _str_list(path, "state_heads", data["state_heads"])
    )
    phrases: dict[str, StateRef] = {}
    if not isinstance(data["state_phrases"], list):
        raise GazetteerError(f"{path}: 'state_phrases' must be a list")
    for i, item in enumerate(data["state_phrases"], 1):
        where = f"{path}: state_phrases[{i}]"
        if not isinstance(item, dict) or set(item) != {"phrase", "country", "context"}:
            raise GazetteerError(f"{where}: expected exactly phrase, country, context")
        if not isinstance(item["country"], str) or not _COUNTRY_RE.match(item["country"]):
            raise GazetteerError(f"{where}: country {item['country']!r} is not a 2-letter code")
        if item["context"] not in STATE_CONTEXTS:
            raise GazetteerError(f"{where}: context must be one of {STATE_CONTEXTS}")
        phrases[_strip_determiner(normalise_name(str(item["phrase"])))] = StateRef(
            item["country"], item["context"]
        )
    if not isinstance(data["capitals"], dict):
        raise GazetteerError(f"{path}: 'capitals' must be a mapping of city -> code")
    capitals: dict[str, str] = {}
    for city, code in data["capitals"].items():
        if not isinstance(code, str) or not _COUNTRY_RE.match(code):
            raise GazetteerError(f"{path}: capitals.{city}: {code!r} is not a 2-letter code")
        # keyed like state_phrase() looks them up: "Le Caire" and "Caire" are one key
        key = _strip_determiner(normalise_name(str(city)))
        if capitals.get(key, code) != code:
            raise GazetteerError(
                f"{path}: capitals.{city}: also listed for {capitals[key]} (after normalisation)"
            )
        capitals[key] = code
    return _Nationalities(countries, prefixes, region_words, state_heads, phrases, capitals)


def _entry(path: Path, lineno: int, raw: Any, sectors: tuple[str, ...]) -> GazetteerEntry:
    """Validate one parsed line of gazetteer.jsonl."""
    where = f"{path}:{lineno}"
    if not isinstance(raw, dict):
        raise GazetteerError(f"{where}: expected a JSON object")
    label = f"{where}: {raw.get('id')!r}"
    missing = [f for f in _REQUIRED_FIELDS if f not in raw]
    if missing:
        raise GazetteerError(f"{label}: missing fields {missing}")
    unknown = sorted(set(raw) - set(_REQUIRED_FIELDS) - set(_OPTIONAL_FIELDS))
    if unknown:
        raise GazetteerError(f"{label}: unknown fields {unknown}")
    if not isinstance(raw["id"], str) or not _ID_RE.match(raw["id"]):
        raise GazetteerError(f"{label}: id must match {_ID_RE.pattern}")
    if not isinstance(raw["name"], str) or not raw["name"].strip():
        raise GazetteerError(f"{label}: name must be a non-empty string")
    if raw["type"] not in ENTRY_TYPES:
        raise GazetteerError(f"{label}: type {raw['type']!r} not in {ENTRY_TYPES}")
    country = raw["country"]
    if country is not None and (not isinstance(country, str) or not _COUNTRY_RE.match(country)):
        raise GazetteerError(
            f"{label}: country {country!r} is not a 2-letter upper-case ISO code or null"
        )
    if raw["type"] == "STATE" and country is None:
        raise GazetteerError(f"{label}: a STATE needs a country code")
    for field_name in ("aliases", "descriptors", *(("ambiguous",) if "ambiguous" in raw else ())):
        value = raw[field_name]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise GazetteerError(f"{label}: {field_name} must be a list of non-empty strings")
    if raw["parent"] is not None and not isinstance(raw["parent"], str):
        raise GazetteerError(f"{label}: parent must be an id or null")
    if raw["parent"] == raw["id"]:
        raise GazetteerError(f"{label}: an entry cannot be its own parent")
    if not isinstance(raw["division"], bool):
        raise GazetteerError(f"{label}: division must be true or false")
    if raw["division"] and raw["parent"] is None:
        raise GazetteerError(f"{label}: division is true but parent is null")
    if raw["sector"] not in sectors:
        raise GazetteerError(f"{label}: sector {raw['sector']!r} is not in descriptors.yaml")
    surfaces = {raw["name"], *raw["aliases"]}
    stray = [a for a in raw.get("ambiguous", []) if a not in surfaces]
    if stray:
        raise GazetteerError(f"{label}: ambiguous lists {stray}, which are not name or aliases")
    return GazetteerEntry(
        id=raw["id"],
        name=raw["name"],
        type=raw["type"],
        country=country,
        aliases=tuple(raw["aliases"]),
        parent=raw["parent"],
        division=raw["division"],
        sector=raw["sector"],
        descriptors=tuple(raw["descriptors"]),
        ambiguous=tuple(raw.get("ambiguous", ())),
        line=lineno,
    )


def _read_entries(path: Path, sectors: tuple[str, ...]) -> dict[str, GazetteerEntry]:
    """Read and validate gazetteer.jsonl (fields, ids, parents)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise GazetteerError(f"{path}: rule file not found") from exc
    entries: dict[str, GazetteerEntry] = {}
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GazetteerError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from exc
        entry = _entry(path, lineno, raw, sectors)
        if entry.id in entries:
            raise GazetteerError(
                f"{path}:{lineno}: duplicate id {entry.id!r} (first on line "
                f"{entries[entry.id].line})"
            )
        entries[entry.id] = entry
    if not entries:
        raise GazetteerError(f"{path}: no entries")
    for entry in entries.values():
        if entry.parent is not None and entry.parent not in entries:
            raise GazetteerError(
                f"{path}:{entry.line}: {entry.id!r}: parent {entry.parent!r} is not an id "
                "of the gazetteer"
            )
    for entry in entries.values():
        seen = [entry.id]
        parent = entry.parent
        while parent is not None:
            if parent in seen:
                raise GazetteerError(
                    f"{path}:{entry.line}: {entry.id!r}: parent cycle {' -> '.join(seen)}"
                )
            seen.append(parent)
            parent = entries[parent].parent
    return entries


#: Fields of a user actors file (every one optional but ``name``).
USER_FIELDS = frozenset({"id", "name", "aliases", "type", "country", "bloc", "sector", "parent",
                         "division", "descriptors", "ambiguous"})
BLOCS = ("EU", "US", "CN", "other")


def _user_records(path: Path) -> list[tuple[int, Any]]:
    """(line or position, record) of a user actors file: JSON lines, or a YAML list."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read the actors file: {exc}") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or []
        except yaml.YAMLError as exc:
            raise GazetteerError(f"{path}: invalid YAML: {exc}") from exc
        if isinstance(data, dict):
            data = data.get("actors", [])
        if not isinstance(data, list):
            raise GazetteerError(f"{path}: expected a list of actors (or 'actors: [...]')")
        return list(enumerate(data, 1))
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            out.append((lineno, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise GazetteerError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from exc
    return out


def merge_user_actors(
    entries: dict[str, GazetteerEntry], path: Path, sectors: tuple[str, ...]
) -> dict[str, GazetteerEntry]:
    """The gazetteer entries with a user file of extra actors and overrides merged in.

    A record names an existing entry by ``id``, or by a name or alias the gazetteer knows:
    its fields replace the entry's (``aliases`` and ``descriptors`` are added to it).  Any
    other record is a new actor (type ORG unless said).  Errors name the file and line.
    """
    from dataclasses import replace

    merged = dict(entries)
    by_surface: dict[str, str] = {}
    for e in entries.values():
        for surface in e.surfaces:
            by_surface.setdefault(normalise_name(surface), e.id)
    for lineno, raw in _user_records(path):
        where = f"{path}:{lineno}"
        if not isinstance(raw, dict):
            raise GazetteerError(f"{where}: expected an object with at least a name")
        unknown = sorted(set(raw) - USER_FIELDS)
        if unknown:
            raise GazetteerError(f"{where}: unknown fields {unknown}; known: {sorted(USER_FIELDS)}")
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise GazetteerError(f"{where}: 'name' must be a non-empty string")
        for key in ("aliases", "descriptors", "ambiguous"):
            value = raw.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                      for v in value):
                raise GazetteerError(f"{where}: {key} must be a list of non-empty strings")
        if "type" in raw and raw["type"] not in ENTRY_TYPES:
            raise GazetteerError(f"{where}: type {raw['type']!r} not in {ENTRY_TYPES}")
        country = raw.get("country")
        if country is not None and (not isinstance(country, str) or not _COUNTRY_RE.match(country)):
            raise GazetteerError(f"{where}: country {country!r} is not a 2-letter ISO code")
        if raw.get("bloc") is not None and raw["bloc"] not in BLOCS:
            raise GazetteerError(f"{where}: bloc {raw['bloc']!r} not in {BLOCS}")
        if raw.get("sector") is not None and raw["sector"] not in sectors:
            raise GazetteerError(f"{where}: sector {raw['sector']!r} is not in descriptors.yaml")
        if raw.get("parent") is not None and raw["parent"] not in merged:
            raise GazetteerError(f"{where}: parent {raw['parent']!r} is not a gazetteer id")
        target_id = raw.get("id") if raw.get("id") in merged else None
        if target_id is None and raw.get("id") is None:
            for surface in [name, *raw.get("aliases", [])]:
                target_id = by_surface.get(normalise_name(surface))
                if target_id is not None:
                    break
        if target_id is not None:
            old = merged[target_id]
            changes: dict[str, Any] = {
                k: raw[k] for k in ("type", "country", "sector", "parent", "division", "bloc")
                if k in raw
            }
            if name != old.name and normalise_name(name) not in map(normalise_name, old.surfaces):
                changes["aliases"] = (*old.aliases, name)
            extra = tuple(a for a in raw.get("aliases", []) if a not in old.surfaces)
            changes["aliases"] = (*changes.get("aliases", old.aliases), *extra)
            changes["descriptors"] = (*old.descriptors, *raw.get("descriptors", []))
            changes["ambiguous"] = (*old.ambiguous, *raw.get("ambiguous", []))
            merged[target_id] = replace(old, **changes)
            continue
        entry_id = raw.get("id") or "u_" + re.sub(
            r"[^a-z0-9]+", "_", normalise_name(name)
        ).strip("_")
        if not _ID_RE.match(entry_id):
            raise GazetteerError(f"{where}: id {entry_id!r} must match {_ID_RE.pattern}")
        merged[entry_id] = GazetteerEntry(
            id=entry_id,
            name=name,
            type=raw.get("type", "ORG"),
            country=country,
            aliases=tuple(raw.get("aliases", [])),
            parent=raw.get("parent"),
            division=bool(raw.get("division", False)),
            sector=raw.get("sector") or "",
            descriptors=tuple(raw.get("descriptors", [])),
            ambiguous=tuple(raw.get("ambiguous", [])),
            line=lineno,
            bloc=raw.get("bloc"),
        )
        for surface in (name, *raw.get("aliases", [])):
            by_surface.setdefault(normalise_name(surface), entry_id)
    return merged


@cache
def load_gazetteer(
    models_dir: Path = DEFAULT_MODELS_DIR, actors_file: Path | None = None
) -> Gazetteer:
    """Load and validate the gazetteer, nationality and descriptor files of ``models_dir``.

    The default folder is the repository's models/ (or $SOUVERAIN_MODELS).  ``actors_file``:
    a user file of extra actors and overrides merged into the gazetteer (README, "Your own
    actors").  Loaded once per process, folder and file.  Raises :class:`GazetteerError`
    naming the file and line at fault.
    """
    models_dir = Path(models_dir)
    sectors, heads, topics, blocs = _load_descriptors(models_dir / DESCRIPTORS_FILE)
    nat = _load_nationalities(models_dir / NATIONALITIES_FILE)
    entries = _read_entries(models_dir / GAZETTEER_FILE, sectors)
    if actors_file is not None:
        entries = merge_user_actors(entries, Path(actors_file), sectors)
    return Gazetteer(
        entries,
        sectors=sectors,
        heads=heads,
        topics=topics,
        blocs=blocs,
        countries=nat.countries,
        prefixes=nat.prefixes,
        region_words=nat.region_words,
        state_heads=nat.state_heads,
        state_phrases=nat.state_phrases,
        capitals=nat.capitals,
        source=models_dir,
    )


def iter_entries(
    gazetteer: Gazetteer, types: Iterable[str] = ENTRY_TYPES
) -> Iterator[GazetteerEntry]:
    """The entries of the given types, in file order."""
    wanted = set(types)
    return (e for e in gazetteer.entries.values() if e.type in wanted)
