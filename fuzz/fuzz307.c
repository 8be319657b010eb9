/* fuzz307: a bounded, reproducible HTTP fuzzer for mod_redirect307.
 *
 * Sends random and mutated requests (targets, methods, versions, Host,
 * Forwarded and X-Forwarded-Proto headers) to an httpd on 127.0.0.1 over
 * keep-alive connections with pipelining, and checks every response:
 *
 *   - the server answers every request with a complete response (a
 *     connection that closes without one, a truncated response, a response
 *     that cannot be parsed or a timeout is a failure);
 *   - no 500, 502, 503 or 504;
 *   - a 307 carries exactly one Location;
 *   - every Location is absolute, its scheme and host (and port) are ones
 *     the configuration names (-a FILE) or the server's own for the port
 *     (-p), it has no byte outside 0x21-0x7e, no '%' that starts no escape,
 *     no userinfo and at most one '#'.
 *
 * Request number i is made from (seed, i) alone, so any request can be sent
 * again on its own: fuzz307 ... -s SEED -o i -v.
 *
 *   fuzz307 -p NAME=PORT:MODE:ORIGIN ... -a origins.txt -D dict.txt
 *           [-n COUNT] [-s SEED] [-T SECONDS] [-w WORKERS] [-d DEPTH]
 *           [-F MAXFAIL] [-o INDEX [-v]]
 *
 * MODE of a port says which origin a Location built from a path target may
 * have there:
 *   canon   exactly ORIGIN (UseCanonicalName On)
 *   host    the host (and port) the client sent in Host or in an
 *           absolute-form target, or ORIGIN (UseCanonicalName Off)
 *   proxy   ORIGIN's host with scheme http or https and any port (behind
 *           Redirect307TrustedProxy, Forwarded/X-Forwarded-Proto and the
 *           port of Host apply)
 *
 * Exit status: 0 when every response passed, 1 on failures, 2 on usage
 * errors.  Only 127.0.0.1 is ever contacted.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS     8
#define MAX_ORIGINS   256
#define MAX_DICT      1024
#define MAX_WORKERS   16
#define MAX_DEPTH     64
#define MAX_HOSTS     4
#define IO_TIMEOUT    20        /* seconds without progress on a response */
#define HEAD_LIMIT    (1024 * 1024)

/* ------------------------------------------------------------------------
 * Small utilities
 */

typedef struct {
    char *p;
    size_t len, cap;
} buf_t;

static void die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("fuzz307: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void b_grow(buf_t *b, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;

        while (b->len + n + 1 > cap) {
            cap *= 2;
        }
        b->p = realloc(b->p, cap);
        if (!b->p) {
            die("out of memory");
        }
        b->cap = cap;
    }
}

static void b_add(buf_t *b, const void *s, size_t n)
{
    b_grow(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void b_str(buf_t *b, const char *s)
{
    b_add(b, s, strlen(s));
}

static void b_chr(buf_t *b, int c)
{
    char ch = (char)c;

    b_add(b, &ch, 1);
}

static void b_fmt(buf_t *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0) {
        b_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
    }
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Printable form of bytes for reports: \r \n \xNN, at most max bytes. */
static void escape_for_report(FILE *f, const char *s, size_t len, size_t max)
{
    size_t i;

    for (i = 0; i < len && i < max; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '\r') {
            fputs("\\r", f);
        }
        else if (c == '\n') {
            fputs("\\n\n    ", f);
        }
        else if (c == '\\') {
            fputs("\\\\", f);
        }
        else if (c < 0x20 || c > 0x7e) {
            fprintf(f, "\\x%02x", c);
        }
        else {
            fputc(c, f);
        }
    }
    if (len > max) {
        fprintf(f, "... (%zu bytes in all)", len);
    }
    fputc('\n', f);
}

/* ------------------------------------------------------------------------
 * Random numbers: splitmix64, one generator per request
 */

typedef struct {
    uint64_t s;
} rng_t;

static uint64_t rng_next(rng_t *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static unsigned rnd(rng_t *r, unsigned n)
{
    return n ? (unsigned)(rng_next(r) % n) : 0;
}

static int chance(rng_t *r, unsigned percent)
{
    return rnd(r, 100) < percent;
}

static const char *pick(rng_t *r, const char *const *list, size_t n)
{
    return list[rnd(r, (unsigned)n)];
}

#define PICK(r, list) pick((r), (list), sizeof(list) / sizeof(list[0]))

/* ------------------------------------------------------------------------
 * Configuration: ports, allowed origins, dictionary
 */

enum { MODE_CANON, MODE_HOST, MODE_PROXY };

typedef struct {
    char scheme[16];
    char host[1024];
    int port;                   /* explicit or the scheme's default */
} origin_t;

typedef struct {
    char name[32];
    int port;
    int mode;
    origin_t own;
    char own_text[300];
} port_t;

static port_t ports[MAX_PORTS];
static int nports;
static origin_t allowed[MAX_ORIGINS];
static int nallowed;
static char *dict[MAX_DICT];
static int ndict;

static int default_port(const char *scheme)
{
    if (!strcasecmp(scheme, "https")) {
        return 443;
    }
    if (!strcasecmp(scheme, "http")) {
        return 80;
    }
    return -1;
}

/* Lower-cases a host, drops IPv6 brackets and trailing dots. */
static void norm_host(char *h)
{
    size_t n;
    char *s;

    for (s = h; *s; s++) {
        *s = (char)tolower((unsigned char)*s);
    }
    n = strlen(h);
    if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
        memmove(h, h + 1, n - 2);
        h[n - 2] = '\0';
        n -= 2;
    }
    while (n > 1 && h[n - 1] == '.') {
        h[--n] = '\0';
    }
}

/* "host[:port]" into host and port (-1: none).  0 when malformed. */
static int split_authority(const char *a, size_t len, char *host,
                           size_t hostsz, int *port)
{
    const char *colon = NULL;
    size_t hlen;

    *port = -1;
    if (len && a[0] == '[') {
        const char *end = memchr(a, ']', len);

        if (!end) {
            return 0;
        }
        if ((size_t)(end + 1 - a) < len) {
            if (end[1] != ':') {
                return 0;
            }
            colon = end + 1;
        }
    }
    else {
        colon = memrchr(a, ':', len);
    }
    hlen = colon ? (size_t)(colon - a) : len;
    if (hlen == 0 || hlen >= hostsz) {
        return 0;
    }
    memcpy(host, a, hlen);
    host[hlen] = '\0';
    if (colon) {
        const char *p = colon + 1, *end = a + len;
        long v = 0;

        if (p == end) {
            return 1;           /* "host:" -- no port */
        }
        for (; p < end; p++) {
            if (!isdigit((unsigned char)*p) || v > 100000) {
                return 0;
            }
            v = v * 10 + (*p - '0');
        }
        *port = (int)v;
    }
    return 1;
}

/* "scheme://authority..." into o; returns the length of "scheme://authority"
 * or 0 when s is not an absolute URL with a host. */
static size_t parse_origin(const char *s, size_t len, origin_t *o,
                           const char **why)
{
    size_t i = 0, a;

    *why = "not an absolute URL";
    if (!len || !isalpha((unsigned char)s[0])) {
        return 0;
    }
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '+'
                       || s[i] == '-' || s[i] == '.')) {
        i++;
    }
    if (i >= sizeof(o->scheme) || len - i < 3 || memcmp(s + i, "://", 3)) {
        return 0;
    }
    memcpy(o->scheme, s, i);
    o->scheme[i] = '\0';
    for (a = i + 3; a < len && s[a] != '/' && s[a] != '?' && s[a] != '#';
         a++);
    if (a == i + 3) {
        *why = "no host";
        return 0;
    }
    if (memchr(s + i + 3, '@', a - i - 3)) {
        *why = "userinfo in the authority";
        return 0;
    }
    if (!split_authority(s + i + 3, a - i - 3, o->host, sizeof(o->host),
                         &o->port)) {
        *why = "malformed authority";
        return 0;
    }
    norm_host(o->host);
    for (i = 0; o->scheme[i]; i++) {
        o->scheme[i] = (char)tolower((unsigned char)o->scheme[i]);
    }
    if (o->port < 0) {
        o->port = default_port(o->scheme);
    }
    return a;
}

