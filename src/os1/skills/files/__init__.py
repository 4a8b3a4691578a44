"""Skill: the user's files — scan chosen folders (incrementally), index documents, photos and media,
find duplicates, big and long-untouched files, search by name and meaning, and tidy up by proposal
(moves only after a yes, journaled and undoable; nothing is ever deleted)."""
