/* vcl-echo-server: a TCP echo server on VPP's session layer through the VPPCOM API (libvppcom):
 * sockets without the kernel. One VCL epoll set serves the listener and every client.
 *
 * Every session is non-blocking, so one thread serves them all: a client that sends but does not
 * read fills its session's tx fifo, and what does not fit waits in that client's own buffer (the
 * server stops reading from it until the client reads again) while the others go on being served.
 *
 * Room in a full tx fifo is announced with EPOLLOUT, but not for a session cut through to a client
 * of the same VPP (both apps share the fifos; seen on VPP 26.10-rc0: the fifo emptied, no EPOLLOUT
 * came), so clients that wait for room are also tried again every few milliseconds. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>

#include "vcl-endpoint.h"

#define MAX_EVENTS 64
#define BUFFER_SIZE 16384
#define RETRY_SECONDS 0.005

struct client {
  uint32_t session;
  char pending[BUFFER_SIZE]; /* read, not yet echoed: the session's tx fifo was full */
  int pending_from, pending_to;
  int waiting;                /* for room in the tx fifo, in the list below */
  struct client *prev, *next;
};

/* The clients waiting for room in their tx fifo (a ring with this as its head). */
static struct client waiting = {.prev = &waiting, .next = &waiting};

static void start_waiting(struct client *client) {
  if (client->waiting) return;
  client->waiting = 1;
  client->prev = waiting.prev;
  client->next = &waiting;
  waiting.prev->next = client;
  waiting.prev = client;
}

static void stop_waiting(struct client *client) {
  if (!client->waiting) return;
  client->waiting = 0;
  client->prev->next = client->next;
  client->next->prev = client->prev;
}

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
  stop_waiting(client);
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

/* One event on a client's session (or none: a retry of a waiting client): echo what can be echoed,
 * then decide whether to read more (EPOLLIN) or wait for room in the tx fifo (EPOLLOUT, and the
 * retries). Returns -1 when the session is done. */
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
    if (flushed && (events & EPOLLHUP)) return -1; /* VCL sends no more events after a hang-up */
  }
  if (flushed == client->waiting) watch(epoll, EPOLL_CTL_MOD, client, flushed ? EPOLLIN : EPOLLOUT);
  if (flushed) stop_waiting(client);
  else start_waiting(client);
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
    int ready = vppcom_epoll_wait((uint32_t)epoll, events, MAX_EVENTS, waiting.next != &waiting ? RETRY_SECONDS : 1.0);
    if (ready < 0 && ready != VPPCOM_EAGAIN && ready != -EINTR) return fail("epoll wait", ready);
    for (int i = 0; i < ready; i++) {
      struct client *client = events[i].data.ptr;
      if (client) {
        if (serve((uint32_t)epoll, client, events[i].events) < 0) drop((uint32_t)epoll, client);
        continue;
      }
      /* Accept every client in the accept queue, each session non-blocking like the listener. */
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
    /* After the events, so no client an event names has been dropped by a retry. */
    for (struct client *client = waiting.next, *next; client != &waiting; client = next) {
      next = client->next;
      if (serve((uint32_t)epoll, client, 0) < 0) drop((uint32_t)epoll, client);
    }
  }
  vppcom_session_close((uint32_t)listener);
  vppcom_app_destroy();
  return 0;
}