static int origin_eq(const origin_t *a, const origin_t *b)
{
    return !strcmp(a->scheme, b->scheme) && !strcmp(a->host, b->host)
        && a->port == b->port;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    buf_t b = { 0 };
    char tmp[4096];
    size_t n;

    if (!f) {
        die("cannot read %s: %s", path, strerror(errno));
    }
    while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
        b_add(&b, tmp, n);
    }
    fclose(f);
    if (!b.p) {
        b_str(&b, "");
    }
    return b.p;
}

static void load_allowed(const char *path)
{
    char *text = read_file(path), *line, *save = NULL;

    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        const char *why;

        while (isspace((unsigned char)*line)) {
            line++;
        }
        if (!*line || *line == '#') {
            continue;
        }
        if (nallowed == MAX_ORIGINS) {
            die("%s: more than %d origins", path, MAX_ORIGINS);
        }
        if (!parse_origin(line, strcspn(line, " \t\r"), &allowed[nallowed],
                          &why)) {
            die("%s: '%s': %s", path, line, why);
        }
        nallowed++;
    }
}

static void load_dict(const char *path)
{
    char *text = read_file(path), *line, *save = NULL;

    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (!*line || *line == '#') {
            continue;
        }
        if (ndict == MAX_DICT) {
            die("%s: more than %d words", path, MAX_DICT);
        }
        dict[ndict++] = line;
    }
}

/* NAME=PORT:MODE:ORIGIN */
static void add_port(const char *spec)
{
    port_t *p;
    const char *eq = strchr(spec, '='), *c1, *c2, *why;
    char mode[16];

    if (nports == MAX_PORTS) {
        die("too many -p");
    }
    p = &ports[nports];
    c1 = eq ? strchr(eq + 1, ':') : NULL;
    c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!eq || !c1 || !c2 || (size_t)(eq - spec) >= sizeof(p->name)
        || (size_t)(c2 - c1 - 1) >= sizeof(mode)) {
        die("-p %s: expected NAME=PORT:MODE:ORIGIN", spec);
    }
    memcpy(p->name, spec, eq - spec);
    p->port = atoi(eq + 1);
    memcpy(mode, c1 + 1, c2 - c1 - 1);
    mode[c2 - c1 - 1] = '\0';
    if (!strcmp(mode, "canon")) {
        p->mode = MODE_CANON;
    }
    else if (!strcmp(mode, "host")) {
        p->mode = MODE_HOST;
    }
    else if (!strcmp(mode, "proxy")) {
        p->mode = MODE_PROXY;
    }
    else {
        die("-p %s: MODE is canon, host or proxy", spec);
    }
    if (p->port <= 0 || p->port > 65535) {
        die("-p %s: bad port", spec);
    }
    snprintf(p->own_text, sizeof(p->own_text), "%s", c2 + 1);
    if (!parse_origin(p->own_text, strlen(p->own_text), &p->own, &why)) {
        die("-p %s: ORIGIN: %s", spec, why);
    }
    nports++;
}

/* ------------------------------------------------------------------------
 * Request generation
 */

typedef struct {
    uint64_t idx;
    int port;                   /* index into ports[] */
    int solo;                   /* framing may break: own connection */
    int head;                   /* HEAD: the response has no body */
    int retried;
    char hosts[MAX_HOSTS][1024];        /* hosts the client named */
    int nhosts;
    buf_t data;
} req_t;

static const char *const interesting[] = {
    "%00", "%0D", "%0A", "%0d%0a", "%0D%0ALocation:%20http://evil.example/",
    "%3F", "%3f", "%23", "%2F", "%2f", "%5C", "%5c", "%25", "%2525", "%20",
    "%09", "%7F", "%FF", "%ff", "%80", "%C0%AF", "%c0%ae", "%E0%80%AF",
    "%C0%80", "%ED%A0%80", "%F4%90%80%80", "%F8%88%80%80%80", "%FE%FF",
    "%C3%A9", "%C3", "%E2%82", "%u002F", "%", "%%", "%2", "%G1", "%-1",
    "%2e", "%2E%2E", "%2e%2e%2f", "..%2f", "%26", "%3D", "%2B", "+", "$1",
    "$0", "\\$", "\\", "{", "}", "|", "^", "`", "<", ">", "\"", "'", ";",
    ",", "@", ":", "~", "!", "*", "(", ")", "[", "]", "&", "=", "?", "??",
    "#", "%{REQUEST_URI}", "%{", "}}", "//evil.example", "http://evil.example",
    "\xc3\xa9", "\xff", "\x80", "\xc0\xaf", "\xed\xa0\x80", "\xef\xbb\xbf",
    "\x7f", "\x01", "\x1b[31m", "\t", "\x0b", "\x0c",
};

/* What httpd lets through to the module in its default (Strict) mode:
 * valid escapes, no controls, no '#' or space. */
static const char *const interesting_mild[] = {
    "%0D", "%0A", "%0d%0a", "%0D%0ALocation:%20http://evil.example/",
    "%3F", "%3f", "%23", "%2F", "%5C", "%25", "%2525", "%20", "%09", "%7F",
    "%FF", "%80", "%C0%AF", "%E0%80%AF", "%ED%A0%80", "%C3%A9", "%C3",
    "%2e", "%2E%2E", "%26", "%3D", "%2B", "+", "$1", "$0", "\\", "{", "}",
    "|", "^", "`", "<", ">", "\"", "'", ";", ",", "@", ":", "~", "!", "*",
    "(", ")", "[", "]", "&", "=", "//evil.example", "http://evil.example",
    "\xc3\xa9", "\xff", "\x80", "\xc0\xaf", "\xef\xbb\xbf",
};

static const char *const dotsegs[] = {
    ".", "..", "...", "%2e", "%2E%2e", ".%2e", "%2e.", "./", "../", "..;",
    ".\\", "..\\", "%2e%2e%5c",
};

static const char *const hostnames[] = {
    "localhost", "evil.example", "EVIL.Example.", "evil.example:8443",
    "[::1]", "[::1]:8080", "a..b", "-x-", "x_y.example", "%65vil.example",
    "evil.example:", ":80", "user@evil.example", "evil.example/path",
    "evil.example?x", "evil.example#x", "evil.example\\x", "evil .example",
    "", "1.2.3.4:0", "xn--caf-dma.example", "\xc3\xa9.example",
    "127.0.0.1:99999", "evil.example:80", "Evil.Example:443",
    "127.0.0.1", "evil.example:00081", "[::ffff:1.2.3.4]", "[evil]",
    "evil.example, other.example", "ev\x01il.example", "evil.example.:81",
    "re.example", "pre.example",
};

