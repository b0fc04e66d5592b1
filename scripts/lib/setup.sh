# Shared set-up for scripts/serve and scripts/test: a virtualenv in .venv with the project installed.
# Re-installs only when pyproject.toml (or the requested extras) changed, so repeated runs are fast.

find_python() {
  for candidate in "${JIANGHUA_PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "Python 3.11 or newer is required (set JIANGHUA_PYTHON to its path)." >&2
  return 1
}

ensure_venv() {  # $1: extras, e.g. "dev" or ""
  local extras="$1" stamp=".venv/.jianghua-installed" hash spec="."
  [ -n "$extras" ] && spec=".[${extras}]"
  [ -x .venv/bin/python ] || "$(find_python)" -m venv .venv
  hash="$(sha256sum pyproject.toml | cut -c1-16)"
  # The install is editable, so only pyproject.toml changes need a reinstall; dev covers plain.
  if grep -qxF "$hash dev" "$stamp" 2>/dev/null || grep -qxF "$hash $extras" "$stamp" 2>/dev/null; then
    return 0
  fi
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e "$spec"
  echo "$hash $extras" > "$stamp"
}
