"""Clean stage: split an article into line blocks, find the article body, keep an audit.

Every non-empty line of ``SourceDoc.raw_text`` becomes a :class:`Block` with its offsets, a
kept/dropped decision and a short reason.  The decisions come from the page's own evidence,
never from a site's strings:

* line rules read from ``models/boilerplate.yaml`` (zone markers such as "A lire aussi",
  page furniture, newsletter / consent / app promos, paywall notices, copyright, credit and
  agency lines, captions, bylines and date lines);
* layout: runs of short verbless lines (menus), headline + date pairs and time-prefixed lines
  (tickers), bulleted headline lists (link lists), repeated or truncated copies of a line;
  on HTML pages, the flags of :mod:`souverain_nlp.htmlpage` (trafilatura's main text, the
  JSON-LD body, link lines, furniture and comment containers);
* the body span (:func:`_body_span`): the run of lines with the most running prose net of
  page furniture (a maximum-sum segment), helped by the byline's position; lines before it
  are the page header, lines after it the page's end, unless a lede or an on-topic run of
  paragraphs resumes the body (:func:`_resumes_body`);
* title and topic: the headline is the headline-shaped line before the body that shares its
  words with the lede; the title and the first paragraphs are the topic reference of the
  zones (a long on-topic paragraph ends a zone; an off-topic paragraph opened by a dateline
  ("Washington - ...") is an appended wire story; after page furniture, an off-topic
  paragraph is drift);
* corpus: lines recurring across many articles (:func:`recurring_lines`).

The article's byline ("Par X, publié le 28 mai 2021") is dropped from the body and its date
becomes ``published`` (``published_from="byline"``), see :func:`_publication_date`: a
publication byline, then the metadata date, then a date line of the header, then a
modification date; dates outside the article's header and body (sidebars, related lists,
comments) are never used.  A byline that gives day and month only yields ``"XXXX-MM-DD"``
unless the metadata date has the same day and month, in which case the full metadata date is
returned (``published_from="metadata"``).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from souverain_nlp.records import STATUS_OK, STATUS_SKIPPED, Block, CleanDoc, SourceDoc
from souverain_nlp.settings import DEFAULT_MODELS_DIR

#: Default rule file (``boilerplate.yaml`` of the rule-data folder, ``settings.models_dir``).
RULES_PATH = DEFAULT_MODELS_DIR / "boilerplate.yaml"

# --- Thresholds -------------------------------------------------------------------------------
# Chosen on the seed corpus, the annotated page sets of dev/ (pages, orangesum,
# orangesum_tech, web_fr; .txt and .html forms; web_fr files sorting in the last third and
# orangesum ids ending in 0-2 checked after) and the 2,000 boilerplate-free bodies of the
# bench corpus (split into paragraphs: no body line dropped but credits); the scores they
# give are in the README, tests/eval_floor.json and the module tests.  Lengths are in
# characters.

#: Zone markers are short headings; a longer line is never a marker (longest marker seen: 35).
MARKER_MAX_CHARS = 80
#: Sentence-like furniture rules (newsletter, consent...) only look at lines up to this length;
#: body paragraphs that mention such words are longer (bench: no body line dropped by them).
SHORT_LINE_MAX_CHARS = 250
#: Consent and subscription notices can be long paragraphs: the strict patterns of
#: ``chrome_long`` look at lines up to this length (bench bodies: none matched).
LONG_FURNITURE_MAX_CHARS = 800
#: A menu item: at most this many words / characters and no sentence punctuation.
LABEL_MAX_WORDS = 4
LABEL_MAX_CHARS = 40
#: A menu is a run of at least this many label lines (2 would eat "subheading + credit").
NAV_MIN_RUN = 3
#: A short label repeated this many times in one page is a menu / ticker label ("News").
LABEL_MIN_REPEATS = 3
#: Headlines in tickers and link lists are at most this long; they need this many words.
HEADLINE_MAX_CHARS = 200
HEADLINE_MIN_WORDS = 3
#: A ticker needs at least this many headline + date pairs (one pair is a title and its date).
TICKER_MIN_PAIRS = 2
#: A paragraph ("prose"): at least this long and this many words.
PROSE_MIN_CHARS = 80
PROSE_MIN_WORDS = 10
#: Topic words: this many letters or more, compared on their first TOPIC_STEM_CHARS letters
#: (a cheap stemmer: "partenariat"/"partenaires" -> "parten").
TOPIC_MIN_WORD_LEN = 4
TOPIC_STEM_CHARS = 6
#: The article's opening: title plus its first paragraphs, up to this many topic words or
#: paragraphs (a short page must not count an appended story as its opening).
REFERENCE_MAX_WORDS = 80
REFERENCE_MAX_PARAGRAPHS = 2
#: Reasons that may sit inside the opening without ending it.
_HEADER_REASONS = frozenset({None, "title", "separator", "duplicate", "byline", "credit",
                             "copyright", "agency_line", "date_line"})
#: Inside a zone, an on-topic paragraph (share of its topic words found in the title, opening
#: and body so far >= ZONE_RESUME_SIMILARITY) that reads as body (see _continues_body, or at
#: least ZONE_RESUME_MIN_CHARS long) is kept and ends the zone.  On the dev pages, 75 % of
#: body paragraphs score >= 0.2 against that running reference; teasers and wire stories of
#: other topics score 0.0-0.2 (one related teaser scores 0.36: it is caught by the
#: headline/teaser alternation, not by the score).
ZONE_RESUME_MIN_CHARS = 400
ZONE_RESUME_SIMILARITY = 0.2
#: A photo caption is at most this many characters long.
CAPTION_MAX_CHARS = 250
#: A subheading is short and has no "Topic : claim" shape (the headline of a linked article
#: often has both).
SUBHEADING_MAX_WORDS = 8
#: Reader comments after the body are on its topic: a comment zone opened after the body only
#: ends on a paragraph this close to the opening (body paragraphs of the dev pages: 0.5-0.9).
COMMENT_RESUME_SIMILARITY = 0.5
#: A dateline paragraph ("Washington - ...") below this share is an appended wire story.
WIRE_MAX_SIMILARITY = 0.25
#: After the body was interrupted by menus / tickers / link lists, a paragraph below this
#: share is topic drift.  Kept low: short quotes in the body can score 0.0-0.1, survey
#: articles (seed 000) have paragraphs at 0.05-0.2.
DRIFT_MAX_SIMILARITY = 0.08
#: A line of at least this many characters that is a prefix of another line is a teaser copy.
DUPLICATE_PREFIX_MIN_CHARS = 60
#: recurring_lines(): only lines up to this length are counted (body paragraphs repeated by an
#: agency across updates are longer); defaults: a line must recur in 3 articles and in 1% of
#: them (a 5-article corpus needs 3 articles, a 10,000-article corpus needs 100).
RECURRING_MAX_CHARS = 200
#: A full sentence longer than this (words) is never boilerplate by recurrence alone: page
#: furniture sentences are short ("Vos réactions doivent respecter nos CGU.", 6 words), while
#: the same news sentence syndicated to several articles is article content.
RECURRING_MAX_WORDS = 15
RECURRING_MIN_DOCS = 3
RECURRING_MIN_SHARE = 0.01

#: Reasons of dropped blocks that mean "the body was interrupted by page furniture" (when at
#: least NAV_MIN_RUN of them follow the last kept paragraph).
_STRUCTURAL = frozenset({"navigation", "ticker", "link_list", "recurring"})

# --- Body evidence (see _body_span) ------------------------------------------------------------
# The article body is the run of lines with the most running prose net of page furniture
# (a maximum-sum segment, as in Finn et al.'s Body Text Extraction).  A line of running prose
# (_is_sentence) counts its length in characters; every other line costs a fixed amount, in
# characters too.  Chosen on the visible-text forms of the dev sets (web_fr files whose name
# sorts in the first two thirds, orangesum ids ending in 3-9): with these costs the segment
# holds 99.7 % of the keep snippets; a cost twice as high loses body lines after in-body link
# blocks, half as high lets related-article teasers after the body join it.
#: A short line that is no sentence (label, headline, caption, list item).
BODY_SHORT_COST = 30
#: A byline, date, credit, copyright or agency line, a repeated line, the title.
BODY_LIGHT_COST = 20
#: A line of page furniture (navigation, ticker, link list, promo, consent, share...).
BODY_FURNITURE_COST = 40
#: A zone marker ("A lire aussi", "Partager"...), and a comment marker: the body seldom goes on
#: after reader comments begin, so crossing one must be paid by a long stretch of prose.
BODY_MARKER_COST = 80
BODY_COMMENT_COST = 200
#: Position evidence: the first paragraph under a byline (BYLINE_WINDOW_LINES at most after
#: it) gets this bonus; prose after a comment marker counts this share of its length.  On
#: the dev pages neither changes a span; on pages written for the tests they pick the short
#: article under a column of teasers and before a long comment thread.
BODY_BYLINE_BONUS = 300
BYLINE_WINDOW_LINES = 4
BODY_COMMENT_SHARE = 0.5
#: The title is looked for among the lines up to this far before the body.
TITLE_WINDOW_LINES = 15
#: A title candidate sharing this share of its topic words with the body's opening beats a
#: nearer one (the headline summarises the lede; a sidebar headline or a tag line does not).
TITLE_MIN_OVERLAP = 0.3
#: A comment zone opened after this many characters of kept body prose, or after the body
#: started when no prose follows the marker at once (a name, a date, a form), is the page's
#: comment section: nothing in it resumes the body.  Otherwise it is a button of the
#: article ("Réagir", "61 commentaires") and the body goes on after it.
COMMENT_STICKY_MIN_CHARS = 400
#: HTML: a line of the page's main text (trafilatura, JSON-LD articleBody) counts at least
#: this much, so that the body span covers its short lines (subheadings) too.
BODY_MAIN_MIN_VALUE = 60
#: Unmarked lines just before the densest prose taken into the body (a short lede, a
#: subtitle); further back they are the page header.
BODY_BACK_LINES = 3
_LIGHT = frozenset({"byline", "date_line", "credit", "copyright", "agency_line", "title",
                    "duplicate", "site_name"})


class BoilerplateRulesError(ValueError):
    """The boilerplate rule file is malformed (message names the file and line)."""


# --- Text helpers -----------------------------------------------------------------------------

_QUOTES = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "«": '"', "»": '"', "“": '"', "”": '"',
           "„": '"', "\u00a0": " ", "\u202f": " ", "\u2009": " "}
_SPACES = re.compile(r"\s+")
_EDGE = " \t:;-–—|>»›•·*#_=~\"'.…,!?"


class _FoldTable(dict[int, str]):
    """str.translate table: each character lower-cased without its accents, built lazily."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        if ch in _QUOTES:
            out = _QUOTES[ch]
        else:
            out = "".join(c for c in unicodedata.normalize("NFKD", ch)
                          if not unicodedata.combining(c)).casefold()
        self[cp] = out
        return out


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, strip accents, normalise quotes and spaces (the form rules are matched on)."""
    return _SPACES.sub(" ", text.translate(_FOLD)).strip()


def _fold_edges(folded: str) -> str:
    """Strip the decoration around a folded line ("À lire aussi :" -> "a lire aussi")."""
    return folded.strip(_EDGE)


_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


# --- Rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoilerplateRules:
    """Compiled rules of ``models/boilerplate.yaml``."""

    zone_markers: tuple[tuple[str, re.Pattern[str]], ...]
    chrome_full: tuple[tuple[str, re.Pattern[str]], ...]
    chrome_search: tuple[tuple[str, re.Pattern[str]], ...]
    chrome_long: tuple[tuple[str, re.Pattern[str]], ...]
    credit_start: re.Pattern[str]
    credit_end: re.Pattern[str]
    caption_words: frozenset[str]
    agency_line: re.Pattern[str]
    byline: re.Pattern[str]
    author_line: re.Pattern[str]
    byline_max_chars: int
    date_only: re.Pattern[str]
    date_any: re.Pattern[str]
    months: dict[str, int]
    stopwords: frozenset[str]


def _yaml_lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _yaml_lines(value, (*path, key.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _yaml_lines(item, (*path, i), out)


class _Loader:
    """Validate the raw YAML data, raising errors that name the file and line."""

    def __init__(self, path: Path, data: Any, lines: dict[tuple[Any, ...], int]) -> None:
        self.path, self.data, self.lines = path, data, lines

    def fail(self, where: tuple[Any, ...], message: str) -> BoilerplateRulesError:
        line = self.lines.get(where)
        while line is None and where:
            where = where[:-1]
            line = self.lines.get(where)
        dotted = ".".join(str(p) for p in where) or "<top>"
        return BoilerplateRulesError(f"{self.path}:{line or 1}: {dotted}: {message}")

    def get(self, *where: Any) -> Any:
        node = self.data
        for i, key in enumerate(where):
            if not isinstance(node, dict) or key not in node:
                raise self.fail(where[:i], f"missing key {key!r}")
            node = node[key]
        return node

    def text(self, *where: Any) -> str:
        value = self.get(*where)
        if not isinstance(value, str) or not value:
            raise self.fail(where, "expected a non-empty string")
        return value

    def regex(self, pattern: str, where: tuple[Any, ...], full: bool = False) -> re.Pattern[str]:
        try:
            return re.compile(f"(?:{pattern})\\Z" if full else pattern)
        except re.error as exc:
            raise self.fail(where, f"invalid regular expression {pattern!r}: {exc}") from exc

    def groups(self, key: str, full: bool) -> tuple[tuple[str, re.Pattern[str]], ...]:
        table = self.get(key)
        if not isinstance(table, dict) or not table:
            raise self.fail((key,), "expected a mapping of reason -> list of patterns")
        out = []
        for reason, patterns in table.items():
            if not isinstance(reason, str) or not re.fullmatch(r"[a-z][a-z_]*", reason):
                raise self.fail((key, reason), "reasons must be snake_case words")
            if not isinstance(patterns, list) or not patterns:
                raise self.fail((key, reason), "expected a non-empty list of patterns")
            for i, pattern in enumerate(patterns):
                if not isinstance(pattern, str) or not pattern:
                    raise self.fail((key, reason, i), "expected a non-empty string")
                self.regex(pattern, (key, reason, i))
            joined = "|".join(f"(?:{p})" for p in patterns)
            out.append((reason, self.regex(joined, (key, reason), full=full)))
        return tuple(out)


def _date_regex(months: dict[str, int], weekdays: str, relative: str) -> str:
    month = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    time = r"(?:\s*(?:a|at|,|-|\|)?\s*\d{1,2}\s*[h:]\s*\d{0,2}(?:\s*(?:am|pm|gmt|utc))?)?"
    return (
        rf"(?:(?:{weekdays})\.?,?\s+)?(?:"
        rf"(?P<y1>\d{{4}})-(?P<m1>\d{{1,2}})-(?P<d1>\d{{1,2}})"
        rf"|(?P<d2>\d{{1,2}})[/.-](?P<m2>\d{{1,2}})[/.-](?P<y2>\d{{4}}|\d{{2}})"
        rf"|(?P<d3>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<m3>{month})\.?(?:\s+(?P<y3>\d{{4}}))?"
        rf"|(?P<m4>{month})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s+(?P<y4>\d{{4}}))?"
        rf"|(?P<rel>{relative})"
        rf"){time}"
    )


def load_rules(path: Path | None = None) -> BoilerplateRules:
    """Load and validate the boilerplate rules (cached per path).

    Raises :class:`BoilerplateRulesError` naming the file and line when the file is malformed.
    """
    return _load_rules(Path(path) if path is not None else RULES_PATH)


@functools.cache
def _load_rules(path: Path) -> BoilerplateRules:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BoilerplateRulesError(f"{path}: cannot read boilerplate rules: {exc}") from exc
    try:
        root = yaml.compose(raw)
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise BoilerplateRulesError(f"{path}: invalid YAML: {exc}") from exc
    lines: dict[tuple[Any, ...], int] = {}
    if root is not None:
        _yaml_lines(root, (), lines)
    ld = _Loader(path, data, lines)
    if not isinstance(data, dict):
        raise ld.fail((), "expected a mapping at the top level")
    if ld.get("version") != 1:
        raise ld.fail(("version",), "unsupported version (expected 1)")

    months_raw = ld.get("dates", "months")
    if not isinstance(months_raw, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and 1 <= v <= 12 for k, v in months_raw.items()
    ):
        raise ld.fail(("dates", "months"), "expected a mapping of month word -> 1..12")
    months = {fold(k): v for k, v in months_raw.items()}
    weekdays = ld.text("dates", "weekdays")
    relative = ld.text("dates", "relative")
    ld.regex(weekdays, ("dates", "weekdays"))
    ld.regex(relative, ("dates", "relative"))
    date_re = _date_regex(months, weekdays, relative)

    agencies = ld.text("credits", "agencies")
    ld.regex(agencies, ("credits", "agencies"))
    if "{agencies}" not in ld.text("credits", "credit_end_agency"):
        raise ld.fail(("credits", "credit_end_agency"), "must contain {agencies}")
    agency_tpl = ld.text("credits", "agency_line")
    publisher_tpl = ld.text("credits", "publisher_with_agency")
    for key, tpl in (("agency_line", agency_tpl), ("publisher_with_agency", publisher_tpl)):
        if "{agencies}" not in tpl:
            raise ld.fail(("credits", key), "must contain {agencies}")
    pub = ld.text("bylines", "publish_words")
    upd = ld.text("bylines", "update_words")
    ld.regex(pub, ("bylines", "publish_words"))
    ld.regex(upd, ("bylines", "update_words"))
    max_chars = ld.get("bylines", "max_chars")
    if not isinstance(max_chars, int) or max_chars <= 0:
        raise ld.fail(("bylines", "max_chars"), "expected a positive integer")
    caption_words = ld.get("credits", "caption_words")
    if not isinstance(caption_words, list) or not all(isinstance(w, str) for w in caption_words):
        raise ld.fail(("credits", "caption_words"), "expected a list of words")
    stop = ld.get("stopwords")
    if not isinstance(stop, list) or not all(isinstance(w, str) for w in stop):
        raise ld.fail(("stopwords",), "expected a list of words")

    byline = (
        rf"\b(?:(?P<pub>{pub})|(?P<upd>{upd}))\s*(?:le|on|the|en)?\s*[:,]?\s*(?:le\s+)?"
        rf"(?:{date_re})"
    )
    return BoilerplateRules(
        zone_markers=ld.groups("zone_markers", full=True),
        chrome_full=ld.groups("chrome_full", full=True),
        chrome_search=ld.groups("chrome_search", full=False),
        chrome_long=ld.groups("chrome_long", full=False),
        credit_start=ld.regex(ld.text("credits", "credit_start"), ("credits", "credit_start")),
        credit_end=ld.regex(
            f"(?:{ld.text('credits', 'credit_end')})|(?:"
            + ld.text("credits", "credit_end_agency").replace("{agencies}", agencies) + ")",
            ("credits", "credit_end")),
        caption_words=frozenset(fold(w) for w in caption_words),
        agency_line=ld.regex(
            "|".join(f"(?:{t.replace('{agencies}', agencies)})"
                     for t in (agency_tpl, publisher_tpl)),
            ("credits", "agency_line")),
        byline=ld.regex(byline, ("bylines",)),
        author_line=ld.regex(ld.text("bylines", "author_line"), ("bylines", "author_line")),
        byline_max_chars=max_chars,
        date_only=ld.regex(
            rf"(?:(?:le|on|the)\s+)?(?:{date_re}|\d{{1,2}}\s*[h:]\s*\d{{2}}(?::\d{{2}})?)",
            ("dates",), full=True),
        date_any=ld.regex(date_re, ("dates",)),
        months=months,
        stopwords=frozenset(fold(w) for w in stop),
    )


# --- Dates ------------------------------------------------------------------------------------


def _date_from_match(m: re.Match[str], months: dict[str, int]) -> str | None:
    """ISO date (or XXXX-MM-DD without a year) from a match of the date regex."""
    g = m.groupdict()
    if g.get("y1"):
        y, mo, d = g["y1"], g["m1"], g["d1"]
    elif g.get("d2"):
        y, mo, d = g["y2"], g["m2"], g["d2"]
        if len(y) == 2:
            y = ("20" if int(y) < 70 else "19") + y
    elif g.get("d3"):
        y, mo, d = g.get("y3"), str(months.get(g["m3"], 0)), g["d3"]
    elif g.get("d4"):
        y, mo, d = g.get("y4"), str(months.get(g["m4"], 0)), g["d4"]
    else:
        return None
    month, day = int(mo), int(d)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if y:
        try:
            return date(int(y), month, day).isoformat()
        except ValueError:
            return None
    return f"XXXX-{month:02d}-{day:02d}"


# --- Line features ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str
    folded: str  # fold(text)
    core: str  # folded without edge decoration
    n_words: int
    prose: bool
    label: bool  # short menu-like line
    sentence: bool = False  # running prose (_is_sentence)
    flags: str = ""  # HTML layout flags (souverain_nlp.htmlpage)
    label_key: str = ""
    reason: str | None = None  # pre-decision (None = no rule fired)
    kept: bool = False
    topic: frozenset[str] | None = None  # topic words, computed on demand


_SENTENCE_END = re.compile(r"[.!?…»\"”)]\s*$")
_BULLET = re.compile(r"^[-–—•·▸►>»*]\s+\S")
_TIME_PREFIX = re.compile(r"^\d{1,2}\s*[:hH]\s*\d{2}\s*[^\d\s:]")
_DATELINE = re.compile(
    r"^(?:[A-ZÀ-Ý][\w'’.]{2,}"
    r"(?:[ -](?:[A-ZÀ-Ý][\w'’.]*|de|du|des|la|le|les|sur|en|d'|l'|am|upon)){0,4})"
    r"\s*(?:\([^)\n]{1,25}\))?\s*[-–—]\s+\S"
)
_AUTHOR_NAMES = re.compile(
    r"^(?:Par|By|PAR|BY)\b\s*:?\s*(?:(?:[A-ZÀ-Ý][\w'’.-]*|de|du|des|la|le|et|and|avec|with|van|von|"
    r"d'|à|,|&|-|/)\s*){0,10}$"
)
_ONLY_PUNCT = re.compile(r"^[\W_]+$")
#: A link card to another article, as text dumps render it: the card's headline glued to its
#: source ("...des propriétairespar franceinfo", "...the marketby Reuters").
_GLUED_CARD = re.compile(r"[a-zà-ÿ0-9]{3}(?:par|by)\s+[\w.'’-]+(?:\s+[\w.'’-]+){0,2}$")


_CRUMB_SEP = re.compile(r"\s+(?:>|›|»|/|\||•|·)\s+")


def _is_breadcrumb(text: str) -> bool:
    """"Accueil > Économie > Entreprises": three or more short parts joined by separators."""
    if len(text) > 150:
        return False
    parts = _CRUMB_SEP.split(text)
    return len(parts) >= 3 and all(0 < len(p.split()) <= 4 for p in parts)


def _is_prose(text: str, n_words: int) -> bool:
    return len(text) >= PROSE_MIN_CHARS and n_words >= PROSE_MIN_WORDS and (
        bool(_SENTENCE_END.search(text)) or len(text) >= 2 * PROSE_MIN_CHARS)


_CLOSERS = "\"'»”’)] "
_LOWER_WORD = re.compile(r"\b[a-zà-ÿ]{2,}\b")
_INNER_STOP = re.compile(r"[.!?…]\s+[\"«“A-ZÀ-Ý]")
#: A line this long is running prose whatever its last character.
SENTENCE_LONG_CHARS = 200


def _is_sentence(text: str, n_words: int) -> bool:
    """Running prose rather than a headline, label or list item.

    A sentence ends with a full stop; a line ending with "?" or "!" is one when it holds
    another sentence or reads as one (15 words for a question, 8 for an exclamation without
    a "Topic :" head), since headlines end that way too; a truncated line ("...") is a
    teaser; a line of SENTENCE_LONG_CHARS or more is prose anyway.
    """
    if n_words < 4 or not _LOWER_WORD.search(text):
        return False
    if len(text) >= SENTENCE_LONG_CHARS:
        return True
    core = text.rstrip().rstrip(_CLOSERS)
    if core.endswith(("...", "…")):
        return False
    if core.endswith("."):
        return True
    inner = bool(_INNER_STOP.search(core))
    if core.endswith("?"):  # "Faut-il craindre une hausse du passe Navigo ?" is a headline
        return inner or n_words >= 15
    if core.endswith("!"):
        return inner or (n_words >= 8 and ":" not in core[:len(core) // 2])
    return len(core) >= 2 * PROSE_MIN_CHARS and (inner or "," in core)


def _split(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for piece in raw.split("\n"):
        stripped = piece.strip()
        if stripped:
            start = pos + (len(piece) - len(piece.lstrip()))
            text = raw[start:start + len(stripped)]
            folded = fold(text) if len(text) <= 4 * SHORT_LINE_MAX_CHARS else ""
            n_words = len(text.split())
            label = (n_words <= LABEL_MAX_WORDS and len(text) <= LABEL_MAX_CHARS
                     and not re.search(r"[.!?;,]\s*$", text))
            lines.append(_Line(start, start + len(stripped), text, folded,
                               _fold_edges(folded), n_words, _is_prose(text, n_words), label,
                               _is_sentence(text, n_words)))
        pos += len(piece) + 1
    return lines


_ELISION = re.compile(r"^(?:[a-z]|qu|jusqu|lorsqu|puisqu|quoiqu)'")


def _topic_words(text: str, stop: frozenset[str]) -> frozenset[str]:
    """Content words of a text, cut to their first TOPIC_STEM_CHARS letters ("l'usine" and
    "usines" -> "usine")."""
    folded = fold(text)
    out = set()
    for w in _words(folded):
        w = _ELISION.sub("", w)
        if len(w) >= TOPIC_MIN_WORD_LEN and w not in stop:
            out.add(w[:TOPIC_STEM_CHARS])
    return frozenset(out)


def _line_topic(line: _Line, stop: frozenset[str]) -> frozenset[str]:
    if line.topic is None:
        line.topic = _topic_words(line.text, stop)
    return line.topic


def _similarity(words: frozenset[str], reference: set[str] | frozenset[str]) -> float:
    """Share of a paragraph's topic words that occur in the article's opening."""
    if not words:
        return 0.0
    return len(words & reference) / len(words)


# --- Rules on single lines ------------------------------------------------------------------


def _byline(line: _Line, rules: BoilerplateRules) -> tuple[bool, str | None, bool]:
    """(is_byline, date, date_is_publication) for one line."""
    if len(line.text) > rules.byline_max_chars:
        return False, None, False
    folded = line.folded
    best: tuple[str | None, bool] = (None, False)
    found = False
    for m in rules.byline.finditer(folded):
        prefix = folded[:m.start()]
        # What precedes the first "publié le" must look like a credit (names, agency), not a
        # sentence: "Le rapport, publié le 3 mai" is body text.
        if not found and not _credit_prefix(prefix, line.text[:m.start()]):
            return False, None, False
        found = True
        iso = _date_from_match(m, rules.months)
        is_pub = m.group("pub") is not None
        if iso and (best[0] is None or (is_pub and not best[1])):
            best = (iso, is_pub)
    if found:
        rest = rules.byline.sub("", folded)
        rest = re.sub(r"\b(par|by)\b.*$", "", rest)
        if len(_words(rest)) <= 6:
            return True, best[0], best[1]
        return False, None, False
    field = _DATE_FIELD.match(folded)
    if field:  # "date 2022-06", "Date : 2022-06-14" (the head of a text file)
        year, month, day = field.group(1), int(field.group(2)), field.group(3)
        if 1 <= month <= 12 and (day is None or 1 <= int(day) <= 31):
            return True, f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else ""), True
    dated = _dated_credit(line, rules)
    if dated is not None:
        return True, dated, True
    if len(line.text) > 140 or not rules.author_line.match(folded):
        return False, None, False
    if _AUTHOR_NAMES.match(line.text):
        return True, None, False
    # "Par Jean Dupont - 12 mars 2021 à 10h15": names, then a date and nothing else
    m = rules.date_any.search(folded)
    names = folded[:m.start()] if m else folded
    rest = folded[m.end():] if m else ""
    if len(_words(names)) <= 8 and _credit_prefix(names, line.text) and len(_words(rest)) <= 3:
        iso = _date_from_match(m, rules.months) if m else None
        return True, iso, iso is not None
    return False, None, False


_DATE_FIELD = re.compile(
    r"^(?:date(?: de (?:publication|parution|mise en ligne))?|publication|parution|published)"
    r"\s*[:=]?\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
#: "Jean Dupont, le 12 mars 2021", "AFP - 12/03/2021", "Le 12/03/2021 à 10:15 par Jean Dupont":
#: a short line of names and one date, the names set off by a comma, a dash or a bar (a
#: caption, "Emmanuel Macron le 12 mars.", has neither).
DATED_CREDIT_MAX_CHARS = 100


def _dated_credit(line: _Line, rules: BoilerplateRules) -> str | None:
    """The date of a line made of a credit and a date only, else None."""
    text = line.text.rstrip()
    if len(text) > DATED_CREDIT_MAX_CHARS or text.endswith("."):
        return None
    folded = line.folded
    m = rules.date_any.search(folded)
    if m is None or m.group("rel"):
        return None
    before, after = folded[:m.start()].rstrip(), folded[m.end():].strip()
    after_ok = not after or (bool(re.match(r"(?:par|by)\b", after))
                             and len(_words(after)) <= 5)
    orig_after = text[len(text) - len(after):] if after else ""
    if after and not _credit_prefix(after, orig_after):
        return None
    if before in ("", "le", "the", "on"):
        ok = bool(after) and after_ok  # "Le 12/03/2021 par Jean Dupont"
    else:
        head = re.sub(r"\s*(?:,|-|–|—|\|)\s*(?:le|the|on)?$", "", before)
        ok = (head != before and after_ok and len(_words(head)) <= 6
              and _credit_prefix(head, text[:len(head)]))
    return _date_from_match(m, rules.months) if ok else None


_CREDIT_WORDS = frozenset({"article", "redige", "redigee", "ecrit", "ecrite", "auteur",
                           "auteurs", "par", "by", "avec", "with", "et", "and", "de", "du",
                           "des", "la", "le", "l", "the", "d", "a", "agence", "redaction",
                           "service", "services", "journaliste", "envoye", "envoyee", "special",
                           "speciale", "correspondant", "correspondante", "texte", "photos",
                           "photo", "video", "infographie", "source", "mis", "jour"})


def _credit_prefix(folded_prefix: str, original: str) -> bool:
    """True when the text before a byline date only holds names, agencies and connectors.

    ``original`` is the line (or its start) before folding, used for capitalisation.
    """
    if len(folded_prefix) > 90:
        return False
    fold_words = _words(folded_prefix)
    orig_words = _words(original)[:len(fold_words)]
    if len(orig_words) != len(fold_words):
        return False
    for o, f in zip(orig_words, fold_words, strict=True):
        if f in _CREDIT_WORDS or o[:1].isupper():
            continue
        return False
    return True


_TITLE_SEP = re.compile(r"\s+[|–—•·-]\s+|\s*::\s*")


def _title_keys(title: str | None) -> frozenset[str]:
    """Folded forms of a metadata title a headline line may have: the whole title and, for
    "Headline | Site | date" titles, the longest piece of three words or more."""
    if not title:
        return frozenset()
    keys = {_fold_edges(fold(title))}
    pieces = [p for p in _TITLE_SEP.split(title) if len(p.split()) >= 3]
    if pieces:
        keys.add(_fold_edges(fold(max(pieces, key=len))))
    keys.discard("")
    return frozenset(keys)


def _line_rule(line: _Line, rules: BoilerplateRules, title_key: frozenset[str],
               recurring: frozenset[str]) -> tuple[str | None, str | None]:
    """Pre-decision for one line: (reason, zone kind opened) or (None, None)."""
    text, core = line.text, line.core
    if _ONLY_PUNCT.match(text) or not _LETTER.search(text):
        return "separator", None  # "—", "95'", "1/4": no words
    if core in title_key:
        return "title", None
    if len(text) > SHORT_LINE_MAX_CHARS:
        if len(text) <= LONG_FURNITURE_MAX_CHARS:
            for reason, pattern in rules.chrome_long:
                if pattern.search(line.folded):
                    return reason, None
        return None, None
    if len(core) <= MARKER_MAX_CHARS:
        for kind, pattern in rules.zone_markers:
            if pattern.match(core):
                return f"{kind}_marker", kind
    if rules.credit_start.match(line.folded) and not _is_caption(line.folded, rules):
        return ("copyright" if line.folded[:1] in "©(" or line.folded.startswith("copyright")
                else "credit"), None
    if rules.agency_line.match(core.strip("()[] ")) or (line.folded.startswith("©")
                                                         and len(text) <= 120):
        return "agency_line", None
    if len(text) <= HEADLINE_MAX_CHARS and not text.rstrip().endswith(".") \
            and rules.credit_end.search(line.folded):
        return "caption", None  # a caption that ends with its credit
    for reason, pattern in rules.chrome_full:
        if pattern.match(core):
            return ("copyright" if reason == "legal" and core[:1] in "©(c" else reason), None
    quoted = bool(re.search(r"[\"«»“”]", text))
    for reason, pattern in rules.chrome_search:
        # a line that reads as reported speech is not furniture, but a "Lire aussi »" link
        # is recognised by its start whatever follows
        if (not quoted or reason == "related_link") and pattern.search(line.folded):
            return reason, None
    if rules.date_only.match(core):
        return "date_line", None
    if _is_breadcrumb(text):
        return "navigation", None
    if len(text) <= HEADLINE_MAX_CHARS and not _SENTENCE_END.search(text) \
            and _GLUED_CARD.search(text):
        return "related_link", None
    if recurring and _recurring_key(text) in recurring:
        return "recurring", None
    return None, None


# --- Body evidence --------------------------------------------------------------------------

_LETTER = re.compile(r"[^\W\d_]")


def _is_main(line: _Line) -> bool:
    """The page's main text according to trafilatura or the page's JSON-LD articleBody."""
    return "m" in line.flags or "j" in line.flags


def _layout_reason(line: _Line) -> str | None:
    """What the markup says of a line no text rule marked (flags: see htmlpage).  A line of
    the main text is body evidence, unless it is a short line of a furniture container (a
    box's heading and name list left in by trafilatura) or a headline that is all link (a
    link to another article left in the text)."""
    flags = line.flags
    if ("m" in flags or "j" in flags) and (line.sentence or "c" not in flags) and not (
            "l" in flags and not line.sentence and line.n_words > HEADLINE_MIN_WORDS
            and _headline_like(line)):
        return None
    if "r" in flags:
        return "comment_block"
    if "c" in flags:
        return "page_chrome"
    if "l" in flags:
        return "link_line"
    return None


def _body_value(line: _Line) -> int:
    """What a line says for (> 0) or against (< 0) being inside the article body."""
    reason = line.reason
    if reason == "separator" or not _LETTER.search(line.text):
        return 0  # "—", "95'", "1/3": neither prose nor furniture
    if reason is None:
        if _is_main(line):
            return max(len(line.text), BODY_MAIN_MIN_VALUE)
        return len(line.text) if line.sentence else -BODY_SHORT_COST
    if reason in _LIGHT:
        return -BODY_LIGHT_COST
    if reason == "comment_marker":
        return -BODY_COMMENT_COST
    if reason.endswith("_marker"):
        return -BODY_MARKER_COST
    return -BODY_FURNITURE_COST


def _body_span(lines: list[_Line]) -> tuple[int, int] | None:
    """First and last line of the article body, or None when the page has no running prose.

    The core is the segment of lines whose values (_body_value) have the largest sum
    (Kadane's algorithm).  Two pieces of position evidence weigh in: the first paragraph that
    follows a byline gets BODY_BYLINE_BONUS (the article starts under its byline; a column
    of teasers above it has none), and prose after a comment marker counts
    BODY_COMMENT_SHARE of its length until the next byline (readers' comments can outweigh a
    short article).  The core then takes in the lines no rule marked that touch it: the
    lede lines just before it (up to BODY_BACK_LINES) and the body's own end (a signature, a
    note, a last list), up to the first line of page furniture after it.
    """
    best = total = 0
    start = 0
    core: tuple[int, int] | None = None
    in_comments = False
    bonus_at = _first_paragraph_after_byline(lines)
    for i, line in enumerate(lines):
        value = _body_value(line)
        if line.reason == "comment_marker":
            in_comments = not _button(lines, i)
            if not in_comments:
                value = -BODY_MARKER_COST  # a button, not the head of a comment thread
        elif line.reason in ("byline", "title"):
            in_comments = False
        if value > 0 and in_comments:
            value = int(value * BODY_COMMENT_SHARE)
        if i == bonus_at:
            value += BODY_BYLINE_BONUS
        if total <= 0:
            total, start = value, i
        else:
            total += value
        if total > best:
            best, core = total, (start, i)
    if core is None:
        return None
    first, last = core
    # On an HTML page only lines of the main text extend the core: trafilatura already
    # judged the others.
    html = any(line.flags for line in lines)
    back = first
    while back > 0 and lines[back - 1].reason is None and first - back < BODY_BACK_LINES:
        back -= 1
    # lines between the article's header (byline, date) and its prose are its lede; other
    # unmarked lines there only when they read as sentences (a menu does not)
    header_end = back == 0 or lines[back - 1].reason in ("byline", "date_line")
    if (header_end or all(lines[k].sentence for k in range(back, first))) and (
            not html or header_end or all(_is_main(lines[k]) for k in range(back, first))):
        first = back
    end = last
    while end + 1 < len(lines) and lines[end + 1].reason in (None, "separator") \
            and (not html or _is_main(lines[end + 1]) or lines[end + 1].reason):
        end += 1
    # ... and its end, up to the first furniture, but not a list of headlines with no
    # sentence after it (links to other articles the page did not mark)
    last_sentence = max((j for j in range(last + 1, end + 1) if lines[j].sentence),
                        default=last)
    k = last + 1
    while k <= end:
        if k > last_sentence and _headline_like(lines[k]) and k + 1 <= end \
                and _headline_like(lines[k + 1]):
            break
        k += 1
    return first, k - 1


_CREDITS = frozenset({"credit", "copyright", "agency_line"})
#: Zones opened by a button of the page (not by a list of other articles).
_BUTTON_ZONES = frozenset({"comment", "share", "newsletter", "app_promo"})
#: Zones after which the article may go on (a share bar, a newsletter box).
_OPEN_ZONES = frozenset({"share", "newsletter", "app_promo", "related", "partner"})
#: Lines not counted in the title window.
_SKIPPED_BEFORE_TITLE = frozenset({"navigation", "separator", "share", "legal", "recurring"})
#: Reasons of the lines that may precede a headline that opens the file.
_OPENERS = frozenset({"site_name", "separator", "byline", "date_line", "credit"})
#: Before the body, an unmarked paragraph after the title is the lede when it shares this much
#: of its topic words with the body's opening.
LEAD_MIN_SIMILARITY = 0.3


def _captioned(lines: list[_Line], i: int) -> bool:
    """Line ``i``, a short one, is followed by a photo credit (maybe after a "1/4" picture
    counter): the picture's caption."""
    if len(lines[i].text) > CAPTION_MAX_CHARS:
        return False
    k = i + 1
    while k < len(lines) and k <= i + 2 and not _LETTER.search(lines[k].text):
        k += 1
    return k < len(lines) and lines[k].reason in _CREDITS


