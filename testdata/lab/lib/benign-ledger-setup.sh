#!/bin/bash
# shellcheck shell=bash
# Ledger's innocent busy day (scenario-benign-ledger, held out by
# lab-benign7): root-side functions, sourced by the scenario (or run
# directly: `lib/benign-ledger-setup.sh install|clean`, under the lab lock).
#   ldday_install  the Ledger stack (lib/ledger-setup.sh install), then what
#                  the day needs beside it: the auditor's account audra (2063,
#                  key login, a sudoers.d rule for reading logs), alice's copy
#                  of the app's source (with her Go build cache warmed, as a
#                  developer's machine has it), the release's migration and
#                  export tools in /usr/local/share/ledger
#   ldday_clean    all of it removed, then the Ledger stack
#                  (lib/ledger-setup.sh clean: service, files, accounts)
LDDAY_UID=2063

ldday_install() {
  "$LAB_DIR/lib/ledger-setup.sh" install
  # the external auditor: key login (the key is made per run), read-only sudo
  lab_account audra $LDDAY_UID
  install -d -o audra -g audra -m 700 /home/audra/.ssh
  printf 'audra ALL=(root) NOPASSWD: /usr/bin/tail, /usr/bin/grep, /usr/bin/zcat, /usr/bin/ls, /usr/bin/cut\n' > /etc/sudoers.d/ledger-audit
  chmod 440 /etc/sudoers.d/ledger-audit
  visudo -cqf /etc/sudoers.d/ledger-audit
  # alice's checkout of the app (the 1.4.2 release she builds during the day)
  rm -rf /home/alice/ledger-src
  cp -r "$LAB_DIR/ledger/app" /home/alice/ledger-src
  sed -i '1s|$| Release 1.4.2.|' /home/alice/ledger-src/main.go
  chown -R alice:alice /home/alice/ledger-src
  runuser -u alice -- env -i PATH=/usr/local/go/bin:/usr/bin:/bin HOME=/home/alice GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod \
    sh -c 'cd /home/alice/ledger-src && /usr/local/go/bin/go build -trimpath -o /dev/null .'
  # the release's one-off tools
  install -d -m 755 /usr/local/share/ledger
  install -m 755 "$LAB_DIR/ledger/day/migrate-0007-archive-imports.sh" /usr/local/share/ledger/
  install -m 755 "$LAB_DIR/ledger/day/export-accountant.py" /usr/local/share/ledger/
}

ldday_clean() {
  set +e
  kill_leftover $LDDAY_UID 'sshd|bash|sudo'
  rm -f /etc/sudoers.d/ledger-audit
  getent passwd audra > /dev/null && userdel -r audra 2> /dev/null
  getent group audra > /dev/null && groupdel audra 2> /dev/null
  rm -rf /home/alice/ledger-src /home/alice/.cache/go-build /home/alice/go /usr/local/share/ledger; rmdir /home/alice/.cache 2> /dev/null
  rm -f /tmp/ledgerd-1.4.2 /tmp/ledgerd-trace.txt
  set -e
  "$LAB_DIR/lib/ledger-setup.sh" clean
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
  . "$LAB_DIR/lib/common.sh"
  need_root
  case "${1:-}" in
    install) ldday_install ;;
    clean) ldday_clean ;;
    *) echo "usage: $0 install|clean" >&2; exit 2 ;;
  esac
fi
