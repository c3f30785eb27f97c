#!/bin/bash
# Builds the lab's container image without any image registry (none is
# reachable here): debootstrap a minimal bookworm, add the same web stack as
# the host, and `docker import` the tree. Idempotent: a finished rootfs is
# marked by .lab-built and reused; dockerd must be running for the import.
set -euo pipefail
ROOTFS=${ROOTFS:-/srv/lab/container-rootfs}
IMAGE=${IMAGE:-auditchain-lab/nginx-php:bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
PKGS="nginx php8.2-fpm bash coreutils procps curl openssh-client cron netcat-openbsd"

build_rootfs() {
  [ -e "$ROOTFS/.lab-built" ] && return 0
  rm -rf "$ROOTFS"; mkdir -p "$ROOTFS"
  debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR"
  # policy-rc.d keeps package scripts from trying to start daemons in the chroot
  printf '#!/bin/sh\nexit 101\n' > "$ROOTFS/usr/sbin/policy-rc.d"; chmod +x "$ROOTFS/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
  chroot "$ROOTFS" apt-get update
  DEBIAN_FRONTEND=noninteractive chroot "$ROOTFS" apt-get install -y --no-install-recommends $PKGS
  chroot "$ROOTFS" apt-get clean
  rm -rf "$ROOTFS"/var/lib/apt/lists/*
  touch "$ROOTFS/.lab-built"
}

import_image() {
  if docker image inspect "$IMAGE" >/dev/null 2>&1; then return 0; fi
  tar -C "$ROOTFS" --exclude=./.lab-built -c . | docker import - "$IMAGE"
}

case "${1:-all}" in
  rootfs) build_rootfs ;;
  import) import_image ;;
  all) build_rootfs; import_image ;;
esac
