"""Work that needs two peers: the floor above the registry, the project engine and monitoring.

A peer never computes with another peer: the registry stores a plan's result but does not
compute it; a workflow here parses and computes it with :mod:`postmine.project` and stores it
through :mod:`postmine.registry`. The CLI and the API call these functions.
"""