def _resumes_body(lines: list[_Line], i: int, first: int, last: int, title_at: int | None,
                  running: set[str], stop: frozenset[str]) -> bool:
    """Is paragraph ``i``, outside the body span, article body all the same?

    Before the span: a paragraph after the title that shares LEAD_MIN_SIMILARITY of its topic
    words with the body (a lede cut off by a photo and a share bar).  After it: an on-topic
    paragraph that reads as body, not as a teaser (see _continues_body), not an appended wire
    story.
    """
    line = lines[i]
    if _is_main(line) and line.sentence:
        return True  # HTML: trafilatura or the JSON-LD body holds it
    sim = _similarity(_line_topic(line, stop), running)
    if i < first:
        # a lede: a sentence right under the headline, or a paragraph on the body's topic
        # further on (cut off from the body by a photo and a share bar)
        if (title_at is not None and title_at >= i) or first - i > TITLE_WINDOW_LINES:
            return False
        if _captioned(lines, i):
            return False
        if title_at is not None and line.sentence and sum(1 for k in range(title_at + 1, i)
                                 if lines[k].reason is None) < 2:
            return True  # the standfirst under the headline
        return line.prose and sim >= LEAD_MIN_SIMILARITY
    if not line.prose:
        return False
    return (sim >= ZONE_RESUME_SIMILARITY and not _DATELINE.match(line.text)
            and _continues_body(lines, i, last))


