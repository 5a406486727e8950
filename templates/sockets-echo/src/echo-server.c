/* echo-server: a plain BSD-sockets TCP and UDP echo server, nothing VPP-specific in it.
 * It binds VPPKIT_APP_ADDRESS:VPPKIT_APP_PORT (or the address and port given), so it serves on the
 * interface vppkit wires to VPP (tap, af_xdp), or, started under LD_PRELOAD=libvcl_ldpreload.so,
 * inside VPP's session layer without the kernel. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "endpoint.h"

#define MAX_CLIENTS 64

static volatile sig_atomic_t stopping;
static void on_signal(int signo) { (void)signo; stopping = 1; }

static int listen_on(int type, const struct sockaddr_in *at) {
  int fd = socket(AF_INET, type, 0);
  int one = 1;
  if (fd < 0) return -1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, (const struct sockaddr *)at, sizeof *at) < 0) goto fail;
  if (type == SOCK_STREAM && listen(fd, 16) < 0) goto fail;
  return fd;
fail:
  close(fd);
  return -1;
}

int main(int argc, char **argv) {
  struct sockaddr_in at;
  if (endpoint_from_args(argc, argv, &at, "echo-server") != 0) return 2;

  int tcp = listen_on(SOCK_STREAM, &at);
  int udp = listen_on(SOCK_DGRAM, &at);
  if (tcp < 0 || udp < 0) {
    fprintf(stderr, "echo-server: cannot listen on %s:%u: %s\n", inet_ntoa(at.sin_addr), ntohs(at.sin_port), strerror(errno));
    return 1;
  }
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  printf("echo-server: TCP and UDP echo on %s:%u\n", inet_ntoa(at.sin_addr), ntohs(at.sin_port));
  fflush(stdout);

  struct pollfd fds[2 + MAX_CLIENTS] = {{.fd = tcp, .events = POLLIN}, {.fd = udp, .events = POLLIN}};
  nfds_t count = 2;
  char buffer[65536];
  while (!stopping) {
    if (poll(fds, count, 1000) < 0) {
      if (errno == EINTR) continue;
      perror("echo-server: poll");
      return 1;
    }
    if (fds[0].revents & POLLIN) {
      int client = accept(tcp, NULL, NULL);
      if (client >= 0 && count < 2 + MAX_CLIENTS) fds[count++] = (struct pollfd){.fd = client, .events = POLLIN};
      else if (client >= 0) close(client);
    }
    if (fds[1].revents & POLLIN) {
      struct sockaddr_in from;
      socklen_t from_len = sizeof from;
      ssize_t n = recvfrom(udp, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &from_len);
      if (n > 0) sendto(udp, buffer, (size_t)n, 0, (struct sockaddr *)&from, from_len);
    }
    for (nfds_t i = 2; i < count; i++) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      ssize_t written = 0;
      while (n > 0 && written < n) {
        ssize_t w = write(fds[i].fd, buffer + written, (size_t)(n - written));
        if (w <= 0) break;
        written += w;
      }
      if (n <= 0 || written < n) {
        close(fds[i].fd);
        fds[i--] = fds[--count]; /* the last client takes this slot; look at it next */
      }
    }
  }
  return 0;
}
