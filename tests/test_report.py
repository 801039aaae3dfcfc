"""The HTML report (souverain_nlp.report): contents, self-containment, rendering in Chromium."""

from __future__ import annotations

import base64
import html
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from souverain_nlp.cli import app
from souverain_nlp.load import load
from souverain_nlp.report import BLOC_COLOURS, write_report
from souverain_nlp.store import write_tables

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
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
SECTIONS = ("network", "timeline", "axes", "events")
IMG_SRC = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", re.IGNORECASE)


@pytest.fixture(scope="module")
def seed_report(seed_run, tmp_path_factory) -> Path:
    out_dir, _ = seed_run
    return write_report(out_dir, tmp_path_factory.mktemp("report") / "report.html")


def _find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a Chromium binary, installed from the system package manager when missing."""
    found = _find_chromium()
    if found:
        return found
    if shutil.which("apt-get") is None:
        pytest.skip("Chromium is not installed and there is no apt-get to install it")
    if os.geteuid() != 0:
        pytest.skip("Chromium is not installed and installing it needs root (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as err:
            pytest.skip(f"could not install Chromium ({' '.join(cmd)}): {err}")
        if done.returncode != 0:
            pytest.skip(f"could not install Chromium ({' '.join(cmd)}): {done.stderr[-400:]}")
    found = _find_chromium()
    if not found:
        pytest.skip("apt-get installed chromium but no chromium binary was found")
    return found


def _visible_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_report_has_its_sections_and_numbers(seed_run, seed_report):
    page = seed_report.read_text(encoding="utf-8")
    data = load(seed_run[0])
    for section in SECTIONS:
        assert f'<section id="{section}">' in page, section
    text = _visible_text(page)
    assert f"{len(data.events)}events" in re.sub(r"\s+", "", text)
    assert f"{data.events['event_group'].nunique()}deals" in re.sub(r"\s+", "", text)
    for axis in data.events["axis"].dropna().astype(str).unique():
        assert axis in text


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
    assert "<script" not in page.lower()
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
