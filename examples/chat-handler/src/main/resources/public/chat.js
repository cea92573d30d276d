// What both chat pages (index.html, plain; vue.html, Vue) show the same way.

/** A stable colour per user id (FNV-1a spreads similar ids apart), so a conversation is easy to follow. */
export function colourOf(user) {
  let hash = 0x811c9dc5
  for (const char of String(user)) hash = Math.imul(hash ^ char.codePointAt(0), 0x01000193) >>> 0
  return `hsl(${hash % 360} 60% var(--user-lightness))`
}

/** The name a chat line shows: its user id, or 'anonymous'. */
export function nameOf(user) {
  return typeof user === 'string' && user ? user : 'anonymous'
}

/**
 * An error frame from the server (`{type: 'error', code, message, issues}`) as a summary and the
 * issues not already said in it; null for any other message.
 */
export function describeError(data) {
  if (!data || typeof data !== 'object' || data.type !== 'error') return null
  const summary = String(data.message || data.code || 'Error')
  const issues = (Array.isArray(data.issues) ? data.issues : [])
    .map((issue) => (issue?.path ? `${issue.path}: ${issue.message}` : String(issue?.message ?? '')))
    .filter((issue) => issue !== '' && !summary.includes(issue))
  return { summary, issues }
}
