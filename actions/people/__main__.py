"""``python -m actions.people``: see ``actions.people.cli``."""

import logging

from actions.people.cli import main

if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    main()
