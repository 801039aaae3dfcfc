"""The actors stage: every actor mention of an article and what it stands for.

``find_actors`` runs between the spaCy stage and the relations stage: it finds names,
state phrases and descriptors (``names``) and resolves what each descriptor stands for
(``coref``).  The relation rules only read the resolved mentions it returns.
"""

from __future__ import annotations

from .coref import resolve_descriptors
from .model import ActorMention
from .names import find_mentions

__all__ = ["ActorMention", "find_mentions", "resolve_descriptors"]
