"""Skill: "what can you do?" — lists the loaded skills, and any that failed to load."""
