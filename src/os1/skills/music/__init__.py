"""The music skill: the user's local music library, exact and mood requests, and playback."""
