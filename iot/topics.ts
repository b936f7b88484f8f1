/**
 * Topic layout of device traffic. A device publishes only under its own code and subscribes only to its
 * own replies and commands:
 *   scorta/devices/{code}/levels | readings | rfid | status | heartbeat   (device → Scorta)
 *   scorta/devices/{code}/replies | commands                               (Scorta → device)
 */
import { messageKinds, type MessageKind } from '../api/devices/message-kinds.ts';

export const topicRoot = 'scorta/devices';
/** The topics a device publishes on are its message kinds (api/devices/message-kinds.ts), one topic each. */
export { messageKinds, type MessageKind };
export const outboundKinds = ['replies', 'commands'] as const;

export const deviceTopic = (code: string, kind: MessageKind | (typeof outboundKinds)[number]) =>
  `${topicRoot}/${code}/${kind}`;
export const replyTopic = (code: string) => deviceTopic(code, 'replies');

/** The device code and message kind of an inbound topic, or null for anything else. */
export function parseDeviceTopic(topic: string): { code: string; kind: MessageKind } | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || `${parts[0]}/${parts[1]}` !== topicRoot) return null;
  const kind = parts[3] as MessageKind;
  return messageKinds.includes(kind) && parts[2] ? { code: parts[2], kind } : null;
}
