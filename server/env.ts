import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { SlackEnv } from '../bot/serve.ts';
import { AlexaEnv } from '../bot/voice/env.ts';
import { defaultBrokerLimits } from '../iot/broker.ts';

const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

/** Scorta's configuration on Node, read once from the environment and validated. */
export const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** PostgreSQL through postgres.js; when unset Scorta embeds PGlite. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Where embedded PGlite keeps its data (`memory://` for a throw-away database). */
  SCORTA_DATA_DIR: z.string().min(1).default('.scorta/pglite'),
  /** TCP port of the embedded MQTT broker for devices (0 picks a free one). */
  MQTT_PORT: z.coerce.number().int().min(0).max(65535).default(1883),
  /** Port of the embedded broker's MQTT over WebSocket (`ws://host:port/mqtt`); `off` disables it. */
  MQTT_WS_PORT: z
    .string()
    .regex(/^(off|\d{1,5})$/, 'a port number (0 picks a free one) or off')
    .transform((v) => (v === 'off' ? null : Number(v)))
    .pipe(z.number().int().max(65535).nullable())
    .default(8083),
  /** The embedded broker's limits (docs/devices.md, "Limits"): the largest MQTT packet a device may send, in bytes. */
  MQTT_MAX_PACKET_BYTES: z.coerce.number().int().min(1024).max(268_435_455).default(defaultBrokerLimits.maxPacketBytes),
  /** Seconds a new MQTT connection has to log in (send its CONNECT) before it is closed. */
  MQTT_CONNECT_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(defaultBrokerLimits.connectTimeoutSeconds),
  /** MQTT connections open at once on the embedded broker, TCP and WebSocket together. */
  MQTT_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(defaultBrokerLimits.maxConnections),
  /** A device's messages being applied at once; further ones wait (its socket is not read meanwhile). */
  MQTT_MAX_INFLIGHT: z.coerce.number().int().min(1).max(65_535).default(defaultBrokerLimits.maxInflight),
  /** An external broker (Mosquitto, EMQX…) to attach to instead of embedding one: `mqtt://user:pass@host:1883`. */
  MQTT_URL: z
    .url({ protocol: /^(mqtts?|wss?)$/, error: 'the broker as mqtt://, mqtts://, ws:// or wss://host:port' })
    .optional(),
  /**
   * This instance's client id on the external broker: stable, so its session (and queued messages) survive restarts.
   */
  MQTT_CLIENT_ID: z.string().min(1).max(128).default(`scorta-${hostname()}`),
  /**
   * The shared-subscription group of the Scorta instances on the external broker (`$share/{group}/…`): instances
   * of one deployment share it and split the devices' messages; another deployment on the same broker needs its own.
   */
  MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (no / + #)')
    .default('scorta'),
  /** Shared secret of the broker hooks (`/mqtt/auth`, `/mqtt/acl`) an external broker calls; unset: no hooks. */
  MQTT_HOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  /** Slack app (docs/slack.md): signing secret and bot token turn it on; an app-level token selects Socket Mode. */
  ...SlackEnv.shape,
  /**
   * Alexa skill (docs/voice.md): the skill id turns `/voice/alexa` on; signature and timestamp checks on unless
   * ALEXA_VERIFY=false.
   */
  ...AlexaEnv.shape,
  /**
   * How often the sweeps run (silent devices, home deliveries, expiry); with several instances one of them runs each
   * round.
   */
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Load the demo hospital into an empty database at start-up. */
  SCORTA_DEMO: flag.default(true),
  /** Where the demo devices' MQTT credentials go (written once, when the demo loads; read by `npm run simulate`). */
  SCORTA_DEVICES_FILE: z.string().min(1).optional(),
});
export type Env = z.infer<typeof Env>;

/** Parses the environment or exits with one line per bad variable, never a stack trace. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = Env.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (result.success) return result.data;
  for (const issue of result.error.issues) console.error(`Configuration: ${issue.path.join('.')}: ${issue.message}`);
  process.exit(2);
}

/**
 * The demo devices' credentials file: `SCORTA_DEVICES_FILE`, else next to the embedded data directory
 * (`.scorta/pglite` → `.scorta/demo-devices.json`), else — in-memory PGlite or PostgreSQL —
 * `.scorta/demo-devices.json`. `npm start` writes it and `npm run simulate` reads it with the same rule.
 */
export function demoDevicesFile(env: Pick<Env, 'SCORTA_DEVICES_FILE' | 'SCORTA_DATA_DIR' | 'DATABASE_URL'>): string {
  if (env.SCORTA_DEVICES_FILE) return env.SCORTA_DEVICES_FILE;
  if (env.DATABASE_URL || env.SCORTA_DATA_DIR.startsWith('memory://')) return join('.scorta', 'demo-devices.json');
  return join(dirname(env.SCORTA_DATA_DIR), 'demo-devices.json');
}
