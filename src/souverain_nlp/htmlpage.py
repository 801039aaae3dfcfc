"""HTML pages: the page's visible text, one block per line, with the layout evidence cleaning uses.

What is trafilatura's and what is ours:

* trafilatura (``bare_extraction``, settings below) finds the page's main text and its
  metadata (title, publication date, URL).  Its main text is the first body evidence.
* ours: the page's visible text laid out one block per line (paragraphs, headings, list items,
  table cells, captions: every block element ends a line, so a layout table or a text run left
  after an embedded video becomes lines of its own), and for each line what the markup says
  about it (:class:`Layout` flags): trafilatura kept it (``m``); the JSON-LD ``articleBody`` of
  the page contains it (``j``); it is mostly link text (``l``); it sits in a navigation, footer,
  sidebar, share, newsletter or consent container (``c``); it sits in a comment container
  (``r``).  The clean stage then finds the body on these lines as on a visible-text page, with
  the flags as extra evidence, so that a lede or a paragraph trafilatura left out is recovered
  and the boilerplate it kept can be dropped, each decision in the blocks audit.

Container names are read from tags (``nav``, ``footer``, ``aside``), ARIA roles and the words
of ``class`` / ``id`` attributes; the words (:data:`CHROME_WORDS`, :data:`COMMENT_WORDS`) are
the web's common names for these parts, not any site's.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

#: Elements whose content is never visible text.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "head", "title", "meta", "link", "button", "select", "option", "textarea",
    "input", "map", "audio", "video", "source", "picture", "img",
})
#: Elements that start and end a line of text.
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "h1", "h2",
    "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "caption", "blockquote", "figure", "figcaption", "pre", "form",
    "fieldset", "legend", "address", "hr", "br", "details", "summary", "body", "html", "center",
    "menu", "dialog", "label",
})
#: Containers of page furniture by tag and by ARIA role.
CHROME_TAGS = frozenset({"nav", "footer", "aside"})
CHROME_ROLES = frozenset({"navigation", "contentinfo", "complementary", "banner", "search",
                          "menu", "menubar", "dialog", "alertdialog"})
#: Words of class / id attributes that name page furniture (split on non-letters, lower case).
CHROME_WORDS = frozenset({
    "nav", "navbar", "navigation", "menu", "submenu", "breadcrumb", "breadcrumbs", "footer",
    "sidebar", "share", "sharing", "sharebar", "social", "socials", "newsletter", "newsletters",
    "cookie", "cookies", "consent", "gdpr", "rgpd", "related", "outbrain", "taboola", "ads",
    "advert", "advertisement", "adsense", "promo", "subscribe", "login", "signin", "popup",
    "modal", "toolbar",
})
# Not in the list although common: "banner" and "header" (the article's own headline block
# is often named so), "paywall" and "premium" (the body of a paid article is wrapped so).
#: Hyphenated class names of "more on this" boxes ("en-savoir-plus", "read-more").
CHROME_PHRASES = ("savoir-plus", "read-more", "readmore", "voir-aussi", "lire-aussi",
                  "a-lire", "more-stories", "most-read", "plus-lus")
COMMENT_WORDS = frozenset({"comment", "comments", "commentaire", "commentaires", "disqus",
                           "reactions", "respond", "discussion"})
#: A line with this share of its characters in links is a link line (menus, link lists,
#: "Lire aussi" cards).
LINK_LINE_SHARE = 0.8
#: trafilatura merges inline runs; a line of at least this many characters found inside its
#: text (or the JSON-LD body) counts as kept by it, shorter ones must match a whole line.
MATCH_MIN_CHARS = 25

_WORDS = re.compile(r"[a-z]+")
_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "«": '"', "»": '"', "“": '"', "”": '"',
                         "\u00a0": " ", "\u202f": " "})


@dataclass
class HtmlText:
    """The visible text of a page, its layout flags (line start offset -> flags) and metadata."""

    text: str
    layout: dict[int, str] = field(default_factory=dict)
    title: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass
class _Context:
    link: bool = False
    chrome: bool = False
    comment: bool = False


@dataclass
class _Buffer:
    parts: list[str] = field(default_factory=list)
    chars: int = 0
    link: int = 0
    chrome: int = 0
    comment: int = 0


def _norm(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES)).strip()


def _attr_words(el: Any) -> set[str]:
    """Words of the element's class and id; a chrome phrase counts as the word "related"."""
    words: set[str] = set()
    for name in ("class", "id"):
        value = el.get(name)
        if value:
            value = value.lower()
            words.update(_WORDS.findall(value))
            dashed = re.sub(r"[^a-z]+", "-", value)
            if any(p in dashed for p in CHROME_PHRASES):
                words.add("related")
    return words


