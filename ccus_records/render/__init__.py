"""Renderers: one per output format, data in, text out."""
