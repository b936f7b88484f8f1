import type { Context } from '../api/core/context.ts';
import { DomainError } from '../api/core/errors.ts';
import { sha256Hex } from '../api/core/idempotency.ts';
import { authenticateDevice } from '../api/devices/register-device.ts';
import { deviceTopic, messageKinds, outboundKinds, parseDeviceTopic, topicRoot } from './topics.ts';

/** ACL: a device may publish only its own inbound topics. */
export const mayPublish = (code: string, topic: string) => parseDeviceTopic(topic)?.code === code;

/** ACL: a device may subscribe only to its own replies and commands (no wildcards). */
export const maySubscribe = (code: string, topic: string) => outboundKinds.some((k) => topic === deviceTopic(code, k));

/** The refusal of a publish outside the device's own topics (the broker sends it, then disconnects the device). */
export const topicForbidden = (code: string, topic: string) =>
  new DomainError('forbidden', 'device_topic_forbidden', {
    params: { root: `${topicRoot}/${code}/` },
    fields: [{ field: '(topic)', message: topic }],
  });

/** Scorta's own account on an external broker (the bridge): consumes device topics, publishes replies. */
export interface BrokerService {
  username: string;
  password: string;
}

/** What a client asks of the broker: publish to a topic, subscribe to a filter, or receive a message. */
export type BrokerAction = 'publish' | 'subscribe' | 'read';

export interface BrokerDecision {
  allow: boolean;
  /** Why not, for the broker's log. */
  reason?: string;
}

const allow: BrokerDecision = { allow: true };
const deny = (reason: string): BrokerDecision => ({ allow: false, reason });
const sameSecret = async (a: string, b: string) => (await sha256Hex(a)) === (await sha256Hex(b));

const inbound = messageKinds.join('|');
const serviceFilter = new RegExp(`^(\\$share/[^/#+]+/)?${topicRoot}/\\+/(${inbound})$`);
const outbound = new RegExp(`^${topicRoot}/[A-Za-z0-9_-]+/(${outboundKinds.join('|')})$`);

/**
 * May this client connect to the external broker? Devices as on the embedded broker: username = client
 * id = device code, password = its secret, active devices only. The service account by its own password.
 */
export async function decideConnect(
  ctx: Pick<Context, 'db'>,
  input: { clientid?: string; username?: string; password?: string },
  service?: BrokerService,
): Promise<BrokerDecision> {
  const { clientid, username, password } = input;
  if (!username || !password) return deny('missing credentials');
  if (service && username === service.username)
    return (await sameSecret(password, service.password)) ? allow : deny('wrong service password');
  if (clientid !== username) return deny('the client id must be the device code');
  return (await authenticateDevice(ctx, username, password))
    ? allow
    : deny('unknown or revoked device, or wrong secret');
}

/**
 * May this client publish to, subscribe to, or receive on `topic`? The same topic ACL as the embedded
 * broker (a device only under its own code; replies and commands only to it). The service account may
 * subscribe to the inbound device topics (shared subscriptions included), receive them, and publish
 * replies and commands. No database access: a broker may ask this for every message.
 */
export function decideTopic(
  input: { username?: string; topic?: string; action: BrokerAction },
  service?: BrokerService,
): BrokerDecision {
  const { username, topic, action } = input;
  if (!username || !topic) return deny('missing username or topic');
  if (service && username === service.username) {
    const ok =
      action === 'subscribe'
        ? serviceFilter.test(topic)
        : action === 'read'
          ? parseDeviceTopic(topic) !== null
          : outbound.test(topic);
    return ok ? allow : deny(`the service may not ${action} ${topic}`);
  }
  const ok = action === 'publish' ? mayPublish(username, topic) : maySubscribe(username, topic);
  return ok ? allow : deny(`${username} may not ${action} ${topic}`);
}
