// Loaded with --import before the bot: any import of a chat SDK fails loudly, so a test can tell
// whether a bot configured without that platform ever asks for it.
import { register } from 'node:module';

const hook = `
const REFUSED = /^(@slack\\/bolt|@slack\\/web-api|@slack\\/socket-mode|discord\\.js|@discordjs\\/.*)$/;
export async function resolve(specifier, context, next) {
  if (REFUSED.test(specifier)) throw new Error('refused import of a chat SDK: ' + specifier);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
