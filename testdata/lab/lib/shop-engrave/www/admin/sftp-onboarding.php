<?php
// Back office: onboarding of a wholesale partner to the shop's SFTP drop
// (order files). The partner is sent the server's SSH host key fingerprints to
// check on first connect. The host keys are root's (0600), hence the sudo rule
// /etc/sudoers.d/shop-sftp-onboarding for ssh-keygen -l -f /etc/ssh/*.
if (($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== 'eg-2026-bo-7c1') { http_response_code(403); exit("forbidden\n"); }
header('Content-Type: text/plain');
$partner = preg_replace('/[^A-Za-z0-9 .&-]/', '', $_POST['partner'] ?? $_GET['partner'] ?? '');
echo "SFTP onboarding" . ($partner !== '' ? " for $partner" : '') . "\nhost: sftp.shop.lab.local port 22\n\nhost key fingerprints:\n";
foreach (array('ed25519', 'ecdsa', 'rsa') as $t) {
    echo shell_exec('sudo -n /usr/bin/ssh-keygen -l -f /etc/ssh/ssh_host_' . $t . '_key 2>&1');
}
if ($partner !== '') {
    file_put_contents('/var/lib/shop-engrave/partners.log', date('c') . " onboarding sheet for $partner\n", FILE_APPEND);
}
