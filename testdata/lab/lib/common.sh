# shellcheck shell=bash
# Shared functions of the lab scripts (sourced, not run).
# Services are started by hand (this machine has no init system: pid 1 is a
# process launcher) and every daemon's pid file is the only handle used to
# stop it again, so nothing else on the machine is ever signalled.

LAB_DIR=${LAB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
RUN=/run/lab
STATE=/var/lib/lab
PY=/usr/bin/python3           # Debian's python3: the lab tools need no venv
REMOTE_UID=2001 ALICE_UID=2002 DEPLOY_UID=2003 WEBAPP_UID=2004 ORDERS_UID=2005 REPORTS_UID=2006 KB_UID=2007 STOCK_UID=2008
STOCK_BASE=/srv/stock/tomcat   # CATALINA_BASE of the warehouse stock app (Tomcat 10.1)
WEBROOT=/var/www/html
# The ground truth's file name in a capture folder. A held-out capture's is
# held-out-ground-truth.json (hold_out_gt): the repository's tests loop over
# */ground-truth.json, so they skip it until it has been scored.
GT_NAME=${GT_NAME:-ground-truth.json}

log() { printf '[lab %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# lab_account NAME UID: an application's service account with a fixed uid,
# a home and no password (the Printdesk and Deskline stacks); dies when
# the uid is another account's.
lab_account() {
  local name=$1 uid=$2
  if ! getent passwd "$name" >/dev/null; then
    getent passwd "$uid" >/dev/null && die "uid $uid is taken (needed for $name)"
    groupadd -g "$uid" "$name" 2>/dev/null || true
    useradd -u "$uid" -g "$uid" -d "/home/$name" -m -s /bin/bash "$name"
  fi
  [ "$(id -u "$name")" = "$uid" ] || die "$name must have uid $uid"
  usermod -p '*' "$name"
}

# kill_leftover UID REGEX: a leftover process of a run (uid and command
# line both match), killed by pid
kill_leftover() {
  local uid=$1 re=$2 d p
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    [ "$(stat -c %u "$d" 2>/dev/null)" = "$uid" ] || continue
    tr '\0' ' ' 2>/dev/null < "$d/cmdline" | grep -Eq "$re" || continue
    log "killing leftover pid $p ($(tr '\0' ' ' < "$d/cmdline" | cut -c1-80))"
    kill -KILL "$p" 2>/dev/null || true
  done
}
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
  for i in $(seq 1 "${WAIT_PORT_TRIES:-50}"); do
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && return 0
    sleep 0.2
  done
  die "nothing listens on 127.0.0.1:$port"
}

# ------------------------------------------------------------------ services

# daemons start with a clean, service-like environment (no root shell
# leftovers such as pyenv shims in PATH that web-spawned shells would inherit)
SVC_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8)
svc() { env -i "${SVC_ENV[@]}" "$@"; }

