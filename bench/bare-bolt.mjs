// The framework's floor: the same Bolt HTTPReceiver, signing secret, bot token and fake Web API as
// the bot, with a /quote listener that only acks a constant. Whatever the bot costs above this is
// ours, not Bolt's. Plain .mjs run by `node`, so, like the built bot, it pays no transpile cost.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

function required(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`bare-bolt: ${name} is required\n`);
    process.exit(1);
  }
  return value;
}

// WARN matches the bot's LOG_LEVEL=warn, so neither side pays for per-request log lines.
const receiver = new HTTPReceiver({
  signingSecret: required('SLACK_SIGNING_SECRET'),
  endpoints: '/slack/events',
  logLevel: LogLevel.WARN,
});
const app = new App({
  token: required('SLACK_BOT_TOKEN'),
  receiver,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: required('SLACK_API_URL') },
});

app.command('/quote', async ({ ack }) => {
  await ack('ok');
});

// Listen options rather than a bare port: a bare port binds every interface, and the benchmark
// must stay on loopback like the bot (HOST=127.0.0.1).
await app.start({ port: Number(required('PORT')), host: required('HOST') });

process.on('SIGTERM', () => {
  void app.stop().finally(() => process.exit(0));
});
