/* memif-echo: a libmemif 4.0 app that answers ARP and ICMP echo for its address and echoes UDP.
 *
 * Configuration comes from the environment vppkit gives the app (VPPKIT_MEMIF_*, VPPKIT_APP_ADDRESS),
 * so the same binary runs in any lab. Start it with --poll for polling mode (busy loop on the rx
 * queues, lowest latency); without it, interrupt mode (sleeps until VPP signals a queue). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmemif.h>

#include "packet.h"

#define MAX_BURST 64
/* What libmemif itself allows: 255 queue pairs (MEMIF_MAX_M2S_RING) and rings of 2^14 descriptors
 * (MEMIF_MAX_LOG2_RING_SIZE); memif_create refuses more. */
#define MAX_QUEUES 255
#define MAX_RING_SIZE 16384
/* The longest frame memif_buffer_alloc can lay out (its size is 16 bits); longer ones are dropped. */
#define MAX_FRAME 65535
/* Enough tx buffers for a burst of answers, and for one MAX_FRAME chained over the smallest buffers. */
#define TX_BATCH 1024

/* A frame that arrives in more than one buffer (MEMIF_BUFFER_FLAG_NEXT on all but its last), gathered
 * here. A chain may straddle two bursts, so each queue keeps its own. */
struct chain {
  uint8_t *frame; /* MAX_FRAME bytes, allocated with the queue's first chain */
  size_t len;
  int too_long;
};

/* The answers of one burst: buffers allocated on the tx ring, filled, not yet handed to VPP. */
struct tx_batch {
  memif_buffer_t buffers[TX_BATCH];
  uint16_t count;
};

struct app {
  memif_socket_handle_t socket;
  memif_conn_handle_t conn;
  struct self self;
  struct counters counters;
  uint16_t queues;
  uint16_t buffer_size;
  int polling;
  volatile int connected;
  struct chain *chains; /* one per queue */
  struct tx_batch tx;
  uint8_t answer[MAX_FRAME];
};

static volatile sig_atomic_t stopping;
static struct app app;

static void on_signal(int signo) {
  (void)signo;
  stopping = 1;
  if (app.socket) memif_cancel_poll_event(app.socket);
}

static const char *env(const char *name, const char *fallback) {
  const char *value = getenv(name);
  return value && *value ? value : fallback;
}

static long env_number(const char *name, long fallback, long min, long max, const char *why) {
  const char *value = getenv(name);
  if (!value || !*value) return fallback;
  char *end;
  long number = strtol(value, &end, 10);
  if (*end || number < min || number > max) {
    fprintf(stderr, "memif-echo: %s=%s is not a number from %ld to %ld%s\n", name, value, min, max, why);
    exit(2);
  }
  return number;
}

static int log2_of(long n) {
  int log2 = 0;
  while ((1L << log2) < n) log2++;
  return log2;
}

static void flush_tx(struct app *a, uint16_t qid) {
  uint16_t sent = 0;
  if (!a->tx.count) return;
  int err = memif_tx_burst(a->conn, qid, a->tx.buffers, a->tx.count, &sent);
  if (err != MEMIF_ERR_SUCCESS) fprintf(stderr, "memif-echo: tx burst on queue %u: %s\n", qid, memif_strerror(err));
  a->tx.count = 0;
}

/* Answers one whole frame. The answer is written aside, then copied into as many tx buffers as its
 * length needs: libmemif allocates them as one chain (MEMIF_BUFFER_FLAG_NEXT on all but the last)
 * when the answer is longer than a buffer, and memif_tx_burst passes the flags on to VPP. */
static void answer_frame(struct app *a, uint16_t qid, const uint8_t *frame, size_t len) {
  size_t answer_len = packet_answer(&a->self, frame, len, a->answer, sizeof a->answer, &a->counters);
  if (!answer_len) return;
  size_t buffers_needed = (answer_len + a->buffer_size - 1) / a->buffer_size;
  if (a->tx.count + buffers_needed > TX_BATCH) flush_tx(a, qid);

  memif_buffer_t *chain = &a->tx.buffers[a->tx.count];
  uint16_t allocated = 0;
  int err = memif_buffer_alloc(a->conn, qid, chain, 1, &allocated, (uint16_t)answer_len);
  if (err != MEMIF_ERR_SUCCESS || allocated == 0) {
    a->counters.dropped++; /* the tx ring is full: VPP has not taken the last answers yet */
    return;
  }
  size_t copied = 0;
  for (uint16_t i = 0; i < allocated; i++) {
    memcpy(chain[i].data, a->answer + copied, chain[i].len);
    copied += chain[i].len;
  }
  a->tx.count += allocated;
}

