/**
 * Reading CM error bodies (cm-rest-api.md §1.7). The shape is undocumented (OQ-01), so everything here is
 * defensive: never throw, never trust the body to be JSON.
 */

const GUID_G = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
const NEAR_CORRELATION = new RegExp(`correlation[^]{0,40}?(${GUID_G.source})`, 'i')
/** A correlation id reaches the operator's screen: keep it short and plain. */
const SAFE_ID = /^[\w.:-]{1,64}$/

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown
  } catch {
    return undefined
  }
}

function fromValue(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return undefined
  const guid = GUID_G.exec(value)
  if (guid) return guid[0].toLowerCase()
  const trimmed = value.trim()
  return SAFE_ID.test(trimmed) ? trimmed : undefined
}

/** Depth-first search for a property whose name contains "correlation" (any case, any depth). */
function fromProperty(node: unknown, depth = 0): string | undefined {
  if (depth > 8 || node === null || typeof node !== 'object') return undefined
  if (Array.isArray(node)) {
    for (const item of node) {
      const hit = fromProperty(item, depth + 1)
      if (hit) return hit
    }
    return undefined
  }
  const entries = Object.entries(node as Record<string, unknown>)
  for (const [key, value] of entries) {
    if (/correlation/i.test(key)) {
      const hit = fromValue(value)
      if (hit) return hit
    }
  }
  for (const [, value] of entries) {
    const hit = fromProperty(value, depth + 1)
    if (hit) return hit
  }
  return undefined
}

/**
 * The CM correlation id of an error body (§1.7): a property whose name contains "correlation" at any
 * depth; else a GUID right after the word "correlation" in the text; else the first GUID in the text.
 */
// ASSUMPTION OQ-01: `{"Message":"An error has occurred. Correlation ID: <guid>"}` (Web API default).
export function extractCorrelationId(text: string): string | undefined {
  const json = parseJson(text)
  const fromProp = json === undefined ? undefined : fromProperty(json)
  if (fromProp) return fromProp
  const near = NEAR_CORRELATION.exec(text)
  if (near?.[1]) return near[1].toLowerCase()
  return GUID_G.exec(text)?.[0].toLowerCase()
}

/** The `Message` of an error body (read case-insensitively), else the trimmed raw text; capped (§1.7). */
export function extractMessage(text: string, cap = 2048): string {
  const json = parseJson(text)
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
      if (key.toLowerCase() === 'message' && typeof value === 'string') return value.slice(0, cap)
    }
  }
  return text.trim().slice(0, cap)
}
