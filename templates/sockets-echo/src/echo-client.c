/* echo-client: sends messages to an echo server over TCP (or UDP with -u) and measures round trips.
 * Exit 0 when every message came back intact, so it doubles as the lab's smoke check. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "endpoint.h"

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
  int udp = 0, count = 10, option;
  while ((option = getopt(argc, argv, "un:")) != -1) {
    if (option == 'u') udp = 1;
    else if (option == 'n') count = atoi(optarg);
    else {
      fprintf(stderr, "usage: echo-client [-u] [-n count] [ipv4-address [port]]\n");
      return 2;
    }
  }
  struct sockaddr_in to;
  if (endpoint_from_args(argc - optind + 1, argv + optind - 1, &to, "echo-client") != 0) return 2;

  int fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
  struct timeval timeout = {.tv_sec = 2};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof to) < 0) {
    fprintf(stderr, "echo-client: cannot reach %s:%u: %s\n", inet_ntoa(to.sin_addr), ntohs(to.sin_port), strerror(errno));
    return 1;
  }

  double min = 1e12, max = 0, total = 0;
  int echoed = 0;
  for (int i = 0; i < count; i++) {
    char message[64], reply[64];
    int len = snprintf(message, sizeof message, "vppkit echo %d", i);
    double start = now_us();
    if (write(fd, message, (size_t)len) != len) break;
    ssize_t got = 0;
    while (got < len) {
      ssize_t n = read(fd, reply + got, sizeof reply - (size_t)got);
      if (n <= 0) break;
      got += n;
    }
    double rtt = now_us() - start;
    if (got != len || memcmp(message, reply, (size_t)len) != 0) break;
    echoed++;
    total += rtt;
    if (rtt < min) min = rtt;
    if (rtt > max) max = rtt;
  }
  close(fd);
  printf("echo-client: %d/%d echoed over %s by %s:%u", echoed, count, udp ? "UDP" : "TCP", inet_ntoa(to.sin_addr), ntohs(to.sin_port));
  if (echoed) printf(", round trip min/avg/max %.1f/%.1f/%.1f us", min, total / echoed, max);
  printf("\n");
  return echoed == count ? 0 : 1;
}
