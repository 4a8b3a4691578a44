"""Limits by design: care, honesty, the consent gate, and the action journal with undo."""
