/** Text as SSML for Alexa: XML-escaped inside `<speak>`, Markdown marks and code ticks dropped. */
export function toSsml(text: string): string {
  const plain = text.replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim();
  const escaped = plain.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<speak>${escaped}</speak>`;
}

/** Spoken replies stay short: at most `max` characters, cut at a sentence end when possible. */
export function shorten(text: string, max = 400): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('; '));
  return end > 80 ? cut.slice(0, end + 1) : `${cut.slice(0, max - 1)}…`;
}