start_services() {
  mkdir -p "$RUN" /run/php /run/sshd
  # The kernel gives a task an audit context at fork only once auditing has
  # ever been enabled since boot: a daemon started before that is never
  # audited (its accept/connect are missing, only its children show). Enable
  # and disable once (no rules, no auditd needed) before starting anything.
  if ! pid_alive /run/auditd.pid; then
    auditctl -e 1 >/dev/null 2>&1 && auditctl -e 0 >/dev/null 2>&1 || true
  fi
  if ! pid_alive /run/php/php8.2-fpm.pid; then
    log "starting php-fpm8.2"
    svc /usr/sbin/php-fpm8.2 --daemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf
  fi
  if ! pid_alive /run/nginx.pid; then
    log "starting nginx"
    svc /usr/sbin/nginx
  fi
  if ! pid_alive /run/sshd.pid; then
    log "starting sshd"
    svc /usr/sbin/sshd -f /etc/ssh/sshd_config
  fi
  if ! pid_alive /run/crond.pid; then
    log "starting cron"
    svc /usr/sbin/cron   # daemonizes and writes /run/crond.pid itself
  fi
  if ! pid_alive "$RUN/gunicorn.pid"; then
    log "starting gunicorn (webapp)"
    svc /usr/bin/gunicorn --daemon --pid "$RUN/gunicorn.pid" --bind 127.0.0.1:8080 --workers 2 \
      --user webapp --group webapp --chdir /srv/webapp --timeout 120 \
      --access-logfile /var/log/webapp/access.log --error-logfile /var/log/webapp/error.log app:app
  fi
  if ! pid_alive "$RUN/orderd.pid"; then
    # the Node.js orders API as svc-orders; setsid + setpriv exec into node, so
    # the pid recorded is node's own
    log "starting orderd (node, svc-orders)"
    setsid env -i "${SVC_ENV[@]}" HOME=/home/svc-orders USER=svc-orders LOGNAME=svc-orders \
      setpriv --reuid=$ORDERS_UID --regid=$ORDERS_UID --init-groups \
      /usr/bin/node /srv/orders/orderd.js < /dev/null >> /var/log/orders/orderd.out 2>&1 &
    echo $! > "$RUN/orderd.pid"
  fi
  if ! pid_alive "$RUN/lighttpd.pid"; then
    # the reports portal: lighttpd in the foreground (-D) in its own session,
    # so the pid recorded is lighttpd's own; it drops to svc-reports itself
    log "starting lighttpd (reports, svc-reports)"
    setsid env -i "${SVC_ENV[@]}" /usr/sbin/lighttpd -D -f /etc/lighttpd/reports.conf \
      < /dev/null >> /var/log/lighttpd-reports/lighttpd.out 2>&1 &
    echo $! > "$RUN/lighttpd.pid"
  fi
  if ! pid_alive "$RUN/apache2-kb.pid"; then
    # the team KB: Apache 2.4 + mod_php (prefork) in the foreground in its own
    # session, so the pid recorded is the (root) parent's own; its fixed pool
    # of workers runs as svc-kb
    log "starting apache2 (team KB, svc-kb)"
    install -d -m 755 "$RUN/apache2-kb"
    setsid env -i "${SVC_ENV[@]}" /usr/sbin/apache2 -f /etc/apache2/kb-lab.conf -DFOREGROUND \
      < /dev/null >> /var/log/apache2-kb/apache2.out 2>&1 &
    echo $! > "$RUN/apache2-kb.pid"
  fi
  if ! pid_alive "$RUN/tomcat-stock.pid"; then
    # the warehouse stock app: Tomcat 10.1 in the foreground (catalina.sh run
    # execs java: the pid recorded is the JVM's own) as svc-stock, in its own
    # session; no shutdown port, stopped by pid (TERM: a clean shutdown)
    log "starting tomcat (stock app, svc-stock)"
    setsid env -i "${SVC_ENV[@]}" HOME=/home/svc-stock USER=svc-stock LOGNAME=svc-stock \
      CATALINA_HOME=/usr/share/tomcat10 CATALINA_BASE="$STOCK_BASE" \
      setpriv --reuid=$STOCK_UID --regid=$STOCK_UID --init-groups /usr/share/tomcat10/bin/catalina.sh run \
      < /dev/null >> "$STOCK_BASE/logs/catalina.out" 2>&1 &
    echo $! > "$RUN/tomcat-stock.pid"
  fi
  wait_port 80; wait_port 8082; wait_port 22; wait_port 8080; wait_port 3100; wait_port 8090; wait_port 8070; wait_port 8060
  WAIT_PORT_TRIES=300 wait_port 8180   # the JVM and the deploy of the webapps take a while
}

