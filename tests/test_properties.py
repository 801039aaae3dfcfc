"""Property tests: event extraction returns a result on any text, without raising."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from souverain_nlp.pipeline import extract_text

FRENCH_BITS = st.sampled_from(
    [
        "Orange", "a signé", "un partenariat", "avec", "Google", "en mars 2021", "pour",
        "développer", "le groupe", "français", "et", "Microsoft", ",", ".", "\n", "«", "»",
        "l'accord", "entre", "Renault", "Nissan", "jeudi", "(", ")", "il", "qui", "ne", "pas",
        "d'ici 2025", "L'objectif :", "selon", "pourrait", "va", "s'allier", "-", "–", ":",
    ]
)

texts = st.one_of(
    st.text(max_size=300),
    st.lists(FRENCH_BITS, max_size=60).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=2000, max_size=4000),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, published=st.sampled_from([None, "2021-05-28", "n'importe quoi"]))
@example(text="SIGNé ENTRE", published=None)  # a partner preposition as the last token
def test_extraction_never_raises(text, published):
    tables = extract_text(text, source="random.txt", published=published)
    for event in tables.events:
        assert len(event["who"]) + len(event["with_whom"]) >= 2
        assert 0 <= event["start"] <= event["end"]
    assert len(tables.articles) == 1
