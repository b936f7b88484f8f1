/**
 * What happened to a device that whoever holds its live connection must act on at once: the embedded broker
 * closes a revoked device's connection as soon as the revocation commits. The core only announces (after
 * commit); the transports listen. In process: another Scorta instance, or a revocation made by the CLI in
 * another process, is caught by the broker's periodic revocation check instead.
 */
export type DeviceEvent = { kind: 'revoked'; deviceId: string; code: string };

const listeners = new Set<(event: DeviceEvent) => void>();

/** Calls `listener` on every device event of this process; returns the function that stops it. */
export function onDeviceEvent(listener: (event: DeviceEvent) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Tells every listener; one failing listener does not keep the event from the others. */
export function announceDeviceEvent(event: DeviceEvent) {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      console.error('device event listener failed', error);
    }
  }
}
