"""The HTML report (souverain_nlp.report): contents, self-containment, rendering in Chromium,
and the events table sorted, filtered and downloaded in headless Chromium (Selenium with
Debian's chromium and chromium-driver, which ``make test`` installs when missing)."""

from __future__ import annotations

import base64
import csv
import html
import io
import re
import shutil
import subprocess
import time
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from conftest import SEED_REQUIRED_EVENTS, assert_seed_events
from PIL import Image
from typer.testing import CliRunner

from souverain_nlp.cli import app
from souverain_nlp.load import load
from souverain_nlp.report import BLOC_COLOURS, network_figure, outlet, write_report
from souverain_nlp.store import write_problems, write_tables

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVER_NAMES = ("chromedriver",)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
SECTIONS = ("network", "timeline", "axes", "events", "inputs")
IMG_SRC = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", re.IGNORECASE)


@pytest.fixture(scope="module")
def seed_report(seed_run, tmp_path_factory) -> Path:
    out_dir, _ = seed_run
    return write_report(out_dir, tmp_path_factory.mktemp("report") / "report.html")


def _find(names: tuple[str, ...], fallback: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return fallback if Path(fallback).exists() else None


@pytest.fixture(scope="session")
def browser_paths() -> tuple[str, str]:
    """Chromium and its ChromeDriver, which ``make test`` installs (``make browser``: Debian's
    chromium and chromium-driver).  Fails, never skips, when they are missing: a test does
    not install software."""
    chromium = _find(CHROMIUM_NAMES, "/usr/bin/chromium")
    driver = _find(DRIVER_NAMES, "/usr/bin/chromedriver")
    if not chromium or not driver:
        missing = " and ".join(n for n, p in (("Chromium", chromium), ("ChromeDriver", driver))
                               if not p)
        pytest.fail(f"the report's browser tests need {missing}: run `make browser` (Debian's "
                    "chromium and chromium-driver), or `make test`, which does it")
    return chromium, driver


@pytest.fixture(scope="session")
def chromium(browser_paths) -> str:
    return browser_paths[0]


def _visible_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_report_has_its_sections_and_numbers(seed_run, seed_report):
    page = seed_report.read_text(encoding="utf-8")
    assert_seed_events(seed_run[0])  # the tables hold the seed gold's events, no other
    data = load(seed_run[0])
    for section in SECTIONS:
        assert f'<section id="{section}">' in page, section
    text = re.sub(r"\s+", "", _visible_text(page))
    n_events = len(data.events)
    assert n_events >= SEED_REQUIRED_EVENTS
    assert f"{n_events}events" in text
    assert f"{data.events['event_group'].nunique()}deals" in text
    # the gold tells two deals in two articles: OVH / Google (002, 004), France / Allemagne
    # (001, 003)
    assert re.search(r"(\d+)dealstoldby2\+articles", text).group(1) == "2"
    for axis in data.events["axis"].dropna().astype(str).unique():
        assert axis in text


def _known_event(event_id, article_id, who, with_whom, group, n_articles, axis, **kw):
    return {"event_id": event_id, "article_id": article_id, "source": f"{article_id}.txt",
            "kind": "partnership", "status": "announced", "who": [who], "with_whom": [with_whom],
            "party_ids": [who.lower(), with_whom.lower()], "sentence": f"{who} et {with_whom}.",
            "start": 0, "end": 5, "confidence": 0.9, "event_group": group,
            "group_n_articles": n_articles, "countries": [], "axis": axis, **kw}


def test_report_numbers_of_known_tables(tmp_path):
    """Tables written by hand: every number of the report is known beforehand."""
    articles = [
        {"article_id": "a1", "source": "a1.txt", "status": "ok"},
        {"article_id": "a2", "source": "a2.txt", "status": "ok"},
        {"article_id": "a3", "source": "a3.txt", "status": "skipped", "error": "empty file"},
    ]
    events = [
        _known_event("e1", "a1", "Orange", "Google", "g1", 2, "EU-US", date="2020-07",
                     date_granularity="month"),
        _known_event("e2", "a2", "Orange", "Google", "g1", 2, "EU-US"),
        _known_event("e3", "a1", "Renault", "Baidu", "g2", 1, "EU-CN", date="2019",
                     date_granularity="year"),
        _known_event("e4", "a2", "Sanofi", "Pfizer", "g3", 1, "EU-US", status="negated"),
    ]
    write_tables(tmp_path, {"articles": articles, "events": events})
    page = write_report(tmp_path).read_text(encoding="utf-8")
    cards = dict((k, int(v)) for v, k in re.findall(
        r"<div class='card'><b>(\d+)</b><span>([^<]+)</span>", page))
    assert cards == {"articles (2 processed)": 3, "events": 4, "deals (event groups)": 3,
                     "actors in events": 6, "deals told by 2+ articles": 1}
    axes = re.findall(r"<tr><td>([^<]+)</td><td class='num'>(\d+)</td><td class='num'>(\d+)"
                      r"</td><td class='num'>(\d+)</td></tr>", page)
    # positive events only (e4 is negated): axis, deals, events, articles
    assert axes == [("EU-US", "1", "2", "2"), ("EU-CN", "1", "1", "1")]
    text = _visible_text(page)
    assert "1 negated event left out of the figures" in text
    assert "0 undated deals not drawn" in " ".join(text.split())


def test_every_event_is_in_the_table_with_its_evidence(seed_run, seed_report):
    page = seed_report.read_text(encoding="utf-8")
    events = load(seed_run[0]).events
    assert len(events) > 0
    rows = re.findall(r'data-event-id="([^"]+)"', page)
    assert sorted(rows) == sorted(events["event_id"])
    text = _visible_text(page)
    for _, ev in events.iterrows():
        assert ev["sentence"] in text, ev["event_id"]
        for name in list(ev["who"]) + list(ev["with_whom"]):
            assert name in text


def test_report_is_self_contained(seed_report):
    page = seed_report.read_text(encoding="utf-8")
    sources = IMG_SRC.findall(page)
    assert len(sources) == 3, "network, timeline and axis figures"
    for src in sources:
        assert src.startswith("data:image/png;base64,")
        image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
        image.verify()
    scripts = re.findall(r"<script\b[^>]*>", page, re.IGNORECASE)
    assert scripts, "the events table's inline script"
    assert all("src=" not in tag.lower() for tag in scripts), "no script is fetched"
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    figures_part = page.split('<section id="events"')[0]  # event sources may link out
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", figures_part)
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    assert style is not None
    assert "@import" not in style.group(1) and "url(" not in style.group(1)


def test_empty_tables_give_a_report_with_notes(tmp_path):
    write_tables(tmp_path, {})
    page = write_report(tmp_path).read_text(encoding="utf-8")
    assert (tmp_path / "report.html").is_file()
    assert "No events in these tables." in page
    assert "<img" not in page
    for section in SECTIONS:
        assert f'<section id="{section}">' in page


def test_missing_tables_raise_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="make run"):
        write_report(tmp_path / "nowhere")


