import { serve } from '@hono/node-server';
import { createApp } from '../app/create-app.ts';
import { PortInUseError } from '../iot/broker.ts';
import { BrokerUnreachableError } from '../iot/bridge.ts';
import { startDeviceChannel } from './device-channel.ts';
import { demoDevicesFile, readEnv } from './env.ts';
import { openDatabase } from './database.ts';
import { prepareDemo } from '../demo/prepare-demo.ts';
import { startAlertSweeper } from './sweeper.ts';
import { startOutboxDispatcher } from './dispatcher.ts';
import { startSlack } from '../bot/serve.ts';
import { alexaOptions } from '../bot/voice/env.ts';
import { writeDemoDevices } from '../demo/devices.ts';

/**
 * `npm start`: Scorta on Node with the embedded defaults — PGlite, the demo hospital loaded on first run,
 * the API and its docs, the MQTT broker for devices. Configuration is read once, here.
 */
async function main() {
  const env = readEnv();
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.SCORTA_DATA_DIR });
  const shown = env.HOST === '0.0.0.0' ? 'localhost' : env.HOST;
  const broker = await startDeviceChannel(env, database.db, shown).catch(async (error) => {
    await database.close();
    if (error instanceof PortInUseError || error instanceof BrokerUnreachableError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  });
  const demo = env.SCORTA_DEMO ? await prepareDemo(database.db) : undefined;
  const devicesFile = demoDevicesFile(env);
  if (demo?.devices?.length) writeDemoDevices(devicesFile, demo.devices);
  // Silent devices and home deliveries whose run-out date comes closer with time alone.
  const sweeper = startAlertSweeper({
    db: database.db,
    intervalMs: env.SWEEP_INTERVAL_SECONDS * 1000,
    holder: env.MQTT_CLIENT_ID,
  });
  const slack = await startSlack({ db: database.db, env, host: env.HOST });
  // Recalls' cabinet commands (lock the bins) over MQTT, and ward alerts to Slack.
  const dispatcher = startOutboxDispatcher({ db: database.db, publish: broker.publish, slack: slack?.client });
  const url = env.MQTT_URL ? new URL(env.MQTT_URL) : undefined;
  const service = url?.username
    ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
    : undefined;
  const alexa = alexaOptions(env);
  const app = createApp({
    db: database.db,
    ...(env.MQTT_HOOK_SECRET ? { brokerHooks: { secret: env.MQTT_HOOK_SECRET, service } } : {}),
    ...(alexa ? { alexa } : {}),
  });
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST });
  server.once('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE')
      console.error(`Port ${env.PORT} on ${env.HOST} is already in use. Choose another one, e.g.  PORT=3001 npm start`);
    else console.error(`Cannot listen on ${env.HOST}:${env.PORT}: ${error.message}`);
    process.exit(1);
  });
  server.once('listening', () => {
    const base = `http://${shown}:${env.PORT}`;
    const where =
      database.driver === 'pglite' ? `embedded PGlite in ${env.SCORTA_DATA_DIR}` : 'PostgreSQL (DATABASE_URL)';
    const unchecked = alexa?.verify === 'skip' ? ', ALEXA_VERIFY=false: signatures NOT checked' : '';
    const alexaLine = alexa ? `  Alexa    ${base}/voice/alexa   (skill ${alexa.skillId}${unchecked})\n` : '';
    const channelLines = [...broker.lines, ...(slack ? [slack.line] : [])].map((line) => `  ${line}\n`).join('');
    const hooks = env.MQTT_HOOK_SECRET
      ? `\n  Hooks    ${base}/mqtt/auth, ${base}/mqtt/acl   (for an external broker)`
      : '';
    console.log(`Scorta is running.
  API      ${base}/v1
  Docs     ${base}/docs   (OpenAPI: ${base}/openapi.json)
  Health   ${base}/health
${alexaLine}${channelLines}  Database ${where}${hooks}`);
    if (demo?.adminToken) {
      console.log(
        `\nDemo data loaded. Admin token for ${demo.adminUser} (shown once, keep it):\n  ${demo.adminToken}\n` +
          `  curl -H "Authorization: Bearer ${demo.adminToken}" ${base}/v1/stock`,
      );
      for (const other of demo.adminTokens?.filter((t) => t.token !== demo.adminToken) ?? [])
        console.log(`Admin token for ${other.user} (${other.organisation}, shown once):\n  ${other.token}`);
    }
    if (demo?.devices?.length) {
      const defaults = devicesFile === '.scorta/demo-devices.json' && broker.port === 1883;
      console.log(`Demo device credentials: ${devicesFile} (npm run simulate uses them)`);
      if (!defaults) console.log(`  MQTT_PORT=${broker.port} SCORTA_DEVICES_FILE=${devicesFile} npm run simulate`);
    }
    console.log(`\nA new token for a user:  npm run token -- create --user <username>   (users: npm run cli -- users)`);
  });
  const stop = async () => {
    server.close();
    await broker.close();
    dispatcher.stop();
    await sweeper.stop();
    await slack?.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error('Scorta could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
