"""Release: versions, citation files, the two editions and their reproducible, verified archives."""
