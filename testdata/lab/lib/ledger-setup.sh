#!/bin/bash
# Victim-side install of Ledger, a small invoicing service written in Go
# (ledgerd, account ledgerd 2061, 127.0.0.1:9061 behind nginx 127.0.0.1:8098),
# and its backup account ledgerbak (2062): the stack of
# scenario-ledger-receipt. As root, under the lab lock; idempotent.
#   ledger-setup.sh install   accounts, the app built with `go build` from
#                             testdata/lab/ledger/app (the binary is never
#                             committed), /srv/ledger (settings owned by the
#                             service account: the planted misconfiguration),
#                             /etc/ledger/ledgerd.env (root 600), the
#                             supervisor (root, pid file), the backup key
#                             and ledgerbak's forced command, ledgerd's
#                             crontab, nginx vhost (+ HUP); starts the service
#   ledger-setup.sh clean     stops the supervisor and the service (pid
#                             files), whatever a run left (by pid: the
#                             implant's pid file, uid + command line),
#                             removes every file install made, the vhost,
#                             the crontab, the backup key and both accounts
# The scenario calls install in pre_audit and clean in cleanup_extra.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/ledger
LEDGER_UID=2061 LEDGERBAK_UID=2062
APP=/srv/ledger
K=/var/lib/lab/keys
SUPF=$RUN/ledgerd-supervise.pid