static const char *const methods[] = {
    "GET", "GET", "GET", "GET", "GET", "GET", "GET", "GET", "HEAD", "HEAD",
    "POST", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND", "TRACE",
    "get", "Get", "G@T", "GET/", "M-SEARCH", "BREW", "X",
    "AVERYLONGMETHODNAMEAVERYLONGMETHODNAMEAVERYLONGMETHODNAME",
};

static const char *const protos[] = {
    "https", "http", "HTTPS", "Http", "\"https\"", "\"http\"", "ftp",
    "javascript", "https ", " https", "https\t", "", "https, http",
    "http, https", "h\xc3\xa9", "ws", "\"https",
};

static const char *const words[] = {
    "a", "b", "x", "index.html", "old", "new", "fz", "pre", "re", "deep",
    "map", "gen", "1", "0", "-", "_", "x.old", "d", "sub", "ht", "hm", "hp",
};

/* any: 0 printable ASCII, 1 any byte but NUL, 2 printable ASCII and
 * bytes above 0x7e without '%' and '#' (what Strict httpd lets through). */
static void gen_random_bytes(rng_t *r, buf_t *b, unsigned n, int any)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        int c;

        if (any == 2) {
            do {
                c = chance(r, 85) ? 0x21 + rnd(r, 0x7f - 0x21)
                    : 0x80 + rnd(r, 128);
            } while (c == '%' || c == '#');
        }
        else if (any) {
            /* mostly bytes above 0x7e; now and then a control */
            c = chance(r, 80) ? 0x80 + rnd(r, 128) : 1 + rnd(r, 255);
        }
        else {
            c = 0x21 + rnd(r, 0x7f - 0x21);
        }
        b_chr(b, c);
    }
}

/* One path segment (without its leading '/').  A mild one has only what
 * httpd's Strict parsing lets through. */
static void gen_segment(rng_t *r, buf_t *b, int mild)
{
    unsigned k = rnd(r, 100), i, n;

    if (k < 30) {
        b_str(b, PICK(r, words));
    }
    else if (k < 45) {
        n = 1 + rnd(r, 4);
        for (i = 0; i < n; i++) {
            b_str(b, mild ? PICK(r, interesting_mild) : PICK(r, interesting));
            if (chance(r, 50)) {
                b_str(b, PICK(r, words));
            }
        }
    }
    else if (k < 55) {
        b_str(b, mild ? "." : PICK(r, dotsegs));
    }
    else if (k < 72) {
        gen_random_bytes(r, b, 1 + rnd(r, 12), mild ? 2 : 0);
    }
    else if (k < 80) {
        gen_random_bytes(r, b, 1 + rnd(r, 8), mild ? 2 : 1);
    }
    else if (k < 85) {
        /* very long segment: under and over LimitRequestLine (8190) */
        n = chance(r, 70) ? 200 + rnd(r, 3000) : 7000 + rnd(r, 4000);
        if (chance(r, 50)) {
            for (i = 0; i < n; i++) {
                b_chr(b, 'a' + (i % 26));
            }
        }
        else {
            const char *piece = mild ? PICK(r, interesting_mild)
                : PICK(r, interesting);

            while (n > 0) {
                size_t len = strlen(piece);

                b_str(b, piece);
                n = n > len ? n - (unsigned)len : 0;
            }
        }
    }
    else if (k < 92) {
        /* a dictionary path glued in */
        b_str(b, dict[rnd(r, ndict)] + 1);
    }
    /* else: empty segment (a slash run) */
}

/* The query string (without '?'). */
static void gen_query(rng_t *r, buf_t *b, int mild)
{
    unsigned n = 1 + rnd(r, 5), i;

    for (i = 0; i < n; i++) {
        unsigned k = rnd(r, 10);

        if (i) {
            b_chr(b, chance(r, 80) ? '&' : ';');
        }
        if (k < 4) {
            b_str(b, PICK(r, words));
            b_chr(b, '=');
            b_str(b, PICK(r, words));
        }
        else if (k < 6) {
            b_str(b, mild ? PICK(r, interesting_mild) : PICK(r, interesting));
        }
        else if (k < 8) {
            /* the query is not decoded: a stray '%' is fine here */
            gen_random_bytes(r, b, 1 + rnd(r, 16), mild ? 0 : chance(r, 30));
        }
        else if (k < 9) {
            b_str(b, "go");
        }
        else {
            unsigned len = 100 + rnd(r, 6000);

            while (len--) {
                b_chr(b, 'q');
            }
        }
    }
}

static void gen_host_value(rng_t *r, req_t *q, buf_t *b, int mild)
{
    const port_t *p = &ports[q->port];
    unsigned k = mild ? rnd(r, 78) : rnd(r, 100);

    if (k < 70) {
        b_fmt(b, "127.0.0.1:%d", p->port);
    }
    else if (k < 78) {
        b_fmt(b, "%s", p->own.host);
        if (chance(r, 50)) {
            b_fmt(b, ":%d", p->port);
        }
    }
    else if (k < 95) {
        b_str(b, PICK(r, hostnames));
    }
    else {
        unsigned n = 1 + rnd(r, 300);

        while (n--) {
            b_chr(b, chance(r, 90) ? 'h' : '.');
        }
    }
}

static void note_host(req_t *q, const char *s, size_t len)
{
    if (q->nhosts < MAX_HOSTS && len < sizeof(q->hosts[0])) {
        memcpy(q->hosts[q->nhosts], s, len);
        q->hosts[q->nhosts][len] = '\0';
        q->nhosts++;
    }
}

