# shellcheck shell=bash
# Printdesk (Mojolicious under hypnotoad behind nginx 127.0.0.1:8094,
# pressbot 2041): the shared parts of scenario-benign-press and
# scenario-press-ssti (sourced after lib/common.sh).

PRESS_SRV="hypnotoad workers (Mojolicious 9.31, /usr/bin/perl /srv/press/press.pl, uid 2041 pressbot, 127.0.0.1:3200 behind nginx 127.0.0.1:8094)"
PRESS_PIDF=/run/press/hypnotoad.pid

# root side, before the capture: the workers alive now
press_workers_now() { ps -o pid= --ppid "$(tr -dc 0-9 < "$PRESS_PIDF")" | tr -s ' \n' ' '; }

# root side, after the run: the hypnotoad workers of the window. Workers are
# forked by the manager (no exec of their own) and a hot deployment replaces
# manager and workers, so the pids come from the capture itself: every perl
# process of pressbot that accepted a connection (the manager never accepts),
# plus the workers alive before the capture ($PRESS_PRE).
press_web_servers() { # AUDIT_LOG -> sets WEB_SERVERS_JSON
  WEB_SERVERS_JSON=$($PY - "$LAB_DIR/lib" "$1" "$PRESS_SRV" $PRESS_PRE <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import gt
ix = gt.Index(gt.read_events(sys.argv[2]))
pids = {int(p) for p in sys.argv[4:]}
for e in gt.find(ix, {"syscall": "accept", "uid": "2041", "exe_re": "^/usr/bin/perl"}):
    pids.add(int(e.get("pid")))
print(json.dumps([{"name": sys.argv[3], "pids": sorted(pids)}]))
PY
)
  log "web servers: $WEB_SERVERS_JSON"
}

press_collect() { # the Printdesk logs of the window
  cut_http "$OUT/press-access.log" /var/log/nginx/press-access.log
  cut_http "$OUT/press-error.log" /var/log/nginx/press-error.log
  cp "$WORK/requests.tsv" "$OUT/driver-requests.tsv"
}

# ------------------------------------------------------------------ visitor side (labremote)

PRESS_ARTS=(wedding-a5 bakery-poster yoga-flyer garage-sale-a4 choir-a3 cafe-menu)
PRESS_HELP=(shipping paper bleed)

# customers browsing until $WORK/stop-visitors: the front page, an artwork
# thumbnail in a new width each round (so convert runs; SEED 0 even widths,
# 1 odd ones: never the same request twice), a print guide, an order page
press_customers() { # BASE STEP SEED
  local base=$1 step=$2 seed=$3 i w a
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    a=${PRESS_ARTS[$(( (i + seed * 3) % 6 ))]}
    w=$(( 100 + (i * 2 + seed) % 800 ))
    req "$step" GET "$base/"
    req "$step" GET "$base/thumb?art=$a&w=$w"
    req "$step" GET "$base/help/${PRESS_HELP[$(( (i + seed) % 3 ))]}"
    req "$step" GET "$base/orders/$(( 30100 + (i * 7 + seed) % 40 ))"
    sleep "${PRESS_SLEEP:-3}"
  done
}

# the load balancer's probe every 5 s (df -P /srv/press)
press_probe() { # BASE STEP
  local i
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    req "$2" GET "$1/health" "" 'kube-probe/1.29'
    sleep 5
  done
}

# customers previewing greeting cards with the merge fields (a template: no exec)
press_cards() { # BASE STEP
  local i names=(Ann Bruno Chloe Dario Emil Farah) gs=('Happy birthday, <%= $name %>!' 'Congratulations <%= $name %> - <%= $date %>' 'Thank you for everything, <%= $name %>' 'Welcome to the choir!' 'With love on <%= $date %>')
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    req "$2" POST "$1/cards/preview" "" "$UA_BROWSER" --data-urlencode "greeting=${gs[$((i % 5))]}" --data-urlencode "name=${names[$((i % 6))]}"
    sleep 4
  done
}

# the counter staff: a proof (convert + mail) and, every 2nd order, the
# approved one sent to the print vendor's intake (curl -T)
press_staff() { # BASE STEP
  local i id
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    id=$(( 30140 + i ))
    req "$2" POST "$1/orders/$id/proof" "" 'printdesk-counter/1.4' --data-urlencode "art=${PRESS_ARTS[$((i % 6))]}" --data-urlencode "email=customer$id@example.org"
    sleep 2
    if [ $((i % 2)) -eq 0 ]; then
      req "$2" POST "$1/orders/$id/send" "" 'printdesk-counter/1.4'
    fi
    sleep 6
  done
}
