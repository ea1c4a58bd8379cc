import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CmClient } from '../../../electron/services/cm/client'
import { parseCreated } from '../../../electron/services/cm/created'
import { clientWith, json } from './fake-fetch'

// Every response body in the shared fixture files (tests/fixtures/cm, written from cm-rest-api.md §6 by the
// simulator's author) parses with the client: the documented bodies and the replay expectations.

const DIR = join(__dirname, '../../fixtures/cm')

interface FixtureFile {
  id: string
  endpoint: string
  documented: { status: number; body: unknown; placeholder: boolean } | null
  cases: Array<{ name: string; expect: { status: number; match: string; body?: unknown } }>
  createdUri?: { value: string; kind: string; guid: string }
}

const files: FixtureFile[] = readdirSync(DIR)
  .filter((f) => /^FX-.*\.json$/.test(f))
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as FixtureFile)

const G = '11111111-2222-3333-4444-555555555555'
const CARD = { cardId: G }

/** The client call that reads each endpoint's response; returns the parsed result. */
const READERS: Record<string, (c: CmClient) => Promise<unknown>> = {
  E01: (c) => c.listProfileTemplates(),
  E04: (c) => c.getSmartcardConfig(G),
  E05: (c) => c.createRequest({ type: 'Enroll', profileTemplateUuid: G }),
  E07: (c) => c.getRequest(G),
  E08: (c) => c.completeRequest(G),
  E09: (c) => c.getCertificateRequestGenerationOptions(G),
  E10: (c) => c.submitCertificateRequests(G, { certificateRequests: ['MIIB'] }),
  E11: (c) => c.assignSmartcard({ requestId: G, cardId: G }),
  E12: (c) => c.getSmartcardByCardId(G),
  E13: (c) => c.getSmartcard(G),
  E14: (c) => c.getDiversifiedKey(G, G, CARD),
  E15: (c) => c.getAuthenticationResponse(G, G, { ...CARD, challenge: new Uint8Array(8), diversified: true }),
  E17: (c) => c.retireSmartcard(G, G),
  E18: (c) => c.getSmartcardOperations(G),
  E20: (c) => c.getSmartcardCertificates(G),
  E22: (c) => c.listCertificates(),
  E23: (c) => c.listProfiles(),
}

/** Every (fixture, body) pair that is a complete 2xx body. */
const bodies = files.flatMap((f) => {
  const out: Array<{ label: string; endpoint: string; status: number; body: unknown }> = []
  if (f.documented && !f.documented.placeholder && f.documented.body !== null) {
    out.push({
      label: `${f.id} documented`,
      endpoint: f.endpoint,
      status: f.documented.status,
      body: f.documented.body,
    })
  }
  for (const c of f.cases) {
    if (c.expect.match === 'exact' && c.expect.body !== undefined && c.expect.status < 300) {
      out.push({
        label: `${f.id} ${c.name}`,
        endpoint: f.endpoint,
        status: c.expect.status,
        body: c.expect.body,
      })
    }
  }
  return out
})

describe('fixture files (tests/fixtures/cm)', () => {
  it('are present', () => {
    expect(files.length).toBeGreaterThanOrEqual(38)
    // The 19 non-placeholder documented bodies of §6 (E03 and E16 have placeholders only).
    expect(new Set(bodies.filter((b) => b.label.endsWith('documented')).map((b) => b.label)).size).toBe(19)
  })

  for (const b of bodies) {
    it(`${b.label} parses`, async () => {
      const read = READERS[b.endpoint]
      expect(read, `no reader for ${b.endpoint}`).toBeDefined()
      const { client, log } = clientWith(() => json(b.status, b.body))
      const result = await read!(client)
      expect(result).not.toBeNull()
      if (Array.isArray(b.body)) expect(result).toHaveLength(b.body.length)
      expect(log.lines.join('\n')).not.toContain('failed schema')
    })
  }

  for (const f of files.filter((x) => x.createdUri)) {
    it(`${f.id} created URI parses (§1.8)`, () => {
      const ref = parseCreated(f.createdUri!.value)
      expect(ref).toEqual({ collection: f.createdUri!.kind, id: f.createdUri!.guid })
    })
  }
})
