# shellcheck shell=bash
# The PHP shop with a returns & warranty claims page and the ops team's
# Zabbix agent (scenario shop-returns): functions sourced by its scenario
# script, root side, idempotent. The shop of setup (/var/www/html, www-data)
# without the lab's deliberately vulnerable pages (upload.php, gallery.php,
# page.php, deploy-hook.php, backup/), plus, from lib/shop-returns/:
#   www/returns/             the claim form (index.php), claim.php (photos stored in
#                            uploads/claims/<order>/, scanned there, then checked and
#                            deleted when refused), its strings (lang/en.php, de.php)
#   bin/claimscan            the provider's signature scanner (python3), signatures.txt
#   bin/claims-sweep         root's cron rescan (flagged photos into the root-only quarantine)
#   bin/returns-digest       www-data's cron digest mail of pending claims
#   bin/claims-pending       a Zabbix item's script
#   zabbix_agentd.conf, userparameter-shop.conf, sudoers-zabbix
#                            Debian's zabbix-agent (installed for the run, purged after)
#                            as zabbix on 127.0.0.1:10050, its shop items, the quarantine
#                            item's sudo rule
#   www-data.crontab, cron.d-shop-returns, returns.csv
#   returns_install  all of the above (zabbix-agent and gawk installed, the agent started)
#   returns_reset    everything the install and the runs added, removed; /etc/sudo.conf put back
#   returns_purge    the packages the install added, purged; the zabbix account removed

SHOPRT=$LAB_DIR/lib/shop-returns
SHOPRT_STATE=/var/lib/lab/shop-returns
SHOPRT_PKGS=/var/lib/lab/shop-returns-pkgs.txt
ZBX_PID=/run/zabbix/zabbix_agentd.pid

returns_packages() {
  local before after
  if dpkg-query -W -f='${Status}' zabbix-agent 2>/dev/null | grep -q 'install ok installed' \
     && dpkg-query -W -f='${Status}' gawk 2>/dev/null | grep -q 'install ok installed'; then
    return 0
  fi
  before=$(dpkg-query -W -f='${Package}\n' | sort)
  getent passwd zabbix >/dev/null || touch "$SHOPRT_STATE/zabbix-user-ours"
  log "installing zabbix-agent gawk"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends zabbix-agent gawk >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends zabbix-agent gawk >&2; }
  after=$(dpkg-query -W -f='${Package}\n' | sort)
  comm -13 <(echo "$before") <(echo "$after") >> "$SHOPRT_PKGS"
}

returns_agent_start() {
  install -d -o zabbix -g zabbix -m 755 /run/zabbix /var/log/zabbix-agent
  if ! pid_alive $ZBX_PID; then
    log "starting zabbix_agentd (zabbix, 127.0.0.1:10050)"
    svc /usr/sbin/zabbix_agentd -c /etc/zabbix/zabbix_agentd.conf
  fi
  wait_port 10050
}

