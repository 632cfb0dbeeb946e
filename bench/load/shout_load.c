/*
 * The load generator that leaves the server the CPU: a single-threaded epoll client, the
 * counterpart of bench/ref/shout_ref.c. `shout bench` runs a JVM with an event loop per core and
 * takes a good share of the two cores it shares with the server; this takes one core at most and
 * usually far less, so that the ratios against the C reference measure the servers.
 *
 * Patterns, every reply byte checked against what the server's transform makes of what was sent:
 *   pingpong  each connection sends a message, waits for the whole reply, sends the next
 *   churn     each loop connects, sends one message, reads the whole reply, closes, again
 *   stream    each connection writes without pause while reading the replies
 *
 * The report is one line of JSON on stdout with the keys of `shout bench --json` (so that
 * bench/summarize.py reads either), and one line for people on stderr. Exit code 0 when nothing
 * failed, 1 when a connect, a connection or a reply did (each problem on stderr), 2 for bad flags.
 * Traffic goes to --host only, loopback unless --allow-remote. See bench/README.md.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NAME "shout_load"
#define EXIT_OK 0
#define EXIT_FAILED 1
#define EXIT_USAGE 2

#define NS_PER_MS 1000000LL
#define NS_PER_S 1000000000LL
/* No run, warm-up included, may load a server for longer than this. */
#define MAX_RUN_NS (10 * 60 * NS_PER_S)
#define MAX_SIZE (16 * 1024 * 1024)
#define MAX_CONNECTIONS 1000000
/* Connects under way at once while the held connections open, so as not to overrun the backlog. */
#define CONNECTS_IN_FLIGHT 256
/* How long replies still owed at the end of the measured time may take before they count as lost. */
#define DRAIN_LIMIT_NS (5 * NS_PER_S)
/* How often connects are checked against their timeout while any is under way. */
#define TICK_NS (20 * NS_PER_MS)
#define MAX_EVENTS 512
#define READ_BUFFER 65536
/* Stream writes of about this many bytes, whole messages, keep the per-write cost small. */
#define PREFERRED_WRITE 16384

/*
 * What every connection sends is an endless stream, a message being its next --size bytes: a
 * fixed pseudo-random cycle of CYCLE bytes (a prime, so consecutive messages differ for nearly
 * every size) entered at a point that depends on the connection's number, so that a reply sent
 * to the wrong connection, or a stale one, fails verification. Sends and checks are slices of two
 * shared buffers, the cycle and what the transform makes of it: no per-message work but a memcmp.
 */
#define CYCLE 4093
#define SPREAD 1021

enum pattern { PINGPONG, CHURN, STREAM };
static const char *const PATTERN_NAMES[] = {"pingpong", "churn", "stream"};

enum transform { UPPER, ASCII_UPPER, ECHO };
static const char *const TRANSFORM_NAMES[] = {"upper", "ascii-upper", "echo"};

struct config {
    const char *host;
    struct sockaddr_storage address;
    socklen_t address_length;
    int port;
    enum pattern pattern;
    int connections;
    size_t size;
    enum transform transform;
    bool binary;
    int64_t warmup_ns, duration_ns, connect_timeout_ns;
};

static struct config config = {
    .host = "127.0.0.1", .port = 8080, .pattern = PINGPONG, .connections = 10, .size = 64,
    .transform = UPPER, .warmup_ns = NS_PER_S, .duration_ns = 10 * NS_PER_S, .connect_timeout_ns = 5 * NS_PER_S,
};

/* --- flags ---------------------------------------------------------------------------------- */

static void usage(void) {
    printf(
            "usage: " NAME " [--host ADDR] [--port N] [--pattern pingpong|stream|churn | --churn]\n"
            "                  [--connections N] [--size BYTES] [--transform upper|ascii-upper|echo] [--binary]\n"
            "                  [--warmup DURATION] [--duration DURATION] [--connect-timeout DURATION]\n"
            "                  [--allow-remote]\n"
            "Loads a shout server from one thread and checks every reply byte. DURATION: like 500ms, 10s, 2m.\n"
            "  --host ADDR            numeric IPv4 or IPv6 address, or localhost (default 127.0.0.1)\n"
            "  --port N               server port (default 8080)\n"
            "  --pattern P            pingpong (default), stream, or churn: loops of connect, one message,\n"
            "                         the whole reply, close\n"
            "  --churn                the same as --pattern churn, as shout bench spells it\n"
            "  --connections N        connections held, or parallel churn loops (default 10)\n"
            "  --size BYTES           message size, 1..%d (default 64)\n"
            "  --transform T          what the server does: upper (default), ascii-upper, echo\n"
            "  --binary               payload of any bytes 0..255 (ascii-upper and echo only)\n"
            "  --warmup DURATION      load before the figures count (default 1s)\n"
            "  --duration DURATION    measured time (default 10s); warm-up and duration at most 10m\n"
            "  --connect-timeout D    per connect (default 5s)\n"
            "  --allow-remote         allow a --host that is not loopback\n"
            "Prints one JSON line on stdout and a summary on stderr; exit 0 ok, 1 failures, 2 bad flags.\n",
            MAX_SIZE);
}

