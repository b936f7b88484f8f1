/**
 * Topic layout of device traffic. A device publishes only under its own code and subscribes only to its
 * own replies and commands:
 *   scorta/devices/{code}/levels | readings | rfid | status | heartbeat   (device → Scorta)
 *   scorta/devices/{code}/replies | commands                               (Scorta → device)
 */
export const topicRoot = 'scorta/devices';
export const inboundKinds = ['levels', 'readings', 'rfid', 'status', 'heartbeat'] as const;
export type InboundKind = (typeof inboundKinds)[number];
export const outboundKinds = ['replies', 'commands'] as const;

export const deviceTopic = (code: string, kind: InboundKind | (typeof outboundKinds)[number]) =>
  `${topicRoot}/${code}/${kind}`;
export const replyTopic = (code: string) => deviceTopic(code, 'replies');

/** The device code and message kind of an inbound topic, or null for anything else. */
export function parseDeviceTopic(topic: string): { code: string; kind: InboundKind } | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || `${parts[0]}/${parts[1]}` !== topicRoot) return null;
  const kind = parts[3] as InboundKind;
  return inboundKinds.includes(kind) && parts[2] ? { code: parts[2], kind } : null;
}

/** ACL: a device may publish only its own inbound topics. */
export const mayPublish = (code: string, topic: string) => parseDeviceTopic(topic)?.code === code;

/** ACL: a device may subscribe only to its own replies and commands (no wildcards). */
export const maySubscribe = (code: string, topic: string) => outboundKinds.some((k) => topic === deviceTopic(code, k));
