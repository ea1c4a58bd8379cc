import { describe, expect, it } from 'vitest'
import { runBulkRetire } from './bulk-retire'
import { RETIRE_PARALLELISM } from '../../electron/services/enrollment/steps-writes'

// "Nothing lost" under CM faults (issue "Measured, not assumed" §3, asserted): 200 Active badges of one holder
// retired through the station's write journal, RETIRE_PARALLELISM at a time, against the CM simulator as a separate
// process with 50 ms latency and 20 % of CM calls failing — 500s, hangs past the client timeout, and answers
// dropped after the server acted. Counted from the simulator's state: every card Retired exactly once, one Retire
// request per card, Completed once. (The journal's backoff is tightened to LAB_WRITE_RETRY; the logic is the same.)
describe('bulk retire through the journal with injected CM faults', () => {
  it('200 cards, 20 % faults: 0 lost, 0 duplicated', { timeout: 10 * 60_000 }, async () => {
    const r = await runBulkRetire({
      cards: 200,
      latencyMs: 50,
      parallelism: RETIRE_PARALLELISM,
      faultRate: 0.2,
      seed: 'bulk-retire-lab',
    })
    expect(r.faultsInjected).toBeGreaterThan(100) // the faults really happened
    expect(r.retired).toBe(200)
    expect(r.lost).toBe(0)
    expect(r.duplicated).toBe(0)
    expect(r.maxCompletionsPerRequest).toBe(1)
  })
})
