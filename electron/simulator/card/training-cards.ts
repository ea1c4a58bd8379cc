import { randomBytes } from 'node:crypto'
import { cardIdToGuid, guidToCardId } from '../../services/card/cardid'
import { zeroize } from '../../services/crypto/des'
import { deriveDiversifiedKey, initialAdminKey } from '../cm/card-crypto'
import { normCardId } from '../cm/guid'
import type { ScenarioSeed } from '../cm/seed-schema'
import { loadScenario } from '../cm/seeds'
import { GidsCard, DEFAULT_PIN } from './gids-card'
import { DEFAULT_VIRTUAL_READERS } from './memory-backend'
import type { CardProcessor } from './vpcd-client'

/**
 * The cards that live in the training readers, so that training looks like a real desk: reader 0 holds an
 * employee's badge that CM already knows (Active), reader 1 a new blank badge to issue. Both come from the
 * `training` seed of the CM simulator (electron/simulator/cm/seeds/training.json) that training mode runs.
 */

/**
 * CM smart-card Uuid of the seeded badge in reader 0: Alice Martins' Active card on "Badge vSC (server
 * PIN)" (t-vsc-serverpin), whose admin key is not diversified — so the key CM expects is the template's K0.
 */
export const TRAINING_ISSUED_SMARTCARD_UUID = '7a000000-0000-4000-8000-000000000001'

/** The profile template a new badge (reader 1) is issued on: the one the README's curl walk-through uses. */
export const TRAINING_NEW_CARD_TEMPLATE = 't-vsc-serverpin'

/** What a training card is made of; `adminKey` is a fresh copy the caller zeroes. */
export interface TrainingCardSpec {
  /** CardID as CM's GUID text (lower case, no braces). */
  cardId: string
  adminKey: Buffer
  pin: string
}

type Template = ScenarioSeed['ProfileTemplates'][number]

let seedCache: ScenarioSeed | null = null
function seed(): ScenarioSeed {
  seedCache ??= loadScenario('training')
  return seedCache
}

function template(s: ScenarioSeed, id: string): Template {
  const found = s.ProfileTemplates.find((t) => t.Uuid === id || t.Key === id)
  if (!found) throw new RangeError(`training seed has no profile template ${id}`)
  return found
}

function smartcardConfig(t: Template): NonNullable<Template['SmartcardConfig']> {
  if (!t.SmartcardConfig) throw new RangeError(`training template ${t.Key} is not a smart-card template`)
  return t.SmartcardConfig
}

/**
 * The admin key the simulator expects on an issued card (cm-rest-api.md §5.2): the diversified key when
 * the template diversifies (SIM-C2, unrotated secret, per-CardID override first), else K0.
 */
function issuedAdminKey(s: ScenarioSeed, t: Template, cardId: string): Buffer {
  const config = smartcardConfig(t)
  if (!config.DiversifyAdminKey) return initialAdminKey(config)
  const override = s.Overrides.DiversifiedKeys[normCardId(cardId)]
  if (override !== undefined) return Buffer.from(override, 'base64')
  return deriveDiversifiedKey(t.Sim.DiversificationSecret ?? s.DiversificationSecret, cardId)
}

/** The seeded, Active, employee-owned badge of reader 0 (cardid from the CM record's SerialNumber). */
export function issuedTrainingCardSpec(): TrainingCardSpec {
  const s = seed()
  const card = s.Smartcards.find((c) => c.Uuid === TRAINING_ISSUED_SMARTCARD_UUID)
  if (!card) throw new RangeError(`training seed has no smartcard ${TRAINING_ISSUED_SMARTCARD_UUID}`)
  const cardId = normCardId(card.SerialNumber)
  return {
    cardId,
    adminKey: issuedAdminKey(s, template(s, card.ProfileTemplateUuid), cardId),
    pin: DEFAULT_PIN,
  }
}

/** A new badge for reader 1: random cardid unknown to the seed, the new-card template's initial key K0. */
export function newTrainingCardSpec(random: (n: number) => Buffer = randomBytes): TrainingCardSpec {
  const s = seed()
  const seeded = new Set(s.Smartcards.map((c) => normCardId(c.SerialNumber)))
  let cardId: string
  do cardId = cardIdToGuid(random(16))
  while (seeded.has(cardId))
  return {
    cardId,
    adminKey: initialAdminKey(smartcardConfig(template(s, TRAINING_NEW_CARD_TEMPLATE))),
    pin: DEFAULT_PIN,
  }
}

/** A personalised virtual GIDS card from a spec; the spec's key is zeroed afterwards. */
export function cardFromSpec(spec: TrainingCardSpec): GidsCard {
  const cardid = guidToCardId(spec.cardId)
  try {
    return GidsCard.personalised({ cardid, adminKey: spec.adminKey, pin: spec.pin })
  } finally {
    zeroize(spec.adminKey)
  }
}

/** The `makeBlankCard` of createTrainingHandlers: a new blank badge for `training:new-card`. */
export function newTrainingCard(): CardProcessor {
  return cardFromSpec(newTrainingCardSpec())
}

/**
 * The `makeCard` of createTrainingHandlers: reader 0 → the seeded Active badge, reader 1 → a new badge;
 * any other virtual reader → a personalised card with a random cardid and the all-zero key (the default).
 */
export function trainingCardFor(reader: string): CardProcessor {
  const [reader0, reader1] = DEFAULT_VIRTUAL_READERS
  if (reader === reader0) return cardFromSpec(issuedTrainingCardSpec())
  if (reader === reader1) return cardFromSpec(newTrainingCardSpec())
  return GidsCard.personalised()
}