static void bad_flag(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, NAME ": ");
    vfprintf(stderr, format, args);
    fprintf(stderr, " (see --help)\n");
    va_end(args);
    exit(EXIT_USAGE);
}

static long long parse_number(const char *flag, const char *text, long long min, long long max) {
    char *end;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 || value < min || value > max) {
        bad_flag("%s: '%s' (expected: a whole number %lld..%lld)", flag, text, min, max);
    }
    return value;
}

/* A duration as run.sh spells it: digits then ms, s or m. */
static int64_t parse_duration(const char *flag, const char *text, bool zero_allowed) {
    char *end;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    int64_t unit = strcmp(end, "ms") == 0 ? NS_PER_MS : strcmp(end, "s") == 0 ? NS_PER_S
                 : strcmp(end, "m") == 0 ? 60 * NS_PER_S : 0;
    if (text[0] < '0' || text[0] > '9' || unit == 0 || errno != 0) {
        bad_flag("%s: '%s' (expected: a whole number with ms, s or m, like 10s)", flag, text);
    }
    if (value > MAX_RUN_NS / unit) {
        bad_flag("%s: %s (expected: at most 10m)", flag, text);
    }
    if (value == 0 && !zero_allowed) {
        bad_flag("%s: %s (expected: > 0)", flag, text);
    }
    return value * unit;
}

static int parse_choice(const char *flag, const char *text, const char *const *names, int count) {
    char expected[120] = "";
    for (int i = 0; i < count; i++) {
        if (strcmp(text, names[i]) == 0) return i;
        snprintf(expected + strlen(expected), sizeof expected - strlen(expected), "%s%s",
                 i == 0 ? "" : i == count - 1 ? " or " : ", ", names[i]);
    }
    bad_flag("%s: '%s' (expected: %s)", flag, text, expected);
    return -1;
}

static bool is_loopback(const struct sockaddr_storage *address) {
    if (address->ss_family == AF_INET) {
        return (ntohl(((const struct sockaddr_in *) address)->sin_addr.s_addr) >> 24) == 127;
    }
    const struct in6_addr *a6 = &((const struct sockaddr_in6 *) address)->sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(a6) || (IN6_IS_ADDR_V4MAPPED(a6) && a6->s6_addr[12] == 127);
}

static void parse_host(bool allow_remote) {
    const char *host = strcmp(config.host, "localhost") == 0 ? "127.0.0.1" : config.host;
    struct sockaddr_in *a4 = (struct sockaddr_in *) &config.address;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *) &config.address;
    memset(&config.address, 0, sizeof config.address);
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t) config.port);
        config.address_length = sizeof *a4;
    } else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t) config.port);
        config.address_length = sizeof *a6;
    } else {
        bad_flag("--host: '%s' (expected: a numeric IPv4 or IPv6 address, or localhost)", config.host);
    }
    if (!allow_remote && !is_loopback(&config.address)) {
        bad_flag("--host: %s is not a loopback address (expected: 127.0.0.0/8 or ::1; --allow-remote to load"
                 " another host)", config.host);
    }
}

/* The value of the flag at argv[*at]: given as --flag=value, or the next argument. */
static char *value_of(const char *flag, char *inline_value, int argc, char **argv, int *at) {
    if (inline_value != NULL) return inline_value;
    if (*at + 1 >= argc) bad_flag("%s: missing value", flag);
    return argv[++*at];
}

/* A flag that takes no value: given as --flag=value it is a mistake. */
static bool switch_on(const char *flag, const char *inline_value) {
    if (inline_value != NULL) bad_flag("%s: takes no value", flag);
    return true;
}

