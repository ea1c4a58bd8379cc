import { createHmac } from 'node:crypto'
import { guidFromBytes } from './guid'

/**
 * Deterministic random source (SIM-D1): HMAC-SHA256(seed, "<stream>:<counter>") blocks. Each named stream
 * has its own counter, so fault-rule draws never shift the GUIDs or PINs of the data path.
 */
export class SeededRng {
  private counters: Record<string, number> = {}

  constructor(private readonly seed: string) {}

  /** `n` bytes from the named stream. */
  bytes(stream: string, n: number): Buffer {
    const out: Buffer[] = []
    let have = 0
    while (have < n) {
      const i = this.counters[stream] ?? 0
      this.counters[stream] = i + 1
      const block = createHmac('sha256', this.seed).update(`${stream}:${i}`).digest()
      out.push(block)
      have += block.length
    }
    return Buffer.concat(out).subarray(0, n)
  }

  /** A float in [0, 1) from the named stream. */
  float(stream: string): number {
    return this.bytes(stream, 6).readUIntBE(0, 6) / 2 ** 48
  }

  /** An integer in [0, max) from the named stream (rejection sampling, no modulo bias). */
  int(stream: string, max: number): number {
    if (max <= 0) return 0
    const limit = Math.floor(2 ** 32 / max) * max
    for (;;) {
      const v = this.bytes(stream, 4).readUInt32BE(0)
      if (v < limit) return v % max
    }
  }

  /** A random lower-case v4 GUID from the named stream. */
  guid(stream: string): string {
    return guidFromBytes(this.bytes(stream, 16))
  }

  /** Serializable state (for snapshot/restore). */
  getState(): Record<string, number> {
    return { ...this.counters }
  }

  /** Restore a state taken with getState(). */
  setState(state: Record<string, number>): void {
    this.counters = { ...state }
  }
}
