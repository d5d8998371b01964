"""Rasa-side code loaded into the Rasa server: custom NLU components, the tracker store,
and speed fixes to Rasa itself (components/rasa_speedups.py), applied here because Rasa
imports this package when it loads the model."""

from components import rasa_speedups

rasa_speedups.apply()
