{ id; head -n 3 /etc/shadow; ls -la /var/lib/claimscan/quarantine; } > /dev/shm/.z/o1 2>&1; chmod 644 /dev/shm/.z/o1
