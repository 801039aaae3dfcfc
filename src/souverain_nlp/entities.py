"""The entities stage: every surface form of an actor resolved to one canonical identity.

Resolution order for a surface form (``Resolver.resolve``):

1. the gazetteer (normalised exact lookup: case, accents, determiners, nationality words as
   in "le Chinois Alibaba", legal forms such as SA or GmbH); divisions and brands
   (Google Cloud, AWS) resolve to their parent group;
2. acronyms defined in the article ("Comité International Olympique (CIO)"): the acronym
   resolves like its long form;
3. names already seen in the corpus, by normalised form;
4. fuzzy matching with rapidfuzz against the gazetteer and the names seen, guarded against
   false merges: long enough names only, same number of words, every word equal or a close
   spelling of a long word, same digits, and a high ratio (Deutsche Telekom is not Deutsche
   Bank, Orange is not Orano);
5. otherwise a new actor, with the country given by a nationality word next to it.

Candidates for fuzzy matching are blocked by the first three letters of every word and the
digits of the normalised name (a close spelling keeps them), and scored in C by
``rapidfuzz.process``: the work per name depends on its block, not on the number of names
(measured by ``make bench``: flat per-name time from 10,000 to 100,000 names).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .gazetteer import Gazetteer, GazetteerEntry, normalise_name, strip_legal
from .records import Entity

#: Lowest rapidfuzz ratio (0-100) for a fuzzy merge.  Chosen on the dev gold aliases:
#: spelling variants (OVH Cloud / OVHcloud, Thalès / Thales) score >= 93 after
#: normalisation, while the "different" pairs score <= 86 (Orange/Orano 83).
FUZZY_MIN_RATIO = 92.0
#: Names shorter than this (normalised, in characters) are never fuzzy-matched:
#: short names differ by one letter from unrelated ones (SAP/SAS, Orano/Orange).
FUZZY_MIN_LENGTH = 6

_SMALL_WORDS = frozenset(
    {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "pour", "à", "au"}
)
_ACRONYM = re.compile(r"^[A-ZÉÈ][A-Z0-9ÉÈ&\-\.]{1,9}$")


def slug(text: str) -> str:
    """ASCII, lower-case, dash-separated identifier part."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "x"


def bloc_of(gaz: Gazetteer, country: str | None) -> str | None:
    """EU | US | CN | other for a country code (None when unknown)."""
    if not country:
        return None
    return gaz.bloc(country)


@dataclass
class _Local:
    entity: Entity
    articles: set[str] = field(default_factory=set)


