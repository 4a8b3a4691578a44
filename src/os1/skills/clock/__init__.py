"""Skill: the time and the date, from the machine's clock and time zone."""
