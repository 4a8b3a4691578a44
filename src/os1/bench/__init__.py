"""Benchmarks behind `os1 bench …`; each prints one flat JSON object as its last line."""
