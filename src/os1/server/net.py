"""Tiny network helpers shared by the server and its client; imports nothing heavy."""

from __future__ import annotations

import ipaddress


def is_loopback_host(host: str) -> bool:
    """Is ``host`` (a name or an IP address, without brackets or port) this machine only?"""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
