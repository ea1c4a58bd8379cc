import { Badge, Tag, Text, makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { CmCardSummary } from '../../../shared/domain/cm'
import type { IdentifiedCard } from '../../store/card-slice'
import { PersonName } from '../directory/person-name'
import { TemplateName } from '../enrollment/template-name'
import { operationLabel, statusColor, statusLabel } from './card-labels'

const useStyles = makeStyles({
  list: {
    display: 'grid',
    // A minimum label width keeps the values of neighbouring reader rows aligned.
    gridTemplateColumns: 'minmax(10rem, max-content) minmax(0, 1fr)',
    alignItems: 'baseline',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    // Narrow windows: labels above values, so long pt-BR / nl-NL labels never squeeze the GUIDs.
    '@media (max-width: 520px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  term: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  value: {
    margin: 0,
    minWidth: 0,
    '@media (max-width: 520px)': { marginBottom: tokens.spacingVerticalXS },
  },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase300,
    wordBreak: 'break-all',
  },
  tags: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
  },
})

function Field(props: { label: string; children: ReactNode }): ReactNode {
  const styles = useStyles()
  return (
    <>
      <dt className={styles.term}>{props.label}</dt>
      <dd className={styles.value}>{props.children}</dd>
    </>
  )
}

function Guid(props: { value: string | null; none: string; testId: string }): ReactNode {
  const styles = useStyles()
  if (props.value === null) return <Text data-testid={props.testId}>{props.none}</Text>
  return (
    <code className={styles.code} data-testid={props.testId}>
      {props.value}
    </code>
  )
}

/**
 * The card's identity and, when CM knows it, its record: status (by name, raw number kept in
 * `data-status-raw`), owner (by name through the directory when there is one; CM REST knows users only by GUID,
 * OQ-13), template (by name when it is an enrollable template) and the operations CM offers this operator now
 * (E18), as tags.
 */
export function CardFields(props: { card: IdentifiedCard; record?: CmCardSummary | undefined }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { card, record } = props
  return (
    <dl className={styles.list}>
      <Field label={t('cards.cardId')}>
        <Guid value={card.cardId} none="" testId="card-id" />
      </Field>
      {record ? (
        <>
          <Field label={t('cards.cmStatus')}>
            <Badge
              appearance="tint"
              color={statusColor(record.card.status)}
              data-testid="cm-status"
              data-status-raw={String(record.card.status.raw)}
            >
              {statusLabel(t, record.card.status)}
            </Badge>
          </Field>
          <Field label={t('cards.owner')}>
            <PersonName uuid={record.card.assignedUserUuid} none={t('cards.noOwner')} testId="cm-owner" />
          </Field>
          <Field label={t('cards.template')}>
            <TemplateName
              templateId={record.card.profileTemplateUuid}
              none={t('cards.noTemplate')}
              testId="cm-template"
            />
          </Field>
          <Field label={t('cards.operations')}>
            {record.operations.length > 0 ? (
              <ul className={styles.tags} data-testid="cm-operations">
                {record.operations.map((operation) => (
                  <li key={operation}>
                    <Tag
                      size="small"
                      appearance="outline"
                      data-testid="cm-operation"
                      data-operation={operation}
                    >
                      {operationLabel(t, operation)}
                    </Tag>
                  </li>
                ))}
              </ul>
            ) : (
              <Text data-testid="cm-operations">{t('cards.noOperations')}</Text>
            )}
          </Field>
        </>
      ) : null}
    </dl>
  )
}
