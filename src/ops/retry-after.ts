/** Seconds a phone, client or load balancer should wait before retrying after a 503. */
export const retryAfterSeconds = 5;
