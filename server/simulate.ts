import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runSimulation, type SimulatedDevice } from '../iot/simulate.ts';
import { demoDevicesFile, readEnv } from './env.ts';

/** `npm run simulate`: the demo devices over MQTT, from the credentials file `npm start` writes. */
const usage = `npm run simulate -- [--duration SECONDS] [--devices CODE,CODE] [--speed N]

Plays the demo devices (credentials written by npm start) against Scorta's MQTT broker and prints every reply.
  --duration  stop after this many seconds (default: until Ctrl-C)
  --devices   only these device codes (default: all in the file)
  --speed     event rate multiplier (default 1: a glucose reading and a cabinet report every ~3 s)
Environment: MQTT_PORT (default 1883), SCORTA_DEVICES_FILE (default: next to SCORTA_DATA_DIR, \
.scorta/demo-devices.json).
Sequence numbers and cabinet counts persist next to the credentials (demo-devices.json → demo-devices.state.json).`;

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      devices: { type: 'string' },
      speed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(usage);
  const env = readEnv();
  const file = demoDevicesFile(env);
  if (!existsSync(file)) {
    console.error(
      `No device credentials at ${file}. npm start writes them when it loads the demo into an empty database, ` +
        `next to its SCORTA_DATA_DIR: give the simulator the same SCORTA_DATA_DIR, or SCORTA_DEVICES_FILE.`,
    );
    process.exit(2);
  }
  const all = (JSON.parse(readFileSync(file, 'utf8')) as { devices: SimulatedDevice[] }).devices;
  const wanted = values.devices
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const unknown = wanted?.filter((c) => !all.some((d) => d.code === c)) ?? [];
  if (unknown.length) {
    console.error(`Unknown device ${unknown.join(', ')}; the file has ${all.map((d) => d.code).join(', ')}.`);
    process.exit(2);
  }
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if ((duration !== undefined && !(duration > 0)) || !(speed > 0)) {
    console.error('--duration and --speed take positive numbers.');
    process.exit(2);
  }
  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: do not wait
    console.log('\nStopping: devices go offline…');
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const brokerUrl = `mqtt://127.0.0.1:${env.MQTT_PORT}`;
  console.log(
    `Simulating ${wanted?.length ?? all.length} device(s) against ` +
      `${brokerUrl}${duration ? ` for ${duration} s` : ' (Ctrl-C to stop)'}, speed ${speed}.`,
  );
  const started = Date.now();
  const summary = await runSimulation({
    brokerUrl,
    devices: wanted ? all.filter((d) => wanted.includes(d.code)) : all,
    speed,
    statePath: file.replace(/(\.json)?$/, '.state.json'),
    signal: controller.signal,
    ...(duration ? { durationMs: duration * 1000 } : {}),
  });
  const emitted = [
    ...new Set(
      summary.requests
        .filter((r) => r.action === 'emitted')
        .map((r) => `${r.number} (${r.device}${r.item ? `, ${r.item}` : ''})`),
    ),
  ];
  console.log(
    `Done after ${Math.round((Date.now() - started) / 1000)} s: ${summary.published} ` +
      `messages, ${summary.accepted} accepted, ${summary.rejected} ` +
      `rejected${summary.duplicates ? `, ${summary.duplicates} seen before` : ''}.` +
      (emitted.length ? `\nUnder-stock requests emitted: ${emitted.join(', ')}` : ''),
  );
}

main().catch((error) => {
  console.error('The simulator stopped:', error instanceof Error ? error.message : error);
  process.exit(1);
});