def _hidden(el: Any) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _text_sizes(root: Any) -> dict[Any, int]:
    """Characters of visible text under each element (one post-order pass)."""
    sizes: dict[Any, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        el, done = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in SKIP_TAGS:
            continue
        if done:
            n = len((el.text or "").strip())
            for child in el:
                n += sizes.get(child, 0) + len((child.tail or "").strip())
            sizes[el] = n
            continue
        stack.append((el, True))
        stack.extend((child, False) for child in el)
    return sizes


def _context(parent: _Context, el: Any, tag: str, size: int, total: int) -> _Context:
    """The context of an element's text.  Class / id words only count on an element holding
    less than half of the page's text: a page wrapper named "has-sidebar" is not a sidebar."""
    words = _attr_words(el) if 2 * size < total else set()
    role = (el.get("role") or "").lower()
    return _Context(
        link=parent.link or tag == "a",
        chrome=parent.chrome or tag in CHROME_TAGS or role in CHROME_ROLES
        or bool(words & CHROME_WORDS),
        comment=parent.comment or bool(words & COMMENT_WORDS),
    )


def visible_blocks(root: Any) -> list[tuple[str, str]]:
    """(text, flags) of every visible block of an lxml tree, in document order.

    Flags here: ``l`` link line, ``c`` furniture container, ``r`` comment container.  Walks
    the tree with an explicit stack (no recursion limit on deep pages).
    """
    out: list[tuple[str, str]] = []
    buf = _Buffer()

    def add(text: str | None, ctx: _Context) -> None:
        if not text:
            return
        buf.parts.append(text)
        n = len(text.strip())
        buf.chars += n
        if ctx.link:
            buf.link += n
        if ctx.chrome:
            buf.chrome += n
        if ctx.comment:
            buf.comment += n

    def flush() -> None:
        nonlocal buf
        text = _SPACES.sub(" ", "".join(buf.parts)).strip()
        if text and buf.chars:
            flags = ""
            if buf.link >= LINK_LINE_SHARE * buf.chars:
                flags += "l"
            if buf.chrome * 2 >= buf.chars:
                flags += "c"
            if buf.comment * 2 >= buf.chars:
                flags += "r"
            out.append((text, flags))
        buf = _Buffer()

    sizes = _text_sizes(root)
    total = max(1, sizes.get(root, 0))
    stack: list[tuple[Any, bool, _Context]] = [(root, False, _Context())]
    while stack:
        el, leaving, ctx = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if leaving:
            if tag in BLOCK_TAGS:
                flush()
            add(el.tail, ctx)
            continue
        if not tag or tag in SKIP_TAGS or _hidden(el):
            add(el.tail, ctx)  # comments, processing instructions, invisible elements
            continue
        inner = _context(ctx, el, tag, sizes.get(el, 0), total)
        if tag in BLOCK_TAGS:
            flush()
        add(el.text, inner)
        stack.append((el, True, ctx))
        for child in reversed(el):
            stack.append((child, False, inner))
    flush()
    return out


def _json_ld_bodies(root: Any) -> list[str]:
    """``articleBody`` values of the page's JSON-LD objects."""
    bodies: list[str] = []
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        todo = [data]
        while todo:
            item = todo.pop()
            if isinstance(item, list):
                todo.extend(item)
            elif isinstance(item, dict):
                body = item.get("articleBody")
                if isinstance(body, str) and body.strip():
                    bodies.append(_norm(body))
                todo.extend(v for v in item.values() if isinstance(v, dict | list))
    return bodies


def _main_lines(text: str) -> tuple[set[str], str]:
    """trafilatura's lines (list markers and table bars removed) and all its text joined."""
    lines: set[str] = set()
    for raw in text.split("\n"):
        line = _norm(raw)
        if line.startswith("- "):
            line = line[2:]
        for cell in line.split(" | ") if " | " in line else [line]:
            cell = cell.strip(" |")
            if cell:
                lines.add(cell)
    return lines, " \n ".join(sorted(lines))


def extract_page(html: str, url: str | None = None) -> HtmlText:
    """Visible text and layout flags of an HTML page, with trafilatura's metadata.

    Raises whatever lxml / trafilatura raise on a page they cannot parse (the caller records
    it on the document).
    """
    import trafilatura
    from trafilatura.utils import load_html

    result = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    main_text = (getattr(result, "text", None) or "") if result is not None else ""
    page = HtmlText(text="",
                    title=getattr(result, "title", None) if result is not None else None,
                    date=getattr(result, "date", None) if result is not None else None,
                    url=getattr(result, "url", None) if result is not None else None)
    root = load_html(html)
    blocks = visible_blocks(root.find("body") if root is not None
                            and root.find("body") is not None else root) \
        if root is not None else []
    main, joined = _main_lines(main_text)
    bodies = _json_ld_bodies(root) if root is not None else []
    lines: list[str] = []
    offset = 0
    for text, flags in blocks:
        text = unicodedata.normalize("NFC", text)
        key = _norm(text)
        if key in main or (len(key) >= MATCH_MIN_CHARS and key in joined):
            flags = "m" + flags
        if len(key) >= MATCH_MIN_CHARS and any(key in body for body in bodies):
            flags = "j" + flags
        if flags:
            page.layout[offset] = flags
        lines.append(text)
        offset += len(text) + 1
    page.text = "\n".join(lines)
    if not any("m" in f for f in page.layout.values()) and main_text.strip():
        # trafilatura's text matches no block (unusual markup): use it as the page's text
        page.text = main_text
        page.layout = {}
        start = 0
        for raw in main_text.split("\n"):
            if raw.strip():
                page.layout[start + len(raw) - len(raw.lstrip())] = "m"
            start += len(raw) + 1
    return page
