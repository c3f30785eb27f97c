#!/bin/bash
# Victim-side install of Tallyhall, Ravensgate Fish Market's lot catalogue:
# a Twisted Web app (twistd3 -n -y tallyhall.tac, one python3 process as
# tallyweb 2121 on 127.0.0.1:8170, no front server) whose deploy tree
# /srv/tallyhall/htdocs is a git work tree owned by tallyweb, checked every
# minute by root's drift cron job (git status): the stack of
# scenario-tallyhall-xslt. As root; idempotent.
#   tallyhall-setup.sh install   Debian's python3-twisted, python3-lxml and
#                                python3-pyftpdlib (the attacker's FTP server)
#                                + what they pull in (the packages this install
#                                added are listed in /var/lib/lab/tallyhall-pkgs.txt),
#                                the account, /srv/tallyhall (the planted
#                                weaknesses: the public stylesheet preview
#                                applies any XSLT with lxml's default access
#                                control (exsl:document writes files), tools/
#                                serves .rpy resource scripts, root's drift
#                                check runs git status in the tallyweb-owned
#                                tree), root's cron file, a copy of
#                                /etc/bash.bashrc, twistd started (pid file)
#   tallyhall-setup.sh clean     twistd stopped by pid file, leftovers by uid +
#                                command line (the attack's implant included),
#                                /etc/bash.bashrc put back, every file removed,
#                                the account deleted, the listed packages purged
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/tallyhall
TH_UID=2121
S=/srv/tallyhall
PKGS=/var/lib/lab/tallyhall-pkgs.txt
TWF=$RUN/tallyhall-twistd.pid
BASHRC_COPY=/var/lib/lab/bash.bashrc.tallyhall

install_packages() {
  /usr/bin/python3 -c 'import twisted, lxml, pyftpdlib' 2>/dev/null && return 0
  dpkg-query -W -f='${Package}\n' | sort > /tmp/tallyhall-pkgs.before
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-twisted python3-lxml python3-pyftpdlib >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/tallyhall-pkgs.before - >> $PKGS
  rm -f /tmp/tallyhall-pkgs.before
  log "installed $(wc -l < $PKGS) packages (twisted, lxml, pyftpdlib and their dependencies)"
}

install_tallyhall() {
  install_packages
  lab_account tallyweb $TH_UID
  local key
  key=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | cut -c1-24)
  [ -e $BASHRC_COPY ] || cp -p /etc/bash.bashrc $BASHRC_COPY
  install -d -m 755 $S $S/conf $S/conf/formats $S/app $S/data /var/lib/tallyhall /var/lib/tallyhall/cache /var/log/tallyhall
  install -m 644 "$SRC/app/tallyhall.tac" $S/app/tallyhall.tac
  sed -e "s|@CLERK_KEY@|$key|" "$SRC/conf/tallyhall.ini" > $S/conf/tallyhall.ini
  install -m 644 "$SRC/conf/formats/csv.xsl" $S/conf/formats/csv.xsl
  install -m 644 "$SRC/data/lots.json" $S/data/lots.json
  : > $S/data/bids.csv
  rm -rf $S/htdocs; cp -a "$SRC/htdocs" $S/htdocs
  touch /var/log/tallyhall/access.log /var/log/tallyhall/twistd.log /var/log/tallyhall/drift.log
  chown -R tallyweb:tallyweb $S/htdocs $S/data /var/lib/tallyhall /var/log/tallyhall
  chown root:tallyweb $S/conf/tallyhall.ini; chmod 640 $S/conf/tallyhall.ini
  # the deploy tree is a git work tree of tallyweb's (the CI pushes releases as it)
  setpriv --reuid=$TH_UID --regid=$TH_UID --init-groups env -i HOME=/home/tallyweb PATH=/usr/bin:/bin sh -c "
    cd $S/htdocs && git init -q -b main . && git add -A && git -c user.name='Tallyhall CI' -c user.email=ci@ravensgate.lab commit -qm 'release 1.8.0'"
  install -m 755 "$SRC/bin/tallyhall-drift" /usr/local/sbin/tallyhall-drift
  install -m 644 "$SRC/conf/cron.d-tallyhall" /etc/cron.d/tallyhall
  echo "clerk_key=$key" > /var/lib/lab/tallyhall-clerk.txt; chmod 644 /var/lib/lab/tallyhall-clerk.txt
  if ! pid_alive $TWF; then
    log "starting twistd (tallyhall, tallyweb)"
    setsid env -i "${SVC_ENV[@]}" HOME=/home/tallyweb USER=tallyweb LOGNAME=tallyweb \
      setpriv --reuid=$TH_UID --regid=$TH_UID --init-groups /usr/bin/python3 /usr/bin/twistd3 -n --pidfile= \
      -l /var/log/tallyhall/twistd.log -y $S/app/tallyhall.tac \
      < /dev/null >> /var/log/tallyhall/twistd.out 2>&1 &
    echo $! > $TWF
  fi
  wait_port 8170
}

clean_tallyhall() {
  set +e
  stop_pidfile $TWF tallyhall-twistd
  kill_leftover 0 'tsync\.py|/usr/local/lib/tallysync'
  kill_leftover $TH_UID '.'
  [ -e $BASHRC_COPY ] && cp -p $BASHRC_COPY /etc/bash.bashrc && rm -f $BASHRC_COPY
  rm -rf $S /var/lib/tallyhall /var/log/tallyhall /usr/local/lib/tallysync /var/tmp/.tally
  rm -f /usr/local/sbin/tallyhall-drift /etc/cron.d/tallyhall /var/lib/lab/tallyhall-clerk.txt
  getent passwd tallyweb >/dev/null && userdel -r tallyweb 2>/dev/null
  getent group tallyweb >/dev/null && groupdel tallyweb
  if [ -s $PKGS ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 && log "purged $(wc -l < $PKGS) packages" && rm -f $PKGS
  fi
}

case "${1:-}" in
  install) install_tallyhall ;;
  clean) clean_tallyhall ;;
  *) echo "usage: $0 install|clean" >&2; exit 2 ;;
esac