/* One queue's burst, as libmemif's own examples do it: receive, answer, give the rx buffers back
 * (refill), then transmit. A frame in one buffer is answered where it lies; a chained one is
 * gathered first, and may be completed by a later burst. */
static int serve_queue(struct app *a, uint16_t qid) {
  memif_buffer_t rx[MAX_BURST];
  uint16_t received = 0;

  int err = memif_rx_burst(a->conn, qid, rx, MAX_BURST, &received);
  if (err != MEMIF_ERR_SUCCESS && err != MEMIF_ERR_NOBUF) {
    fprintf(stderr, "memif-echo: rx burst on queue %u: %s\n", qid, memif_strerror(err));
    return err;
  }
  if (received == 0) return 0;

  struct chain *chain = &a->chains[qid];
  for (uint16_t i = 0; i < received; i++) {
    int more = rx[i].flags & MEMIF_BUFFER_FLAG_NEXT;
    if (!more && chain->len == 0 && !chain->too_long) {
      answer_frame(a, qid, rx[i].data, rx[i].len);
      continue;
    }
    if (!chain->frame && !(chain->frame = malloc(MAX_FRAME))) chain->too_long = 1;
    if (chain->too_long || chain->len + rx[i].len > MAX_FRAME) {
      chain->too_long = 1;
    } else {
      memcpy(chain->frame + chain->len, rx[i].data, rx[i].len);
      chain->len += rx[i].len;
    }
    if (more) continue;
    if (chain->too_long) a->counters.dropped++;
    else answer_frame(a, qid, chain->frame, chain->len);
    chain->len = 0;
    chain->too_long = 0;
  }

  err = memif_refill_queue(a->conn, qid, received, 0);
  if (err != MEMIF_ERR_SUCCESS) fprintf(stderr, "memif-echo: refill queue %u: %s\n", qid, memif_strerror(err));
  flush_tx(a, qid);
  return 0;
}

static int on_connect(memif_conn_handle_t conn, void *ctx) {
  struct app *a = ctx;
  for (uint16_t qid = 0; qid < a->queues; qid++) {
    a->chains[qid].len = 0; /* a chain cut off by the last disconnect is gone with its buffers */
    a->chains[qid].too_long = 0;
    /* Every rx descriptor to the ring at once, so the peer can start sending. */
    memif_refill_queue(conn, qid, (uint16_t)-1, 0);
    if (a->polling) memif_set_rx_mode(conn, MEMIF_RX_MODE_POLLING, qid);
  }
  a->connected = 1;
  printf("memif-echo: connected (%s mode, %u queue%s)\n", a->polling ? "polling" : "interrupt", a->queues, a->queues == 1 ? "" : "s");
  fflush(stdout);
  return 0;
}

static int on_disconnect(memif_conn_handle_t conn, void *ctx) {
  struct app *a = ctx;
  (void)conn;
  a->connected = 0;
  printf("memif-echo: disconnected (answered %llu ARP, %llu ICMP, %llu UDP; ignored %llu; dropped %llu)\n",
         (unsigned long long)a->counters.arp, (unsigned long long)a->counters.icmp,
         (unsigned long long)a->counters.udp, (unsigned long long)a->counters.ignored,
         (unsigned long long)a->counters.dropped);
  fflush(stdout);
  return 0;
}

static int on_interrupt(memif_conn_handle_t conn, void *ctx, uint16_t qid) {
  (void)conn;
  return serve_queue(ctx, qid);
}

static void usage(void) {
  fprintf(stderr,
          "usage: memif-echo [--poll]\n"
          "  --poll   polling mode: busy-poll the rx queues instead of waiting for interrupts\n"
          "Reads VPPKIT_MEMIF_SOCKET, _ID, _ROLE, _MODE, _RING_SIZE, _BUFFER_SIZE, _QUEUES, _SECRET\n"
          "and VPPKIT_APP_ADDRESS (address/len), as vppkit sets them.\n");
}

