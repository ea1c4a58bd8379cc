import {
  Button,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { CmSmartcard, SmartcardUuid, UserUuid } from '../../../shared/domain/cm'
import type { ErrorInfo } from '../../../shared/errors'
import { settle } from '../../bridge/settle'
import { errorMessage } from '../../i18n/error-message'
import { useStationContext, useStationState } from '../../store/store-context'
import { statusLabel } from '../cards/card-labels'
import { PersonName } from '../directory/person-name'
import { TemplateName } from '../enrollment/template-name'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground3 },
  code: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
})

/** The card the operator chose to retire, with what is known about it. */
export interface RetireTarget {
  smartcardUuid: SmartcardUuid
  cardId: string | null
  holderUuid: string | null
  templateId: string | null
  statusName: string | undefined
  /** E18 operations when the card came from a reader (cm:find-card); null when unknown (holder's card list). */
  operations: string[] | null
  reader: string | null
}

/** A card that cannot be retired again. */
function isRetired(statusName: string | undefined): boolean {
  return statusName === 'Retired'
}

function CardLabel(props: {
  cardId: string | null
  uuid: string
  status: string
  templateId: string | null
  reader: string | null
}): ReactNode {
  const styles = useStyles()
  const { t } = useTranslation()
  return (
    <span>
      <code className={styles.code}>{props.cardId ?? props.uuid}</code>
      {' — '}
      {props.status}
      {' — '}
      <TemplateName templateId={props.templateId} />
      {props.reader ? (
        <span className={styles.muted}> — {t('retireTask.inReader', { reader: props.reader })}</span>
      ) : null}
    </span>
  )
}

