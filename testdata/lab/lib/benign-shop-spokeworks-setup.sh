# shellcheck shell=bash
# The PHP shop's bike workshop day (scenario benign-shop-spokeworks):
# functions sourced by the scenario script, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus benign-shop-spokeworks/www/:
# workshop bookings (service.php: the confirmation queued with at for two
# minutes later, cancelled with atrm), the carrier's bike-box quotes
# (shipping.php: php-curl), the workshop tablet's photos (admin/
# workshop-photo.php into /var/lib/shop-spokeworks/incoming), the daily
# sales report's schedule (admin/reports.php: www-data's crontab through
# crontab -l / crontab -); the CLI jobs in /usr/local/lib/shop-spokeworks
# (the photo watcher with inotifywait, the bank statements by curl with a
# client certificate + gpg, the confirmations, the report); root's
# encrypted off-site backup (tar | zstd | age, curl -T); atd started by
# hand; the bank's PKI, the statement key, the backup key.
# Debian's at, inotify-tools and age are installed for the run and purged
# after (every package the install added is listed in /var/lib/lab/spokeworks-pkgs).
#   swk_install DIR     packages, files, keys; DIR: the remote parties' files
#   swk_start_atd       atd (pid /run/atd.pid)
#   swk_install_cron    the jobs (www-data's crontab, /etc/cron.d/shop-spokeworks)
#   swk_reset           everything the install and the run added (packages purged)

SWK=$LAB_DIR/lib/benign-shop-spokeworks
SWK_PKGS=(at inotify-tools age)
SWK_DATA=/var/lib/shop-spokeworks
SWK_ETC=/etc/shop-spokeworks