static void parse_flags(int argc, char **argv) {
    bool churn = false, pattern_given = false, allow_remote = false;
    for (int i = 1; i < argc; i++) {
        char *flag = argv[i];
        char *inline_value = NULL;
        char *equals = strchr(flag, '=');
        if (strncmp(flag, "--", 2) == 0 && equals != NULL) {
            *equals = '\0';
            inline_value = equals + 1;
        }
#define VALUE value_of(flag, inline_value, argc, argv, &i)
        if (strcmp(flag, "--help") == 0 || strcmp(flag, "-h") == 0) {
            usage();
            exit(EXIT_OK);
        } else if (strcmp(flag, "--churn") == 0) {
            churn = switch_on(flag, inline_value);
        } else if (strcmp(flag, "--binary") == 0) {
            config.binary = switch_on(flag, inline_value);
        } else if (strcmp(flag, "--allow-remote") == 0) {
            allow_remote = switch_on(flag, inline_value);
        } else if (strcmp(flag, "--host") == 0) {
            config.host = VALUE;
        } else if (strcmp(flag, "--port") == 0) {
            config.port = (int) parse_number(flag, VALUE, 1, 65535);
        } else if (strcmp(flag, "--pattern") == 0) {
            config.pattern = parse_choice(flag, VALUE, PATTERN_NAMES, 3);
            pattern_given = true;
        } else if (strcmp(flag, "--connections") == 0) {
            config.connections = (int) parse_number(flag, VALUE, 1, MAX_CONNECTIONS);
        } else if (strcmp(flag, "--size") == 0) {
            config.size = (size_t) parse_number(flag, VALUE, 1, MAX_SIZE);
        } else if (strcmp(flag, "--transform") == 0) {
            config.transform = parse_choice(flag, VALUE, TRANSFORM_NAMES, 3);
        } else if (strcmp(flag, "--warmup") == 0) {
            config.warmup_ns = parse_duration(flag, VALUE, true);
        } else if (strcmp(flag, "--duration") == 0) {
            config.duration_ns = parse_duration(flag, VALUE, false);
        } else if (strcmp(flag, "--connect-timeout") == 0) {
            config.connect_timeout_ns = parse_duration(flag, VALUE, false);
        } else {
            bad_flag("unknown flag '%s'", flag);
        }
#undef VALUE
    }
    /* --churn is how `shout bench` spells it. */
    if (churn && pattern_given) bad_flag("--churn: cannot be combined with --pattern");
    if (churn) config.pattern = CHURN;
    if (config.warmup_ns + config.duration_ns > MAX_RUN_NS) {
        bad_flag("--warmup and --duration: %.3fs in all (expected: at most 10m)",
                 (double) (config.warmup_ns + config.duration_ns) / NS_PER_S);
    }
    if (config.binary && config.transform == UPPER) {
        /* Unicode uppercasing of bytes that are not ASCII changes them and their length. */
        bad_flag("--binary: only with --transform ascii-upper or echo, not upper");
    }
    parse_host(allow_remote);
}

/* --- payload ---------------------------------------------------------------------------------- */

static unsigned char *payload;  /* the cycle, repeated far enough that any write is one slice */
static unsigned char *expected; /* the transform of payload, byte for byte */
static size_t stream_write;     /* the stream pattern's write length */

static size_t position(uint64_t number, uint64_t offset) {
    return (size_t) ((number * SPREAD + offset) % CYCLE);
}

static uint32_t next_random(uint32_t *state) {
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

static unsigned char transformed(unsigned char b) {
    return config.transform != ECHO && b >= 'a' && b <= 'z' ? (unsigned char) (b - ('a' - 'A')) : b;
}

/* Every symbol of the alphabet (printable ASCII, or all 256 bytes) is in the cycle: its start is a
 * shuffle of the alphabet, the rest drawn at random. */
static void make_payload(void) {
    unsigned alphabet = config.binary ? 256 : '~' - ' ' + 1;
    unsigned first = config.binary ? 0 : ' ';
    stream_write = config.size * (config.size < PREFERRED_WRITE ? PREFERRED_WRITE / config.size : 1);
    size_t longest = config.size > READ_BUFFER ? config.size : READ_BUFFER;
    if (stream_write > longest) longest = stream_write;
    size_t length = CYCLE + longest;
    payload = malloc(length);
    expected = malloc(length);
    if (payload == NULL || expected == NULL) {
        fprintf(stderr, NAME ": out of memory for the payload\n");
        exit(EXIT_FAILED);
    }
    uint32_t seed = 2463534242u; /* fixed: every run sends the same bytes */
    for (unsigned i = 0; i < CYCLE; i++) {
        payload[i] = (unsigned char) (first + (i < alphabet ? i : next_random(&seed) % alphabet));
    }
    for (unsigned i = alphabet - 1; i > 0; i--) {
        unsigned j = next_random(&seed) % (i + 1);
        unsigned char swap = payload[i];
        payload[i] = payload[j];
        payload[j] = swap;
    }
    for (size_t i = 0; i < length; i++) {
        payload[i] = payload[i % CYCLE];
        expected[i] = transformed(payload[i]);
    }
}

/* --- latency histogram ------------------------------------------------------------------------ */

/* Log-linear over nanoseconds: exact below 2^SUB_BITS, then 2^SUB_BITS buckets to each power of
 * two, so a percentile is within about 3% (HdrHistogram's idea with two significant digits). */
#define SUB_BITS 5
#define SUB (1u << SUB_BITS)
#define BUCKETS ((64 - SUB_BITS + 1) * SUB)

struct histogram {
    uint64_t counts[BUCKETS];
    uint64_t total, max;
};

static struct histogram latency;

static unsigned bucket_of(uint64_t value) {
    if (value < SUB) return (unsigned) value;
    unsigned exponent = 63 - (unsigned) __builtin_clzll(value);
    return (exponent - SUB_BITS + 1) * SUB + (unsigned) ((value >> (exponent - SUB_BITS)) & (SUB - 1));
}

/* The highest value a bucket holds. */
static uint64_t bucket_high(unsigned bucket) {
    if (bucket < SUB) return bucket;
    return (((uint64_t) SUB + bucket % SUB + 1) << (bucket / SUB - 1)) - 1;
}

static void record(struct histogram *h, int64_t nanos) {
    uint64_t value = nanos < 0 ? 0 : (uint64_t) nanos;
    h->counts[bucket_of(value)]++;
    h->total++;
    if (value > h->max) h->max = value;
}

/* In microseconds: the top of the bucket the percentile falls in, never above the maximum. */
static double percentile_us(const struct histogram *h, double percent) {
    double exact = percent / 100 * (double) h->total;
    uint64_t rank = (uint64_t) exact, seen = 0;
    if ((double) rank < exact || rank == 0) rank++;
    for (unsigned i = 0; i < BUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= rank) return (double) (bucket_high(i) < h->max ? bucket_high(i) : h->max) / 1000;
    }
    return (double) h->max / 1000;
}

