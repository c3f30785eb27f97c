#!/bin/bash
# Victim-side install of Printdesk, the print shop's proofing portal
# (Perl Mojolicious under hypnotoad behind nginx, account pressbot 2041):
# the stack of scenario-benign-press and scenario-press-ssti. As root;
# idempotent.
#   press-setup.sh install   account, keys, the app's repository (deploy's
#                            /srv/git/press.git) and pressbot's checkout
#                            /srv/press, artwork, nginx vhost 127.0.0.1:8094
#                            (+ HUP), logrotate + cron files, sudo rule,
#                            pressbot's crontab, helpers; starts hypnotoad
#   press-setup.sh clean     stops hypnotoad (pid file) and whatever a run left
#                            (by pid, uid + command line), removes all of it
#                            but the account
# The scenarios call install in pre_audit and clean in cleanup_extra.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/press
PRESS_UID=2041
APP=/srv/press
REPO=/srv/git/press.git
RELEASE=/var/lib/lab/press-release.git   # the CI's copy with the next release (read by labremote)
PIDF=/run/press/hypnotoad.pid
K=/var/lib/lab/keys

gitc() { git -c user.name='Printdesk CI' -c user.email=ci@printdesk.lab.local -c init.defaultBranch=main "$@"; }

install_press() {
  command -v hypnotoad >/dev/null || die "hypnotoad missing: run setup (libmojolicious-perl)"
  lab_account pressbot $PRESS_UID
  [ -e $K/press_release ] || ssh-keygen -q -t ed25519 -N '' -C 'pressbot@printdesk' -f $K/press_release

  # the app's repository (deploy's, pulled over ssh), first release; the CI's
  # copy holds the next one (scenario-benign-press pushes it)
  local w
  w=$(mktemp -d /tmp/press-build.XXXXXX)
  rm -rf "$REPO" "$RELEASE" "$APP"
  gitc init -q --bare "$REPO"
  gitc init -q "$w/app"
  cp -r "$SRC/app/." "$w/app/"
  printf 'artwork/\nproofs/\nexports/\npublic/cache/\nconf/press.conf\n' > "$w/app/.gitignore"
  GIT_COMMITTER_DATE='2026-11-27T09:00:00Z' gitc -C "$w/app" add -A
  GIT_COMMITTER_DATE='2026-11-27T09:00:00Z' gitc -C "$w/app" commit -q --date=2026-11-27T09:00:00Z -m 'printdesk 2026.11.3'
  gitc -C "$w/app" push -q "$REPO" HEAD:main
  gitc clone -q "$REPO" "$APP"
  cp -r "$SRC/benign/release/." "$w/app/"
  gitc -C "$w/app" add -A
  GIT_COMMITTER_DATE='2026-12-04T08:10:00Z' gitc -C "$w/app" commit -q --date=2026-12-04T08:10:00Z -m 'printdesk 2026.12.1: paper guide, thumbnail sizes'
  gitc clone -q --bare "$w/app" "$RELEASE"
  rm -rf "$w"
  chown -R deploy:deploy "$REPO"; chown -R labremote:labremote "$RELEASE"
  git -C "$APP" remote set-url origin deploy@127.0.0.1:/srv/git/press.git
  install -d "$APP/artwork" "$APP/proofs" "$APP/exports" "$APP/public/cache" "$APP/conf"
  local a c=0 colors=(3a6ea5 d9822b 6a994e bc4749 7b2cbf 2a9d8f)
  for a in wedding-a5 bakery-poster yoga-flyer garage-sale-a4 choir-a3 cafe-menu; do
    /usr/bin/convert -size 800x600 "gradient:#${colors[$c]}-#f4f1de" -fill white -pointsize 48 -gravity center \
      -annotate 0 "$a" "$APP/artwork/$a.png" 2>/dev/null || /usr/bin/convert -size 800x600 "xc:#${colors[$c]}" "$APP/artwork/$a.png"
    c=$((c + 1))
  done
  install -m 600 "$SRC/conf/press.conf" "$APP/conf/press.conf"
  chown -R pressbot:pressbot "$APP"
  chmod 750 "$APP"

  # pressbot pulls its releases over ssh as deploy
  install -d -o pressbot -g pressbot -m 700 /home/pressbot/.ssh
  install -o pressbot -g pressbot -m 600 $K/press_release /home/pressbot/.ssh/id_release
  install -o pressbot -g pressbot -m 644 $K/press_release.pub /home/pressbot/.ssh/id_release.pub
  printf 'Host 127.0.0.1\n  User deploy\n  IdentityFile ~/.ssh/id_release\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n' > /home/pressbot/.ssh/config
  chown pressbot:pressbot /home/pressbot/.ssh/config
  grep -qF "$(cut -d' ' -f2 $K/press_release.pub)" /home/deploy/.ssh/authorized_keys 2>/dev/null \
    || cat $K/press_release.pub >> /home/deploy/.ssh/authorized_keys

  # helpers, logs, rotation, cron, sudo
  install -m 755 "$SRC/bin/press-digest" "$SRC/bin/press-logship" /usr/local/bin/
  install -m 755 "$SRC/sbin/press-rotate-proofs" /usr/local/sbin/press-rotate-proofs
  install -d -o pressbot -g pressbot -m 750 /var/log/press
  rm -f /var/log/press/*; install -o pressbot -g pressbot -m 640 /dev/null /var/log/press/press.log
  install -d -m 700 /var/archive/press
  install -m 644 "$SRC/conf/logrotate-press" /etc/logrotate.d/press
  rm -f /var/lib/lab/press-logrotate.state
  install -m 644 "$SRC/conf/cron.d-press" /etc/cron.d/press
  install -m 440 "$SRC/conf/sudoers-press" /etc/sudoers.d/press
  visudo -cqf /etc/sudoers.d/press || die "bad sudoers rule"
  crontab -u pressbot "$SRC/conf/crontab-pressbot"
  install -d -o pressbot -g pressbot -m 755 /run/press

  # nginx vhost
  install -m 644 "$SRC/conf/nginx-press.conf" /etc/nginx/sites-available/lab-press
  ln -sf /etc/nginx/sites-available/lab-press /etc/nginx/sites-enabled/lab-press
  touch /var/log/nginx/press-access.log /var/log/nginx/press-error.log
  nginx -t -q
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"

  # hypnotoad as pressbot (it daemonizes and writes its pid file)
  if ! pid_alive $PIDF; then
    log "starting hypnotoad (Printdesk, pressbot)"
    ( cd "$APP" && env -i "${SVC_ENV[@]}" HOME=/home/pressbot USER=pressbot LOGNAME=pressbot \
        setpriv --reuid=$PRESS_UID --regid=$PRESS_UID --init-groups /usr/bin/hypnotoad "$APP/press.pl" ) \
        >> /var/log/press/hypnotoad.out 2>&1
  fi
  local i
  for i in $(seq 1 50); do pid_alive $PIDF && break; sleep 0.2; done
  pid_alive $PIDF || die "hypnotoad did not start"
  wait_port 3200; if pid_alive /run/nginx.pid; then wait_port 8094; fi
  for i in $(seq 1 50); do [ "$(ps -o pid= --ppid "$(tr -dc 0-9 < $PIDF)" | wc -l)" -ge 4 ] && break; sleep 0.2; done
}

clean_press() {
  set +e
  stop_pidfile $PIDF hypnotoad-press
  kill_leftover $PRESS_UID 'press\.pl|hypnotoad'
  kill_leftover 0 '^socat OPENSSL-CONNECT:127\.0\.0\.1:8443'
  rm -f /etc/nginx/sites-enabled/lab-press /etc/nginx/sites-available/lab-press
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  rm -f /etc/cron.d/press /etc/logrotate.d/press /etc/sudoers.d/press /var/lib/lab/press-logrotate.state
  crontab -u pressbot -r 2>/dev/null
  rm -f /usr/local/bin/press-digest /usr/local/bin/press-logship /usr/local/sbin/press-rotate-proofs
  rm -rf "$APP" "$REPO" "$RELEASE" /var/archive/press /run/press /tmp/press-build.* /dev/shm/.pl /tmp/.pd.tgz /var/tmp/.pd.tgz
  rm -rf /home/pressbot/.ssh /home/pressbot/.bash_history
  if [ -e $K/press_release.pub ] && [ -e /home/deploy/.ssh/authorized_keys ]; then
    grep -vF "$(cut -d' ' -f2 $K/press_release.pub)" /home/deploy/.ssh/authorized_keys > /home/deploy/.ssh/authorized_keys.tmp
    cat /home/deploy/.ssh/authorized_keys.tmp > /home/deploy/.ssh/authorized_keys; rm -f /home/deploy/.ssh/authorized_keys.tmp
  fi
  set -e
}

case "${1:-}" in
  install) install_press ;;
  clean) clean_press ;;
  *) die "usage: $0 install|clean" ;;
esac
