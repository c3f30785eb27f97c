# alice: an account for Nina (support, starts Monday) with a first password she must change at login
sudo useradd -u 2031 -m -s /bin/bash -c 'Nina (support, starts 2026-12-07)' nina
echo 'nina:Welcome-Dec07!' | sudo chpasswd
sudo chage -d 0 nina
sudo passwd -S nina
history -c
