/*
 * The "what the hardware gives" reference for the benchmarks: a minimal single-threaded
 * epoll server that sends back every byte with a-z uppercased (Python's bytes.upper()).
 * No limits, no backpressure beyond a per-connection buffer, no shutdown: it exists only to be
 * measured beside shout, in the same session, on the same machine.
 *
 * Usage: shout_ref PORT   (listens on 127.0.0.1 only)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define BUFFER 65536

/* Bytes read but not yet written back, per connection. */
struct conn {
    int fd;
    size_t start, end;
    char buf[BUFFER];
};

static void upper(char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= 'a' && p[i] <= 'z') p[i] -= 32;
    }
}

static void close_conn(int ep, struct conn *c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

/* Writes what is pending; returns -1 when the connection is gone. */
static int flush_conn(struct conn *c) {
    while (c->start < c->end) {
        ssize_t n = write(c->fd, c->buf + c->start, c->end - c->start);
        if (n < 0) return errno == EAGAIN ? 0 : -1;
        c->start += (size_t) n;
    }
    c->start = c->end = 0;
    return 0;
}

static void serve(int ep, struct conn *c, uint32_t events) {
    if (events & EPOLLOUT && flush_conn(c) < 0) {
        close_conn(ep, c);
        return;
    }
    while (c->end < BUFFER && c->start == 0) {
        ssize_t n = read(c->fd, c->buf + c->end, BUFFER - c->end);
        if (n == 0 || (n < 0 && errno != EAGAIN)) {
            close_conn(ep, c);
            return;
        }
        if (n < 0) break;
        upper(c->buf + c->end, (size_t) n);
        c->end += (size_t) n;
        if (flush_conn(c) < 0) {
            close_conn(ep, c);
            return;
        }
    }
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | (c->end > c->start ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 2;
    }
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t) atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(listener, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(listener, 4096) < 0) {
        perror("shout_ref: listen");
        return 1;
    }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
    fprintf(stderr, "shout_ref listening on 127.0.0.1:%s\n", argv[1]);
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        for (int i = 0; i < n; i++) {
            if (events[i].data.ptr == NULL) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *c = calloc(1, sizeof *c);
                    c->fd = fd;
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
                }
            } else {
                serve(ep, events[i].data.ptr, events[i].events);
            }
        }
    }
}
