"""Alias resolution (souverain_nlp.entities) with the real gazetteer: merges and guards."""

from __future__ import annotations

import pytest

from souverain_nlp.entities import Resolver, acronyms_in
from souverain_nlp.gazetteer import load_gazetteer


@pytest.fixture()
def resolver():
    return Resolver(load_gazetteer())


def _id(resolver, surface, **kw):
    return resolver.resolve(surface, count=False, **kw).entity_id


@pytest.mark.parametrize(
    "forms",
    [
        ["OVH", "OVHcloud", "OVHCloud", "OVH Cloud"],
        ["Google", "Google Cloud"],
        ["Alibaba", "le Chinois Alibaba", "Alibaba Cloud"],
        ["T-Systems", "l'Allemand T-Systems"],
        ["Amazon", "AWS", "Amazon Web Services"],
        ["Microsoft", "Microsoft France"],
        ["TotalEnergies", "Total"],
        ["Anssi", "ANSSI"],
    ],
)
def test_spellings_resolve_to_one_actor(resolver, forms):
    assert len({_id(resolver, f) for f in forms}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Deutsche Telekom", "Deutsche Bank"),  # same first word
        ("Orange", "Orano"),  # one letter apart
        ("Google Cloud", "Monaco Cloud"),  # same last word, one unknown
        ("SAP", "SAS Institute"),
        ("Acme Robotique", "Acme Logistique"),  # two unknown names, same first word
        ("Vélonova", "Véloneva"),  # unknown names, short, one letter apart
        ("Numergy", "Cloudwatt"),
    ],
)
def test_guards_keep_different_actors_apart(resolver, a, b):
    assert _id(resolver, a) != _id(resolver, b)


def test_unknown_names_merge_on_case_accents_and_legal_form(resolver):
    first = _id(resolver, "Lumière Énergie")
    assert _id(resolver, "lumiere energie") == first
    assert _id(resolver, "Lumière Énergie SAS") == first


def test_unknown_name_spelling_variant_merges_by_fuzzy_match(resolver):
    first = _id(resolver, "Hydrogenics Provence")
    assert _id(resolver, "Hydrogenix Provence") == first


def test_acronym_defined_in_the_text(resolver):
    acronyms = acronyms_in([("Agence régionale de développement numérique", "ARDN")])
    assert acronyms == {"ARDN": "Agence régionale de développement numérique"}
    long_id = _id(resolver, "Agence régionale de développement numérique")
    assert _id(resolver, "ARDN", acronyms=acronyms) == long_id


def test_parenthesised_parent_is_not_an_acronym():
    assert acronyms_in([("Cloudwatt", "Orange")]) == {}


def test_country_and_bloc(resolver):
    assert resolver.resolve("Alibaba", count=False).bloc == "CN"
    assert resolver.resolve("Microsoft", count=False).bloc == "US"
    assert resolver.resolve("OVHcloud", count=False).bloc == "EU"
    unknown = resolver.resolve("Kantoxia", country="ES", count=False)
    assert (unknown.country, unknown.bloc) == ("ES", "EU")


def test_counts_mentions_and_articles(resolver):
    resolver.resolve("Orange", article_id="a1")
    resolver.resolve("Orange SA", article_id="a2")
    resolver.resolve("Orange", article_id="a2")
    orange = next(e for e in resolver.entities() if e.entity_id == "orange")
    assert (orange.n_mentions, orange.n_articles) == (3, 2)
    assert "Orange SA" in orange.aliases


SEED_PARTIES = [
    ("Renault-Nissan", None),
    ("Uber", "US"),
    ("Nissan", "JP"),
    ("Total", "FR"),
    ("Alibaba", "CN"),
    ("Accor", "FR"),
    ("Amazon", "US"),
    ("Orange", "FR"),
    ("Google Cloud", "US"),
    ("AP-HP", "FR"),
    ("Bayer", "DE"),
    ("Ubisoft", "FR"),
    ("Comité International Olympique", None),
    ("Carrefour", "FR"),
    ("Microsoft", "US"),
    ("Intermarché", "FR"),
    ("OVH", "FR"),
    ("T-Systems", "DE"),
    ("France", "FR"),
    ("Allemagne", "DE"),
    ("Dataiku", "FR"),
    ("Capgemini", "FR"),
    ("SAP", "DE"),
    ("Deutsche Telekom", "DE"),
    ("Deutsche Bank", "DE"),
    ("Monaco", "MC"),
    ("Century 21", "US"),
    ("TF1", "FR"),
    ("FCA Bank", "IT"),
]


@pytest.mark.parametrize(("surface", "country"), SEED_PARTIES)
def test_dev_gold_parties_resolve_with_their_country(resolver, surface, country):
    entity = resolver.resolve(surface, count=False)
    assert entity.entity_id.startswith("x-") is False, f"{surface} is not in the gazetteer"
    assert entity.country == country


def test_short_forms_point_to_the_one_longer_name_of_the_article():
    from souverain_nlp.entities import short_forms

    gaz = load_gazetteer()
    got = short_forms(
        ["Zentrix Analytics", "Zentrix", "Novaterra Ciel", "Novaterra Marine", "Novaterra"], gaz
    )
    assert got == {"Zentrix": "Zentrix Analytics"}  # "Novaterra": two longer names
    # a name the gazetteer knows keeps its own identity
    assert "Renault" not in short_forms(["Renault", "Renault Sport Racing"], gaz)
