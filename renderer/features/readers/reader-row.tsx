import { Badge, Button, Text, makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ReaderInfo } from '../../../shared/domain/reader'
import type { CardAction } from '../../store/reader-slice'
import { CardDetails } from '../cards/card-details'

const useStyles = makeStyles({
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) auto',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  line: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  atr: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS, gridColumn: '1 / -1' },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    wordBreak: 'break-all',
  },
})

/** Props of {@link ReaderRow}. */
export interface ReaderRowProps {
  reader: ReaderInfo
  /** Present only when the host offers training card controls and the reader is virtual. */
  onCardAction?: (action: CardAction) => void
  pending?: CardAction | undefined
}

/**
 * One reader: name, kind, card presence, ATR, the card's details, and (virtual readers in training) Insert/Remove and
 * "New blank badge" (replaces the reader's card with one CM has never seen).
 */
export function ReaderRow({ reader, onCardAction, pending }: ReaderRowProps): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const action: CardAction = reader.present ? 'remove' : 'insert'
  return (
    <li
      className={styles.row}
      data-testid="reader-row"
      data-reader-name={reader.name}
      data-present={String(reader.present)}
      data-reconnecting={String(reader.reconnecting)}
    >
      <div className={styles.line}>
        <Text weight="semibold">{reader.name}</Text>
        <Badge
          appearance="tint"
          color={reader.kind === 'virtual' ? 'informative' : 'brand'}
          data-testid="reader-kind"
        >
          {t(reader.kind === 'virtual' ? 'readers.kindVirtual' : 'readers.kindPcsc')}
        </Badge>
        <Badge
          appearance={reader.present ? 'filled' : 'outline'}
          color={reader.present ? 'success' : 'informative'}
          data-testid="card-presence"
        >
          {t(reader.present ? 'readers.cardPresent' : 'readers.cardAbsent')}
        </Badge>
        {reader.reconnecting ? (
          // The reader's monitor died without a list change; the station re-lists it (field report).
          <Badge appearance="tint" color="warning" data-testid="reader-reconnecting">
            {t('readers.reconnecting')}
          </Badge>
        ) : null}
      </div>
      {onCardAction ? (
        <div className={styles.line}>
          <Button
            size="small"
            data-testid={action === 'insert' ? 'insert-card' : 'remove-card'}
            aria-label={t(action === 'insert' ? 'readers.insertCardInto' : 'readers.removeCardFrom', {
              reader: reader.name,
            })}
            // Focusable while busy, so keyboard focus is not lost when the card state flips.
            disabledFocusable={pending !== undefined}
            onClick={() => onCardAction(action)}
          >
            {t(action === 'insert' ? 'readers.insertCard' : 'readers.removeCard')}
          </Button>
          <Button
            size="small"
            data-testid="new-card"
            aria-label={t('readers.newCardInto', { reader: reader.name })}
            disabledFocusable={pending !== undefined}
            onClick={() => onCardAction('new')}
          >
            {t('readers.newCard')}
          </Button>
        </div>
      ) : null}
      {reader.present ? (
        <div className={styles.atr}>
          <Text size={200}>{t('readers.atr')}</Text>
          {reader.atr ? (
            <code className={styles.code} data-testid="reader-atr">
              {reader.atr}
            </code>
          ) : (
            // A mute card: present, but it gave no ATR (field report).
            <Text size={200} data-testid="reader-no-atr">
              {t('readers.noAtr')}
            </Text>
          )}
        </div>
      ) : null}
      {reader.present ? <CardDetails reader={reader.name} /> : null}
    </li>
  )
}
