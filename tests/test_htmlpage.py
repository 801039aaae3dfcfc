"""HTML pages: visible blocks, layout flags, and the body cleaning finds on them."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from souverain_nlp.clean import clean
from souverain_nlp.htmlpage import _json_ld_bodies, extract_page, visible_blocks
from souverain_nlp.ingest import read_path

BODY1 = ("La coopérative laitière Ker Avel a signé mardi un partenariat avec l'éditeur "
         "allemand Nordsoft pour numériser la collecte du lait dans ses deux cents fermes.")
BODY2 = ("Le logiciel de Nordsoft suivra chaque camion en temps réel, ferme par ferme, et la "
         "coopérative compte ainsi réduire ses coûts de transport de quinze pour cent.")
TAIL = ("La directrice de Ker Avel prévoit un déploiement dans toutes les fermes de la "
        "coopérative d'ici à la fin de l'année, après un essai dans le Finistère.")
STANDFIRST = "La coopérative bretonne veut réduire de quinze pour cent ses coûts de collecte."
COMMENT = ("Encore un logiciel allemand pour nos fermes, je doute que les éleveurs y gagnent "
           "vraiment quelque chose sur le long terme.")

PAGE = f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Ker Avel confie sa collecte à Nordsoft - Laiterie Mag</title>
<meta property="article:published_time" content="2021-03-09T11:20:00+01:00">
</head><body class="page has-sidebar">
<div class="cookie-banner"><p>Nous utilisons des cookies pour mesurer l'audience de ce site.
En poursuivant votre navigation, vous acceptez leur utilisation.</p></div>
<header><nav><a href="/">Accueil</a> <a href="/eco">Économie</a> <a href="/r">Régions</a></nav>
</header><main><div class="article-header"><h1>Ker Avel confie sa collecte à Nordsoft</h1>
<p class="standfirst">{STANDFIRST}</p><p>Par <a href="/a">Jeanne Martin</a>, publié le 9 mars
2021 à 11h20</p></div><article><p>{BODY1}</p><p>{BODY2}</p>
<p><strong>À lire aussi :</strong> <a href="/x">Les laiteries bretonnes misent sur les
capteurs</a></p><div class="video"><iframe src="https://video.example/v"></iframe></div>
{TAIL}</article></main>
<aside><h3>Les plus lus</h3><ul><li><a href="/b">Le port de Brest agrandit son terminal</a></li>
<li><a href="/c">Une start-up nantaise lève dix millions d'euros</a></li></ul></aside>
<section id="comments"><h3>2 commentaires</h3><p>Yann29</p><p>{COMMENT}</p></section>
<footer><p>© Laiterie Mag 2021 - Tous droits réservés</p></footer></body></html>"""


def _blocks(markup: str) -> list[tuple[str, str]]:
    return visible_blocks(lxml_html.fromstring(markup))


def test_block_elements_end_lines_and_inline_ones_do_not() -> None:
    blocks = _blocks("<div><p>Un <b>mot</b> en gras</p><table><tr><td>Prix</td><td>12 €</td>"
                     "</tr></table><div><iframe></iframe></div>texte après la vidéo<br>suite"
                     "</div>")
    assert [t for t, _ in blocks] == ["Un mot en gras", "Prix", "12 €",
                                      "texte après la vidéo", "suite"]


def test_flags_of_links_furniture_comments_and_hidden_text() -> None:
    blocks = dict(_blocks(
        "<body><nav><p>Menu du site</p></nav><p><a href='/x'>Un titre lié</a></p>"
        "<div class='share-buttons'><p>Partager</p></div>"
        "<div id='comments'><p>Un avis de lecteur</p></div>"
        "<p style='display:none'>Texte caché</p><p hidden>Autre texte caché</p>"
        "<p>Un paragraphe ordinaire de texte.</p></body>"))
    assert blocks["Menu du site"] == "c"
    assert blocks["Un titre lié"] == "l"
    assert blocks["Partager"] == "c"
    assert blocks["Un avis de lecteur"] == "r"
    assert blocks["Un paragraphe ordinaire de texte."] == ""
    assert "Texte caché" not in blocks and "Autre texte caché" not in blocks


