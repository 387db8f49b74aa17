"""Parts of the attribute stage: the language data it reads, quotes, cues and source names."""
