/* vcl-echo-client: connects through VPP's session layer (VPPCOM), sends messages to the echo
 * server and measures round trips. Exit 0 when every message came back intact: the lab's smoke check. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <time.h>

#include "vcl-endpoint.h"

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

#define MAX_COUNT 1000000

static int usage(void) {
  fprintf(stderr, "usage: vcl-echo-client [-n count] [ipv4-address [port]]\n"
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
    fprintf(stderr, "vcl-echo-client: -n %s is not a count from 1 to %d\n", text, MAX_COUNT);
    return -1;
  }
  *count = (int)value;
  return 0;
}

int main(int argc, char **argv) {
  int count = 10, option;
  while ((option = getopt(argc, argv, "n:")) != -1) {
    if (option != 'n' || parse_count(optarg, &count) != 0) return usage();
  }
  struct endpoint to;
  char name[64];
  if (endpoint_from_args(argc - optind + 1, argv + optind - 1, &to, "vcl-echo-client") != 0) return 2;

  int rv = vppcom_app_create(app_name("-client", name, sizeof name));
  if (rv != VPPCOM_OK) {
    fprintf(stderr, "vcl-echo-client: cannot attach to VPP (is VCL_CONFIG set, and VPP up?): %s\n", vppcom_retval_str(rv));
    return 1;
  }
  int session = vppcom_session_create(VPPCOM_PROTO_TCP, 0 /* blocking */);
  if (session < 0 || (rv = vppcom_session_connect((uint32_t)session, &to.ep)) != VPPCOM_OK) {
    fprintf(stderr, "vcl-echo-client: cannot connect to %s: %s\n", to.text, vppcom_retval_str(session < 0 ? session : rv));
    vppcom_app_destroy();
    return 1;
  }

  double min = 1e12, max = 0, total = 0;
  int echoed = 0;
  for (int i = 0; i < count; i++) {
    char message[64], reply[64];
    int len = snprintf(message, sizeof message, "vppkit vcl echo %d", i);
    double start = now_us();
    if (vppcom_session_write((uint32_t)session, message, (size_t)len) != len) break;
    int got = 0;
    while (got < len) {
      int n = vppcom_session_read((uint32_t)session, reply + got, sizeof reply - (size_t)got);
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
  vppcom_session_close((uint32_t)session);
  vppcom_app_destroy();
  printf("vcl-echo-client: %d/%d echoed by %s through VPP", echoed, count, to.text);
  if (echoed) printf(", round trip min/avg/max %.1f/%.1f/%.1f us", min, total / echoed, max);
  printf("\n");
  return echoed == count ? 0 : 1;
}
