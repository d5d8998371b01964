#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter, or explain what to install and fail.
# Rasa Open Source 3.6 supports Python 3.8-3.10 only.
set -euo pipefail
candidates=("${PYTHON:-}" python3.10 "$HOME/.pyenv/versions"/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10)
for candidate in "${candidates[@]}"; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null || true)
  [ -n "$path" ] || continue
  if "$path" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
cat >&2 <<'MSG'
Python 3.10 is needed (Rasa Open Source 3.6 runs on Python 3.8-3.10 only) and none was found.
Install it, for example:
  pyenv install 3.10.13            # with pyenv
  sudo apt-get install python3.10 python3.10-venv   # on Debian/Ubuntu with 3.10 packages
or point PYTHON at one:  make run PYTHON=/path/to/python3.10
MSG
exit 1
