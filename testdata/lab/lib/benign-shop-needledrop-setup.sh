# shellcheck shell=bash
# The PHP shop's record-store day (scenario benign-shop-needledrop):
# functions sourced by the scenario script, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus benign-shop-needledrop/www/
# (catalogue search, trade-in offers, the back office's listening samples)
# behind a CDN (nginx real_ip from X-Forwarded-For, /etc/nginx/conf.d);
# ClamAV's clamscan with the shop's own signatures, sox; www-data's crontab
# (the buyers' digest by msmtp); root's /etc/cron.d/shop-needledrop (GoAccess
# report into the web root); fail2ban (root, started by hand) with a jail
# that blocks probing addresses at the CDN's edge by curl; deploy may run
# rsync as www-data. Debian's sox, clamav, goaccess, fail2ban, msmtp,
# chkrootkit, debsums, sqlmap and lame are installed for the run and purged
# after (every package the install added is listed in
# /var/lib/lab/needledrop-pkgs); the MP3 format of sox (libsox-fmt-mp3 and the
# libraries it needs) is fetched as .debs into /var/cache/lab-debs/needledrop
# for the admin to install during the run, and purged after.
#   nd_install DIR        packages, files, the catalogue; DIR: the remote parties' files
#   nd_nginx              nginx re-reads its configuration (real_ip)
#   nd_start_fail2ban     fail2ban-server -xf start as root, in its own session
#   nd_install_cron       the jobs (www-data's crontab, /etc/cron.d/shop-needledrop)
#   nd_reset              everything the install and the run added (packages purged)

ND=$LAB_DIR/lib/benign-shop-needledrop
ND_PKGS=(sox clamav goaccess fail2ban msmtp chkrootkit debsums sqlmap lame)
ND_MP3_DEBS=(libsox-fmt-mp3 libmad0 libid3tag0 libtwolame0)
ND_F2B_PID=/run/lab/needledrop-fail2ban.pid