def _button(lines: list[_Line], i: int) -> bool:
    """Marker ``i`` is a button ("Réagir", "12 commentaires" in a share bar) rather than the
    head of a section: running prose follows it at once (a comment thread starts with a
    name, a date or a form)."""
    k = i + 1
    while k < len(lines) and lines[k].reason in ("separator", "navigation", "share",
                                                   "share_marker", "comment_marker"):
        k += 1
    return k < len(lines) and lines[k].reason is None and lines[k].sentence


def _opening(lines: list[_Line], first: int, last: int,
             stop: frozenset[str]) -> tuple[int | None, set[str]]:
    """The body's first paragraph from ``first`` on, and the topic words of its first
    paragraphs (up to REFERENCE_MAX_WORDS / REFERENCE_MAX_PARAGRAPHS)."""
    reference: set[str] = set()
    opening: int | None = None
    n_ref = n_par = 0
    for i in range(first, last + 1):
        line = lines[i]
        if line.reason is None and (line.prose or line.sentence) and not _captioned(lines, i):
            if opening is None:
                opening = i
            words = _line_topic(line, stop)
            reference.update(words)
            n_ref += len(words)
            n_par += 1
            if n_ref >= REFERENCE_MAX_WORDS or n_par >= REFERENCE_MAX_PARAGRAPHS:
                break
    return opening, reference


