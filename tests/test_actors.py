"""The actors stage on French sentences written for these tests (not from the corpus).

Each case parses one short text with the real pipeline (fr_core_news_md, gazetteer ruler)
and checks the actor mentions found: their text, how they were found or resolved, and what
they stand for (the canonical name of the named mention, or the members of a plural
anaphor).
"""

from __future__ import annotations

import json

import pytest

from souverain_nlp.actors import find_actors
from souverain_nlp.gazetteer import GazetteerError, load_gazetteer
from souverain_nlp.nlp import get_nlp
from souverain_nlp.pipeline import extract_text
from souverain_nlp.rules import load_rules
from souverain_nlp.settings import Settings


@pytest.fixture(scope="module")
def actors_of():
    nlp, gaz, rules = get_nlp(), load_gazetteer(), load_rules()

    def run(text: str) -> dict[str, tuple[str, str | None]]:
        doc = nlp(text)
        out = {}
        for m in find_actors(doc, gaz, rules):
            named = (m.alias_of or m).named
            if m.members:
                target = " + ".join(x.entry.name if x.entry else x.text for x in m.members)
            elif named is None:
                target = None
            else:
                target = named.entry.name if named.entry is not None else named.text
            out[m.text] = (m.how, target)
        return out

    return run


# (text, {mention text: (how, what it stands for)})
NAMES = [
    # names kept whole: a known name never swallows a longer unknown one
    ("Lumo Motors UK a présenté sa gamme.", {"Lumo Motors UK": ("name", "Lumo Motors UK")}),
    ("Samsung SDI fournira les cellules.", {"Samsung SDI": ("name", "Samsung SDI")}),
    (
        "La voiture est vendue par DR Christie's en partenariat avec Ferrari.",
        {"DR Christie's": ("name", "DR Christie's"), "Ferrari": ("name", "Ferrari")},
    ),
    (
        "Le film est produit par EON Productions pour Sony.",
        {"EON Productions": ("name", "EON Productions")},
    ),
    (
        "Le prototype est signé Red Bull Advanced Technologies.",
        {"Red Bull Advanced Technologies": ("name", "Red Bull Advanced Technologies")},
    ),
    (
        "Coca-Cola France a choisi un nouveau fournisseur.",
        {"Coca-Cola France": ("name", "Coca-Cola France")},
    ),
    (
        "Le studio Grey Moon Studios a signé un contrat avec Netflix.",
        {"Grey Moon Studios": ("name", "Grey Moon Studios"), "Netflix": ("name", "Netflix")},
    ),
    # a name after an indefinite descriptor, in apposition, or after a descriptor
    (
        "Une start-up, Voltiq, a signé avec EDF.",
        {"Voltiq": ("name_in_slot", "Voltiq"), "EDF": ("name", "EDF")},
    ),
    (
        "La biotech américaine Nova Bio a conclu un accord avec Sanofi.",
        {"Nova Bio": ("name", "Nova Bio"), "Sanofi": ("name", "Sanofi")},
    ),
    # an acronym the text defines, after a lower-case phrase
    (
        "Le centre hospitalier régional (CHR) collabore avec l'Inserm.",
        {"centre hospitalier régional": ("acronym", "centre hospitalier régional"),
         "CHR": ("acronym", "centre hospitalier régional")},
    ),
    # institutions named by a head noun and a place or a person
    (
        "Le château de Chambord a signé une convention avec Renault.",
        {"château de Chambord": ("institution", "château de Chambord")},
    ),
    (
        "L'université de Lyon travaille avec Sanofi.",
        {"université de Lyon": ("institution", "université de Lyon")},
    ),
    # the parts of a compound name
    (
        "Le partenariat Renault-Nissan a vingt ans.",
        {"Renault": ("name", "Renault"), "Nissan": ("name", "Nissan")},
    ),
    # NER noise is no actor
    ("Le JT a reçu Miss Bretagne.", {}),
]

