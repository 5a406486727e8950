/* echo-server: a plain BSD-sockets TCP and UDP echo server, nothing VPP-specific in it.
 * It binds VPPKIT_APP_ADDRESS:VPPKIT_APP_PORT (or the address and port given), so it serves on the
 * interface vppkit wires to VPP (tap, af_xdp), or, started under LD_PRELOAD=libvcl_ldpreload.so,
 * inside VPP's session layer without the kernel.
 *
 * Blocking calls, a thread per TCP client and one for UDP: the simplest shape, and the one VCL's
 * LD_PRELOAD library handles most faithfully. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "endpoint.h"

static int bound_socket(int type, const struct sockaddr_in *at) {
  int fd = socket(AF_INET, type, 0);
  int one = 1;
  if (fd < 0) return -1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, (const struct sockaddr *)at, sizeof *at) == 0 && (type != SOCK_STREAM || listen(fd, 16) == 0)) return fd;
  close(fd);
  return -1;
}

static void *serve_tcp_client(void *arg) {
  int fd = (int)(intptr_t)arg;
  char buffer[16384];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) {
    for (ssize_t written = 0, w; written < n; written += w) {
      if ((w = write(fd, buffer + written, (size_t)(n - written))) <= 0) goto done;
    }
  }
done:
  close(fd);
  return NULL;
}

static void *serve_udp(void *arg) {
  int fd = (int)(intptr_t)arg;
  char buffer[65536];
  for (;;) {
    struct sockaddr_in from;
    socklen_t from_len = sizeof from;
    ssize_t n = recvfrom(fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &from_len);
    if (n > 0) sendto(fd, buffer, (size_t)n, 0, (struct sockaddr *)&from, from_len);
    else if (n < 0 && errno != EINTR && errno != EAGAIN) perror("echo-server: recvfrom");
  }
  return NULL;
}

static int start_thread(void *(*run)(void *), int fd) {
  pthread_t thread;
  if (pthread_create(&thread, NULL, run, (void *)(intptr_t)fd) != 0) return -1;
  return pthread_detach(thread);
}

int main(int argc, char **argv) {
  struct sockaddr_in at;
  if (endpoint_from_args(argc, argv, &at, "echo-server") != 0) return 2;

  int tcp = bound_socket(SOCK_STREAM, &at);
  int udp = bound_socket(SOCK_DGRAM, &at);
  if (tcp < 0 || udp < 0 || start_thread(serve_udp, udp) != 0) {
    fprintf(stderr, "echo-server: cannot serve on %s:%u: %s\n", inet_ntoa(at.sin_addr), ntohs(at.sin_port), strerror(errno));
    return 1;
  }
  printf("echo-server: TCP and UDP echo on %s:%u\n", inet_ntoa(at.sin_addr), ntohs(at.sin_port));
  fflush(stdout);

  for (;;) {
    int client = accept(tcp, NULL, NULL);
    if (client < 0) {
      if (errno != EINTR) perror("echo-server: accept");
      continue;
    }
    if (start_thread(serve_tcp_client, client) != 0) close(client);
  }
}
