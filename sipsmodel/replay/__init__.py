"""Replay on a real server: a loopback-only SIP user agent (agent.py)."""