returns_install() {
  install -d -m 700 "$SHOPRT_STATE"
  returns_packages
  [ -s "$SHOPRT_STATE/sudo.conf" ] || cp -p /etc/sudo.conf "$SHOPRT_STATE/sudo.conf"
  # the web root: the lab's deliberately vulnerable pages are not part of this shop
  rm -rf "$WEBROOT/upload.php" "$WEBROOT/gallery.php" "$WEBROOT/page.php" "$WEBROOT/deploy-hook.php" \
    "$WEBROOT/backup" "$WEBROOT/pages"
  cp -r "$SHOPRT/www/." "$WEBROOT/"
  install -d "$WEBROOT/uploads/claims" "$WEBROOT/data"
  install -m 644 "$SHOPRT/returns.csv" "$WEBROOT/data/returns.csv"
  local o
  for o in SO-103518 SO-103702 SO-104122 SO-104233; do
    install -d "$WEBROOT/uploads/claims/$o"
    convert -size 640x480 "plasma:fractal" -seed "${o#SO-}" "$WEBROOT/uploads/claims/$o/photo-1.jpg" 2>/dev/null \
      || install -m 644 "$LAB_DIR/conf/design.png" "$WEBROOT/uploads/claims/$o/photo-1.png"
  done
  touch -d '2026-12-01 10:00:00' "$WEBROOT/returns" "$WEBROOT/returns/"*.php "$WEBROOT/returns/lang" "$WEBROOT/returns/lang/"*
  chown -R www-data:www-data "$WEBROOT"
  # the scanner, the sweep, the digest
  install -d -m 755 /etc/claimscan
  install -m 644 "$SHOPRT/signatures.txt" /etc/claimscan/signatures.txt
  install -m 755 "$SHOPRT/bin/claimscan" /usr/local/bin/claimscan
  install -m 755 "$SHOPRT/bin/returns-digest" /usr/local/bin/returns-digest
  install -m 755 "$SHOPRT/bin/claims-pending" /usr/local/bin/claims-pending
  install -m 755 "$SHOPRT/bin/claims-sweep" /usr/local/sbin/claims-sweep
  install -d -m 1777 /var/log/claimscan
  install -d -m 755 /var/lib/claimscan
  install -d -m 700 /var/lib/claimscan/quarantine
  printf 'X5O!P%%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\n' > /var/lib/claimscan/quarantine/1764921000-eicar.jpg
  install -m 644 "$SHOPRT/cron.d-shop-returns" /etc/cron.d/shop-returns
  crontab -u www-data "$SHOPRT/www-data.crontab"
  # the agent
  install -m 644 "$SHOPRT/zabbix_agentd.conf" /etc/zabbix/zabbix_agentd.conf
  install -d -m 755 /etc/zabbix/zabbix_agentd.conf.d
  install -m 644 "$SHOPRT/userparameter-shop.conf" /etc/zabbix/zabbix_agentd.conf.d/shop.conf
  install -m 440 "$SHOPRT/sudoers-zabbix" /etc/sudoers.d/zabbix-claims
  visudo -cf /etc/sudoers.d/zabbix-claims > /dev/null || die "sudoers drop-in does not parse"
  install -d -o zabbix -g zabbix -m 755 /var/log/zabbix-agent
  install -o zabbix -g zabbix -m 640 /dev/null /var/log/zabbix-agent/zabbix_agentd.log
  returns_agent_start
  sleep 1
}

returns_reset() {
  set +e
  # the implant (root sh started by the plugin; its curl), the attacker's awk shell
  kill_leftover 0 'gopher://127\.0\.0\.1:7070'
  kill_leftover 33 'inet/tcp'
  stop_pidfile $ZBX_PID zabbix_agentd
  getent passwd zabbix >/dev/null && kill_leftover "$(id -u zabbix)" 'zabbix_agentd'
  if [ -s "$SHOPRT_STATE/sudo.conf" ]; then
    cp -p "$SHOPRT_STATE/sudo.conf" /etc/sudo.conf
  fi
  rm -f /usr/libexec/sudo/iolog_sync.so /etc/sudoers.d/zabbix-claims /etc/cron.d/shop-returns
  rm -f /usr/local/bin/claimscan /usr/local/bin/returns-digest /usr/local/bin/claims-pending /usr/local/sbin/claims-sweep
  rm -rf /etc/claimscan /var/lib/claimscan /var/log/claimscan /dev/shm/.z /tmp/.s-* /tmp/.o-*
  rm -f /etc/zabbix/zabbix_agentd.conf.d/shop.conf
  crontab -u www-data -r 2>/dev/null
  rm -f /home/alice/.bash_history /root/.bash_history /var/www/.bash_history
  set -e
  return 0
}

returns_purge() {
  set +e
  if [ -s "$SHOPRT_PKGS" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $(sort -u "$SHOPRT_PKGS") >&2 || log "WARNING: purge failed"
    rm -f "$SHOPRT_PKGS"
  fi
  rm -rf /etc/zabbix /var/log/zabbix-agent /run/zabbix
  if [ -e "$SHOPRT_STATE/zabbix-user-ours" ]; then
    getent passwd zabbix >/dev/null && userdel zabbix 2>/dev/null
    getent group zabbix >/dev/null && groupdel zabbix 2>/dev/null
    rm -f "$SHOPRT_STATE/zabbix-user-ours"
  fi
  set -e
  return 0
}
