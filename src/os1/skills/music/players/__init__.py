"""Music playback backends behind one :class:`~os1.skills.music.players.base.Player` interface:
mpv driven over its JSON IPC socket, ffplay, and PyAV decoding into the sound card (sounddevice)."""