def _first_paragraph_after_byline(lines: list[_Line]) -> int | None:
    """The first running-prose line that follows a byline with only dates, credits, captions
    and buttons between (the article's first paragraph on most pages)."""
    for i, line in enumerate(lines):
        if line.reason != "byline":
            continue
        for k in range(i + 1, min(len(lines), i + 1 + BYLINE_WINDOW_LINES)):
            other = lines[k]
            if other.reason is None and other.sentence:
                return k
            if other.reason is None or other.reason.endswith("_marker") \
                    and other.reason not in ("share_marker", "comment_marker"):
                break
    return None


def _headline_like(line: _Line) -> bool:
    """A line shaped like an article's headline (a title candidate)."""
    text = line.text.rstrip()
    return (HEADLINE_MIN_WORDS <= line.n_words <= 30 and len(text) <= HEADLINE_MAX_CHARS
            and not text.endswith((".", ":", ";", ",", "|", "...", "…"))
            and bool(_LOWER_WORD.search(text)))


def _find_title(lines: list[_Line], body_start: int, reference: frozenset[str],
                stop: frozenset[str]) -> int | None:
    """Index of the page's headline: among the headline-shaped lines of the
    TITLE_WINDOW_LINES before the body, the nearest one that shares TITLE_MIN_OVERLAP of its
    topic words with the body's opening, else the nearest one."""
    nearest: int | None = None
    seen = 0
    for i in range(body_start - 1, -1, -1):
        line = lines[i]
        if line.reason in _SKIPPED_BEFORE_TITLE:
            continue  # menus do not count in the window
        seen += 1
        if seen > TITLE_WINDOW_LINES:
            break
        if line.reason not in (None, "ticker", "duplicate") or not _headline_like(line):
            continue
        if _BULLET.match(line.text) or _is_tag_line(line.text):
            continue
        if _captioned(lines, i):
            continue
        if nearest is None and line.reason is None:
            nearest = i
        if _similarity(_line_topic(line, stop), reference) >= TITLE_MIN_OVERLAP:
            return i
    return nearest


