"""Tests of the dates stage (souverain_nlp.dates): table-driven, reference dates pinned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from souverain_nlp.dates import (
    DateRulesError,
    find_dates,
    infer_reference,
    load_date_rules,
    normalise_published,
    to_date,
)
from souverain_nlp.records import DateMention

WED = dt.date(2020, 9, 30)  # a Wednesday
FRI = dt.date(2021, 5, 28)  # a Friday
TUE = dt.date(2020, 5, 5)  # a Tuesday


def _find(sentence: str, reference: dt.date | str | None, text: str) -> DateMention:
    mentions = find_dates(sentence, reference)
    for mention in mentions:
        if mention.text == text:
            return mention
    found = [(m.text, m.value) for m in mentions]
    raise AssertionError(f"{text!r} not found in {sentence!r}; found {found}")


# (sentence, reference, mention text, value, granularity, role)
CASES = [
    # absolute days
    (
        "Le contrat a été signé le 12 août 2020 à Paris.",
        WED,
        "le 12 août 2020",
        "2020-08-12",
        "day",
        "point",
    ),
    (
        "L'annonce est tombée mardi 5 mai 2020 en fin de journée.",
        None,
        "mardi 5 mai 2020",
        "2020-05-05",
        "day",
        "point",
    ),
    (
        "Publié le jeudi 28 mai 2020 à 16h22.",
        None,
        "le jeudi 28 mai 2020",
        "2020-05-28",
        "day",
        "point",
    ),
    (
        "La fusion prendra effet le 1er janvier 2022.",
        WED,
        "le 1er janvier 2022",
        "2022-01-01",
        "day",
        "point",
    ),
    (
        "Le comité se réunira le 03/11/2020 au siège.",
        None,
        "le 03/11/2020",
        "2020-11-03",
        "day",
        "point",
    ),
    (
        "Le fichier indique 2019-12-02 comme date de dépôt.",
        None,
        "2019-12-02",
        "2019-12-02",
        "day",
        "point",
    ),
    (
        "La réunion du 14 févr. 2019 a été reportée.",
        None,
        "14 févr. 2019",
        "2019-02-14",
        "day",
        "point",
    ),
    # days without a year
    (
        "Les deux groupes se sont rapprochés le 1er juin.",
        WED,
        "le 1er juin",
        "2020-06-01",
        "day",
        "point",
    ),
    (
        "Les deux groupes se sont rapprochés le 1er juin.",
        None,
        "le 1er juin",
        "XXXX-06-01",
        "day",
        "point",
    ),
    ("Le régulateur a tranché le 4 juin.", None, "le 4 juin", "XXXX-06-04", "day", "point"),
    (
        "Le 9 octobre, le fonds a revendu ses parts.",
        WED,
        "Le 9 octobre",
        "2019-10-09",
        "day",
        "point",
    ),
    (
        "Le groupe a conclu le 12 août dernier un accord.",
        WED,
        "le 12 août dernier",
        "2020-08-12",
        "day",
        "point",
    ),
    (
        "Le groupe a conclu le 12 août dernier un accord.",
        None,
        "le 12 août dernier",
        "XXXX-08-12",
        "day",
        "point",
    ),
    (
        "La plateforme ouvrira le 11 mai aux premiers clients.",
        TUE,
        "le 11 mai",
        "2020-05-11",
        "day",
        "point",
    ),
    (
        "Le vote aura lieu le 15 novembre prochain.",
        WED,
        "le 15 novembre prochain",
        "2020-11-15",
        "day",
        "point",
    ),
    (
        "Les offres sont attendues d'ici le 15 janvier.",
        WED,
        "d'ici le 15 janvier",
        "2021-01-15",
        "day",
        "target",
    ),
    (
        "Les salons des 16 et 17 septembre ont attiré du monde.",
        WED,
        "16 et 17 septembre",
        "2020-09",
        "month",
        "point",
    ),
    # weekdays
    (
        "Jeudi, les deux opérateurs ont signé un partenariat.",
        FRI,
        "Jeudi",
        "2021-05-27",
        "day",
        "point",
    ),
    ("Mardi, le ministre a présenté le plan.", TUE, "Mardi", "2020-05-05", "day", "point"),
    (
        "Ce jeudi, l'éditeur a officialisé son alliance.",
        FRI,
        "Ce jeudi",
        "2021-05-27",
        "day",
        "point",
    ),
    (
        "L'accord a été signé jeudi dernier à Berlin.",
        FRI,
        "jeudi dernier",
        "2021-05-27",
        "day",
        "point",
    ),
    ("Le conseil se réunira lundi prochain.", FRI, "lundi prochain", "2021-05-31", "day", "point"),
    (
        "L'usine est à l'arrêt depuis lundi.",
        FRI,
        "depuis lundi",
        "2021-05-24",
        "day",
        "range_start",
    ),
    (
        "Le dirigeant a parlé vendredi 21 mai devant les salariés.",
        FRI,
        "vendredi 21 mai",
        "2021-05-21",
        "day",
        "point",
    ),
    (
        "Les réunions de jeudi 20 et vendredi 21 ont échoué.",
        FRI,
        "vendredi 21",
        "2021-05-21",
        "day",
        "point",
    ),
    # day words and "il y a"
    ("Hier, la start-up a levé des fonds.", FRI, "Hier", "2021-05-27", "day", "point"),
    (
        "L'opérateur a confirmé aujourd'hui son choix.",
        FRI,
        "aujourd'hui",
        "2021-05-28",
        "day",
        "point",
    ),
    (
        "L'opérateur a confirmé aujourd’hui son choix.",
        FRI,
        "aujourd’hui",
        "2021-05-28",
        "day",
        "point",
    ),
    (
        "Le porte-parole s'exprimera ce soir à la télévision.",
        FRI,
        "ce soir",
        "2021-05-28",
        "day",
        "point",
    ),
    (
        "La banque avait racheté la société il y a deux ans.",
        WED,
        "il y a deux ans",
        "2018",
        "year",
        "point",
    ),
    (
        "Le chantier a commencé il y a trois mois.",
        WED,
        "il y a trois mois",
        "2020-06",
        "month",
        "point",
    ),
    # months
    (
        "En novembre 2019, le groupe a signé avec un géant chinois.",
        WED,
        "En novembre 2019",
        "2019-11",
        "month",
        "point",
    ),
    (
        "L'offre est disponible depuis octobre 2017.",
        WED,
        "depuis octobre 2017",
        "2017-10",
        "month",
        "range_start",
    ),
    (
        "Le projet a été dévoilé début septembre 2020.",
        WED,
        "début septembre 2020",
        "2020-09",
        "month",
        "point",
    ),
    (
        "Le partenariat a été noué fin juillet avec l'américain.",
        WED,
        "fin juillet",
        "2020-07",
        "month",
        "point",
    ),
    (
        "Le partenariat a été noué fin juillet avec l'américain.",
        None,
        "fin juillet",
        "XXXX-07",
        "month",
        "point",
    ),
    (
        "En juin dernier, l'hôpital a signé un accord-cadre.",
        WED,
        "En juin dernier",
        "2020-06",
        "month",
        "point",
    ),
    (
        "La banque a accéléré en mars avec une nouvelle offre.",
        WED,
        "en mars",
        "2020-03",
        "month",
        "point",
    ),
    # planned: the next December (and ``future``, see test_future_flag)
    ("Le lancement est prévu en décembre.", WED, "en décembre", "2020-12", "month", "point"),
    (
        "La filiale a été créée à la mi-mai par les deux groupes.",
        WED,
        "à la mi-mai",
        "2020-05",
        "month",
        "point",
    ),
    (
        "Le service sera déployé d'ici à septembre prochain.",
        dt.date(2020, 7, 16),
        "d'ici à septembre prochain",
        "2020-09",
        "month",
        "target",
    ),
    ("La campagne s'étendra jusqu'en mars.", WED, "jusqu'en mars", "2021-03", "month", "range_end"),
    (
        "Le budget sera voté au mois d'août 2021.",
        WED,
        "au mois d'août 2021",
        "2021-08",
        "month",
        "point",
    ),
    ("Les ventes ont reculé le mois dernier.", WED, "le mois dernier", "2020-08", "month", "point"),
    ("Les ventes ont progressé ce mois-ci.", WED, "ce mois-ci", "2020-09", "month", "point"),
    (
        "Le paiement est attendu à la fin du mois.",
        WED,
        "à la fin du mois",
        "2020-09",
        "month",
        "point",
    ),
    # weeks
    (
        "Le label a été lancé la semaine dernière par le gouvernement.",
        FRI,
        "la semaine dernière",
        "2021-05",
        "week",
        "point",
    ),
    (
        "Les négociations reprennent la semaine prochaine.",
        WED,
        "la semaine prochaine",
        "2020-10",
        "week",
        "point",
    ),
    ("Les négociations reprennent cette semaine.", WED, "cette semaine", "2020", "week", "point"),
    ("Les magasins resteront ouverts ce week-end.", FRI, "ce week-end", "2021-05", "week", "point"),
    # seasons
    (
        "Le réseau sera ouvert au printemps 2020 aux autres opérateurs.",
        WED,
        "au printemps 2020",
        "2020",
        "season",
        "point",
    ),
    (
        "Un site a vu le jour cet été pour le grand public.",
        WED,
        "cet été",
        "2020",
        "season",
        "point",
    ),
    ("L'usine avait fermé l'hiver dernier.", WED, "l'hiver dernier", "2020", "season", "point"),
    (
        "Le groupe lancera son offre à l'automne.",
        dt.date(2020, 6, 1),
        "à l'automne",
        "2020",
        "season",
        "point",
    ),
    (
        "Les travaux reprendront dès l'été 2021.",
        WED,
        "dès l'été 2021",
        "2021",
        "season",
        "range_start",
    ),
    # quarters, halves
    (
        "Les premières livraisons sont attendues au premier trimestre 2021.",
        WED,
        "au premier trimestre 2021",
        "2021",
        "quarter",
        "point",
    ),
    ("Le chiffre d'affaires a bondi au T3 2020.", WED, "au T3 2020", "2020", "quarter", "point"),
    (
        "La marge a reculé au second semestre 2019.",
        WED,
        "au second semestre 2019",
        "2019",
        "half",
        "point",
    ),
    (
        "Les ventes ont doublé au troisième trimestre.",
        WED,
        "au troisième trimestre",
        "2020",
        "quarter",
        "point",
    ),
    # years
    ("Le groupe a obtenu la certification en 2018.", WED, "en 2018", "2018", "year", "point"),
    (
        "L'alliance nouée fin 2020 entre les deux groupes se renforce.",
        FRI,
        "fin 2020",
        "2020",
        "year",
        "point",
    ),
    ("Le retour à l'équilibre est visé mi-2020.", None, "mi-2020", "2020", "year", "point"),
    (
        "En début d'année 2017, le comité a signé un accord.",
        None,
        "En début d'année 2017",
        "2017",
        "year",
        "point",
    ),
    (
        "En début d’année 2017, le comité a signé un accord.",
        None,
        "En début d’année 2017",
        "2017",
        "year",
        "point",
    ),
    ("Le chantier s'achèvera début 2021.", None, "début 2021", "2021", "year", "point"),
    ("L'équipe a été recrutée l'an dernier.", WED, "l'an dernier", "2019", "year", "point"),
    ("L'équipe a été recrutée l'année dernière.", WED, "l'année dernière", "2019", "year", "point"),
    ("L'usine ouvrira l'année prochaine.", WED, "l'année prochaine", "2021", "year", "point"),
    ("Le marché a progressé cette année.", WED, "cette année", "2020", "year", "point"),
    (
        "Les recettes publicitaires de l'exercice 2019 ont baissé.",
        WED,
        "l'exercice 2019",
        "2019",
        "year",
        "point",
    ),
    # targets and ranges
    (
        "Le service sera disponible d'ici 2021 pour les clients.",
        WED,
        "d'ici 2021",
        "2021",
        "year",
        "target",
    ),
    (
        "Le groupe veut la parité d'ici la fin de l'année.",
        WED,
        "d'ici la fin de l'année",
        "2020",
        "year",
        "target",
    ),
    (
        "La flotte sera électrique à l'horizon 2030.",
        WED,
        "à l'horizon 2030",
        "2030",
        "year",
        "target",
    ),
    (
        "La mise en service était attendue avant fin 2019.",
        WED,
        "avant fin 2019",
        "2019",
        "year",
        "target",
    ),
    ("Le projet doit aboutir d'ici fin 2026.", WED, "d'ici fin 2026", "2026", "year", "target"),
    (
        "Le comité a signé avec le groupe jusqu'en 2028.",
        WED,
        "jusqu'en 2028",
        "2028",
        "year",
        "range_end",
    ),
    ("Le contrat court jusqu'à fin 2022.", WED, "jusqu'à fin 2022", "2022", "year", "range_end"),
    (
        "Les tarifs augmenteront à partir de 2021.",
        WED,
        "à partir de 2021",
        "2021",
        "year",
        "range_start",
    ),
    ("La filiale est rentable dès 2020.", WED, "dès 2020", "2020", "year", "range_start"),
    (
        "Le groupe a investi entre 2015 et 2018 dans le cloud.",
        WED,
        "2015",
        "2015",
        "year",
        "range_start",
    ),
    (
        "Le groupe a investi entre 2015 et 2018 dans le cloud.",
        WED,
        "2018",
        "2018",
        "year",
        "range_end",
    ),
    (
        "La loi s'applique à compter du 1er juillet 2021.",
        WED,
        "à compter du 1er juillet 2021",
        "2021-07-01",
        "day",
        "range_start",
    ),
    # decades
    (
        "Le projet est né dans les années 2010.",
        WED,
        "dans les années 2010",
        "201",
        "decade",
        "point",
    ),
    (
        "La marque a connu son âge d'or dans les années 80.",
        WED,
        "dans les années 80",
        "198",
        "decade",
        "point",
    ),
    (
        "Le plan remonte au début des années 2000.",
        WED,
        "au début des années 2000",
        "200",
        "decade",
        "point",
    ),
]


@pytest.mark.parametrize(("sentence", "reference", "text", "value", "granularity", "role"), CASES)
def test_find_dates(
    sentence: str,
    reference: dt.date | None,
    text: str,
    value: str,
    granularity: str,
    role: str,
) -> None:
    mention = _find(sentence, reference, text)
    assert (mention.value, mention.granularity, mention.role) == (value, granularity, role)
    assert sentence[mention.start : mention.end] == mention.text


THU = dt.date(2021, 5, 27)  # a Thursday
JAN = dt.date(2021, 1, 8)  # a Friday early in January
MON = dt.date(2021, 5, 24)  # a Monday
JUN = dt.date(2020, 6, 4)  # a Thursday

# Resolution against the publication date (issue 15), the conventions of dev/gold/README.md:
# (sentence, reference, mention text, value, granularity, role, future)
RESOLUTION = [
    # weekdays: the latest on or before the reference
    (
        "Jeudi, les deux groupes ont signé un accord.",
        THU,
        "Jeudi",
        "2021-05-27",
        "day",
        "point",
        False,
    ),
    (
        "Jeudi, les deux groupes ont signé un accord.",
        JAN,
        "Jeudi",
        "2021-01-07",
        "day",
        "point",
        False,
    ),
    (
        "L'accord a été signé lundi dernier.",
        THU,
        "lundi dernier",
        "2021-05-24",
        "day",
        "point",
        False,
    ),
    ("L'accord a été signé ce mardi.", THU, "ce mardi", "2021-05-25", "day", "point", False),
    (
        "Les électeurs ont voté ce dimanche.",
        MON,
        "ce dimanche",
        "2021-05-23",
        "day",
        "point",
        False,
    ),
    (
        "Les deux groupes signent ce mardi un accord.",
        MON,
        "ce mardi",
        "2021-05-25",
        "day",
        "point",
        True,
    ),
    ("Le sommet a lieu ce samedi à Paris.", THU, "ce samedi", "2021-05-29", "day", "point", True),
    (
        "L'accord a été signé dans la nuit de mardi à mercredi.",
        THU,
        "dans la nuit de mardi à mercredi",
        "2021-05-25",
        "day",
        "point",
        False,
    ),
    # a weekday with a day and month: the year must agree with it
    (
        "L'accord a été signé mardi 4 octobre.",
        dt.date(2022, 10, 20),
        "mardi 4 octobre",
        "2022-10-04",
        "day",
        "point",
        False,
    ),
    (
        "L'accord a été signé mardi 4 octobre.",
        THU,
        "mardi 4 octobre",
        "XXXX-10-04",
        "day",
        "point",
        False,
    ),
    # day words, weeks, months, years from the reference
    (
        "Hier, les deux groupes ont signé un accord.",
        JAN,
        "Hier",
        "2021-01-07",
        "day",
        "point",
        False,
    ),
    (
        "L'accord a été signé la semaine dernière.",
        THU,
        "la semaine dernière",
        "2021-05",
        "week",
        "point",
        False,
    ),
    (
        "L'accord sera signé en fin de semaine.",
        THU,
        "en fin de semaine",
        "2021-05",
        "week",
        "point",
        True,
    ),
    (
        "L'accord a été signé le mois dernier.",
        JAN,
        "le mois dernier",
        "2020-12",
        "month",
        "point",
        False,
    ),
    (
        "L'accord sera signé le mois prochain.",
        THU,
        "le mois prochain",
        "2021-06",
        "month",
        "point",
        True,
    ),
    ("L'accord a été signé cette année.", JAN, "cette année", "2021", "year", "point", False),
    ("L'accord a été signé l'an dernier.", JAN, "l'an dernier", "2020", "year", "point", False),
    (
        "L'accord a été signé il y a deux ans.",
        THU,
        "il y a deux ans",
        "2019",
        "year",
        "point",
        False,
    ),
    # a month without a year: the latest not after the reference
    ("L'accord a été signé en mai.", THU, "en mai", "2021-05", "month", "point", False),
    ("L'accord a été signé en juin.", THU, "en juin", "2020-06", "month", "point", False),
    ("L'accord a été signé en décembre.", JAN, "en décembre", "2020-12", "month", "point", False),
    ("L'accord a été signé mi-février.", THU, "mi-février", "2021-02", "month", "point", False),
    ("L'accord a été signé début mars.", THU, "début mars", "2021-03", "month", "point", False),
    ("L'accord a été signé fin juillet.", THU, "fin juillet", "2020-07", "month", "point", False),
    (
        "L'accord a été signé le 12 août dernier.",
        THU,
        "le 12 août dernier",
        "2020-08-12",
        "day",
        "point",
        False,
    ),
    (
        "L'accord a été signé le 1er janvier.",
        THU,
        "le 1er janvier",
        "2021-01-01",
        "day",
        "point",
        False,
    ),
    # seasons and quarters
    ("L'accord a été signé au printemps.", THU, "au printemps", "2021", "season", "point", False),
    ("L'accord a été signé au printemps.", JAN, "au printemps", "2020", "season", "point", False),
    ("L'accord a été signé l'été dernier.", JAN, "l'été dernier", "2020", "season", "point", False),
    ("L'accord sera signé cet automne.", THU, "cet automne", "2021", "season", "point", True),
    (
        "L'accord a été signé au premier trimestre 2020.",
        THU,
        "au premier trimestre 2020",
        "2020",
        "quarter",
        "point",
        False,
    ),
    (
        "Les ventes ont doublé au 1er trimestre.",
        THU,
        "au 1er trimestre",
        "2021",
        "quarter",
        "point",
        False,
    ),
    # years, targets and ranges
    ("L'accord a été signé en 2019.", THU, "en 2019", "2019", "year", "point", False),
    ("L'accord a été signé fin 2020.", THU, "fin 2020", "2020", "year", "point", False),
    ("L'accord a été signé mi-2021.", THU, "mi-2021", "2021", "year", "point", False),
    (
        "Les deux groupes collaborent depuis 2015.",
        THU,
        "depuis 2015",
        "2015",
        "year",
        "range_start",
        False,
    ),
    ("Le réseau sera déployé d'ici 2025.", THU, "d'ici 2025", "2025", "year", "target", True),
    (
        "Le contrat s'applique à partir de 2022.",
        THU,
        "à partir de 2022",
        "2022",
        "year",
        "range_start",
        True,
    ),
    ("Le contrat court jusqu'en 2028.", THU, "jusqu'en 2028", "2028", "year", "range_end", True),
    ("Le contrat couvre la période 2020-2024.", THU, "2020", "2020", "year", "range_start", False),
    ("Le contrat couvre la période 2020-2024.", THU, "2024", "2024", "year", "range_end", True),
    (
        "Les fonds réunis en 2014-2017 ont doublé.",
        THU,
        "en 2014",
        "2014",
        "year",
        "range_start",
        False,
    ),
    (
        "Le titre de la saison 2019/2020 lui revient.",
        THU,
        "2020",
        "2020",
        "year",
        "range_end",
        False,
    ),
    # planned: resolved forward and marked future
    ("Le lancement est prévu en décembre.", WED, "en décembre", "2020-12", "month", "point", True),
    ("Le conseil se réunira mardi.", THU, "mardi", "2021-06-01", "day", "point", True),
    (
        "Jeudi, le groupe signera un accord.",
        dt.date(2021, 5, 25),
        "Jeudi",
        "2021-05-27",
        "day",
        "point",
        True,
    ),
    (
        "Le groupe a annoncé qu'il signera en juin.",
        THU,
        "en juin",
        "2021-06",
        "month",
        "point",
        True,
    ),
    (
        "L'audience a été fixée au 4 novembre.",
        JUN,
        "au 4 novembre",
        "2020-11-04",
        "day",
        "point",
        True,
    ),
    (
        "Les livraisons sont attendues au troisième trimestre.",
        THU,
        "au troisième trimestre",
        "2021",
        "quarter",
        "point",
        True,
    ),
    (
        "Le groupe lancera son offre au printemps.",
        JAN,
        "au printemps",
        "2021",
        "season",
        "point",
        True,
    ),
    # the weekday decides the year over the tense
    (
        "D'abord prévues mercredi, les réunions ont été reportées au lundi 25 mai.",
        JUN,
        "au lundi 25 mai",
        "2020-05-25",
        "day",
        "point",
        True,
    ),
    # not planned
    (
        "Les restrictions mises en oeuvre depuis le 17 mars seront levées.",
        JUN,
        "depuis le 17 mars",
        "2020-03-17",
        "day",
        "range_start",
        False,
    ),
    (
        "Très attendu au dîner mercredi soir, le président a annoncé des mesures.",
        THU,
        "mercredi",
        "2021-05-26",
        "day",
        "point",
        False,
    ),
    (
        "L'accord, signé en mai, permettra de créer 200 emplois.",
        THU,
        "en mai",
        "2021-05",
        "month",
        "point",
        False,
    ),
    (
        "Le lancement prévu a finalement eu lieu en mai.",
        THU,
        "en mai",
        "2021-05",
        "month",
        "point",
        False,
    ),
    (
        "La caméra présentée en mai a séduit les opérateurs.",
        THU,
        "en mai",
        "2021-05",
        "month",
        "point",
        False,
    ),
    (
        "Le ministre déclara en juin que l'accord tenait.",
        THU,
        "en juin",
        "2020-06",
        "month",
        "point",
        False,
    ),
    (
        "Les deux groupes, qui lanceront une offre commune, ont signé en juin.",
        THU,
        "en juin",
        "2020-06",
        "month",
        "point",
        False,
    ),
]


@pytest.mark.parametrize(
    ("sentence", "reference", "text", "value", "granularity", "role", "future"), RESOLUTION
)
def test_resolution(
    sentence: str,
    reference: dt.date,
    text: str,
    value: str,
    granularity: str,
    role: str,
    future: bool,
) -> None:
    mention = _find(sentence, reference, text)
    got = (mention.value, mention.granularity, mention.role, mention.future)
    assert got == (value, granularity, role, future)


# A publication date with day and month but no year ("XXXX-06-04"): the year stays unknown.
@pytest.mark.parametrize(
    ("sentence", "reference", "text", "value", "granularity", "future"),
    [
        ("L'accord a été signé le 12 mai.", "XXXX-06-04", "le 12 mai", "XXXX-05-12", "day", False),
        (
            "L'accord a été signé le 12 août.",
            "XXXX-06-04",
            "le 12 août",
            "XXXX-08-12",
            "day",
            False,
        ),
        ("L'accord sera signé le 8 juin.", "XXXX-06-04", "le 8 juin", "XXXX-06-08", "day", True),
        ("L'accord a été signé en mai.", "XXXX-06-04", "en mai", "XXXX-05", "month", False),
        (
            "L'accord a été signé en décembre.",
            "XXXX-01-08",
            "en décembre",
            "XXXX-12",
            "month",
            False,
        ),
        (
            "L'accord a été signé fin juillet.",
            "XXXX-06-04",
            "fin juillet",
            "XXXX-07",
            "month",
            False,
        ),
        (
            "L'accord a été signé le mois dernier.",
            "XXXX-01-08",
            "le mois dernier",
            "XXXX-12",
            "month",
            False,
        ),
        ("L'accord a été signé hier.", "XXXX-06-04", "hier", "XXXX-06-03", "day", False),
        ("L'accord a été signé cette année.", "XXXX-02-15", "cette année", "XXXX", "year", False),
        ("L'accord a été signé l'an dernier.", "XXXX-02-15", "l'an dernier", "XXXX", "year", False),
        (
            "L'accord a été signé mardi 4 octobre.",
            "XXXX-06-04",
            "mardi 4 octobre",
            "XXXX-10-04",
            "day",
            False,
        ),
        ("L'accord a été signé en 2019.", "XXXX-06-04", "en 2019", "2019", "year", False),
        (
            "L'accord a été signé le 29 février.",
            "XXXX-03-10",
            "le 29 février",
            "XXXX-02-29",
            "day",
            False,
        ),
    ],
)
def test_reference_with_unknown_year(
    sentence: str, reference: str, text: str, value: str, granularity: str, future: bool
) -> None:
    mention = _find(sentence, reference, text)
    assert (mention.value, mention.granularity, mention.future) == (value, granularity, future)


@pytest.mark.parametrize(
    ("sentence", "reference"),
    [
        ("L'accord a été signé jeudi.", "XXXX-06-04"),  # unknown year: unknown weekday
        ("L'accord a été signé ce mardi.", "XXXX-06-04"),
        ("L'accord a été signé la semaine dernière.", "XXXX-06-04"),
        ("L'accord a été signé hier.", "XXXX-03-01"),  # 28 or 29 February
        ("L'accord a été signé il y a trois jours.", "XXXX-03-02"),
    ],
)
def test_unknown_year_leaves_weekdays_unresolved(sentence: str, reference: str) -> None:
    assert find_dates(sentence, reference) == []


def test_reference_forms() -> None:
    sentence = "Jeudi, le groupe a signé un accord en mai."
    expected = find_dates(sentence, THU)
    assert find_dates(sentence, "2021-05-27") == expected
    assert find_dates(sentence, dt.datetime(2021, 5, 27, 10, 30)) == expected
    with pytest.raises(ValueError, match="XXXX-MM-DD"):
        find_dates(sentence, "27 mai 2021")
    with pytest.raises(ValueError):
        find_dates(sentence, "XXXX-02-30")
    with pytest.raises(TypeError):
        find_dates(sentence, 20210527)  # type: ignore[arg-type]


def test_date_mention_stays_backward_compatible() -> None:
    mention = DateMention("en mai", 0, 6, "2020-05", "month", "point", True)
    assert mention.future is False


# A year right after a capitalised word inside a sentence is part of a name; not at the start
# of a sentence, nor after a word naming a time of the year.
@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("Pour 2021, le groupe vise une hausse des ventes.", "2021", "2021"),
        ("Le groupe a fêté Noël 2019 avec ses salariés.", "2019", "2019"),
        ("Le plan 2020-2024 a été signé.", "2020", "2020"),
    ],
)
def test_years_that_are_dates_after_capitals(sentence: str, text: str, value: str) -> None:
    assert _find(sentence, THU, text).value == value


@pytest.mark.parametrize(
    ("sentence", "reference", "relative"),
    [
        ("Le 12 août 2020, le groupe a signé.", WED, False),
        ("Le 12 août dernier, le groupe a signé.", WED, True),
        ("Le 12 août dernier, le groupe a signé.", None, False),
        ("Jeudi, le groupe a signé.", WED, True),
        ("En 2018, le groupe a signé.", WED, False),
        ("L'an dernier, le groupe a signé.", WED, True),
    ],
)
def test_relative_flag(sentence: str, reference: dt.date | None, relative: bool) -> None:
    (mention,) = find_dates(sentence, reference)
    assert mention.relative is relative


# Sentences with no date at all, whatever the reference.
@pytest.mark.parametrize(
    "sentence",
    [
        "Mars est la quatrième planète du système solaire.",
        "La sonde a été envoyée vers Mars par l'agence.",
        "Orange et Free se disputent le marché.",
        "L'entreprise emploie 2 000 salariés en France.",
        "Le groupe compte 2000 salariés et 1500 sous-traitants.",
        "Il dirige la société depuis 40 ans.",
        "La levée de fonds atteint 15 millions d'euros.",
        "Les enjeux du 21ème siècle sont numériques.",
        "La part de marché atteint 12,5 %, soit 2020 % de plus.",
        "Plus de 2000 manifestants étaient présents.",
        "Le projet a été validé par le conseil.",
        "Il a depuis été nommé directeur général.",
        "L'été est une saison chaude.",
        "Un an passé à Londres l'a convaincu.",
        "La prime atteint 300 euros par mois.",
        "Le modèle Peugeot 2008 se vend bien.",
        "Il a parcouru 1950 km en 2 jours.",
        "Chaque lundi, l'équipe fait le point.",
        "Il se souvient de cette année-là avec émotion.",
        "Le Club de Paris 2024 a ouvert ses portes.",
        "Les JO de Tokyo 2020 ont choisi un sponsor.",
        "La version Windows 2000 reste installée.",
        "Le groupe sponsorise l'Euro 2016 et le Mondial.",
        "Le dossier compte 12 pages et 3 annexes.",
        "",
    ],
)
def test_no_false_positive(sentence: str) -> None:
    assert find_dates(sentence, WED) == []


def test_weekdays_need_a_reference() -> None:
    assert find_dates("Jeudi, le groupe a signé un accord.", None) == []
    assert find_dates("Hier, le groupe a signé un accord.", None) == []
    assert find_dates("L'an dernier, le groupe a signé un accord.", None) == []


def test_order_and_no_overlap() -> None:
    text = "Signé le 12 août 2020, renouvelé en 2021, étendu jusqu'en 2028 et revu hier."
    mentions = find_dates(text, WED)
    assert [m.text for m in mentions] == [
        "le 12 août 2020",
        "en 2021",
        "jusqu'en 2028",
        "hier",
    ]
    for first, second in zip(mentions, mentions[1:], strict=False):
        assert first.end <= second.start


ARTICLE = (
    "Renault a annoncé début septembre 2020 avoir signé une lettre d'intention.\n"
    "Les chauffeurs rouleront à l'électrique d'ici 2025.\n"
    "Le pétrolier a annoncé le 12 août dernier un protocole d'accord.\n"
    "En novembre 2019, un hôtelier a signé un partenariat stratégique.\n"
    "Un projet qu'il va achever en 2021 avec l'aide d'Amazon.\n"
    "Le comité a signé un accord jusqu'en 2028.\n"
    "Un distributeur a suivi en juin 2019.\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ARTICLE, dt.date(2020, 9, 30)),
        (
            "Le 3 mars 2018, la société a signé. En 2017, elle avait levé des fonds.",
            dt.date(2018, 3, 3),
        ),
        ("La société a été fondée en 2012 et rachetée en 2016.", dt.date(2016, 12, 31)),
        ("La société lancera son offre en mars 2023.", None),
        ("La société prévoit de livrer en mars 2023 ses premiers clients.", None),
        ("Le groupe vise 100 magasins d'ici 2025.", None),
        ("Jeudi, le groupe a signé.", None),
        ("Aucune date ici.", None),
    ],
)
def test_infer_reference(text: str, expected: dt.date | None) -> None:
    assert infer_reference(text) == expected


def test_inferred_reference_anchors_relative_dates() -> None:
    reference = infer_reference(ARTICLE)
    values = {m.text: m.value for m in find_dates(ARTICLE, reference)}
    assert values["le 12 août dernier"] == "2020-08-12"
    assert find_dates("Fin juillet, il a signé.", reference)[0].value == "2020-07"
    assert find_dates("En juin dernier, il a signé.", reference)[0].value == "2020-06"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("28 mai 2021", "2021-05-28"),
        ("mardi 05 mai 2020 à 16h30", "2020-05-05"),
        ("Publié le mardi 13 février 2018 à 16h39", "2018-02-13"),
        ("2020-05-05T16:30:00+02:00", "2020-05-05"),
        ("2020-05-05", "2020-05-05"),
        ("05/05/2020", "2020-05-05"),
        ("16 juillet", "XXXX-07-16"),
        ("XXXX-07-16", "XXXX-07-16"),
        ("Par la rédaction, publié le 28 mai 2021", "2021-05-28"),
        ("May 5, 2020", "2020-05-05"),
        ("2020-02-30", None),
        ("n'importe quoi", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_published(raw: str | None, expected: str | None) -> None:
    assert normalise_published(raw) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-08-12", dt.date(2020, 8, 12)),
        ("2020-08", None),
        ("2020", None),
        ("XXXX-06-04", None),
        ("2020-02-30", None),
        ("hier", None),
    ],
)
def test_to_date(value: str, expected: dt.date | None) -> None:
    assert to_date(value) == expected


def test_rules_error_names_the_file(tmp_path: Path) -> None:
    good = load_date_rules().path.read_text(encoding="utf-8")
    assert "  janvier: 1\n" in good
    bad = tmp_path / "dates.yaml"
    bad.write_text(good.replace("  janvier: 1\n", "  janvier: 13\n"), encoding="utf-8")
    line = next(i for i, row in enumerate(good.splitlines(), 1) if row.startswith("months:"))
    with pytest.raises(DateRulesError, match=rf"dates\.yaml:{line}: 'months'"):
        load_date_rules(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nmonths: [\n", encoding="utf-8")
    with pytest.raises(DateRulesError, match=r"broken\.yaml"):
        load_date_rules(broken)
    with pytest.raises(DateRulesError, match=r"missing\.yaml"):
        load_date_rules(tmp_path / "missing.yaml")


def test_tense_rules_are_validated(tmp_path: Path) -> None:
    good = load_date_rules().path.read_text(encoding="utf-8")
    assert "  not_past_before: [lieu]\n" in good
    bad = tmp_path / "dates.yaml"
    bad.write_text(good.replace("  not_past_before: [lieu]\n", ""), encoding="utf-8")
    line = next(i for i, row in enumerate(good.splitlines(), 1) if row.startswith("tense:"))
    with pytest.raises(DateRulesError, match=rf"dates\.yaml:{line}: 'tense'"):
        load_date_rules(bad)


def test_default_rules_load() -> None:
    rules = load_date_rules()
    assert rules.months["août"] == 8
    assert load_date_rules() is rules  # loaded once


def _check(text: str, reference: dt.date | str | None) -> None:
    mentions = find_dates(text, reference)
    assert isinstance(mentions, list)
    last_end = 0
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.start >= last_end
        last_end = mention.end
        assert mention.value
        assert mention.granularity in {
            "day",
            "week",
            "month",
            "season",
            "quarter",
            "half",
            "year",
            "decade",
        }
        assert mention.role in {"point", "target", "range_end", "range_start"}
        assert isinstance(mention.future, bool)


_DATE_WORDS = st.sampled_from(
    [
        "le",
        "12",
        "1er",
        "août",
        "mars",
        "2020",
        "dernier",
        "prochain",
        "fin",
        "début",
        "mi-",
        "d'ici",
        "jusqu'en",
        "depuis",
        "été",
        "jeudi",
        "semaine",
        "l'an",
        "années",
        "80",
        "T1",
        "trimestre",
        "premier",
        "hier",
        "il y a",
        "deux",
        "ans",
        "-ci",
        "-là",
        "/",
        "05",
        "ſ",
        "\n",
        " ",
        ",",
        "ᵉʳ",
        "29 février",
        "31 avril",
        "prévu",
        "signera",
        "a",
        "ce",
        "nuit de",
        "à",
        "Paris",
        "-",
    ]
)


_REFERENCES = (
    st.none()
    | st.dates()
    | st.dates(dt.date(2000, 1, 1), dt.date(2000, 12, 31)).map(lambda d: "XXXX" + str(d)[4:])
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=300) | st.lists(_DATE_WORDS, max_size=40).map(" ".join),
    reference=_REFERENCES,
)
def test_never_crashes(text: str, reference: dt.date | str | None) -> None:
    _check(text, reference)
    infer_reference(text)
    normalise_published(text[:60])


@settings(max_examples=10, deadline=None)
@given(word=_DATE_WORDS, reference=st.none() | st.dates())
def test_huge_lines(word: str, reference: dt.date | None) -> None:
    text = ("Le 12 août 2020, " + word + " ") * 3000 + "x" * 50_000
    _check(text, reference)
