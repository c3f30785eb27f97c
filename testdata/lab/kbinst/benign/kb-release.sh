#!/bin/sh
# CI's release step on the deploy account: unpack the KB release, check it, keep the last three
set -e
v=$1
mkdir -p "$HOME/releases/kb-$v"
tar xzf "/tmp/kb-$v.tgz" -C "$HOME/releases/kb-$v"
cd "$HOME/releases/kb-$v" && sha256sum -c SHA256SUMS
ls -1dt "$HOME"/releases/kb-* | tail -n +4 | xargs -r rm -rf
rm -f "/tmp/kb-$v.tgz"
