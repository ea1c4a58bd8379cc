import { serverError } from './errors'
import { normaliseTypographicQuotes, parseJsonBody, prop } from './json-lenient'

/**
 * The `datacollection` body field of E05 (Q4, SIM-R13): a string holding a JSON array, or a real array;
 * elements `{"<name>":"<value>"}` or `{"Name":..,"Value":..}` in any case.
 */
// ASSUMPTION OQ-12: both forms are accepted; typographic quotes only in lenient mode (OQ-25).
export function parseDataCollection(value: unknown, strict: boolean): Map<string, string | null> {
  const out = new Map<string, string | null>()
  if (value === undefined || value === null || value === '') {
    if (strict) throw serverError('datacollection is required')
    return out
  }
  let items: unknown = value
  if (typeof value === 'string') {
    const text = strict ? value : normaliseTypographicQuotes(value)
    try {
      items = parseJsonBody(text, !strict)
    } catch {
      throw serverError('datacollection is not a JSON array')
    }
  }
  if (!Array.isArray(items)) throw serverError('datacollection must be an array')
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw serverError('datacollection items must be objects')
    }
    const keys = Object.keys(item).map((k) => k.toLowerCase())
    const named = keys.length === 2 && keys.includes('name') && keys.includes('value')
    const pairs: Array<[unknown, unknown]> = named
      ? [[prop(item, 'name'), prop(item, 'value')]]
      : Object.entries(item as Record<string, unknown>)
    for (const [k, v] of pairs) {
      if (typeof k !== 'string') throw serverError('datacollection item name must be a string')
      if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw serverError('datacollection item value must be a string')
      }
      out.set(k.trim().toLowerCase(), v === null ? null : String(v))
    }
  }
  return out
}
