import { renderAlertText } from '../alert-text.js';
import type { AlertDocument } from '../alert-document.js';
import type { Notifier, NotifierContext } from './notifier.js';
import { postBody } from './http-post.js';

const MARK: Record<string, string> = { critical: ':red_circle:', high: ':large_orange_circle:', medium: ':large_yellow_circle:', low: ':white_circle:' };

/**
 * The body of a Slack incoming webhook: a `text` fallback (notifications,
 * old clients) and blocks that read well on a phone: a header, one short
 * line per change, and the commands in a context block.
 *
 * @example slackMessage(document).blocks[0] // { type: 'header', text: { type: 'plain_text', text: ':red_circle: CRITICAL drift in app on web-1: 1 change' } }
 */
export function slackMessage(document: AlertDocument): { text: string; blocks: unknown[] } {
  const text = renderAlertText(document, 15);
  const title = `${MARK[document.severity] ?? ''} ${text.title}`.trim();
  const lines = text.lines.map((l) => `• ${escape(l)}`);
  if (text.more > 0) lines.push(`_… and ${text.more} more_`);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(title, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(escape(text.summary), 3000) } },
  ];
  if (lines.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(lines.join('\n'), 3000) } });
  blocks.push({
    type: 'context',
    elements: text.commands.map((c) => ({ type: 'mrkdwn', text: cut(`${escape(c.label)}: \`${escape(c.command).replace(/`/g, "'")}\``, 3000) })),
  });
  return { text: cut(`${title}\n${text.summary}`, 3000), blocks };
}

/** Slack (or Mattermost, Rocket.Chat: any Slack-compatible incoming webhook). */
export function createSlackNotifier(options: { name: string; url: string; timeoutMs: number }, ctx: NotifierContext): Notifier {
  return {
    name: options.name,
    kind: 'slack',
    timeoutMs: options.timeoutMs,
    send({ document }) {
      return postBody(ctx.fetch, options.url, JSON.stringify(slackMessage(document)), { 'content-type': 'application/json', 'user-agent': 'driftwatch' }, options.timeoutMs);
    },
  };
}

/** Slack's mrkdwn control characters. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
