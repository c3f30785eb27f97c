# shellcheck shell=bash
# Shared parts of the newsroom scenarios (scenario-benign-news,
# scenario-news-deser); sourced after lib/common.sh.

NEWS_BASE=http://127.0.0.1:8082
NEWS_ROOT=/var/www/news
NEWS_EDITOR=(-H 'X-Newsroom-Editor: sso-editor-7f3a9c')
UA_MOBILE='Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'

# root side: the news pool's workers (pm static, forked before the capture)
news_web_servers_json() {
  local w
  w=$(ps -o pid=,args= --ppid "$(tr -dc 0-9 < /run/php/php8.2-fpm.pid)" | awk '/pool news/ {print $1}' | paste -sd, -)
  [ -n "$w" ] || die "no php-fpm worker of pool news"
  printf '[{"name": "php-fpm8.2 pool news workers (uid 33 www-data, behind nginx 127.0.0.1:8082)", "pids": [%s]}]' "$w"
}

# root side: the newsroom's root cron file, for this run only
news_install_cron() { install -m 644 "$LAB_DIR/news/conf/cron.d-newsroom" /etc/cron.d/newsroom; }

news_collect_logs() {
  cut_http "$OUT/news-access.log" "${1:-/var/log/nginx/news-access.log}"
  cut_http "$OUT/news-error.log" /var/log/nginx/news-error.log
  cp "$WORK/requests.tsv" "$OUT/driver-requests.tsv"
}

# ------------------------------------------------------------------ visitor side (labremote)

# readers until $WORK/stop-visitors: front page, articles, search, the
# theme's CSS; their preferences cookie is a serialized PHP array, as the
# site set it. MODE sub: every 3rd round a newsletter sign-up (mail());
# MODE com: every 4th round a comment (stored + mail to the moderators).
news_readers() {
  local step=$1 ua=$2 mode=$3 seed=$4 i n prefs
  local ids=(election-results budget-2027 harbour-works marathon library-hours weather-storm)
  local words=(council budget ferry runners library storm schools bridges)
  prefs=$(php "$LAB_DIR/lib/news-gadget.php" prefs "$([ "$mode" = sub ] && echo dark || echo light)")
  for i in $(seq 1 300); do
    [ -e "$WORK/stop-visitors" ] && break
    n=$(( (i + seed) % 6 ))
    req "$step" GET "$NEWS_BASE/" "" "$ua" -b "nr_prefs=$prefs"
    req "$step" GET "$NEWS_BASE/themes/newsroom/style.css" "" "$ua"
    req "$step" GET "$NEWS_BASE/article.php?id=${ids[$n]}" "" "$ua" -b "nr_prefs=$prefs"
    req "$step" GET "$NEWS_BASE/search.php?q=${words[$(( (i * 3 + seed) % 8 ))]}" "" "$ua" -b "nr_prefs=$prefs"
    if [ "$mode" = sub ] && [ $((i % 3)) -eq 0 ]; then
      req "$step" POST "$NEWS_BASE/subscribe.php" "" "$ua" --data-urlencode "email=reader$((i + seed))@example.org"
    fi
    if [ "$mode" = com ] && [ $((i % 4)) -eq 1 ]; then
      req "$step" POST "$NEWS_BASE/comment.php" "" "$ua" --data-urlencode "article=${ids[$n]}" \
        --data-urlencode "text=Thanks for the update on ${ids[$n]} ($i)"
    fi
    sleep "${NEWS_READER_SLEEP:-2}"
  done
}

# the load balancer's probe every ~5 s and the uptime monitor's pseudo-cron
# hit of /cron.php every ~30 s (sitemap + session expiry through php CLI)
news_probes() {
  local step=$1 i
  for i in $(seq 1 300); do
    [ -e "$WORK/stop-visitors" ] && break
    req "$step" GET "$NEWS_BASE/health.php" "" 'kube-probe/1.29'
    if [ $((i % 6)) -eq 1 ]; then
      req "$step" GET "$NEWS_BASE/cron.php" "" 'Uptime-Kuma/1.23.11'
    fi
    sleep 5
  done
}

# the CI deploys the theme: a commit pushed over ssh as deploy, then, in the
# same session, git pull in the web root's theme checkout as www-data (sudo rule)
news_theme_deploy() {
  ssh -i ~/.ssh/ci_deploy_key deploy@127.0.0.1 'cd ~/news-theme-work && git pull -q && printf "/* build %s */\n" "$(date -u +%FT%TZ)" >> style.css && git commit -qam "theme: rebuild css" && git push -q origin main && sudo -n -u www-data git -C /var/www/news/themes/newsroom pull -q --ff-only' >> "$WORK/ci.out" 2>&1 || true
}

news_png() { # file rrggbb: a small PNG made on the visitor side
  $PY - "$1" "$2" <<'PYEOF'
import sys, zlib, struct
w, h = 640, 400
rgb = bytes(int(sys.argv[2][i:i + 2], 16) for i in (0, 2, 4))
raw = b''.join(b'\x00' + rgb * w for _ in range(h))
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
PYEOF
}

news_upload() { # STEP NAME rrggbb: an editor's picture upload (thumbnail by convert)
  news_png "$WORK/$2.png" "$3"
  req "$1" POST "$NEWS_BASE/admin/upload.php" "" "$UA_BROWSER" "${NEWS_EDITOR[@]}" -F "image=@$WORK/$2.png"
}
