"""US–Russia news corpus: build, validate, analyse and publish a Frictionless data package of news articles.

The sub-packages are the pipeline's stages, each importing only from itself and the stages
before it (a test checks this): the core (:mod:`corpus.errors`, :mod:`corpus.paths`,
:mod:`corpus.fileio`, :mod:`corpus.processes`) → :mod:`corpus.ingest` (seeds, catalog,
extraction, languages, dates) → :mod:`corpus.text` (language tools, codebook) →
:mod:`corpus.package` (schemas, build, validation, metadata, citations) → :mod:`corpus.analysis`
(reads the published package) → :mod:`corpus.reports` (executes and renders the notebooks) →
:mod:`corpus.release` (versions, editions, archives). :mod:`corpus.cli` is the one command line.
"""

from corpus.errors import CorpusError

__all__ = ["CorpusError"]
