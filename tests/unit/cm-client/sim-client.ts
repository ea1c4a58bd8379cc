import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CmClient, type CmClientOptions } from '../../../electron/services/cm/client'
import { createMemoryLogger } from '../../../electron/services/log'
import { simNegotiateHeader, type CmSimulator } from '../../../electron/simulator/cm/index'

/** Contract-test helpers: the real CmClient over global fetch against a real simulator on loopback. */

/** A client authenticated as `account` (WIA convention of the simulator), with fast retries. */
export function simClient(sim: CmSimulator, account: string | null, extra: Partial<CmClientOptions> = {}) {
  const log = createMemoryLogger()
  const sleeps: number[] = []
  /** Requests the client sent (counted client-side: a server may log a delayed request late). */
  const sent: string[] = []
  const client = new CmClient({
    appRoot: sim.appRoot,
    fetch: (url, init) => {
      sent.push(`${init.method} ${new URL(url).pathname}`)
      return globalThis.fetch(url, init)
    },
    timeoutMs: 3000,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    ...(account === null ? {} : { auth: async () => simNegotiateHeader(account) }),
    log,
    serverProfile: 'simulator',
    sleep: (ms) => {
      sleeps.push(ms)
      return new Promise((r) => setTimeout(r, ms))
    },
    ...extra,
  })
  return { client, log, sleeps, sent }
}

/** How many requests of a route (e.g. 'E07') reached the simulator since its log was last cleared. */
export function hits(sim: CmSimulator, route: string): number {
  return sim.control.requestLog().filter((e) => e.route === route).length
}

/** The CSR of the documented certificatedata request FX-E10-1 (valid PKCS#10, §6.8). */
export function docCsr(): string {
  const fx = JSON.parse(readFileSync(join(__dirname, '../../fixtures/cm/FX-E10-1.json'), 'utf8')) as {
    cases: Array<{ request: { body?: { certificaterequests?: string[] } } }>
  }
  const csr = fx.cases[0]?.request.body?.certificaterequests?.[0]
  if (!csr) throw new Error('FX-E10-1 has no CSR')
  return csr
}

/** Ids from cm-rest-api.md §6/§7.4 and the training seed. */
export const IDS = {
  tA039: 'a039b4d0-5ce8-4eff-8651-181c6576fda3',
  t97cd: '97cd65fa-af4b-4587-9309-0dd6bfd8b4e1',
  t2b70: '2b7044cf-aa96-4911-b886-177947e9271b',
  tServerPin: 'e1000000-5151-4a00-8000-000000000001',
  tRandom: 'e1000000-5151-4a00-8000-000000000002',
  tEnrollDisabled: 'e1000000-5151-4a00-8000-000000000004',
  r1: 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099',
  r2: '0c96d73f-967b-420e-854a-43ad2a1504bc',
  rRetire: 'b105403d-d021-41ea-9f11-be3d677d229e',
  rWalk: 'c6bad97c-f97f-4920-8947-be980c98c6b5',
  card17: '17cf063d-e337-4aa9-a822-346554ddd3c9',
  card438: '438d1b30-f3b4-4bed-85fa-285e08605ba7',
  card5bad: '5badfea3-de31-4837-99f9-8249515a5473',
  cardD700: 'd700d97c-f91f-4930-8947-be980c98a644',
  cardidBc88: 'bc88f13f-83ba-4037-8262-46eba1291c6e',
  cardidD1ef: 'd1ef6869-5517-42a0-8f05-16ca1a0b834d',
  cardid23ca: '23cadd5f-020d-4c3b-a5ca-307b7a06f9c9',
  profileB99f: 'b99ff38c-6653-471f-ae3c-325bb351a6bc',
  uSelf: '8f1590dc-d932-4b66-8e68-2e91c5880780',
  atr: '3b8d0180fba000000397425446590301c8',
} as const
