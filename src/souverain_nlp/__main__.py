"""``python -m souverain_nlp``: the command line."""

from .cli import main

main()