/* --- counters ----------------------------------------------------------------------------------- */

/* Over the whole run; the measured figures are differences taken at the measured time's ends. */
static struct {
    uint64_t replies, reply_bytes, cycles, established;
    uint64_t connect_refused, connect_timeouts, connect_other;
    uint64_t resets, closed_early, verify_failures, unanswered;
} count;

static struct {
    int64_t start_ns, nanos;
    uint64_t replies, reply_bytes, cycles;
    double cpu_s;
} measured;

/* The first of each kind of failure, as a phrase for the report. */
static char first_connect_error[200], first_loss[200], first_mismatch[200];
static uint64_t first_failure_connection, first_failure_offset;

static void note_first(char *first, size_t size, const char *format, ...) {
    if (first[0] != '\0') return;
    va_list args;
    va_start(args, format);
    vsnprintf(first, size, format, args);
    va_end(args);
}

/* strerror in the lower case the reports use after a colon. */
static const char *reason(int error) {
    static char text[120];
    snprintf(text, sizeof text, "%s", error == ETIMEDOUT ? "connect timed out" : strerror(error));
    text[0] = (char) (text[0] >= 'A' && text[0] <= 'Z' ? text[0] + ('a' - 'A') : text[0]);
    return text;
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
           + (double) (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static int64_t now_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * NS_PER_S + now.tv_nsec;
}

/* --- connections ------------------------------------------------------------------------------ */

/* FREE: not opened yet, or a churn loop between cycles; DONE: closed for good. */
enum state { FREE, CONNECTING, OPEN, DONE };

/* One held connection, or one churn loop, whose connection is new each cycle. */
struct conn {
    int fd;
    enum state state;
    uint32_t events;         /* what epoll watches for */
    uint64_t number;         /* names the byte stream; a churn loop takes the next number each cycle */
    uint64_t sent, received; /* offsets in the stream: a reply byte answers the request byte at its offset */
    uint64_t message_end;    /* where the message being sent ends (ping-pong, churn) */
    uint64_t failed_message; /* the last message counted as failed, plus one; 0 for none */
    int64_t started_ns;      /* the connect's start: its timeout, and a churn cycle's latency */
    int64_t sent_ns;         /* when the message being answered was sent */
};

enum phase { OPENING, WARMUP, MEASURE, DRAIN, FINISHED };

static struct conn *conns;
static int epoll_fd;
static enum phase phase;
static int64_t phase_end = INT64_MAX;
static int opened, connecting, open_count, to_restart;
static uint64_t next_number;
static unsigned char scratch[READ_BUFFER];

static void watch(struct conn *c, uint32_t events) {
    if (c->events == events) return;
    struct epoll_event event = {.events = events, .data.ptr = c};
    epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &event);
    c->events = events;
}

