"""Analysis: pure functions from the published data package's tables to DataFrames, and the notebooks' tools.

:mod:`~corpus.analysis.data` reads the package; :mod:`~corpus.analysis.select` chooses the text
and its comparison groups; then :mod:`~corpus.analysis.overview`, ``frequencies``, ``keyness``,
``collocations``, ``kwic``, ``concepts``, ``quotes`` and ``tone`` each return DataFrames whose
columns do not depend on the data (an empty selection gives empty frames). ``figures`` and
``prose`` turn them into safe figures, tables and sentences; ``params`` validates a notebook's
parameters and ``notebook.start`` is the one call a notebook begins with.
"""
