#include "packet.h"

#include <arpa/inet.h>
#include <string.h>

#define ETH_HEADER 14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define IP_PROTO_ICMP 1
#define IP_PROTO_UDP 17

static uint16_t read16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void write16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* The Internet checksum (RFC 1071) over `len` bytes. */
static uint16_t checksum(const uint8_t *p, size_t len) {
  uint32_t sum = 0;
  for (; len > 1; p += 2, len -= 2) sum += read16(p);
  if (len) sum += (uint32_t)p[0] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

static size_t answer_arp(const struct self *self, const uint8_t *in, size_t len, uint8_t *out, size_t cap) {
  const uint8_t *arp = in + ETH_HEADER;
  if (len < ETH_HEADER + 28 || cap < ETH_HEADER + 28) return 0;
  /* Ethernet/IPv4 requests for our address only. */
  if (read16(arp) != 1 || read16(arp + 2) != ETHERTYPE_IPV4 || read16(arp + 6) != 1) return 0;
  if (memcmp(arp + 24, &self->ip, 4) != 0) return 0;

  memcpy(out, in + 6, 6);          /* to the asker */
  memcpy(out + 6, self->mac, 6);   /* from us */
  write16(out + 12, ETHERTYPE_ARP);
  uint8_t *reply = out + ETH_HEADER;
  memcpy(reply, arp, 6);           /* hardware and protocol types and sizes */
  write16(reply + 6, 2);           /* reply */
  memcpy(reply + 8, self->mac, 6); /* sender: us */
  memcpy(reply + 14, &self->ip, 4);
  memcpy(reply + 18, arp + 8, 10); /* target: the asker's MAC and IP */
  return ETH_HEADER + 28;
}

/* Turns a copy of an IPv4 packet around: swapped addresses, fresh TTL and header checksum. */
static size_t answer_ipv4(const struct self *self, const uint8_t *ip, size_t len, uint8_t *out, size_t cap,
                          struct counters *counters) {
  if (len < 20 || (ip[0] >> 4) != 4) return 0;
  size_t header = (size_t)(ip[0] & 0x0f) * 4;
  size_t total = read16(ip + 2);
  if (header < 20 || total < header || total > len || total > cap) return 0;
  if (memcmp(ip + 16, &self->ip, 4) != 0) return 0;

  memcpy(out, ip, total);
  uint8_t *payload = out + header;
  size_t payload_len = total - header;
  if (ip[9] == IP_PROTO_ICMP) {
    if (payload_len < 8 || payload[0] != 8) return 0; /* echo requests only */
    payload[0] = 0;                                   /* echo reply */
    write16(payload + 2, 0);
    write16(payload + 2, checksum(payload, payload_len));
    counters->icmp++;
  } else if (ip[9] == IP_PROTO_UDP) {
    if (payload_len < 8) return 0;
    uint8_t port[2];
    memcpy(port, payload, 2);
    memcpy(payload, payload + 2, 2);
    memcpy(payload + 2, port, 2);
    write16(payload + 6, 0); /* no UDP checksum: allowed over IPv4 */
    counters->udp++;
  } else {
    return 0;
  }
  memcpy(out + 12, ip + 16, 4); /* from us */
  memcpy(out + 16, ip + 12, 4); /* to the sender */
  out[8] = 64;
  write16(out + 10, 0);
  write16(out + 10, checksum(out, header));
  return total;
}

size_t packet_answer(const struct self *self, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                     struct counters *counters) {
  size_t answered = 0;
  if (self->ip_mode) {
    answered = answer_ipv4(self, in, len, out, cap, counters);
  } else if (len >= ETH_HEADER && cap >= ETH_HEADER) {
    uint16_t type = read16(in + 12);
    if (type == ETHERTYPE_ARP) {
      if ((answered = answer_arp(self, in, len, out, cap))) counters->arp++;
    } else if (type == ETHERTYPE_IPV4) {
      size_t ip = answer_ipv4(self, in + ETH_HEADER, len - ETH_HEADER, out + ETH_HEADER, cap - ETH_HEADER, counters);
      if (ip) {
        memcpy(out, in + 6, 6);
        memcpy(out + 6, self->mac, 6);
        write16(out + 12, ETHERTYPE_IPV4);
        answered = ETH_HEADER + ip;
      }
    }
  }
  if (!answered) counters->ignored++;
  return answered;
}