/* Closes the connection; a churn loop starts its next cycle after the events at hand. */
static void end_conn(struct conn *c) {
    if (c->state == CONNECTING) connecting--;
    if (c->state == OPEN) open_count--;
    if (c->fd >= 0) close(c->fd); /* which takes it out of epoll */
    c->fd = -1;
    c->state = DONE;
    if (config.pattern == CHURN && phase < DRAIN) {
        c->state = FREE;
        to_restart++;
    }
}

static void connect_failed(struct conn *c, int error) {
    if (error == ECONNREFUSED) {
        count.connect_refused++;
    } else if (error == ETIMEDOUT) {
        count.connect_timeouts++;
    } else {
        count.connect_other++;
    }
    note_first(first_connect_error, sizeof first_connect_error, "connection %" PRIu64 ": %s", c->number,
               reason(error));
    end_conn(c);
}

/* The connection failed (error) or the server closed it (0) while the generator still wanted it. */
static void lost(struct conn *c, int error) {
    if (error == 0) {
        count.closed_early++;
        note_first(first_loss, sizeof first_loss, "connection %" PRIu64 " closed by the server after %" PRIu64
                   " of %" PRIu64 " reply bytes", c->number, c->received, c->sent);
    } else {
        count.resets++;
        note_first(first_loss, sizeof first_loss, "connection %" PRIu64 ": %s", c->number, reason(error));
    }
    end_conn(c);
}

static const char *quoted(unsigned char b, char *text) {
    if (b >= ' ' && b <= '~' && b != '"' && b != '\\') {
        sprintf(text, "'%c'", b);
    } else {
        sprintf(text, "0x%02x", b);
    }
    return text;
}

static void verify_failed(struct conn *c, uint64_t offset, const char *format, ...) {
    count.verify_failures++;
    if (first_mismatch[0] != '\0') return;
    first_failure_connection = c->number;
    first_failure_offset = offset;
    int length = snprintf(first_mismatch, sizeof first_mismatch, "connection %" PRIu64 " at byte %" PRIu64 " ",
                          c->number, offset);
    va_list args;
    va_start(args, format);
    vsnprintf(first_mismatch + length, sizeof first_mismatch - (size_t) length, format, args);
    va_end(args);
}

/* Compares reply bytes with the transform of the bytes they answer; a wrong message counts once. */
static void check(struct conn *c, const unsigned char *bytes, size_t n) {
    size_t at = position(c->number, c->received);
    if (memcmp(bytes, expected + at, n) == 0) return;
    for (size_t i = 0; i < n; i++) {
        uint64_t offset = c->received + i, message = offset / config.size + 1;
        if (bytes[i] == expected[at + i] || message == c->failed_message) continue;
        c->failed_message = message;
        char want[8], got[8];
        verify_failed(c, offset, "(expected %s, got %s)", quoted(expected[at + i], want), quoted(bytes[i], got));
    }
}

/* Writes what is left of the message; reads replies all the while, as a large one may come back
 * before the whole message is out. */
static void write_message(struct conn *c) {
    while (c->sent < c->message_end) {
        ssize_t n = send(c->fd, payload + position(c->number, c->sent), (size_t) (c->message_end - c->sent),
                         MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            watch(c, EPOLLIN | EPOLLOUT);
            return;
        }
        if (n < 0) {
            lost(c, errno);
            return;
        }
        c->sent += (uint64_t) n;
    }
    watch(c, EPOLLIN);
}

static void send_message(struct conn *c, int64_t now) {
    c->message_end = c->sent + config.size;
    c->sent_ns = now;
    write_message(c);
}

/* One write of whole messages; epoll says when the socket takes more. */
static void write_stream(struct conn *c) {
    ssize_t n = send(c->fd, payload + position(c->number, c->sent), stream_write, MSG_NOSIGNAL);
    if (n > 0) {
        c->sent += (uint64_t) n;
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        lost(c, errno);
    }
}

static void open_conn(struct conn *c, int64_t now) {
    c->number = config.pattern == CHURN ? next_number++ : (uint64_t) (c - conns);
    c->sent = c->received = c->message_end = c->failed_message = 0;
    c->started_ns = now;
    c->state = CONNECTING;
    connecting++;
    c->fd = socket(config.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        connect_failed(c, errno);
        return;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *) &config.address, config.address_length) < 0 && errno != EINPROGRESS) {
        connect_failed(c, errno);
        return;
    }
    /* Writable once connected, or at once with the error of a connect that failed. */
    struct epoll_event event = {.events = EPOLLOUT, .data.ptr = c};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c->fd, &event);
    c->events = EPOLLOUT;
}

static void connected(struct conn *c, int64_t now) {
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
        connect_failed(c, error);
        return;
    }
    connecting--;
    open_count++;
    c->state = OPEN;
    count.established++;
    if (config.pattern == STREAM) {
        watch(c, EPOLLIN | EPOLLOUT);
    } else {
        send_message(c, now);
    }
}

