"""Print the actor mentions (and events) of dev articles around a string, from the devloop cache.

    .venv/bin/python tools/show.py orangesum_txt 2373 "Hospitalo"
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from devloop import parsed  # noqa: E402

from souverain_nlp.actors import find_actors  # noqa: E402
from souverain_nlp.gazetteer import load_gazetteer  # noqa: E402
from souverain_nlp.pipeline import analyse_doc, needs_analysis  # noqa: E402
from souverain_nlp.rules import load_rules  # noqa: E402
from souverain_nlp.settings import Settings  # noqa: E402


def main() -> None:
    name, stem = sys.argv[1], sys.argv[2]
    needle = sys.argv[3] if len(sys.argv) > 3 else None
    settings = Settings()
    cleans, docs = parsed(name, settings)
    todo = [c for c in cleans if needs_analysis(c)]
    gaz, rules = load_gazetteer(settings.models_dir), load_rules(settings.models_dir)
    for c, d in zip(todo, docs, strict=True):
        if Path(c.source).stem != stem:
            continue
        actors = find_actors(d, gaz, rules)
        for si, sent in enumerate(d.sents):
            if needle and needle.lower() not in sent.text.lower():
                continue
            print(f"[{si}] {sent.text.strip()}")
            print("   ents:", [(e.text, e.label_) for e in sent.ents])
            for m in actors:
                if sent.start <= m.start < sent.end:
                    named = m.named
                    extra = f" -> {named.text}" if named is not None and named is not m else ""
                    if m.members:
                        extra = " -> " + " + ".join(x.text for x in m.members)
                    print(f"   {m.kind}/{m.how}: {m.text!r}{extra}")
        if "--events" in sys.argv:
            a = analyse_doc(c, d, gaz, rules)
            for ev in a.events:
                print("EVENT", ev.kind, ev.status, [p.resolved_text or p.text for p in ev.parties],
                      ev.date, ev.purpose, "|", ev.sentence[:150])


if __name__ == "__main__":
    main()
