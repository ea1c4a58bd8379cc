/**
 * The plan the crash-safety parent (crash-safety.ts) hands its station child (crash-station.ts), and the markers the
 * child prints right before each step's work — what the parent aims its kills at.
 */

/** One job of the plan: an on-behalf badge issue for a holder with a new card, or a standalone retire. */
export type CrashJob =
  | { index: number; kind: 'enroll'; holderUuid: string; cardId: string }
  | { index: number; kind: 'retire'; smartcardUuid: string }

/** The plan file the parent writes. */
export interface CrashPlan {
  appRoot: string
  dataDir: string
  /** Folder of the virtual cards' state files, `<cardId>.json`. */
  cardsDir: string
  /** The reader the new badges go into. */
  reader: string
  /** The template every enrollment job issues on. */
  templateId: string
  jobs: CrashJob[]
}

/**
 * The child's step markers (`at <job> <marker>`): the Enroll request's creation, the card checks (identify), bind,
 * admin key, PIN, certificates, complete, a standalone retire, and the resume of a job found in progress at start.
 */
export const CRASH_MARKERS = [
  'create',
  'identify',
  'bind',
  'admin-key',
  'pin',
  'certificates',
  'complete',
  'retire',
  'resume',
] as const

/** One of CRASH_MARKERS. */
export type CrashMarker = (typeof CRASH_MARKERS)[number]
