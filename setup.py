"""Package layout only (metadata is in pyproject.toml): every package under src/, found
automatically, plus the rule data of models/ shipped as the package ``souverain_nlp.models``
(``settings.models_dir`` finds it with importlib.resources in an installed package)."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages("src"), "souverain_nlp.models"],
    package_dir={"": "src", "souverain_nlp.models": "models"},
)
