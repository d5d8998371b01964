"""Who a chat user is: signed tokens (issue for development, verify always) and the
development sign-in's list of people. Pure Python: no Rasa imports.

``config`` reads the environment; ``tokens`` issues and verifies; ``directory`` lists the
people the development sign-in offers.
"""