stop_services() {
  stop_pidfile "$RUN/tomcat-stock.pid" tomcat-stock
  stop_pidfile "$RUN/apache2-kb.pid" apache2-kb
  stop_pidfile "$RUN/lighttpd.pid" lighttpd
  stop_pidfile "$RUN/orderd.pid" orderd
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
  REQUESTS_ARG=(); [ -s "$WORK/requests.tsv" ] && REQUESTS_ARG=(--requests "$WORK/requests.tsv")
  mkdir -p "$out"
  rm -f "$out"/audit.log "$out"/audit.log.gz
  $PY "$LAB_DIR/lib/gt.py" cut-audit --out "$out/audit.log" --start "$WIN_START" --end "$WIN_END" \
    $(ls -1r /var/log/audit/audit.log* 2>/dev/null)
  install -m 644 /etc/audit/audit.rules "$out/audit.rules"
  cat > "$WORK/meta.json" <<EOF
{"window_start": $WIN_START, "window_end": $WIN_END,
 "environment": $ENV_JSON,
 "other_logs": $OTHER_LOGS_JSON,
 "web_servers": ${WEB_SERVERS_JSON:-[]}}
EOF
  if [ "$(stat -c %s "$out/audit.log")" -gt 1000000 ]; then gz=--gz; fi
  $PY "$LAB_DIR/lib/gt.py" build --log "$out/audit.log" --spec "$WORK/spec.json" --times "$WORK/steps.tsv" \
    --meta "$WORK/meta.json" --out "$out/$GT_NAME" --digest "$WORK/digest.txt" $gz \
    ${REQUESTS_ARG[@]+"${REQUESTS_ARG[@]}"}
  if [ -n "$gz" ]; then gzip -n -9 -f "$out/audit.log"; fi
}

versions() {
  local v
  for v in auditd nginx libmojolicious-perl php8.2-fpm php8.2-sqlite3 sqlite3 rsync openssh-server cron gunicorn nodejs lighttpd php8.2-cgi apache2 libapache2-mod-php8.2 tomcat10 openjdk-17-jre-headless openssl bind9-dnsutils docker.io containerd runc; do
    dpkg-query -W -f='${Package} ${Version}\n' "$v" 2>/dev/null || true
  done
  echo "kernel $(uname -r)"
}

# ------------------------------------------------------------------ attacker/visitor side (runs as labremote)

T() { printf '%s' "$EPOCHREALTIME"; }
step_start() { printf '%s\tstart\t%s\n' "$1" "$(T)" >> "$WORK/steps.tsv"; }
step_end() { printf '%s\tend\t%s\n' "$1" "$(T)" >> "$WORK/steps.tsv"; }

# req STEP METHOD URL [BODY [UA [curl args...]]]: one HTTP request, logged to
# $WORK/requests.tsv with the client's wall-clock start/end: the server
# handled it inside that span (ground truth for request -> exec links).
# A JSON BODY is sent as application/json. The response body is kept in the
# file $REQ_OUT when set (stdout would land in the status code's $(...)).
req() {
  local step=$1 method=$2 url=$3 body=${4:-} ua=${5:-$UA_BROWSER} t0 t1 code out=${REQ_OUT:-/dev/null}
  shift $(( $# < 5 ? $# : 5 ))
  local data=()
  [ -n "$body" ] && data=(-H 'Content-Type: application/json' --data-binary "$body")
  t0=$EPOCHREALTIME
  code=$(curl -s -o "$out" -w '%{http_code}' -X "$method" -A "$ua" ${data[@]+"${data[@]}"} "$@" "$url" || true)
  t1=$EPOCHREALTIME
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "r$BASHPID-${t0/./}" "$step" "$method" "$url" "$t0" "$t1" "$code" "$ua" \
    "$(printf '%s' "$body" | tr '\t\n' '  ')" >> "$WORK/requests.tsv"
}

UA_BROWSER='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'
UA_ATTACK='python-requests/2.31.0'

# urlenc STRING: percent-encoded as curl --data-urlencode does (all but
# A-Za-z0-9-._~), so a URL built with it is the request line servers log
urlenc() { $PY -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1], safe=""))' "$1"; }

