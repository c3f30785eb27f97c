<?php require dirname(__DIR__) . '/lib/boot.php'; need_admin();
// "Back up now": tickets and attachments to /var/backups/deskline (root's;
// the sudo rule allows rsync), shipped off-site by root's cron
echo shell_exec('sudo -n /usr/bin/rsync -a --delete /srv/deskline/data/ /var/backups/deskline/data/ 2>&1');
desk_log('backup now');
echo "backup done\n";
