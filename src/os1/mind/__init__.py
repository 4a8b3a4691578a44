"""The mind: the context builder, the intent router and the sentence encoder it uses."""
