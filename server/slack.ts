import { SlackEnv, startSlack } from '../bot/serve.ts';
import { openDatabase } from './database.ts';
import { readEnv } from './env.ts';

/**
 * `tsx server/slack.ts`: the Slack app alone, on the database of DATABASE_URL (embedded PGlite is held by `npm start`).
 */
async function main() {
  const env = readEnv();
  const slackEnv = SlackEnv.parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));
  if (!slackEnv.SLACK_BOT_TOKEN || !slackEnv.SLACK_SIGNING_SECRET) {
    console.error('Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (docs/slack.md).');
    process.exit(2);
  }
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.SCORTA_DATA_DIR });
  const slack = (await startSlack({ db: database.db, env: slackEnv, host: env.HOST }))!;
  console.log(slack.line);
  const stop = async () => {
    await slack.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
