"""The dates stage: French temporal expressions -> ISO prefix + granularity.

``find_dates`` scans a text with one precompiled regular expression built from the word lists in
``models/dates.yaml`` and turns each match into a :class:`~souverain_nlp.records.DateMention`.
A match is ``[role marker] [preposition] [part-of-period word] [determiner] core [relative word]``,
for instance "d'ici | la fin de | l' | année", "en | début | septembre 2020" or
"le | 12 août | dernier"; the whole match is the mention's span.

Values are ISO prefixes that never claim more precision than the text gives (the evaluation
counts a value right when it starts with the gold value):

- day: "2020-08-12"; month: "2020-09"; year: "2020"; decade: "201" (the 2010s, the ISO prefix
  every year of the decade shares).
- A part-of-period word keeps the value of its period: "début septembre 2020" -> "2020-09"
  (month), "fin 2020" -> "2020" (year), "mi-2020" -> "2020" (year).
- Seasons, quarters and halves are given as their year ("au printemps 2020" -> "2020",
  granularity season; "au premier trimestre 2021" -> "2021", granularity quarter).  A winter
  is labelled by the year of its January ("l'hiver dernier" in October 2020 -> "2020").
- A week ("la semaine dernière", "ce week-end") is given as the month when its Monday and
  Sunday fall in the same month, else as the year of its Thursday (the ISO week rule).
- A day range within one month ("les 16 et 17 septembre") is given as that month.

Anchoring on the reference date (the publication date), ``relative=True`` when it was used.
The conventions are those of the gold sets for the date of a deal ("jeudi" is the latest
Thursday on or before the reference, "en mai" the latest May not after it); a date its clause
tells as planned ("le lancement est prévu en décembre", "il signera jeudi", "Jeudi, le groupe
signera"; cue words in ``tense`` of ``models/dates.yaml``) is resolved forward instead, like
one after a target or range-end marker, and marked ``future``:

- A day and month without a year: the most recent such day on or before the reference, or a
  day at most ``FORWARD_WINDOW_DAYS`` after it ("le 11 mai" in an article of 5 May 2020 is
  2020-05-11); with "dernier" strictly the most recent on or before the reference; with
  "prochain" the next one after it; after a target or range-end marker ("d'ici le 15 juin")
  or when planned, the next one on or after it.  With a weekday ("mardi 4 octobre") the year
  must make that day that weekday: the nearest such year around the reference, else the year
  stays unknown ("XXXX-10-04").
- A month without a year: the most recent such month (the reference's own month included);
  "prochain", target and range-end markers and plans look forward instead ("prévu en
  décembre" in September 2020 -> 2020-12).
- A weekday: the most recent such day on or before the reference ("mardi" on a Tuesday is that
  day); "jeudi dernier" is strictly before; "lundi prochain" strictly after; after a target or
  range-end marker or when planned, on or after.  "ce mardi" is the nearest Tuesday (the
  reference's week has it within three days), the latest one when the clause is in a past
  tense ("a signé ce mardi").  "la nuit de mardi à mercredi" is the Tuesday.
- A season without a year: the latest one begun, as for a month ("au printemps" in January
  2021 -> 2020); "cet été" the nearest ("cet été" in May 2020 -> 2020); "dernier" the last one
  over; "prochain" the next to start; a target or a plan: the one under way, else the next.
- A quarter or half without a year: the most recent one started; "dernier"/"prochain" shift.
- "la semaine/le mois/l'an(née) dernier/prochain", "cette année", "ce mois-ci", "hier",
  "aujourd'hui", "il y a deux ans" ... from the reference.
- "depuis" always looks back, whatever the tense ("mises en oeuvre depuis le 17 mars").

A reference with an unknown year ("XXXX-06-04", a dateline without a year) gives values with
an unknown year: each relative expression is resolved with the reference in every year of a
28-year cycle and kept only when all agree once the year is masked: "le 12 mai" ->
"XXXX-05-12", "en mai" -> "XXXX-05", "hier" -> "XXXX-06-03", "cette année" and "l'an dernier"
-> "XXXX"; "jeudi", "la semaine dernière" (whose days depend on the year) get no value.

Without a reference, a day or month without a year gets the year "XXXX" ("XXXX-06-04"); the
expressions that only make sense relative to a date (weekdays, "hier", "l'an dernier",
seasons and quarters without a year) are skipped.

``future`` is True when the mention begins after the reference, is told as planned, or says
"prochain": never the date of a deal already made.

Roles come from the marker before the date: ``target`` ("d'ici", "à l'horizon", "avant",
"au plus tard"), ``range_end`` ("jusqu'en", "jusqu'à"), ``range_start`` ("depuis",
"à partir de", "à compter de", "dès"); two bare years joined by a dash or slash ("la période
2020-2024") are a range_start and a range_end; ``point`` otherwise.  A year right after a
capitalised word inside a sentence belongs to a name ("le Club de Paris 2024", "l'Euro 2016")
and is no date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .records import DateMention
from .settings import DEFAULT_MODELS_DIR

__all__ = [
    "DateRulesError",
    "DateRules",
    "FORWARD_WINDOW_DAYS",
    "find_dates",
    "infer_reference",
    "load_date_rules",
    "normalise_published",
    "to_date",
]

#: A day-month date without a year may lie this many days after the reference: news reports
#: announce the coming days ("le 11 mai" in an article of 5 May) far more often than they
#: recall the same day one year earlier.  Kept small because an inferred reference (the end
#: of the latest month mentioned) can itself lie a few weeks after the true publication date.
FORWARD_WINDOW_DAYS = 7

#: Longest text given to the matcher in one piece; longer inputs are scanned in windows of this
#: size (split at a line break or space) so that a pathological input cannot stall the regex.
_MAX_CHUNK = 20_000

#: Characters looked at on each side of a date to decide whether it is told in the future tense
#: (``infer_reference``): about one clause.
_TENSE_WINDOW_BEFORE = 70
_TENSE_WINDOW_AFTER = 50

_ROLES = ("target", "range_end", "range_start")
_TENSE_KEYS = ("planned", "past", "not_past_before", "not_planned_after", "not_future")
_GRANULARITIES = ("day", "week", "month", "season", "quarter", "half", "year", "decade")


class DateRulesError(ValueError):
    """The date rule file is missing, malformed or inconsistent (the message names the file)."""


# --------------------------------------------------------------------------------------------
# Rule data
# --------------------------------------------------------------------------------------------


def _norm(word: str) -> str:
    """Lookup key of a matched word: lower case, one apostrophe, one hyphen, single spaces."""
    word = word.lower().replace("’", "'").replace("ʼ", "'")
    word = re.sub(r"[‐‑‒–]", "-", word)
    word = re.sub(r"\s*-\s*", "-", word)
    return re.sub(r"\s+", " ", word).strip()


@dataclass(frozen=True)
class DateRules:
    """The validated content of ``models/dates.yaml`` plus the regular expression built on it."""

    path: Path
    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, tuple[int, int]]
    ordinals: dict[str, int]
    period_parts: tuple[str, ...]
    prepositions: tuple[str, ...]
    bare_month_prepositions: frozenset[str]
    roles: dict[str, tuple[str, ...]]
    rel_past: frozenset[str]
    rel_future: frozenset[str]
    rel_current: frozenset[str]
    day_words: dict[str, int]
    numbers: dict[str, int]
    decade_words: dict[str, int]
    role_of: dict[str, str]
    pattern: re.Pattern[str]
    not_year_after: re.Pattern[str]
    not_year_before: re.Pattern[str]
    year_after_name_ok: frozenset[str]
    planned_cue: re.Pattern[str]  # listed words and future-tense endings (group "ending")
    past_cue: re.Pattern[str]
    not_planned_after: re.Pattern[str]
    not_future: frozenset[str]


def _fail(path: Path, line: int | None, message: str) -> DateRulesError:
    where = f"{path}:{line}" if line is not None else str(path)
    return DateRulesError(f"{where}: {message}")


def _key_lines(path: Path, text: str) -> dict[str, int]:
    """1-based line of every top-level key (for error messages)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:  # pragma: no cover - reported by safe_load first
        raise _fail(path, None, f"invalid YAML: {exc}") from exc
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, _value in node.value:
            lines[str(key.value)] = key.start_mark.line + 1
    return lines


