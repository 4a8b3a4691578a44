"""The news skill: headlines from the user's RSS/Atom feeds, ranked by what they care about."""
