import { commands } from '../../commands/index.js';
import { slackManifest } from '../adapters/slack/manifest.js';
import { writeJson } from './json-output.js';

/**
 * The Slack app manifest for the commands in the registry, printed or written with --out:
 *   npm run slack:manifest -- --socket --out deploy/slack-manifest.json   (Socket Mode: no public URL needed)
 *   npm run slack:manifest -- --url https://ops.example.com                (HTTP mode)
 */
const args = process.argv.slice(2);
const urlAt = args.indexOf('--url');
const baseUrl = urlAt >= 0 ? args[urlAt + 1] : undefined;
const socketMode = args.includes('--socket') || !baseUrl;
writeJson(args, slackManifest(commands, { baseUrl, socketMode }));
