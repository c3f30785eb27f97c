/* shop-cachectl: the shop's "flush caches" helper an admin once installed
 * SUID root so the deploy hook (www-data) can reload nginx after a release.
 * It calls "nginx" through system() without a full path: the caller's PATH
 * decides which nginx runs (the planted misconfiguration). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
    if (setgid(0) != 0 || setuid(0) != 0) { perror("setuid"); return 1; }
    int rc = system("nginx -s reload");
    printf("shop-cachectl: reload %s\n", rc == 0 ? "ok" : "failed");
    return rc == 0 ? 0 : 1;
}
