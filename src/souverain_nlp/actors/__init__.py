"""The actors stage: every actor mention of an article and what it stands for.

``find_actors`` runs between the spaCy stage and the relations stage: it finds names,
institutions, states, persons, descriptors, pronouns and plural anaphors (``names``) and
resolves what each stands for (``coref``).  The relation rules only read the resolved
mentions it returns; each mention says how it was found or resolved (``how``).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from ..gazetteer import Gazetteer
from ..layout import doc_layout
from ..rules import RuleData, Trigger
from .coref import resolve_actors, resolve_descriptors
from .model import HOW, ActorMention
from .names import find_mentions

__all__ = ["HOW", "ActorMention", "find_actors", "find_mentions", "resolve_descriptors"]


def find_actors(
    doc: Doc,
    gaz: Gazetteer,
    rules: RuleData,
    layout: tuple[list[Span], dict[int, int], list[int]] | None = None,
    triggers: list[tuple[Trigger, Span]] | None = None,
) -> list[ActorMention]:
    """Every actor mention of a parsed article, resolved, in text order."""
    layout = layout or doc_layout(doc)
    mentions = find_mentions(doc, gaz, rules, layout, triggers)
    resolve_actors(doc, mentions, gaz, rules, layout[0])
    return mentions
