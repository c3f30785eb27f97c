/* Lab stand-in for a cryptominer (xmrig-like command line): NO mining.
 * Connects to the "pool" given with -o HOST:PORT (the lab only ever uses
 * 127.0.0.1), sends a stratum-like JSON login line, then loops: about 30%
 * of one core spent in a busy loop (resource hijacking, T1496, in small
 * measure), a "submit" line every ~5 s. Exits when the pool closes the
 * connection, on SIGTERM, or after a hard lifetime of 240 s, so it can never
 * outlive a lab run. Built by lib/shop2-setup.sh (cc -O2), never committed. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec + tv.tv_usec / 1e6;
}

int main(int argc, char **argv) {
    const char *pool = "127.0.0.1:3333", *user = "x", *pass = "x";
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "-o")) pool = argv[++i];
        else if (!strcmp(argv[i], "-u")) user = argv[++i];
        else if (!strcmp(argv[i], "-p")) pass = argv[++i];
    }
    if (strncmp(pool, "stratum+tcp://", 14) == 0) pool += 14;
    char host[64];
    snprintf(host, sizeof host, "%s", pool);
    char *colon = strchr(host, ':');
    int port = colon ? atoi(colon + 1) : 3333;
    if (colon) *colon = 0;
    if (strcmp(host, "127.0.0.1") != 0) return 2; /* loopback only, by design */

    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, host, &a.sin_addr);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) return 3;
    struct timeval to = {0, 1000};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &to, sizeof to);

    char line[512];
    int n = snprintf(line, sizeof line,
                     "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"%s\",\"pass\":\"%s\","
                     "\"agent\":\"XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0\",\"algo\":[\"rx/0\"]}}\n",
                     user, pass);
    if (write(s, line, n) != n) return 4;

    double start = now(), last = start;
    unsigned long h = 5381, id = 2;
    char buf[2048];
    while (now() - start < 240) {
        double t0 = now();
        while (now() - t0 < 0.3) h = h * 33 + (h >> 7); /* ~30% of a core */
        ssize_t r = recv(s, buf, sizeof buf, 0);
        if (r == 0) break; /* the pool closed the connection */
        usleep(700000);
        if (now() - last >= 5) {
            last = now();
            n = snprintf(line, sizeof line,
                         "{\"id\":%lu,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"lab\",\"job_id\":\"1\","
                         "\"nonce\":\"%08lx\",\"result\":\"%016lx%016lx\"}}\n",
                         id++, h & 0xffffffff, h, ~h);
            if (write(s, line, n) != n) break;
        }
    }
    close(s);
    return 0;
}
