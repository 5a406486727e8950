/* vcl-echo-server: a TCP echo server on VPP's session layer through the VPPCOM API (libvppcom):
 * sockets without the kernel. One VCL epoll set serves the listener and every client.
 *
 * Every session is non-blocking, so one thread serves them all: a client that sends but does not
 * read fills its session's tx fifo, and what does not fit waits in that client's own buffer (the
 * server stops reading from it until the client reads again) while the others go on being served. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>

#include "vcl-endpoint.h"

#define MAX_EVENTS 64
#define BUFFER_SIZE 16384

struct client {
  uint32_t session;
  char pending[BUFFER_SIZE]; /* read, not yet echoed: the session's tx fifo was full */
  int pending_from, pending_to;
};

static volatile sig_atomic_t stopping;
static void on_signal(int signo) { (void)signo; stopping = 1; }

static int fail(const char *what, int rv) {
  fprintf(stderr, "vcl-echo-server: %s: %s (%d)\n", what, vppcom_retval_str(rv), rv);
  vppcom_app_destroy();
  return 1;
}

static void watch(uint32_t epoll, int op, struct client *client, uint32_t events) {
  struct epoll_event event = {.events = events | EPOLLRDHUP, .data.ptr = client};
  vppcom_epoll_ctl(epoll, op, client->session, &event);
}

static void drop(uint32_t epoll, struct client *client) {
  vppcom_epoll_ctl(epoll, EPOLL_CTL_DEL, client->session, NULL);
  vppcom_session_close(client->session);
  free(client);
}

/* Writes what is pending. Returns 1 when it all went, 0 when the fifo is full again, -1 on error. */
static int flush_pending(struct client *client) {
  while (client->pending_from < client->pending_to) {
    int w = vppcom_session_write(client->session, client->pending + client->pending_from,
                                 (size_t)(client->pending_to - client->pending_from));
    if (w == VPPCOM_EAGAIN) return 0;
    if (w <= 0) return -1;
    client->pending_from += w;
  }
  client->pending_from = client->pending_to = 0;
  return 1;
}

/* One event on a client's session: echo what can be echoed, then decide whether to read more
 * (EPOLLIN) or wait for room in the tx fifo (EPOLLOUT). Returns -1 when the session is done. */
static int serve(uint32_t epoll, struct client *client, uint32_t events) {
  int flushed = flush_pending(client);
  if (flushed < 0) return -1;
  if (flushed && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))) {
    /* After the peer's hang-up, what it sent before is still read and echoed; the read after that
     * says the session is closed. */
    int n = vppcom_session_read(client->session, client->pending, sizeof client->pending);
    if (n > 0) {
      client->pending_to = n;
      if ((flushed = flush_pending(client)) < 0) return -1;
    } else if (n != VPPCOM_EAGAIN || (events & (EPOLLRDHUP | EPOLLHUP))) {
      return -1; /* closed or reset */
    }
  }
  watch(epoll, EPOLL_CTL_MOD, client, flushed ? EPOLLIN : EPOLLOUT);
  return 0;
}

int main(int argc, char **argv) {
  struct endpoint at;
  char name[64];
  if (endpoint_from_args(argc, argv, &at, "vcl-echo-server") != 0) return 2;

  int rv = vppcom_app_create(app_name("", name, sizeof name));
  if (rv != VPPCOM_OK) {
    fprintf(stderr, "vcl-echo-server: cannot attach to VPP (is VCL_CONFIG set, and VPP up?): %s\n", vppcom_retval_str(rv));
    return 1;
  }
  int listener = vppcom_session_create(VPPCOM_PROTO_TCP, 1 /* non-blocking */);
  if (listener < 0) return fail("session create", listener);
  if ((rv = vppcom_session_bind((uint32_t)listener, &at.ep)) != VPPCOM_OK) return fail("bind", rv);
  if ((rv = vppcom_session_listen((uint32_t)listener, 16)) != VPPCOM_OK) return fail("listen", rv);

  int epoll = vppcom_epoll_create();
  if (epoll < 0) return fail("epoll create", epoll);
  struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL /* the listener */};
  if ((rv = vppcom_epoll_ctl((uint32_t)epoll, EPOLL_CTL_ADD, (uint32_t)listener, &event)) != VPPCOM_OK) return fail("epoll add", rv);

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  printf("vcl-echo-server: %s echoes TCP on %s through VPP\n", name, at.text);
  fflush(stdout);

  struct epoll_event events[MAX_EVENTS];
  while (!stopping) {
    int ready = vppcom_epoll_wait((uint32_t)epoll, events, MAX_EVENTS, 1.0);
    if (ready < 0 && ready != VPPCOM_EAGAIN && ready != -EINTR) return fail("epoll wait", ready);
    for (int i = 0; i < ready; i++) {
      struct client *client = events[i].data.ptr;
      if (client) {
        if (serve((uint32_t)epoll, client, events[i].events) < 0) drop((uint32_t)epoll, client);
        continue;
      }
      /* Accept every client waiting, each session non-blocking like the listener. */
      for (;;) {
        vppcom_endpt_t peer = {0};
        uint8_t peer_ip[16];
        peer.ip = peer_ip;
        int session = vppcom_session_accept((uint32_t)listener, &peer, O_NONBLOCK);
        if (session < 0) break;
        struct client *accepted = calloc(1, sizeof *accepted);
        if (!accepted) {
          vppcom_session_close((uint32_t)session);
          break;
        }
        accepted->session = (uint32_t)session;
        watch((uint32_t)epoll, EPOLL_CTL_ADD, accepted, EPOLLIN);
      }
    }
  }
  vppcom_session_close((uint32_t)listener);
  vppcom_app_destroy();
  return 0;
}