STATES = [
    ("Washington a signé un accord avec Pékin.",
     {"Washington": ("metonym", "États-Unis"), "Pékin": ("metonym", "Chine")}),
    ("Le sommet s'est tenu à Washington.", {}),
    ("L'Hexagone a signé un accord avec Berne.",
     {"Hexagone": ("state_phrase", "France"), "Berne": ("metonym", "Suisse")}),
    ("Le gouvernement allemand a signé un accord avec Airbus.",
     {"Le gouvernement allemand": ("state_phrase", "Allemagne")}),
    ("Les autorités de l'Oregon ont signé un accord.", {"Oregon": ("name", "Oregon")}),
    ("Le président américain Joe Biden a parlé. Le gouvernement de Joe Biden a signé.",
     {"Le gouvernement de Joe Biden": ("state_phrase", "États-Unis")}),
    ("Le Premier ministre israélien a signé un accord avec Rabat.",
     {"Le Premier ministre israélien": ("person_role", "Israël"),
      "Rabat": ("metonym", "Maroc")}),
    # a plural demonym after "les" / "aux" where a party stands is its state
    ("Les Chinois s'allient aux Russes pour construire une station lunaire.",
     {"Chinois": ("demonym", "Chine"), "Russes": ("demonym", "Russie")}),
    ("Le Japon a signé un accord avec les Américains.",
     {"Japon": ("name", "Japon"), "Américains": ("demonym", "États-Unis")}),
    ("Des Français ont créé une start-up.", {}),
    # a metonym listed right after a state, never with the comma that follows it
    ("Airbus a signé des accords avec les Etats-Unis, l'Europe, la Russie et le Brésil.",
     {"Etats-Unis": ("name", "États-Unis"), "Europe": ("metonym", "Union européenne"),
      "Russie": ("name", "Russie"), "Brésil": ("name", "Brésil"), "Airbus": ("name", "Airbus")}),
    ("Il vit en Russie, en Europe et aux Etats-Unis.",
     {"Russie": ("name", "Russie"), "Etats-Unis": ("name", "États-Unis")}),
]

PERSONS = [
    (
        "Paule Morin, présidente du château de Chambord, a signé la convention.",
        {"Paule Morin": ("person_role", "château de Chambord")},
    ),
    (
        "Le PDG de Danone, Marc Durand, a signé un partenariat avec Renault.",
        {"Marc Durand": ("person_role", "Danone")},
    ),
    (
        "La chancelière allemande Ingrid Vogel a signé un accord avec Paris.",
        {"Ingrid Vogel": ("person_role", "Allemagne")},
    ),
    ("L'artiste Lou Perrin a conçu un modèle avec Rolls-Royce.",
     {"Lou Perrin": ("person", "Lou Perrin")}),
    ("Marc Durand a signé un partenariat avec Renault.", {"Marc Durand": ("person", None)}),
]

COREF = [
    # an opening descriptor is never a name of its own partner list
    (
        "Le laboratoire a conclu des accords de licence avec Pfizer, Merck et Novartis.",
        {"Le laboratoire": ("descriptor", None)},
    ),
    (
        "Le laboratoire français s'associe avec Google, Amazon et Microsoft. Sanofi compte "
        "ainsi accélérer la recherche.",
        {"Le laboratoire français": ("descriptor", "Sanofi")},
    ),
    (
        "Renault a signé un accord avec Google. Il prévoit aussi un contrat avec Orange.",
        {"Il": ("pronoun", "Renault")},
    ),
    (
        "Sanofi a signé un accord avec Valneva. Ce dernier fournira les doses.",
        {"Ce dernier": ("pronoun", "Valneva")},
    ),
    ("BMW poursuit sa collaboration avec Montblanc.", {"sa": ("possessive", "BMW")}),
    (
        "Renault et Nissan ont annoncé une alliance. Les deux groupes vont coopérer.",
        {"Les deux groupes": ("plural_anaphor", "Renault + Nissan")},
    ),
    (
        "La France et l'Inde ont renforcé leurs liens. Les deux pays ont signé des accords.",
        {"Les deux pays": ("plural_anaphor", "France + Inde")},
    ),
    # a short form of an institution named before stands for it
    (
        "L'université Tulane travaille sur un vaccin. Tulane a noué un partenariat avec Sanofi.",
        {"Tulane": ("name", "université Tulane")},
    ),
    (
        "La fondation Marsault soutient les artistes. Marsault s'est associée à Chanel.",
        {"Marsault": ("name", "fondation Marsault")},
    ),
]

