# alice: a copy of the nginx config before the TLS change, as a one-off job in a minute (at)
echo 'tar czf /home/alice/nginx-conf-$(date +%F).tgz -C /etc nginx 2>/dev/null' | at now + 1 minute
atq
