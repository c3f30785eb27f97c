#!/bin/bash
# Victim-side install of Shipnotes, the team's release-notes portal (Ruby:
# Sinatra 3 on puma 5, account svc-ship 2071, 127.0.0.1:9071 behind haproxy
# 2.6 on 127.0.0.1:8100): the stack of scenario-shipnotes-import. As root,
# under the lab lock; idempotent.
#   shipnotes-setup.sh install   the account, /srv/ship/app (owned by
#                                svc-ship, code included: the planted
#                                misconfiguration), /srv/ship/bin/ship-reindex
#                                (root) and its exact sudo rule, the deploy
#                                key (accepted by deploy), the notes git
#                                repository, svc-ship's crontab, haproxy and
#                                the puma supervisor (pid files); keeps a
#                                copy of Debian's rubygems operating_system.rb
#   shipnotes-setup.sh clean     haproxy, the supervisor and puma stopped by
#                                pid file, leftovers by uid + command line,
#                                operating_system.rb put back from the copy,
#                                every file install (or a run) made removed,
#                                the account removed
# The scenario calls install in pre_audit and clean in cleanup_extra.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/shipnotes
SHIP_UID=2071
S=/srv/ship
K=/var/lib/lab/keys
OSRB=/usr/lib/ruby/vendor_ruby/rubygems/defaults/operating_system.rb
OSRB_KEEP=/var/lib/lab/operating_system.rb.orig
SUPF=$RUN/shipnotes-supervise.pid
HAPF=$RUN/haproxy-ship.pid

for b in /usr/bin/puma /usr/sbin/haproxy /usr/bin/ruby; do [ -x $b ] || die "$b missing (apt-get install puma ruby-sinatra ruby-net-ssh haproxy)"; done

