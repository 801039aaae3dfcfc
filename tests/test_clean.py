"""Tests of the clean stage: one small hand-written page per boilerplate signal."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from souverain_nlp.clean import (
    BoilerplateRulesError,
    clean,
    load_rules,
    recurring_lines,
)
from souverain_nlp.ingest import doc_from_text
from souverain_nlp.records import STATUS_SKIPPED, CleanDoc, SourceDoc

FIXTURES = Path(__file__).parent / "fixtures" / "clean"

# A body used by several pages: a fictitious deal, written for these tests.
LEDE = ("La coopérative laitière bretonne Ker Avel a signé mardi un partenariat avec l'éditeur "
        "allemand Nordsoft pour numériser la collecte du lait dans ses deux cents fermes.")
BODY2 = ("Le logiciel de Nordsoft suivra la collecte du lait en temps réel, ferme par ferme, et "
         "la coopérative Ker Avel compte ainsi réduire ses coûts de transport de 15 %.")
BODY3 = ("« Ce partenariat avec Nordsoft nous donne enfin une vision fine de la collecte », a "
         "déclaré la directrice de Ker Avel, qui prévoit un déploiement dans toutes les fermes "
         "de la coopérative d'ici à la fin de l'année.")


def _clean(text: str, **kw) -> CleanDoc:
    return clean(doc_from_text(text, "test.txt", **kw))


def _reasons(cd: CleanDoc, text: str) -> dict[str, str]:
    """Line text -> reason, for readable assertions."""
    raw = text.replace("\r\n", "\n")
    return {raw[b.start:b.end]: b.reason for b in cd.blocks}


def _kept(cd: CleanDoc) -> list[str]:
    return cd.text_clean.split("\n") if cd.text_clean else []


def test_plain_article_is_kept_whole() -> None:
    text = f"{LEDE}\n\n{BODY2}\n{BODY3}\n"
    cd = _clean(text)
    assert _kept(cd) == [LEDE, BODY2, BODY3]
    assert all(b.kept and b.reason == "content" for b in cd.blocks)
    assert cd.n_chars_raw == len(text) and cd.n_chars_clean == len(cd.text_clean)


def test_blocks_have_offsets_into_raw_text() -> None:
    text = f"  {LEDE}  \n\n{BODY2}"
    cd = _clean(text)
    assert [text[b.start:b.end] for b in cd.blocks] == [LEDE, BODY2]
    assert [b.block_index for b in cd.blocks] == [0, 1]


@pytest.mark.parametrize(("marker", "zone"), [
    ("À lire aussi :", "related"),
    ("Sur le même sujet", "related"),
    ("Read more", "related"),
    ("Contenus sponsorisés", "partner"),
    ("Commentaires (3)", "comment"),
    ("Newsletter", "newsletter"),
])
def test_marker_opens_a_zone(marker: str, zone: str) -> None:
    text = (f"{LEDE}\n{BODY2}\n{marker}\n"
            "Un festival de jazz s'installe sur les quais de Lyon\n"
            "Les prix de l'immobilier reculent dans trois métropoles\n")
    cd = _clean(text)
    reasons = _reasons(cd, text)
    assert _kept(cd) == [LEDE, BODY2]
    assert reasons[marker] == f"{zone}_marker"
    assert reasons["Un festival de jazz s'installe sur les quais de Lyon"] == f"{zone}_zone"


def test_body_kept_after_marker_like_line() -> None:
    text = (f"{LEDE}\nLire aussi\nLes éleveurs bretons face à la hausse des coûts\n"
            f"{BODY2}\n{BODY3}\n")
    cd = _clean(text)
    reasons = _reasons(cd, text)
    assert reasons["Lire aussi"] == "related_marker"
    assert reasons["Les éleveurs bretons face à la hausse des coûts"] == "related_zone"
    assert BODY2 in _kept(cd) and BODY3 in _kept(cd)


def test_related_teasers_alternating_with_headlines_are_dropped() -> None:
    teaser = ("La coopérative Ker Avel et d'autres laiteries bretonnes testent un nouveau "
              "logiciel de collecte dans leurs fermes.")
    text = (f"{LEDE}\n{BODY2}\nPlus d'articles sur ce thème\n"
            "Une autre laiterie numérise sa collecte\n"
            f"{teaser}\n"
            "Nordsoft ouvre un bureau à Rennes\n"
            "L'éditeur allemand recrute vingt développeurs.\n")
    cd = _clean(text)
    assert _kept(cd) == [LEDE, BODY2]


def test_navigation_run_of_short_lines() -> None:
    menu = ["Accueil", "Économie", "Régions", "Sport", "Culture"]
    text = "\n".join([*menu, LEDE, BODY2])
    cd = _clean(text)
    reasons = _reasons(cd, text)
    assert _kept(cd) == [LEDE, BODY2]
    assert all(reasons[item] == "navigation" for item in menu)


def test_short_subheading_inside_body_is_kept() -> None:
    text = f"{LEDE}\nUn outil allemand\n{BODY2}\n"
    assert _kept(_clean(text)) == [LEDE, "Un outil allemand", BODY2]


def test_ticker_of_headlines_and_dates() -> None:
    ticker = ["Le port de Brest agrandit son terminal", "12 mars 2021",
              "Grève des contrôleurs aériens ce week-end", "11 mars 2021",
              "Une start-up nantaise lève dix millions", "il y a 3 heures"]
    text = "\n".join([*ticker, LEDE, BODY2])
    cd = _clean(text)
    reasons = _reasons(cd, text)
    assert _kept(cd) == [LEDE, BODY2]
    assert {reasons[line] for line in ticker} == {"ticker"}


def test_time_prefixed_ticker_lines() -> None:
    text = (f"{LEDE}\n{BODY2}\n10:42Sport Le club de Guingamp change d'entraîneur\n"
            "10:15Monde Élections anticipées au Portugal\n")
    cd = _clean(text)
    assert _kept(cd) == [LEDE, BODY2]
    assert set(_reasons(cd, text).values()) == {"content", "ticker"}


def test_link_list_of_bulleted_headlines() -> None:
    text = (f"{LEDE}\n{BODY2}\n"
            "- Les laiteries bretonnes misent sur les capteurs connectés\n"
            "- Nordsoft rachète un concurrent autrichien pour grandir\n"
            "- Le prix du lait payé aux éleveurs repart à la hausse\n")
    cd = _clean(text)
    assert _kept(cd) == [LEDE, BODY2]
    assert "link_list" in _reasons(cd, text).values()


def test_dash_subheading_is_not_a_link_list() -> None:
    text = f"{LEDE}\n- Des gains attendus -\n{BODY2}\n"
    assert "- Des gains attendus -" in _kept(_clean(text))


@pytest.mark.parametrize(("byline", "iso"), [
    ("Par Jeanne Martin, publié le 28 mai 2021", "2021-05-28"),
    ("Publié le 05/05/2020 à 16h30", "2020-05-05"),
    ("AFP, publié le mardi 05 mai 2020 à 16h30", "2020-05-05"),
    ("Publié le 3 février 2019 à 8h00, mis à jour le 4 février 2019 à 9h10", "2019-02-03"),
    ("Par Paul Durand - 12 mars 2021 à 10:15", "2021-03-12"),
    ("Published on May 5, 2020", "2020-05-05"),
])
def test_byline_becomes_metadata(byline: str, iso: str) -> None:
    text = f"{byline}\n{LEDE}\n{BODY2}\n"
    cd = _clean(text, published="2000-01-01")
    assert _kept(cd) == [LEDE, BODY2]
    assert _reasons(cd, text)[byline] == "byline"
    assert cd.published == iso and cd.published_from == "byline"


def test_modification_date_is_not_the_publication_date() -> None:
    """A "Mis à jour le" line gives way to the publication line and to the page metadata; it
    is used only when nothing else dates the article."""
    text = f"Publié le 3 février 2019\nMis à jour le 1er avril 2022\n{LEDE}\n{BODY2}\n"
    assert _clean(text).published == "2019-02-03"
    text = f"Mis à jour le 1er avril 2022\n{LEDE}\n{BODY2}\n"
    cd = _clean(text, published="2022-03-30")
    assert (cd.published, cd.published_from) == ("2022-03-30", "metadata")
    cd = _clean(text)
    assert (cd.published, cd.published_from) == ("2022-04-01", "byline")
    assert _reasons(cd, text)["Mis à jour le 1er avril 2022"] == "byline"


def test_author_only_byline_and_sentence_with_publie_le() -> None:
    sentence = "Le rapport, publié le 3 mai 2020, montre une hausse des ventes."
    text = f"Par Jeanne Martin\n{LEDE}\n{sentence}\n"
    cd = _clean(text)
    assert _reasons(cd, text)["Par Jeanne Martin"] == "byline"
    assert sentence in _kept(cd)
    assert cd.published is None and cd.published_from is None


def test_metadata_date_when_no_byline() -> None:
    cd = _clean(f"{LEDE}\n{BODY2}", published="2021-06-01")
    assert cd.published == "2021-06-01" and cd.published_from == "metadata"


def test_partial_byline_date() -> None:
    text = f"publié le 16 juillet\n{LEDE}\n"
    cd = _clean(text)
    assert cd.published == "XXXX-07-16" and cd.published_from == "byline"
    # the page's metadata gives the year: the full date is used
    cd = _clean(text, published="2020-07-16")
    assert cd.published == "2020-07-16" and cd.published_from == "metadata"


@pytest.mark.parametrize(("line", "reason"), [
    ("© Ouest Médias 2021 - Tous droits réservés", "copyright"),
    ("Copyright 2020 Exemple SA", "copyright"),
    ("Photo : Jean Dupont / AFP", "credit"),
    ("Avec AFP", "agency_line"),
    ("La Gazette avec AFP", "agency_line"),
    ("(Reuters)", "agency_line"),
])
def test_copyright_and_agency_lines(line: str, reason: str) -> None:
    text = f"{LEDE}\n{BODY2}\n{line}\n"
    cd = _clean(text)
    assert _kept(cd) == [LEDE, BODY2]
    assert _reasons(cd, text)[line] == reason


def test_sentence_quoting_an_agency_is_kept() -> None:
    line = "« Nous irons plus loin », a-t-il dit dans un entretien avec l'AFP."
    assert line in _kept(_clean(f"{LEDE}\n{line}\n"))


def test_wire_story_with_dateline_is_dropped() -> None:
    wire = ("Madrid - Le gouvernement espagnol a annoncé jeudi un plan de soutien aux "
            "producteurs d'huile d'olive touchés par la sécheresse, qui a divisé par deux la "
            "récolte andalouse cette saison selon les organisations agricoles.")
    text = f"{LEDE}\n{BODY2}\nSécheresse : l'Espagne aide ses oléiculteurs\n{wire}\n"
    cd = _clean(text)
    reasons = _reasons(cd, text)
    assert reasons[wire] == "wire_story"
    assert reasons["Sécheresse : l'Espagne aide ses oléiculteurs"] == "wire_story"
    assert _kept(cd) == [LEDE, BODY2]


def test_dateline_opening_the_article_is_kept() -> None:
    lede = "Rennes - " + LEDE
    cd = _clean(f"{lede}\n{BODY2}\n")
    assert _kept(cd) == [lede, BODY2]


def test_topic_drift_after_a_menu() -> None:
    drift = ("Le championnat de France de handball reprend ce week-end avec un choc entre "
             "Montpellier et Nantes, deux équipes invaincues depuis le début de la saison.")
    text = f"{LEDE}\n{BODY2}\nSport\nMétéo\nHoroscope\nJeux\n{drift}\n"
    cd = _clean(text)
    assert _reasons(cd, text)[drift] == "after_body"
    assert _kept(cd) == [LEDE, BODY2]


def test_on_topic_paragraph_after_a_menu_is_kept() -> None:
    text = f"{LEDE}\nSport\nMétéo\nHoroscope\nJeux\n{BODY3}\n"
    assert _kept(_clean(text)) == [LEDE, BODY3]


def test_recurring_lines() -> None:
    furniture = "Retrouvez toute notre actualité régionale"
    texts = [f"Article {i} sur un sujet différent numéro {i}.\n{furniture}\n" for i in range(6)]
    recurring = recurring_lines(texts)
    assert "retrouvez toute notre actualite regionale" in recurring
    text = f"{LEDE}\n{furniture}\n{BODY2}"
    cd = clean(doc_from_text(text, "x"), recurring)
    assert _reasons(cd, text)[furniture] == "recurring"
    assert _kept(cd) == [LEDE, BODY2]


def test_recurring_lines_quiet_on_small_distinct_corpus() -> None:
    texts = [f"{LEDE} {i}\n{BODY2} {i}\nLigne propre au texte {i}" for i in range(5)]
    assert recurring_lines(texts) == frozenset()
    assert recurring_lines([]) == frozenset()


def test_newsletter_consent_and_app_promos() -> None:
    promos = ["Inscrivez-vous à notre newsletter pour recevoir l'essentiel chaque matin",
              "Nous utilisons des cookies pour améliorer votre expérience",
              "Téléchargez notre application sur l'App Store"]
    text = "\n".join([LEDE, BODY2, *promos])
    cd = _clean(text)
    assert _kept(cd) == [LEDE, BODY2]


def test_title_detected_and_kept() -> None:
    title = "Ker Avel confie sa collecte de lait à Nordsoft"
    text = f"Laiterie Mag\n\n{title}\n{LEDE}\n{BODY2}"
    cd = _clean(text)
    reasons = _reasons(cd, text)
    assert cd.title == title
    assert reasons["Laiterie Mag"] == "site_name"
    assert reasons[title] == "title"
    assert _kept(cd) == [title, LEDE, BODY2]


def test_metadata_title_and_duplicate_teaser() -> None:
    title = "Ker Avel confie sa collecte de lait à Nordsoft"
    teaser = LEDE[:90] + "..."
    text = f"{title}\n{teaser}\n{LEDE}\n{title}\n{BODY2}"
    cd = _clean(text, title=title)
    reasons = _reasons(cd, text)
    assert cd.title == title
    assert reasons[teaser] == "duplicate"
    assert [b.reason for b in cd.blocks].count("duplicate") == 2
    assert _kept(cd) == [title, LEDE, BODY2]


def test_non_ok_doc_passes_through() -> None:
    doc = SourceDoc(article_id="a", source="x.txt", raw_text="", status=STATUS_SKIPPED,
                    error="empty file")
    cd = clean(doc)
    assert cd.status == STATUS_SKIPPED and cd.error == "empty file"
    assert cd.text_clean == "" and cd.blocks == []


def test_fixture_page() -> None:
    """A whole page written for the tests: menu, ticker, markers, byline, footer."""
    text = (FIXTURES / "page_laiterie.txt").read_text(encoding="utf-8")
    cd = _clean(text)
    assert cd.published == "2021-03-09" and cd.published_from == "byline"
    assert cd.title == "Ker Avel confie sa collecte de lait à Nordsoft"
    body = cd.text_clean
    for keep in ("numériser la collecte du lait", "réduire ses coûts de transport",
                 "une vision fine de la collecte", "Le calendrier du déploiement"):
        assert keep in body
    for drop in ("Accueil", "Le port de Brest", "Grève des contrôleurs", "Une autre laiterie",
                 "handball", "Vos commentaires", "newsletter", "Tous droits réservés",
                 "Publié le", "Madrid -"):
        assert drop not in body


def test_rules_load_once_and_validate(tmp_path: Path) -> None:
    assert load_rules() is load_rules()
    bad = tmp_path / "boilerplate.yaml"
    source = Path(__file__).resolve().parents[1] / "models" / "boilerplate.yaml"
    text = source.read_text(encoding="utf-8").replace(
        '"(voir|lisez) (aussi|egalement)"', '"(voir|lisez (aussi"', 1)
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(BoilerplateRulesError) as err:
        load_rules(bad)
    message = str(err.value)
    assert str(bad) in message and "zone_markers.related" in message
    line_no = int(message.split(":")[1])
    assert "(voir|lisez (aussi" in text.splitlines()[line_no - 1]
    bad.write_text("version: 1\nzone_markers: []\n", encoding="utf-8")
    with pytest.raises(BoilerplateRulesError, match="boilerplate.yaml"):
        load_rules(bad)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000))
def test_clean_never_raises_and_blocks_match_text_clean(text: str) -> None:
    doc = SourceDoc(article_id="h", source="h.txt", raw_text=text)
    cd = clean(doc)
    kept = [text[b.start:b.end] for b in cd.blocks if b.kept]
    assert cd.text_clean == "\n".join(kept)
    assert all(0 <= b.start < b.end <= len(text) for b in cd.blocks)
    assert all(b.reason for b in cd.blocks)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["a", "é", " ", "Lire aussi ", "12 mars 2021 ", "- ", "©"]),
       st.integers(min_value=1, max_value=60_000))
def test_clean_handles_huge_lines(piece: str, n: int) -> None:
    text = piece * n
    cd = clean(SourceDoc(article_id="h", source="h.txt", raw_text=text))
    kept = [text[b.start:b.end] for b in cd.blocks if b.kept]
    assert cd.text_clean == "\n".join(kept)


def test_share_bar_between_byline_and_body_keeps_the_body() -> None:
    lede = ("Ker Avel and Nordsoft said on Tuesday they would digitise milk collection in the "
            "cooperative's two hundred farms, starting in April.")
    body = ("The software will track every truck in real time and the cooperative expects to "
            "cut its transport costs by fifteen percent within two years.")
    text = f"By Jane Smith | Published May 5, 2023\nShare this article\n{lede}\n{body}\n"
    cd = _clean(text)
    assert _kept(cd) == [lede, body]
    assert cd.published == "2023-05-05"


def test_inline_read_also_link_and_paywall_lines() -> None:
    link = "LIRE AUSSI : Les laiteries bretonnes misent sur les capteurs"
    paywall = "Il vous reste 60% de cet article à lire."
    text = f"{LEDE}\n{link}\n{BODY2}\n{paywall}\n"
    cd = _clean(text)
    reasons = _reasons(cd, text)
    assert reasons[link] == "related_link" and reasons[paywall] == "paywall_marker"
    assert _kept(cd) == [LEDE, BODY2]


def test_breadcrumb_is_navigation() -> None:
    text = f"Accueil > Économie > Agriculture\n{LEDE}\n"
    assert _reasons(_clean(text), text)["Accueil > Économie > Agriculture"] == "navigation"


def test_english_article_is_skipped_with_its_language():
    text = (
        "The Norwegian shipping group Fjordline signed a partnership with the software company "
        "Northwind on Tuesday to digitise the booking of its ferries, the group said. Both "
        "companies expect the new system to be available to customers next spring.\n"
    )
    out = clean(doc_from_text(text, "en.txt"))
    assert out.status == "skipped"
    assert "not French" in out.error and "en" in out.error


def test_short_or_french_text_is_not_judged_foreign():
    assert clean(doc_from_text("Breaking news: Renault.\n", "s.txt")).status == "ok"
    french = (
        "La fromagerie savoyarde Alpalait a conclu un accord avec un distributeur allemand pour "
        "vendre ses tommes outre-Rhin, « a great deal » selon son directeur, qui espère doubler "
        "ses ventes à l'export d'ici deux ans.\n"
    )
    assert clean(doc_from_text(french, "fr.txt")).status == "ok"


def test_a_line_repeated_in_one_article_keeps_its_first_copy():
    line = "La fromagerie Alpalait a conclu un accord avec un distributeur allemand hier soir."
    out = clean(doc_from_text(f"{line}\n{line}\n", "dup.txt"))
    assert out.text_clean == line
    assert [b.reason for b in out.blocks] == ["content", "duplicate"]


def test_a_long_sentence_shared_by_several_articles_is_not_boilerplate():
    shared = ("La fromagerie savoyarde Alpalait a conclu mardi un accord de distribution avec "
              "une enseigne allemande pour ses tommes.")
    texts = [f"Titre {i}\n{shared}\nAutre paragraphe {i} du texte." for i in range(5)]
    assert not any(shared.lower()[:30] in key for key in recurring_lines(texts))


# --- Body span, title, ledes and captions (visible-text pages) --------------------------------

MENU = ["Accueil", "Économie", "Régions", "Sport", "Culture", "Services", "Se connecter"]
HEADLINES = ["Le port de Brest agrandit son terminal à conteneurs",
             "Une start-up nantaise lève dix millions d'euros",
             "Les prix de l'immobilier reculent dans trois métropoles"]


@pytest.mark.parametrize(("text", "expected"), [
    ("La coopérative a signé mardi un accord avec Nordsoft.", True),
    ("Faut-il craindre une hausse du prix du lait en Bretagne ?", False),
    ("Le port de Brest agrandit son terminal", False),
    ("Les éleveurs bretons se mobilisent... Quel avenir ?", True),
    ("Une autre laiterie numérise sa collecte (...)", False),
    ("Incroyable opportunité pour Ker Avel qui double la mise sur la collecte !", True),
    ("Breizh : le lait numérique fait recette !", False),
])
def test_sentence_or_headline(text: str, expected: bool) -> None:
    from souverain_nlp.clean import _is_sentence

    assert _is_sentence(text, len(text.split())) is expected


def test_headline_list_after_the_body_is_dropped() -> None:
    text = "\n".join([*MENU, LEDE, BODY2, BODY3, "Jeanne Martin", *HEADLINES,
                      "Mentions légales"])
    cd = _clean(text)
    reasons = _reasons(cd, text)
    assert _kept(cd) == [LEDE, BODY2, BODY3, "Jeanne Martin"]
    assert all(reasons[h] == "after_body" for h in HEADLINES)


def test_unmarked_menu_lines_before_the_body_are_page_header() -> None:
    menu = ["Pour la justice fiscale et sociale", "Agir près de chez vous",
            "Adhérer ou faire un don", "Voir la liste de tous les évènements"]
    text = "\n".join([*menu, LEDE, BODY2])
    assert _kept(_clean(text)) == [LEDE, BODY2]


def test_comment_button_above_the_body_does_not_swallow_it() -> None:
    text = f"Réagir\n{LEDE}\nCommenter\n{BODY2}\n{BODY3}\n"
    assert _kept(_clean(text)) == [LEDE, BODY2, BODY3]


def test_comment_section_after_the_body_never_resumes() -> None:
    comment = ("Je trouve ce partenariat entre Ker Avel et Nordsoft très intéressant pour la "
               "collecte du lait, mais les fermes de la coopérative ont-elles été consultées ?")
    text = f"{LEDE}\n{BODY2}\n{BODY3}\n12 commentaires\nJeanLouis29\nLe 12/03/2021 à 10:15\n" \
           f"{comment}\n{comment.replace('Je trouve', 'Moi aussi je trouve')}\n"
    cd = _clean(text)
    assert _kept(cd) == [LEDE, BODY2, BODY3]
    assert _reasons(cd, text)[comment] == "comment_zone"


def test_page_headline_is_the_title_but_not_body() -> None:
    title = "Ker Avel confie sa collecte de lait à Nordsoft"
    text = "\n".join([*MENU, *HEADLINES[:2], title, "Par Jeanne Martin", LEDE, BODY2])
    cd = _clean(text)
    assert cd.title == title
    assert _reasons(cd, text)[title] == "title"
    assert _kept(cd) == [LEDE, BODY2]


def test_title_is_the_headline_that_shares_the_lede_topic() -> None:
    title = "Ker Avel confie sa collecte de lait à Nordsoft"
    text = "\n".join([title, "Par Jeanne Martin", "Retraite holistique en Bretagne", LEDE,
                      BODY2])
    assert _clean(text).title == title


def test_standfirst_under_the_headline_is_kept() -> None:
    title = "Ker Avel confie sa collecte de lait à Nordsoft"
    standfirst = "La coopérative veut réduire ses coûts de transport."
    text = "\n".join([*MENU, title, standfirst, "Par Jeanne Martin", "Publié le 9 mars 2021",
                      "Partager", "Facebook", "Twitter", LEDE, BODY2])
    cd = _clean(text)
    assert _kept(cd) == [standfirst, LEDE, BODY2]


@pytest.mark.parametrize("credit", ["© AFP", "Photo : Jean Dupont / AFP", "Crédit photo : DR"])
def test_caption_above_the_article_is_dropped(credit: str) -> None:
    caption = "La directrice de Ker Avel dans une ferme de la coopérative, le 3 mars 2021"
    title = "Ker Avel confie sa collecte de lait à Nordsoft"
    text = "\n".join([*MENU, title, "Réagir", caption, credit, "Par Jeanne Martin", LEDE,
                      BODY2])
    cd = _clean(text)
    assert _reasons(cd, text)[caption] == "caption"
    assert _kept(cd) == [LEDE, BODY2]


@pytest.mark.parametrize("caption", [
    "La directrice de Ker Avel, à Rennes, le 3 mars 2021. JEAN DUPONT / AFP",
    "Une ferme de la coopérative Ker Avel (JEAN DUPONT / AFP)",
    "La directrice de Ker Avel, photo : archives de la coopérative",
    "Une ferme de la coopérative / (C) Jean Dupont",
])
def test_caption_ending_with_its_credit(caption: str) -> None:
    text = f"{LEDE}\n{caption}\n{BODY2}\n"
    cd = _clean(text)
    assert _reasons(cd, text)[caption] == "caption"
    assert _kept(cd) == [LEDE, BODY2]


def test_photo_keyword_opening_a_description_is_a_kept_caption() -> None:
    caption = "Photo : la salle de traite de la ferme pilote de la coopérative"
    assert caption in _kept(_clean(f"{LEDE}\n{BODY2}\n{caption}\n"))


def test_read_also_block_inside_the_body() -> None:
    text = (f"{LEDE}\nA lire aussi :\nBretagne : les laiteries cherchent des repreneurs\n"
            f"Le prix du lait payé aux éleveurs bretons repart enfin à la hausse\n{BODY2}\n"
            f"{BODY3}\n")
    cd = _clean(text)
    assert _kept(cd) == [LEDE, BODY2, BODY3]


def test_promo_block_between_the_lede_and_the_body() -> None:
    promos = ["Gagnez un séjour en Bretagne pour deux personnes",
              "Tenerife : du soleil toute l'année"]
    text = "\n".join([LEDE, "En ce moment", *promos, BODY2, BODY3])
    assert _kept(_clean(text)) == [LEDE, BODY2, BODY3]


def test_paywall_ends_the_text() -> None:
    notice = "Il vous reste 62.45% de cet article à lire. La suite est réservée aux abonnés."
    text = (f"{LEDE}\n{BODY2}\n{notice}\nDéjà abonné ? Se connecter\nDécouvrir les offres\n"
            "Profitez de notre offre découverte\n")
    cd = _clean(text)
    assert _kept(cd) == [LEDE, BODY2]
    assert _reasons(cd, text)[notice] == "paywall_marker"


def test_previous_next_links_and_instructions() -> None:
    lines = ["Article précédent Les laiteries bretonnes misent sur les capteurs",
             "Article suivant Nordsoft ouvre un bureau à Rennes",
             "Vous pouvez télécharger ce graphique en cliquant sur l'image.",
             "Retour à la liste des articles"]
    text = "\n".join([LEDE, BODY2, *lines])
    assert _kept(_clean(text)) == [LEDE, BODY2]


def test_consent_paragraph_longer_than_a_short_line() -> None:
    consent = ("En remplissant ce formulaire, vous acceptez que vos données soient utilisées "
               "pour vous envoyer nos informations. Vous pourrez vous désinscrire à tout moment "
               "en suivant le lien présent dans chacun de nos envois, conformément à notre "
               "politique de protection des données personnelles et de vos droits d'accès.")
    text = f"{LEDE}\n{BODY2}\n{consent}\n"
    cd = _clean(text)
    assert _reasons(cd, text)[consent] == "consent"
    assert _kept(cd) == [LEDE, BODY2]


def test_live_page_keeps_short_sentences_between_minute_marks() -> None:
    moments = ["C'est terminé à Brest, les deux équipes se quittent sur un nul.",
               "Le coup de pied de coin ne donne rien.",
               "Belle parade du gardien breton sur cette frappe lointaine !",
               "Les deux équipes se cherchent en ce début de match."]
    text = "\n".join(["Le direct", "95'", moments[0], "88'", moments[1], "61'", moments[2],
                      "3'", moments[3], "Tous les sports", "Football", "Rugby", "Tennis"])
    assert _kept(_clean(text)) == moments


def test_a_body_goes_on_after_a_share_bar_past_the_dense_prose() -> None:
    press = [f"{d} décembre 2021 : Ouest-Éclair – « La collecte du lait de Ker Avel passe au "
             f"numérique avec Nordsoft »" for d in (11, 10, 9)]
    text = "\n".join([LEDE, BODY2, BODY3, "Partager sur Facebook", "Partager sur Twitter",
                      "On parle de la coopérative", *press, "Sur le même thème",
                      *HEADLINES])
    kept = _kept(_clean(text))
    assert all(p in kept for p in press)
    assert not any(h in kept for h in HEADLINES)


@pytest.mark.parametrize("name", ["quotidien", "direct", "economie", "enquete"])
def test_hand_written_news_pages(name: str) -> None:
    """Pages written for the tests in the layouts of large French news sites (visible text)."""
    expected = {
        "quotidien": ("2023-04-14", ["signé jeudi un contrat de trois ans",
                                     "Une course aux données", "hébergeur régional"],
                      ["JEAN MARTIN / AFP", "Lire aussi", "62.45%", "Découvrir les offres",
                       "prix de l’électricité", "Mots croisés", "Recevez chaque matin"]),
        "direct": ("2023-04-06", ["L’usine doit employer", "création d’une coentreprise",
                                  "souveraineté industrielle"],
                   ["Fait-divers", "EN DIRECT", "DENIS CHARLET", "Voir les commentaires",
                    "Un ours filmé", "Impôts : ce qui change", "Gestion des cookies"]),
        "economie": ("2023-03-03", ["Le fabricant de pièces de suspension",
                                    "Il devra embaucher 80 personnes.",
                                    "un second fournisseur européen", "l’emploi industriel"],
                     ["Ecouter cet article", "les sous-traitants français cherchent",
                      "bataille des batteries", "Inscrivez-vous", "Le marché de l’occasion",
                      "concessionnaires inquiets", "cookies"]),
        "enquete": ("2023-04-06", ["Selon des documents que nous avons consultés",
                                   "procédure négociée", "doctrine de l’État"],
                    ["Offrir l’article", "l’État hésite", "loi de préférence",
                     "Encore un contrat", "Merci pour cette enquête", "Max_Lecteur"]),
    }[name]
    published, keep, drop = expected
    cd = _clean((FIXTURES / f"page_{name}.txt").read_text(encoding="utf-8"))
    assert cd.published == published
    for snippet in keep:
        assert snippet in cd.text_clean, snippet
    for snippet in drop:
        assert snippet not in cd.text_clean, snippet
    assert cd.title is not None and cd.title not in cd.text_clean


# --- Publication dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "iso"), [
    ("publié le 4 juin", "XXXX-06-04"),
    ("Publié le 14/04/2023 à 14h00", "2023-04-14"),
    ("Publié le : 12/03/2021", "2021-03-12"),
    ("Publié le 12.03.2021", "2021-03-12"),
    ("Publié en ligne le 3 mars 2023", "2023-03-03"),
    ("Date de publication : 12 mars 2021", "2021-03-12"),
    ("Paru le 12 mars 2021", "2021-03-12"),
    ("Créé le 12/03/2021 à 10h15", "2021-03-12"),
    ("Par X - 12 mars 2021", "2021-03-12"),
    ("Jeanne Martin, le 12 mars 2021", "2021-03-12"),
    ("Le 12/03/2021 à 10:15 par Jeanne Martin", "2021-03-12"),
    ("Mis à jour le 13/03/2021 - Publié le 12/03/2021", "2021-03-12"),
    ("date 2022-06", "2022-06"),
    ("Date : 2022-06-14", "2022-06-14"),
])
def test_byline_forms(line: str, iso: str) -> None:
    text = f"{line}\n{LEDE}\n{BODY2}\n"
    cd = _clean(text)
    assert cd.published == iso and cd.published_from == "byline"
    assert _reasons(cd, text)[line] == "byline"
    assert _kept(cd) == [LEDE, BODY2]


def test_date_line_of_the_header_is_the_publication_date() -> None:
    title = "Ker Avel confie sa collecte de lait à Nordsoft"
    text = "\n".join([*MENU, title, "Par Jeanne Martin", "Le 06 avril 2023 à 18h12", LEDE,
                      BODY2])
    cd = _clean(text)
    assert (cd.published, cd.published_from) == ("2023-04-06", "byline")


def test_dates_of_sidebar_articles_are_not_the_article_date() -> None:
    side = ["Le port de Brest agrandit son terminal", "Publié le 2 février 2023",
            "Une start-up nantaise lève dix millions", "Publié le 1 février 2023"]
    title = "Ker Avel confie sa collecte de lait à Nordsoft"
    text = "\n".join([*side, title, "Par Jeanne Martin", LEDE, BODY2, "Les plus lus", *side])
    cd = _clean(text)
    assert cd.published is None
    cd = _clean(text, published="2023-03-09")
    assert (cd.published, cd.published_from) == ("2023-03-09", "metadata")


def test_a_caption_date_is_not_a_byline() -> None:
    line = "Emmanuel Macron le 17 novembre 2017."
    cd = _clean(f"{LEDE}\n{line}\n{BODY2}\n")
    assert cd.published is None


def test_body_cut_by_a_long_link_block_goes_on_after_it() -> None:
    """A carousel of links and a video player in the middle of the article: the second part
    of the body, on the same topic, comes back after it."""
    player = ["Vidéo", "Lecture", "00:00", "Plein écran"]
    end = ("Les premières fermes de la coopérative passeront au logiciel Nordsoft dès avril, "
           "les autres suivront au fil de l'été selon la directrice de Ker Avel.")
    text = "\n".join([*MENU, LEDE, BODY2, "À lire aussi", *HEADLINES,
                      "Grève des contrôleurs aériens ce week-end", *player, BODY3, end,
                      "Partager", "Facebook"])
    cd = _clean(text)
    assert _kept(cd) == [LEDE, BODY2, BODY3, end]


def test_short_article_under_a_column_of_teasers() -> None:
    """Teaser paragraphs of other articles above the headline outweigh a short article:
    the byline and the headline say where the article starts."""
    teasers = [
        "Le port de Brest agrandit son terminal à conteneurs pour accueillir des navires plus "
        "grands, un chantier de deux ans qui doit créer trois cents emplois dans la région.",
        "Une start-up nantaise lève dix millions d'euros auprès de fonds européens pour "
        "développer ses batteries recyclées, qui équiperont des bus dès l'an prochain.",
        "Les prix de l'immobilier reculent dans trois métropoles de l'Ouest, selon les "
        "notaires, qui notent un ralentissement des ventes depuis la hausse des taux."]
    body = ["La coopérative Ker Avel a signé mardi un partenariat avec l'éditeur Nordsoft.",
            "Le logiciel suivra la collecte du lait en temps réel.",
            "« Nous gagnerons du temps », dit sa directrice."]
    text = "\n".join(["Le Journal", "À la une", *teasers, "Économie",
                      "Ker Avel confie sa collecte de lait à Nordsoft",
                      "Publié le 9 mars 2021", *body, "Partager"])
    cd = _clean(text)
    assert _kept(cd) == body
    assert cd.title == "Ker Avel confie sa collecte de lait à Nordsoft"


def test_short_post_before_a_long_comment_thread() -> None:
    post = ["Ker Avel a choisi l'éditeur allemand Nordsoft pour numériser sa collecte de lait. "
            "C'est une bonne nouvelle pour les éleveurs.",
            "Reste à savoir si les petites fermes suivront le mouvement."]
    comments = [
        "Je suis éleveur chez Ker Avel depuis vingt ans et la collecte numérique, on l'attend "
        "depuis longtemps : les camions passent parfois deux fois pour rien dans la journée.",
        "Moi je reste prudente : chaque fois qu'on nous vend un logiciel miracle, c'est nous "
        "qui passons des soirées à remplir des formulaires pour la coopérative Ker Avel.",
        "La coopérative a fait un essai l'an dernier dans le Finistère et les retours des "
        "éleveurs étaient plutôt bons, d'après ce qu'on nous a dit en assemblée générale."]
    thread = []
    for name, comment in zip(("Yannick", "Marie-Anne", "Yannick"), comments, strict=True):
        thread += [name, "12 mars 2021 à 10h12", comment, "Répondre"]
    text = "\n".join(["Le blog de Paul", "Ker Avel et Nordsoft : un bon choix ?",
                      "Par Paul Le Gall, le 12 mars 2021", *post, "47 commentaires", *thread,
                      "Laisser un commentaire"])
    cd = _clean(text)
    assert _kept(cd) == post
    assert cd.published == "2021-03-12"


def test_comment_buttons_inside_the_lede_do_not_end_the_body() -> None:
    title = "Ker Avel confie sa collecte de lait à Nordsoft"
    text = "\n".join([*MENU, title, "Par Jeanne Martin le 09.03.2021 à 11h20", LEDE, "Réagir",
                      BODY2, "Commenter", BODY3, "Partager", "Commenter"])
    assert _kept(_clean(text)) == [LEDE, BODY2, BODY3]


@pytest.mark.parametrize(("line", "reason"), [
    ("À écouter aussi", "related_marker"),
    ("La rédaction vous conseille :", "related_marker"),
    ("Dernières news sur : Ker Avel", "related_marker"),
    ("Pour aller plus loin", "related_marker"),
    ("Aller plus loin", "related_marker"),
    ("En ce moment", "related_marker"),
    ("Pour lire la suite de cet article", "paywall_marker"),
    ("Réécouter Le journal de l'agriculture (2/4)", "navigation"),
    ("À lire aussi » Les laiteries bretonnes misent sur les capteurs", "related_link"),
    ("Article rédigé par", "byline"),
    ("Votre adresse e-mail nous sert à vous envoyer nos newsletters thématiques et les offres "
     "de nos partenaires ; elle n'est jamais transmise à des tiers sans votre accord exprès, "
     "et chaque envoi contient un lien de désinscription que vous pouvez utiliser à tout "
     "moment, en quelques secondes, depuis votre boîte de réception.", "newsletter"),
])
def test_new_furniture_lines(line: str, reason: str) -> None:
    text = f"{LEDE}\n{BODY2}\n{line}\n"
    cd = _clean(text)
    assert _reasons(cd, text)[line] == reason
    assert _kept(cd) == [LEDE, BODY2]


def test_publisher_legal_notice_is_furniture() -> None:
    notice = ("Le site laiteriemag.fr est édité par la société Laiterie Mag, SAS au capital de "
              "10 000 euros, immatriculée au RCS de Rennes sous le numéro 123 456 789, dont le "
              "siège est situé 3 rue du Port à Rennes ; directrice de la publication : Jeanne "
              "Martin ; hébergement assuré par un prestataire établi dans l'Union européenne.")
    text = f"{LEDE}\n{BODY2}\n{notice}\n"
    cd = _clean(text)
    assert _reasons(cd, text)[notice] == "legal"
    assert _kept(cd) == [LEDE, BODY2]


def test_byline_signed_under_the_body() -> None:
    text = "\n".join([*MENU, "Ker Avel confie sa collecte de lait à Nordsoft", LEDE, BODY2,
                      "Publié le 12 mars 2021 par Paul Le Gall", "Sur le même sujet",
                      "Le port de Brest agrandit son terminal", "Publié le 2 février 2023"])
    cd = _clean(text)
    assert (cd.published, cd.published_from) == ("2021-03-12", "byline")
