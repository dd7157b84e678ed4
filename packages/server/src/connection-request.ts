// Where a connection came from: its own module so the socket link need not import the handshake.

/** Where a connection came from (read from the HTTP upgrade request). */
export interface ConnectionRequest {
  headers: Record<string, string | string[] | undefined>;
  address: string;
  url: string;
}
