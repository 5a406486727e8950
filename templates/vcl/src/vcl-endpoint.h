/* The address and port to serve or connect on: [address [port]] on the command line, else
 * VPPKIT_APP_ADDRESS (VPP hosts it for the app) and VPPKIT_APP_PORT, as vppkit sets them. */
#ifndef VCL_ECHO_ENDPOINT_H
#define VCL_ECHO_ENDPOINT_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vcl/vppcom.h>

struct endpoint {
  uint8_t ip[4];
  vppcom_endpt_t ep;
  char text[64];
};

static inline int endpoint_from_args(int argc, char **argv, struct endpoint *out, const char *program) {
  char address[48];
  const char *from_env = getenv("VPPKIT_APP_ADDRESS");
  snprintf(address, sizeof address, "%s", argc > 1 ? argv[1] : from_env && *from_env ? from_env : "127.0.0.1");
  char *slash = strchr(address, '/');
  if (slash) *slash = '\0';
  const char *port_text = argc > 2 ? argv[2] : getenv("VPPKIT_APP_PORT") ? getenv("VPPKIT_APP_PORT") : "7000";
  char *end;
  long port = strtol(port_text, &end, 10);
  memset(out, 0, sizeof *out);
  if (inet_pton(AF_INET, address, out->ip) != 1 || *end || port < 1 || port > 65535) {
    fprintf(stderr, "usage: %s [ipv4-address [port]] (got %s %s)\n", program, address, port_text);
    return -1;
  }
  out->ep.is_ip4 = VPPCOM_IS_IP4;
  out->ep.ip = out->ip;
  out->ep.port = htons((uint16_t)port);
  snprintf(out->text, sizeof out->text, "%s:%ld", address, port);
  return 0;
}

/* The name VPP lists in `show app`: VPPKIT_APP (vppkit's readiness check looks for it). */
static inline const char *app_name(const char *suffix, char *buffer, size_t size) {
  const char *app = getenv("VPPKIT_APP");
  snprintf(buffer, size, "%s%s", app && *app ? app : "vcl-echo", suffix);
  return buffer;
}

#endif
