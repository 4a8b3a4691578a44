"""Skill: what OS1 knows about you and the people in your life — show it, correct it, forget it."""
