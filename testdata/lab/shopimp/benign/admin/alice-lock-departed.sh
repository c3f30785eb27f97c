# alice: mark left the company on Friday: lock his password, expire the account, keep his files
sudo usermod -L mark
sudo chage -E0 mark
sudo chage -l mark | head -n 4
sudo passwd -S mark
