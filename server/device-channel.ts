import type { Database } from '../db/client.ts';
import { startBroker } from '../iot/broker.ts';
import { connectBroker } from '../iot/bridge.ts';
import type { Env } from './env.ts';

/**
 * The devices' MQTT: the embedded broker on MQTT_PORT and MQTT_WS_PORT or, with MQTT_URL, Scorta as a client
 * of an external broker (shared subscription, persistent session). Returns the lines for the banner and `publish`
 * (QoS 1), which resolves once the broker has the message and rejects when it cannot take it.
 */
export async function startDeviceChannel(env: Env, db: Database, shown: string) {
  if (env.MQTT_URL) {
    const url = new URL(env.MQTT_URL);
    const bridge = await connectBroker({
      db,
      url: env.MQTT_URL,
      clientId: env.MQTT_CLIENT_ID,
      group: env.MQTT_SHARE_GROUP,
    });
    const where = `${url.protocol}//${url.host}`;
    const publish = (topic: string, payload: string) => bridge.publish(topic, payload);
    return {
      port: Number(url.port || 1883),
      publish,
      lines: [
        `MQTT     external broker ${where} as ${env.MQTT_CLIENT_ID}, shared ` +
          `subscription $share/${env.MQTT_SHARE_GROUP}/scorta/devices/+/…`,
      ],
      close: () => bridge.close(),
    };
  }
  const limits = {
    maxPacketBytes: env.MQTT_MAX_PACKET_BYTES,
    connectTimeoutSeconds: env.MQTT_CONNECT_TIMEOUT_SECONDS,
    maxConnections: env.MQTT_MAX_CONNECTIONS,
    maxInflight: env.MQTT_MAX_INFLIGHT,
  };
  const broker = await startBroker({ db, port: env.MQTT_PORT, wsPort: env.MQTT_WS_PORT, host: env.HOST, limits });
  const lines = [`MQTT     mqtt://${shown}:${broker.port}   (devices: docs/devices.md)`];
  if (broker.wsPort !== null) lines.push(`MQTT/WS  ws://${shown}:${broker.wsPort}/mqtt`);
  const publish = (topic: string, payload: string) =>
    new Promise<void>((resolve, reject) =>
      broker.aedes.publish(
        { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  return { port: broker.port, publish, lines, close: () => broker.close() };
}
