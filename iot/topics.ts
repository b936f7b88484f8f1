/**
 * Topic layout of device traffic. A device publishes only under its own code and subscribes only to its
 * own replies and commands:
 *   scorta/devices/{code}/levels | readings | rfid | status | heartbeat   (device → Scorta)
 *   scorta/devices/{code}/replies | commands                               (Scorta → device)
 */
import { messageKinds, type MessageKind } from '../api/devices/message-kinds.ts';

export const topicRoot = 'scorta/devices';
/** The topics a device publishes on: one per kind of message. */
export const inboundKinds = messageKinds;
export type InboundKind = MessageKind;
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
