/* vcl-echo-server: a TCP echo server on VPP's session layer through the VPPCOM API (libvppcom):
 * sockets without the kernel. One VCL epoll set serves the listener and every client. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>

#include "vcl-endpoint.h"

#define MAX_EVENTS 64

static volatile sig_atomic_t stopping;
static void on_signal(int signo) { (void)signo; stopping = 1; }

static int fail(const char *what, int rv) {
  fprintf(stderr, "vcl-echo-server: %s: %s (%d)\n", what, vppcom_retval_str(rv), rv);
  vppcom_app_destroy();
  return 1;
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
  struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)listener};
  if ((rv = vppcom_epoll_ctl((uint32_t)epoll, EPOLL_CTL_ADD, (uint32_t)listener, &event)) != VPPCOM_OK) return fail("epoll add", rv);

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  printf("vcl-echo-server: %s echoes TCP on %s through VPP\n", name, at.text);
  fflush(stdout);

  struct epoll_event events[MAX_EVENTS];
  char buffer[16384];
  while (!stopping) {
    int ready = vppcom_epoll_wait((uint32_t)epoll, events, MAX_EVENTS, 1.0);
    if (ready < 0 && ready != VPPCOM_EAGAIN && ready != -EINTR) return fail("epoll wait", ready);
    for (int i = 0; i < ready; i++) {
      uint32_t session = events[i].data.u32;
      if (session == (uint32_t)listener) {
        vppcom_endpt_t peer = {0};
        uint8_t peer_ip[16];
        peer.ip = peer_ip;
        int client = vppcom_session_accept((uint32_t)listener, &peer, 0);
        if (client < 0) continue;
        struct epoll_event client_event = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = (uint32_t)client};
        vppcom_epoll_ctl((uint32_t)epoll, EPOLL_CTL_ADD, (uint32_t)client, &client_event);
        continue;
      }
      int n = vppcom_session_read(session, buffer, sizeof buffer);
      if (n == VPPCOM_EAGAIN) continue;
      int written = 0;
      while (n > 0 && written < n) {
        int w = vppcom_session_write(session, buffer + written, (size_t)(n - written));
        if (w == VPPCOM_EAGAIN) continue;
        if (w <= 0) break;
        written += w;
      }
      if (n <= 0 || written < n || (events[i].events & EPOLLRDHUP)) {
        vppcom_epoll_ctl((uint32_t)epoll, EPOLL_CTL_DEL, session, NULL);
        vppcom_session_close(session);
      }
    }
  }
  vppcom_session_close((uint32_t)listener);
  vppcom_app_destroy();
  return 0;
}
