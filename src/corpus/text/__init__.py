"""Text: the language tools (tokens, stopwords, lemmas, sentences, tone) and the codebook of concepts."""
