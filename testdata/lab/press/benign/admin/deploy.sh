# alice deploys release 2026.12.1 (pushed by the CI a minute ago): pull as the
# app's account (over ssh as deploy), then hypnotoad's hot deployment
set -e
cd /tmp
sudo -n -u pressbot git -C /srv/press pull --ff-only origin main
sudo -n -u pressbot git -C /srv/press log --oneline -n 2
sudo -n -u pressbot /usr/bin/hypnotoad /srv/press/press.pl
sleep 4
curl -s -o /dev/null -w 'envelopes guide: %{http_code}\n' http://127.0.0.1:8094/help/envelopes
