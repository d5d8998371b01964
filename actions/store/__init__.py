"""The supervision store: SQLAlchemy models, repository functions and migrations.

Use ``actions.store.db.session_scope()`` for a transaction and the functions in
``actions.store.repository`` inside it. Nothing here imports Rasa.
"""
