# Debian's chromium and a CJK font, for the browser tests in tests/e2e (Playwright drives the
# system chromium: `playwright install`, which downloads browsers of its own, is never used).
# Without root the tests skip when chromium is missing; set JIANGHUA_SKIP_BROWSER=1 to not install.
# Once chromium is there, scripts/test sets JIANGHUA_E2E_REQUIRED=1: the browser tests may not skip.

ensure_browser() {
  local packages=()
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  # Without a CJK font every Chinese character renders as a box in the screenshots.
  { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family | grep -q .; } || packages+=(fonts-noto-cjk)
  [ ${#packages[@]} -eq 0 ] && return 0
  if [ "${JIANGHUA_SKIP_BROWSER:-0}" = 1 ]; then
    echo "== browser: ${packages[*]} missing, not installed (JIANGHUA_SKIP_BROWSER=1)"
    return 0
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "== browser: ${packages[*]} missing; the browser tests need them (as root: apt-get install ${packages[*]})" >&2
    return 0
  fi
  echo "== browser: installing ${packages[*]} (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
}