static void gen_request(uint64_t seed, uint64_t idx, req_t *q)
{
    rng_t rs = { seed ^ (idx * 0xd1342543de82ef95ULL) }, *r = &rs;
    buf_t target = { 0 }, host = { 0 };
    const char *method, *version;
    int hosts = 1, i, body = 0, mild;
    unsigned k;

    rng_next(r);
    q->idx = idx;
    q->solo = 0;
    q->retried = 0;
    q->nhosts = 0;
    q->data.len = 0;
    k = rnd(r, 100);
    q->port = (nports == 1) ? 0 : (k < 55) ? 0 : 1 + (int)rnd(r, nports - 1);
    /* half the requests are mild: they get past httpd's own checks and
     * reach the module; the other half test httpd and the module together
     * with anything */
    mild = chance(r, 50);

    /* request target */
    k = rnd(r, 100);
    if (k < 3) {
        b_str(&target, "*");
    }
    else if (k < 6) {
        /* not starting with '/' */
        b_str(&target, dict[rnd(r, ndict)] + 1);
        if (chance(r, 50)) {
            b_str(&target, PICK(r, interesting));
        }
    }
    else {
        if (k < 12) {
            /* absolute-form */
            b_str(&target, chance(r, 80) ? "http://" : PICK(r, protos));
            if (chance(r, 70)) {
                b_str(&target, "://");
            }
            {
                size_t start = target.len;
                buf_t noted = { 0 };

                if (chance(r, 50)) {
                    b_fmt(&target, "127.0.0.1:%d", ports[q->port].port);
                }
                else {
                    b_str(&target, PICK(r, hostnames));
                }
                b_str(&noted, "//");
                b_add(&noted, target.p + start, target.len - start);
                note_host(q, noted.p, noted.len);
                free(noted.p);
            }
        }
        b_str(&target, dict[rnd(r, ndict)]);
        for (i = (int)rnd(r, 6); i > 0; i--) {
            unsigned sep = rnd(r, 20);

            if (sep < 14) {
                b_chr(&target, '/');
            }
            else if (sep < 17) {
                b_str(&target, chance(r, 50) ? "//" : "///");
            }
            else if (sep < 18) {
                b_str(&target, "%2F");
            }
            else if (sep < 19) {
                b_chr(&target, '\\');
            }
            gen_segment(r, &target, mild);
        }
        if (chance(r, 35)) {
            b_chr(&target, '?');
            gen_query(r, &target, mild);
        }
        if (!mild && chance(r, 4)) {
            b_chr(&target, '#');
            gen_random_bytes(r, &target, rnd(r, 10), 0);
        }
        if (!mild && chance(r, 6)) {
            /* bytes that break the request line */
            static const char *const breakers[] = {
                "\r\n", "\n", "\r", " ", "\t", "\0", " HTTP/1.1\r\nX: y",
                "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
            };
            const char *brk = PICK(r, breakers);
            size_t at = rnd(r, (unsigned)target.len + 1);
            buf_t t2 = { 0 };

            b_add(&t2, target.p, at);
            /* "\0" is a string of length 0: insert a real NUL */
            if (!*brk) {
                b_chr(&t2, 0);
            }
            else {
                b_str(&t2, brk);
            }
            b_add(&t2, target.p + at, target.len - at);
            free(target.p);
            target = t2;
        }
    }
    for (i = 0; i < (int)target.len; i++) {
        unsigned char c = (unsigned char)target.p[i];

        if (c == '\r' || c == '\n' || c == 0) {
            q->solo = 1;
        }
    }

    /* request line */
    /* methods[0..17] are valid tokens */
    method = mild ? methods[rnd(r, 18)] : PICK(r, methods);
    if (chance(r, 1)) {
        method = "CONNECT";
    }
    k = mild ? 0 : rnd(r, 100);
    version = k < 86 ? "HTTP/1.1" : k < 93 ? "HTTP/1.0"
        : PICK(r, ((const char *const[]) {
            "HTTP/1.2", "HTTP/2.0", "http/1.1", "HTTP/1.10", "HTTP/01.1",
            "HTTP/1.1 ", "HTTP/3", "", "HTTP/1", "HTTPS/1.1"}));
    if (!*version) {
        q->solo = 1;            /* HTTP/0.9 style: no headers follow */
    }
    q->head = !strcmp(method, "HEAD");
    b_str(&q->data, method);
    b_chr(&q->data, ' ');
    b_add(&q->data, target.p ? target.p : "", target.len);
    if (*version) {
        b_chr(&q->data, ' ');
        b_str(&q->data, version);
    }
    b_str(&q->data, "\r\n");

    /* Host */
    k = mild ? 99 : rnd(r, 100);
    if (k < 6) {
        hosts = 0;
    }
    else if (k < 16) {
        hosts = 2;
    }
    for (i = 0; i < hosts; i++) {
        host.len = 0;
        gen_host_value(r, q, &host, mild);
        note_host(q, host.p, host.len);
        k = mild ? 0 : rnd(r, 100);
        k = k < 88 ? 0 : k;
        b_str(&q->data, k < 88 ? "Host: " : k < 91 ? "host:" : k < 93
              ? "HOST:   " : k < 95 ? "Host :" : k < 97 ? "Host:\t"
              : "Host: x\r\n ");
        b_add(&q->data, host.p, host.len);
        b_str(&q->data, "\r\n");
        if (memchr(host.p, '\r', host.len) || memchr(host.p, '\n', host.len)) {
            q->solo = 1;
        }
    }

    /* proxy headers */
    if (chance(r, 25)) {
        b_str(&q->data, "Forwarded: ");
        for (i = (int)rnd(r, 3); i >= 0; i--) {
            k = rnd(r, 5);
            if (k == 0) {
                b_str(&q->data, "for=192.0.2.1;");
            }
            b_str(&q->data, chance(r, 80) ? "proto=" : "Proto=");
            b_str(&q->data, PICK(r, protos));
            if (k == 1) {
                b_str(&q->data, ";by=x");
            }
            if (i) {
                b_str(&q->data, chance(r, 50) ? ", " : ",");
            }
        }
        b_str(&q->data, "\r\n");
    }
    if (chance(r, 25)) {
        b_str(&q->data, "X-Forwarded-Proto: ");
        b_str(&q->data, PICK(r, protos));
        b_str(&q->data, "\r\n");
        if (chance(r, 20)) {
            b_str(&q->data, "X-Forwarded-Proto: https\r\n");
        }
    }
    if (chance(r, 10)) {
        b_str(&q->data, "X-Forwarded-Host: ");
        b_str(&q->data, PICK(r, hostnames));
        b_str(&q->data, "\r\n");
    }

    /* other headers */
    for (i = (int)rnd(r, 3); i > 0; i--) {
        k = rnd(r, 6);
        if (k == 0) {
            b_str(&q->data, "X-Random: ");
            gen_random_bytes(r, &q->data, rnd(r, 40), 0);
        }
        else if (k == 1) {
            b_str(&q->data, "X-High: ");
            gen_random_bytes(r, &q->data, 1 + rnd(r, 20), 0);
            b_str(&q->data, "\xc3\xa9\xff\x80");
        }
        else if (k == 2) {
            unsigned n = 100 + rnd(r, 9000);

            b_str(&q->data, "Cookie: ");
            while (n--) {
                b_chr(&q->data, 'c');
            }
        }
        else if (k == 3) {
            b_str(&q->data, "Accept: */*");
        }
        else if (k == 4) {
            b_str(&q->data, "Referer: ");
            b_str(&q->data, PICK(r, interesting));
        }
        else {
            b_str(&q->data, "X-Empty:");
        }
        b_str(&q->data, "\r\n");
    }
    if (!strcmp(method, "POST") || !strcmp(method, "PUT")) {
        body = (int)rnd(r, 64);
        b_fmt(&q->data, "Content-Length: %d\r\n", body);
    }
    if (!strcmp(version, "HTTP/1.0") && chance(r, 50)) {
        b_str(&q->data, "Connection: keep-alive\r\n");
    }
    else if (chance(r, 2)) {
        b_str(&q->data, "Connection: close\r\n");
    }
    b_str(&q->data, "\r\n");
    while (body-- > 0) {
        b_chr(&q->data, 'a' + rnd(r, 26));
    }
    free(target.p);
    free(host.p);
}

/* ------------------------------------------------------------------------
 * Statistics shared between the workers and the parent
 */

typedef struct {
    uint64_t requests;          /* answered and checked */
    uint64_t status[600];
    uint64_t location307;
    uint64_t connections;
    uint64_t solo;
    uint64_t retries;
    uint64_t failures;
    uint64_t bytes_out, bytes_in;
    int done;
} stats_t;