def _is_tag_line(text: str) -> bool:
    """"Santé, alimentation, Ventre plat": a list of capitalised keywords, not a headline."""
    parts = [p.strip() for p in text.split(",")]
    return len(parts) >= 3 and all(0 < len(p.split()) <= 4 for p in parts)


_PICTURE_WORD = re.compile(r"^(?:photos?|illustrations?|images?)\s?:\s?")


def _is_caption(folded: str, rules: BoilerplateRules) -> bool:
    """"Photo : habitacle de la berline" (a caption) rather than "Photo : J. Dupont / AFP"."""
    m = _PICTURE_WORD.match(folded)
    if not m:
        return False
    words = _words(folded[m.end():].replace("'", " "))
    return sum(w in rules.caption_words for w in words) >= 2


# --- Passes over the page ------------------------------------------------------------------


def _continues_body(lines: list[_Line], i: int, zone_start: int) -> bool:
    """Can paragraph ``i`` (on topic, inside a zone) be article body rather than a teaser?

    Teasers of other articles alternate with their headlines; body paragraphs come in runs.
    So: the next line is a paragraph too, or it is long enough that no teaser is
    (ZONE_RESUME_MIN_CHARS), or it directly follows a marker that names no other article
    ("Partager", "Réagir": a button bar inside the article, not "A lire aussi").
    """
    if len(lines[i].text) >= ZONE_RESUME_MIN_CHARS:
        return True
    prev = next((k for k in range(i - 1, zone_start, -1) if lines[k].reason != "separator"),
                zone_start)
    if prev == zone_start and lines[zone_start].reason not in ("related_marker",
                                                              "partner_marker"):
        return True
    nxt = i + 1
    return nxt < len(lines) and lines[nxt].prose and lines[nxt].reason is None