# visit STEP METHOD UA URL [curl args...]: one visitor request. With STEP
# set it goes through the driver (req: logged to requests.tsv with the
# client's span, the ground truth of request -> exec links); with STEP empty
# it is the plain curl of the captures taken before the driver existed
# (every scenario now passes a STEP).
visit() {
  local step=$1 method=$2 ua=$3 url=$4
  shift 4
  if [ -z "$step" ]; then curl -s -o /dev/null -A "$ua" "$@" "$url"; return 0; fi
  req "$step" "$method" "$url" "" "$ua" "$@"
}

# Benign visitors for the PHP shop until $WORK/stop-visitors exists (bounded
# to 200 rounds so a lost stop file cannot leave it running for ever).
# php_visitors BASE [STEP]: with STEP, every request goes through the driver.
php_visitors() {
  local base=${1:-http://127.0.0.1} step=${2:-} i
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    visit "$step" GET "$UA_BROWSER" "$base/"
    visit "$step" GET "$UA_BROWSER" "$base/img/logo.png" -e "$base/"
    visit "$step" GET "$UA_BROWSER" "$base/products.php"
    visit "$step" GET 'kube-probe/1.29' "$base/status.php"
    if [ $((i % 3)) -eq 0 ]; then
      visit "$step" POST "$UA_BROWSER" "$base/contact.php" --data-urlencode "email=customer$i@example.org" \
        --data-urlencode "message=Hello, is the mug available in blue? ($i)"
    fi
    sleep 4
  done
}

# webapp_visitors BASE [STEP]: the WSGI app's clients (as php_visitors).
webapp_visitors() {
  local base=${1:-http://127.0.0.1:8080} step=${2:-} i
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    visit "$step" GET "$UA_BROWSER" "$base/"
    visit "$step" GET 'kube-probe/1.29' "$base/api/health"
    visit "$step" GET "$UA_BROWSER" "$base/api/report"
    if [ $((i % 2)) -eq 0 ]; then
      visit "$step" GET 'netops-monitor/2.0' "$base/api/ping?host=127.0.0.1"
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

# The same over TLS: an openssl s_server (self-signed certificate made on the
# spot) whose stdin is the fifo the driver writes commands into (fd 7).
tls_listen() {
  local port=$1 cn=${2:-cdn-edge.lab}
  openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=$cn" -days 2 \
    -keyout "$WORK/tls-$port.key" -out "$WORK/tls-$port.crt" >/dev/null 2>&1
  rm -f "$WORK/rs-$port.in"; mkfifo "$WORK/rs-$port.in"
  openssl s_server -quiet -naccept 1 -accept "127.0.0.1:$port" -cert "$WORK/tls-$port.crt" -key "$WORK/tls-$port.key" \
    < "$WORK/rs-$port.in" > "$WORK/rs-$port.out" 2>&1 &
  echo $! > "$WORK/rs-$port.pid"
  exec 7> "$WORK/rs-$port.in"
}

# jbody KEY VALUE [KEY VALUE...]: a JSON object of string values (VALUE may
# be JSON itself when KEY ends in ':json')
jbody() {
  $PY -c 'import json,sys
a=sys.argv[1:]; d={}
for k,v in zip(a[0::2],a[1::2]):
    if k.endswith(":json"): d[k[:-5]]=json.loads(v)
    else: d[k]=v
print(json.dumps(d))' "$@"
}

wait_pid_or_timeout() { # pid seconds
  local p=$1 n=$2 i
  for i in $(seq 1 $((n * 5))); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.2; done
  kill "$p" 2>/dev/null || true
  return 1
}

# ------------------------------------------------------------------ the scenario frame (root side)
# A scenario script sets NAME, SPEC (template), SUBST (sed script), ALIGN_SEC,
# ENV_JSON, DESCRIPTION and the functions remote_main (attacker side, as
# labremote), and optionally pre_audit/post_audit/collect_extra/cleanup_extra.

cleanup_scenario() {
  local f
  set +e
  for f in "$WORK"/*.pid; do [ -e "$f" ] && stop_pidfile "$f" "$(basename "$f" .pid)"; done
  audit_stop
  declare -F cleanup_extra >/dev/null && cleanup_extra
  reset_victim
  stop_services
  log "work files kept in $WORK"
}

# wait until the wall clock's second is $1 (cron fires on minute boundaries;
# this puts the scenario's cron step where the next boundary is soon)
align_second() {
  local want=$1 now
  [ -z "$want" ] && return 0
  while :; do
    now=$(date +%-S)
    [ "$now" -eq "$want" ] && return 0
    sleep 0.5
  done
}

scenario_main() {
  need_root
  OUT=$LAB_DIR/${NAME#scenario-}
  WORK=$(mktemp -d "/tmp/lab-$NAME.XXXXXX")
  chmod 755 "$WORK"; chown labremote:labremote "$WORK"
  : > "$WORK/steps.tsv"; chown labremote:labremote "$WORK/steps.tsv"
  export WORK
  trap cleanup_scenario EXIT
  reset_victim
  start_services
  sed -e "s|@SCENARIO@|$NAME|g" ${SUBST:+-e "$SUBST"} "$SPEC" > "$WORK/spec.json"
  $PY -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/spec.json"
  declare -F pre_audit >/dev/null && pre_audit
  log "waiting for second :${ALIGN_SEC:-now} of the minute (cron timing)"
  align_second "${ALIGN_SEC:-}"
  WIN_START=$EPOCHREALTIME
  audit_fresh_start
  declare -F post_audit >/dev/null && post_audit
  sleep 1
  log "attacker/visitor side starts (as labremote)"
  as_remote bash "$0" --remote "$WORK"
  sleep 2
  WIN_END=$EPOCHREALTIME
  declare -F before_audit_stop >/dev/null && before_audit_stop
  audit_stop
  log "collecting into $OUT"
  collect "$OUT" "$NAME"
  declare -F collect_extra >/dev/null && collect_extra
  write_readme
  log "done: $OUT"
  ls -la "$OUT" >&2
  if $PY -c 'import json,sys; sys.exit(1 if json.load(open(sys.argv[1]))["verification_problems"] else 0)' "$OUT/$GT_NAME"; then
    log "ground truth: every evidence query has hits"
  else
    log "WARNING: ground truth has verification problems (see ground-truth.json)"
  fi
}

cut_http() { # out logs...: web/container logs cut to the window
  local out=$1; shift
  $PY "$LAB_DIR/lib/gt.py" cut-http --out "$out" --start "$WIN_START" --end "$WIN_END" "$@"
  [ -s "$out" ] || rm -f "$out"   # nothing logged in the window: no empty file
}

write_readme() {
  local f kept=""
  # a hand-written "First contact" section (the analyzer's score on the
  # capture) survives a --rebuild
  if [ -e "$OUT/README.txt" ]; then kept=$(sed -n '/^First contact/,$p' "$OUT/README.txt"); fi
  {
    echo "$NAME: $DESCRIPTION"
    echo
    if [ "$GT_NAME" != ground-truth.json ]; then
      echo "HELD OUT until scored: the ground truth is $GT_NAME, which no test reads; at graduation rename it to"
      echo "ground-truth.json and make the scenario's hold_out() a no-op (hold_out() { :; })."
      echo
    fi
    echo "REAL kernel audit records captured by testdata/lab/$NAME (rerun: sudo testdata/lab/setup && sudo testdata/lab/$NAME)."
    echo "Nothing was synthesised or edited: audit.log is auditd's own log from a fresh start (DAEMON_START, the"
    echo "rule load as CONFIG_CHANGE records) up to the end of the scenario window; other logs are cut to the window."
    echo
    echo "Window (UTC): $($PY -c 'import json,sys; w=json.load(open(sys.argv[1]))["window"]; print(w["start_iso"], "..", w["end_iso"], "(epoch %.3f .. %.3f)" % (w["start"], w["end"]))' "$OUT/$GT_NAME")"
    echo
    echo "Environment"
    $PY -c 'import json,sys; [print("  - " + e) for e in json.load(open(sys.argv[1]))["environment"]]' "$OUT/$GT_NAME"
    echo "  - every REMOTE party (visitors, the admin's ssh client, the attacker's curl/nc/socat/listeners/HTTP"
    echo "    servers) runs as uid 2001 'labremote', excluded by an audit never-rule; only 127.0.0.1 is used."
    echo "  - NOISE: unrelated processes ran on the machine during the capture (other engineers' go build/test,"
    echo "    git, shells; trees rooted at pid 1 that never descend from the web servers, sshd or cron). Left in."
    echo
    echo "Versions"
    versions | sed 's/^/  /'
    echo "  auditd.conf: log_format = $(sed -n 's/^log_format = //p' /etc/audit/auditd.conf)"
    echo
    echo "Files"
    for f in "$OUT"/*; do
      [ "$(basename "$f")" = README.txt ] && continue
      printf '  - %s (%s bytes)\n' "$(basename "$f")" "$(stat -c %s "$f")"
    done
    echo "  - README.txt (this file)"
    echo
    echo "Steps (stage 0 = benign; times UTC; $GT_NAME has expected processes/paths/addresses and up to"
    echo "5 audit serials per evidence query)"
    cat "$WORK/digest.txt"
    echo
    echo "Audit ruleset: audit.rules (testdata/lab/audit.rules as loaded with auditctl -R): execve/execveat b64+b32"
    echo "(key detect_execve_www for euid 33 www-data and 2004 webapp, exec otherwise), connect (network_connect_4/6),"
    echo "accept/accept4, bind, watches on identity files, /etc/shadow reads, cron dirs + spool, systemd unit dirs, sshd"
    echo "config, ~/.ssh dirs, shell profiles, web roots, server config, suspicious tools. First matching rule sets the key."
    if [ -n "$kept" ]; then printf '\n%s\n' "$kept"; fi
  } > "$OUT/README.txt"
}

# hold_out_gt: a scenario held out of this round's tuning calls it after
# scenario_main/rebuild_main (as its hold_out): the ground truth just written
# becomes held-out-ground-truth.json and README.txt says so
hold_out_gt() {
  [ -e "$OUT/ground-truth.json" ] || die "$OUT has no ground-truth.json to hold out"
  GT_NAME=held-out-ground-truth.json
  mv -f "$OUT/ground-truth.json" "$OUT/$GT_NAME"
  write_readme
  log "held out: $OUT/$GT_NAME"
}

# --rebuild WORK: re-derive ground-truth.json and README.txt from the committed
# capture and the run's kept work files (spec template may have changed), with
# no new capture
rebuild_main() {
  WORK=$2
  OUT=$LAB_DIR/${NAME#scenario-}
  [ -s "$WORK/meta.json" ] && [ -s "$WORK/steps.tsv" ] || die "$WORK has no meta.json/steps.tsv of a run"
  WIN_START=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["window_start"])' "$WORK/meta.json")
  WIN_END=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["window_end"])' "$WORK/meta.json")
  sed -e "s|@SCENARIO@|$NAME|g" ${SUBST:+-e "$SUBST"} "$SPEC" > "$WORK/spec.json"
  local log=$OUT/audit.log gz=""
  [ -e "$log" ] || { log=$OUT/audit.log.gz; gz=--gz; }
  REQUESTS_ARG=(); [ -s "$WORK/requests.tsv" ] && REQUESTS_ARG=(--requests "$WORK/requests.tsv")
  $PY "$LAB_DIR/lib/gt.py" build --log "$log" --spec "$WORK/spec.json" --times "$WORK/steps.tsv" \
    --meta "$WORK/meta.json" --out "$OUT/$GT_NAME" --digest "$WORK/digest.txt" $gz \
    ${REQUESTS_ARG[@]+"${REQUESTS_ARG[@]}"}
  write_readme
}

# remote side entry: scenario scripts call this when run with --remote WORK
remote_entry() {
  WORK=$2
  export WORK
  cd "$WORK"
  remote_main
}

# Readers of the team KB (Apache + mod_php, 127.0.0.1:8060) until
# $WORK/stop-visitors exists: pages, search (kbindex), previews (convert; a
# new width each round, so the cache never answers), the load balancer's
# probe (df), every 3rd round feedback (mail() -> sendmail), every 4th a zip
# export. KB_VISITOR_CALC=1: also the calculator widget (eval of arithmetic).
# GET /feedback.php is never sent: scenario-apache-eval's backdoor requests
# use it, so their request -> exec links stay unambiguous.
kb_visitors() {
  local base=$1 step=$2 seed=${3:-0} i n w
  local words=(vpn backup printer quota tunnel runbook duplex dashboard)
  local ids=(vpn-setup backup-policy printer-howto oncall-runbook disk-quotas)
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    n=$(( (i + seed) % 5 ))
    w=$(( 64 + ((i * 7 + seed * 13) % 97) * 4 ))
    req "$step" GET "$base/"
    req "$step" GET "$base/article.php?id=${ids[$n]}"
    req "$step" GET "$base/search.php?q=${words[$(( (i + seed) % 8 ))]}"
    req "$step" GET "$base/thumb.php?img=$([ $((i % 2)) -eq 0 ] && echo diagram || echo network)&w=$w"
    req "$step" GET "$base/health.php" "" 'kube-probe/1.29'
    if [ "${KB_VISITOR_CALC:-0}" = 1 ] && [ $((i % 2)) -eq 1 ]; then
      req "$step" GET "$base/api/calc.php?expr=$(( 10 + i ))*1024*1024/8"
    fi
    if [ $((i % 3)) -eq 0 ]; then
      req "$step" POST "$base/feedback.php" "" "$UA_BROWSER" --data-urlencode "email=reader$i@corp.lab.local" \
        --data-urlencode "message=The ${ids[$n]} article helped, thanks ($i)"
    fi
    if [ $((i % 4)) -eq 2 ]; then
      req "$step" GET "$base/export.php?id=${ids[$n]}"
    fi
    sleep "${KB_VISITOR_SLEEP:-3}"
  done
}

# Users of the warehouse stock app (Tomcat, 127.0.0.1:8180/stock) until
# $WORK/stop-visitors exists: the stock list and item pages (no exec), the
# item picture (convert with an argv array; a new width each round, so the
# cache never answers), the load balancer's probe (df, tokenised
# Runtime.exec), every 2nd round shelf labels (the stocklabel script), every
# 3rd a low-stock mail (sendmail -t -i), every 4th a CSV export (sh -c sort |
# gzip). STOCK_VISITOR_SLEEP sets the pause between rounds (default 3 s).
stock_visitors() {
  local base=$1 step=$2 seed=${3:-0} i n w
  local skus=(BOLT-M8 NUT-M8 WASH-M8 PALLET-EU STRAP-25 GLOVE-L TAPE-50 LABEL-A6)
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    n=$(( (i + seed) % 8 ))
    w=$(( 48 + ((i * 7 + seed * 13) % 97) * 2 ))
    req "$step" GET "$base/"
    req "$step" GET "$base/item.jsp?sku=${skus[$n]}"
    req "$step" GET "$base/thumb.jsp?sku=${skus[$n]}&w=$w"
    req "$step" GET "$base/health.jsp" "" 'kube-probe/1.29'
    if [ $((i % 2)) -eq 0 ]; then
      req "$step" GET "$base/label.jsp?sku=${skus[$n]}&copies=$(( 1 + i % 3 ))"
    fi
    if [ $((i % 3)) -eq 0 ]; then
      req "$step" POST "$base/notify.jsp" "" "$UA_BROWSER" --data-urlencode "sku=${skus[$n]}" --data-urlencode "qty=$(( i % 9 ))"
    fi
    if [ $((i % 4)) -eq 2 ]; then
      req "$step" GET "$base/export.jsp"
    fi
    sleep "${STOCK_VISITOR_SLEEP:-3}"
  done
}
