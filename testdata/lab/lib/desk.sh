# shellcheck shell=bash
# Deskline (PHP helpdesk on nginx 127.0.0.1:8096 + its own php-fpm master and
# pool run by deskline 2051): the shared parts of scenario-benign-desk and
# scenario-desk-attachname (sourced after lib/common.sh).

DESK_BASE=http://127.0.0.1:8096
DESK_PIDF=/run/deskline/php-fpm.pid
DESK_SRV="php-fpm8.2 pool deskline workers (uid 2051 deskline, own master /etc/php/8.2/fpm/deskline-fpm.conf, behind nginx 127.0.0.1:8096)"
DESK_AGENT=(-H 'X-Desk-Agent: dl-agent-3f81c0')
DESK_ADMIN=(-H 'X-Desk-Admin: dl-admin-9a44e7')
UA_AGENT='Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15'
UA_MOBILE='Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'

# root side, before the capture: the pool's workers (pm static, forked before
# the capture, never replaced in these scenarios)
desk_web_servers_json() {
  local w
  w=$(ps -o pid= --ppid "$(tr -dc 0-9 < "$DESK_PIDF")" | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
  [ -n "$w" ] || die "no php-fpm worker of pool deskline"
  printf '[{"name": "%s", "pids": [%s]}]' "$DESK_SRV" "$w"
}

desk_collect() { # the Deskline logs of the window
  cut_http "$OUT/desk-access.log" /var/log/nginx/desk-access.log
  cut_http "$OUT/desk-error.log" /var/log/nginx/desk-error.log
  cp "$WORK/requests.tsv" "$OUT/driver-requests.tsv"
}

# the off-site backup host's rsync daemon (labremote, 127.0.0.1:8730):
# module deskline (root cron's backup shipping), module drop (the same kind
# of sink, used by the attacker in scenario-desk-attachname)
desk_rsyncd() {
  install -d "$WORK/offsite/deskline" "$WORK/offsite/drop"
  cat > "$WORK/rsyncd.conf" <<CONF
use chroot = false
log file = $WORK/offsite/rsyncd.log
pid file = $WORK/offsite/rsyncd.pid
[deskline]
path = $WORK/offsite/deskline
read only = false
[drop]
path = $WORK/offsite/drop
read only = false
CONF
  rsync --daemon --no-detach --address=127.0.0.1 --port=8730 --config="$WORK/rsyncd.conf" & echo $! > "$WORK/rsyncd.pid"
}

# ------------------------------------------------------------------ visitor side (labremote)

DESK_KB=(reset-password vpn-client printer-setup mailbox-quota invoice-copy)
DESK_WORDS=(password vpn printer quota invoice profile duplex archive)

desk_png() { # file rrggbb [w h]: a small PNG made on the visitor side
  $PY - "$1" "$2" "${3:-320}" "${4:-200}" <<'PYEOF'
import sys, zlib, struct
w, h = int(sys.argv[3]), int(sys.argv[4])
rgb = bytes(int(sys.argv[2][i:i + 2], 16) for i in (0, 2, 4))
raw = b''.join(b'\x00' + rgb * w for _ in range(h))
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
PYEOF
}

# customers opening tickets until $WORK/stop-visitors: the front page, a KB
# article and a search, then a new ticket, with a screenshot every round but
# every 3rd (convert thumbnail + confirmation mail)
desk_customers() { # STEP
  local step=$1 i n f names=("screenshot 2026-12-04 at 10.2%d.png" "IMG_2026120%d_0931.png" "error dialog %d.png" "Bildschirmfoto %d.png")
  local subs=("cannot sign in" "invoice missing" "vpn drops every hour" "printer offline" "mailbox full" "2FA device lost")
  desk_png "$WORK/cust.png" 3a6ea5 480 300
  for i in $(seq 1 300); do
    [ -e "$WORK/stop-visitors" ] && break
    n=$(( i % 5 ))
    req "$step" GET "$DESK_BASE/"
    req "$step" GET "$DESK_BASE/kb.php?a=${DESK_KB[$n]}"
    req "$step" GET "$DESK_BASE/kb.php?q=${DESK_WORDS[$(( i % 8 ))]}"
    if [ $((i % 3)) -eq 0 ]; then
      req "$step" POST "$DESK_BASE/ticket.php" "" "$UA_BROWSER" --data-urlencode "email=customer$i@example.org" \
        --data-urlencode "subject=${subs[$(( i % 6 ))]}" --data-urlencode "body=Hello, since this morning: ${subs[$(( i % 6 ))]} ($i)"
    else
      # shellcheck disable=SC2059
      f=$(printf "${names[$(( i % 4 ))]}" $(( i % 10 )))
      req "$step" POST "$DESK_BASE/ticket.php" "" "$UA_BROWSER" -F "email=customer$i@example.org" -F "subject=${subs[$(( i % 6 ))]}" \
        -F "body=See the attached screenshot ($i)" -F "attachment=@$WORK/cust.png;filename=\"$f\""
    fi
    sleep "${DESK_CUST_SLEEP:-5}"
  done
}

# readers of the knowledge base (mobile) until $WORK/stop-visitors; with MODE
# reply every 2nd round also a follow-up on an open ticket with a photo
# (convert thumbnail under attachments/<id>/replies)
desk_readers() { # STEP MODE
  local step=$1 mode=$2 i t em
  local em_of=(anna.berg ben.okafor carla.ruiz dmitri.volkov eva.lind farid.haddad grace.kim hugo.martin ines.costa jon.meyer kofi.mensah lena.fischer marco.rossi nadia.aziz omar.farouk paula.nowak)
  desk_png "$WORK/reader.jpg" d9822b 640 480
  for i in $(seq 1 300); do
    [ -e "$WORK/stop-visitors" ] && break
    req "$step" GET "$DESK_BASE/" "" "$UA_MOBILE"
    req "$step" GET "$DESK_BASE/kb.php" "" "$UA_MOBILE"
    req "$step" GET "$DESK_BASE/kb.php?a=${DESK_KB[$(( (i + 2) % 5 ))]}" "" "$UA_MOBILE"
    if [ "$mode" = reply ] && [ $((i % 2)) -eq 0 ]; then
      t=$(( 1001 + (i * 3) % 38 )); em=${em_of[$(( t % 16 ))]}
      req "$step" POST "$DESK_BASE/reply.php" "" "$UA_MOBILE" -F "ticket=$t" -F "email=$em@example.org" \
        -F "body=Here is a photo of the error ($i)" -F "attachment=@$WORK/reader.jpg;filename=IMG_$(( 4400 + i )).JPG"
    fi
    sleep "${DESK_READER_SLEEP:-4}"
  done
}

# the load balancer's probe every 5 s (sh -c df) and the uptime monitor's
# pseudo-cron hit every ~30 s (sh -c php bin/fetchmail.php, bin/escalate.php)
desk_probe() { # STEP
  local i
  for i in $(seq 1 300); do
    [ -e "$WORK/stop-visitors" ] && break
    req "$1" GET "$DESK_BASE/health.php" "" 'kube-probe/1.29'
    if [ $((i % 6)) -eq 1 ]; then
      req "$1" GET "$DESK_BASE/cron.php" "" 'Uptime-Kuma/1.23.11'
    fi
    sleep 5
  done
}

# the support agents: the queue, an answer (mail from support@), every 3rd
# round a ticket's zip export (zip with an argv array)
desk_agents() { # STEP
  local i t
  for i in $(seq 1 300); do
    [ -e "$WORK/stop-visitors" ] && break
    t=$(( 1000 + (i * 7) % 40 ))
    req "$1" GET "$DESK_BASE/agent/queue.php" "" "$UA_AGENT" "${DESK_AGENT[@]}"
    req "$1" POST "$DESK_BASE/agent/reply.php" "" "$UA_AGENT" "${DESK_AGENT[@]}" --data-urlencode "ticket=$t" \
      --data-urlencode "body=Thanks for the details, we are looking into it (ref $i)."
    if [ $((i % 3)) -eq 0 ]; then
      req "$1" GET "$DESK_BASE/agent/export.php?id=$t" "" "$UA_AGENT" "${DESK_AGENT[@]}"
    fi
    sleep "${DESK_AGENT_SLEEP:-7}"
  done
}

# one ssh session, the script sent as the remote command
desk_ssh() { # STEP USER KEY SCRIPT-FILE
  printf '=== %s %s@127.0.0.1 %s\n' "$(date -u +%T)" "$2" "$1" >> "$WORK/ssh-sessions.txt"
  ssh -i "$3" -o IdentitiesOnly=yes -o BatchMode=yes "$2@127.0.0.1" "$(cat "$4")" < /dev/null >> "$WORK/ssh-sessions.txt" 2>&1 || true
}
