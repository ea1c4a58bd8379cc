import { describe, expect, it } from 'vitest'
import { runCrashSafety } from './crash-safety'

// "Nothing lost" when the station itself dies (issue "Measured, not assumed" §4, asserted): the real services in a
// child process work through 70 on-behalf badge issues (server PIN, diversified admin key, one certificate, each on
// its own new card) and 30 standalone retires against the CM simulator as a separate process, and are SIGKILLed 36
// times — aimed in turn at the Enroll request's creation, the card checks, bind, admin key, PIN, certificates,
// complete, a retire, and the resume right after a restart, half of them at the step's changing CM call or card
// command — then started again over the same data folder until every job is finished. Counted from the SIMULATOR: no
// job lost, no CM write done twice (card bound, request completed, Retire request created), no Enroll request left
// behind, and every journal, checkpoint and card file parsed by the station's own strict readers after every kill.
describe('crash safety: the station killed at random points of 100 jobs', () => {
  it(
    '70 issues + 30 retires, 36 kills: 0 lost, 0 duplicated, 0 orphans, 0 corrupt files',
    { timeout: 15 * 60_000 },
    async () => {
      const r = await runCrashSafety({ enrollments: 70, retires: 30, kills: 36, seed: 'crash-safety-lab' })
      const { killList: _kills, ...summary } = r
      console.log(JSON.stringify(summary, null, 1))
      expect(r.problems).toEqual([])
      expect(r.hopeless).toEqual([])
      expect(r.finished).toBe(true)
      expect(r.jobs).toBe(100)
      expect(r.kills).toBeGreaterThanOrEqual(20)
      expect(r.restarts).toBe(r.kills)
      expect(r.filesChecked).toBeGreaterThan(r.kills)
      expect(r.lost).toBe(0)
      expect(r.duplicated).toBe(0)
      expect(r.orphans).toBe(0)
      expect(r.corruptFiles).toBe(0)
      // One successful bind per new card, as CM's log shows it.
      expect(r.bindsAnswered).toBe(70)
    },
  )
})
