/* Where to serve or connect: [address [port]] on the command line, else VPPKIT_APP_ADDRESS (its
 * prefix length is ignored) and VPPKIT_APP_PORT, as vppkit sets them. */
#ifndef ECHO_ENDPOINT_H
#define ECHO_ENDPOINT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int endpoint_from_args(int argc, char **argv, struct sockaddr_in *out, const char *program) {
  char address[64];
  const char *from_env = getenv("VPPKIT_APP_ADDRESS");
  snprintf(address, sizeof address, "%s", argc > 1 ? argv[1] : from_env && *from_env ? from_env : "127.0.0.1");
  char *slash = strchr(address, '/');
  if (slash) *slash = '\0';
  const char *port_text = argc > 2 ? argv[2] : getenv("VPPKIT_APP_PORT") ? getenv("VPPKIT_APP_PORT") : "7000";
  char *end;
  long port = strtol(port_text, &end, 10);

  memset(out, 0, sizeof *out);
  out->sin_family = AF_INET;
  if (inet_pton(AF_INET, address, &out->sin_addr) != 1 || *end || port < 1 || port > 65535) {
    fprintf(stderr, "usage: %s [ipv4-address [port]] (got %s %s)\n", program, address, port_text);
    return -1;
  }
  out->sin_port = htons((uint16_t)port);
  return 0;
}

#endif
