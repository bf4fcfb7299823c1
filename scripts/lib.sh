# Shared by scripts/run and scripts/test. Every step is idempotent: it checks
# first and only installs or starts what is missing.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${GADESK_DATA_DIR:-$ROOT/.data}"
CARGO_LEPTOS_VERSION="0.3.10"
SCHEMATHESIS_VERSION="4.32.5"
# the notification tests' mail server
AIOSMTPD_VERSION="1.4.6"
# the attachment tests' S3-compatible object store
MOTO_VERSION="5.2.5"
SCHEMATHESIS="$ROOT/.data/tools/venv/bin/st"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*"; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Rust pieces, the browser and npm packages. Fast when all are present.
ensure_toolchain() {
  command -v cargo >/dev/null || die "Rust (cargo) is required: install it with rustup"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    # 0.3.11 needs a newer rustc; no_downloads turns a missing helper into a
    # clear error instead of a download that cannot work offline.
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  local wbg
  wbg="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock")"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    # The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
    log "installing wasm-bindgen-cli $wbg"
    cargo install wasm-bindgen-cli --version "$wbg"
  fi
  if ! cargo nextest --version >/dev/null 2>&1; then
    log "installing cargo-nextest"
    cargo install cargo-nextest --locked
  fi
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
  fi
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt_install postgresql
  fi
  command -v npm >/dev/null || apt_install nodejs npm
  command -v curl >/dev/null || apt_install curl
  # the TLS-to-PostgreSQL test makes its certificates with it
  command -v openssl >/dev/null || apt_install openssl
  command -v python3 >/dev/null || apt_install python3 python3-venv
  ensure_schemathesis
  local lock="$ROOT/end2end/package-lock.json" stamp="$ROOT/end2end/node_modules/.installed"
  if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
    log "installing npm packages for end2end/ (Playwright, axe, binaryen)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
}

# schemathesis, aiosmtpd and moto, pinned, in a virtualenv under .data/tools.
ensure_schemathesis() {
  local venv="$ROOT/.data/tools/venv"
  if ! "$SCHEMATHESIS" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    log "installing schemathesis $SCHEMATHESIS_VERSION (PyPI)"
    mkdir -p "$ROOT/.data/tools"
    [ -x "$venv/bin/pip" ] || python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$venv"; }
    "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  if ! "$venv/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    log "installing aiosmtpd $AIOSMTPD_VERSION (PyPI)"
    "$venv/bin/pip" install -q --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
  fi
  if ! "$venv/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    log "installing moto $MOTO_VERSION (PyPI, an S3-compatible server for the tests)"
    "$venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  fi
  # the tests find the mail server's and the S3 server's Python here
  export GADESK_TEST_PYTHON="$venv/bin/python"
}

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] || die "PostgreSQL server binaries not found"
  echo "$dir"
}

port_free() { ! (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Runs a PostgreSQL tool as the cluster's owner: initdb refuses to run as root.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Uses DATABASE_URL when given; otherwise starts (or reuses) a private
# cluster under the data folder and points DATABASE_URL at it.
ensure_database() {
  if [ -n "${DATABASE_URL:-}" ]; then
    log "using DATABASE_URL from the environment"
    return 0
  fi
  local bin pgdata port_file port
  bin="$(pg_bin)"
  pgdata="$DATA_DIR/pg"
  port_file="$DATA_DIR/pg.port"
  mkdir -p "$DATA_DIR"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$DATA_DIR"; then
    # The cluster runs as the postgres user, which must reach its folder.
    chmod o+x "$DATA_DIR" "$ROOT" 2>/dev/null || true
  fi
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    log "creating a private PostgreSQL cluster in $pgdata"
    mkdir -p "$pgdata"
    [ "$(id -u)" = 0 ] && chown postgres: "$pgdata"
    chmod 700 "$pgdata"
    pg_as_owner "$bin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --no-instructions >/dev/null
  fi
  port="$(cat "$port_file" 2>/dev/null || echo 55432)"
  if ! pg_as_owner "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    while ! port_free "$port"; do port=$((port + 1)); done
    echo "$port" >"$port_file"
    log "starting PostgreSQL on 127.0.0.1:$port"
    pg_as_owner "$bin/pg_ctl" -D "$pgdata" -w -l "$pgdata/server.log" start \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pgdata -c max_connections=200" >/dev/null
  fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/gadesk"
  ensure_db_exists gadesk
}

# Creates database $1 on the server of DATABASE_URL if it is missing.
ensure_db_exists() {
  local base="${DATABASE_URL%/*}"
  if ! psql "$base/postgres" -tAc "select 1 from pg_database where datname = '$1'" | grep -q 1; then
    psql "$base/postgres" -qc "create database \"$1\"" >/dev/null
  fi
}

# A secret-free random string for development passwords.
random_token() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }

# The demo password lives in the data folder: generated once, never committed.
demo_password() {
  local f="$DATA_DIR/demo-password"
  if [ -n "${GADESK_DEMO_PASSWORD:-}" ]; then echo "$GADESK_DEMO_PASSWORD"; return; fi
  [ -s "$f" ] || { mkdir -p "$DATA_DIR"; echo "demo-$(random_token)" >"$f"; chmod 600 "$f"; }
  cat "$f"
}

export LEPTOS_OUTPUT_NAME=gadesk
export LEPTOS_SITE_ROOT="$ROOT/target/site"
export LEPTOS_SITE_PKG_DIR=pkg

# cargo-leptos builds the server with this flag; giving every cargo command
# the same flags lets tests and lints reuse that build instead of redoing it.
export RUSTFLAGS="${RUSTFLAGS:---cfg erase_components}"

build_app() {
  log "building GA Desk (server + WASM)"
  (cd "$ROOT" && cargo leptos build "$@")
}
