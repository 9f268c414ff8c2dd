// Mentions as protocol §10.8 has them: {userId, offset, length} ranges of the text, counted in
// UTF-16 code units, which is exactly what JavaScript string indices count, so no conversion is
// needed. Pure functions (no DOM): the composer records which members the user picked with "@",
// and the ranges are built from the final text at send time, so a picked name the user deleted or
// retyped afterwards is simply not sent as a mention.
export const MAX_MENTIONS = 50; // the server's limit per text

/** The "@query" being typed just before the caret, or null: {start, query}. */
export function mentionQuery(text, caret) {
  const before = text.slice(0, caret);
  const m = /(^|\s)@([^\s@]*)$/u.exec(before);
  return m ? { start: caret - m[2].length - 1, query: m[2] } : null;
}

/** Replaces the "@query" at start..caret with "@name " and tells where the caret goes. */
export function insertMention(text, start, caret, name) {
  const token = '@' + name + ' ';
  return { text: text.slice(0, start) + token + text.slice(caret), caret: start + token.length };
}

/** Members whose name starts with (or, failing that, contains) the query, case-insensitively. */
export function matchMembers(members, query, limit = 8) {
  const q = query.toLocaleLowerCase();
  const starts = members.filter((m) => m.name.toLocaleLowerCase().startsWith(q));
  const contains = members.filter((m) => !starts.includes(m) && m.name.toLocaleLowerCase().includes(q));
  return [...starts, ...contains].slice(0, limit);
}

/**
 * The mention ranges of text for the members picked ([{userId, name}]): every "@name" that is not
 * followed by a letter or digit, in text order, without overlaps (at one offset the longest name
 * wins: "@Ann Lee" over "@Ann"), at most MAX_MENTIONS.
 */
export function buildMentions(text, picked) {
  const found = [];
  const seen = new Set();
  for (const p of picked) {
    const token = '@' + p.name;
    if (!p.name || seen.has(p.userId + '\u0000' + token)) continue;
    seen.add(p.userId + '\u0000' + token);
    for (let i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + 1)) {
      const next = text.slice(i + token.length).match(/^[\p{L}\p{N}_]/u);
      if (!next) found.push({ userId: p.userId, offset: i, length: token.length });
    }
  }
  found.sort((a, b) => a.offset - b.offset || b.length - a.length);
  const ranges = [];
  let end = 0;
  for (const r of found) {
    if (r.offset < end) continue;
    ranges.push(r);
    end = r.offset + r.length;
    if (ranges.length === MAX_MENTIONS) break;
  }
  return ranges;
}

/** The text cut at the mention ranges, for display: [{text, userId?}]; bad ranges are ignored. */
export function splitMentions(text, ranges) {
  const parts = [];
  let at = 0;
  for (const r of [...(ranges || [])].sort((a, b) => a.offset - b.offset)) {
    if (r.offset < at || r.length <= 0 || r.offset + r.length > text.length) continue;
    if (r.offset > at) parts.push({ text: text.slice(at, r.offset) });
    parts.push({ text: text.slice(r.offset, r.offset + r.length), userId: r.userId });
    at = r.offset + r.length;
  }
  if (at < text.length || !parts.length) parts.push({ text: text.slice(at) });
  return parts;
}