/* The whole reply to the message is in: ping-pong sends the next, a churn cycle ends. */
static void answered(struct conn *c, int64_t now) {
    bool good = c->failed_message == 0;
    if (phase == MEASURE) record(&latency, now - (config.pattern == CHURN ? c->started_ns : c->sent_ns));
    if (config.pattern == CHURN) {
        if (good) count.cycles++;
        end_conn(c);
    } else if (phase >= DRAIN) {
        end_conn(c);
    } else {
        send_message(c, now);
    }
}

static void readable(struct conn *c) {
    ssize_t n = read(c->fd, scratch, sizeof scratch);
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) lost(c, errno);
        return;
    }
    if (n == 0) {
        lost(c, 0);
        return;
    }
    int64_t now = now_ns();
    uint64_t owed = c->sent - c->received;
    if ((uint64_t) n > owed) {
        check(c, scratch, (size_t) owed);
        verify_failed(c, c->sent, "(%" PRIu64 " bytes more than were sent)", (uint64_t) n - owed);
        end_conn(c);
        return;
    }
    check(c, scratch, (size_t) n);
    uint64_t replies_before = c->received / config.size;
    c->received += (uint64_t) n;
    count.reply_bytes += (uint64_t) n;
    count.replies += c->received / config.size - replies_before;
    if (config.pattern != STREAM && c->received == c->message_end) {
        answered(c, now);
    } else if (config.pattern == STREAM && phase >= DRAIN && c->received == c->sent) {
        end_conn(c);
    }
}

static void handle(struct conn *c, uint32_t events) {
    if (c->state == CONNECTING) {
        connected(c, now_ns());
        return;
    }
    if (c->state != OPEN) return;
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) readable(c);
    if (c->state != OPEN || !(events & EPOLLOUT)) return;
    if (config.pattern == STREAM) {
        if (phase < DRAIN) write_stream(c);
    } else {
        write_message(c);
    }
}

/* --- the run ---------------------------------------------------------------------------------- */

static void check_connect_timeouts(int64_t now) {
    for (int i = 0; i < config.connections; i++) {
        if (conns[i].state == CONNECTING && now - conns[i].started_ns >= config.connect_timeout_ns) {
            connect_failed(&conns[i], ETIMEDOUT);
        }
    }
}

static void restart_loops(int64_t now) {
    int pending = to_restart;
    to_restart = 0;
    for (int i = 0; i < config.connections && pending > 0; i++) {
        if (conns[i].state == FREE) {
            pending--;
            open_conn(&conns[i], now);
        }
    }
}

static void begin_measuring(int64_t now) {
    phase = MEASURE;
    phase_end = now + config.duration_ns;
    measured.start_ns = now;
    measured.replies = count.replies;
    measured.reply_bytes = count.reply_bytes;
    measured.cycles = count.cycles;
    measured.cpu_s = cpu_seconds();
}

/* The figures are taken; replies still owed are awaited (and checked) for DRAIN_LIMIT_NS. */
static void end_measuring(int64_t now) {
    phase = DRAIN;
    phase_end = now + DRAIN_LIMIT_NS;
    measured.nanos = now - measured.start_ns;
    measured.replies = count.replies - measured.replies;
    measured.reply_bytes = count.reply_bytes - measured.reply_bytes;
    measured.cycles = count.cycles - measured.cycles;
    measured.cpu_s = cpu_seconds() - measured.cpu_s;
    for (int i = 0; i < config.connections; i++) {
        struct conn *c = &conns[i];
        if (c->state == OPEN && config.pattern == STREAM) watch(c, EPOLLIN);
        if (c->state == OPEN && config.pattern != CHURN && c->received == c->sent) end_conn(c);
    }
}

static void advance(int64_t now) {
    if (phase == OPENING) {
        while (opened < config.connections && connecting < CONNECTS_IN_FLIGHT) open_conn(&conns[opened++], now);
        if (opened == config.connections && connecting == 0) {
            phase = count.established == 0 ? FINISHED : WARMUP;
            phase_end = now + config.warmup_ns;
        }
    }
    if (phase == WARMUP && now >= phase_end) begin_measuring(now);
    if (phase == MEASURE && now >= phase_end) end_measuring(now);
    if (phase == DRAIN && (connecting + open_count == 0 || now >= phase_end)) {
        count.unanswered = (uint64_t) (connecting + open_count);
        for (int i = 0; i < config.connections; i++) {
            if (conns[i].state == CONNECTING || conns[i].state == OPEN) end_conn(&conns[i]);
        }
        phase = FINISHED;
    }
}

