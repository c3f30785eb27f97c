# shellcheck shell=bash
# Shared functions of the lab scripts (sourced, not run).
# Services are started by hand (this machine has no init system: pid 1 is a
# process launcher) and every daemon's pid file is the only handle used to
# stop it again, so nothing else on the machine is ever signalled.

LAB_DIR=${LAB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
RUN=/run/lab
STATE=/var/lib/lab
PY=/usr/bin/python3           # Debian's python3: the lab tools need no venv
REMOTE_UID=2001 ALICE_UID=2002 DEPLOY_UID=2003 WEBAPP_UID=2004
WEBROOT=/var/www/html

log() { printf '[lab %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need_root() { [ "$(id -u)" -eq 0 ] || die "run as root (sudo $0)"; }

pid_alive() { # pidfile -> 0 when the recorded process still exists
  local f=$1 p
  [ -s "$f" ] || return 1
  p=$(tr -dc 0-9 < "$f")
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null
}

stop_pidfile() { # pidfile [name]: TERM, wait up to 10 s, then KILL; by pid only
  local f=$1 name=${2:-$1} p i
  [ -s "$f" ] || return 0
  p=$(tr -dc 0-9 < "$f")
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    log "stopping $name (pid $p)"
    kill -TERM "$p" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null || true
  fi
  rm -f "$f"
}

wait_port() { # port: wait until something listens on 127.0.0.1:port
  local port=$1 i
  for i in $(seq 1 50); do
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && return 0
    sleep 0.2
  done
  die "nothing listens on 127.0.0.1:$port"
}

# ------------------------------------------------------------------ services

start_services() {
  mkdir -p "$RUN" /run/php /run/sshd
  if ! pid_alive /run/php/php8.2-fpm.pid; then
    log "starting php-fpm8.2"
    /usr/sbin/php-fpm8.2 --daemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf
  fi
  if ! pid_alive /run/nginx.pid; then
    log "starting nginx"
    /usr/sbin/nginx
  fi
  if ! pid_alive /run/sshd.pid; then
    log "starting sshd"
    /usr/sbin/sshd -f /etc/ssh/sshd_config
  fi
  if ! pid_alive /run/crond.pid; then
    log "starting cron"
    /usr/sbin/cron   # daemonizes and writes /run/crond.pid itself
  fi
  if ! pid_alive "$RUN/gunicorn.pid"; then
    log "starting gunicorn (webapp)"
    /usr/bin/gunicorn --daemon --pid "$RUN/gunicorn.pid" --bind 127.0.0.1:8080 --workers 2 \
      --user webapp --group webapp --chdir /srv/webapp --timeout 120 \
      --access-logfile /var/log/webapp/access.log --error-logfile /var/log/webapp/error.log app:app
  fi
  wait_port 80; wait_port 22; wait_port 8080
}

stop_services() {
  stop_pidfile "$RUN/gunicorn.pid" gunicorn
  stop_pidfile /run/nginx.pid nginx
  stop_pidfile /run/php/php8.2-fpm.pid php-fpm8.2
  stop_pidfile /run/sshd.pid sshd
  stop_pidfile /run/crond.pid cron
}

# ------------------------------------------------------------------ auditd

render_rules() { # -> /etc/audit/rules.d/auditchain-lab.rules and /etc/audit/audit.rules
  # pid 1's binary is not visible from inside this machine (/proc/1/exe is
  # unreadable), so the rule uses the path the launcher reports for itself
  local pid1
  pid1=$(readlink /proc/1/exe 2>/dev/null || true)
  [ -n "$pid1" ] || pid1=/$(cat /proc/1/comm)
  sed "s|@PID1_EXE@|$pid1|" "$LAB_DIR/audit.rules" > /etc/audit/rules.d/auditchain-lab.rules
  rm -f /etc/audit/rules.d/audit.rules
  cp /etc/audit/rules.d/auditchain-lab.rules /etc/audit/audit.rules
}

audit_stop() {
  # auditd writes /run/auditd.pid; TERM makes it flush and write DAEMON_END
  stop_pidfile /run/auditd.pid auditd
  auditctl -D >/dev/null 2>&1 || true
  auditctl -e 0 >/dev/null 2>&1 || true
}

audit_fresh_start() { # old logs go to /var/log/audit/previous/, then a clean start
  audit_stop
  mkdir -p /var/log/audit/previous
  local f stamp
  stamp=$(date -u +%Y%m%dT%H%M%S)
  for f in /var/log/audit/audit.log*; do
    [ -e "$f" ] && mv "$f" "/var/log/audit/previous/$stamp-$(basename "$f")"
  done
  render_rules
  /usr/sbin/auditd
  local i
  for i in $(seq 1 50); do pid_alive /run/auditd.pid && break; sleep 0.1; done
  pid_alive /run/auditd.pid || die "auditd did not start"
  auditctl -R /etc/audit/audit.rules >/dev/null
  auditctl -e 1 >/dev/null
  log "auditd pid $(cat /run/auditd.pid), $(auditctl -l | wc -l) rules"
}

# ------------------------------------------------------------------ scenario plumbing (root side)

# Resets the web root and the accounts' files to the state setup left, so a
# rerun starts from the same victim host. Runs while auditd is stopped.
reset_victim() {
  "$LAB_DIR/setup" --reset-only
}

# as_remote SCRIPT ARGS...: runs the attacker/visitor side as labremote (one
# exec as root is the only trace: everything after the setuid is excluded)
as_remote() {
  setpriv --reuid=$REMOTE_UID --regid=$REMOTE_UID --init-groups \
    env -i HOME=/home/labremote PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"
}

# collect OUTDIR NAME: cut audit + web logs to [WIN_START, WIN_END] and build
# ground-truth.json from the spec and the driver's step times
collect() {
  local out=$1 name=$2 gz=""
  mkdir -p "$out"
  rm -f "$out"/audit.log "$out"/audit.log.gz
  $PY "$LAB_DIR/lib/gt.py" cut-audit --out "$out/audit.log" --start "$WIN_START" --end "$WIN_END" \
    $(ls -1r /var/log/audit/audit.log* 2>/dev/null)
  cp /etc/audit/audit.rules "$out/audit.rules"
  cat > "$WORK/meta.json" <<EOF
{"window_start": $WIN_START, "window_end": $WIN_END,
 "environment": $ENV_JSON,
 "other_logs": $OTHER_LOGS_JSON}
EOF
  if [ "$(stat -c %s "$out/audit.log")" -gt 1000000 ]; then gz=--gz; fi
  $PY "$LAB_DIR/lib/gt.py" build --log "$out/audit.log" --spec "$WORK/spec.json" --times "$WORK/steps.tsv" \
    --meta "$WORK/meta.json" --out "$out/ground-truth.json" --digest "$WORK/digest.txt" $gz
  if [ -n "$gz" ]; then gzip -n -9 -f "$out/audit.log"; fi
}

versions() {
  local v
  for v in auditd nginx php8.2-fpm openssh-server cron gunicorn docker.io containerd runc; do
    dpkg-query -W -f='${Package} ${Version}\n' "$v" 2>/dev/null || true
  done
  echo "kernel $(uname -r)"
}

# ------------------------------------------------------------------ attacker/visitor side (runs as labremote)

T() { printf '%s' "$EPOCHREALTIME"; }
step_start() { printf '%s\tstart\t%s\n' "$1" "$(T)" >> "$WORK/steps.tsv"; }
step_end() { printf '%s\tend\t%s\n' "$1" "$(T)" >> "$WORK/steps.tsv"; }

UA_BROWSER='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'
UA_ATTACK='python-requests/2.31.0'

# Benign visitors for the PHP shop until $WORK/stop-visitors exists (bounded
# to 200 rounds so a lost stop file cannot leave it running for ever).
php_visitors() {
  local base=${1:-http://127.0.0.1} i
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    curl -s -o /dev/null -A "$UA_BROWSER" "$base/"
    curl -s -o /dev/null -A "$UA_BROWSER" -e "$base/" "$base/img/logo.png"
    curl -s -o /dev/null -A "$UA_BROWSER" "$base/products.php"
    curl -s -o /dev/null -A 'kube-probe/1.29' "$base/status.php"
    if [ $((i % 3)) -eq 0 ]; then
      curl -s -o /dev/null -A "$UA_BROWSER" --data-urlencode "email=customer$i@example.org" \
        --data-urlencode "message=Hello, is the mug available in blue? ($i)" "$base/contact.php"
    fi
    sleep 4
  done
}

webapp_visitors() {
  local base=${1:-http://127.0.0.1:8080} i
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    curl -s -o /dev/null -A "$UA_BROWSER" "$base/"
    curl -s -o /dev/null -A 'kube-probe/1.29' "$base/api/health"
    curl -s -o /dev/null -A "$UA_BROWSER" "$base/api/report"
    if [ $((i % 2)) -eq 0 ]; then
      curl -s -o /dev/null -A 'netops-monitor/2.0' "$base/api/ping?host=127.0.0.1"
    fi
    sleep 4
  done
}

# A reverse-shell listener whose input is a fifo the driver writes commands
# into (fd 7), output kept in $WORK/rs-PORT.out. The listener exits when the
# shell on the other end closes the connection (or after 600 s idle).
rs_listen() {
  local port=$1
  rm -f "$WORK/rs-$port.in"; mkfifo "$WORK/rs-$port.in"
  socat -T 600 "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" STDIO < "$WORK/rs-$port.in" > "$WORK/rs-$port.out" 2>&1 &
  echo $! > "$WORK/rs-$port.pid"
  exec 7> "$WORK/rs-$port.in"
}
rs_cmd() { printf '%s\n' "$1" >&7; sleep "${2:-1.5}"; }
rs_close() { printf 'exit\n' >&7; sleep 1; exec 7>&-; }

wait_pid_or_timeout() { # pid seconds
  local p=$1 n=$2 i
  for i in $(seq 1 $((n * 5))); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.2; done
  kill "$p" 2>/dev/null || true
  return 1
}