def _keep_subheading(lines: list[_Line], i: int, zone_start: int) -> None:
    """When the body resumes at ``i``, a short heading just before it (not the first line of
    the zone, which is the linked headline) is the body's subheading: keep it."""
    j = i - 1
    if j > zone_start + 1 and lines[j].reason and lines[j].reason.endswith("_zone") \
            and not lines[j].prose and not _SENTENCE_END.search(lines[j].text) \
            and lines[j].n_words <= SUBHEADING_MAX_WORDS and " : " not in lines[j].text \
            and lines[j - 1].reason and lines[j - 1].reason.endswith("_zone"):
        lines[j].kept, lines[j].reason = True, "content"


def _mark_tickers(lines: list[_Line]) -> None:
    """Headline + date pairs (at least TICKER_MIN_PAIRS) and time-prefixed headline runs."""
    pairs: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if line.reason != "date_line":
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and _headline(lines[j]):
                pairs.append((i, j))
                break
    if len(pairs) >= TICKER_MIN_PAIRS:
        for i, j in pairs:
            lines[i].reason = lines[j].reason = "ticker"
    timed = [i for i, line in enumerate(lines)
             if line.reason is None and _TIME_PREFIX.match(line.text)
             and len(line.text) <= HEADLINE_MAX_CHARS and not line.text.rstrip().endswith(".")]
    if len(timed) >= TICKER_MIN_PAIRS:
        for i in timed:
            lines[i].reason = "ticker"


def _headline(line: _Line) -> bool:
    """A line that can be the headline of another article (in a ticker or a list)."""
    return (line.reason is None and len(line.text) <= HEADLINE_MAX_CHARS
            and line.n_words >= HEADLINE_MIN_WORDS
            and (not line.prose or line.text.rstrip().endswith(("...", "…")))
            and not line.text.rstrip().endswith((":", ";", ",")))


