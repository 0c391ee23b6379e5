"""Item pipelines, one per module, in ITEM_PIPELINES order: normalise, relevance, dedupe, archive, store."""