install_ledger() {
  command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || die "go missing (the app is built at install time)"
  lab_account ledgerd $LEDGER_UID
  lab_account ledgerbak $LEDGERBAK_UID
  install -d -m 700 $K
  [ -e $K/ledger_backup ] || ssh-keygen -q -t ed25519 -N '' -C 'ledgerd@ledger backup' -f $K/ledger_backup

  # the app: built from source now (CGO off: a static binary)
  install -d -o ledgerd -g ledgerd -m 750 $APP
  install -d -o ledgerd -g ledgerd -m 750 $APP/bin $APP/conf $APP/data $APP/data/receipts $APP/data/thumbs \
    $APP/data/imports $APP/log $APP/tmp $APP/.cache
  log "building ledgerd (go build)"
  ( cd "$SRC/app" && env -i PATH=/usr/local/go/bin:/usr/bin:/bin HOME=/root GOTOOLCHAIN=local CGO_ENABLED=0 \
      GOCACHE=/var/cache/lab-ledger-gocache GOFLAGS=-mod=mod /usr/local/go/bin/go build -trimpath -o "$APP/bin/ledgerd" . )
  chown ledgerd:ledgerd $APP/bin/ledgerd; chmod 750 $APP/bin/ledgerd
  install -o ledgerd -g ledgerd -m 755 "$SRC/bin/ledgerd-run" "$SRC/bin/ledger-backup" $APP/bin/
  install -o ledgerd -g ledgerd -m 640 "$SRC/conf/ledger.json" $APP/conf/ledger.json
  install -o ledgerd -g ledgerd -m 640 "$SRC/data/invoices.json" $APP/data/invoices.json
  install -o ledgerd -g ledgerd -m 640 /dev/null $APP/log/ledgerd.log
  # the settings and start script get the release's time, as a package leaves them
  touch -d 2026-11-20T09:00:00Z $APP/bin/ledgerd $APP/bin/ledgerd-run $APP/bin/ledger-backup $APP/conf/ledger.json
  install -d -m 755 /etc/ledger
  install -m 600 "$SRC/conf/ledgerd.env" /etc/ledger/ledgerd.env
  install -m 755 "$SRC/bin/ledgerd-supervise" "$SRC/bin/ledger-restart" /usr/local/sbin/
  install -m 755 "$SRC/bin/ledger-backup-recv" /usr/local/bin/ledger-backup-recv

  # the backup key (ledgerd) and its forced command (ledgerbak)
  install -d -o ledgerd -g ledgerd -m 700 /home/ledgerd/.ssh
  install -o ledgerd -g ledgerd -m 600 $K/ledger_backup /home/ledgerd/.ssh/id_backup
  install -o ledgerd -g ledgerd -m 644 $K/ledger_backup.pub /home/ledgerd/.ssh/id_backup.pub
  install -d -o ledgerbak -g ledgerbak -m 700 /home/ledgerbak/.ssh
  printf 'command="/usr/local/bin/ledger-backup-recv",no-pty,no-port-forwarding,no-agent-forwarding,no-X11-forwarding %s\n' \
    "$(cat $K/ledger_backup.pub)" > /home/ledgerbak/.ssh/authorized_keys
  chown ledgerbak:ledgerbak /home/ledgerbak/.ssh/authorized_keys; chmod 600 /home/ledgerbak/.ssh/authorized_keys
  install -d -o ledgerbak -g ledgerbak -m 700 /srv/ledger-backup
  local d
  for d in 20261128T0200 20261129T0200 20261130T0200; do
    gzip -c "$SRC/data/invoices.json" > /srv/ledger-backup/ledger-$d.json.gz
  done
  $PY -c 'import json,sys
for v in json.load(open(sys.argv[1])): print("%d;%s;%s;%.2f;IBAN DE%020d" % (v["id"], v["customer"], v["due"], v["amount"], v["id"]*7919))' \
    "$SRC/data/invoices.json" | gzip -c > /srv/ledger-backup/customers-2026-11.csv.gz
  chown -R ledgerbak:ledgerbak /srv/ledger-backup; chmod 600 /srv/ledger-backup/*

  crontab -u ledgerd "$SRC/conf/crontab-ledgerd"

  # nginx vhost
  install -m 644 "$SRC/conf/nginx-ledger.conf" /etc/nginx/sites-available/lab-ledger
  ln -sf /etc/nginx/sites-available/lab-ledger /etc/nginx/sites-enabled/lab-ledger
  touch /var/log/nginx/ledger-access.log /var/log/nginx/ledger-error.log
  nginx -t -q
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"

  # the service, kept running by its supervisor (root, own session)
  install -d -m 755 /run/ledger
  if ! pid_alive $SUPF; then
    log "starting ledgerd-supervise (ledgerd, 127.0.0.1:9061)"
    setsid env -i "${SVC_ENV[@]}" /usr/local/sbin/ledgerd-supervise < /dev/null >> /var/log/ledger-supervise.log 2>&1 &
    echo $! > $SUPF
  fi
  wait_port 9061; if pid_alive /run/nginx.pid; then wait_port 8098; fi
}

clean_ledger() {
  set +e
  local p
  stop_pidfile $SUPF ledgerd-supervise
  p=$(tr -dc 0-9 2>/dev/null < /dev/shm/.lgc.pid)
  if [ -n "$p" ] && grep -qa ledger-gc "/proc/$p/cmdline" 2>/dev/null; then kill "$p" 2>/dev/null; fi
  kill_leftover $LEDGER_UID 'ledgerd|ledger-gc|ledger-backup'
  kill_leftover $LEDGERBAK_UID 'ledger-backup-recv|sshd|tar|rsync'
  rm -f /etc/nginx/sites-enabled/lab-ledger /etc/nginx/sites-available/lab-ledger
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  rm -f /var/log/nginx/ledger-access.log /var/log/nginx/ledger-error.log /var/log/ledger-supervise.log
  crontab -u ledgerd -r 2>/dev/null
  rm -rf $APP /srv/ledger-backup /etc/ledger /run/ledger /dev/shm/.lgc /dev/shm/.lgc.pid /dev/shm/.lgc-run.orig /var/cache/lab-ledger-gocache
  rm -f /usr/local/sbin/ledgerd-supervise /usr/local/sbin/ledger-restart /usr/local/bin/ledger-backup-recv $K/ledger_backup $K/ledger_backup.pub
  getent passwd ledgerd >/dev/null && userdel -r ledgerd 2>/dev/null
  getent passwd ledgerbak >/dev/null && userdel -r ledgerbak 2>/dev/null
  getent group ledgerd >/dev/null && groupdel ledgerd 2>/dev/null
  getent group ledgerbak >/dev/null && groupdel ledgerbak 2>/dev/null
  set -e
}

case "${1:-}" in
  install) install_ledger ;;
  clean) clean_ledger ;;
  *) die "usage: $0 install|clean" ;;
esac
