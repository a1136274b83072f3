"""Persistence: turns requests into rows and rows into responses, around the pure domain."""
