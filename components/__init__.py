"""Rasa-side code loaded into the Rasa server: custom NLU components, the tracker store,
speed fixes to Rasa itself (components/rasa_speedups.py) and the debrief's questions said
by the server (components/bank_asks.py), applied here because Rasa imports this package
when it loads the model."""

from components import bank_asks, rasa_speedups

if rasa_speedups.apply():
    bank_asks.apply()
