import { expect } from 'vitest'
import type { GidsCard } from '../../../electron/simulator/card/gids-card'

/** Hex (spaces allowed) → Buffer. */
export const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex')

/** Consecutive bytes from `from`, e.g. seq(0, 24) = 000102…17. */
export const seq = (from: number, n: number): Buffer =>
  Buffer.from(Array.from({ length: n }, (_, i) => from + i))

/** Send one APDU (hex) and return the whole response as lower-case hex. */
export function tx(card: GidsCard, apdu: string | Buffer): string {
  return card.process(typeof apdu === 'string' ? hex(apdu) : apdu).toString('hex')
}

/** Status word of the response, 4 hex digits. */
export function swOf(card: GidsCard, apdu: string | Buffer): string {
  return tx(card, apdu).slice(-4)
}

/** One trace step: APDU → exact response hex, or just the SW when `expected` has 4 digits. */
export type Step = [apdu: string, expected: string]

/** Replay a trace, failing with the step index and APDU on the first mismatch. */
export function replay(card: GidsCard, steps: Step[]): void {
  steps.forEach(([apdu, expected], i) => {
    const want = expected.replace(/\s+/g, '').toLowerCase()
    const got = tx(card, apdu)
    const actual = want.length === 4 ? got.slice(-4) : got
    expect(actual, `step ${i}: ${apdu}`).toBe(want)
  })
}

/** A random source that returns queued byte strings first, then zeros (deterministic challenges). */
export function scriptedRandom(...queue: Buffer[]): (n: number) => Buffer {
  return (n: number) => {
    const next = queue.shift()
    if (!next) return Buffer.alloc(n)
    if (next.length !== n) throw new Error(`scripted random: asked for ${n} bytes, queued ${next.length}`)
    return Buffer.from(next)
  }
}