/** Registered badges in the readers (card slice) as retire targets, and the distinct holders they belong to. */
export function ReaderBadges(props: {
  value: SmartcardUuid | null
  onPick: (target: RetireTarget) => void
  labelId: string
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const cards = useStationState((s) => s.cards.byReader)
  const badges = Object.entries(cards)
    .flatMap(([reader, view]) => (view.phase === 'registered' ? [{ reader, summary: view.record }] : []))
    .sort((a, b) => a.reader.localeCompare(b.reader))
  if (badges.length === 0) {
    return (
      <Text className={styles.muted} data-testid="retire-no-badge">
        {t('retireTask.noBadge')}
      </Text>
    )
  }
  return (
    <RadioGroup
      aria-labelledby={props.labelId}
      value={badges.some((b) => b.summary.card.uuid === props.value) ? (props.value ?? '') : ''}
      onChange={(_e, data) => {
        const found = badges.find((b) => b.summary.card.uuid === data.value)
        if (!found) return
        const card = found.summary.card
        props.onPick({
          smartcardUuid: card.uuid,
          cardId: card.cardId,
          holderUuid: card.assignedUserUuid,
          templateId: card.profileTemplateUuid,
          statusName: card.status.name,
          operations: found.summary.operations,
          reader: found.reader,
        })
      }}
    >
      {badges.map(({ reader, summary }) => (
        <Radio
          key={reader}
          value={summary.card.uuid}
          disabled={isRetired(summary.card.status.name)}
          data-testid="retire-badge"
          data-reader-name={reader}
          data-smartcard-uuid={summary.card.uuid}
          label={
            <span>
              <PersonName uuid={summary.card.assignedUserUuid} none={t('cards.noOwner')} />{' '}
              <span className={styles.muted}>
                {t('start.badgeIn', { reader, status: statusLabel(t, summary.card.status) })}
              </span>
            </span>
          }
        />
      ))}
    </RadioGroup>
  )
}

type Load =
  { phase: 'loading' } | { phase: 'failed'; error: ErrorInfo } | { phase: 'loaded'; cards: CmSmartcard[] }

/** A holder's card in the list: CM's record, and the reader it is in when the station sees it there. */
interface HolderCard {
  card: CmSmartcard
  reader: string | null
  operations: string[] | null
}

/**
 * Every card of one holder that this operator can see (`cm:list-holder-cards`), plus the holder's cards in the
 * readers (CM's record from `cm:find-card`) that list misses. CM REST lists only the cards the caller may see, so an
 * empty list does not prove the holder has none (OQ-13).
 */
export function HolderCards(props: {
  holderUuid: UserUuid
  value: SmartcardUuid | null
  onPick: (target: RetireTarget) => void
  refreshKey: number
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { station } = useStationContext()
  const [load, setLoad] = useState<Load>({ phase: 'loading' })
  const { holderUuid } = props
  const byReader = useStationState((s) => s.cards.byReader)
  const inReaders: HolderCard[] = Object.entries(byReader)
    .flatMap(([reader, view]) =>
      view.phase === 'registered' && view.record.card.assignedUserUuid === holderUuid
        ? [{ card: view.record.card, reader, operations: view.record.operations }]
        : [],
    )
    .sort((a, b) => (a.reader ?? '').localeCompare(b.reader ?? ''))
  const listed = load.phase === 'loaded' ? load.cards : []
  const cards: HolderCard[] = [
    ...listed.map(
      (card) => inReaders.find((r) => r.card.uuid === card.uuid) ?? { card, reader: null, operations: null },
    ),
    ...inReaders.filter((r) => !listed.some((c) => c.uuid === r.card.uuid)),
  ]

  useEffect(() => {
    let current = true
    void settle(() => station.cm.listHolderCards({ holderUuid })).then((result) => {
      if (current)
        setLoad(
          result.ok ? { phase: 'loaded', cards: result.value } : { phase: 'failed', error: result.error },
        )
    })
    return () => {
      current = false
    }
  }, [station, holderUuid, props.refreshKey])

  return (
    <div className={styles.root} data-testid="holder-cards" data-holder-uuid={holderUuid}>
      <Text weight="semibold">
        {t('retireTask.cardsOf')} <PersonName uuid={holderUuid} withAccount />
      </Text>
      {load.phase === 'loading' ? (
        <Spinner size="tiny" labelPosition="after" label={t('retireTask.loadingCards')} />
      ) : null}
      {load.phase === 'failed' ? (
        <MessageBar intent="error">
          <MessageBarBody>{errorMessage(t, load.error)}</MessageBarBody>
        </MessageBar>
      ) : null}
      {load.phase === 'loaded' && cards.length === 0 ? <Text>{t('retireTask.noCards')}</Text> : null}
      {cards.length > 0 ? (
        <RadioGroup
          aria-label={t('retireTask.cardsOfLabel')}
          value={cards.some((c) => c.card.uuid === props.value) ? (props.value ?? '') : ''}
          onChange={(_e, data) => {
            const found = cards.find((c) => c.card.uuid === data.value)
            if (!found) return
            const { card } = found
            props.onPick({
              smartcardUuid: card.uuid,
              cardId: card.cardId,
              holderUuid: card.assignedUserUuid,
              templateId: card.profileTemplateUuid,
              statusName: card.status.name,
              operations: found.operations,
              reader: found.reader,
            })
          }}
        >
          {cards.map(({ card, reader }) => (
            <Radio
              key={card.uuid}
              value={card.uuid}
              disabled={isRetired(card.status.name)}
              data-testid="retire-holder-card"
              data-smartcard-uuid={card.uuid}
              data-reader-name={reader ?? undefined}
              label={
                <CardLabel
                  cardId={card.cardId}
                  uuid={card.uuid}
                  status={statusLabel(t, card.status)}
                  templateId={card.profileTemplateUuid}
                  reader={reader}
                />
              }
            />
          ))}
        </RadioGroup>
      ) : null}
    </div>
  )
}

/** "Show all cards of <holder>" for each distinct holder of a badge in the readers. */
export function HolderButtons(props: { onHolder: (uuid: UserUuid) => void }): ReactNode {
  const styles = useStyles()
  const { t } = useTranslation()
  const cards = useStationState((s) => s.cards.byReader)
  const holders = [
    ...new Set(
      Object.values(cards).flatMap((v) =>
        v.phase === 'registered' && v.record.card.assignedUserUuid ? [v.record.card.assignedUserUuid] : [],
      ),
    ),
  ]
  if (holders.length === 0) return null
  return (
    <div className={styles.actions}>
      {holders.map((uuid) => (
        <Button
          key={uuid}
          size="small"
          data-testid="show-holder-cards"
          data-holder-uuid={uuid}
          onClick={() => props.onHolder(uuid)}
        >
          {t('retireTask.showCards')}&nbsp;
          <PersonName uuid={uuid} />
        </Button>
      ))}
    </div>
  )
}
