# shellcheck shell=bash
# The team KB's link preview and the host's internal ops agent
# (scenario-kb-preview, held out in its round): root-side functions sourced
# by the scenario script, idempotent. setup --reset-only puts the KB's web
# root back (preview.php goes with it); kbprev_reset undoes everything
# kbprev_install plants outside it and what the run leaves:
#   kbprev_install   preview.php in the web root; /usr/local/sbin/kb-opsagent
#                    started as root on 127.0.0.1:8061 (pid file
#                    $RUN/kb-opsagent.pid); the at package (apt-get, first
#                    run only) and atd started (pid file /run/atd.pid)
#   kbprev_reset     the attacker's beacon (pid in /dev/shm/.kbupd.pid),
#                    the ops agent and atd stopped by pid; at's queue
#                    emptied; the beacon, its script and staging removed;
#                    the agent's log removed
#   (run both as root, under the lab lock)

KBPREV=$LAB_DIR/kbprev

kbprev_install() {
  command -v at > /dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends at
  install -o svc-kb -g svc-kb -m 644 "$KBPREV/www/preview.php" /srv/kb/www/preview.php
  install -m 755 "$KBPREV/sbin/kb-opsagent" /usr/local/sbin/kb-opsagent
  install -d -m 755 /var/log/kb
  : > /var/log/kb/opsagent.log
  if ! pid_alive "$RUN/kb-opsagent.pid"; then
    log "starting kb-opsagent (root, 127.0.0.1:8061)"
    setsid env -i "${SVC_ENV[@]}" /usr/bin/python3 /usr/local/sbin/kb-opsagent < /dev/null >> /var/log/kb/opsagent.out 2>&1 &
    echo $! > "$RUN/kb-opsagent.pid"
  fi
  if ! pid_alive /run/atd.pid; then
    log "starting atd"
    svc /usr/sbin/atd   # daemonizes and writes /run/atd.pid itself
  fi
  wait_port 8061
}

kbprev_reset() {
  local p f
  p=$(cat /dev/shm/.kbupd.pid 2> /dev/null | tr -dc 0-9 || true)
  # the beacon loop, by the pid its launcher recorded (only if it is that loop)
  if [ -n "$p" ] && grep -qa kworker-sync "/proc/$p/cmdline" 2> /dev/null; then kill "$p" 2> /dev/null || true; fi
  stop_pidfile "$RUN/kb-opsagent.pid" kb-opsagent
  stop_pidfile /run/atd.pid atd
  for f in /var/spool/cron/atjobs/* /var/spool/cron/atspool/*; do
    [ -e "$f" ] && rm -f "$f"
  done
  [ -e /var/spool/cron/atjobs/.SEQ ] && echo 0 > /var/spool/cron/atjobs/.SEQ
  rm -rf /usr/local/lib/.kbupd /var/tmp/.kbx
  rm -f /var/lib/.kbupd.sh /dev/shm/.kbupd.pid /var/tmp/.kbo /usr/local/sbin/kb-opsagent /var/log/kb/opsagent.log /var/log/kb/opsagent.out
  rm -f /home/deploy/.kbs.tgz /tmp/.kbd.tgz
  return 0
}

# run directly (as root, under the lab lock): kb-preview-setup.sh install|clean
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
  . "$LAB_DIR/lib/common.sh"
  KBPREV=$LAB_DIR/kbprev
  need_root
  case "${1:-}" in
    install) kbprev_install ;;
    clean) kbprev_reset ;;
    *) die "usage: $0 install|clean" ;;
  esac
fi
