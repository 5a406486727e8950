/* echo-server: a plain BSD-sockets TCP and UDP echo server, nothing VPP-specific in it.
 * It binds VPPKIT_APP_ADDRESS:VPPKIT_APP_PORT (or the address and port given), so it serves on the
 * interface vppkit wires to VPP (tap, af_xdp), or, started under LD_PRELOAD=libvcl_ldpreload.so,
 * inside VPP's session layer without the kernel.
 *
 * Blocking calls and no threads: the simplest shape, and the one VCL's LD_PRELOAD library handles
 * most faithfully. A child process, forked before any socket exists so that each process attaches to
 * VPP on its own, serves UDP; the parent serves TCP clients one at a time. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "endpoint.h"

/* SIGTERM (docker stop) and SIGINT (Ctrl-C) end the server at once. As a container's PID 1 it must
 * say so itself: the kernel ignores a signal PID 1 has no handler for, and docker stop would wait
 * its 10 s and kill. The handler exits rather than setting a flag, so no blocking call (accept, recv,
 * or under VCL's LD_PRELOAD library VCL's own waits) has to return first; the sockets close with
 * the process. */
static void on_stop(int signo) {
  static const char message[] = "echo-server: stopping\n";
  (void)signo;
  ssize_t ignored = write(STDOUT_FILENO, message, sizeof message - 1);
  (void)ignored;
  _exit(0);
}

static void stop_on_signals(void) {
  struct sigaction action = {.sa_handler = on_stop};
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
}

static int bound_socket(int type, const struct sockaddr_in *at) {
  int fd = socket(AF_INET, type, 0);
  int one = 1;
  if (fd < 0) return -1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, (const struct sockaddr *)at, sizeof *at) == 0 && (type != SOCK_STREAM || listen(fd, 16) == 0)) return fd;
  close(fd);
  return -1;
}

/* MSG_NOSIGNAL: a client that resets its connection is an error on that send, not a SIGPIPE that
 * kills the server. */
static void serve_tcp_client(int fd) {
  char buffer[16384];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) {
    for (ssize_t written = 0, w; written < n; written += w) {
      if ((w = send(fd, buffer + written, (size_t)(n - written), MSG_NOSIGNAL)) <= 0) goto done;
    }
  }
done:
  close(fd);
}

static int serve_udp(const struct sockaddr_in *at) {
  int fd = bound_socket(SOCK_DGRAM, at);
  if (fd < 0) {
    fprintf(stderr, "echo-server: cannot serve UDP on %s:%u: %s\n", inet_ntoa(at->sin_addr), ntohs(at->sin_port), strerror(errno));
    return 1;
  }
  char buffer[65536];
  for (;;) {
    struct sockaddr_in from;
    socklen_t from_len = sizeof from;
    ssize_t n = recvfrom(fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &from_len);
    if (n > 0) sendto(fd, buffer, (size_t)n, MSG_NOSIGNAL, (struct sockaddr *)&from, from_len);
    else if (n < 0 && errno != EINTR && errno != EAGAIN) perror("echo-server: recvfrom");
  }
}

int main(int argc, char **argv) {
  struct sockaddr_in at;
  if (endpoint_from_args(argc, argv, &at, "echo-server") != 0) return 2;

  pid_t udp = fork();
  if (udp < 0) {
    perror("echo-server: fork");
    return 1;
  }
  if (udp == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* the UDP server goes when the TCP one does */
    return serve_udp(&at);
  }
  stop_on_signals(); /* the parent's: the child, not PID 1, ends by the signals' default action */

  int tcp = bound_socket(SOCK_STREAM, &at);
  if (tcp < 0) {
    fprintf(stderr, "echo-server: cannot serve TCP on %s:%u: %s\n", inet_ntoa(at.sin_addr), ntohs(at.sin_port), strerror(errno));
    kill(udp, SIGTERM);
    return 1;
  }
  printf("echo-server: TCP and UDP echo on %s:%u\n", inet_ntoa(at.sin_addr), ntohs(at.sin_port));
  fflush(stdout);

  for (;;) {
    int client = accept(tcp, NULL, NULL);
    if (client >= 0) serve_tcp_client(client);
    else if (errno != EINTR) perror("echo-server: accept");
    if (waitpid(udp, NULL, WNOHANG) == udp) {
      fprintf(stderr, "echo-server: the UDP server stopped\n");
      return 1;
    }
  }
}
