"""Long-term memory: the memory stream, retrieval, facts and people, reflection and growth."""
