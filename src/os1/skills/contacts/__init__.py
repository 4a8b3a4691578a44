"""Skill: contacts — import and export vCards, learn people from mail, merge duplicates, rank closeness."""
