"""Cleaning-only scores of a dev set and trafilatura's baseline on the same HTML pages."""

from __future__ import annotations

import json
from pathlib import Path

from souverain_nlp.devsets import DevSet, clean_scores, format_table, trafilatura_scores

BODY = ("La coopérative Ker Avel a signé mardi un partenariat avec l'éditeur allemand Nordsoft "
        "pour numériser la collecte du lait dans ses deux cents fermes bretonnes.")
PAGE = f"""<html><head><title>Ker Avel choisit Nordsoft</title></head><body>
<nav><a href="/">Accueil</a><a href="/eco">Économie</a><a href="/sport">Sport</a></nav>
<article><h1>Ker Avel choisit Nordsoft</h1><p>Publié le 9 mars 2021</p><p>{BODY}</p>
<p>Le logiciel suivra chaque camion de collecte en temps réel, ferme par ferme, et la
coopérative compte réduire ses coûts de transport de quinze pour cent en deux ans.</p></article>
<footer><p>© Laiterie Mag 2021 - Tous droits réservés</p></footer></body></html>"""


def _set(tmp_path: Path, form: str) -> DevSet:
    folder = tmp_path / "pages" / form
    folder.mkdir(parents=True)
    if form == "html":
        (folder / "p1.html").write_text(PAGE, encoding="utf-8")
    else:
        (folder / "p1.txt").write_text(
            f"Accueil\nÉconomie\nSport\nKer Avel choisit Nordsoft\nPublié le 9 mars 2021\n"
            f"{BODY}\n© Laiterie Mag 2021 - Tous droits réservés\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({
        "source": "p1.html", "published": "2021-03-09",
        "keep_snippets": ["partenariat avec l'éditeur allemand Nordsoft"],
        "drop_snippets": ["Tous droits réservés", "Accueil"]}) + "\n", encoding="utf-8")
    return DevSet(f"pages_{form}", f"pages/{form}", "gold.jsonl", events=False)


def test_clean_scores_of_a_text_set(tmp_path: Path) -> None:
    report = clean_scores(tmp_path, _set(tmp_path, "txt"))
    assert report["keep_rate"] == 1.0 and report["drop_rate"] == 1.0
    assert report["published_right"] == "1/1"
    assert trafilatura_scores(tmp_path, _set(tmp_path / "x", "txt")) is None


def test_clean_scores_and_trafilatura_baseline_of_an_html_set(tmp_path: Path) -> None:
    dev = _set(tmp_path, "html")
    report = clean_scores(tmp_path, dev)
    assert report["keep_rate"] == 1.0 and report["drop_rate"] == 1.0
    assert report["published_accuracy"] == 1.0
    baseline = trafilatura_scores(tmp_path, dev)
    assert baseline is not None and set(baseline) == {"keep_rate", "drop_rate"}


def test_format_table_shows_trafilatura_beside_ours() -> None:
    table = format_table({"web_fr_html": {"keep_rate": 1.0, "drop_rate": 0.98,
                                          "trafilatura_keep_rate": 0.984,
                                          "trafilatura_drop_rate": 0.848,
                                          "published_right": "0/0"}})
    assert "trafilatura (same HTML)" in table.splitlines()[0]
    assert "keep 1.000 drop 0.980 | keep 0.984 drop 0.848" in table
