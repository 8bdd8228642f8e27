#!/usr/bin/env bash
# Upgrades an install made by deploy/install.sh: backup first, pull, install, build, restart, wait
# for /healthz; if the new build does not come up healthy, the previous code, dependencies, build and
# database are put back and restarted, and this exits non-zero saying so.
#
#   sudo /opt/j1msky-ops/deploy/update.sh [--prefix /opt/j1msky-ops] [--timeout 60]
#
# For tests and unusual setups, each outside step can be replaced through the environment:
# J1MSKY_BACKUP_CMD, J1MSKY_RESTART_CMD, J1MSKY_STOP_CMD, J1MSKY_HEALTH_CMD.
set -euo pipefail

PREFIX="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIMEOUT=60
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "update.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
cd "$PREFIX"
[ -d .git ] || { echo "update.sh: $PREFIX is not a checkout made by deploy/install.sh" >&2; exit 1; }

PORT="$( (grep -E '^PORT=[0-9]+' .env 2>/dev/null || true) | tail -1 | cut -d= -f2)"
HEALTH_URL="http://127.0.0.1:${PORT:-3000}/healthz"
BACKUP_CMD="${J1MSKY_BACKUP_CMD:-node dist/cli.js backup now}"
RESTART_CMD="${J1MSKY_RESTART_CMD:-systemctl restart j1msky-ops}"
STOP_CMD="${J1MSKY_STOP_CMD:-systemctl stop j1msky-ops}"
HEALTH_CMD="${J1MSKY_HEALTH_CMD:-node -e \"fetch('$HEALTH_URL').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))\"}"

healthy_within() {
  local deadline=$((SECONDS + $1))
  while [ $SECONDS -lt "$deadline" ]; do
    if eval "$HEALTH_CMD" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  return 1
}

# 1. A backup first: the way back if the new schema or code goes wrong. Exit 2 only means it was
# not copied off the card, which does not stop an upgrade.
echo "Backing up the database..."
set +e
BACKUP_OUT="$(eval "$BACKUP_CMD" 2>&1)"; BACKUP_RC=$?
set -e
echo "$BACKUP_OUT"
if [ "$BACKUP_RC" != 0 ] && [ "$BACKUP_RC" != 2 ]; then echo "update.sh: the backup failed, so nothing was changed" >&2; exit 1; fi
BACKUP_FILE="$(printf '%s\n' "$BACKUP_OUT" | sed -n 's/^Backed up to \([^ ]*\) .*/\1/p' | head -1)"

# 2. Keep what runs now, then bring in the new code.
PREVIOUS="$(git rev-parse HEAD)"
rm -rf dist.previous node_modules.previous
cp -a dist dist.previous
mv node_modules node_modules.previous
rollback() {
  echo "update.sh: $1; putting $PREVIOUS back" >&2
  eval "$STOP_CMD" || true
  git reset --quiet --hard "$PREVIOUS"
  rm -rf dist node_modules
  mv dist.previous dist
  mv node_modules.previous node_modules
  # The new code may have migrated the schema, which the previous code refuses: restore the backup.
  if [ -n "$BACKUP_FILE" ]; then node dist/cli.js backup restore "$BACKUP_FILE" || echo "update.sh: restore $BACKUP_FILE by hand: npm run cli -- backup restore $BACKUP_FILE" >&2; fi
  eval "$RESTART_CMD" || true
  if healthy_within "$TIMEOUT"; then echo "update.sh: the previous version ($PREVIOUS) is running again" >&2; else echo "update.sh: the previous version did not come up healthy either: journalctl -u j1msky-ops" >&2; fi
  exit 1
}

# An origin that is a local checkout owned by another user (installed with sudo from the pi user's
# clone) is trusted for this pull only; git refuses it otherwise.
ORIGIN="$(git remote get-url origin 2>/dev/null || true)"
pull() {
  if [ -d "$ORIGIN" ]; then
    local config status=0
    config="$(mktemp)"
    printf '[safe]\n\tdirectory = %s\n\tdirectory = %s/.git\n' "$ORIGIN" "$ORIGIN" >"$config"
    GIT_CONFIG_GLOBAL="$config" git pull --quiet --ff-only || status=$?
    rm -f "$config"
    return "$status"
  fi
  git pull --quiet --ff-only
}
pull || rollback "git pull failed (local changes to tracked files? settings belong in config/ and .env)"
NEW="$(git rev-parse HEAD)"
echo "Updating $PREVIOUS -> $NEW"
npm ci --no-audit --no-fund || rollback "npm ci failed"
npm run build --silent || rollback "the build failed"
npm prune --omit=dev --no-audit --no-fund >/dev/null || rollback "npm prune failed"
cp package-lock.json node_modules/.j1msky-installed-lock

# 3. Restart and wait for the health check.
eval "$RESTART_CMD" || rollback "the restart failed"
if ! healthy_within "$TIMEOUT"; then rollback "the new version did not answer $HEALTH_URL with 200 within ${TIMEOUT}s"; fi
rm -rf dist.previous node_modules.previous
echo "Updated to $NEW; healthy."
