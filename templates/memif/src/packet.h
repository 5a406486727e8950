/* Answers to the packets a memif app sees: ARP requests and ICMP echo for its own address, and UDP
 * datagrams, which it sends back to where they came from. */
#ifndef MEMIF_ECHO_PACKET_H
#define MEMIF_ECHO_PACKET_H

#include <stddef.h>
#include <stdint.h>

struct self {
  uint8_t mac[6];  /* ours, in ethernet mode */
  uint32_t ip;     /* ours, network byte order */
  int ip_mode;     /* memif mode ip: frames are bare IPv4 packets, no Ethernet header */
};

struct counters {
  uint64_t arp, icmp, udp, ignored;
  uint64_t dropped; /* frames too long to answer, or answers the full tx ring had no room for */
};

/* Writes the answer to `in` into `out` (at most `cap` bytes); returns its length, 0 for no answer. */
size_t packet_answer(const struct self *self, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                     struct counters *counters);

#endif