class Resolver:
    """Resolves surface forms to entities and accumulates the ``entities`` table."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self._entities: dict[str, _Local] = {}
        self._by_norm: dict[str, str] = {}  # normalised surface -> entity id
        # fuzzy candidates: block -> (normalised names, their entity or gazetteer ids)
        self._blocks: dict[tuple[tuple[str, ...], str], tuple[list[str], list[str]]] = (
            defaultdict(lambda: ([], []))
        )
        for entry in gaz.entries.values():
            for surface in (entry.name, *entry.aliases):
                key = normalise_name(surface)
                if key:
                    self._add_candidate(key, entry.id)

    def _add_candidate(self, key: str, target: str) -> None:
        if len(key) < FUZZY_MIN_LENGTH:
            return  # never a fuzzy candidate
        keys, targets = self._blocks[_block(key)]
        keys.append(key)
        targets.append(target)

    # ------------------------------------------------------------------ resolution
    def _entity_for_entry(self, entry: GazetteerEntry) -> _Local:
        canon = self.gaz.canonical(entry)
        local = self._entities.get(canon.id)
        if local is None:
            local = _Local(
                Entity(
                    entity_id=canon.id,
                    name=canon.name,
                    type=canon.type,
                    country=canon.country,
                    bloc=canon.bloc or bloc_of(self.gaz, canon.country),
                    aliases=sorted({canon.name, *canon.aliases}),
                    parent=canon.parent,
                    in_gazetteer=True,
                )
            )
            self._entities[canon.id] = local
        return local

    def _fuzzy(self, key: str) -> str | None:
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        block = self._blocks.get(_block(key))
        if not block:
            return None
        keys, targets = block
        words = key.split()
        threshold = FUZZY_MIN_RATIO if len(words) == 1 else FUZZY_MIN_RATIO - 2
        # best score first (ties: first added), then the guards
        for cand, _score, i in process.extract(
            key, keys, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
        ):
            cwords = cand.split()
            if len(words) > 1 and not all(
                a == b or (min(len(a), len(b)) >= FUZZY_MIN_LENGTH and fuzz.ratio(a, b) >= 80)
                for a, b in zip(words, cwords, strict=True)
            ):
                continue  # every word must match: Deutsche Telekom is not Deutsche Bank
            return targets[i]
        return None

    def resolve(
        self,
        surface: str,
        *,
        label: str = "ORG",
        country: str | None = None,
        article_id: str | None = None,
        acronyms: dict[str, str] | None = None,
        count: bool = True,
        entry_id: str | None = None,
    ) -> Entity:
        """The entity a surface form stands for (created when new); counts the mention.

        ``entry_id``: the gazetteer entry the NLP stage already linked the form to (state
        phrases such as "le gouvernement", descriptors resolved to a known actor).
        """
        surface = " ".join(surface.split())
        if entry_id is not None and entry_id in self.gaz.entries:
            local = self._entity_for_entry(self.gaz.entries[entry_id])
        elif acronyms and surface in acronyms:
            long_form = acronyms[surface]
            local = self._lookup(long_form, label=label, country=country)
        else:
            local = self._lookup(surface, label=label, country=country)
        if surface not in local.entity.aliases:
            local.entity.aliases.append(surface)
        if acronyms and surface in acronyms:
            # the acronym defined in the text joins the long form's aliases
            self._by_norm.setdefault(normalise_name(surface), local.entity.entity_id)
        if count:
            local.entity.n_mentions += 1
            if article_id:
                local.articles.add(article_id)
                local.entity.n_articles = len(local.articles)
        if local.entity.country is None and country:
            local.entity.country = country
            local.entity.bloc = bloc_of(self.gaz, country)
        return local.entity

    def _lookup(self, surface: str, *, label: str, country: str | None) -> _Local:
        entry = self.gaz.lookup(surface)
        if entry is not None:
            return self._entity_for_entry(entry)
        key = strip_legal(normalise_name(surface))
        if not key:
            key = surface.lower()
        known = self._by_norm.get(key)
        if known is not None:
            return self._entities[known]
        target = self._fuzzy(key)
        if target is not None:
            if target in self.gaz.entries:
                local = self._entity_for_entry(self.gaz.entries[target])
            else:
                local = self._entities[target]
            self._by_norm[key] = local.entity.entity_id
            return local
        entity_id = f"x-{slug(key)}"
        local = self._entities.get(entity_id)
        if local is None:
            local = _Local(
                Entity(
                    entity_id=entity_id,
                    name=_display_name(surface),
                    type=_type_of(label),
                    country=country,
                    bloc=bloc_of(self.gaz, country),
                    aliases=[],
                )
            )
            self._entities[entity_id] = local
        self._by_norm[key] = entity_id
        self._add_candidate(key, entity_id)
        return local

    def entities(self) -> list[Entity]:
        """Entities seen so far (mentioned at least once), sorted by id."""
        out = [loc.entity for loc in self._entities.values() if loc.entity.n_mentions > 0]
        for e in out:
            e.aliases = sorted(set(e.aliases))
        return sorted(out, key=lambda e: e.entity_id)


def _block(key: str) -> tuple[tuple[str, ...], str]:
    """Blocking key of a normalised name: first three letters of each word (so the same
    number of words), and its digits (Airbus A320 is not Airbus A350)."""
    return tuple(w[:3] for w in key.split()), re.sub(r"\D", "", key)


def _type_of(label: str) -> str:
    return {"LOC": "STATE", "GPE": "STATE", "PER": "PER"}.get(label, "ORG")


_LEADING = re.compile(r"^(?:l['’]|le |la |les |du |des |de la |de l['’]|d['’])", re.IGNORECASE)


def _display_name(surface: str) -> str:
    name = _LEADING.sub("", surface.strip())
    return name[:1].upper() + name[1:] if name else surface


def acronyms_in(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Acronym -> long form from (long form, parenthesised alias) pairs found in a text.

    Only pairs where the short form looks like an acronym of the long one are kept
    ("Comité International Olympique (CIO)"); other parentheses ("Cloudwatt (Orange)") are
    not definitions.
    """
    out: dict[str, str] = {}
    for first, second in pairs:
        if _ACRONYM.match(second.replace(" ", "")):
            long_form, short = first, second
        elif _ACRONYM.match(first.replace(" ", "")):
            long_form, short = second, first
        else:
            continue
        initials = "".join(
            w[0] for w in re.split(r"[\s\-’']+", long_form) if w and w.lower() not in _SMALL_WORDS
        )
        letters = re.sub(r"[^A-Z]", "", slug(short).upper())
        if letters and (initials.upper().startswith(letters) or letters in initials.upper()):
            out[short] = long_form
    return out


def short_forms(surfaces: list[str], gaz: Gazetteer) -> dict[str, str]:
    """Short form -> full name for names an article shortens after giving them in full
    ("Insilico Medicine" ... "Insilico").

    The short form is one word, the gazetteer does not know it as another actor, and it is
    the first word of exactly one longer name of the same article; that name has two or
    three capitalised words, no digits, and no other word that is a known actor ("Sparco
    McLaren" joins two actors, "Agence régionale de santé et l'" is no name).
    """
    names = sorted({" ".join(s.split()) for s in surfaces if s.strip()})
    out: dict[str, str] = {}
    for short in names:
        if " " in short or len(short) < 3 or gaz.lookup(short) is not None:
            continue
        longer = {full for full in names if full.split()[0] == short and full != short}
        if len(longer) != 1:
            continue
        full = next(iter(longer))
        words = full.split()
        if (
            2 <= len(words) <= 3
            and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)
            and not any(gaz.lookup(w) is not None for w in words[1:])
        ):
            out[short] = full
    return out