/* Milliseconds epoll may wait: to the next phase's start, shorter while connects may time out. */
static int wait_ms(int64_t now) {
    if (to_restart > 0) return 0;
    int64_t until = phase_end - now;
    if (connecting > 0 && until > TICK_NS) until = TICK_NS;
    if (until > TICK_NS * 50) until = TICK_NS * 50;
    return until <= 0 ? 0 : (int) ((until + NS_PER_MS - 1) / NS_PER_MS);
}

static void run(void) {
    struct epoll_event events[MAX_EVENTS];
    int64_t now = now_ns(), next_tick = now + TICK_NS;
    if (config.pattern == CHURN) {
        phase = WARMUP;
        phase_end = now + config.warmup_ns;
        for (opened = 0; opened < config.connections; opened++) open_conn(&conns[opened], now);
    }
    advance(now);
    while (phase != FINISHED) {
        int n = epoll_wait(epoll_fd, events, MAX_EVENTS, wait_ms(now_ns()));
        for (int i = 0; i < n; i++) handle(events[i].data.ptr, events[i].events);
        now = now_ns();
        if (connecting > 0 && now >= next_tick) {
            check_connect_timeouts(now);
            next_tick = now + TICK_NS;
        }
        if (to_restart > 0) restart_loops(now);
        advance(now);
    }
}

/* --- the report --------------------------------------------------------------------------------- */

#define MAX_PROBLEMS 8
static char problems[MAX_PROBLEMS][400];
static int problem_count;

static void problem(const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(problems[problem_count++], sizeof problems[0], format, args);
    va_end(args);
}

/* Each a sentence for stderr, the first also in the JSON, as `shout bench` words them. */
static void find_problems(void) {
    uint64_t connect_errors = count.connect_refused + count.connect_timeouts + count.connect_other;
    if (count.established == 0) {
        problem("no connection could be opened to %s:%d, the first: %s", config.host, config.port,
                first_connect_error);
    }
    if (connect_errors > 0) {
        problem("%" PRIu64 " connect errors (%" PRIu64 " refused, %" PRIu64 " timed out, %" PRIu64 " other), the first: %s",
                connect_errors, count.connect_refused, count.connect_timeouts, count.connect_other,
                first_connect_error);
    }
    if (count.verify_failures > 0) {
        problem("%" PRIu64 " verify failures, the first on %s", count.verify_failures, first_mismatch);
    }
    if (count.resets + count.closed_early > 0) {
        problem("%" PRIu64 " connections lost (%" PRIu64 " reset or failed, %" PRIu64
                " closed early by the server), the first: %s",
                count.resets + count.closed_early, count.resets, count.closed_early, first_loss);
    }
    if (count.unanswered > 0) {
        problem("%" PRIu64 " connections still owed a reply %llds after the measured time", count.unanswered,
                (long long) (DRAIN_LIMIT_NS / NS_PER_S));
    }
    if (problem_count == 0 && measured.replies == 0) problem("no replies in the measured time");
}

static double per_second(uint64_t amount) {
    return measured.nanos == 0 ? 0 : (double) amount * NS_PER_S / (double) measured.nanos;
}

static void json_string(const char *text) {
    putchar('"');
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            printf("\\%c", *p);
        } else if ((unsigned char) *p < ' ') {
            printf("\\u%04x", *p);
        } else {
            putchar(*p);
        }
    }
    putchar('"');
}

static void json_figure(const char *key, double value, bool present) {
    if (present) {
        printf(",\"%s\":%.3f", key, value);
    } else {
        printf(",\"%s\":null", key);
    }
}

static double cpu_percent(void) {
    return measured.nanos == 0 ? 0 : 100 * measured.cpu_s * NS_PER_S / (double) measured.nanos;
}

