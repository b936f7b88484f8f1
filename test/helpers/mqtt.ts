import mqtt, { type MqttClient } from 'mqtt';
import type { MessageKind } from '../../iot/topics.ts';
import { deviceTopic, replyTopic } from '../../iot/topics.ts';

/** A real MQTT client logged in as a device (a fresh options object each time: mqtt.js writes into it). */
export async function connectDevice(port: number, code: string, password: string): Promise<MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: code,
    username: code,
    password,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
}

/** Connects as the device and subscribes to its reply topic. */
export async function connectListening(port: number, code: string, password: string): Promise<MqttClient> {
  const client = await connectDevice(port, code, password);
  await client.subscribeAsync(replyTopic(code), { qos: 1 });
  return client;
}

/** Publishes at QoS 1 and waits for Scorta's reply to that sequence number on the device's reply topic. */
export async function sendAndAwaitReply(
  client: MqttClient,
  code: string,
  kind: MessageKind,
  body: unknown,
): Promise<any> {
  const seq = typeof body === 'object' && body !== null ? (body as { seq?: number }).seq : undefined;
  const answer = new Promise<any>((resolve) => {
    const onMessage = (topic: string, payload: Buffer) => {
      const reply = JSON.parse(payload.toString());
      if (topic === replyTopic(code) && (reply.seq === seq || seq === undefined)) {
        client.off('message', onMessage);
        resolve(reply);
      }
    };
    client.on('message', onMessage);
  });
  await client.publishAsync(deviceTopic(code, kind), typeof body === 'string' ? body : JSON.stringify(body), {
    qos: 1,
  });
  return answer;
}

/** The next message the client receives on `topic`, parsed. */
export function nextMessage(client: MqttClient, topic: string): Promise<any> {
  return new Promise<any>((resolve) => {
    const onMessage = (received: string, payload: Buffer) => {
      if (received !== topic) return;
      client.off('message', onMessage);
      resolve(JSON.parse(payload.toString()));
    };
    client.on('message', onMessage);
  });
}

/** Every message the client receives on the device's reply topic, parsed, in order (the array fills as they come). */
export function collectReplies(client: MqttClient, code: string): any[] {
  const replies: any[] = [];
  client.on('message', (topic, payload) => topic === replyTopic(code) && replies.push(JSON.parse(payload.toString())));
  return replies;
}

/**
 * A device with a persistent session that rides out Scorta's restarts: it reconnects every 250 ms, and mqtt.js
 * resends its unacknowledged QoS 1 publishes (the crash test and the storm benchmark).
 */
export async function connectPersistentDevice(port: number, device: { code: string; password: string }) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: device.code,
    username: device.code,
    password: device.password,
    clean: false,
    reconnectPeriod: 250,
    connectTimeout: 30_000,
  });
  client.on('error', () => {}); // refused or timed out while Scorta is down: the client keeps retrying
  return client;
}
