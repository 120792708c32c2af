import type { SipResponse } from './sip-message.js';
import type { SentBy } from './types.js';

/** One request handed to a transport: the full message text and the ids that match its responses. */
export interface OutgoingRequest {
  branch: string;
  callId: string;
  method: string;
  text: string;
}

/** End of one client transaction. `transmissions` counts every write of the request, retransmissions included. */
export type TransactionResult =
  | { kind: 'response'; response: SipResponse; transmissions: number }
  | { kind: 'timeout'; transmissions: number }
  | { kind: 'error'; message: string; transmissions: number };

/** A path to one phone over which the sender runs its transactions. */
export interface RequestChannel {
  /** Host and port for Via and Contact on this path. */
  readonly sentBy: SentBy;
  /** Sends the request and resolves with its final response, a time-out or an error, without rejecting. */
  sendRequest(request: OutgoingRequest): Promise<TransactionResult>;
}

/** RFC 3261 timer values in milliseconds. */
export interface TransactionTimers {
  t1Ms: number;
  t2Ms: number;
  timerFMs: number;
}
