def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "prod: starts the production profile (PostgreSQL, Redis, nginx, two Rasa servers)",
    )
