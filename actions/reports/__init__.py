"""Reports built from the records: the supervision agenda (HTML and PDF). No rasa imports."""
