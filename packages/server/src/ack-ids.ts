// Outgoing ack ids: one counter per server, so a broadcast frame with an ack id fits every socket.
import { MAX_ACK_ID } from '@smartsocket/protocol';

/**
 * Hands out ack ids 1, 2, 3, … wrapping at 2^32 (0 is skipped). Ids are unique per server and
 * therefore per connection, which lets one broadcast frame carry a single ack id for all sockets.
 */
export class AckIds {
  #next = 1;

  next(): number {
    const id = this.#next;
    this.#next = id >= MAX_ACK_ID ? 1 : id + 1;
    return id;
  }
}
