"""Rasa-side code loaded into the Rasa server: custom NLU components, the tracker store,
and one speed fix to Rasa itself (components/action_response.py), applied here because
Rasa imports this package when it loads the model."""

from components import action_response

action_response.apply()
