"""Why a dev sentence gives the events it gives: triggers, guards, frames, roles.

    .venv/bin/python tools/why.py orangesum_tech_txt 5969 "partenaires affûtés"
    .venv/bin/python tools/why.py - "Renault et Google sont partenaires." ""
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from devloop import parsed  # noqa: E402

from souverain_nlp.actors import find_actors  # noqa: E402
from souverain_nlp.gazetteer import load_gazetteer  # noqa: E402
from souverain_nlp.layout import doc_layout  # noqa: E402
from souverain_nlp.pipeline import needs_analysis  # noqa: E402
from souverain_nlp.relations import frames, guards, roles  # noqa: E402
from souverain_nlp.relations.context import Context  # noqa: E402
from souverain_nlp.rules import load_rules  # noqa: E402
from souverain_nlp.settings import Settings  # noqa: E402
from souverain_nlp.triggers import triggers_of  # noqa: E402


def names(ms):
    return [m.text + (f"->{m.named.text}" if m.named is not None and m.named is not m else "")
            for m in ms]


def main() -> None:
    name, stem, needle = sys.argv[1], sys.argv[2], sys.argv[3]
    settings = Settings()
    gaz, rules = load_gazetteer(settings.models_dir), load_rules(settings.models_dir)
    if name == "-":  # free text: why.py - "Renault et Google sont partenaires." ""
        from souverain_nlp.nlp import get_nlp

        pairs = [(None, get_nlp()(stem))]
    else:
        cleans, docs = parsed(name, settings)
        todo = [c for c in cleans if needs_analysis(c)]
        pairs = [(c, d) for c, d in zip(todo, docs, strict=True) if Path(c.source).stem == stem]
    for _c, d in pairs:
        lay = doc_layout(d)
        trig = triggers_of(d, rules)
        ms = find_actors(d, gaz, rules, lay, trig)
        bt = {}
        for m in ms:
            if m.how != "possessive" and m.part_of is None:
                for i in range(m.start, m.end):
                    bt[i] = m
        ctx = Context(d, lay[0], lay[2], ms, bt, gaz, rules, None, True)
        for t, s in trig:
            si = lay[1][s.start]
            sent = lay[0][si]
            if needle.lower() not in sent.text.lower():
                continue
            print(f"[{si}] {sent.text.strip()[:300]}")
            print("  parse:", " ".join(f"{x.text}/{x.pos_}/{x.dep_}>{x.head.i - sent.start}"
                                       for x in sent)[:700])
            print("  mentions:", names([m for m in ms if m.sent == si]))
            print(f"  TRIGGER {t.id} {s.text!r} root={s.root.text} dep={s.root.dep_}")
            print("   guards: blocked", guards.blocked(ctx, t, s), "acq",
                  guards.acquisition(ctx, s, t), "consent", guards.consent(ctx, t, s),
                  "merger", guards.merger(ctx, t, s, si))
            rn = frames.role_noun(ctx, t, s, si, sent.end)
            cp = frames.compounds(ctx, t, s, si, sent.end)
            print("   role_noun:", rn and [(names(f.who), names(f.partners)) for f in rn],
                  "compounds:", cp and [(names(f.who), names(f.partners)) for f in cp])
            rf = roles.roles_for(ctx, t, s, si, sent.end)
            print("   roles_for:", [(names(f.who), names(f.partners), f.evidence) for f in rf])


if __name__ == "__main__":
    main()
