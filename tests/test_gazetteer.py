"""Tests of the gazetteer loader, its validation and the real rule data in models/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from souverain_nlp.gazetteer import (
    DEFAULT_MODELS_DIR,
    Gazetteer,
    GazetteerEntry,
    GazetteerError,
    StateRef,
    load_gazetteer,
    normalise_name,
)

REPO = Path(__file__).resolve().parents[1]
GOLD_DIRS = (REPO / "dev" / "gold", REPO.parent / "shared" / "gold")


def _gold_file(name: str) -> Path:
    for folder in GOLD_DIRS:
        if (folder / name).exists():
            return folder / name
    pytest.skip(f"gold file {name} not found")


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return load_gazetteer()


# -- validation on load ------------------------------------------------------------------


def _entry(id_: str, name: str, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": id_,
        "name": name,
        "type": "ORG",
        "country": "FR",
        "aliases": [],
        "parent": None,
        "division": False,
        "sector": "tech",
        "descriptors": [],
    }
    base.update(fields)
    return base


def _models(tmp_path: Path, lines: list[str]) -> Path:
    """A models folder with the real YAML files and the given gazetteer lines."""
    for name in ("descriptors.yaml", "nationalities.yaml"):
        shutil.copy(DEFAULT_MODELS_DIR / name, tmp_path / name)
    (tmp_path / "gazetteer.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def _line(entry: dict[str, object]) -> str:
    return json.dumps(entry, ensure_ascii=False)


GOOD = _line(_entry("acme", "Acme", aliases=["Acme SA"]))

BAD_FILES = [
    # (lines, line number of the error, words the message must contain)
    ([GOOD, '{"id": "x", "name": '], 2, ["invalid JSON"]),
    ([GOOD, "[1, 2]"], 2, ["JSON object"]),
    ([GOOD, json.dumps({"id": "x", "name": "X"})], 2, ["missing fields", "type"]),
    ([_line(_entry("x", "X", wikidata="Q1"))], 1, ["unknown fields", "wikidata"]),
    ([GOOD, _line(_entry("x", "X", type="COMPANY"))], 2, ["type", "COMPANY"]),
    ([_line(_entry("x", "X", country="fr"))], 1, ["country", "'fr'"]),
    ([_line(_entry("x", "X", country="FRA"))], 1, ["country", "'FRA'"]),
    ([_line(_entry("x", "X", type="STATE", country=None))], 1, ["STATE", "country"]),
    ([_line(_entry("x", "X", sector="widgets"))], 1, ["sector", "widgets"]),
    ([_line(_entry("x", "X", division="yes", parent="acme")), GOOD], 1, ["division"]),
    ([_line(_entry("x", "X", division=True))], 1, ["division", "parent"]),
    ([_line(_entry("x", "X", aliases="X SA"))], 1, ["aliases"]),
    ([_line(_entry("x", "X", ambiguous=["Y"]))], 1, ["ambiguous", "'Y'"]),
    ([_line(_entry("Bad Id", "X"))], 1, ["id"]),
    ([GOOD, _line(_entry("x", "X", parent="nowhere"))], 2, ["parent", "nowhere"]),
    ([GOOD, "", _line(_entry("acme", "Acme Corp"))], 3, ["duplicate id", "line 1"]),
    (
        [_line(_entry("a", "A", parent="b")), _line(_entry("b", "B", parent="a"))],
        1,
        ["cycle"],
    ),
    ([GOOD, _line(_entry("other", "Other", aliases=["ACME"]))], 2, ["'acme'", "'other'"]),
    (
        [
            GOOD,
            _line(_entry("other", "Other", descriptors=["le roi"])),
            _line(_entry("third", "Third", descriptors=["Le Roi"])),
        ],
        3,
        ["descriptor", "'other'", "'third'"],
    ),
]


@pytest.mark.parametrize(("lines", "lineno", "words"), BAD_FILES)
def test_bad_gazetteer_names_file_and_line(
    tmp_path: Path, lines: list[str], lineno: int, words: list[str]
) -> None:
    models = _models(tmp_path, lines)
    with pytest.raises(GazetteerError) as info:
        load_gazetteer(models)
    message = str(info.value)
    assert f"{models / 'gazetteer.jsonl'}:{lineno}:" in message
    for word in words:
        assert word in message


def test_alias_shared_with_parent_is_allowed(tmp_path: Path) -> None:
    child = _entry("acme_cloud", "Acme Cloud", aliases=["Acme SA"], parent="acme", division=True)
    models = _models(tmp_path, [GOOD, _line(child)])
    gaz = load_gazetteer(models)
    assert gaz.lookup("Acme SA").id == "acme"  # the first claim wins
    assert gaz.canonical(gaz.lookup("Acme Cloud")).id == "acme"


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    models = _models(tmp_path, [GOOD])
    (models / "gazetteer.jsonl").unlink()
    with pytest.raises(GazetteerError, match="gazetteer.jsonl: rule file not found"):
        load_gazetteer(models)
    (models / "gazetteer.jsonl").write_text(GOOD + "\n", encoding="utf-8")
    (models / "descriptors.yaml").write_text("version: 1\nsectors: [a, b\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="descriptors.yaml: invalid YAML"):
        load_gazetteer(models)


def test_descriptor_file_checks_sectors(tmp_path: Path) -> None:
    models = _models(tmp_path, [GOOD])
    (models / "descriptors.yaml").write_text(
        "version: 1\nsectors: [tech]\nheads: {pétrolier: [oil_gas]}\ntopics: {}\nblocs: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(GazetteerError, match=r"heads\.pétrolier: unknown sectors"):
        load_gazetteer(models)


def test_models_dir_env_override(tmp_path: Path) -> None:
    code = "from souverain_nlp.gazetteer import DEFAULT_MODELS_DIR; print(DEFAULT_MODELS_DIR)"
    env = {**os.environ, "SOUVERAIN_MODELS": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str(tmp_path)


def test_small_file_loads(tmp_path: Path) -> None:
    gaz = load_gazetteer(_models(tmp_path, [GOOD]))
    entry = gaz.lookup("acme sa")
    assert isinstance(entry, GazetteerEntry)
    assert (entry.id, entry.line, entry.country) == ("acme", 1, "FR")


# -- the real gazetteer ------------------------------------------------------------------


def test_real_gazetteer_loads(gaz: Gazetteer) -> None:
    assert len(gaz) >= 450
    assert load_gazetteer() is gaz  # cached
    types = {e.type for e in gaz.entries.values()}
    assert types <= {"ORG", "GOV", "STATE", "INTL", "PROJECT"}
    assert all(e.sector in gaz.sectors for e in gaz.entries.values())


EU_MEMBERS = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
G20 = "AR AU BR CA CN DE FR GB ID IN IT JP KR MX RU SA TR US ZA"


@pytest.mark.parametrize("code", sorted(set(EU_MEMBERS.split()) | set(G20.split()) | {"MC"}))
def test_states_present(gaz: Gazetteer, code: str) -> None:
    state = gaz.state_entry(code)
    assert state is not None and state.type == "STATE"
    assert gaz.lookup(state.name) == state
    assert gaz.bloc(code) == (
        "EU" if code in EU_MEMBERS.split() else {"US": "US", "CN": "CN"}.get(code, "other")
    )


LOOKUPS = [
    # surface, id of the canonical entry
    ("OVH", "ovhcloud"),
    ("OVHcloud", "ovhcloud"),
    ("OVHCloud", "ovhcloud"),
    ("OVH Cloud", "ovhcloud"),
    ("le Français OVH", "ovhcloud"),
    ("le Chinois Alibaba", "alibaba"),
    ("Chinois Alibaba", "alibaba"),
    ("Alibaba Cloud", "alibaba"),
    ("l'Allemand T-Systems", "t_systems"),
    ("l’Allemand T-Systems", "t_systems"),
    ("T Systems", "t_systems"),
    ("Anssi", "anssi"),
    ("ANSSI", "anssi"),
    ("l'ANSSI", "anssi"),
    ("Agence nationale de la sécurité des systèmes d'information", "anssi"),
    ("Agence nationale de la sécurité des systèmes d’information", "anssi"),
    ("Total", "totalenergies"),
    ("TotalEnergies", "totalenergies"),
    ("Total SA", "totalenergies"),
    ("Orange", "orange"),
    ("Orange SA", "orange"),
    ("Orange, SA", "orange"),
    ("France Télécom", "orange"),
    ("Facebook", "meta"),
    ("Google Cloud", "google"),
    ("Google", "google"),
    ("AWS", "amazon"),
    ("Amazon Web Services", "amazon"),
    ("Microsoft France", "microsoft"),
    ("Microsoft Azure", "microsoft"),
    ("Azure", "microsoft"),
    ("Huawei Cloud", "huawei"),
    ("Alphabet Inc.", "alphabet"),
    ("SAP SE", "sap"),
    ("Deutsche Telekom AG", "deutsche_telekom"),
    ("Thalès", "thales"),
    ("THALES", "thales"),
    ("Thales", "thales"),
    ("Dassault Systemes", "dassault_systemes"),
    ("Outscale", "outscale"),
    ("3DS Outscale", "outscale"),
    ("Numergy", "numergy"),
    ("Cloudwatt", "cloudwatt"),
    ("le Crédit Agricole", "credit_agricole"),
    ("Credit Agricole", "credit_agricole"),
    ("Comité International Olympique", "cio"),
    ("Comité international olympique", "cio"),
    ("CIO", "cio"),
    ("Gaia-X", "gaia_x"),
    ("GAIA-X", "gaia_x"),
    ("Renault-Nissan", "alliance_renault_nissan"),
    ("Alliance Renault-Nissan", "alliance_renault_nissan"),
    ("Renault", "renault"),
    ("AP-HP", "ap_hp"),
    ("Assistance Publique - Hôpitaux de Paris", "ap_hp"),
    ("l'AP-HP", "ap_hp"),
    ("centre national d'études spatiales", "cnes"),
    ("groupe sino-espagnol Mediapro", "mediapro"),
    ("le groupe chinois Alibaba", "alibaba"),
    ("le géant américain Google", "google"),
    ("Principauté de Monaco", "monaco"),
    ("Etats-Unis", "etats_unis"),
    ("les États-Unis", "etats_unis"),
    ("la France", "france"),
    ("Commission européenne", "commission_europeenne"),
    ("Caisse des dépôts", "caisse_des_depots"),
    ("Bpifrance", "bpifrance"),
    ("La Poste", "la_poste"),
    ("Pôle emploi", "france_travail"),
    ("Areva", "orano"),
    ("L'Oréal", "loreal"),
    ("L’Oréal", "loreal"),
    ("Coca Cola", "coca_cola"),
    ("Ørsted", "orsted"),
    ("Orsted", "orsted"),
]


@pytest.mark.parametrize(("surface", "expected"), LOOKUPS)
def test_lookup_spellings(gaz: Gazetteer, surface: str, expected: str) -> None:
    entry = gaz.resolve(surface)
    assert entry is not None, surface
    assert entry.id == expected


@pytest.mark.parametrize(
    "surface",
    [
        "orange",
        "total",
        "free",
        "le monde",
        "bull",
        "Monaco Cloud",
        "Deutsche",
        "Cloud",
        "le groupe",
        "Français",
        "Google Cloud Shopping",
        "",
    ],
)
def test_lookup_misses(gaz: Gazetteer, surface: str) -> None:
    assert gaz.lookup(surface) is None


def test_ambiguous_aliases_are_case_sensitive(gaz: Gazetteer) -> None:
    assert gaz.lookup("Free").id == "free"
    assert gaz.lookup("free") is None
    assert gaz.lookup("Free Mobile").id == "free"
    assert gaz.lookup("free mobile").id == "free"  # not ambiguous: case folded


def test_division_and_subsidiary(gaz: Gazetteer) -> None:
    google_cloud = gaz.lookup("Google Cloud")
    assert google_cloud.division and gaz.canonical(google_cloud).id == "google"
    t_systems = gaz.lookup("T-Systems")
    assert not t_systems.division and t_systems.parent == "deutsche_telekom"
    assert gaz.canonical(t_systems) is t_systems
    assert [e.id for e in gaz.ancestors(gaz.lookup("Outscale"))] == [
        "dassault_systemes",
        "groupe_dassault",
    ]


# -- gold alias checks -------------------------------------------------------------------


def test_gold_same_groups(gaz: Gazetteer) -> None:
    data = json.loads(_gold_file("seeds_aliases.json").read_text(encoding="utf-8"))
    for group in data["same"]:
        ids = {getattr(gaz.resolve(s), "id", None) for s in group}
        assert len(ids) == 1 and None not in ids, (group, ids)


def test_gold_different_pairs(gaz: Gazetteer) -> None:
    data = json.loads(_gold_file("seeds_aliases.json").read_text(encoding="utf-8"))
    for a, b in data["different"]:
        ea, eb = gaz.resolve(a), gaz.resolve(b)
        assert ea is not None or eb is not None, (a, b)
        assert ea is None or eb is None or ea.id != eb.id, (a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Deutsche Telekom", "Deutsche Bank"),
        ("Orange", "Orano"),
        ("Orange", "Google"),
        ("Numergy", "Cloudwatt"),
        ("SAP", "Deutsche Bank"),
        ("Microsoft", "Google"),
        ("Merck KGaA", "MSD"),
        ("Volvo Cars", "AB Volvo"),
        ("Daimler", "Daimler Truck"),
        ("Renault", "Renault-Nissan"),
        ("Alibaba", "Ant Group"),
        ("SNCF", "RATP"),
        ("CNES", "Agence spatiale européenne"),
        ("Commission européenne", "Conseil de l'Europe"),
    ],
)
def test_guards(gaz: Gazetteer, a: str, b: str) -> None:
    ea, eb = gaz.resolve(a), gaz.resolve(b)
    assert ea is not None and eb is not None
    assert ea.id != eb.id


def test_monaco_cloud_is_not_google_cloud(gaz: Gazetteer) -> None:
    assert gaz.lookup("Monaco Cloud") is None
    assert gaz.resolve("Google Cloud").id == "google"


# Country of every party of the gold events (seeds.jsonl, pages.jsonl) that names a real
# organisation or state, keyed by the party's first listed name; None: international body or
# an actor without a single headquarters country.
GOLD_PARTY_COUNTRIES: dict[str, str | None] = {
    "Renault-Nissan": None,
    "Uber": "US",
    "Nissan": "JP",
    "Total": "FR",
    "Alibaba": "CN",
    "Accor": "FR",
    "Monaco": "MC",
    "Amazon": "US",
    "Orange": "FR",
    "Google": "US",
    "AP-HP": "FR",
    "Bayer": "DE",
    "Ubisoft": "FR",
    "CIO": None,
    "Microsoft": "US",
    "Health Data Hub": "FR",
    "Carrefour": "FR",
    "Intermarché": "FR",
    "OVH": "FR",
    "T-Systems": "DE",
    "France": "FR",
    "Allemagne": "DE",
    "Dataiku": "FR",
    "Numergy": "FR",
    "État": "FR",
    "Cloudwatt": "FR",
    "Capgemini": "FR",
    "SAP": "DE",
    "Deutsche Telekom": "DE",
    "Deutsche Bank": "DE",
    "Dassault Systèmes": "FR",
    "SFR": "FR",
    "Bull": "FR",
    "Caisse des dépôts": "FR",
    "gouvernement français": "FR",
    "gouvernement": "FR",
    "Apple": "US",
    "Dakota du Nord": "US",
    "University of Maryland": "US",
    "Washington Post": "US",
    "Mediapro": "ES",
    "TF1": "FR",
    "Century 21": "US",
    "De Particulier à particulier": "FR",
    "SeLoger": "FR",
    "leboncoin": "FR",
    "SNCF": "FR",
    "Alstom": "FR",
    "Thalès": "FR",
    "CNES": "FR",
    "Lotus": "GB",
    "FCA Bank": "IT",
    "Fiat Chrysler Automobiles": "NL",
    "Crédit Agricole": "FR",
}
# Gold parties that are no named actor (a generic group of firms, an unnamed developer).
NOT_ACTORS = {"opérateurs de télécoms", "développeur privé"}


def _gold_parties() -> list[list[str]]:
    parties: list[list[str]] = []
    for name in ("seeds.jsonl", "pages.jsonl"):
        for line in _gold_file(name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                for event in json.loads(line)["events"]:
                    parties.extend(event["parties"])
    return parties


def test_gold_parties_found_with_country(gaz: Gazetteer) -> None:
    parties = _gold_parties()
    assert parties
    for party in parties:
        if party[0] in NOT_ACTORS:
            continue
        assert party[0] in GOLD_PARTY_COUNTRIES, f"add {party[0]!r} to the table"
        expected = GOLD_PARTY_COUNTRIES[party[0]]
        entry = next((e for e in map(gaz.resolve, party) if e is not None), None)
        if entry is not None:
            assert entry.country == expected, (party, entry.id)
            continue
        refs = [r for r in map(gaz.state_phrase, party) if r is not None]
        assert refs, f"no name of {party} is in the gazetteer"
        assert refs[0].country == expected, party


@pytest.mark.parametrize(
    "name",
    [
        "Valeo",
        "Qualcomm",
        "ASML",
        "Mistral AI",
        "Oracle",
        "OpenAI",
        "RaceTrac",
        "Potbelly",
        "Revolut",
        "Société Générale",
        "Generali",
        "BPCE",
        "Bloomberg",
        "Autorité de la concurrence",
        "Cnil",
        "CNIL",
        "Le Parisien",
        "Canal+",
        "BeIN",
        "Radio France",
        "Bugatti",
        "Jacob & Co.",
        "Ferrari",
        "Porsche",
        "Facebook",
        "TikTok",
        "Inde",
        "Royaume-Uni",
        "AFP",
        "France Télévisions",
        "Autorité de contrôle prudentiel et de résolution",
        "Mediobanca",
        "Klarna",
        "Boeing",
        "Cigref",
        "Sénat",
        "Conseil d'État",
        "Nasdaq",
        "Instagram",
        "YouTube",
        "Fed",
    ],
)
def test_other_gold_names_known(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) is not None


# -- normalisation, nationalities, descriptors, patterns ---------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("l’Agence", "l'agence"),
        ("L' Oréal", "l'oreal"),
        ("T-Systems", "t systems"),
        ("Assistance Publique – Hôpitaux", "assistance publique hopitaux"),
        ("  Œuvre   «Ørsted» ", "oeuvre orsted"),
        ("le fonds « France Relance »", "le fonds france relance"),
        ('Le "Projet Gaia-X"', "le projet gaia x"),
        ("Deutsche Börse.", "deutsche borse"),
    ],
)
def test_normalise_name(raw: str, key: str) -> None:
    assert normalise_name(raw) == key


def test_normalise_keep_case() -> None:
    assert normalise_name("Électricité de France", keep_case=True) == "Electricite de France"


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("français", "FR"),
        ("Française", "FR"),
        ("Françaises", "FR"),
        ("Allemand", "DE"),
        ("allemandes", "DE"),
        ("chinois", "CN"),
        ("Chinois", "CN"),
        ("américain", "US"),
        ("Américaines", "US"),
        ("monégasque", "MC"),
        ("néerlandais", "NL"),
        ("sud-coréen", "KR"),
        ("britannique", "GB"),
        ("européen", "EU"),
        ("européennes", "EU"),
        ("franco-allemand", None),
        ("asiatique", None),
        ("groupe", None),
    ],
)
def test_nationality(gaz: Gazetteer, word: str, code: str | None) -> None:
    assert gaz.nationality(word) == code


def test_nationality_codes(gaz: Gazetteer) -> None:
    assert gaz.nationality_codes("sino-espagnol") == ("CN", "ES")
    assert gaz.nationality_codes("franco-allemande") == ("FR", "DE")
    assert gaz.nationality_codes("chinois") == ("CN",)
    assert gaz.nationality_codes("bleu") == ()


@pytest.mark.parametrize(
    ("phrase", "ref"),
    [
        ("l'État", StateRef("FR", "french")),
        ("l’Etat", StateRef("FR", "french")),
        ("le gouvernement", StateRef("FR", "french")),
        ("Bercy", StateRef("FR", "always")),
        ("l'Élysée", StateRef("FR", "always")),
        ("Matignon", StateRef("FR", "always")),
        ("Le gouvernement monégasque", StateRef("MC", "always")),
        ("le gouvernement français", StateRef("FR", "always")),
        ("l'administration américaine", StateRef("US", "always")),
        ("les autorités chinoises", StateRef("CN", "always")),
        ("Washington", StateRef("US", "metonym")),
        ("Pékin", StateRef("CN", "metonym")),
        ("le gouvernement franco-allemand", None),
        ("le groupe", None),
    ],
)
def test_state_phrase(gaz: Gazetteer, phrase: str, ref: StateRef | None) -> None:
    assert gaz.state_phrase(phrase) == ref


@pytest.mark.parametrize(
    ("descriptor", "sectors"),
    [
        ("pétrolier", {"oil_gas"}),
        ("le pétrolier français", {"oil_gas"}),
        ("opérateur", {"telecom"}),
        ("opérateurs", {"telecom"}),
        ("l'éditeur", {"software", "video_games", "media"}),
        ("constructeur", {"automotive", "aerospace_defense"}),
        ("avionneur", {"aerospace_defense"}),
        ("assureur", {"insurance"}),
        ("hébergeur", {"cloud"}),
        ("réseau social", {"internet"}),
        ("le géant", {"any"}),
        ("mastodonte", {"any"}),
        ("géant technologique", {"tech", "internet", "software", "cloud", "ecommerce"}),
        ("géants du numérique", {"tech", "internet", "software", "cloud", "ecommerce"}),
        ("spécialiste du cloud", {"cloud"}),
        ("le spécialiste français des jeux vidéo", {"video_games"}),
        ("société française de télécommunications", {"telecom"}),
        ("groupe pharmaceutique et agrochimique allemand", {"pharma"}),
        ("licorne", {"any"}),
        ("bonjour", set()),
    ],
)
def test_descriptor_sectors(gaz: Gazetteer, descriptor: str, sectors: set[str]) -> None:
    assert gaz.descriptor_sectors(descriptor) == sectors


def test_entry_descriptors(gaz: Gazetteer) -> None:
    assert gaz.by_descriptor("le géant de Redmond").id == "microsoft"
    assert gaz.by_descriptor("la firme de Cupertino").id == "apple"
    assert gaz.by_descriptor("la marque d’Hethel").id == "lotus"
    assert gaz.by_descriptor("le géant") is None


def test_bloc(gaz: Gazetteer) -> None:
    assert [gaz.bloc(c) for c in ("FR", "DE", "US", "CN", "HK", "TW", "GB", "MC", "EU")] == [
        "EU",
        "EU",
        "US",
        "CN",
        "CN",
        "other",
        "other",
        "other",
        "EU",
    ]
    assert gaz.bloc(None) is None


def test_iter_patterns(gaz: Gazetteer) -> None:
    patterns = set(gaz.iter_patterns())
    assert ("ORG", "Orange", True) in patterns
    assert ("ORG", "OVHcloud", False) in patterns
    assert ("LOC", "Allemagne", False) in patterns
    assert ("ORG", "Agence nationale de la sécurité des systèmes d\u2019information", False) in (
        patterns
    )
    assert ("LOC", "Etats-Unis", False) in patterns
    assert {label for label, _, _ in patterns} == {"ORG", "LOC"}
    assert all(surface.strip() for _, surface, _ in patterns)


# -- states of the world, sub-national governments, international bodies -----------------

UN_MEMBERS = (
    "AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH "
    "CM CA CF TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI "
    "FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KW KG "
    "LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MC MN ME MA MZ MM NA NR NP NL NZ "
    "NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA KR MD RO RU RW KN LC VC WS SM ST SA SN RS SC "
    "SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TH TL TG TO TT TN TR TM TV UG UA AE GB TZ US "
    "UY UZ VU VE VN YE ZM ZW"
).split()
OTHER_STATES = ["PS", "XK", "TW", "HK", "MO", "VA"]


def _nationalities_yaml() -> dict[str, object]:
    import yaml

    return yaml.safe_load((DEFAULT_MODELS_DIR / "nationalities.yaml").read_text(encoding="utf-8"))


def test_every_state_of_the_world_is_known(gaz: Gazetteer) -> None:
    assert len(UN_MEMBERS) == len(set(UN_MEMBERS)) == 193
    data = _nationalities_yaml()
    capitals = set(data["capitals"].values())
    for code in UN_MEMBERS + OTHER_STATES:
        state = gaz.state_entry(code)
        assert state is not None and state.type == "STATE", code
        assert gaz.resolve(state.name) == state, code
        if code not in ("VA", "CG"):  # none for the Holy See; "congolais" is also RDC's
            assert code in data["countries"], f"no nationality adjective for {code}"
    # Bruxelles stands for the EU, and Palestine has no agreed capital
    missing = {c for c in UN_MEMBERS if c not in capitals}
    assert missing == {"BE"}


NEW_STATES = [
    # surface, id, country
    ("Mali", "mali", "ML"),
    ("le Niger", "niger", "NE"),
    ("l'île Maurice", "maurice", "MU"),
    ("République de Maurice", "maurice", "MU"),
    ("RDC", "rdc", "CD"),
    ("RD Congo", "rdc", "CD"),
    ("République démocratique du Congo", "rdc", "CD"),
    ("Congo-Brazzaville", "congo", "CG"),
    ("Afghanistan", "afghanistan", "AF"),
    ("l'Irak", "irak", "IQ"),
    ("Iraq", "irak", "IQ"),
    ("Syrie", "syrie", "SY"),
    ("Libye", "libye", "LY"),
    ("Burkina Faso", "burkina_faso", "BF"),
    ("Tchad", "tchad", "TD"),
    ("Soudan du Sud", "soudan_du_sud", "SS"),
    ("Yemen", "yemen", "YE"),
    ("Sri Lanka", "sri_lanka", "LK"),
    ("Népal", "nepal", "NP"),
    ("Mongolie", "mongolie", "MN"),
    ("Ouzbékistan", "ouzbekistan", "UZ"),
    ("Equateur", "equateur", "EC"),
    ("Bolivie", "bolivie", "BO"),
    ("Paraguay", "paraguay", "PY"),
    ("l'Uruguay", "uruguay", "UY"),
    ("Panama", "panama", "PA"),
    ("Costa Rica", "costa_rica", "CR"),
    ("El Salvador", "salvador", "SV"),
    ("Myanmar", "birmanie", "MM"),
    ("Eswatini", "eswatini", "SZ"),
    ("Palestine", "palestine", "PS"),
    ("Kosovo", "kosovo", "XK"),
    ("Macao", "macao", "MO"),
    ("Bélarus", "bielorussie", "BY"),
    ("Belarus", "bielorussie", "BY"),
    ("Grande-Bretagne", "royaume_uni", "GB"),
    ("Côte d’Ivoire", "cote_d_ivoire", "CI"),
    ("Cote d'Ivoire", "cote_d_ivoire", "CI"),
    ("Etats-Unis", "etats_unis", "US"),
]


@pytest.mark.parametrize(("surface", "expected", "country"), NEW_STATES)
def test_states_of_the_world_resolve(
    gaz: Gazetteer, surface: str, expected: str, country: str
) -> None:
    entry = gaz.resolve(surface)
    assert entry is not None, surface
    assert (entry.id, entry.type, entry.country) == (expected, "STATE", country)


@pytest.mark.parametrize(
    "surface",
    [
        "Maurice",  # a first name (Maurice Lévy)
        "mali",  # un mali de fusion
        "bénin",
        "équateur",
        "panama",
        "rdc",  # rez-de-chaussée
        "Salvador",
        "Dominique",
        "Grenade",
        "Washington",  # the federal capital, a metonym, not the state of Washington
        "New York",
        "Virginie",
        "Normandie",  # French regions only as Région X
        "Pays basque",
        "Fonds mondial",
        "MES",
        "Apec",
        "Hollande",  # François Hollande
    ],
)
def test_ambiguous_state_names_are_not_actors(gaz: Gazetteer, surface: str) -> None:
    assert gaz.lookup(surface) is None


def test_georgia_is_the_country_and_the_us_state_is_spelt_out(gaz: Gazetteer) -> None:
    assert gaz.resolve("Géorgie").id == "georgie"
    assert gaz.resolve("l'État de Géorgie").id == "georgie_us"
    assert gaz.resolve("État de Washington").country == "US"


SUB_NATIONAL = [
    # surface, id, country
    ("Californie", "californie", "US"),
    ("la Floride", "floride", "US"),
    ("L'Etat d'Oregon", "oregon", "US"),
    ("État de New York", "etat_de_new_york", "US"),
    ("Dakota du Nord", "dakota_du_nord", "US"),
    ("le Québec", "quebec", "CA"),
    ("Ontario", "ontario", "CA"),
    ("Colombie-Britannique", "colombie_britannique", "CA"),
    ("la Bavière", "baviere", "DE"),
    ("Bade-Wurtemberg", "bade_wurtemberg", "DE"),
    ("Land de Berlin", "land_de_berlin", "DE"),
    ("Catalogne", "catalogne", "ES"),
    ("Generalitat de Catalogne", "catalogne", "ES"),
    ("Andalousie", "andalousie", "ES"),
    ("Euskadi", "pays_basque_espagnol", "ES"),
    ("Écosse", "ecosse", "GB"),
    ("pays de Galles", "pays_de_galles", "GB"),
    ("Irlande du Nord", "irlande_du_nord", "GB"),
    ("Wallonie", "wallonie", "BE"),
    ("Région autonome de Sardaigne", "sardaigne", "IT"),
    ("la Région Île-de-France", "region_ile_de_france", "FR"),
    ("région Auvergne-Rhône-Alpes", "region_auvergne_rhone_alpes", "FR"),
    ("Région Nouvelle-Aquitaine", "region_nouvelle_aquitaine", "FR"),
    ("Région Sud", "region_sud", "FR"),
    ("Collectivité de Corse", "collectivite_de_corse", "FR"),
    ("Caisse de dépôt et placement du Québec", "cdpq", "CA"),
]


@pytest.mark.parametrize(("surface", "expected", "country"), SUB_NATIONAL)
def test_sub_national_governments_resolve(
    gaz: Gazetteer, surface: str, expected: str, country: str
) -> None:
    entry = gaz.resolve(surface)
    assert entry is not None, surface
    assert (entry.id, entry.type, entry.country) == (expected, "GOV", country)


def test_sub_national_governments_are_not_their_state(gaz: Gazetteer) -> None:
    assert gaz.state_entry("US").id == "etats_unis"
    assert gaz.state_entry("CA").id == "canada"
    assert gaz.lookup("la région sud") is None  # "Région Sud" only with its capital R
    assert gaz.by_descriptor("le gouvernement québécois").id == "quebec"
    assert gaz.by_descriptor("le gouvernement catalan").id == "catalogne"
    assert gaz.state_phrase("le gouvernement québécois") is None  # not Canada
    assert gaz.state_phrase("le gouvernement écossais") is None  # not the United Kingdom


INTERNATIONAL = [
    # surface, id, parent
    ("ONU", "onu", None),
    ("Nations unies", "onu", None),
    ("Otan", "otan", None),
    ("Union européenne", "union_europeenne", None),
    ("Commission européenne", "commission_europeenne", "union_europeenne"),
    ("BCE", "bce", "union_europeenne"),
    ("FMI", "fmi", None),
    ("Banque mondiale", "banque_mondiale", None),
    ("OMS", "oms", None),
    ("OMC", "omc", None),
    ("Unesco", "unesco", None),
    ("Unicef", "unicef", "onu"),
    ("OCDE", "ocde", None),
    ("G7", "g7", None),
    ("G20", "g20", None),
    ("l'Union africaine", "union_africaine", None),
    ("UA", "union_africaine", None),
    ("Asean", "asean", None),
    ("Mercosur", "mercosur", None),
    ("Minusma", "minusma", "onu"),
    ("MONUSCO", "monusco", "onu"),
    ("Finul", "finul", "onu"),
    ("Conseil de sécurité de l'ONU", "conseil_de_securite", "onu"),
    ("Cepi", "cepi", None),
    ("Coalition pour les innovations de préparation aux épidémies", "cepi", None),
    ("Gavi", "gavi", None),
    ("Alliance pour le vaccin", "gavi", None),
    ("Agence spatiale européenne", "esa", None),
    ("ESA", "esa", None),
    ("AIEA", "aiea", None),
    ("Cédéao", "cedeao", None),
    ("Banque africaine de développement", "bad", None),
    ("Mécanisme européen de stabilité", "mes", None),
]


@pytest.mark.parametrize(("surface", "expected", "parent"), INTERNATIONAL)
def test_international_bodies_resolve(
    gaz: Gazetteer, surface: str, expected: str, parent: str | None
) -> None:
    entry = gaz.resolve(surface)
    assert entry is not None, surface
    assert (entry.id, entry.type, entry.parent) == (expected, "INTL", parent)


def test_acronyms_that_are_common_words_are_case_sensitive(gaz: Gazetteer) -> None:
    assert gaz.lookup("ua") is None and gaz.lookup("UA").id == "union_africaine"
    assert gaz.lookup("eau") is None and gaz.lookup("EAU").id == "emirats_arabes_unis"
    assert gaz.lookup("bad") is None and gaz.lookup("BAD").id == "bad"


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("malien", "ML"),
        ("Maliennes", "ML"),
        ("nigérien", "NE"),
        ("nigériane", "NG"),
        ("burkinabè", "BF"),
        ("ivoirien", "CI"),
        ("mauricienne", "MU"),
        ("afghans", "AF"),
        ("irakienne", "IQ"),
        ("syriens", "SY"),
        ("yéménite", "YE"),
        ("sri-lankaise", "LK"),
        ("ouzbèkes", "UZ"),
        ("équatorienne", "EC"),
        ("paraguayens", "PY"),
        ("costaricaine", "CR"),
        ("panaméen", "PA"),
        ("kosovare", "XK"),
        ("palestiniennes", "PS"),
        ("papouane-néo-guinéenne", "PG"),
        ("équato-guinéen", "GQ"),
        ("chérifien", "MA"),
        ("libanais", "LB"),
        ("cubaine", "CU"),
        ("congolais", None),  # Congo or RDC
        ("québécois", None),  # a province, not Canada
    ],
)
def test_nationalities_of_the_world(gaz: Gazetteer, word: str, code: str | None) -> None:
    assert gaz.nationality(word) == code


@pytest.mark.parametrize(
    ("phrase", "ref"),
    [
        ("Le Caire", StateRef("EG", "metonym")),
        ("La Haye", StateRef("NL", "metonym")),
        ("La Havane", StateRef("CU", "metonym")),
        ("Berne", StateRef("CH", "metonym")),
        ("Rabat", StateRef("MA", "metonym")),
        ("Alger", StateRef("DZ", "metonym")),
        ("Bamako", StateRef("ML", "metonym")),
        ("Kinshasa", StateRef("CD", "metonym")),
        ("Kaboul", StateRef("AF", "metonym")),
        ("Téhéran", StateRef("IR", "metonym")),
        ("Jérusalem", StateRef("IL", "metonym")),
        ("Addis-Abeba", StateRef("ET", "metonym")),
        ("Hanoi", StateRef("VN", "metonym")),
        ("Buenos Aires", StateRef("AR", "metonym")),
        ("Oulan-Bator", StateRef("MN", "metonym")),
        ("Abu Dhabi", StateRef("AE", "metonym")),
        ("Kyiv", StateRef("UA", "metonym")),
        ("Abidjan", None),  # economic capital only
        ("Bruxelles", StateRef("EU", "metonym")),
        ("l'État hébreu", StateRef("IL", "always")),
        ("l'Etat hébreu", StateRef("IL", "always")),
        ("le royaume chérifien", StateRef("MA", "always")),
        ("le pays du Soleil-Levant", StateRef("JP", "always")),
        ("la perfide Albion", StateRef("GB", "always")),
        ("le gouvernement malien", StateRef("ML", "always")),
        ("les autorités burkinabè", StateRef("BF", "always")),
        ("la Confédération", None),  # also trade-union confederations
    ],
)
def test_capitals_and_state_phrases_of_the_world(
    gaz: Gazetteer, phrase: str, ref: StateRef | None
) -> None:
    assert gaz.state_phrase(phrase) == ref


def test_state_epithets_are_descriptors(gaz: Gazetteer) -> None:
    assert gaz.by_descriptor("l’État hébreu").id == "israel"
    assert gaz.by_descriptor("le royaume chérifien").id == "maroc"
    assert gaz.by_descriptor("le Pays du Soleil-Levant").id == "japon"
    assert gaz.by_descriptor("la perfide Albion").id == "royaume_uni"


def test_capital_listed_for_two_countries_is_an_error(tmp_path: Path) -> None:
    models = _models(tmp_path, [GOOD])
    path = models / "nationalities.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.rstrip().splitlines()[-1].startswith("  ")  # capitals is the last section
    path.write_text(text + "  Caire: FR\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"capitals\.Caire: also listed for EG"):
        load_gazetteer(models)
