#!/bin/sh
# Print the path of a Python 3.12+ interpreter, or explain what to install and fail.
# pyenv shims exist for versions that are not selected and fail when run, so every
# candidate is actually executed before it is accepted.
ok() { "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }

for candidate in "${PYTHON:-}" python3.14 python3.13 python3.12 python3 python; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
for dir in ${PYTHON_SEARCH_DIRS:-"${PYENV_ROOT:-$HOME/.pyenv}/versions" /usr/local/bin /opt/homebrew/bin /usr/bin}; do
  for path in $(ls -d "$dir"/3.1[2-9]*/bin/python3 "$dir"/python3.1[2-9] 2>/dev/null | sort -rV); do
    if ok "$path"; then echo "$path"; exit 0; fi
  done
done
cat >&2 <<'MSG'
No Python 3.12 or newer was found (Django 6.1 needs it).
Install one, then run the command again:
  - Debian/Ubuntu: sudo apt install python3.12 python3.12-venv
  - macOS:         brew install python@3.12
  - pyenv:         pyenv install 3.12
  - Windows:       https://www.python.org/downloads/
Or point at one you have: make run PYTHON=/path/to/python3.12
MSG
exit 1