int main(int argc, char **argv) {
  static const struct option options[] = {{"poll", no_argument, 0, 'p'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
  int option;
  app.polling = strcmp(env("VPPKIT_MEMIF_RX_MODE", "interrupt"), "polling") == 0;
  while ((option = getopt_long(argc, argv, "ph", options, NULL)) != -1) {
    if (option == 'p') app.polling = 1;
    else {
      usage();
      return option == 'h' ? 0 : 2;
    }
  }

  char address[32];
  snprintf(address, sizeof address, "%s", env("VPPKIT_APP_ADDRESS", "192.168.1.2/24"));
  char *slash = strchr(address, '/');
  if (slash) *slash = '\0';
  if (inet_pton(AF_INET, address, &app.self.ip) != 1) {
    fprintf(stderr, "memif-echo: VPPKIT_APP_ADDRESS=%s is not an IPv4 address\n", address);
    return 2;
  }
  long id = env_number("VPPKIT_MEMIF_ID", 0, 0, 0xffffffffL, "");
  /* A locally administered MAC of our own, derived from the interface id. */
  uint8_t mac[6] = {0x02, 0xfe, (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id};
  memcpy(app.self.mac, mac, sizeof mac);
  app.self.ip_mode = strcmp(env("VPPKIT_MEMIF_MODE", "ethernet"), "ip") == 0;
  app.queues = (uint16_t)env_number("VPPKIT_MEMIF_QUEUES", 1, 1, MAX_QUEUES, " (libmemif's most queue pairs)");
  app.buffer_size = (uint16_t)env_number("VPPKIT_MEMIF_BUFFER_SIZE", 2048, 128, 65535, "");
  long ring_size = env_number("VPPKIT_MEMIF_RING_SIZE", 1024, 2, MAX_RING_SIZE, " (libmemif's rings hold at most 2^14 descriptors)");
  if (!(app.chains = calloc(app.queues, sizeof *app.chains))) {
    perror("memif-echo: queues");
    return 1;
  }

  memif_socket_args_t socket_args = {0};
  snprintf(socket_args.path, sizeof socket_args.path, "%s", env("VPPKIT_MEMIF_SOCKET", "/run/vpp/memif.sock"));
  snprintf(socket_args.app_name, sizeof socket_args.app_name, "%s", env("VPPKIT_APP", "memif-echo"));
  /* A slave asks to connect again every second until the master (VPP) answers. */
  socket_args.connection_request_timer.it_value.tv_sec = 1;
  socket_args.connection_request_timer.it_interval.tv_sec = 1;
  int err = memif_create_socket(&app.socket, &socket_args, NULL);
  if (err != MEMIF_ERR_SUCCESS) {
    fprintf(stderr, "memif-echo: socket %s: %s\n", socket_args.path, memif_strerror(err));
    return 1;
  }

  memif_conn_args_t conn_args = {0};
  conn_args.socket = app.socket;
  conn_args.interface_id = (uint32_t)id;
  conn_args.is_master = strcmp(env("VPPKIT_MEMIF_ROLE", "slave"), "master") == 0;
  conn_args.mode = app.self.ip_mode ? MEMIF_INTERFACE_MODE_IP : MEMIF_INTERFACE_MODE_ETHERNET;
  conn_args.num_s2m_rings = (uint8_t)app.queues;
  conn_args.num_m2s_rings = (uint8_t)app.queues;
  conn_args.buffer_size = app.buffer_size;
  conn_args.log2_ring_size = (uint8_t)log2_of(ring_size);
  snprintf((char *)conn_args.interface_name, sizeof conn_args.interface_name, "%s", env("VPPKIT_APP", "memif-echo"));
  snprintf((char *)conn_args.secret, sizeof conn_args.secret, "%s", env("VPPKIT_MEMIF_SECRET", ""));
  err = memif_create(&app.conn, &conn_args, on_connect, on_disconnect, on_interrupt, &app);
  if (err != MEMIF_ERR_SUCCESS) {
    fprintf(stderr, "memif-echo: interface %ld on %s: %s\n", id, socket_args.path, memif_strerror(err));
    return 1;
  }

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  printf("memif-echo: %s, interface %ld on %s as %s, waiting for VPP\n", address, id, socket_args.path,
         conn_args.is_master ? "master" : "slave");
  fflush(stdout);

  while (!stopping) {
    if (app.polling && app.connected) {
      /* Control events without waiting, then every queue. */
      err = memif_poll_event(app.socket, 0);
      for (uint16_t qid = 0; qid < app.queues && app.connected; qid++) serve_queue(&app, qid);
    } else {
      err = memif_poll_event(app.socket, -1);
    }
    if (err != MEMIF_ERR_SUCCESS && err != MEMIF_ERR_POLL_CANCEL && !stopping) {
      fprintf(stderr, "memif-echo: poll: %s\n", memif_strerror(err));
    }
  }
  memif_delete(&app.conn);
  memif_delete_socket(&app.socket);
  return 0;
}
