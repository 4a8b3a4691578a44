"""Skills: one package per skill (manifest.toml + tools.py), the skill base types and the guarded loader."""