static stats_t *shared;         /* [workers], in shared memory */
static volatile uint64_t *failures_total;
static uint64_t seed_g;
static int max_failures = 10;
static int verbose;

/* ------------------------------------------------------------------------
 * Connections and responses
 */

typedef struct {
    int fd;
    char *buf;
    size_t start, end, cap;
    uint64_t served;            /* responses on this connection */
} conn_t;

typedef struct {
    int status;
    int close;                  /* the connection ends after it */
    int nlocation;
    char location[256 * 1024];
    size_t location_len;
    int location_truncated;
    buf_t head;
} resp_t;

enum { RD_OK, RD_EOF, RD_BROKEN, RD_TIMEOUT, RD_BAD };

static int connect_port(int port)
{
    struct sockaddr_in sa;
    struct timeval tv = { IO_TIMEOUT, 0 };
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    if (fd < 0) {
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void conn_close(conn_t *c)
{
    if (c->fd >= 0) {
        close(c->fd);
    }
    c->fd = -1;
    c->start = c->end = 0;
    c->served = 0;
}

/* More bytes into the buffer: 1, 0 at EOF, -1 on error, -2 on timeout. */
static int conn_fill(conn_t *c)
{
    ssize_t n;

    if (c->start > 0 && c->start == c->end) {
        c->start = c->end = 0;
    }
    if (c->end == c->cap) {
        if (c->start > 0) {
            memmove(c->buf, c->buf + c->start, c->end - c->start);
            c->end -= c->start;
            c->start = 0;
        }
        else {
            c->cap = c->cap ? c->cap * 2 : 65536;
            c->buf = realloc(c->buf, c->cap);
            if (!c->buf) {
                die("out of memory");
            }
        }
    }
    do {
        n = read(c->fd, c->buf + c->end, c->cap - c->end);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        c->end += (size_t)n;
        return 1;
    }
    if (n == 0) {
        return 0;
    }
    return (errno == EAGAIN || errno == EWOULDBLOCK) ? -2 : -1;
}

/* A line ending in LF (CR stripped) from the buffer, reading as needed. */
static int conn_line(conn_t *c, char **line, size_t *len, int *got_any)
{
    for (;;) {
        char *nl = memchr(c->buf + c->start, '\n', c->end - c->start);

        if (nl) {
            *line = c->buf + c->start;
            *len = (size_t)(nl - *line);
            c->start = (size_t)(nl + 1 - c->buf);
            if (*len && (*line)[*len - 1] == '\r') {
                (*len)--;
            }
            *got_any = 1;
            return RD_OK;
        }
        if (c->end - c->start > HEAD_LIMIT) {
            return RD_BAD;
        }
        {
            int rc = conn_fill(c);

            if (rc == 0) {
                return (c->end > c->start || *got_any) ? RD_BROKEN : RD_EOF;
            }
            if (rc == -2) {
                return RD_TIMEOUT;
            }
            if (rc < 0) {
                return (c->end > c->start || *got_any) ? RD_BROKEN : RD_EOF;
            }
        }
    }
}

static int conn_skip(conn_t *c, size_t n)
{
    while (n > 0) {
        size_t have = c->end - c->start;

        if (have == 0) {
            int rc = conn_fill(c);

            if (rc == -2) {
                return RD_TIMEOUT;
            }
            if (rc <= 0) {
                return RD_BROKEN;
            }
            continue;
        }
        if (have > n) {
            have = n;
        }
        c->start += have;
        n -= have;
    }
    return RD_OK;
}

static int has_token(const char *v, size_t len, const char *token)
{
    size_t tl = strlen(token), i;

    for (i = 0; i + tl <= len; i++) {
        if (!strncasecmp(v + i, token, tl)
            && (i == 0 || v[i - 1] == ',' || v[i - 1] == ' ')
            && (i + tl == len || v[i + tl] == ',' || v[i + tl] == ' ')) {
            return 1;
        }
    }
    return 0;
}

/* Reads one response (skipping 1xx ones). */
static int read_response(conn_t *c, int head_request, resp_t *rs,
                         const char **why)
{
    char *line;
    size_t len;
    int got_any = 0, rc;

  again:
    rs->status = 0;
    rs->close = 0;
    rs->nlocation = 0;
    rs->location_len = 0;
    rs->location_truncated = 0;
    rs->head.len = 0;
    {
        long clen = -1;
        int chunked = 0, http10 = 0, keepalive = 0;

        rc = conn_line(c, &line, &len, &got_any);
        if (rc != RD_OK) {
            *why = rc == RD_EOF ? "connection closed without a response"
                : rc == RD_TIMEOUT ? "no response (timeout)"
                : rc == RD_BAD ? "status line too long"
                : "connection closed in the status line";
            return rc;
        }
        b_add(&rs->head, line, len);
        b_str(&rs->head, "\n");
        if (len < 12 || strncmp(line, "HTTP/1.", 7) || line[8] != ' '
            || !isdigit((unsigned char)line[9])
            || !isdigit((unsigned char)line[10])
            || !isdigit((unsigned char)line[11])) {
            *why = "malformed status line";
            return RD_BAD;
        }
        http10 = (line[7] == '0');
        rs->status = (line[9] - '0') * 100 + (line[10] - '0') * 10
            + (line[11] - '0');
        for (;;) {
            char *colon;

            rc = conn_line(c, &line, &len, &got_any);
            if (rc != RD_OK) {
                *why = rc == RD_TIMEOUT ? "timeout in the response headers"
                    : rc == RD_BAD ? "response headers too long"
                    : "connection closed in the response headers";
                return rc == RD_EOF ? RD_BROKEN : rc;
            }
            if (len == 0) {
                break;
            }
            if (rs->head.len < 8192) {
                b_add(&rs->head, line, len);
                b_str(&rs->head, "\n");
            }
            colon = memchr(line, ':', len);
            if (!colon) {
                *why = "response header line without ':'";
                return RD_BAD;
            }
            {
                size_t nlen = (size_t)(colon - line);
                char *v = colon + 1;
                size_t vlen = len - nlen - 1;

                while (vlen && (*v == ' ' || *v == '\t')) {
                    v++;
                    vlen--;
                }
                while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) {
                    vlen--;
                }
                if (nlen == 8 && !strncasecmp(line, "Location", 8)) {
                    rs->nlocation++;
                    if (rs->nlocation == 1) {
                        size_t keep = vlen < sizeof(rs->location) - 1
                            ? vlen : sizeof(rs->location) - 1;

                        memcpy(rs->location, v, keep);
                        rs->location[keep] = '\0';
                        rs->location_len = keep;
                        rs->location_truncated = (keep < vlen);
                    }
                }
                else if (nlen == 14 && !strncasecmp(line, "Content-Length", 14)) {
                    clen = strtol(v, NULL, 10);
                }
                else if (nlen == 17
                         && !strncasecmp(line, "Transfer-Encoding", 17)) {
                    chunked = has_token(v, vlen, "chunked");
                }
                else if (nlen == 10 && !strncasecmp(line, "Connection", 10)) {
                    if (has_token(v, vlen, "close")) {
                        rs->close = 1;
                    }
                    if (has_token(v, vlen, "keep-alive")) {
                        keepalive = 1;
                    }
                }
            }
        }
        if (http10 && !keepalive) {
            rs->close = 1;
        }
        if (rs->status >= 100 && rs->status < 200) {
            goto again;
        }
        if (head_request || rs->status == 204 || rs->status == 304) {
            return RD_OK;
        }
        if (chunked) {
            for (;;) {
                long size;

                rc = conn_line(c, &line, &len, &got_any);
                if (rc != RD_OK) {
                    *why = "connection closed in a chunked body";
                    return rc == RD_EOF ? RD_BROKEN : rc;
                }
                size = strtol(line, NULL, 16);
                if (size < 0) {
                    *why = "bad chunk size";
                    return RD_BAD;
                }
                if (size == 0) {
                    /* trailers up to the empty line */
                    do {
                        rc = conn_line(c, &line, &len, &got_any);
                        if (rc != RD_OK) {
                            *why = "connection closed in the trailers";
                            return rc == RD_EOF ? RD_BROKEN : rc;
                        }
                    } while (len);
                    return RD_OK;
                }
                if ((rc = conn_skip(c, (size_t)size)) != RD_OK
                    || (rc = conn_line(c, &line, &len, &got_any)) != RD_OK) {
                    *why = "connection closed in a chunk";
                    return rc == RD_EOF ? RD_BROKEN : rc;
                }
            }
        }
        if (clen >= 0) {
            if ((rc = conn_skip(c, (size_t)clen)) != RD_OK) {
                *why = "connection closed in the body";
                return rc;
            }
            return RD_OK;
        }
        /* delimited by the end of the connection */
        for (;;) {
            c->start = c->end;
            rc = conn_fill(c);
            if (rc == 0 || rc == -1) {
                rs->close = 1;
                return RD_OK;
            }
            if (rc == -2) {
                *why = "timeout in a close-delimited body";
                return RD_TIMEOUT;
            }
        }
    }
}

/* ------------------------------------------------------------------------
 * Checks
 */

static int is_hex(int c)
{
    return isxdigit((unsigned char)c);
}

static int own_origin_ok(const req_t *q, const origin_t *o)
{
    const port_t *p = &ports[q->port];
    int i;

    switch (p->mode) {
    case MODE_CANON:
        return origin_eq(o, &p->own);
    case MODE_PROXY:
        return (!strcmp(o->scheme, "http") || !strcmp(o->scheme, "https"))
            && !strcmp(o->host, p->own.host);
    default:
        /* the host: one the client sent, or the server's name; the port:
         * one the client sent, the server's, or the scheme's default */
        if (strcmp(o->scheme, p->own.scheme)) {
            return 0;
        }
        {
            int host_ok = !strcmp(o->host, p->own.host);
            int port_ok = o->port == p->own.port || o->port == p->port
                || o->port == default_port(o->scheme);

            for (i = 0; i < q->nhosts; i++) {
                char host[1024];
                int port;
                const char *a = q->hosts[i], *at;
                size_t alen = strlen(a);

                /* "//..." comes from an absolute-form target: the host is
                 * what httpd finds there, without userinfo and without
                 * what follows a '/', '?' or '#'; a Host header is taken
                 * as it is */
                if (!strncmp(a, "//", 2)) {
                    a += 2;
                    alen = strcspn(a, "/?#");
                    at = memrchr(a, '@', alen);
                    if (at) {
                        alen -= (size_t)(at + 1 - a);
                        a = at + 1;
                    }
                }
                if (!split_authority(a, alen, host, sizeof(host), &port)) {
                    continue;
                }
                norm_host(host);
                host_ok |= !strcmp(host, o->host);
                /* httpd keeps a port beyond 65535 modulo 65536 */
                port_ok |= port >= 0 && o->port == port % 65536;
            }
            return host_ok && port_ok;
        }
    }
}

/* NULL when the response passes, else why not. */
static const char *check_response(const req_t *q, const resp_t *rs,
                                  char *why, size_t whysz)
{
    const char *loc = rs->location, *bad;
    size_t len = rs->location_len, i;
    origin_t o;
    int hashes = 0, a;

    if (rs->status >= 500 && rs->status != 501 && rs->status != 505) {
        snprintf(why, whysz, "status %d", rs->status);
        return why;
    }
    if (rs->status == 307 && rs->nlocation != 1) {
        snprintf(why, whysz, "307 with %d Location headers", rs->nlocation);
        return why;
    }
    if (!rs->nlocation) {
        return NULL;
    }
    if (rs->nlocation > 1) {
        snprintf(why, whysz, "%d Location headers", rs->nlocation);
        return why;
    }
    if (rs->location_truncated) {
        snprintf(why, whysz, "Location longer than %zu bytes",
                 sizeof(rs->location) - 1);
        return why;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)loc[i];

        if (c < 0x21 || c > 0x7e) {
            snprintf(why, whysz, "byte 0x%02x at offset %zu of the Location",
                     c, i);
            return why;
        }
        if (c == '%' && !(i + 2 < len + 0 && is_hex(loc[i + 1])
                          && is_hex(loc[i + 2]))) {
            snprintf(why, whysz, "'%%' that starts no escape at offset %zu "
                     "of the Location", i);
            return why;
        }
        if (c == '#') {
            hashes++;
        }
    }
    if (hashes > 1) {
        snprintf(why, whysz, "%d '#' in the Location", hashes);
        return why;
    }
    if (!parse_origin(loc, len, &o, &bad)) {
        snprintf(why, whysz, "Location: %s", bad);
        return why;
    }
    for (a = 0; a < nallowed; a++) {
        if (origin_eq(&o, &allowed[a])) {
            return NULL;
        }
    }
    if (own_origin_ok(q, &o)) {
        return NULL;
    }
    snprintf(why, whysz, "Location origin %s://%.200s:%d is neither configured "
             "nor this server's (%s port %s)", o.scheme, o.host, o.port,
             ports[q->port].mode == MODE_CANON ? "canon"
             : ports[q->port].mode == MODE_HOST ? "host" : "proxy",
             ports[q->port].name);
    return why;
}

