import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Database } from '../db/client.ts';
import { messageKinds, topicRoot } from './topics.ts';
import { createIngest, type Log } from './ingest.ts';

export interface DeviceBridge {
  client: MqttClient;
  /**
   * Publishes at QoS 1 and resolves once the broker has acknowledged it (PUBACK); rejects when the broker is
   * not reachable or does not acknowledge within `timeoutMs`, so an outbox row is marked delivered only when
   * the broker holds the message.
   */
  publish(topic: string, payload: string, timeoutMs?: number): Promise<void>;
  /** Messages applied (or answered with a rejection) and acknowledged by this instance. */
  readonly handled: number;
  /**
   * Disconnects, keeping the session: the broker queues QoS 1 messages for this client id meanwhile. With
   * `forget`, the broker ends the session too (retiring an instance: nothing more is queued for it).
   */
  close(options?: { forget?: boolean }): Promise<void>;
}

export class BrokerUnreachableError extends Error {
  constructor(
    readonly url: string,
    why: string,
  ) {
    super(
      `Cannot connect to the MQTT broker at ${new URL(url).host} ` +
        `(MQTT_URL): ${why}. Is it running, and does it allow Scorta's client?`,
    );
  }
}

/** The filters Scorta consumes: every inbound kind of every device, shared by the instances of `group`. */
export const sharedFilters = (group: string) => messageKinds.map((kind) => `$share/${group}/${topicRoot}/+/${kind}`);

/**
 * Scorta as a client of an external broker (Mosquitto, EMQX…) instead of embedding one. It connects with
 * MQTT 5, a stable client id and a persistent session (clean start off, `sessionExpirySeconds`), so QoS 1
 * messages published while it is away wait for it; it subscribes to the device topics through the shared
 * subscription `$share/{group}/scorta/devices/+/{kind}`, so several instances split the traffic. Each
 * message is applied through the same ingest as the embedded broker, and its PUBACK leaves only after
 * commit (mqtt.js `customHandleAcks`). A message whose transaction fails is not acknowledged: the client
 * reconnects and the broker redelivers it (duplicates are harmless: exactly-once by sequence number).
 * Credentials and topic ACL of devices belong to the broker (see iot/broker-hooks.ts); Scorta still
 * refuses messages whose topic names a revoked device, and ignores codes its database never registered.
 */
export async function connectBroker(options: {
  db: Database;
  url: string;
  clientId: string;
  group?: string;
  sessionExpirySeconds?: number;
  log?: Log;
  cacheMs?: number;
  connectTimeoutMs?: number;
}): Promise<DeviceBridge> {
  const { db, url, clientId, group = 'scorta', sessionExpirySeconds = 7 * 86_400, log = console } = options;
  let client: MqttClient | undefined;
  let handled = 0;
  const ingest = createIngest({
    db,
    log,
    cacheMs: options.cacheMs,
    publish: (topic, payload) =>
      client?.publish(
        topic,
        payload,
        { qos: 1 },
        (error) => error && log.error(`mqtt: reply to ${topic} not sent:`, error.message),
      ),
  });

  const settings: IClientOptions = {
    protocolVersion: 5,
    clientId,
    clean: false,
    properties: { sessionExpiryInterval: sessionExpirySeconds },
    reconnectPeriod: 1000,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    // QoS 1 and 2: the acknowledgement waits for the commit. mqtt.js handles one packet at a time, so an
    // instance applies its messages one after the other; more instances share the load.
    customHandleAcks: (topic, payload, _packet, done) => {
      ingest.applyTopic(topic, payload).then(
        () => {
          handled++;
          done(0);
        },
        (error: Error) => {
          done(error); // no PUBACK; reconnect so that the broker redelivers it
          client?.stream.destroy();
        },
      );
    },
  };
  client = mqtt.connect(url, settings);
  let connected = false;
  let lastError: Error | undefined;
  client.on('error', (error) => {
    lastError = error;
    if (connected) log.error(`mqtt: ${error.message}`);
  });
  client.on('message', (topic, payload, packet) => {
    if (packet.qos > 0) return; // QoS 1 and 2 went through customHandleAcks
    ingest.applyTopic(topic, payload).then(
      () => handled++,
      () => {},
    ); // QoS 0: nothing to acknowledge, nothing to redeliver
  });
  await new Promise<void>((resolve, reject) => {
    const fail = () => {
      client!.end(true);
      reject(new BrokerUnreachableError(url, lastError?.message ?? 'connection closed'));
    };
    client!.once('connect', () => {
      connected = true;
      client!.off('close', fail);
      resolve();
    });
    client!.once('close', fail);
  });
  client.on('offline', () => log.warn(`mqtt: lost ${url}, reconnecting`));
  await client.subscribeAsync(sharedFilters(group), { qos: 1 });
  return {
    client,
    async publish(topic, payload, timeoutMs = 10_000) {
      if (!client!.connected) throw new Error(`not connected to the MQTT broker at ${new URL(url).host}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the MQTT broker did not acknowledge ${topic} within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([client!.publishAsync(topic, payload, { qos: 1 }), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    get handled() {
      return handled;
    },
    close: async ({ forget = false } = {}) => {
      await client!.endAsync(false, forget ? { properties: { sessionExpiryInterval: 0 } } : {});
    },
  };
}