install_shipnotes() {
  lab_account svc-ship $SHIP_UID
  install -d -m 700 $K
  [ -e $K/shipnotes_deploy ] || ssh-keygen -q -t ed25519 -N '' -C 'shipnotes deploy' -f $K/shipnotes_deploy
  [ -e $OSRB_KEEP ] || cp -p $OSRB $OSRB_KEEP

  install -d -m 755 $S $S/bin
  install -m 755 "$SRC/bin/ship-reindex" $S/bin/ship-reindex
  # the app tree as the deploy left it: owned by the service account
  install -d -o svc-ship -g svc-ship -m 755 $S/app $S/app/lib $S/app/lib/ship $S/app/views $S/app/views/partials \
    $S/app/config $S/app/data $S/app/data/notes $S/app/log $S/app/tmp $S/inbox
  install -o svc-ship -g svc-ship -m 644 "$SRC/app/config.ru" "$SRC/app/app.rb" $S/app/
  install -o svc-ship -g svc-ship -m 644 "$SRC/app/lib/ship/indexer.rb" $S/app/lib/ship/
  install -o svc-ship -g svc-ship -m 644 "$SRC/app/views/index.erb" "$SRC/app/views/note.erb" $S/app/views/
  install -o svc-ship -g svc-ship -m 644 "$SRC"/app/views/partials/*.erb $S/app/views/partials/
  install -o svc-ship -g svc-ship -m 640 "$SRC/app/config/ship.yml" $S/app/config/
  install -o svc-ship -g svc-ship -m 600 $K/shipnotes_deploy $S/app/config/deploy_ed25519
  install -o svc-ship -g svc-ship -m 644 "$SRC/app/data/releases.json" $S/app/data/
  install -o svc-ship -g svc-ship -m 644 "$SRC"/app/data/*.md $S/app/data/notes/
  install -o svc-ship -g svc-ship -m 644 "$SRC"/inbox/*.md $S/inbox/
  install -o svc-ship -g svc-ship -m 644 /dev/null $S/app/log/requests.log
  install -o svc-ship -g svc-ship -m 644 /dev/null $S/app/log/puma.log
  # the notes repository (what /changelog shows, what reindex lists as tags)
  if [ ! -d $S/repo/.git ]; then
    install -d -o svc-ship -g svc-ship -m 755 $S/repo
    setpriv --reuid=$SHIP_UID --regid=$SHIP_UID --init-groups env -i HOME=/home/svc-ship PATH=/usr/bin:/bin sh -c '
      cd /srv/ship/repo && git init -q -b main . && for v in 0.8.0 0.9.0 0.9.1; do
        echo "shipnotes $v" > VERSION && git add VERSION &&
        git -c user.name=ci -c user.email=ci@corp.lab.local commit -q -m "release $v" && git tag v$v; done'
  fi
  touch -d 2026-11-26T10:00:00Z $S/app/app.rb $S/app/config.ru $S/app/lib/ship/indexer.rb $S/app/lib/ship $S/app/views/*.erb \
    $S/app/views/partials/*.erb $S/app/views/partials $S/app/config/ship.yml $S/bin/ship-reindex
  install -m 440 "$SRC/conf/sudoers-shipnotes" /etc/sudoers.d/shipnotes
  visudo -cq
  install -m 755 "$SRC/bin/shipnotes-supervise" "$SRC/bin/shipnotes-restart" /usr/local/sbin/
  install -m 755 "$SRC/bin/deploy-release" /usr/local/bin/deploy-release
  # the deploy key, accepted by deploy (reset_victim rewrites the file)
  cat $K/shipnotes_deploy.pub >> /home/deploy/.ssh/authorized_keys
  crontab -u svc-ship "$SRC/conf/crontab-svc-ship"

  install -d -m 755 /etc/haproxy /var/log/haproxy-ship
  install -d -o svc-ship -g svc-ship -m 755 /run/shipnotes
  install -m 644 "$SRC/conf/haproxy.cfg" /etc/haproxy/shipnotes.cfg
  haproxy -c -q -f /etc/haproxy/shipnotes.cfg
  if ! pid_alive $SUPF; then
    log "starting shipnotes-supervise (puma as svc-ship, 127.0.0.1:9071)"
    setsid env -i "${SVC_ENV[@]}" /usr/local/sbin/shipnotes-supervise < /dev/null >> /var/log/shipnotes-supervise.log 2>&1 &
    echo $! > $SUPF
  fi
  WAIT_PORT_TRIES=150 wait_port 9071   # before haproxy: its first check must find puma up
  if ! pid_alive $HAPF; then
    log "starting haproxy (shipnotes, 127.0.0.1:8100)"
    setsid env -i "${SVC_ENV[@]}" /usr/sbin/haproxy -W -db -f /etc/haproxy/shipnotes.cfg \
      < /dev/null >> /var/log/haproxy-ship/access.log 2>> /var/log/haproxy-ship/haproxy.log &
    echo $! > $HAPF
  fi
  wait_port 8100
}

clean_shipnotes() {
  set +e
  stop_pidfile $HAPF haproxy-ship
  stop_pidfile $SUPF shipnotes-supervise
  stop_pidfile /run/shipnotes/puma.pid puma-shipnotes
  kill_leftover $SHIP_UID 'puma|ruby|git|sh '
  # Debian's rubygems defaults back (a run appends to it)
  if [ -e $OSRB_KEEP ]; then cmp -s $OSRB_KEEP $OSRB || cp -p $OSRB_KEEP $OSRB; rm -f $OSRB_KEEP; fi
  crontab -u svc-ship -r 2>/dev/null
  rm -f /etc/sudoers.d/shipnotes /usr/local/sbin/shipnotes-supervise /usr/local/sbin/shipnotes-restart /usr/local/bin/deploy-release
  rm -rf $S /var/lib/shipnotes /run/shipnotes /dev/shm/.sn /etc/haproxy/shipnotes.cfg /var/log/haproxy-ship /var/log/shipnotes-supervise.log
  rm -f /home/deploy/releases.log
  sed -i '/shipnotes deploy$/d' /home/deploy/.ssh/authorized_keys
  rm -f $K/shipnotes_deploy $K/shipnotes_deploy.pub
  getent passwd svc-ship >/dev/null && userdel -r svc-ship 2>/dev/null
  getent group svc-ship >/dev/null && groupdel svc-ship 2>/dev/null
  set -e
}

case "${1:-}" in
  install) install_shipnotes ;;
  clean) clean_shipnotes ;;
  *) die "usage: $0 install|clean" ;;
esac