def test_cli_report(seed_run, tmp_path):
    dest = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", "--out", str(seed_run[0]), "--dest", str(dest)])
    assert result.exit_code == 0, result.output
    assert dest.is_file() and str(dest) in result.output
    result = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "make run" in result.output


def _colour_pixels(pixels: np.ndarray, hex_colour: str, tolerance: int = 12) -> int:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels.astype(int) - rgb).max(axis=-1) <= tolerance).sum())


def test_report_renders_in_headless_chromium(seed_report, chromium, tmp_path):
    shot = tmp_path / "report.png"
    cmd = [
        chromium,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={shot}",
        "--window-size=1400,2400",
        seed_report.resolve().as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.is_file(), done.stderr[-2000:]
    pixels = np.asarray(Image.open(shot).convert("RGB"))
    assert pixels.shape[:2] == (2400, 1400)
    assert pixels.std() > 20, "the page is blank"
    # The figures are the only large areas in the bloc colours (bars and nodes): a missing
    # image would leave at most the small dots of the table.
    assert _colour_pixels(pixels, BLOC_COLOURS["US"]) > 2000
    assert _colour_pixels(pixels, BLOC_COLOURS["EU"]) > 2000


def _label_boxes(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer() if fig.canvas is None else (
        fig.canvas.get_renderer()
    )
    texts = [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("label:")]
    return {t.get_gid(): t.get_window_extent(renderer) for t in texts}


def test_network_labels_do_not_overlap(seed_run):
    data = load(seed_run[0])
    fig = network_figure(data.events, data.entities)
    boxes = _label_boxes(fig)
    n_actors = len({p for ids in data.events["party_ids"] for p in ids})
    assert len(boxes) == n_actors, "one label per actor drawn"
    overlaps = [(a, b) for (a, ba), (b, bb) in combinations(boxes.items(), 2) if ba.overlaps(bb)]
    assert not overlaps


def test_crowded_network_labels_do_not_overlap(tmp_path):
    """A hub with many partners of long names: labels move around their nodes."""
    names = [f"Groupe Industriel Numéro {i}" for i in range(9)]
    rows = [
        {"event_id": f"e{i}", "article_id": "a1", "source": "a.txt", "kind": "partnership",
         "status": "announced", "who": ["Microsoft"], "with_whom": [n],
         "party_ids": ["microsoft", f"g{i}"], "sentence": f"Microsoft et {n}.", "start": 0,
         "end": 5, "confidence": 0.9, "event_group": f"g{i}", "group_n_articles": 1,
         "countries": ["US", "FR"], "axis": "EU-US"}
        for i, n in enumerate(names)
    ]
    entities = [{"entity_id": "microsoft", "name": "Microsoft", "bloc": "US"}] + [
        {"entity_id": f"g{i}", "name": n, "bloc": "EU"} for i, n in enumerate(names)
    ]
    write_tables(tmp_path, {"events": rows, "entities": entities})
    data = load(tmp_path)
    boxes = _label_boxes(network_figure(data.events, data.entities))
    assert len(boxes) == 10
    assert not [p for p in combinations(boxes.values(), 2) if p[0].overlaps(p[1])]


def test_events_show_outlet_date_and_the_other_articles_of_a_deal(seed_run, seed_report):
    page = seed_report.read_text(encoding="utf-8")
    data = load(seed_run[0])
    events, articles = data.events, data.articles.set_index("article_id")
    shared = events[events["group_n_articles"] > 1]
    assert len(shared) >= 2, "the seeds tell a deal in two articles"
    rows = dict(re.findall(r'<tr [^>]*data-event-id="([^"]+)"[^>]*>(.*?)</tr>', page, re.S))
    for _, ev in shared.iterrows():
        others = events[(events["event_group"] == ev["event_group"])
                        & (events["article_id"] != ev["article_id"])]
        row = _visible_text(rows[ev["event_id"]])
        assert "same deal also in:" in row
        for _, other in others.iterrows():
            title = articles.loc[other["article_id"], "title"]
            assert (title if isinstance(title, str) else other["source"]) in row
    for _, ev in events.iterrows():
        published = articles.loc[ev["article_id"], "published"]
        if isinstance(published, str):
            assert published in _visible_text(rows[ev["event_id"]])


def test_outlet_and_inputs_section(tmp_path):
    articles = [
        {"article_id": "a1", "source": "lemonde/a.html", "title": "Un accord",
         "published": "2021-03-02", "status": "ok", "url": "https://www.lemonde.fr/eco/a.html"},
        {"article_id": "a2", "source": "empty.txt", "status": "skipped", "error": "empty file"},
        {"article_id": "a3", "source": "bad.jsonl#2", "status": "error",
         "error": "malformed JSON on line 2"},
    ]
    event = {"event_id": "e1", "article_id": "a1", "source": "lemonde/a.html",
             "kind": "partnership", "status": "announced", "who": ["Orange"],
             "with_whom": ["Google"], "party_ids": ["orange", "google"], "sentence": "Orange.",
             "start": 0, "end": 7, "confidence": 0.9, "event_group": "g1",
             "group_n_articles": 1, "countries": ["FR", "US"], "axis": "EU-US"}
    write_tables(tmp_path, {"articles": articles, "events": [event]})
    write_problems(tmp_path, [{"source": "slides.pdf", "status": "ignored",
                               "reason": "unsupported file type '.pdf'"}])
    text = _visible_text(write_report(tmp_path).read_text(encoding="utf-8"))
    assert outlet("https://www.lemonde.fr/eco/a.html") == "lemonde.fr"
    assert "lemonde.fr" in text and "2021-03-02" in text
    inputs = text.split("Skipped, failed and ignored inputs", 1)[1]
    for needle in ("empty.txt", "empty file", "bad.jsonl#2", "malformed JSON on line 2",
                   "slides.pdf", "ignored", "unsupported file type '.pdf'"):
        assert needle in inputs, needle
    write_tables(tmp_path / "clean", {})
    clean = write_report(tmp_path / "clean").read_text(encoding="utf-8")
    assert "Every input was read." in clean


@pytest.fixture
def driver(browser_paths, tmp_path):
    from selenium import webdriver

    chromium, chromedriver = browser_paths
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                 "--window-size=1400,1600"):
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    service = webdriver.ChromeService(executable_path=chromedriver)
    browser = webdriver.Chrome(options=options, service=service)
    browser.execute_cdp_cmd("Browser.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(downloads)})
    browser.downloads = downloads
    try:
        yield browser
    finally:
        browser.quit()


def _column(driver, index: int) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#events-table tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.cells[arguments[0]].getAttribute('data-sort'));",
        index,
    )


def _header(driver, label: str):
    from selenium.webdriver.common.by import By

    for th in driver.find_elements(By.CSS_SELECTOR, "#events-table thead th"):
        if th.text.startswith(label):
            return th
    raise AssertionError(f"no column {label!r}")


def test_events_table_sorts_filters_and_downloads_in_chromium(seed_run, seed_report, driver):
    from selenium.webdriver.common.by import By

    events = load(seed_run[0]).events
    driver.get(seed_report.resolve().as_uri())
    assert not [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    heads = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#events-table th")]
    confidence = next(i for i, h in enumerate(heads) if h.startswith("confidence"))
    date = next(i for i, h in enumerate(heads) if h.startswith("date"))

    th = _header(driver, "confidence")
    th.find_element(By.TAG_NAME, "button").click()
    values = [float(v) for v in _column(driver, confidence)]
    assert values == sorted(values) and len(values) == len(events)
    assert th.get_attribute("aria-sort") == "ascending"
    th.find_element(By.TAG_NAME, "button").click()
    values = [float(v) for v in _column(driver, confidence)]
    assert values == sorted(values, reverse=True)
    assert th.get_attribute("aria-sort") == "descending"

    _header(driver, "date").find_element(By.TAG_NAME, "button").click()
    dates = _column(driver, date)
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates == dated + [""] * (len(dates) - len(dated))
    assert len(dated) == int(events["date_start"].notna().sum())

    box = driver.find_element(By.ID, "events-filter")
    box.send_keys("Microsoft")
    rows = driver.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")
    shown = [r for r in rows if r.is_displayed()]
    expected = [e for _, e in events.iterrows()
                if "Microsoft" in list(e["who"]) + list(e["with_whom"])
                or "microsoft" in e["sentence"].lower()]
    assert 0 < len(shown) < len(rows)
    assert len(shown) == len(expected)
    assert all("microsoft" in r.text.lower() for r in shown)
    count = driver.find_element(By.ID, "events-count").text
    assert count == f"{len(shown)} of {len(rows)} events shown"
    box.clear()
    box.send_keys(" ")  # an input event with an empty filter shows every row again
    kind = driver.find_element(By.CSS_SELECTOR, "select[data-filter=kind]")
    kind.find_element(By.CSS_SELECTOR, "option[value=partnership]").click()
    kinds = driver.execute_script(
        "return Array.from(document.querySelectorAll('#events-table tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.dataset.kind);"
    )
    assert kinds == ["partnership"] * int((events["kind"] == "partnership").sum())

    # the download button saves the rows shown, in the order shown, as CSV (UTF-8 with BOM)
    driver.find_element(By.ID, "events-download").click()
    saved = driver.downloads / "events.csv"
    for _ in range(100):
        if saved.is_file() and saved.stat().st_size:
            break
        time.sleep(0.1)
    data = saved.read_bytes()
    assert data.startswith("\ufeff".encode())
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    ids = driver.execute_script(
        "return Array.from(document.querySelectorAll('#events-table tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.dataset.eventId);"
    )
    assert [r["event_id"] for r in table] == ids
    assert {r["kind"] for r in table} == {"partnership"}
    by_id = events.set_index("event_id")
    for r in table:
        assert r["parties"] == "; ".join([*by_id.loc[r["event_id"], "who"],
                                          *by_id.loc[r["event_id"], "with_whom"]])