def test_a_wrapper_named_like_a_sidebar_is_not_furniture() -> None:
    blocks = _blocks("<body class='with-sidebar'><div class='layout-sidebar-left'>"
                     f"<p>{BODY1}</p><p>{BODY2}</p></div>"
                     "<div class='sidebar'><p>Les plus lus</p></div></body>")
    assert blocks == [(BODY1, ""), (BODY2, ""), ("Les plus lus", "c")]


def test_deep_pages_are_walked_without_recursion() -> None:
    import sys

    markup = "<div>" * 200 + "<p>Tout au fond</p>" + "</div>" * 200
    root = lxml_html.fromstring(markup)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(100)  # a recursive walk of 200 levels would fail
    try:
        blocks = visible_blocks(root)
    finally:
        sys.setrecursionlimit(limit)
    assert ("Tout au fond", "") in blocks


def test_json_ld_article_body_anywhere_in_the_graph() -> None:
    root = lxml_html.fromstring(
        '<html><head><script type="application/ld+json">{"@graph": [{"@type": "WebPage"},'
        '{"@type": "NewsArticle", "articleBody": "Un  corps\\nd\'article."}]}</script>'
        '<script type="application/ld+json">{not json</script></head><body></body></html>')
    assert _json_ld_bodies(root) == ["Un corps d'article."]


def test_extract_page_marks_trafilatura_main_text() -> None:
    page = extract_page(PAGE)
    lines = page.text.split("\n")
    offsets = {}
    pos = 0
    for line in lines:
        offsets[line] = pos
        pos += len(line) + 1
    assert "m" in page.layout.get(offsets[BODY1], "")
    assert "c" in page.layout.get(offsets["Accueil Économie Régions"], "")
    assert page.title.startswith("Ker Avel confie sa collecte")
    assert page.date == "2021-03-09"


def test_html_page_body_lede_and_tail_kept_furniture_dropped(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = next(read_path(path, tmp_path))
    assert doc.layout
    cd = clean(doc)
    for kept in (STANDFIRST, BODY1, BODY2, TAIL):
        assert kept in cd.text_clean
    for dropped in ("Accueil", "cookies", "À lire aussi", "Le port de Brest", "Yann29",
                    COMMENT, "Tous droits réservés", "Ker Avel confie sa collecte à Nordsoft"):
        assert dropped not in cd.text_clean
    assert cd.title == "Ker Avel confie sa collecte à Nordsoft"
    assert (cd.published, cd.published_from) == ("2021-03-09", "byline")
    reasons = {doc.raw_text[b.start:b.end]: b.reason for b in cd.blocks}
    assert reasons[COMMENT] in ("comment_block", "comment_zone")
    assert reasons["Le port de Brest agrandit son terminal"] in ("page_chrome", "related_zone")


def test_unparsable_page_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "vide.html"
    path.write_text("<html><body><script>var x = 1;</script></body></html>", encoding="utf-8")
    doc = next(read_path(path, tmp_path))
    assert doc.status in ("skipped", "error") and doc.error


def test_link_headline_left_in_the_main_text_is_dropped_an_email_is_not(tmp_path: Path) -> None:
    link = "Les laiteries bretonnes misent sur les capteurs connectés"
    page = (f"<html><head><title>Ker Avel</title></head><body><article><h1>Ker Avel choisit "
            f"Nordsoft</h1><p>{BODY1}</p><p><a href='/x'>{link}</a></p><p>{BODY2}</p>"
            f"<p>Contact : <a href='mailto:presse@kervel.example'>presse@kervel.example</a>"
            f"</p><p>{TAIL}</p></article></body></html>")
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    cd = clean(next(read_path(path, tmp_path)))
    assert BODY1 in cd.text_clean and BODY2 in cd.text_clean and TAIL in cd.text_clean
    assert link not in cd.text_clean
    assert "presse@kervel.example" in cd.text_clean
