import type { SeededRng } from './rng'

/**
 * Fault injection (cm-rest-api.md SIM-F1/F2): rules evaluated before normal handling, with a seeded RNG.
 * Latency rules add up and let handling continue; the first matching non-latency rule decides the outcome.
 */

/** Which requests a rule applies to; every given field must match. */
export interface FaultMatch {
  /** HTTP method, any case. */
  method?: string
  /** Endpoint id from cm-rest-api.md §2.1, e.g. "E15". */
  route?: string
  /** Regular expression over the path (no query); strings are compiled case-insensitively. */
  pathRegex?: string | RegExp
  /** Query parameters that must be present with these values (names case-insensitive). */
  query?: Record<string, string>
  /** Caller account, seed key or Uuid (case-insensitive). */
  user?: string
  /** Fire only on the nth matching request (1-based). */
  nth?: number
  /** Fire at most this many times. */
  times?: number
  /** Fire with this probability (seeded RNG stream "faults"). */
  probability?: number
}

/** Malformed-response variants (SIM-F2). */
export type MalformedVariant =
  | 'truncated-json'
  | 'invalid-json'
  | 'html-200'
  | 'html-500'
  | 'wrong-content-type'
  | 'empty-200'
  | 'null-200'

/** What a rule does (SIM-F2). `afterHandler` runs the real handler first (state changes, response lost). */
export type FaultAction =
  | { type: 'latency'; ms: number; jitterMs?: number }
  | { type: 'status'; code: 500 | 403 | 204 | 401 | 404 | 503; message?: string; afterHandler?: boolean }
  | { type: 'drop'; when: 'before-headers' | 'mid-body'; afterHandler?: boolean }
  | { type: 'hang'; afterHandler?: boolean }
  | { type: 'malformed'; variant: MalformedVariant }
  | { type: 'slowBody'; bytesPerSec: number }

/** A fault rule. */
export interface FaultRule {
  id?: string
  match?: FaultMatch
  action: FaultAction
}

/** A stored rule with its counters. */
export interface ActiveFault extends FaultRule {
  id: string
  seen: number
  fired: number
}

/** The request facts rules match on. */
export interface FaultSubject {
  method: string
  path: string
  routeId: string | null
  query: { get(name: string): string | undefined }
  userKeys: string[]
}

/** The combined decision for one request. */
export interface FaultDecision {
  latencyMs: number
  action: Exclude<FaultAction, { type: 'latency' }> | null
  ruleIds: string[]
}

/** The rule set with its counters. */
export class FaultEngine {
  private rules: ActiveFault[] = []
  private nextId = 1

  constructor(private readonly rng: SeededRng) {}

  /** Add a rule; returns its id. */
  add(rule: FaultRule): string {
    const id = rule.id ?? `fault-${this.nextId++}`
    this.rules = this.rules.filter((r) => r.id !== id)
    this.rules.push({ ...rule, id, seen: 0, fired: 0 })
    return id
  }

  /** Remove a rule by id; true when it existed. */
  remove(id: string): boolean {
    const before = this.rules.length
    this.rules = this.rules.filter((r) => r.id !== id)
    return this.rules.length !== before
  }

  /** Remove every rule. */
  clear(): void {
    this.rules = []
  }

  /** The rules with their counters. */
  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }))
  }

  /** Evaluate all rules for one request (counters advance). */
  decide(s: FaultSubject): FaultDecision {
    const out: FaultDecision = { latencyMs: 0, action: null, ruleIds: [] }
    for (const rule of this.rules) {
      if (!matches(rule.match ?? {}, s)) continue
      rule.seen++
      const m = rule.match ?? {}
      if (m.nth !== undefined && rule.seen !== m.nth) continue
      if (m.times !== undefined && rule.fired >= m.times) continue
      if (m.probability !== undefined && this.rng.float('faults') >= m.probability) continue
      const a = rule.action
      if (a.type === 'latency') {
        rule.fired++
        out.ruleIds.push(rule.id)
        const jitter = a.jitterMs ? Math.floor(this.rng.float('faults') * (a.jitterMs + 1)) : 0
        out.latencyMs += a.ms + jitter
      } else if (out.action === null) {
        rule.fired++
        out.ruleIds.push(rule.id)
        out.action = a
      }
    }
    return out
  }
}

function matches(m: FaultMatch, s: FaultSubject): boolean {
  if (m.method && m.method.toUpperCase() !== s.method) return false
  if (m.route && m.route.toUpperCase() !== (s.routeId ?? '').toUpperCase()) return false
  if (m.pathRegex !== undefined) {
    const re = typeof m.pathRegex === 'string' ? new RegExp(m.pathRegex, 'i') : m.pathRegex
    if (!re.test(s.path)) return false
  }
  if (m.query) {
    for (const [k, v] of Object.entries(m.query)) if (s.query.get(k) !== v) return false
  }
  if (m.user && !s.userKeys.includes(m.user.toLowerCase())) return false
  return true
}
