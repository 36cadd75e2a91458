"""US–Russia news corpus: build, validate and analyse a Frictionless data package of news articles.

The modules are the pipeline's stages: :mod:`corpus.seeds` (read raw files) →
:mod:`corpus.extract` (articles with provenance) → :mod:`corpus.package` / :mod:`corpus.validate`
→ analysis modules → :mod:`corpus.reports`.
"""

from corpus.errors import CorpusError

__all__ = ["CorpusError"]
