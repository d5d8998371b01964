"""People, teams and supervision from the command line: ``python -m actions.people``."""