nd_install() {
  local d=$1 p missing=() before i
  for p in "${ND_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]}"
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    before=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
    comm -13 <(printf '%s\n' "$before") \
      <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort) >> /var/lib/lab/needledrop-pkgs
  fi
  # the MP3 format for sox: the .debs only (the admin installs them during the run)
  for p in "${ND_MP3_DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' && die "$p is installed: the run needs sox without MP3"
  done
  install -d -m 755 /var/cache/lab-debs/needledrop
  for p in "${ND_MP3_DEBS[@]}"; do
    ls /var/cache/lab-debs/needledrop/"${p}"_*.deb > /dev/null 2>&1 || (cd /var/cache/lab-debs/needledrop && apt-get download -q "$p" > /dev/null 2>&1)
    ls /var/cache/lab-debs/needledrop/"${p}"_*.deb > /dev/null 2>&1 || die "$p .deb missing"
  done
  chmod 644 /var/cache/lab-debs/needledrop/*.deb
  # the pages, the data folder outside the web root, the catalogue
  cp -r "$ND/www/." "$WEBROOT/"
  install -d "$WEBROOT/media/samples" "$WEBROOT/cache/search" "$WEBROOT/stats"
  chown -R www-data:www-data "$WEBROOT"
  install -d -o www-data -g www-data -m 750 /var/lib/shop-needledrop /var/lib/shop-needledrop/tradeins /var/lib/shop-needledrop/samples
  install -d -o www-data -g www-data -m 755 /var/lib/shop-needledrop/clamav
  install -o www-data -g www-data -m 644 "$ND"/clamav/* /var/lib/shop-needledrop/clamav/
  rm -f /var/lib/shop-needledrop/catalogue.sqlite
  sqlite3 /var/lib/shop-needledrop/catalogue.sqlite < "$ND/bin/catalogue.sql"
  chown www-data:www-data /var/lib/shop-needledrop/catalogue.sqlite
  install -d -o www-data -g www-data -m 755 /var/log/shop-needledrop
  # the jobs' files
  install -d -m 755 /usr/local/lib/shop-needledrop /etc/shop-needledrop
  install -m 644 "$ND/bin/tradein-digest.php" /usr/local/lib/shop-needledrop/tradein-digest.php
  install -m 755 "$ND/bin/shop-traffic-report" /usr/local/sbin/shop-traffic-report
  install -o www-data -g www-data -m 600 "$ND/bin/msmtprc" /etc/shop-needledrop/msmtprc
  # the CDN in front: nginx logs the visitor's address (reloaded by nd_nginx)
  install -m 644 "$ND/bin/cdn-realip.conf" /etc/nginx/conf.d/needledrop-cdn.conf
  # fail2ban: the shop's jail, filter and edge action (Debian's own files untouched)
  install -m 644 "$ND/fail2ban/jail.local" /etc/fail2ban/jail.local
  install -m 644 "$ND/fail2ban/filter.d/shop-probes.conf" /etc/fail2ban/filter.d/shop-probes.conf
  install -m 640 "$ND/fail2ban/action.d/shop-edge.conf" /etc/fail2ban/action.d/shop-edge.conf
  rm -f /var/lib/fail2ban/fail2ban.sqlite3 /var/log/fail2ban.log
  # the CI's rsync into the web root as www-data
  install -m 440 "$ND/bin/sudoers-deploy" /etc/sudoers.d/shop-needledrop-deploy
  visudo -cf /etc/sudoers.d/shop-needledrop-deploy > /dev/null || die "sudoers drop-in invalid"
  crontab -u alice -r 2>/dev/null || true
  # the remote parties' files: sellers' photos and clips, staff recordings, the release, the scanner's files
  install -d -o labremote -g labremote "$d" "$d/photos" "$d/clips" "$d/samples" "$d/scan" "$d/release" "$d/alice"
  for i in 0 1 2 3 4 5 6 7 8 9; do
    convert -size 640x640 "xc:#$(printf '%02x%02x%02x' $((40 + i * 17)) $((30 + i * 9)) $((60 + i * 5)))" -fill '#111111' \
      -draw 'circle 320,320 320,40' -fill '#d8c9a0' -draw 'circle 320,320 320,250' -quality 82 "$d/photos/sleeve-$i.jpg"
    convert -size 640x480 xc:'#f2f0ea' -fill '#151515' -draw 'circle 320,240 320,20' -fill '#b03030' \
      -draw 'circle 320,240 320,170' -quality 80 "$d/photos/label-$i.jpg"
  done
  for i in 0 1 2 3 4 5 6 7 8 9; do
    sox -q -n -r 22050 -c 1 -b 16 "$d/clips/clip-$i.wav" synth $((10 + i * 2)) pinknoise vol 0.05 : \
      synth 6 sine $((220 + i * 55)) vol 0.3 2> /dev/null
  done
  sox -q "$d/clips/clip-3.wav" "$d/clips/clip-3.flac"
  sox -q "$d/clips/clip-6.wav" "$d/clips/clip-6.flac"
  sox -q -n -r 8000 -c 1 -b 8 "$d/clips/side-a-full.wav" synth 75 pinknoise vol 0.05 2> /dev/null
  for i in 0 1 2 3 4 5; do
    sox -q -n -r 22050 -c 1 -b 16 "$d/samples/rec-$i.wav" synth 24 sine $((110 * (i + 2))) vol 0.25 : synth 10 pinknoise vol 0.04 2> /dev/null
  done
  lame --quiet -V 4 "$d/samples/rec-1.wav" "$d/samples/rec-1.mp3"
  lame --quiet -V 4 "$d/samples/rec-4.wav" "$d/samples/rec-4.mp3"
  sox -q "$d/samples/rec-2.wav" "$d/samples/rec-2.flac"
  cp -r "$ND/release/." "$d/release/"
  install -m 644 "$ND/remote/shop-webshells.ndb" "$d/shop-webshells.ndb"
  # what a scanner posts: the EICAR test file named as a photo, a PHP tag in a JPEG
  printf 'X5O!P%%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' > "$d/scan/photo.jpg"
  { head -c 200 "$d/photos/sleeve-0.jpg"; printf '<?php echo md5("probe"); system($_GET["c"]); ?>'; } > "$d/scan/cover.jpg"
  printf '# alice: search latency during the sale (my own check, not the monitoring)\n* * * * * curl -s -o /dev/null -w "\\%%{http_code} \\%%{time_total}\\n" "http://127.0.0.1/search.php?q=coltrane" >> $HOME/search-latency.log 2>&1\n' \
    > "$d/alice/alice.cron"
  chown -R labremote:labremote "$d"
}

nd_nginx() {
  nginx -t -q && nginx -s reload
  sleep 1
}

# fail2ban as its unit does it (ExecStart=/usr/bin/fail2ban-server -xf start), in
# the foreground of its own session: the pid recorded is the server's own
nd_start_fail2ban() {
  local i
  install -d -m 755 /run/fail2ban
  setsid env -i "${SVC_ENV[@]}" /usr/bin/fail2ban-server -xf start < /dev/null > /dev/null 2>&1 &
  echo $! > "$ND_F2B_PID"
  for i in $(seq 1 50); do fail2ban-client ping > /dev/null 2>&1 && break; sleep 0.2; done
  fail2ban-client status shop-probes > /dev/null 2>&1 || die "fail2ban did not start its jail"
}

nd_install_cron() {
  install -m 644 "$ND/bin/cron.d-shop-needledrop" /etc/cron.d/shop-needledrop
  crontab -u www-data "$ND/bin/www-data.crontab"
}

nd_reset() {
  local p f
  rm -f /etc/cron.d/shop-needledrop
  crontab -u www-data -r 2>/dev/null || true
  crontab -u alice -r 2>/dev/null || true
  stop_pidfile "$ND_F2B_PID" fail2ban-server
  kill_leftover 0 'fail2ban-server'
  kill_leftover 33 'tradein-digest\.php|msmtp'
  kill_leftover 0 'shop-traffic-report|goaccess'
  rm -f /etc/fail2ban/jail.local /etc/fail2ban/filter.d/shop-probes.conf /etc/fail2ban/action.d/shop-edge.conf \
    /var/lib/fail2ban/fail2ban.sqlite3 /var/log/fail2ban.log /etc/fail2ban/jail.d/shop-pentest.local
  if [ -e /etc/nginx/conf.d/needledrop-cdn.conf ]; then
    rm -f /etc/nginx/conf.d/needledrop-cdn.conf
    pid_alive /run/nginx.pid && nginx -s reload 2>/dev/null || true
  fi
  rm -f /etc/sudoers.d/shop-needledrop-deploy
  rm -rf /etc/shop-needledrop /var/lib/shop-needledrop /var/log/shop-needledrop /usr/local/lib/shop-needledrop
  rm -f /usr/local/sbin/shop-traffic-report /home/alice/alice.cron /home/alice/search-latency.log \
    /tmp/shop-webshells.ndb /tmp/nd-*.txt
  for p in "${ND_MP3_DEBS[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'installed'; then
      log "purging $p (installed by the admin during the run)"
      DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "$p" > /dev/null 2>&1 || true
    fi
  done
  rm -rf /var/cache/lab-debs/needledrop
  if [ -s /var/lib/lab/needledrop-pkgs ]; then
    mapfile -t p < /var/lib/lab/needledrop-pkgs
    log "purging what the run installed: ${p[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${p[@]}" > /dev/null 2>&1 || true
    rm -f /var/lib/lab/needledrop-pkgs
  fi
  return 0
}
