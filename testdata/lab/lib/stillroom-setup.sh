#!/bin/bash
# Victim-side install of Stillroom, Glenhaugh Distillery's batch and cask
# ledger: a Java servlet app on an embedded Jetty 9.4 server (one JVM as
# stillrm 2151, 127.0.0.1:8230, Jetty's own extended NCSA request log), kept
# running by a root supervisor script (stillroom-supervise: reads
# /etc/default/stillroom at every start, drops to stillrm with setpriv),
# beside root's every-minute rollup job (a second JVM, stillroom-rollup): the
# stack of scenario-stillroom-savedview. As root; idempotent.
#   stillroom-setup.sh install   Debian's libjetty9-java and default-jdk-headless
#                                + what they pull in (the packages this install
#                                added are listed in /var/lib/lab/stillroom-pkgs.txt),
#                                the account, /srv/stillroom (the app compiled with
#                                javac into lib/stillroom.jar; the planted weaknesses:
#                                the saved report view is a Java-serialized cookie
#                                read with ObjectInputStream, and the classpath holds
#                                ExportHook, whose readObject starts its argv;
#                                widgets/ is owned by stillrm and a class there is
#                                loaded per request; conf/rollup.env, owned by
#                                stillrm, is sourced by root's rollup job),
#                                /etc/default/stillroom, root's cron file, the
#                                supervisor started (pid file), old backups in
#                                /var/backups/stillroom
#   stillroom-setup.sh clean     the supervisor and the JVM stopped by pid file,
#                                leftovers by uid + command line (the attack's
#                                implant included), every file removed, the key the
#                                attack adds to deploy taken back, the account
#                                deleted, the listed packages purged
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/stillroom
SR_UID=2151
S=/srv/stillroom
PKGS=/var/lib/lab/stillroom-pkgs.txt
SUP=$RUN/stillroom-supervise.pid
JARS=/usr/share/java/jetty9-server.jar:/usr/share/java/jetty9-servlet.jar:/usr/share/java/jetty9-util.jar:/usr/share/java/jetty9-http.jar:/usr/share/java/jetty9-io.jar:/usr/share/java/jetty9-security.jar:/usr/share/java/servlet-api.jar

install_packages() {
  [ -e /usr/share/java/jetty9-server.jar ] && [ -x /usr/bin/javac ] && return 0
  dpkg-query -W -f='${Package}\n' | sort > /tmp/stillroom-pkgs.before
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libjetty9-java default-jdk-headless >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/stillroom-pkgs.before - >> $PKGS
  rm -f /tmp/stillroom-pkgs.before
  log "installed $(wc -l < $PKGS) packages (jetty 9.4, the JDK and their dependencies)"
}

install_stillroom() {
  install_packages
  lab_account stillrm $SR_UID
  local b
  b=$(mktemp -d)
  rm -rf $S; install -d -m 755 $S $S/conf $S/lib $S/data $S/data/labels $S/static $S/widgets $S/work $S/releases
  install -d -m 755 /var/lib/stillroom /var/lib/stillroom/labels /var/log/stillroom /var/backups/stillroom /run/stillroom
  javac -nowarn -d "$b" -cp "$JARS" "$SRC"/app/src/stillroom/*.java
  jar cf $S/lib/stillroom.jar -C "$b" stillroom
  javac -nowarn -d $S/widgets -cp "$S/lib/stillroom.jar:$JARS" "$SRC/app/widgets/Abv.java"
  javac -nowarn -d $S/releases -cp "$S/lib/stillroom.jar:$JARS" "$SRC/day/Proof.java"
  rm -rf "$b"
  sed -e "s|@DBPASS@|$(head -c 18 /dev/urandom | base64 | tr -d '/+=')|" -e "s|@EXCISE@|$(head -c 24 /dev/urandom | base64 | tr -d '/+=')|" \
    "$SRC/conf/stillroom.properties" > $S/conf/stillroom.properties
  install -m 644 "$SRC/conf/rollup.env" $S/conf/rollup.env
  install -m 644 "$SRC/data/batches.csv" $S/data/batches.csv
  cp "$SRC"/static/* $S/static/
  convert -size 400x260 xc:'#efe4c8' -fill '#5a3b1c' -draw 'rectangle 20,20 380,70' -draw 'rectangle 20,100 300,120' $S/data/labels/GH.png
  convert -size 400x260 xc:'#dfe8ef' -fill '#1c3b5a' -draw 'rectangle 20,20 380,70' -draw 'rectangle 20,100 260,120' $S/data/labels/PT.png
  chown -R stillrm:stillrm $S/data $S/widgets $S/work $S/conf/rollup.env /var/lib/stillroom /var/log/stillroom
  chown root:stillrm $S/conf/stillroom.properties; chmod 640 $S/conf/stillroom.properties
  install -m 644 "$SRC/conf/default-stillroom" /etc/default/stillroom
  install -m 755 "$SRC/bin/stillroom-supervise" "$SRC/bin/stillroom-rollup" "$SRC/bin/stillroom-restart" /usr/local/sbin/
  install -m 644 "$SRC/conf/cron.d-stillroom" /etc/cron.d/stillroom
  local d
  for d in 01 02 03 04; do tar -czf /var/backups/stillroom/ledger-2026-12-$d.tar.gz -C $S data conf/rollup.env 2>/dev/null; done
  : > /var/log/stillroom/access.log; chown stillrm:stillrm /var/log/stillroom/access.log
  rm -f /run/stillroom/stop
  if ! pid_alive $SUP; then
    log "starting stillroom-supervise (root; the JVM as stillrm)"
    setsid env -i "${SVC_ENV[@]}" /usr/local/sbin/stillroom-supervise < /dev/null >> /var/log/stillroom/supervise.out 2>&1 &
    echo $! > $SUP
  fi
  WAIT_PORT_TRIES=150 wait_port 8230
}

clean_stillroom() {
  set +e
  touch /run/stillroom/stop 2>/dev/null
  stop_pidfile $SUP stillroom-supervise
  stop_pidfile /run/stillroom/java.pid stillroom-java
  kill_leftover 0 'jvmmetrics|jvm-metrics|jfr-sampler'
  kill_leftover $SR_UID '.'
  rm -rf $S /var/lib/stillroom /var/log/stillroom /var/backups/stillroom /run/stillroom /run/.jvm-metrics.pid /dev/shm/.jm
  rm -f /etc/default/stillroom /etc/cron.d/stillroom /usr/local/sbin/stillroom-{supervise,rollup,restart} /usr/share/java/jvm-metrics.jar
  sed -i '/ops@glenhaugh-build$/d' /home/deploy/.ssh/authorized_keys
  getent passwd stillrm >/dev/null && userdel -r stillrm 2>/dev/null
  getent group stillrm >/dev/null && groupdel stillrm
  if [ -s $PKGS ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 && log "purged $(wc -l < $PKGS) packages" && rm -f $PKGS
  fi
}

case "${1:-}" in
  install) install_stillroom ;;
  clean) clean_stillroom ;;
  *) echo "usage: $0 install|clean" >&2; exit 2 ;;
esac