static void report_failure(stats_t *st, const req_t *q, const char *why,
                           const resp_t *rs)
{
    st->failures++;
    __sync_fetch_and_add(failures_total, 1);
    flockfile(stdout);
    printf("FAIL request %" PRIu64 " (seed %" PRIu64 ", port %s): %s\n",
           q->idx, seed_g, ports[q->port].name, why);
    printf("  request:\n    ");
    escape_for_report(stdout, q->data.p, q->data.len, 1500);
    if (rs && rs->head.len) {
        printf("  response:\n    ");
        escape_for_report(stdout, rs->head.p, rs->head.len, 1500);
    }
    printf("  replay: fuzz/run-fuzz.sh SEED=%" PRIu64 " ONLY=%" PRIu64
           "   (make fuzz SEED=%" PRIu64 " ONLY=%" PRIu64 ")\n",
           seed_g, q->idx, seed_g, q->idx);
    fflush(stdout);
    funlockfile(stdout);
}

static void account(stats_t *st, const req_t *q, const resp_t *rs)
{
    char why[512];
    const char *bad;

    st->requests++;
    if (rs->status >= 100 && rs->status < 600) {
        st->status[rs->status]++;
    }
    if (rs->status == 307) {
        st->location307++;
    }
    bad = check_response(q, rs, why, sizeof(why));
    if (bad) {
        report_failure(st, q, bad, rs);
    }
    if (verbose) {
        printf("request %" PRIu64 " -> %d\n    ", q->idx, rs->status);
        escape_for_report(stdout, q->data.p, q->data.len, 4000);
        printf("  response:\n    ");
        escape_for_report(stdout, rs->head.p, rs->head.len, 4000);
    }
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Whether httpd may take the request for HTTP/0.9: the last word of its
 * first line (trailing blanks ignored) is not a protocol "HTTP/...". */
static int http09_request(const req_t *q)
{
    const char *p = q->data.p, *nl = memchr(p, '\n', q->data.len), *w;
    size_t len = nl ? (size_t)(nl - p) : q->data.len;

    while (len && (p[len - 1] == '\r' || p[len - 1] == ' '
                   || p[len - 1] == '\t')) {
        len--;
    }
    for (w = p + len; w > p && w[-1] != ' '; w--);
    return w == p || (size_t)(p + len - w) < 5 || memcmp(w, "HTTP/", 5);
}

/* One request on a connection of its own, which is then half-closed: every
 * response that comes back before the server closes is checked. */
static void run_solo(stats_t *st, req_t *q)
{
    conn_t c = { -1, NULL, 0, 0, 0, 0 };
    static resp_t rs;
    const char *why = NULL;
    int n = 0, rc;

    rs.head.len = 0;
    rs.status = 0;
    st->solo++;
    st->connections++;
    c.fd = connect_port(ports[q->port].port);
    if (c.fd < 0) {
        report_failure(st, q, "cannot connect", NULL);
        return;
    }
    if (write_all(c.fd, q->data.p, q->data.len) < 0) {
        /* the server may close while we still write a huge request */
    }
    st->bytes_out += q->data.len;
    shutdown(c.fd, SHUT_WR);
    if (http09_request(q)) {
        /* HttpProtocolOptions Allow0.9 (the default): the answer to a
         * request line without a version is a bare body */
        while (c.end - c.start < 5 && (rc = conn_fill(&c)) > 0);
        if (c.end > c.start
            && memcmp(c.buf + c.start, "HTTP/",
                      c.end - c.start < 5 ? c.end - c.start : 5)) {
            while ((rc = conn_fill(&c)) > 0) {
                c.start = c.end;
            }
            if (rc == -2) {
                report_failure(st, q, "timeout in an HTTP/0.9 response", NULL);
            }
            else {
                st->requests++;
                st->status[0]++;
            }
            free(c.buf);
            close(c.fd);
            return;
        }
    }
    for (;;) {
        rc = read_response(&c, q->head, &rs, &why);
        if (rc != RD_OK) {
            break;
        }
        n++;
        account(st, q, &rs);
        if (rs.close) {
            break;
        }
    }
    if (rc == RD_EOF && n > 0) {
        rc = RD_OK;
    }
    if (rc != RD_OK) {
        report_failure(st, q, why, &rs);
    }
    free(c.buf);
    if (c.fd >= 0) {
        close(c.fd);
    }
}

/* Sends the batch pipelined and checks the answers.  Requests left without
 * an answer because the server closed the connection (after a response
 * that said so, or at MaxKeepAliveRequests) are sent again on a new
 * connection; a request never answered on a fresh connection fails. */
static void run_batch(stats_t *st, conn_t *c, int port, req_t **batch, int n)
{
    static resp_t rs;
    int first = 0;

    while (first < n) {
        size_t total = 0;
        int i, fresh = 0;

        if (c->fd < 0) {
            c->fd = connect_port(ports[port].port);
            st->connections++;
            fresh = 1;
            if (c->fd < 0) {
                for (i = first; i < n; i++) {
                    report_failure(st, batch[i], "cannot connect", NULL);
                }
                return;
            }
        }
        for (i = first; i < n; i++) {
            total += batch[i]->data.len;
        }
        {
            char *all = malloc(total), *w = all;

            for (i = first; i < n; i++) {
                memcpy(w, batch[i]->data.p, batch[i]->data.len);
                w += batch[i]->data.len;
            }
            if (write_all(c->fd, all, total) < 0 && fresh) {
                /* a refused request closes the connection while we write:
                 * the responses already sent are read below */
            }
            free(all);
        }
        st->bytes_out += total;
        for (i = first; i < n; i++) {
            const char *why = NULL;
            int rc = read_response(c, batch[i]->head, &rs, &why);

            if (rc == RD_OK) {
                account(st, batch[i], &rs);
                c->served++;
                if (rs.close) {
                    conn_close(c);
                    i++;
                    break;
                }
                continue;
            }
            if (rc == RD_EOF && !(fresh && i == first)
                && !batch[i]->retried) {
                /* closed after a complete response: send the rest again */
                batch[i]->retried = 1;
                st->retries++;
                conn_close(c);
                break;
            }
            report_failure(st, batch[i], why, &rs);
            conn_close(c);
            i++;
            break;
        }
        first = i;
    }
}

/* ------------------------------------------------------------------------
 * Workers
 */

typedef struct {
    uint64_t count;             /* total requests over all workers */
    int workers;
    int depth;
    double deadline;
} plan_t;

static void worker(int w, const plan_t *plan)
{
    stats_t *st = &shared[w];
    conn_t conns[MAX_PORTS];
    req_t *pending[MAX_PORTS][MAX_DEPTH];
    int npending[MAX_PORTS];
    req_t *pool;
    int p, i, slot = 0, pool_size = MAX_PORTS * MAX_DEPTH + 1;
    uint64_t idx;

    pool = calloc((size_t)pool_size, sizeof(req_t));
    for (p = 0; p < nports; p++) {
        conns[p].fd = -1;
        conns[p].buf = NULL;
        conns[p].start = conns[p].end = conns[p].cap = 0;
        conns[p].served = 0;
        npending[p] = 0;
    }
    for (idx = (uint64_t)w; idx < plan->count; idx += (uint64_t)plan->workers) {
        req_t *q;

        if (*failures_total >= (uint64_t)max_failures) {
            break;
        }
        if ((idx / (uint64_t)plan->workers) % 64 == 0
            && now() > plan->deadline) {
            break;
        }
        /* a free request slot: not in any pending batch */
        for (;;) {
            int used = 0;

            q = &pool[slot];
            slot = (slot + 1) % pool_size;
            for (p = 0; p < nports && !used; p++) {
                for (i = 0; i < npending[p]; i++) {
                    if (pending[p][i] == q) {
                        used = 1;
                        break;
                    }
                }
            }
            if (!used) {
                break;
            }
        }
        gen_request(seed_g, idx, q);
        if (q->solo) {
            run_solo(st, q);
            continue;
        }
        p = q->port;
        pending[p][npending[p]++] = q;
        if (npending[p] == plan->depth) {
            run_batch(st, &conns[p], p, pending[p], npending[p]);
            npending[p] = 0;
        }
    }
    for (p = 0; p < nports; p++) {
        if (npending[p]) {
            run_batch(st, &conns[p], p, pending[p], npending[p]);
        }
        conn_close(&conns[p]);
    }
    st->done = 1;
}

static void usage(void)
{
    fputs("usage: fuzz307 -p NAME=PORT:MODE:ORIGIN [-p ...] -a ORIGINS "
          "-D DICT\n"
          "               [-n COUNT] [-s SEED] [-T SECONDS] [-w WORKERS]\n"
          "               [-d DEPTH] [-F MAXFAIL] [-o INDEX [-v]] "
          "[-g INDEX]\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    plan_t plan = { 100000, 2, 8, 0 };
    double limit = 300, t0, t1, last = 0;
    int opt, w, only_set = 0, gen_only = 0;
    uint64_t only = 0, seed = 0;
    int seed_set = 0;
    const char *allowed_file = NULL, *dict_file = NULL;
    stats_t total;
    pid_t pids[MAX_WORKERS];

    while ((opt = getopt(argc, argv, "p:a:D:n:s:T:w:d:F:o:g:v")) != -1) {
        switch (opt) {
        case 'p':
            add_port(optarg);
            break;
        case 'a':
            allowed_file = optarg;
            break;
        case 'D':
            dict_file = optarg;
            break;
        case 'n':
            plan.count = strtoull(optarg, NULL, 10);
            break;
        case 's':
            seed = strtoull(optarg, NULL, 10);
            seed_set = 1;
            break;
        case 'T':
            limit = atof(optarg);
            break;
        case 'w':
            plan.workers = atoi(optarg);
            break;
        case 'd':
            plan.depth = atoi(optarg);
            break;
        case 'F':
            max_failures = atoi(optarg);
            break;
        case 'o':
            only = strtoull(optarg, NULL, 10);
            only_set = 1;
            break;
        case 'g':
            only = strtoull(optarg, NULL, 10);
            only_set = gen_only = 1;
            break;
        case 'v':
            verbose = 1;
            break;
        default:
            usage();
        }
    }
    if (!nports || !dict_file || optind != argc) {
        usage();
    }
    if (plan.workers < 1 || plan.workers > MAX_WORKERS || plan.depth < 1
        || plan.depth > MAX_DEPTH || max_failures < 1) {
        die("-w is 1..%d, -d 1..%d, -F >= 1", MAX_WORKERS, MAX_DEPTH);
    }
    if (allowed_file) {
        load_allowed(allowed_file);
    }
    load_dict(dict_file);
    if (!ndict) {
        die("%s: no words", dict_file);
    }
    if (!seed_set) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        seed = ((uint64_t)ts.tv_sec * 1000003u) ^ (uint64_t)ts.tv_nsec
            ^ ((uint64_t)getpid() << 32);
        seed %= 1000000000000ULL;
    }
    seed_g = seed;
    signal(SIGPIPE, SIG_IGN);

    shared = mmap(NULL, sizeof(stats_t) * MAX_WORKERS + sizeof(uint64_t),
                  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        die("mmap: %s", strerror(errno));
    }
    memset(shared, 0, sizeof(stats_t) * MAX_WORKERS + sizeof(uint64_t));
    failures_total = (volatile uint64_t *)(shared + MAX_WORKERS);

    if (only_set) {
        req_t q;

        memset(&q, 0, sizeof(q));
        gen_request(seed, only, &q);
        if (gen_only) {
            fwrite(q.data.p, 1, q.data.len, stdout);
            return 0;
        }
        printf("fuzz307: seed %" PRIu64 ", request %" PRIu64 " only "
               "(port %s, %s)\n", seed, only, ports[q.port].name,
               q.solo ? "own connection" : "keep-alive");
        if (q.solo) {
            run_solo(&shared[0], &q);
        }
        else {
            conn_t c = { -1, NULL, 0, 0, 0, 0 };
            req_t *one = &q;

            run_batch(&shared[0], &c, q.port, &one, 1);
            conn_close(&c);
        }
        printf("fuzz307: %s\n", shared[0].failures ? "FAILED" : "passed");
        return shared[0].failures ? 1 : 0;
    }

    printf("fuzz307: seed %" PRIu64 ", %" PRIu64 " requests, %d workers, "
           "pipeline depth %d, time limit %.0f s, ports:", seed, plan.count,
           plan.workers, plan.depth, limit);
    for (w = 0; w < nports; w++) {
        printf(" %s=%d", ports[w].name, ports[w].port);
    }
    printf("\n");
    fflush(stdout);

    t0 = now();
    plan.deadline = t0 + limit;
    for (w = 0; w < plan.workers; w++) {
        pids[w] = fork();
        if (pids[w] < 0) {
            die("fork: %s", strerror(errno));
        }
        if (pids[w] == 0) {
            worker(w, &plan);
            _exit(0);
        }
    }
    for (;;) {
        int alive = 0;
        uint64_t done = 0;

        for (w = 0; w < plan.workers; w++) {
            int status;

            if (pids[w] > 0) {
                if (waitpid(pids[w], &status, WNOHANG) == pids[w]) {
                    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
                        fprintf(stderr, "fuzz307: worker %d died (status "
                                "%d)\n", w, status);
                        shared[w].failures++;
                    }
                    pids[w] = 0;
                }
                else {
                    alive++;
                }
            }
            done += shared[w].requests;
        }
        if (!alive) {
            break;
        }
        if (now() - last >= 10) {
            if (last) {
                printf("fuzz307: %" PRIu64 " responses checked, %.0f s\n",
                       done, now() - t0);
                fflush(stdout);
            }
            last = now();
        }
        usleep(100000);
    }
    t1 = now();

    memset(&total, 0, sizeof(total));
    for (w = 0; w < plan.workers; w++) {
        int s;

        total.requests += shared[w].requests;
        total.location307 += shared[w].location307;
        total.connections += shared[w].connections;
        total.solo += shared[w].solo;
        total.retries += shared[w].retries;
        total.failures += shared[w].failures;
        total.bytes_out += shared[w].bytes_out;
        for (s = 0; s < 600; s++) {
            total.status[s] += shared[w].status[s];
        }
    }
    {
        int s, distinct = 0;

        printf("fuzz307: seed %" PRIu64 ": %" PRIu64 " responses in %.1f s "
               "(%.0f/s), %" PRIu64 " connections (%" PRIu64 " for requests "
               "that may break framing), %" PRIu64 " resent after a close, "
               "%.1f MB sent\n", seed, total.requests, t1 - t0,
               total.requests / (t1 - t0 > 0 ? t1 - t0 : 1),
               total.connections, total.solo, total.retries,
               total.bytes_out / 1e6);
        printf("fuzz307: statuses:");
        for (s = 0; s < 600; s++) {
            if (total.status[s]) {
                if (s) {
                    printf(" %d=%" PRIu64, s, total.status[s]);
                }
                else {
                    printf(" HTTP/0.9=%" PRIu64, total.status[s]);
                }
                distinct++;
            }
        }
        printf(" (%d distinct); 307 with a checked Location: %" PRIu64 "\n",
               distinct, total.location307);
        if (total.requests < plan.count && !total.failures) {
            printf("fuzz307: stopped by the time limit (-T %.0f) before "
                   "%" PRIu64 " requests\n", limit, plan.count);
        }
        printf("fuzz307: %s: %" PRIu64 " failure%s\n",
               total.failures ? "FAILED" : "passed", total.failures,
               total.failures == 1 ? "" : "s");
    }
    return total.failures ? 1 : 0;
}
