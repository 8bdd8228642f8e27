#!/usr/bin/env bash
# Installs j1msky-ops as a systemd service on Raspberry Pi OS 64-bit / Debian. Safe to run again:
# it never overwrites the team's settings (config/, .env) and says what it leaves as it is.
#
#   sudo deploy/install.sh [--prefix /opt/j1msky-ops] [--user j1msky]
#   deploy/install.sh --no-system --prefix ~/j1msky    # no user, no systemd: print those steps instead
set -euo pipefail

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX=/opt/j1msky-ops
SERVICE_USER=j1msky
SYSTEM=1
UNIT_DIR=/etc/systemd/system
MIN_NODE=22

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="$2"; shift 2 ;;
    --user) SERVICE_USER="$2"; shift 2 ;;
    --no-system) SYSTEM=0; shift ;;
    --unit-dir) UNIT_DIR="$2"; shift 2 ;;
    # For CI machines only: Node 20.12+ runs the bot, but Pis run 22 or 24.
    --allow-node20) MIN_NODE=20; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

say() { printf '%s\n' "$*"; }
# git, trusting the checkout $1 although another user owns it: `sudo deploy/install.sh` runs from
# the pi user's clone, which git refuses to read as root (safe.directory). A local clone runs git
# inside that repository, where -c options do not reach, so a throwaway global config names it.
git_trusting() {
  local dir="$1" config status=0
  shift
  config="$(mktemp)"
  if [ -f "${HOME:-}/.gitconfig" ]; then printf '[include]\n\tpath = %s\n' "$HOME/.gitconfig" >>"$config"; fi
  printf '[safe]\n\tdirectory = %s\n\tdirectory = %s/.git\n' "$dir" "$dir" >>"$config"
  GIT_CONFIG_GLOBAL="$config" git "$@" || status=$?
  rm -f "$config"
  return "$status"
}
# A system step: done as root, printed otherwise (--no-system), so nothing is half-done silently.
system() {
  if [ "$SYSTEM" = 1 ]; then "$@"; else say "  (skipped, --no-system) $*"; fi
}

# 1. Node. Raspberry Pi OS ships an older Node than the bot needs.
NODE="$(command -v node || true)"
NODE_MAJOR=0
if [ -n "$NODE" ]; then NODE_MAJOR="$("$NODE" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"; fi
if [ "$NODE_MAJOR" -lt "$MIN_NODE" ]; then
  cat >&2 <<MSG
install.sh: j1msky-ops needs Node ${MIN_NODE} or later; this machine has ${NODE:+$("$NODE" --version)}${NODE:-no node}.
Install Node 22 (LTS) from NodeSource, which has arm64 packages for Raspberry Pi OS 64-bit:

  curl -fsSL https://deb.nodesource.com/setup_22.x -o nodesource_setup.sh
  sudo bash nodesource_setup.sh
  sudo apt-get install -y nodejs build-essential python3

or unpack the official arm64 tarball (https://nodejs.org/dist/latest-v22.x/, node-*-linux-arm64.tar.xz)
into /usr/local. Then run this script again.
MSG
  exit 1
fi
for tool in npm git; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install.sh: $tool is missing: sudo apt-get install -y $tool" >&2; exit 1; }
done
if [ "$SYSTEM" = 1 ] && [ "$(id -u)" != 0 ]; then
  echo "install.sh: run it with sudo (it creates a user and a systemd unit), or pass --no-system" >&2
  exit 1
fi

say "Installing j1msky-ops into $PREFIX (Node $("$NODE" --version) at $NODE)"

# 2. The code: a git clone of this checkout, so deploy/update.sh can pull and roll back.
if [ "$PREFIX" != "$SOURCE" ]; then
  if [ -d "$PREFIX/.git" ]; then
    say "  $PREFIX is already a checkout: left as it is (deploy/update.sh upgrades it)"
  else
    mkdir -p "$(dirname "$PREFIX")"
    git_trusting "$SOURCE" clone --quiet "$SOURCE" "$PREFIX"
    # Upgrades pull from where this checkout came from (GitHub), not from the copy it was cloned from.
    UPSTREAM="$(git_trusting "$SOURCE" -C "$SOURCE" remote get-url origin 2>/dev/null || true)"
    if [ -n "$UPSTREAM" ]; then git -C "$PREFIX" remote set-url origin "$UPSTREAM"; fi
    say "  cloned $SOURCE${UPSTREAM:+ (upgrades pull from $UPSTREAM)}"
  fi
fi
cd "$PREFIX"

# 3. Dependencies and the build: dev dependencies build the bundle, then are pruned. npm ci only
# when the lockfile changed since the last install (it rebuilds better-sqlite3: minutes on a Pi).
if [ ! -d node_modules ] || ! cmp -s package-lock.json node_modules/.j1msky-installed-lock 2>/dev/null; then
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.j1msky-installed-lock
fi
npm run build --silent
npm prune --omit=dev --no-audit --no-fund >/dev/null
cp package-lock.json node_modules/.j1msky-installed-lock

# 4. The team's own settings: copies of the tracked defaults, made once, never overwritten.
mkdir -p config data/backups
for f in team.json schedules.json models.json pricing-policy.json; do
  if [ -e "config/$f" ]; then say "  config/$f kept (yours)"; else cp "data/$f" "config/$f"; say "  config/$f created from data/$f: edit it for your team"; fi
done
if [ -e .env ]; then say "  .env kept (yours)"; else cp .env.example .env; chmod 600 .env; say "  .env created from .env.example: add your tokens"; fi

# 5. The service user and the unit, with the real path of node.
if ! id "$SERVICE_USER" >/dev/null 2>&1; then
  system useradd --system --home-dir "$PREFIX" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi
system chown -R "$SERVICE_USER:" "$PREFIX/data" "$PREFIX/config" "$PREFIX/.env"
mkdir -p "$UNIT_DIR"
sed -e "s|@NODE@|$NODE|g" -e "s|@PREFIX@|$PREFIX|g" -e "s|@USER@|$SERVICE_USER|g" deploy/j1msky-ops.service > "$UNIT_DIR/j1msky-ops.service.new"
if cmp -s "$UNIT_DIR/j1msky-ops.service.new" "$UNIT_DIR/j1msky-ops.service" 2>/dev/null; then
  rm "$UNIT_DIR/j1msky-ops.service.new"
  say "  $UNIT_DIR/j1msky-ops.service unchanged"
else
  mv "$UNIT_DIR/j1msky-ops.service.new" "$UNIT_DIR/j1msky-ops.service"
  say "  wrote $UNIT_DIR/j1msky-ops.service (ExecStart=$NODE ... dist/main.js)"
fi
system systemctl daemon-reload
system systemctl enable j1msky-ops
# restart, not start: a second run applies a changed unit or build to a bot already running.
system systemctl restart j1msky-ops

cat <<DONE

j1msky-ops is installed in $PREFIX.
  Settings:   $PREFIX/.env (tokens, channels, backups) and $PREFIX/config/*.json (people, schedules, models, policy)
  First run:  cd $PREFIX && sudo -u $SERVICE_USER npm run cli -- setup   (tokens, channels, checked)
  Logs:       journalctl -u j1msky-ops -f
  Health:     curl -s http://127.0.0.1:3000/healthz
  Backups:    $PREFIX/data/backups (set BACKUP_COPY_DIR in .env to copy them off the SD card)
  Upgrade:    sudo $PREFIX/deploy/update.sh
After editing .env or config/: sudo systemctl restart j1msky-ops
DONE