#: A one-word name the NER takes for a person, continued by a country: a national arm.
ARMS = [
    (
        "Québec a signé un contrat avec Dufresne Canada pour livrer des masques.",
        {"Dufresne Canada": ("name", "Dufresne Canada")},
    ),
]


@pytest.mark.parametrize(("text", "expected"), NAMES + STATES + PERSONS + COREF + ARMS)
def test_actors(actors_of, text, expected):
    got = actors_of(text)
    for mention, want in expected.items():
        assert mention in got, f"{mention!r} not among {got}"
        assert got[mention] == want, f"{mention!r}: {got[mention]} != {want}"
    if not expected:
        assert not got, got


def test_known_name_is_not_a_different_actor_sharing_letters(actors_of):
    got = actors_of("Le film est produit par EON Productions pour Sony.")
    assert "EON" not in got  # not the energy group E.ON


def test_mentions_table_says_what_each_mention_stands_for():
    tables = extract_text(
        "Renault et Nissan ont annoncé une alliance en 2019. Les deux groupes vont coopérer "
        "avec Google. Le PDG de Danone, Marc Durand, a salué l'accord."
    )
    rows = {(m["text"], m["resolved_by"], m["resolved_text"]) for m in tables.mentions}
    assert ("Les deux groupes", "plural_anaphor", "Renault") in rows
    assert ("Les deux groupes", "plural_anaphor", "Nissan") in rows
    assert ("Marc Durand", "person_role", "Danone") in rows
    names = {e["name"] for e in tables.entities}
    assert {"Renault", "Nissan", "Google", "Danone"} <= names
    assert "Marc Durand" not in names  # he acts for Danone: no entity of his own


def test_user_actors_file_adds_and_overrides(tmp_path):
    path = tmp_path / "actors.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(r, ensure_ascii=False)
            for r in [
                {"name": "Dataiku", "country": "DE"},  # an override of a known actor
                {"name": "Zorblax Robotics", "aliases": ["Zorblax"], "country": "BE",
                 "bloc": "EU"},
            ]
        ),
        encoding="utf-8",
    )
    gaz = load_gazetteer(Settings().models_dir, path)
    assert gaz.lookup("Dataiku").country == "DE"
    new = gaz.lookup("Zorblax")
    assert new is not None and new.country == "BE" and new.bloc == "EU"
    tables = extract_text(
        "Zorblax a signé un partenariat avec Google.", settings=Settings(actors_file=path)
    )
    [event] = tables.events
    assert set(event["who"] + event["with_whom"]) == {"Zorblax Robotics", "Google"}
    assert event["countries"][event["party_ids"].index(new.id)] == "BE"


def test_user_actors_file_errors_name_the_line(tmp_path):
    path = tmp_path / "actors.jsonl"
    path.write_text('{"name": "A"}\n{"name": "B", "colour": "red"}\n', encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"actors.jsonl:2: unknown fields \['colour'\]"):
        load_gazetteer(Settings().models_dir, path)


def test_descriptor_resolves_to_an_actor_of_a_headline_left_out_of_the_body():
    from souverain_nlp.actors.coref import TITLE_KEY

    nlp, gaz, rules = get_nlp(), load_gazetteer(), load_rules()
    text = "Le constructeur allemand a signé un accord avec un studio italien."
    doc = nlp(text)
    doc.user_data[TITLE_KEY] = "Volkswagen rend hommage à un designer"
    desc = next(m for m in find_actors(doc, gaz, rules) if m.kind == "desc")
    assert desc.resolved is not None and desc.resolved.entry.name == "Volkswagen"
    # a headline naming no compatible actor resolves nothing
    doc = nlp(text)
    doc.user_data[TITLE_KEY] = "Toyota rend hommage à un designer"
    desc = next(m for m in find_actors(doc, gaz, rules) if m.kind == "desc")
    assert desc.resolved is None