swk_install() {
  local d=$1 p missing=() before
  for p in "${SWK_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]}"
    before=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
    comm -13 <(printf '%s\n' "$before") \
      <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort) >> /var/lib/lab/spokeworks-pkgs
  fi
  # the shop may queue jobs for itself (Debian's at.deny lists www-data)
  [ -e /var/lib/lab/spokeworks-at.deny ] || cp /etc/at.deny /var/lib/lab/spokeworks-at.deny
  sed -i '/^www-data$/d' /etc/at.deny
  # the pages
  cp -r "$SWK/www/." "$WEBROOT/"
  install -d "$WEBROOT/img/workshop" "$WEBROOT/img/workshop/thumbs"
  chown -R www-data:www-data "$WEBROOT"
  install -d -o www-data -g www-data -m 750 "$SWK_DATA" "$SWK_DATA/bookings" "$SWK_DATA/incoming" "$SWK_DATA/statements" "$SWK_DATA/reports"
  install -d -o www-data -g www-data -m 700 "$SWK_DATA/gnupg"
  install -d -o www-data -g www-data -m 755 /var/log/shop-spokeworks
  install -o www-data -g www-data -m 640 /dev/null /var/log/shop-spokeworks/bookings.log
  local i cats=(bikes parts parts accessories workshop bikes clothing parts workshop accessories e-bikes parts)
  { echo 'order,date,category,total'
    for i in $(seq 0 47); do
      printf 'SW-1%05d,2026-12-0%d,%s,%d.%02d\n' $((4100 + i * 7)) $((6 + i % 2)) "${cats[$((i % 12))]}" $((9 + (i * 37) % 900)) $(((i * 13) % 100))
    done; } > "$SWK_DATA/orders.csv"
  chown www-data:www-data "$SWK_DATA/orders.csv"
  # the jobs
  install -d -m 755 /usr/local/lib/shop-spokeworks
  install -m 644 "$SWK/bin/confirm-booking.php" "$SWK/bin/sales-report.php" "$SWK/bin/match-payments.php" /usr/local/lib/shop-spokeworks/
  install -m 755 "$SWK/bin/photo-watch" "$SWK/bin/bank-fetch" /usr/local/lib/shop-spokeworks/
  install -m 755 "$SWK/bin/spokeworks-backup" /usr/local/sbin/spokeworks-backup
  install -m 440 "$SWK/bin/sudoers-deploy" /etc/sudoers.d/shop-spokeworks-deploy
  visudo -cf /etc/sudoers.d/shop-spokeworks-deploy > /dev/null || die "sudoers drop-in invalid"
  # the remote parties' folder
  install -d -o labremote -g labremote "$d" "$d/bank" "$d/bank/statements" "$d/bank/acked" "$d/office" "$d/laptop" "$d/tablet"
  # the bank's PKI: its CA, the gateway's server certificate, the shop's client certificate (expires at the year's end)
  local b=$d/bank
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj '/C=DE/O=Sparkasse Bremen/CN=Sparkasse Bremen EBICS CA 2021' \
    -keyout "$b/ca.key" -out "$b/ca.crt" > /dev/null 2>&1
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/C=DE/O=Sparkasse Bremen/CN=127.0.0.1' \
    -keyout "$b/server.key" -out "$b/server.csr" > /dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$b/san.ext"
  openssl x509 -req -in "$b/server.csr" -CA "$b/ca.crt" -CAkey "$b/ca.key" -CAcreateserial -days 400 -sha256 -extfile "$b/san.ext" -out "$b/server.crt" > /dev/null 2>&1
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/C=DE/O=Spokeworks Radwerkstatt GmbH/CN=ebics-web1.spokeworks.example' \
    -keyout "$b/client.key" -out "$b/client.csr" > /dev/null 2>&1
  openssl x509 -req -in "$b/client.csr" -CA "$b/ca.crt" -CAkey "$b/ca.key" -CAcreateserial -days 24 -sha256 -out "$b/client.crt" > /dev/null 2>&1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -days 7300 -subj '/C=DE/O=Sparkasse Bremen/CN=Sparkasse Bremen EBICS Root G2' \
    -keyout "$b/root-g2.key" -out "$d/laptop/sparkasse-ebics-root-g2.crt" > /dev/null 2>&1
  install -d -o www-data -g www-data -m 700 "$SWK_ETC" "$SWK_ETC/bank"
  chown root:root "$SWK_ETC"; chmod 755 "$SWK_ETC"
  install -o www-data -g www-data -m 600 "$SWK/bin/bank.env" "$SWK_ETC/bank/bank.env"
  install -o www-data -g www-data -m 644 "$b/client.crt" "$SWK_ETC/bank/client.crt"
  install -o www-data -g www-data -m 600 "$b/client.key" "$SWK_ETC/bank/client.key"
  install -o www-data -g www-data -m 644 "$b/ca.crt" "$SWK_ETC/bank/bank-ca.crt"
  printf 'Speichen-Nabe-Felge-4711\n' > "$SWK_ETC/bank/gpg.pass"; chown www-data:www-data "$SWK_ETC/bank/gpg.pass"; chmod 600 "$SWK_ETC/bank/gpg.pass"
  # the statement key (www-data's keyring); the bank encrypts to its public half
  runuser -u www-data -- gpg --batch --quiet --homedir "$SWK_DATA/gnupg" --pinentry-mode loopback --passphrase-file "$SWK_ETC/bank/gpg.pass" \
    --quick-gen-key 'Spokeworks Kontoauszuege <buchhaltung@spokeworks.example>' future-default default 2y > /dev/null 2>&1 || die "gpg key generation failed"
  runuser -u www-data -- gpg --batch --quiet --homedir "$SWK_DATA/gnupg" --export --armor buchhaltung@spokeworks.example > "$b/shop-statements.asc"
  runuser -u www-data -- gpgconf --homedir "$SWK_DATA/gnupg" --kill gpg-agent > /dev/null 2>&1 || true
  local gh n
  gh=$(mktemp -d)
  gpg --batch --quiet --homedir "$gh" --import "$b/shop-statements.asc" > /dev/null 2>&1
  for n in 1 2 3; do
    swk_statement "$n" > "$gh/st.xml"
    gpg --batch --quiet --homedir "$gh" --trust-model always --encrypt -r buchhaltung@spokeworks.example \
      -o "$b/statements/camt053_DE44290501010004711000_2026-12-07_00$n.xml.gpg" "$gh/st.xml"
  done
  gpgconf --homedir "$gh" --kill gpg-agent > /dev/null 2>&1 || true
  rm -rf "$gh"
  # the backup: age key pair of the office (the private half stays there), the upload settings
  age-keygen -o "$d/office/spokeworks-backup.key" 2> /dev/null
  age-keygen -y "$d/office/spokeworks-backup.key" > "$SWK_ETC/backup-recipients.txt"
  chmod 644 "$SWK_ETC/backup-recipients.txt"
  install -m 600 "$SWK/bin/backup.env" "$SWK_ETC/backup.env"
  age-keygen -o "$d/laptop/alice-escrow.key" 2> /dev/null
  age-keygen -y "$d/laptop/alice-escrow.key" > "$d/laptop/alice-escrow.pub"
  # the workshop tablet's photos
  for n in BK-2611-TREK BK-2614-CUBE BK-2615-GAZELLE BK-2619-BROMPTON BK-2620-RIESE BK-2622-SURLY BK-2623-STEVENS BK-2625-KTM; do
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -g2000x1500 -r72 -sOutputFile="$d/tablet/$n.jpg" \
      -c "0.55 0.6 0.65 setrgbcolor 0 0 2000 1500 rectfill 0.1 0.1 0.1 setrgbcolor 40 setlinewidth 500 500 250 0 360 arc stroke 1500 500 250 0 360 arc stroke /Helvetica findfont 90 scalefont setfont 300 1200 moveto ($n) show showpage" > /dev/null 2>&1
  done
  chown -R labremote:labremote "$d"
  chmod 600 "$b"/*.key
}

# swk_statement N: a camt.053 statement with the day's credit transfers
swk_statement() {
  local n=$1 i amt
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>\n'
  printf '<GrpHdr><MsgId>SPKHB-20261207-%s</MsgId><CreDtTm>2026-12-07T0%d:00:00</CreDtTm></GrpHdr>\n' "$n" "$((6 + n))"
  printf '<Stmt><Id>4711-SW-%s</Id><Acct><Id><IBAN>DE44290501010004711000</IBAN></Id></Acct>\n' "$n"
  for i in 1 2 3 4 5; do
    amt=$(( (n * 131 + i * 57) % 800 + 19 ))
    printf '<Ntry><Amt Ccy="EUR">%d.%02d</Amt><CdtDbtInd>CRDT</CdtDbtInd><NtryDtls><TxDtls><RmtInf><Ustrd>SW-1%05d Kundenzahlung</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n' \
      "$amt" $(( (i * 17) % 100 )) $((4100 + (n * 5 + i) * 7))
  done
  printf '<Ntry><Amt Ccy="EUR">89.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><NtryDtls><TxDtls><RmtInf><Ustrd>Hosting web1 Dezember</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n'
  printf '</Stmt></BkToCstmrStmt></Document>\n'
}

swk_start_atd() {
  pid_alive /run/atd.pid && return 0
  log "starting atd"
  svc /usr/sbin/atd
  local i
  for i in $(seq 1 25); do pid_alive /run/atd.pid && return 0; sleep 0.2; done
  die "atd did not start"
}

# swk_install_cron: the jobs; installed a few seconds before the window
# opens, so that cron first runs them inside it
swk_install_cron() {
  install -m 644 "$SWK/bin/cron.d-shop-spokeworks" /etc/cron.d/shop-spokeworks
  crontab -u www-data "$SWK/bin/www-data.crontab"
}

swk_reset() {
  local p f
  rm -f /etc/cron.d/shop-spokeworks
  crontab -u www-data -r 2>/dev/null || true
  stop_pidfile /run/atd.pid atd
  sleep 1
  kill_leftover 0 'spokeworks-backup|age -R /etc/shop-spokeworks'
  kill_leftover 33 'photo-watch|inotifywait .*shop-spokeworks|bank-fetch|gpg-agent --homedir /var/lib/shop-spokeworks|confirm-booking\.php|sales-report\.php'
  for f in /var/spool/cron/atjobs/*; do
    [ -f "$f" ] || continue
    case "$(stat -c %u "$f")" in 33|2003) rm -f "$f" ;; esac
  done
  if [ -e /etc/php/8.2/fpm/pool.d/www.conf.20261207 ] || grep -q slowlog /etc/php/8.2/fpm/pool.d/www.conf 2>/dev/null; then
    install -m 644 "$LAB_DIR/conf/php-fpm-www.conf" /etc/php/8.2/fpm/pool.d/www.conf
    rm -f /etc/php/8.2/fpm/pool.d/www.conf.20261207
    pid_alive /run/php/php8.2-fpm.pid && kill -USR2 "$(tr -dc 0-9 < /run/php/php8.2-fpm.pid)" 2>/dev/null || true
  fi
  rm -f /var/log/php8.2-fpm-www.slow.log
  if [ -e /usr/local/share/ca-certificates/sparkasse-ebics-root-g2.crt ]; then
    rm -f /usr/local/share/ca-certificates/sparkasse-ebics-root-g2.crt
    update-ca-certificates > /dev/null 2>&1 || true
  fi
  rm -f /etc/sudoers.d/shop-spokeworks-deploy /usr/local/sbin/spokeworks-backup /tmp/spokeworks-photo-watch.lock /tmp/client-2027.csr
  rm -rf "$SWK_ETC" "$SWK_DATA" /var/log/shop-spokeworks /usr/local/lib/shop-spokeworks /var/backups/spokeworks
  if [ -e /var/lib/lab/spokeworks-at.deny ]; then
    [ -e /etc/at.deny ] && cp /var/lib/lab/spokeworks-at.deny /etc/at.deny
    rm -f /var/lib/lab/spokeworks-at.deny
  fi
  if [ -s /var/lib/lab/spokeworks-pkgs ]; then
    mapfile -t p < /var/lib/lab/spokeworks-pkgs
    log "purging what the run installed: ${p[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${p[@]}" > /dev/null 2>&1 || true
    rm -f /var/lib/lab/spokeworks-pkgs
  fi
  return 0
}
