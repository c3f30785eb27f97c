# alice: the monthly account audit (the new hire's entry, any empty password, who may sudo)
sudo grep nina /etc/shadow
sudo awk -F: '$2 == "" {print $1}' /etc/shadow
getent group sudo
history -c
