"""Skill: "remember that …" — notes the user asks OS1 to keep, recall and forget."""
