# alice's short morning check over ssh
cd /tmp
uptime
sudo -n tail -n 5 /var/log/deskline/ship.log
