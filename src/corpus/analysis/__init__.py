"""Analysis: pure functions from the published data package's tables to DataFrames, and the notebooks' tools.

:mod:`~corpus.analysis.data` reads the package; :mod:`~corpus.analysis.select` chooses the text
and its comparison groups; then :mod:`~corpus.analysis.overview`, ``frequencies``,
``collocations``, ``kwic``, ``concepts``, ``quotes`` and ``tone`` each return DataFrames whose
columns do not depend on the data (an empty selection gives empty frames). Inference takes the
article as the unit: ``units`` (articles and their sizes), ``stats`` (permutation tests,
bootstrap intervals, corrections, dispersion), ``inference`` (group comparisons), ``confounds``,
``robustness``, ``claims`` and ``findings`` (each stated finding with its verdict), ``quality``
(the published scores against the gold); ``keyness`` keeps token-level G² as a description.
``figures``, ``prose`` and ``explain`` turn results into safe figures, tables and sentences;
``params`` validates a notebook's parameters and ``notebook.start`` is the one call a notebook
begins with.
"""
