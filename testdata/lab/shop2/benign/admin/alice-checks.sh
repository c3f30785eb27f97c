# alice: end-of-day checks: listeners, logins, capacity, the web server's logs
sudo ss -tlnp
last -n 10
nproc; free -m; cat /proc/loadavg; df -h /
sudo grep -c ' 500 ' /var/log/nginx/access.log
sudo grep -i error /var/log/nginx/error.log | tail -n 5
sudo grep invoice /var/log/nginx/access.log | tail -n 3
