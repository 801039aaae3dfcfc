"""End to end: the pipeline over the shipped corpus writes the five contract tables."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
from conftest import CORPUS, SEED_GOLD

from souverain_nlp import ingest
from souverain_nlp.pipeline import clean_corpus
from souverain_nlp.store import SCHEMAS, TABLES


def test_five_tables_with_contract_columns(seed_run):
    out, summary = seed_run
    for name in TABLES:
        table = pq.read_table(out / f"{name}.parquet")
        assert table.schema.names == SCHEMAS[name].names
    assert summary.articles == 5
    assert summary.errors == 0


def test_articles_are_cleaned_and_dated(seed_run):
    """text_clean is the content of each seed article as the gold gives it: its raw lines
    less the boilerplate lines, in order; dates stated in a byline are read from it."""
    out, _ = seed_run
    articles = {a["source"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    gold = [json.loads(line) for line in SEED_GOLD.read_text(encoding="utf-8").splitlines()]
    assert sorted(articles) == sorted(g["source"] for g in gold)
    for g in gold:
        art = articles[g["source"]]
        assert art["status"] == "ok" and len(art["article_id"]) == 16
        raw = (CORPUS / g["source"]).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        content = [line.strip() for n, line in enumerate(raw.split("\n"), start=1)
                   if line.strip() and n not in g["boilerplate_lines"]]
        kept = [line.strip() for line in art["text_clean"].split("\n") if line.strip()]
        assert kept == content, g["source"]
        assert art["n_chars_clean"] == len(art["text_clean"])
        if g["boilerplate_lines"]:
            assert art["n_chars_clean"] < art["n_chars_raw"]
        if g["published"]:
            assert (art["published"], art["published_from"]) == (g["published"], "byline")
        else:
            assert art["published_from"] != "byline", g["source"]


PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Orange et Google s'allient dans le cloud - Le Quotidien</title></head><body>
<header><nav><a href="/">Accueil</a> <a href="/eco">Économie</a></nav></header>
<main><article>
<h1>Orange et Google s'allient dans le cloud</h1>
<p>Par Jeanne Martin, publié le 12 mars 2021 à 10h00</p>
<p>L'opérateur Orange a signé jeudi un partenariat avec l'américain Google pour développer des
services de cloud destinés aux entreprises européennes.</p>
<p>Les deux groupes vont construire ensemble une offre hébergée en France, avec des centres de
données exploités par l'opérateur et des logiciels fournis par le géant californien.</p>
<p>Le premier service sera lancé l'an prochain, selon un communiqué publié par les deux
entreprises, qui n'ont pas donné le montant de leur investissement commun.</p>
<p>À lire aussi</p>
<ul><li><a href="/a1">Le gouvernement démissionne, Macron se sépare de Philippe</a></li>
<li><a href="/a2">Boycott : Facebook frappé au cœur de son modèle économique</a></li>
<li><a href="/a3">Hôpital : plus de 4.000 lits supprimés en 2018</a></li></ul>
<p>Vos réactions doivent respecter nos CGU.</p>
</article></main>
<footer><p>Le Quotidien 2021 - Mentions légales - Contact</p></footer></body></html>
"""
BODY = ("L'opérateur Orange a signé jeudi", "Les deux groupes vont construire ensemble",
        "Le premier service sera lancé l'an prochain")
FURNITURE = ("Par Jeanne Martin", "À lire aussi", "Macron se sépare de Philippe", "Facebook frappé",
             "4.000 lits", "Vos réactions", "Accueil", "Mentions légales")


def test_html_page_keeps_its_body_and_drops_what_extraction_left(tmp_path):
    """What the HTML extraction leaves around an article's body (byline, a related-articles
    list, a comment notice) is dropped by cleaning, on an HTML page as on a text file."""
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (clean,) = clean_corpus(list(ingest.iter_corpus(tmp_path)))
    text = " ".join(clean.text_clean.split())
    for body in BODY:
        assert body in text
    for furniture in FURNITURE:
        assert furniture not in text, furniture
    assert clean.published == "2021-03-12"


def test_every_block_has_a_decision(seed_run):
    out, _ = seed_run
    blocks = pq.read_table(out / "blocks.parquet").to_pylist()
    assert blocks
    assert all(b["reason"] for b in blocks)
    assert {b["kept"] for b in blocks} == {True, False}


def test_events_point_into_text_clean(seed_run):
    out, _ = seed_run
    articles = {a["article_id"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    events = pq.read_table(out / "events.parquet").to_pylist()
    assert len(events) >= 10
    for e in events:
        text = articles[e["article_id"]]["text_clean"]
        assert text[e["start"] : e["end"]].strip() == e["sentence"]
        assert len(e["who"]) + len(e["with_whom"]) >= 2
        assert len(e["countries"]) == len(e["party_ids"])
        assert 0 < e["confidence"] <= 1


def test_mentions_point_into_text_clean(seed_run):
    out, _ = seed_run
    articles = {a["article_id"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    mentions = pq.read_table(out / "mentions.parquet").to_pylist()
    assert mentions
    for m in mentions:
        assert articles[m["article_id"]]["text_clean"][m["start"] : m["end"]] == m["text"]


def test_entities_have_ids_and_blocs(seed_run):
    out, _ = seed_run
    entities = pq.read_table(out / "entities.parquet").to_pylist()
    by_name = {e["name"]: e for e in entities}
    assert len({e["entity_id"] for e in entities}) == len(entities)
    assert by_name["Microsoft"]["bloc"] == "US"
    assert by_name["Alibaba"]["country"] == "CN"


def test_ovhcloud_google_deal_is_one_group_across_articles(seed_run):
    """The deal told by two seed articles (gold: 002 and 004) is one group of both."""
    out, _ = seed_run
    events = pq.read_table(out / "events.parquet").to_pylist()
    deal = [e for e in events if {"ovhcloud", "google"} == {p.lower() for p in e["party_ids"]}]
    assert {e["source"] for e in deal} == {"002_5e6dd8e330b6790f.txt", "004_4d072a949d9cb30e.txt"}
    assert len({e["event_group"] for e in deal}) == 1
    assert {e["group_n_articles"] for e in deal} == {2}
    others = [e for e in events if e["event_group"] == deal[0]["event_group"]]
    assert others == deal  # no other event joined that group


def test_a_headline_left_out_of_the_body_reaches_the_actors_stage():
    from souverain_nlp.pipeline import _title_outside
    from souverain_nlp.records import CleanDoc

    body = "Le constructeur a dévoilé une série limitée.\nElle sera produite en 2026."
    page = CleanDoc(article_id="a", source="a.html", text_clean=body,
                    title="Volkswagen rend hommage à un designer")
    assert _title_outside(page) == "Volkswagen rend hommage à un designer"
    kept = CleanDoc(article_id="b", source="b.txt",
                    text_clean="Volkswagen rend hommage à un designer\n" + body,
                    title="Volkswagen rend hommage à un designer")
    assert _title_outside(kept) is None
    assert _title_outside(CleanDoc(article_id="c", source="c.txt", text_clean=body)) is None
