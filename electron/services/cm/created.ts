import { normalizeGuid } from '../../../shared/domain/cm'

/** What a 201 body names: the collection and the new object's GUID (lower case). */
export interface CreatedRef {
  collection: 'requests' | 'smartcards'
  id: string
}

const CREATED = /^api\/v1\.0\/(requests|smartcards)\/([0-9a-f-]{36})\/?$/i

/**
 * Parse a 201 body (cm-rest-api.md §1.8, Q5): a JSON string holding a URI relative to the web
 * application root, e.g. `"api/v1.0/requests/<guid>"`. Also accepts the raw JSON text, the walkthrough
 * form `/CertificateManagement/api/v1.0/requests/<GUID>` (FX-E05-W6) and an absolute URL.
 * Returns null when the body names nothing we know.
 */
export function parseCreated(body: unknown): CreatedRef | null {
  if (typeof body !== 'string') return null
  let text = body.trim()
  if (text.startsWith('"')) {
    try {
      const inner: unknown = JSON.parse(text)
      if (typeof inner !== 'string') return null
      text = inner.trim()
    } catch {
      return null
    }
  }
  text = text.replace(/^https?:\/\/[^/]+/i, '')
  text = text.replace(/^\//, '').replace(/^CertificateManagement\//i, '')
  const m = CREATED.exec(text)
  const id = m?.[2] ? normalizeGuid(m[2]) : null
  if (!m || !id) return null
  return { collection: m[1]?.toLowerCase() === 'requests' ? 'requests' : 'smartcards', id }
}