def _mark_link_lists(lines: list[_Line]) -> None:
    """Runs of two or more bulleted headlines ("- Titre d'un autre article")."""
    run: list[int] = []
    for i, line in enumerate([*lines, None]):
        ok = (line is not None and line.reason is None and _BULLET.match(line.text)
              and len(line.text) <= HEADLINE_MAX_CHARS and line.n_words >= HEADLINE_MIN_WORDS + 1
              and not re.search(r"[.;:,]\s*$|[-–—]\s*$", line.text))
        if ok:
            run.append(i)
            continue
        if len(run) >= 2:
            for k in run:
                lines[k].reason = "link_list"
        run = []


_NAV_LIKE = frozenset({"navigation", "date_line", "ticker", "share", "separator", "legal"})


def _mark_navigation(lines: list[_Line]) -> None:
    """Runs of short verbless lines, repeated labels, and labels squeezed between menus."""
    counts: dict[str, int] = {}
    for line in lines:
        if line.label:
            line.label_key = line.core
            counts[line.core] = counts.get(line.core, 0) + 1
    for line in lines:
        if line.reason is None and line.label \
                and counts.get(line.label_key, 0) >= LABEL_MIN_REPEATS:
            line.reason = "navigation"
    run: list[int] = []
    for i, line in enumerate([*lines, None]):
        if line is not None and (line.label and line.reason in (None, *_NAV_LIKE)
                                 or line.reason in ("navigation", "date_line", "ticker")):
            run.append(i)
            continue
        if len(run) >= NAV_MIN_RUN:
            for k in run:
                if lines[k].reason is None:
                    lines[k].reason = "navigation"
        run = []
    for _ in range(2):
        for i, line in enumerate(lines):
            if line.reason is not None or not line.label:
                continue
            prev = lines[i - 1].reason if i > 0 else "edge"
            nxt = lines[i + 1].reason if i + 1 < len(lines) else "edge"
            if (prev in _NAV_LIKE or prev == "edge") and (nxt in _NAV_LIKE or nxt == "edge") \
                    and not (prev == "edge" and nxt == "edge"):
                line.reason = nxt if prev == "edge" else prev
                if line.reason == "date_line":
                    line.reason = "navigation"


def _mark_duplicates(lines: list[_Line]) -> None:
    """Exact repeats of an earlier line and truncated teaser copies of another line."""
    seen: set[str] = set()
    by_prefix: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if len(line.folded) >= DUPLICATE_PREFIX_MIN_CHARS:
            by_prefix.setdefault(line.folded[:DUPLICATE_PREFIX_MIN_CHARS], []).append(i)
    for i, line in enumerate(lines):
        key = line.core or line.folded
        if line.reason in (None, "title") and key and key in seen and line.n_words >= 4:
            line.reason = "duplicate"
        if key:
            seen.add(key)
        if line.reason is not None or len(line.folded) < DUPLICATE_PREFIX_MIN_CHARS:
            continue
        stem = line.folded.rstrip(".… ").rstrip()
        for j in by_prefix.get(line.folded[:DUPLICATE_PREFIX_MIN_CHARS], ()):
            other = lines[j].folded
            if j != i and len(other) > len(line.folded) and other.startswith(stem):
                line.reason = "duplicate"
                break


# --- Publication date -----------------------------------------------------------------------


def _publication_date(lines: list[_Line], byline_dates: list[tuple[int, str, bool]],
                      opening: int | None, title_at: int | None, meta: str | None,
                      rules: BoilerplateRules) -> tuple[str | None, str | None]:
    """(published, published_from) of an article.

    Only the article's own header counts: bylines and date lines from its title (or
    TITLE_WINDOW_LINES before its first paragraph) to the end of the body, nearest to the
    first paragraph first; dates in sidebars and related lists are other articles' dates.
    Order of trust: a publication byline ("Publié le"), the page's metadata, a date line of
    the header, a modification byline ("Mis à jour le", which is not the publication date
    but the best left).  A byline without a year takes the metadata's year when day and
    month agree.
    """
    anchor = opening if opening is not None else len(lines)
    low = title_at if title_at is not None and title_at < anchor \
        else max(0, anchor - TITLE_WINDOW_LINES)
    high = max(anchor, max((i for i, ln in enumerate(lines) if ln.kept), default=anchor))
    # a byline signed under the body ("Publié le 12 mars 2021 par ...") before anything else
    for k in range(high + 1, min(len(lines), high + 1 + BYLINE_WINDOW_LINES)):
        if (lines[k].reason or "").endswith("_marker") or lines[k].reason is None:
            break
        if lines[k].reason == "byline":
            high = k

    def order(i: int) -> tuple[bool, int]:
        return i > anchor, abs(anchor - i)

    own = sorted((b for b in byline_dates if low <= b[0] <= high), key=lambda b: order(b[0]))
    pub = [iso for _, iso, is_pub in own if is_pub]
    upd = [iso for _, iso, is_pub in own if not is_pub]
    header: list[str] = []
    for i in sorted(range(low, min(high + 1, len(lines))), key=order):
        if lines[i].reason == "date_line":
            m = rules.date_any.search(lines[i].folded)
            iso = _date_from_match(m, rules.months) if m else None
            if iso:
                header.append(iso)
    for found, source in ((pub, "byline"), ([meta] if meta else [], "metadata"),
                          (header, "byline"), (upd, "byline")):
        if not found:
            continue
        iso = found[0]
        if source != "metadata" and meta and re.match(r"\d{4}-", meta) and (
                (iso.startswith("XXXX") and meta[4:10] == iso[4:10])
                or (len(iso) < len(meta) and meta.startswith(iso))):
            return meta, "metadata"  # the same date, with the year or the day it lacked
        if source != "metadata" and iso.startswith("XXXX") and meta and not pub:
            continue  # a day-month date that is not the metadata's: trust the metadata
        return iso, source
    return None, None


# --- Public API -------------------------------------------------------------------------------


def _recurring_key(line: str) -> str:
    return _fold_edges(fold(line))


def recurring_lines(texts: Iterable[str], min_docs: int = RECURRING_MIN_DOCS,
                    min_share: float = RECURRING_MIN_SHARE) -> frozenset[str]:
    """Normalised short lines that recur in many articles of one corpus (a boilerplate signal).

    One pass over the texts; each line is counted once per article.  A line is returned when
    it occurs in at least ``max(min_docs, ceil(min_share * n_articles))`` articles.  Lines
    longer than RECURRING_MAX_CHARS are ignored.  Pass the result to :func:`clean`.
    """
    counts: dict[int, int] = {}
    keys: dict[int, str] = {}
    n_docs = 0
    for text in texts:
        n_docs += 1
        seen: set[int] = set()
        for piece in text.split("\n"):
            piece = piece.strip()
            if not piece or len(piece) > RECURRING_MAX_CHARS:
                continue
            if len(piece.split()) > RECURRING_MAX_WORDS and piece.rstrip().endswith("."):
                continue  # a sentence of the body shared by several articles (wire copy)
            key = _recurring_key(piece)
            if not key:
                continue
            h = hash(key)
            if h in seen:
                continue
            seen.add(h)
            c = counts.get(h, 0) + 1
            counts[h] = c
            if c == 2:
                keys[h] = key
    threshold = max(min_docs, math.ceil(min_share * n_docs), 2)
    return frozenset(keys[h] for h, c in counts.items() if c >= threshold)


