import { Button, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components'
import type { TFunction } from 'i18next'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import { errorMessage } from '../../i18n/error-message'
import type { CardView } from '../../store/card-slice'
import { pickCard } from '../../store/enrollment-actions'
import { useStationContext, useStationState } from '../../store/store-context'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
  },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  lines: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
})

/** Statuses of a CM card that is in use (cm-rest-api.md §4.1): such a card is not a new badge. */
const IN_USE = new Set(['Assigned', 'Active', 'Disabled', 'Suspended'])

/** Whether the card in a reader can be offered as the new badge, and if not, why (a sentence). */
type Offer = { usable: true } | { usable: false; reason: string } | { usable: 'pending'; reason: string }

function offerFor(t: TFunction, card: CardView | undefined, view: EnrollmentView): Offer {
  if (!card || card.phase === 'identifying' || card.phase === 'looking-up') {
    return { usable: 'pending', reason: t('cards.identifying') }
  }
  switch (card.phase) {
    case 'identify-failed':
      return { usable: false, reason: errorMessage(t, card.error) }
    case 'not-gids':
      return { usable: false, reason: t('errors.not-gids') }
    case 'blank':
      return { usable: false, reason: t('errors.card-not-initialised') }
    default:
  }
  const resumeWith = view.card?.cardId ?? null
  if (resumeWith !== null) {
    // Resuming: only THE card this enrollment started with.
    return card.identity.cardId === resumeWith
      ? { usable: true }
      : { usable: false, reason: t('errors.wrong-card') }
  }
  if (card.phase === 'registered') {
    const record = card.record.card
    const status = record.status.name ?? ''
    if (
      record.assignedUserUuid !== null &&
      record.assignedUserUuid === view.holderUuid &&
      status !== 'Retired'
    ) {
      return { usable: false, reason: t('enrollment.card.holdersBadge') }
    }
    if (IN_USE.has(status)) return { usable: false, reason: t('errors.card-registered-elsewhere') }
  }
  return { usable: true }
}

/**
 * Step `card`, prompt `insert-card`: follows the reader snapshot and offers each reader whose card can be the new
 * badge ("Use the card in <reader>" → `enrollment:use-card`); other cards are listed with the reason. When
 * resuming, only the same card (by Card ID) is offered.
 */
export function CardStep({ view }: { view: EnrollmentView }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { station, store } = useStationContext()
  const readers = useStationState((s) => s.readers.snapshot?.readers ?? [])
  const cards = useStationState((s) => s.cards.byReader)
  const busy = useStationState((s) => s.enrollments.busy[view.requestId])
  if (view.prompt !== 'insert-card') return null
  const present = readers.filter((r) => r.present)
  const resuming = view.card?.cardId ?? null
  return (
    <div className={styles.root} data-testid="card-step">
      <Text weight="semibold" size={400}>
        {resuming ? t('enrollment.card.insertSame', { cardId: resuming }) : t('enrollment.card.insertNew')}
      </Text>
      {present.length === 0 ? (
        <Text data-testid="card-step-empty">{t('enrollment.card.noCard')}</Text>
      ) : (
        <ul className={styles.list} aria-live="polite">
          {present.map((reader) => {
            const card = cards[reader.name]
            const offer = offerFor(t, card, view)
            const cardId = card && 'identity' in card ? card.identity.cardId : null
            return (
              <li
                key={reader.name}
                className={styles.item}
                data-testid="card-candidate"
                data-reader-name={reader.name}
              >
                <div className={styles.lines}>
                  <Text weight="semibold">{reader.name}</Text>
                  {cardId ? <code className={styles.code}>{cardId}</code> : null}
                  {offer.usable === true ? null : offer.usable === 'pending' ? (
                    <Spinner size="extra-tiny" labelPosition="after" label={offer.reason} />
                  ) : (
                    <Text size={200} data-testid="card-refused">
                      {offer.reason}
                    </Text>
                  )}
                </div>
                {offer.usable === true ? (
                  <Button
                    appearance="primary"
                    data-testid="use-card"
                    data-reader-name={reader.name}
                    disabledFocusable={busy !== undefined}
                    icon={busy === 'use-card' ? <Spinner size="extra-tiny" /> : null}
                    onClick={() => void pickCard(station, store, view.requestId, reader.name)}
                  >
                    {t('enrollment.card.use', { reader: reader.name })}
                  </Button>
                ) : null}
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}
