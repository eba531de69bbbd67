"""Reading and writing record files: framing, parsing with positions, the canonical form, atomic writes."""
