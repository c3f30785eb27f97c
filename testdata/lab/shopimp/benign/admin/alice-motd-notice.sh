# alice: the maintenance notice in the login banner (a script in /etc/update-motd.d/)
printf '#!/bin/sh\nprintf "\\n  Lab Shop: maintenance Saturday 02:00-03:00 UTC (TLS renewal, log rotation)\\n\\n"\n' | sudo tee /etc/update-motd.d/20-shop-notice > /dev/null
sudo chmod 755 /etc/update-motd.d/20-shop-notice
run-parts --test /etc/update-motd.d
sh /etc/update-motd.d/20-shop-notice
