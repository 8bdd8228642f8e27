import { commands } from '../../commands/index.js';
import { slackManifest } from '../adapters/slack/manifest.js';

/**
 * Prints the Slack app manifest for this build's commands.
 *   npm run slack:manifest -- --socket                  (Socket Mode: no public URL needed)
 *   npm run slack:manifest -- --url https://ops.example.com   (HTTP mode)
 */
const args = process.argv.slice(2);
const urlAt = args.indexOf('--url');
const baseUrl = urlAt >= 0 ? args[urlAt + 1] : undefined;
const socketMode = args.includes('--socket') || !baseUrl;
process.stdout.write(`${JSON.stringify(slackManifest(commands, { baseUrl, socketMode }), null, 2)}\n`);
