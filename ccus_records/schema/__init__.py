"""The record model, its vocabularies and its JSON Schema export."""