def _validate(path: Path, data: Any, lines: dict[str, int]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _fail(path, None, "expected a mapping at the top level")
    if data.get("version") != 1:
        raise _fail(path, lines.get("version"), "expected 'version: 1'")

    def mapping(key: str, lo: int, hi: int) -> dict[str, int]:
        value = data.get(key)
        if not isinstance(value, dict) or not value:
            raise _fail(path, lines.get(key), f"'{key}' must be a non-empty mapping")
        out: dict[str, int] = {}
        for word, number in value.items():
            if not isinstance(number, int) or isinstance(number, bool) or not lo <= number <= hi:
                raise _fail(
                    path, lines.get(key), f"'{key}': value of {word!r} must be an int {lo}-{hi}"
                )
            out[_norm(str(word))] = number
        return out

    def words(key: str, value: Any = None) -> tuple[str, ...]:
        value = data.get(key) if value is None else value
        if not isinstance(value, list) or not value:
            raise _fail(path, lines.get(key.split(".")[0]), f"'{key}' must be a non-empty list")
        for word in value:
            if not isinstance(word, str) or not word.strip():
                raise _fail(path, lines.get(key.split(".")[0]), f"'{key}': {word!r} is not a word")
        return tuple(_norm(w) for w in value)

    seasons_raw = data.get("seasons")
    if not isinstance(seasons_raw, dict) or not seasons_raw:
        raise _fail(path, lines.get("seasons"), "'seasons' must be a non-empty mapping")
    seasons: dict[str, tuple[int, int]] = {}
    for word, span in seasons_raw.items():
        if (
            not isinstance(span, list)
            or len(span) != 2
            or not all(isinstance(m, int) and 1 <= m <= 12 for m in span)
        ):
            raise _fail(
                path, lines.get("seasons"), f"'seasons': {word!r} needs [first month, last month]"
            )
        seasons[_norm(str(word))] = (span[0], span[1])

    roles_raw = data.get("roles")
    if not isinstance(roles_raw, dict) or set(roles_raw) != set(_ROLES):
        raise _fail(path, lines.get("roles"), f"'roles' must have exactly the keys {_ROLES}")
    rel_raw = data.get("relative_after")
    if not isinstance(rel_raw, dict) or set(rel_raw) != {"past", "future", "current"}:
        raise _fail(
            path, lines.get("relative_after"), "'relative_after' needs past, future and current"
        )
    tense_raw = data.get("tense")
    if not isinstance(tense_raw, dict) or set(tense_raw) != set(_TENSE_KEYS):
        raise _fail(path, lines.get("tense"), f"'tense' must have exactly the keys {_TENSE_KEYS}")
    day_words = data.get("day_words")
    if not isinstance(day_words, dict) or not all(
        isinstance(v, int) and -7 <= v <= 7 for v in day_words.values()
    ):
        raise _fail(path, lines.get("day_words"), "'day_words' values must be ints -7..7")
    return {
        "months": mapping("months", 1, 12),
        "month_abbreviations": mapping("month_abbreviations", 1, 12),
        "weekdays": mapping("weekdays", 0, 6),
        "seasons": seasons,
        "ordinals": mapping("ordinals", 1, 4),
        "period_parts": words("period_parts"),
        "prepositions": words("prepositions"),
        "bare_month_prepositions": words("bare_month_prepositions"),
        "roles": {r: words(f"roles.{r}", roles_raw[r]) for r in _ROLES},
        "rel_past": words("relative_after.past", rel_raw["past"]),
        "rel_future": words("relative_after.future", rel_raw["future"]),
        "rel_current": words("relative_after.current", rel_raw["current"]),
        "day_words": {_norm(str(k)): v for k, v in day_words.items()},
        "numbers": mapping("numbers", 1, 100),
        "decade_words": mapping("decade_words", 100, 209),
        "not_year_after": words("not_year_after"),
        "not_year_before": words("not_year_before"),
        "year_after_name_ok": words("year_after_name_ok"),
        "planned": words("tense.planned", tense_raw["planned"]),
        "past": words("tense.past", tense_raw["past"]),
        "not_future": words("tense.not_future", tense_raw["not_future"]),
        "not_past_before": words("tense.not_past_before", tense_raw["not_past_before"]),
        "not_planned_after": words("tense.not_planned_after", tense_raw["not_planned_after"]),
    }


_APOS = "['’ʼ]"
_HY = "[-‐‑‒–]"
_S = r"[^\S\n]+"  # spaces within a line
_S0 = r"[^\S\n]*"


def _phrase(text: str) -> str:
    """Regex of one (normalised) phrase: any apostrophe, any hyphen, any run of spaces."""
    out = []
    for ch in text:
        if ch == "'":
            out.append(_APOS)
        elif ch == "-":
            out.append(rf"{_S0}{_HY}{_S0}")
        elif ch == " ":
            out.append(_S)
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _alt(words: Any, *, sep: bool = False) -> str:
    """Alternation of phrases, longest first; with ``sep`` each is followed by its separator."""
    items = sorted(set(words), key=lambda w: (-len(w), w))
    parts = []
    for word in items:
        pat = _phrase(word)
        if sep:
            pat += "" if word.endswith("'") else _S
        elif word[-1].isalnum():
            pat += r"(?!\w)"
        parts.append(pat)
    return "(?:" + "|".join(parts) + ")"


def _build_pattern(d: dict[str, Any]) -> re.Pattern[str]:
    month_words = _alt(d["months"])
    abbrevs = "(?:" + "|".join(_phrase(w) + r"\." for w in sorted(d["month_abbreviations"])) + ")"
    month = f"(?:{month_words}|{abbrevs})"
    weekday = _alt(d["weekdays"])
    season = _alt(d["seasons"])
    ordinal = _alt(d["ordinals"])
    day = r"(?:1(?:er|ᵉʳ)(?!\w)|3[01](?!\w)|[12][0-9](?!\w)|0?[1-9](?!\w))"

    def year(name: str) -> str:
        return rf"(?P<{name}>(?:1[5-9]|20)[0-9][0-9])(?!\w|[.,][0-9])"

    parts = [p for p in d["period_parts"] if p != "mi"]
    roles = "|".join(f"(?P<r_{r}>{_alt(d['roles'][r], sep=True)})" for r in _ROLES)
    prep = _alt(d["prepositions"], sep=True)
    det = _alt(["l'", "la", "le", "les", "ce", "cet", "cette", "ces"], sep=True)
    connector = rf"(?:d(?:e|u|es){_S}|d{_APOS}{_S0})"
    part = (
        rf"(?:(?:la|le){_S})?(?:(?P<part>{_alt(parts)}){_S}{connector}?"
        rf"|(?P<part_mi>mi){_S0}{_HY}{_S0}{connector}?)"
    )
    rel = _alt([*d["rel_past"], *d["rel_future"], *(w for w in d["rel_current"] if w != "ci")])
    unit_words = _alt(
        ["année", "annee", "an", "mois", "semaine", "trimestre", "semestre", "week-end", "weekend"]
    )
    numbers = _alt(d["numbers"])
    decade_words = _alt(d["decade_words"])
    day_words = _alt(d["day_words"])

    cores = [
        # 2020-05-05
        rf"(?P<iso>{year('iso_y')}-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12][0-9]|3[01])"
        r"(?![0-9]))",
        # 05/05/2020, 5.5.2020
        r"(?P<num>(?P<num_d>0?[1-9]|[12][0-9]|3[01])(?P<num_sep>[/.])(?P<num_m>0?[1-9]|1[0-2])"
        r"(?P=num_sep)(?P<num_y>(?:19|20)[0-9][0-9]|[0-9][0-9])(?![0-9]|[/.][0-9]))",
        # mardi 5 mai 2020, le 1er juin, les 16 et 17 septembre
        rf"(?P<dd>(?:(?P<dd_wd>{weekday}){_S0},?{_S0})?(?P<dd_d>{day})"
        rf"(?:{_S0}(?:et|ou|au|à|{_HY}){_S0}(?P<dd_d2>{day}))?{_S}(?P<dd_m>{month})"
        rf"(?:{_S}{year('dd_y')})?)",
        # (le mois de) novembre 2019
        rf"(?P<mo>(?:mois{_S}(?:de{_S}|d{_APOS}{_S0}))?(?P<mo_m>{month})(?:{_S}{year('mo_y')})?)",
        # printemps 2020, été
        rf"(?P<se>(?P<se_s>{season})(?:{_S}{year('se_y')})?)",
        # premier trimestre 2021, T1 2021
        rf"(?P<qu>(?P<qu_o>{ordinal}){_S}(?P<qu_u>trimestre|semestre)(?!\w)"
        rf"(?:{_S}(?:(?:de{_S})?{year('qu_y')}|(?P<qu_this>de{_S}(?:l{_APOS}{_S0}|cette{_S})"
        rf"(?:année|an|exercice)(?!\w))))?)",
        rf"(?P<qc>(?P<qc_c>[TQ][1-4]|[SH][12]){_S0}{year('qc_y')})",
        # (les) années 2010, années 80
        rf"(?P<de>années{_S}(?:(?P<de_n>(?:19|20)[0-9]0|{_APOS}?[0-9]0)(?![0-9])|(?P<de_w>{decade_words})))",
        # l'année 2017, l'an 2000, l'exercice 2020
        rf"(?P<uy>(?P<uy_u>année|annee|an|exercice){_S}{year('uy_y')})",
        # 2018
        rf"(?P<yr>{year('yr_y')})",
        # il y a deux ans
        rf"(?P<ago>il{_S}y{_S}a{_S}(?P<ago_n>[0-9]{{1,2}}|{numbers}){_S}"
        r"(?P<ago_u>jours?|semaines?|mois|ans|années|annees)(?!\w))",
        # vendredi 10 (a weekday and a day of the month, no month)
        rf"(?P<wn>(?P<wn_wd>{weekday}){_S}(?P<wn_d>{day})(?!{_S0}[/.:h]?{_S0}[0-9]))",
        # (dans) la nuit de mardi à mercredi
        rf"(?P<ni>nuit{_S}(?:de|du){_S}(?P<ni_a>{weekday}){_S}(?:à|au){_S}(?P<ni_b>{weekday}))",
        # hier, aujourd'hui
        rf"(?P<dw>{day_words})",
        # l'an dernier, cette semaine, le mois prochain
        rf"(?P<un>(?P<un_u>{unit_words})(?P<un_ci>{_S0}{_HY}{_S0}ci(?!\w))?)",
        # jeudi
        rf"(?P<wd>{weekday})",
    ]
    core = "(?:" + "|".join(cores) + ")"
    pattern = (
        rf"(?<!\w)(?:{roles})?(?P<prep>{prep})?(?P<part_all>{part})?(?P<det>{det})?{core}"
        rf"(?:{_S}(?P<rel>{rel}))?(?P<tail>{_S0}{_HY}{_S0}là(?!\w))?"
    )
    return re.compile(pattern, re.IGNORECASE)


@cache
def load_date_rules(path: Path | None = None) -> DateRules:
    """Load, validate and compile the date rules (``models/dates.yaml`` by default), once.

    Raises :class:`DateRulesError` naming the file (and the line of the offending key) when the
    file is missing or malformed.
    """
    path = Path(path) if path is not None else DEFAULT_MODELS_DIR / "dates.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(path, None, f"cannot read the date rules: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(path, mark.line + 1 if mark else None, f"invalid YAML: {exc}") from exc
    d = _validate(path, data, _key_lines(path, text))
    months = {**d["months"], **d["month_abbreviations"]}
    role_of = {word: role for role in _ROLES for word in d["roles"][role]}
    after = _alt(d["not_year_after"])
    before = _alt(d["not_year_before"])
    # listed cues in any case; a future-tense ending only on a lower-case word (names such as
    # "Sandra" or "Ferrara" are capitalised)
    planned = rf"(?i:{_alt(d['planned'])})|(?P<ending>[a-zà-öø-ÿ]{{2,}}(?:ra|ront)(?![\w-]))"
    return DateRules(
        path=path,
        months=months,
        weekdays=d["weekdays"],
        seasons=d["seasons"],
        ordinals=d["ordinals"],
        period_parts=d["period_parts"],
        prepositions=d["prepositions"],
        bare_month_prepositions=frozenset(d["bare_month_prepositions"]),
        roles=d["roles"],
        rel_past=frozenset(d["rel_past"]),
        rel_future=frozenset(d["rel_future"]),
        rel_current=frozenset(d["rel_current"]),
        day_words=d["day_words"],
        numbers=d["numbers"],
        decade_words=d["decade_words"],
        role_of=role_of,
        pattern=_build_pattern(d),
        not_year_after=re.compile(rf"{_S0}{after}", re.IGNORECASE),
        not_year_before=re.compile(rf"(?<!\w){before}{_S0}$", re.IGNORECASE),
        year_after_name_ok=frozenset(d["year_after_name_ok"]),
        planned_cue=re.compile(rf"(?<![\w'’-])(?:{planned})"),
        # case-sensitive: "A" is "à"; "a lieu" is a present tense
        past_cue=re.compile(rf"(?<!\w){_alt(d['past'])}(?!{_S}{_alt(d['not_past_before'])})"),
        not_planned_after=re.compile(rf"(?<!\w){_alt(d['not_planned_after'])}{_S}$", re.I),
        not_future=frozenset(d["not_future"]),
    )


# --------------------------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------------------------


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _span_start(label: int, first: int, last: int) -> dt.date:
    """First day of the span of months ``first``-``last`` labelled ``label`` (see _pick_span)."""
    return dt.date(label - 1 if last < first else label, first, 1)


def _value_start(value: str) -> dt.date | None:
    """First day of the period an ISO prefix stands for ("2020-09" -> 1 September 2020)."""
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        if len(value) == 7:
            return dt.date(int(value[:4]), int(value[5:7]), 1)
        if len(value) == 4:
            return dt.date(int(value), 1, 1)
        if len(value) == 3:
            return dt.date(int(value) * 10, 1, 1)
    except ValueError:
        return None
    return None


def _week_value(monday: dt.date) -> str:
    """Value of the week starting on ``monday``: its month when it has one, else its year."""
    sunday = monday + dt.timedelta(days=6)
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        return _month_value(monday.year, monday.month)
    return f"{(monday + dt.timedelta(days=3)).year:04d}"


def _pick_day(
    ref: dt.date, month: int, day: int, direction: str, weekday: int | None = None
) -> dt.date | None:
    """The year of a day-month date relative to ``ref`` (see the module docstring).

    With ``weekday`` ("mardi 4 octobre") only a year where that day is that weekday is kept:
    None when no candidate year agrees.
    """
    candidates = [
        d
        for y in (ref.year - 1, ref.year, ref.year + 1)
        if (d := _safe_date(y, month, day)) is not None
    ]
    if month == 2 and day == 29:
        candidates += [
            d for y in range(ref.year - 4, ref.year + 5) if (d := _safe_date(y, 2, 29)) is not None
        ]
    if weekday is not None:
        candidates = [d for d in candidates if d.weekday() == weekday]
    past = [d for d in candidates if d <= ref]
    future_strict = [d for d in candidates if d > ref]
    if direction == "nearest":  # within a year either side
        near = [d for d in candidates if abs((d - ref).days) <= 366]
        return min(near, key=lambda d: abs((d - ref).days), default=None)
    if direction == "future":
        return min(future_strict, default=None)
    if direction == "forward":
        return min([d for d in candidates if d >= ref], default=None)
    if direction == "default":
        soon = [d for d in future_strict if (d - ref).days <= FORWARD_WINDOW_DAYS]
        if soon:
            return min(soon)
    return max(past, default=None)


def _pick_month(ref: dt.date, month: int, direction: str) -> int:
    """The year of a month without a year relative to ``ref``."""
    if direction == "future":
        return ref.year if month > ref.month else ref.year + 1
    if direction == "forward":
        return ref.year if month >= ref.month else ref.year + 1
    return ref.year if month <= ref.month else ref.year - 1


def _pick_span(ref: dt.date, first: int, last: int, direction: str) -> int:
    """The label year of a yearly span of months (season, quarter) relative to ``ref``.

    A span whose last month is before its first (winter) is labelled by the year it ends in.
    ``direction``: past (the last one over), future/forward (the next to start), ahead (the
    one under way, else the next), started (the latest one begun), else the nearest.
    """
    now = ref.year * 12 + ref.month - 1

    def bounds(label: int) -> tuple[int, int]:
        start_year = label - 1 if last < first else label
        return start_year * 12 + first - 1, label * 12 + last - 1

    labels = range(ref.year - 2, ref.year + 3)
    if direction == "past":
        return max(lab for lab in labels if bounds(lab)[1] < now)
    if direction in ("future", "forward"):
        return min(lab for lab in labels if bounds(lab)[0] > now)
    if direction == "ahead":  # the one under way, else the next to start
        return min(lab for lab in labels if bounds(lab)[1] >= now)
    if direction == "started":
        return max(lab for lab in labels if bounds(lab)[0] <= now)

    def distance(label: int) -> tuple[int, int]:
        start, end = bounds(label)
        gap = 0 if start <= now <= end else min(abs(start - now), abs(end - now))
        return gap, -label

    return min(labels, key=distance)


# --------------------------------------------------------------------------------------------
# find_dates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ctx:
    """What surrounds the core of a match."""

    role: str
    prep: str | None
    part: bool
    det: str | None
    rel: str | None  # past | future | current | None
    reference: dt.date | None
    role_article: bool = False  # the role marker ends with an article ("dès l'", "depuis le")
    since: bool = False  # the role marker is "depuis": it looks back whatever the tense
    tense: str | None = None  # planned ("prévu en décembre") | past ("a signé ce mardi") | None

    @property
    def prefixed(self) -> bool:
        return self.role != "point" or self.prep is not None or self.part

    def direction(self) -> str:
        """past | future | forward | default, from the relative word, the role and the tense."""
        if self.rel == "past":
            return "past"
        if self.rel == "future":
            return "future"
        if self.role in ("target", "range_end") or self.tense == "planned":
            return "forward"
        return "default"

    def span_direction(self, default: str) -> str:
        """Direction for a season or quarter without a year (see _pick_span)."""
        if self.rel in ("past", "future"):
            return self.rel
        if self.role in ("target", "range_end") or self.tense == "planned":
            return "ahead"
        return default


class _Res(NamedTuple):
    value: str
    granularity: str
    relative: bool
    begins: dt.date | None = None  # first day of the period, when the value does not say it


_Result = _Res | None


def _rel_kind(rules: DateRules, word: str | None) -> str | None:
    if word is None:
        return None
    key = _norm(word)
    if key in rules.rel_past:
        return "past"
    if key in rules.rel_future:
        return "future"
    if key in rules.rel_current:
        return "current"
    return None


def _resolve_day(
    ctx: _Ctx, year: str | None, month: int, day: int, weekday: int | None = None
) -> _Result:
    if year is not None:
        if _safe_date(int(year), month, day) is None:
            return None
        return _Res(f"{int(year):04d}-{month:02d}-{day:02d}", "day", False)
    if _safe_date(2000, month, day) is None:  # 2000 is a leap year: 29 February is valid
        return None
    if ctx.reference is None:
        return _Res(f"XXXX-{month:02d}-{day:02d}", "day", False)
    picked = _pick_day(ctx.reference, month, day, ctx.direction(), weekday)
    if picked is None and weekday is not None:
        # the weekday decides the year over the tense ("reportée au lundi 25 mai"); a
        # "mardi 4 octobre" that is no Tuesday near the reference keeps its year unknown
        picked = _pick_day(ctx.reference, month, day, "nearest", weekday)
        if picked is None:
            return _Res(f"XXXX-{month:02d}-{day:02d}", "day", False)
    if picked is None:
        return None
    return _Res(picked.isoformat(), "day", True)


def _resolve_month(ctx: _Ctx, year: str | None, month: int) -> _Result:
    if year is not None:
        return _Res(_month_value(int(year), month), "month", False)
    if ctx.reference is None:
        return _Res(f"XXXX-{month:02d}", "month", False)
    direction = ctx.direction()
    return _Res(_month_value(_pick_month(ctx.reference, month, direction), month), "month", True)


def _weekday_date(ctx: _Ctx, weekday: int) -> dt.date | None:
    ref = ctx.reference
    if ref is None:
        return None
    back = (ref.weekday() - weekday) % 7
    direction = ctx.direction()
    if direction == "future":
        return ref + dt.timedelta(days=(weekday - ref.weekday()) % 7 or 7)
    if direction == "forward":
        return ref + dt.timedelta(days=(weekday - ref.weekday()) % 7)
    if direction == "past":
        return ref - dt.timedelta(days=back or 7)
    if ctx.det == "ce" and ctx.tense != "past" and back > 3:
        # "ce mardi": the nearest Tuesday (within three days), unless the clause is past
        return ref + dt.timedelta(days=7 - back)
    return ref - dt.timedelta(days=back)


def _resolve_weekday(ctx: _Ctx, weekday: int) -> _Result:
    day = _weekday_date(ctx, weekday)
    return None if day is None else _Res(day.isoformat(), "day", True)


def _resolve_night(ctx: _Ctx, first: int, second: int) -> _Result:
    """ "la nuit de mardi à mercredi": the Tuesday (the night begins that evening)."""
    if (first + 1) % 7 != second:
        return None
    end = _weekday_date(ctx, second)
    if end is None:
        return None
    return _Res((end - dt.timedelta(days=1)).isoformat(), "day", True)


def _resolve_weekday_day(ctx: _Ctx, weekday: int, day: int) -> _Result:
    """ "vendredi 10": the nearest such date before (or just after) the reference."""
    ref = ctx.reference
    if ref is None:
        return None
    back = [ref - dt.timedelta(days=n) for n in range(0, 62)]
    ahead = [ref + dt.timedelta(days=n) for n in range(1, FORWARD_WINDOW_DAYS + 1)]
    order = ahead + back if ctx.direction() in ("future", "forward") else back + ahead
    for candidate in order:
        if candidate.day == day and candidate.weekday() == weekday:
            return _Res(candidate.isoformat(), "day", True)
    return None


def _resolve_unit(rules: DateRules, ctx: _Ctx, unit: str, ci: bool) -> _Result:
    """ "l'an dernier", "cette semaine", "ce mois-ci", "fin de l'année" ..."""
    ref = ctx.reference
    this = ctx.det in ("ce", "cet", "cette") or ci or ctx.rel == "current"
    if ctx.part:
        if ctx.det not in (None, "l'", "la", "le", "ce", "cet", "cette"):
            return None
    elif not this and not (ctx.rel in ("past", "future") and ctx.det in ("l'", "la", "le")):
        return None  # "un an passé", "l'année", "par mois" are no dates
    if ref is None:
        return None
    shift = {"past": -1, "future": 1}.get(ctx.rel or "", 0)
    if unit in ("année", "annee", "an"):
        return _Res(f"{ref.year + shift:04d}", "year", True)
    if unit == "mois":
        return _Res(_month_value(*_shift_month(ref.year, ref.month, shift)), "month", True)
    if unit in ("semaine", "week-end", "weekend"):
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(days=7 * shift)
        if unit != "semaine":  # a week-end: the Saturday and Sunday of that ISO week
            saturday = monday + dt.timedelta(days=5)
            value = (
                _month_value(saturday.year, saturday.month)
                if saturday.month == (saturday + dt.timedelta(days=1)).month
                else f"{saturday.year:04d}"
            )
            return _Res(value, "week", True, saturday)
        return _Res(_week_value(monday), "week", True, monday)
    if unit in ("trimestre", "semestre"):
        size = 3 if unit == "trimestre" else 6
        index = ref.year * 12 + ref.month - 1
        start = index - index % size + shift * size
        begins = dt.date(start // 12, start % 12 + 1, 1)
        return _Res(f"{start // 12:04d}", "quarter" if size == 3 else "half", True, begins)
    return None


def _name_before(rules: DateRules, text: str, start: int) -> bool:
    """Is the year at ``start`` part of a name ("le Club de Paris 2024", "l'Euro 2016")?

    A capitalised word right before it, inside a sentence (a capitalised first word of a
    sentence proves nothing: "Pour 2021, ...").
    """
    before = text[max(0, start - 40) : start]
    m = _CAP_WORD_BEFORE.search(before)
    if m is None or _norm(m.group(1)) in rules.year_after_name_ok:
        return False
    return _SENTENCE_START.search(before, 0, m.start()) is None


_CAP_WORD_BEFORE = re.compile(r"([A-ZÀ-ÖØ-Þ][\w&.’'-]*)[^\S\n]+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:\n«\"“(\[—–])[^\S\n]*(?:[LlDd]['’])?$")


def _resolve(rules: DateRules, m: re.Match[str], ctx: _Ctx) -> _Result:
    g = m.group
    if g("iso"):
        if _safe_date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d"))) is None:
            return None
        return _Res(f"{g('iso_y')}-{g('iso_m')}-{g('iso_d')}", "day", False)
    if g("num"):
        y = g("num_y")
        if len(y) == 2:
            if g("num_sep") != "/":
                return None
            y = f"20{y}"
        d, mo = int(g("num_d")), int(g("num_m"))
        if _safe_date(int(y), mo, d) is None:
            return None
        return _Res(f"{int(y):04d}-{mo:02d}-{d:02d}", "day", False)
    if g("dd"):
        month = rules.months.get(_norm(g("dd_m")).rstrip("."))
        if month is None:
            return None
        d1 = 1 if _norm(g("dd_d")).startswith("1e") or _norm(g("dd_d")).startswith("1ᵉ") else None
        day1 = d1 or int(g("dd_d"))
        if g("dd_d2"):
            day2 = 1 if not g("dd_d2").isdigit() else int(g("dd_d2"))
            if day2 <= day1 or _safe_date(2000, month, day2) is None:
                return None
            res = _resolve_day(ctx, g("dd_y"), month, day1)
            if res is None:
                return None
            return _Res(res.value[:7], "month", res.relative)
        weekday = rules.weekdays[_norm(g("dd_wd"))] if g("dd_wd") else None
        return _resolve_day(ctx, g("dd_y"), month, day1, weekday)
    if g("mo"):
        month = rules.months.get(_norm(g("mo_m")).rstrip("."))
        if month is None:
            return None
        has_mois = _norm(g("mo")).startswith("mois")
        if has_mois and not (ctx.prefixed or ctx.det in ("le", "ce")):
            return None  # "la moyenne des mois de mai"
        bare_ok = (
            ctx.role != "point"
            or ctx.part
            or has_mois
            or ctx.rel in ("past", "future")
            or (ctx.prep is not None and _norm(ctx.prep) in rules.bare_month_prepositions)
        )
        if g("mo_y") is None and not bare_ok:
            return None  # a bare month name ("Mars" the planet, "vers Mars", "Mai" a name)
        if ctx.rel == "current":
            return None
        if ctx.det and not has_mois and g("mo_y") is None and ctx.det != "l'":
            return None  # "ce mai" is no date; "le mois de mai" is
        return _resolve_month(ctx, g("mo_y"), month)
    if g("se"):
        first, last = rules.seasons[_norm(g("se_s"))]
        word = g("se_s")
        year = g("se_y")
        if ctx.det in ("les", "ces", "la", "le"):
            return None
        if (
            word.lower() in ("été", "ete")
            and not (ctx.det or ctx.role_article)
            and not (ctx.prep and _norm(ctx.prep) in ("en", "pendant", "durant"))
        ):
            return None  # "a depuis été", "a été": the verb
        if not (ctx.prefixed or ctx.rel or ctx.det in ("ce", "cet", "cette")):
            if year is None or (ctx.det is None and word.lower() in ("été", "ete")):
                return None  # "l'été" alone is too vague; "a été" is a verb
        if year is not None:
            label = int(year)
            return _Res(f"{label:04d}", "season", False, _span_start(label, first, last))
        if ctx.reference is None:
            return None
        # "cet été": the nearest summer; "au printemps": the latest spring begun (as "en mai"
        # is the latest May); a target or a plan: the one under way or the next
        default = "nearest" if ctx.det in ("ce", "cet", "cette") else "started"
        label = _pick_span(ctx.reference, first, last, ctx.span_direction(default))
        return _Res(f"{label:04d}", "season", True, _span_start(label, first, last))
    if g("qu") or g("qc"):
        if g("qc"):
            code = g("qc_c").upper()
            unit_is_quarter = code[0] in "TQ"
            number = int(code[1])
            year = g("qc_y")
        else:
            unit_is_quarter = g("qu_u").lower() == "trimestre"
            number = rules.ordinals[_norm(g("qu_o"))]
            year = g("qu_y")
            if not unit_is_quarter and number > 2:
                number = 2 if _norm(g("qu_o")) == "dernier" else 0
                if number == 0:
                    return None
        gran = "quarter" if unit_is_quarter else "half"
        size = 3 if unit_is_quarter else 6
        first = (number - 1) * size + 1
        if year is not None:
            label = int(year)
            return _Res(f"{label:04d}", gran, False, dt.date(label, first, 1))
        if ctx.reference is None:
            return None
        if g("qu_this"):
            label = ctx.reference.year
        else:
            label = _pick_span(
                ctx.reference, first, first + size - 1, ctx.span_direction("started")
            )
        return _Res(f"{label:04d}", gran, True, dt.date(label, first, 1))
    if g("de"):
        if g("de_w"):
            prefix = rules.decade_words[_norm(g("de_w"))]
        else:
            digits = g("de_n").lstrip("'’ʼ")
            prefix = int(digits[:3]) if len(digits) == 4 else 190 + int(digits[0])
        return _Res(f"{prefix:03d}", "decade", False)
    if g("uy"):
        return _Res(f"{int(g('uy_y')):04d}", "year", False)
    if g("yr"):
        year = int(g("yr_y"))
        after = m.string[m.end() : m.end() + 30]
        if rules.not_year_after.match(after):
            return None
        if not ctx.prefixed and not ctx.det:
            if not 1900 <= year <= 2099:
                return None
            before = m.string[max(0, m.start() - 30) : m.start()]
            if rules.not_year_before.search(before) or re.search(r"[0-9][ \u00a0\u202f]$", before):
                return None
            if _name_before(rules, m.string, m.start()):
                return None  # "le Club de Paris 2024", "l'Euro 2016": a name
        elif ctx.det and not ctx.prefixed:
            return None  # "les 2000", "ce 2020": not a date
        return _Res(f"{year:04d}", "year", False)
    if g("ago"):
        ref = ctx.reference
        if ref is None or ctx.prefixed or ctx.det:
            return None
        n_text = _norm(g("ago_n"))
        n = int(n_text) if n_text.isdigit() else rules.numbers.get(n_text, 0)
        unit = _norm(g("ago_u"))
        if unit.startswith("jour"):
            if n > 60:
                return None
            return _Res((ref - dt.timedelta(days=n)).isoformat(), "day", True)
        if unit.startswith("semaine"):
            day = ref - dt.timedelta(days=7 * n)
            monday = day - dt.timedelta(days=day.weekday())
            return _Res(_week_value(monday), "week", True, monday)
        if unit == "mois":
            return _Res(_month_value(*_shift_month(ref.year, ref.month, -n)), "month", True)
        return _Res(f"{ref.year - n:04d}", "year", True)
    if g("dw"):
        if ctx.reference is None or ctx.det:
            return None
        offset = rules.day_words[_norm(g("dw"))]
        return _Res((ctx.reference + dt.timedelta(days=offset)).isoformat(), "day", True)
    if g("un"):
        return _resolve_unit(rules, ctx, _norm(g("un_u")), g("un_ci") is not None)
    if g("wn"):
        return _resolve_weekday_day(
            ctx, rules.weekdays[_norm(g("wn_wd"))], 1 if not g("wn_d").isdigit() else int(g("wn_d"))
        )
    if g("ni"):
        if ctx.det not in (None, "la"):
            return None
        return _resolve_night(
            ctx, rules.weekdays[_norm(g("ni_a"))], rules.weekdays[_norm(g("ni_b"))]
        )
    if g("wd"):
        if ctx.det not in (None, "ce", "le"):
            return None
        before = m.string[max(0, m.start() - 12) : m.start()].lower()
        if re.search(r"(?:chaque|tous\s+les)\s*$", before):
            return None
        return _resolve_weekday(ctx, rules.weekdays[_norm(g("wd"))])
    return None  # pragma: no cover - every core alternative is handled above


def _context(rules: DateRules, m: re.Match[str], reference: dt.date | None) -> _Ctx:
    role = "point"
    role_article = False
    for name in _ROLES:
        marker = m.group(f"r_{name}")
        if marker:
            role = name
            role_article = _norm(marker).endswith(("l'", " le", " la", " les"))
            break
    det = m.group("det")
    return _Ctx(
        role=role,
        prep=m.group("prep"),
        part=bool(m.group("part_all")),
        det=_norm(det) if det else None,
        rel=_rel_kind(rules, m.group("rel")),
        reference=reference,
        role_article=role_article,
        since=role == "range_start" and _norm(m.group("r_range_start")).startswith("depuis"),
    )


# --------------------------------------------------------------------------------------------
# Tense of the clause
# --------------------------------------------------------------------------------------------

#: Characters looked at around a date to tell the tense of its clause: about one clause.
_TENSE_WINDOW = 80

#: Clause breaks: the text before a date is cut at the last of them.
_BREAK = re.compile(r"[.;:!?\n,()«»\"“”\[\]]")
#: The end of the clause after a date that opens it, and the relative clauses inside it.
_CLAUSE_END = re.compile(r"[.;!?\n]")
_INNER_RELATIVE = re.compile(r",[^\S\n]*(?:qui|que|qu['’]|dont|où)[^,]*,", re.IGNORECASE)
#: Words that may stand before a date that opens its clause ("Et jeudi, ...").
_OPENERS = frozenset(
    {"et", "mais", "puis", "or", "donc", "ensuite", "enfin", "ainsi", "aussi", "déjà", "alors"}
)


def _cues(rules: DateRules, clause: str) -> list[tuple[int, str]]:
    """Planned cues and past auxiliaries of ``clause``, in text order."""
    found = [(p.start(), "past") for p in rules.past_cue.finditer(clause)]
    for cue in rules.planned_cue.finditer(clause):
        word = cue.group("ending")
        if word is not None:  # a future-tense ending: not a noun nor a past simple
            if word in rules.not_future or word.endswith(("ara", "ora", "bra", "éra", "ura")):
                continue  # "caméra", "déclara", "célébra", "accéléra", "inaugura"
            if word.endswith("tra") and not word.endswith(("ttra", "îtra", "itra")):
                continue  # "rencontra" (but "permettra", "paraîtra")
        elif rules.not_planned_after.search(clause, 0, cue.start()):
            continue  # "très attendu": an adjective
        found.append((cue.start(), "planned"))
    return sorted(found)


def _tense(rules: DateRules, text: str, start: int, end: int) -> str | None:
    """The tense of the clause of the date at ``text[start:end]``: planned ("le lancement est
    prévu en décembre", "il signera jeudi", "Jeudi, le groupe signera"), past ("a été atteint
    ce samedi") or None.  See ``tense`` in ``models/dates.yaml``.

    The last cue of the clause before the date decides; for a date that opens its clause, the
    first cue after it; for a date set off by commas ("a paru dans le JDD, ce dimanche, ..."),
    then the clause before the comma.
    """
    lo = max(0, start - _TENSE_WINDOW)
    cuts = [b.end() for b in _BREAK.finditer(text, lo, start)]
    clause = text[cuts[-1] if cuts else lo : start]
    words = clause.split()
    if words and not all(w.lower() in _OPENERS for w in words):
        cues = _cues(rules, clause)
        return cues[-1][1] if cues else None
    after = text[end : min(len(text), end + _TENSE_WINDOW)]
    stop = _CLAUSE_END.search(after)
    after = _INNER_RELATIVE.sub(",", after[: stop.start()] if stop else after)
    cues = _cues(rules, after)
    if cues:
        return cues[0][1]
    if len(cuts) >= 2 and text[cuts[-1] - 1] == ",":
        cues = _cues(rules, text[cuts[-2] : cuts[-1]])
        return cues[-1][1] if cues else None
    return None


def _chunks(text: str) -> list[tuple[int, int]]:
    """Split a long text into windows of at most ``_MAX_CHUNK`` characters (at a space)."""
    if len(text) <= _MAX_CHUNK:
        return [(0, len(text))]
    spans = []
    start = 0
    while start < len(text):
        end = min(len(text), start + _MAX_CHUNK)
        if end < len(text):
            cut = max(text.rfind("\n", start, end), text.rfind(" ", start, end))
            if cut > start + _MAX_CHUNK // 2:
                end = cut
        spans.append((start, end))
        start = end
    return spans


#: Years a reference with an unknown year ("XXXX-06-04") stands in: 28 consecutive years hold
#: every combination of the weekday of 1 January and of leap year.
_ANY_YEARS = range(2000, 2028)


def _references(reference: object) -> tuple[dt.date | None, tuple[dt.date, ...]]:
    """The reference as a date, and the stand-ins of a reference whose year is unknown."""
    if reference is None:
        return None, ()
    if isinstance(reference, dt.datetime):
        return reference.date(), ()
    if isinstance(reference, dt.date):
        return reference, ()
    if isinstance(reference, str):
        day = to_date(reference)
        if day is not None:
            return day, ()
        m = _UNKNOWN_YEAR.match(reference)
        stand_ins: tuple[dt.date, ...] = ()
        if m:
            month, mday = int(m.group(1)), int(m.group(2))
            stand_ins = tuple(d for y in _ANY_YEARS if (d := _safe_date(y, month, mday)))
        if stand_ins:
            return stand_ins[0], stand_ins
        raise ValueError(f"reference must be 'YYYY-MM-DD' or 'XXXX-MM-DD', got {reference!r}")
    raise TypeError("reference must be a datetime.date, an ISO day string or None")


def _unknown_year(value: str) -> str:
    """ "2020-05-12" -> "XXXX-05-12"."""
    return "XXXX" + value[4:] if value[:4].isdigit() else value


def _try_resolve(rules: DateRules, m: re.Match[str], ctx: _Ctx) -> _Result:
    if m.group("tail"):
        return None  # "cette année-là"
    try:
        return _resolve(rules, m, ctx)
    except (KeyError, OverflowError):
        # KeyError: a case-insensitive match on a look-alike letter ("ſ", the Kelvin sign) that
        # is not in the word tables; OverflowError: a reference at the edge of the calendar.
        return None


def _begins_after(res: _Res, reference: dt.date) -> bool:
    begins = res.begins or _value_start(res.value)
    return begins is not None and begins > reference


def _over_unknown_year(
    rules: DateRules, m: re.Match[str], ctx: _Ctx, stand_ins: tuple[dt.date, ...]
) -> tuple[_Res, bool] | None:
    """A relative expression against a reference without a year: resolved in every stand-in
    year, kept only when all agree once the year is masked ("le 12 mai" -> "XXXX-05-12",
    "cette année" -> "XXXX"; "jeudi" disagrees: no value); with whether it lies ahead."""
    values = set()
    ahead = False
    for stand_in in stand_ins:
        res = _try_resolve(rules, m, replace(ctx, reference=stand_in))
        if res is None:
            return None
        values.add((_unknown_year(res.value), res.granularity))
        ahead = ahead or _begins_after(res, stand_in)
        if len(values) > 1:
            return None
    value, granularity = values.pop()
    return _Res(value, granularity, True), ahead


def find_dates(text: str, reference: dt.date | str | None = None) -> list[DateMention]:
    """Every temporal expression of ``text``, in text order, without overlaps.

    ``reference`` is the date the text was written (its publication date): expressions without
    a year or relative to "now" are anchored on it (``relative=True``).  It is a
    ``datetime.date``, or a string as :func:`normalise_published` gives it: "2020-06-04", or
    "XXXX-06-04" when the year is unknown (then a resolved value keeps the year unknown:
    "le 12 mai" -> "XXXX-05-12", "en mai" -> "XXXX-05", "cette année" -> "XXXX"; an expression
    whose day or month depends on the year, such as "jeudi", gets no value).  Without a
    reference, a day or month without a year gets the year ``XXXX`` and purely relative
    expressions are skipped.

    ``future`` is set on a mention that begins after the reference, or that its clause tells
    as planned ("le lancement est prévu en décembre", "il signera jeudi"), or with "prochain".
    Offsets are into ``text``; ``text[start:end] == mention.text``.  Never raises on any
    string input; a reference string of another form raises ValueError.
    """
    if not isinstance(text, str):
        raise TypeError(f"find_dates expects a str, got {type(text).__name__}")
    ref, stand_ins = _references(reference)
    rules = load_date_rules()
    pattern = rules.pattern
    found: list[DateMention] = []
    for lo, hi in _chunks(text):
        pos = lo
        while pos < hi:
            m = pattern.search(text, pos, hi)
            if m is None:
                break
            if m.end() == m.start():  # pragma: no cover - the pattern never matches empty
                pos = m.end() + 1
                continue
            ctx = _context(rules, m, ref)
            result = _try_resolve(rules, m, ctx)
            if result is None:
                pos = m.start() + 1
                continue
            tense = _tense(rules, text, m.start(), m.end())
            planned = tense == "planned" and not ctx.since
            if result.relative and ctx.rel is None and tense is not None and not ctx.since:
                # "prévu en décembre": the next December; "a signé ce samedi": the last one
                ctx = replace(ctx, tense=tense)
                result = _try_resolve(rules, m, ctx) or result
            future = planned or ctx.rel == "future"
            if stand_ins and result.relative:
                outcome = _over_unknown_year(rules, m, ctx, stand_ins)
                if outcome is None:
                    pos = m.start() + 1
                    continue
                result, ahead = outcome
                future = future or ahead
            elif ref is not None and not stand_ins:
                future = future or _begins_after(result, ref)
            found.append(
                DateMention(
                    text=m.group(0),
                    start=m.start(),
                    end=m.end(),
                    value=result.value,
                    granularity=result.granularity,
                    role=ctx.role,
                    relative=result.relative,
                    future=future,
                )
            )
            pos = m.end()
    return _mark_ranges(text, found)


_RANGE_OPEN = re.compile(
    r"(?:(?<!\w)(?P<entre>entre)|(?<!\w)(?P<de>de|du|d['’]))[^\S\n]*$", re.IGNORECASE
)
_RANGE_GAP = re.compile(r"^[^\S\n]*(?:(?P<et>et)|à|au|[-–])?[^\S\n]*$", re.IGNORECASE)
#: "2020-2024", "2019/2020": the whole gap between two bare years.
_YEAR_SPAN_GAP = re.compile(r"[^\S\n]*[-–/][^\S\n]*\Z")


def _mark_ranges(text: str, found: list[DateMention]) -> list[DateMention]:
    """ "entre 2018 et 2020", "d'octobre 2015 à septembre 2016", "2020-2024": range_start +
    range_end."""
    for i in range(len(found) - 1):
        first, second = found[i], found[i + 1]
        if first.role != "point" or second.role != "point":
            continue
        if (
            first.granularity == second.granularity == "year"
            and _YEAR_SPAN_GAP.match(text, first.end, second.start)
            and first.text[-1].isdigit()
            and second.text.isdigit()
            and second.value > first.value
        ):
            found[i] = replace(first, role="range_start")
            found[i + 1] = replace(second, role="range_end")
            continue
        opener = _RANGE_OPEN.search(text, max(0, first.start - 8), first.start)
        if opener is None:
            continue
        gap = text[first.end : second.start]
        if second.text[:2].lower() in ("à ", "au"):
            gap += " à"
        g = _RANGE_GAP.match(gap)
        if g is None or not gap.strip() or (opener.group("entre") is None) == bool(g.group("et")):
            continue
        found[i] = replace(first, role="range_start")
        found[i + 1] = replace(second, role="range_end")
    return found


# --------------------------------------------------------------------------------------------
# infer_reference
# --------------------------------------------------------------------------------------------

_FUTURE_CUES = re.compile(
    r"(?<!\w)(?:va|vont|vais|allons|allez|ira|iront|devra|devront|devrait|devraient|prévoit|prévoient|"
    r"prévu|prévue|prévus|prévues|compte|comptent|envisage|envisagent|ambitionne|"
    r"projette|vise|visent|espère|espèrent|souhaite|souhaitent|promet|prochain|prochaine|"
    r"[a-zàâäéèêëîïôöûüç]{2,}(?:era|eras|erons|erez|eront|ira|iront|dra|dront|ura|uront|"
    r"ra|ront))(?!\w)",
    re.IGNORECASE,
)

#: Words ending like a future verb that are not verbs.
_NOT_FUTURE = frozenset(
    {
        "caméra",
        "opéra",
        "extra",
        "ultra",
        "sahara",
        "tiara",
        "mantra",
        "front",
        "affront",
        "contra",
        "cobra",
        "zébra",
        "libra",
        "vera",
        "flora",
        "para",
        "entra",
        "montra",
        "rentra",
        "chimera",
        "dora",
        "lara",
        "sara",
        "choléra",
        "véra",
    }
)


def _future_context(text: str, mention: DateMention) -> bool:
    """Is the mention told in the future tense (within its clause)?"""
    lo = max(0, mention.start - _TENSE_WINDOW_BEFORE)
    hi = min(len(text), mention.end + _TENSE_WINDOW_AFTER)
    before = text[lo : mention.start]
    after = text[mention.end : hi]
    # stay within the sentence
    before = re.split(r"[.!?;\n]\s", before)[-1]
    after = re.split(r"[.!?;\n]", after)[0]
    for piece in (before, after):
        for cue in _FUTURE_CUES.finditer(piece):
            word = cue.group(0).lower()
            if word not in _NOT_FUTURE and not word.endswith(("ora", "ara", "bra")):
                return True
    return False


def _period_end(mention: DateMention) -> dt.date | None:
    value = mention.value
    if value.startswith("X"):
        return None
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            return dt.date(year, month, _last_day(year, month))
        if len(value) == 4:
            return dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def infer_reference(text: str) -> dt.date | None:
    """A stand-in publication date for an article that states none.

    Rule: take the dates the article gives with an explicit year (not relative), in the
    ``point`` role (no "d'ici", "jusqu'en", "depuis" ...), and not told in the future tense
    ("qu'il va achever en 2021", "lancera en 2022"); the article was written after the latest
    of them.  Among those with day or month precision, return the end of the latest period
    (the day itself, or the last day of the month).  When there are none, fall back to the
    latest year-precision date (its 31 December); with no evidence at all, return None.
    """
    if not isinstance(text, str):
        raise TypeError(f"infer_reference expects a str, got {type(text).__name__}")
    fine: list[dt.date] = []
    coarse: list[dt.date] = []
    for mention in find_dates(text, None):
        if mention.relative or mention.role != "point" or mention.value.startswith("X"):
            continue
        if mention.granularity not in ("day", "month", "year"):
            continue
        end = _period_end(mention)
        if end is None or _future_context(text, mention):
            continue
        (fine if mention.granularity in ("day", "month") else coarse).append(end)
    if fine:
        return max(fine)
    if coarse:
        return max(coarse)
    return None


# --------------------------------------------------------------------------------------------
# normalise_published / to_date
# --------------------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"^\s*([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T\s].*)?$")
_UNKNOWN_YEAR = re.compile(r"^XXXX-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


def to_date(value: str | None) -> dt.date | None:
    """The ``datetime.date`` of a full ISO day value ("2020-08-12"); None for anything else
    (a coarser prefix, an unknown year "XXXX-06-04", or garbage)."""
    if not isinstance(value, str):
        return None
    m = _ISO_DAY.match(value)
    if not m or len(value.strip()) != 10:
        return None
    return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


@cache
def _dateparser_settings() -> dict[str, Any]:
    return {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "STRICT_PARSING": True,
    }


def _dateparser_day(value: str) -> dt.date | None:
    """dateparser on a short, already isolated date string (slow: only a last resort)."""
    try:
        import dateparser  # imported lazily: it takes a second to load
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        parsed = dateparser.parse(value, languages=["fr", "en"], settings=_dateparser_settings())
    except Exception:  # dateparser raises many kinds of errors on odd input
        return None
    return parsed.date() if parsed is not None else None


def normalise_published(value: str | None) -> str | None:
    """A publication date string -> "YYYY-MM-DD" ("XXXX-MM-DD" without a year), else None.

    Accepts ISO dates and timestamps ("2020-05-05T16:30:00+02:00"), numeric dates ("05/05/2020",
    day first), French bylines ("mardi 05 mai 2020 à 16h30", "publié le 28 mai 2021",
    "16 juillet" -> "XXXX-07-16"); anything else goes to dateparser (French and English).
    """
    if not isinstance(value, str):
        return None
    text = value.strip()[:300]
    if not text:
        return None
    if _UNKNOWN_YEAR.match(text):
        return text
    m = _ISO_DAY.match(text)
    if m:
        day = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return day.isoformat() if day else None
    for mention in find_dates(text, None):
        if mention.granularity == "day" and len(mention.value) == 10:
            return mention.value
    if not re.search(r"\d", text):
        return None
    parsed = _dateparser_day(text)
    return parsed.isoformat() if parsed else None
