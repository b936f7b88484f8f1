import { parseArgs } from 'node:util';
import { createApiToken, listAllTokens } from '../api/access/tokens.ts';
import { findUser, listAllUsers } from '../api/access/users.ts';
import { createOrganisation } from '../api/organisations/organisations.ts';
import { systemActor } from '../api/core/context.ts';
import { DomainError } from '../api/core/errors.ts';
import { demoDevicesFile, readEnv } from './env.ts';
import { openDatabase } from './database.ts';
import { prepareDemo } from '../demo/prepare-demo.ts';
import { chatLinkCode } from '../bot/serve.ts';
import { writeDemoDevices } from '../demo/devices.ts';

const usage = `Scorta command line

  npm run cli -- migrate                       apply database migrations
  npm run cli -- demo                          load the demo hospital into an empty database
  npm run cli -- token create --user NAME [--name LABEL] [--assistant] [--days N]
                                               issue an API token (shown once; stored hashed)
  npm run cli -- token list                    list tokens (prefix, user, state)
  npm run cli -- organisation create --code CODE --name NAME [--kind \
hospital_trust|local_health_unit|cancer_institute|other]
                                               create an organisation (a platform operation, not in the API)
  npm run cli -- users                         list users
  npm run cli -- chat-link-code --user NAME    a one-time code to link the user's Slack account (send "collega CODE" \
to the bot)

Uses DATABASE_URL, or the embedded PGlite in SCORTA_DATA_DIR, like npm start.`;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      name: { type: 'string' },
      assistant: { type: 'boolean' },
      days: { type: 'string' },
      code: { type: 'string' },
      kind: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub] = positionals;
  if (!command || values.help) return console.log(usage);
  const env = readEnv();
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.SCORTA_DATA_DIR });
  const db = database.db;
  try {
    if (command === 'migrate') console.log('Migrations applied.');
    else if (command === 'demo') {
      const demo = await prepareDemo(db);
      console.log(
        demo.adminToken
          ? `Demo loaded. Admin token: ${demo.adminToken}`
          : 'The database already has data: demo not loaded.',
      );
      for (const other of demo.adminTokens?.filter((t) => t.token !== demo.adminToken) ?? [])
        console.log(`Admin token for ${other.user} (${other.organisation}): ${other.token}`);
      if (demo.devices?.length) {
        writeDemoDevices(demoDevicesFile(env), demo.devices);
        console.log(`Demo device credentials: ${demoDevicesFile(env)} (npm run simulate uses them)`);
      }
    } else if (command === 'token' && sub === 'create') {
      if (!values.user) throw new Error('--user is required');
      const user = await findUser({ db }, values.user);
      const days = values.days ? Number(values.days) : undefined;
      const ctx = { db, actor: systemActor(user.organisationId, 'cli'), now: () => new Date() };
      const created = await createApiToken({
        ctx,
        input: {
          userId: user.id,
          name: values.name ?? `cli ${new Date().toISOString().slice(0, 10)}`,
          kind: values.assistant ? 'assistant' : 'user',
          ...(days ? { expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() } : {}),
        },
      });
      console.log(created.token);
    } else if (command === 'token' && sub === 'list') {
      console.table(await listAllTokens(db));
    } else if (command === 'chat-link-code') {
      if (!values.user) throw new Error('--user is required');
      const code = await chatLinkCode(db, values.user);
      console.log(
        `${code.code}  (valid until ${code.expiresAt}; send "collega ` +
          `${code.code}" or "link ${code.code}" to the Scorta bot)`,
      );
    } else if (command === 'organisation' && sub === 'create') {
      if (!values.code || !values.name) throw new Error('--code and --name are required');
      const ctx = { db, actor: systemActor(crypto.randomUUID(), 'cli'), now: () => new Date() };
      const org = await createOrganisation({
        ctx,
        input: { code: values.code, name: values.name, kind: values.kind ?? 'hospital_trust' },
      });
      console.log(`Organisation ${org.code} created: ${org.id}`);
    } else if (command === 'users') {
      console.table(await listAllUsers(db));
    } else {
      console.log(usage);
      process.exitCode = 2;
    }
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof DomainError ? error.localized('en') : error instanceof Error ? error.message : error);
  process.exit(1);
});
