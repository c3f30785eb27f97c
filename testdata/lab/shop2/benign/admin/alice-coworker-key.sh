# alice: bob (new coworker) gets the deploy account: his key into its authorized_keys
echo '@BOBKEY@' | sudo tee -a /home/deploy/.ssh/authorized_keys > /dev/null
sudo wc -l /home/deploy/.ssh/authorized_keys
