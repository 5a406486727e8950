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

#define MAX_COUNT 1000000

static int usage(void) {
  fprintf(stderr, "usage: echo-client [-u] [-n count] [ipv4-address [port]]\n"
                  "  -u        UDP (default TCP)\n"
                  "  -n count  messages to send, 1 to %d (default 10)\n", MAX_COUNT);
  return 2;
}

/* A count that is not a whole number in range is a mistake to report, not zero messages that all
 * came back: the client is the lab's smoke check, and must not pass having sent nothing. */
static int parse_count(const char *text, int *count) {
  char *end;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno || end == text || *end || value < 1 || value > MAX_COUNT) {
    fprintf(stderr, "echo-client: -n %s is not a count from 1 to %d\n", text, MAX_COUNT);
    return -1;
  }
  *count = (int)value;
  return 0;
}

int main(int argc, char **argv) {
  int udp = 0, count = 10, option;
  while ((option = getopt(argc, argv, "un:")) != -1) {
    if (option == 'u') udp = 1;
    else if (option != 'n' || parse_count(optarg, &count) != 0) return usage();
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
    /* MSG_NOSIGNAL: a server gone away is a failed send to report, not a SIGPIPE that kills us. */
    if (send(fd, message, (size_t)len, MSG_NOSIGNAL) != len) break;
    ssize_t got = 0;
    while (got < len) {
      ssize_t n = recv(fd, reply + got, sizeof reply - (size_t)got, 0);
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
