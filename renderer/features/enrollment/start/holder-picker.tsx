import { Radio, RadioGroup, Text, makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { UserUuid } from '../../../../shared/domain/cm'
import type { DirectoryPerson } from '../../../../shared/domain/directory'
import { useStationState } from '../../../store/store-context'
import { statusLabel } from '../../cards/card-labels'
import { PersonName } from '../../directory/person-name'
import { PersonSearch } from '../../directory/person-search'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
  chosen: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalS },
})

/** Who the badge is for, and how the operator found them. */
export type HolderChoice =
  | { via: 'badge'; reader: string; uuid: UserUuid; templateId: string | null; smartcardUuid: string }
  | { via: 'search'; person: DirectoryPerson; uuid: UserUuid }

/** A registered badge in a reader whose CM record names its owner: the holder's current badge. */
export interface HolderBadge {
  reader: string
  uuid: UserUuid
  /** CM's Uuid of the badge: the enrollment offers it in the retire step. */
  smartcardUuid: string
  templateId: string | null
  status: { raw: number; name: string | undefined; confidence: undefined }
}

/** The holders' badges identified in the readers (card slice: `registered` with an owner). */
export function useHolderBadges(): HolderBadge[] {
  const cards = useStationState((s) => s.cards.byReader)
  const out: HolderBadge[] = []
  for (const [reader, view] of Object.entries(cards)) {
    if (view.phase !== 'registered' || view.record.card.assignedUserUuid === null) continue
    const card = view.record.card
    out.push({
      reader,
      uuid: card.assignedUserUuid as UserUuid,
      smartcardUuid: card.uuid,
      templateId: card.profileTemplateUuid,
      status: { raw: card.status.raw, name: card.status.name, confidence: undefined },
    })
  }
  return out.sort((a, b) => a.reader.localeCompare(b.reader))
}

/**
 * The holder, two ways: from their current badge in a reader (the card's CM owner), or — when a directory exists
 * — by a directory search. Without a directory there is no search box (no dead control).
 */
export function HolderPicker(props: {
  value: HolderChoice | null
  onChange: (choice: HolderChoice) => void
  labelId: string
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const badges = useHolderBadges()
  const directory = useStationState((s) => s.app.info?.directory === true)
  const value = props.value
  return (
    <div className={styles.root}>
      {badges.length === 0 ? (
        <Text className={styles.muted} data-testid="holder-no-badge">
          {t('start.noBadge')}
        </Text>
      ) : (
        <RadioGroup
          aria-labelledby={props.labelId}
          value={value?.via === 'badge' ? value.reader : ''}
          onChange={(_e, data) => {
            const badge = badges.find((b) => b.reader === data.value)
            if (badge)
              props.onChange({
                via: 'badge',
                reader: badge.reader,
                uuid: badge.uuid,
                smartcardUuid: badge.smartcardUuid,
                templateId: badge.templateId,
              })
          }}
        >
          {badges.map((badge) => (
            <Radio
              key={badge.reader}
              value={badge.reader}
              data-testid="holder-from-badge"
              data-reader-name={badge.reader}
              data-holder-uuid={badge.uuid}
              label={
                <span>
                  <PersonName uuid={badge.uuid} />{' '}
                  <span className={styles.muted}>
                    {t('start.badgeIn', { reader: badge.reader, status: statusLabel(t, badge.status) })}
                  </span>
                </span>
              }
            />
          ))}
        </RadioGroup>
      )}
      {directory ? (
        <PersonSearch
          label={t('start.search')}
          testId="holder-search"
          onPick={(person) => props.onChange({ via: 'search', person, uuid: person.uuid })}
        />
      ) : null}
      {value?.via === 'search' ? (
        <Text className={styles.chosen} data-testid="holder-chosen" data-holder-uuid={value.uuid}>
          {t('start.chosen', { name: value.person.displayName, account: value.person.account })}
        </Text>
      ) : null}
    </div>
  )
}