/* One flat object on one line with every key of `shout bench --json`, and a few of its own. */
static void print_json(void) {
    bool any = latency.total > 0 && config.pattern != STREAM;
    bool churn = config.pattern == CHURN;
    printf("{\"generator\":\"" NAME "\",\"pattern\":\"%s\",\"connections\":%d,\"size\":%zu,\"rate\":null",
           PATTERN_NAMES[config.pattern], config.connections, config.size);
    printf(",\"transform\":\"%s\",\"binary\":%s,\"verify\":true,\"transport\":\"epoll\",\"threads\":1",
           TRANSFORM_NAMES[config.transform], config.binary ? "true" : "false");
    printf(",\"warmup_s\":%.3f,\"duration_s\":%.3f,\"measured_s\":%.3f", (double) config.warmup_ns / NS_PER_S,
           (double) config.duration_ns / NS_PER_S, (double) measured.nanos / NS_PER_S);
    printf(",\"connections_established\":%" PRIu64 ",\"connect_errors\":%" PRIu64 ",\"connect_refused\":%" PRIu64
           ",\"connect_timeouts\":%" PRIu64, count.established,
           count.connect_refused + count.connect_timeouts + count.connect_other, count.connect_refused,
           count.connect_timeouts);
    printf(",\"resets\":%" PRIu64 ",\"closed_early\":%" PRIu64 ",\"unanswered\":%" PRIu64, count.resets,
           count.closed_early, count.unanswered);
    printf(",\"messages\":%" PRIu64 ",\"messages_per_s\":%.3f,\"mb_per_s\":%.3f", measured.replies,
           per_second(measured.replies), per_second(measured.reply_bytes) / 1e6);
    json_figure("connections_per_s", per_second(measured.cycles), churn);
    printf(",\"latency_samples\":%" PRIu64, any ? latency.total : 0);
    json_figure("latency_p50_us", percentile_us(&latency, 50), any);
    json_figure("latency_p90_us", percentile_us(&latency, 90), any);
    json_figure("latency_p99_us", percentile_us(&latency, 99), any);
    json_figure("latency_p999_us", percentile_us(&latency, 99.9), any);
    json_figure("latency_max_us", (double) latency.max / 1000, any);
    printf(",\"verify_failures\":%" PRIu64, count.verify_failures);
    if (count.verify_failures > 0) {
        printf(",\"first_failure_connection\":%" PRIu64 ",\"first_failure_offset\":%" PRIu64,
               first_failure_connection, first_failure_offset);
    } else {
        printf(",\"first_failure_connection\":null,\"first_failure_offset\":null");
    }
    printf(",\"generator_cpu_percent\":%.1f", cpu_percent());
    printf(",\"ok\":%s,\"problem\":", problem_count == 0 ? "true" : "false");
    if (problem_count == 0) {
        printf("null");
    } else {
        json_string(problems[0]);
    }
    printf("}\n");
}

/* The line for people, then each problem. */
static void print_summary(void) {
    uint64_t errors = count.connect_refused + count.connect_timeouts + count.connect_other + count.resets
                      + count.closed_early + count.verify_failures + count.unanswered;
    fprintf(stderr, NAME ": %s, %d %s, %zu-byte %s messages, %s: ", PATTERN_NAMES[config.pattern],
            config.connections, config.pattern == CHURN ? "loops" : "connections", config.size,
            config.binary ? "binary" : "ASCII", TRANSFORM_NAMES[config.transform]);
    if (config.pattern == CHURN) {
        fprintf(stderr, "%.1f connections/s", per_second(measured.cycles));
    } else {
        fprintf(stderr, "%.1f messages/s, %.2f MB/s", per_second(measured.replies),
                per_second(measured.reply_bytes) / 1e6);
    }
    if (latency.total > 0 && config.pattern != STREAM) {
        fprintf(stderr, "; %s p50 %.1f us, p99 %.1f us, max %.1f us", config.pattern == CHURN ? "cycle" : "round trip",
                percentile_us(&latency, 50), percentile_us(&latency, 99), (double) latency.max / 1000);
    }
    fprintf(stderr, "; %" PRIu64 " errors; over %.1fs measured, %.0f%% of one CPU\n", errors,
            (double) measured.nanos / NS_PER_S, cpu_percent());
    for (int i = 0; i < problem_count; i++) fprintf(stderr, NAME ": %s\n", problems[i]);
}

/* Room for every connection's descriptor, raising the soft limit up to the hard one if need be. */
static void ensure_descriptors(void) {
    struct rlimit limit;
    rlim_t needed = (rlim_t) config.connections + 16;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < needed) {
        limit.rlim_cur = limit.rlim_max < needed ? limit.rlim_max : needed;
        setrlimit(RLIMIT_NOFILE, &limit);
        if (limit.rlim_cur < needed) {
            fprintf(stderr, NAME ": --connections %d needs %llu descriptors; the limit is %llu (ulimit -n)\n",
                    config.connections, (unsigned long long) needed, (unsigned long long) limit.rlim_cur);
            exit(EXIT_FAILED);
        }
    }
}

int main(int argc, char **argv) {
    parse_flags(argc, argv);
    ensure_descriptors();
    make_payload();
    signal(SIGPIPE, SIG_IGN);
    conns = calloc((size_t) config.connections, sizeof *conns);
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (conns == NULL || epoll_fd < 0) {
        fprintf(stderr, NAME ": cannot start: %s\n", strerror(errno));
        return EXIT_FAILED;
    }
    for (int i = 0; i < config.connections; i++) conns[i].fd = -1;
    run();
    find_problems();
    print_json();
    fflush(stdout);
    print_summary();
    return problem_count == 0 ? EXIT_OK : EXIT_FAILED;
}
