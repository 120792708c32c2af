import type { SipResponse } from './sip-message.js';
import type { TransactionResult } from './transaction.js';
import type { NotifyResult, NotifyTarget } from './types.js';

/** Returns `403 Forbidden` style text for a response. */
export function statusLine(response: SipResponse): string {
  return response.reason === '' ? String(response.status) : `${response.status} ${response.reason}`;
}

/** Maps the last transaction of a NOTIFY to the caller's result. */
export function toNotifyResult(result: TransactionResult, attempts: number): NotifyResult {
  switch (result.kind) {
    case 'response': {
      const outcome = result.response.status < 300 ? 'answered' : 'refused';
      return { outcome, sipStatus: result.response.status, reason: statusLine(result.response), attempts };
    }
    case 'timeout':
      return { outcome: 'timed-out', reason: 'no final response before Timer F', attempts };
    case 'error':
      return { outcome: 'failed', reason: result.message, attempts };
  }
}

/** Returns why the target cannot be sent to, or undefined when it is valid. */
export function invalidTargetReason(target: NotifyTarget): string | undefined {
  if (typeof target.host !== 'string' || !/^[A-Za-z0-9.:\-_%]+$/.test(target.host)) {
    return `invalid target host "${String(target.host)}"; expected a host name or an IP address without brackets`;
  }
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    return `invalid target port ${String(target.port)}; expected a whole number from 1 to 65535`;
  }
  if (target.transport !== 'udp' && target.transport !== 'tcp') {
    return `invalid target transport "${String(target.transport)}"; expected "udp" or "tcp"`;
  }
  if (target.credentials !== undefined && /[\x00-\x1f\x7f]/.test(target.credentials.username)) {
    return 'invalid digest username: it contains control characters';
  }
  return undefined;
}
