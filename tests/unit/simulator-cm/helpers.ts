import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { simNegotiateHeader, startCmSimulator } from '../../../electron/simulator/cm/index'
import type {
  CmSimulator,
  CmSimulatorOptions,
  SimSnapshot,
  SimSwitches,
} from '../../../electron/simulator/cm/index'

/** Shared helpers for the CM simulator tests: real HTTP against a started simulator (global fetch). */

export const FIXTURE_DIR = join(__dirname, '../../fixtures/cm')

/** A request case of a fixture file (tests/fixtures/cm/*.json). */
export interface FixtureCase {
  name: string
  request: { method: string; path: string; body?: unknown; bodyText?: string }
  expect: {
    status: number
    match: 'exact' | 'partial' | 'pattern' | 'keys' | 'status' | 'none'
    body?: unknown
    pattern?: string
    keys?: string[]
    errorDetail?: string
  }
  switches?: Partial<SimSwitches>
}

/** A fixture file. */
export interface Fixture {
  id: string
  endpoint: string
  caller: string
  sequence: 'timeline' | 'walkthrough' | 'independent' | 'none'
  normalised: string | null
  documented: { status: number; body: unknown; placeholder: boolean } | null
  cases: FixtureCase[]
  createdUri?: { value: string; kind: string; guid: string }
}

/** Load one fixture by id. */
export function loadFixture(id: string): Fixture {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${id}.json`), 'utf8')) as Fixture
}

/** The fixture index (timeline order etc.). */
export function loadIndex(): {
  timeline: string[]
  walkthrough: string[]
  independent: string[]
  createdUri: string[]
} {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, 'index.json'), 'utf8')) as ReturnType<typeof loadIndex>
}

/** Start a simulator (docs scenario by default). */
export function startSim(options: CmSimulatorOptions = {}): Promise<CmSimulator> {
  return startCmSimulator({ scenario: 'docs', ...options })
}

/** Authorization header for an account (WIA convention). */
/**
 * One training-scenario simulator per test file (fixed clock), restored to its start state before every
 * test. Registers the hooks; read the running simulator through the returned holder's `sim`.
 */
export function useTrainingSim(): { readonly sim: CmSimulator } {
  let sim: CmSimulator | undefined
  let start: SimSnapshot
  beforeAll(async () => {
    sim = await startSim({ scenario: 'training', clockStart: '2024-05-06T10:00:00Z' })
    start = sim.control.snapshot()
  })
  beforeEach(() => sim!.control.restore(start))
  afterAll(() => sim?.close())
  return {
    get sim() {
      if (!sim) throw new Error('simulator not started (use inside a test)')
      return sim
    },
  }
}

export const auth = (account: string): Record<string, string> => ({
  Authorization: simNegotiateHeader(account),
})

/** A raw HTTP response: status, headers and the body text. */
export interface RawResponse {
  status: number
  headers: Headers
  text: string
  json: () => unknown
}

/** Send a request to the simulator with fetch. `path` is absolute (starts with /). */
export async function call(
  sim: CmSimulator,
  method: string,
  path: string,
  opts: { as?: string | null; body?: unknown; bodyText?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {
    ...(opts.as === null ? {} : auth(opts.as ?? 'CORP\\jdoe')),
    ...opts.headers,
  }
  let body: string | undefined
  if (opts.bodyText !== undefined) body = opts.bodyText
  else if (opts.body !== undefined) body = JSON.stringify(opts.body)
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json'
  }
  const res = await fetch(sim.baseUrl + path.replace(/ /g, '%20'), {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown }
}

/** API path helper. */
export const api = (rest: string): string => `/CertificateManagement/api/v1.0/${rest}`

/** Raw node:http request (for things fetch refuses, like a GET with a body). */
export function rawHttp(
  sim: CmSimulator,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const h = body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }
    const req = httpRequest(sim.baseUrl + path, { method, headers: h }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

/** Recursively compare key order of two parsed JSON values. */
export function keyOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(keyOrder)
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => [k, keyOrder(x)])
  return v
}

/** Run one fixture case against the simulator and assert its expectation. */
export async function runCase(sim: CmSimulator, fx: Fixture, c: FixtureCase): Promise<RawResponse> {
  const before = sim.control.getSwitches()
  if (c.switches) sim.control.setSwitches(c.switches)
  try {
    const res = await call(sim, c.request.method, c.request.path, {
      as: fx.caller,
      ...(c.request.body !== undefined ? { body: c.request.body } : {}),
      ...(c.request.bodyText !== undefined ? { bodyText: c.request.bodyText } : {}),
    })
    const label = `${fx.id} [${c.name}]`
    expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBe(c.expect.status)
    const e = c.expect
    if (e.match === 'exact') {
      const parsed = res.json()
      expect(parsed, label).toEqual(e.body)
      // Key order and casing as documented (SIM-R9).
      expect(keyOrder(parsed), `${label} key order`).toEqual(keyOrder(e.body))
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    } else if (e.match === 'partial') {
      expect(res.json(), label).toMatchObject(e.body as object)
    } else if (e.match === 'pattern') {
      const parsed = res.json()
      expect(typeof parsed === 'string' ? parsed : JSON.stringify(parsed), label).toMatch(
        new RegExp(e.pattern!, 's'),
      )
    } else if (e.match === 'keys') {
      expect(Object.keys(res.json() as object), label).toEqual(e.keys)
    } else if (e.match === 'none') {
      expect(res.text, label).toBe('')
      expect(res.headers.get('content-type'), label).toBeNull()
    }
    if (e.errorDetail) {
      expect(sim.control.lastErrors(1)[0]?.detail, label).toContain(e.errorDetail)
      const body = res.json() as { Message: string }
      const corr = sim.control.lastErrors(1)[0]!.correlationId
      expect(body.Message).toContain(`Correlation ID: ${corr}`)
    }
    return res
  } finally {
    sim.control.setSwitches(before)
  }
}