def clean(doc: SourceDoc, recurring: frozenset[str] = frozenset(),
          rules: BoilerplateRules | None = None) -> CleanDoc:
    """Split ``doc.raw_text`` into line blocks, decide kept/dropped with a reason, find metadata.

    ``recurring`` comes from :func:`recurring_lines` over the same corpus.  Documents whose
    status is not ok pass through with an empty ``text_clean``.
    """
    rules = rules or load_rules()
    out = CleanDoc(article_id=doc.article_id, source=doc.source, text_clean="",
                   title=doc.title, published=doc.published,
                   published_from="metadata" if doc.published else None,
                   n_chars_raw=len(doc.raw_text or ""), status=doc.status, error=doc.error,
                   url=doc.url)
    if doc.status != STATUS_OK or not doc.raw_text:
        out.published = doc.published
        return out
    lines = _split(doc.raw_text)
    title_key = _title_keys(doc.title)
    if doc.layout:
        for line in lines:
            line.flags = doc.layout.get(line.start, "")

    # 1. line rules and bylines
    byline_dates: list[tuple[int, str, bool]] = []
    opened: dict[int, str] = {}
    for i, line in enumerate(lines):
        is_by, iso, is_pub = _byline(line, rules)
        if is_by:
            line.reason = "byline"
            if iso:
                byline_dates.append((i, iso, is_pub))
            continue
        reason, zone = _line_rule(line, rules, title_key, recurring)
        if reason is None and line.flags:
            reason = _layout_reason(line)
        line.reason = reason
        if zone:
            opened[i] = zone

    # 2. layout passes
    _mark_tickers(lines)
    _mark_link_lists(lines)
    _mark_navigation(lines)
    _mark_duplicates(lines)

    # 3. site name, body evidence, opening paragraphs, title
    if lines and lines[0].reason is None and lines[0].n_words <= 3 and len(lines[0].text) <= 40 \
            and not re.search(r"[.,;:!?]", lines[0].text) and len(lines) > 1:
        lines[0].reason = "site_name"
    stop = rules.stopwords
    span = _body_span(lines)
    first, last = span if span is not None else (len(lines), len(lines) - 1)
    # the article's first paragraph: the one under its byline when the span holds it
    anchor = _first_paragraph_after_byline(lines)
    start = anchor if anchor is not None and first <= anchor <= last else first
    opening, reference = _opening(lines, start, last, stop)
    title = doc.title
    title_at = next((i for i, ln in enumerate(lines) if ln.reason == "title"), None)
    if title_at is not None:
        title = lines[title_at].text  # the headline as the page shows it
    else:
        title_at = _find_title(lines, opening if opening is not None else len(lines),
                               frozenset(reference), stop)
        if title_at is not None:
            lines[title_at].reason = "title"
            title = title or lines[title_at].text
    if title_at is not None and first < title_at < last and all(
            _similarity(_line_topic(lines[k], stop), reference) < ZONE_RESUME_SIMILARITY
            for k in range(first, title_at) if lines[k].reason is None and lines[k].sentence):
        # the span ran over a column of teasers above the headline: the article starts there
        first = title_at + 1
    start = anchor if anchor is not None and first <= anchor <= last else first
    opening, reference = _opening(lines, start, last, stop)
    if title:
        reference.update(_topic_words(title, stop))
    ref = frozenset(reference)
    # The headline is body text when it opens the file (an article saved as text); on a page
    # it is the page's heading, reported as ``title`` and left out of the body.
    title_kept = title_at is not None and all(
        lines[k].reason in _OPENERS for k in range(title_at))

    # 4. sequential decisions: the body span, zones, wire stories, topic drift.  The topic
    # reference grows with every kept line, so a paragraph is compared with the opening and
    # the body so far.
    running = set(ref)
    zone: str | None = None
    zone_start = -1
    sticky = False  # the zone is the page's comment section
    body_started = interrupted = resumed = False
    body_chars = 0  # characters of body prose kept so far
    furniture_run = 0  # structural lines dropped since the last kept paragraph
    for i, line in enumerate(lines):
        reason = line.reason
        inside = first <= i <= last or resumed
        if reason == "title":
            line.kept = i == title_at and title_kept
            zone = None if not sticky else zone
            continue
        if reason == "byline":
            zone = None if not sticky else zone
            continue
        if reason is not None and reason != "separator" and i > last:
            resumed = False  # a body resumed after the span ends at the next furniture
        if i in opened and reason and reason.endswith("_marker"):
            if not sticky:
                zone, zone_start = opened[i], i
                sticky = zone == "comment" and body_started and (
                    body_chars >= COMMENT_STICKY_MIN_CHARS or not _button(lines, i))
            continue
        if reason is None and opening is not None and i < opening and _captioned(lines, i):
            line.reason = "caption"  # the picture above the article, with its credit
            continue
        if i == opening:  # the article's first paragraph: body, whatever zone came before
            line.kept, line.reason, zone, body_started = True, "content", None, True
            sticky = False
            running.update(_line_topic(line, stop))
            body_chars += len(line.text)
            continue
        if reason is None and not inside:
            # before the body a header button ("Réagir", "Partager") opens no real zone;
            # after it, share and subscription boxes do not end the page's text either
            free = zone is None or zone in _OPEN_ZONES or (zone == "comment" and not sticky) \
                or (i < first and zone not in ("related", "partner"))
            if not (free and _resumes_body(lines, i, first, last, title_at, running, stop)):
                line.reason = (f"{zone}_zone" if zone else
                               "header" if i < first else "after_body")
                continue
            resumed = i > last
        if line.prose and reason is None:
            words = _line_topic(line, stop)
            sim = _similarity(words, running)
            if _DATELINE.match(line.text) and sim < WIRE_MAX_SIMILARITY:
                line.reason = "wire_story"
                interrupted = interrupted or body_started
                continue
            if zone is not None:
                # at the top of the body, a button bar ("Réagir", "Partager") names no
                # other article: a run of paragraphs after it is the body whatever its words
                button = inside and zone in _BUTTON_ZONES \
                    and body_chars < COMMENT_STICKY_MIN_CHARS
                if not sticky and (button or sim >= ZONE_RESUME_SIMILARITY) \
                        and _continues_body(lines, i, zone_start):
                    line.kept, zone, interrupted, body_started = True, None, False, True
                    line.reason = "content"
                    running.update(words)
                    body_chars += len(line.text)
                    _keep_subheading(lines, i, zone_start)
                else:
                    line.reason = f"{zone}_zone"
                continue
            if interrupted and sim < DRIFT_MAX_SIMILARITY:
                line.reason = "topic_drift"
                continue
        if zone is not None and reason is None:
            line.reason = f"{zone}_zone"
            continue
        if reason is None:
            line.kept, line.reason = True, "content"
            running.update(_line_topic(line, stop))
            if line.prose:
                body_started, interrupted, furniture_run = True, False, 0
                body_chars += len(line.text)
        elif reason in _STRUCTURAL and body_started:
            furniture_run += 1
            interrupted = interrupted or furniture_run >= NAV_MIN_RUN

    # a short headline right before an appended wire story belongs to it
    for i in range(1, len(lines)):
        prev = lines[i - 1]
        if lines[i].reason == "wire_story" and prev.kept and not prev.prose \
                and prev.reason == "content":
            prev.kept, prev.reason = False, "wire_story"

    # 5. metadata
    published, published_from = _publication_date(lines, byline_dates, opening, title_at,
                                                  doc.published, rules)

    out.blocks = [Block(block_index=k, start=ln.start, end=ln.end, kept=ln.kept,
                        reason=ln.reason or "content") for k, ln in enumerate(lines)]
    out.text_clean = "\n".join(ln.text for ln in lines if ln.kept)
    out.n_chars_clean = len(out.text_clean)
    out.title = title
    out.published, out.published_from = published, published_from
    language = detect_language(out.text_clean)
    if language is not None and language != "fr":
        out.status = STATUS_SKIPPED
        out.error = (f"not French (detected language: {language}); only French articles are "
                     "processed")
    return out


#: Shortest body (characters) whose language is judged: shorter texts (a title, a caption)
#: are too short for a reliable guess and are processed.
LANGUAGE_MIN_CHARS = 200
#: Probability (normalised, 0-1) a language other than French needs before an article is
#: skipped.  French articles quoting English sentences score below 0.5 for English on the
#: dev pages; English, German and Spanish articles score above 0.99.
LANGUAGE_MIN_PROB = 0.9


@functools.cache
def _language_identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), or None when the text is too short
    or the guess not confident enough to act on."""
    if len(text) < LANGUAGE_MIN_CHARS:
        return None
    language, prob = _language_identifier().classify(text[:5000])
    return language if prob >= LANGUAGE_MIN_PROB else None
