"""Senses: turning what arrives (typed text now; voice later) into clean input."""
