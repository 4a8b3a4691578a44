"""Brains: LLM backends behind one small streaming interface, found through entry points."""
