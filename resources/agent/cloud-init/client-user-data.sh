#!/bin/sh
# Raincoat: connects this client VM to its cloud's overlay at first boot (cloud-init user-data).
#
# It installs OpenVPN, makes the VM's key here (it never leaves the VM), sends a certificate request with the
# enrollment token to a Raincoat leaf or root, and starts OpenVPN with the profile it gets back.
# The application fills in the five values below before handing the script out:
#   @@ENROLL_HOST@@   the leaf's or root's address        @@ENROLL_PORT@@   its agent's HTTPS port
#   @@ENROLL_NODE@@   its node name (leaf-1-2, root-1): the name its certificate carries
#   @@ENROLL_TOKEN@@  the root's enrollment token          @@CONTROL_CA_PEM@@ the overlay's control CA certificate
set -eu

RAINCOAT_HOST='@@ENROLL_HOST@@'
RAINCOAT_PORT='@@ENROLL_PORT@@'
RAINCOAT_NODE='@@ENROLL_NODE@@'
RAINCOAT_TOKEN='@@ENROLL_TOKEN@@'
RAINCOAT_CONTROL_CA='@@CONTROL_CA_PEM@@'
# Where OpenVPN's client configurations live (openvpn-client@NAME reads NAME.conf from here).
DIR="${RAINCOAT_DIR:-/etc/openvpn/client}"
NAME=raincoat
ATTEMPTS="${RAINCOAT_ATTEMPTS:-60}"
PAUSE="${RAINCOAT_PAUSE:-10}"

log() { echo "raincoat: $*" >&2; }

install_packages() {
  missing=""
  for tool in openvpn openssl curl; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
  [ -z "$missing" ] && return 0
  log "installing$missing"
  if command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openvpn openssl curl
  elif command -v dnf >/dev/null 2>&1; then
    dnf install -y epel-release >/dev/null 2>&1 || true
    dnf install -y openvpn openssl curl
  elif command -v yum >/dev/null 2>&1; then
    yum install -y epel-release >/dev/null 2>&1 || true
    yum install -y openvpn openssl curl
  elif command -v apk >/dev/null 2>&1; then
    apk add --no-cache openvpn openssl curl
  elif command -v zypper >/dev/null 2>&1; then
    zypper --non-interactive install openvpn openssl curl
  else
    log "no package manager found: install openvpn, openssl and curl, then run this script again"
    exit 1
  fi
}

# Asks for the profile until the node answers: at first boot the network, or the overlay's deploy, may not be there yet.
# A token that is refused outright (spent, revoked, expired, wrong) is not tried again.
enroll() {
  body="$DIR/$NAME.request.json"
  csr=$(awk '{ printf "%s\\n", $0 }' "$DIR/$NAME.csr")
  printf '{"token":"%s","csr":"%s","format":"ovpn"}' "$RAINCOAT_TOKEN" "$csr" >"$body"
  attempt=1
  while :; do
    code=$(curl -sS -o "$DIR/$NAME.answer" -w '%{http_code}' --max-time 30 \
      --cacert "$DIR/$NAME-control-ca.pem" --resolve "$RAINCOAT_NODE:$RAINCOAT_PORT:$RAINCOAT_HOST" \
      -H 'content-type: application/json' --data-binary "@$body" \
      "https://$RAINCOAT_NODE:$RAINCOAT_PORT/v1/enroll" || echo 000)
    case "$code" in
      200) mv "$DIR/$NAME.answer" "$DIR/$NAME.conf"; rm -f "$body"; return 0 ;;
      000|409|429|5??) log "attempt $attempt: not enrolled yet (HTTP $code): $(cat "$DIR/$NAME.answer" 2>/dev/null || true)" ;;
      *) log "enrollment refused (HTTP $code): $(cat "$DIR/$NAME.answer" 2>/dev/null || true)"; rm -f "$body"; return 1 ;;
    esac
    [ "$attempt" -ge "$ATTEMPTS" ] && { log "giving up after $attempt attempts"; rm -f "$body"; return 1; }
    attempt=$((attempt + 1))
    sleep "$PAUSE"
  done
}

start_openvpn() {
  if command -v systemctl >/dev/null 2>&1 && systemctl enable --now "openvpn-client@$NAME"; then return 0; fi
  log "starting openvpn without systemd"
  openvpn --daemon "raincoat" --cd "$DIR" --config "$NAME.conf" --writepid "$DIR/$NAME.pid"
}

install_packages
umask 077
mkdir -p "$DIR"
if [ ! -s "$DIR/$NAME.conf" ]; then
  printf '%s\n' "$RAINCOAT_CONTROL_CA" >"$DIR/$NAME-control-ca.pem"
  [ -s "$DIR/$NAME.key" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$DIR/$NAME.key"
  chmod 600 "$DIR/$NAME.key"
  openssl req -new -key "$DIR/$NAME.key" -subj "/CN=$(hostname)" -out "$DIR/$NAME.csr"
  enroll
  # The profile carries everything but the key, which stays here.
  grep -q -e '^key ' -e '<key>' "$DIR/$NAME.conf" || printf 'key %s\n' "$DIR/$NAME.key" >>"$DIR/$NAME.conf"
  log "enrolled at $RAINCOAT_NODE"
fi
start_openvpn
