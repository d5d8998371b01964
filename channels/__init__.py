"""Rasa input channels (connectors) for this assistant."""
