"""Skill: permissions and undo by conversation — "what have I allowed?", "revoke mail.read", "undo that"."""
