/**
 * A CM-backed AdminResponder for lab tests and the bench: plain fetch against the CM simulator's REST
 * API (cm-rest-api.md E11, E14, E15) — the same round trip the enrollment flow makes inside the card job.
 */
import type { AdminResponder } from '../../electron/services/card/types'

/** A started simulator's API root, e.g. `http://127.0.0.1:1234/CertificateManagement/api/v1.0`. */
export type ApiRoot = string

async function call(method: string, url: string, body?: unknown): Promise<unknown> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' } }
  if (body !== undefined) init.body = JSON.stringify(body)
  const res = await fetch(url, init)
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${url.replace(/challenge=[^&]*/, 'challenge=…')} → ${res.status}`)
  return text ? (JSON.parse(text) as unknown) : null
}

/** The id at the end of a 201 body such as `"api/v1.0/smartcards/<id>"` (cm-rest-api.md §1.8). */
const lastSegment = (created: unknown): string => String(created).split('/').pop()!

/** E05 + E11: create an Enroll request for `template` (auto-approved in the docs scenario) and bind the card. */
export async function bindCard(
  api: ApiRoot,
  opts: { template: string; cardId: string; atr: string },
): Promise<{ requestId: string; smartcardId: string }> {
  const requestId = lastSegment(
    await call('POST', `${api}/requests`, {
      datacollection: '[{"Request Reason":"Need VPN Certs"}]',
      type: 'Enroll',
      profiletemplateuuid: opts.template,
      comment: '',
    }),
  )
  const request = (await call('GET', `${api}/requests/${requestId}`)) as { Status: number }
  if (request.Status !== 3) throw new Error(`request ${requestId} is not Approved (Status ${request.Status})`)
  const smartcardId = lastSegment(
    await call('POST', `${api}/smartcards`, { requestid: requestId, cardid: opts.cardId, atr: opts.atr }),
  )
  return { requestId, smartcardId }
}

/** E14: the diversified admin key Kd (24 bytes; the caller zeroes it). */
export async function diversifiedKey(
  api: ApiRoot,
  ids: { requestId: string; smartcardId: string; cardId: string },
) {
  const b64 = (await call(
    'GET',
    `${api}/requests/${ids.requestId}/smartcards/${ids.smartcardId}/diversifiedkey?cardid=${ids.cardId}`,
  )) as string
  return Buffer.from(b64, 'base64')
}

/** E15 as an AdminResponder: base64 challenge out, base64 response back. */
export function cmResponder(
  api: ApiRoot,
  ids: { requestId: string; smartcardId: string; cardId: string },
  diversified: boolean,
): AdminResponder {
  return async (challenge) => {
    const q = `cardid=${ids.cardId}&challenge=${encodeURIComponent(challenge.toString('base64'))}&diversified=${diversified}`
    const b64 = (await call(
      'GET',
      `${api}/requests/${ids.requestId}/smartcards/${ids.smartcardId}/authenticationresponse?${q}`,
    )) as string
    return Buffer.from(b64, 'base64')
  }
}
