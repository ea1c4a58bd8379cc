import { Text, makeStyles, tokens } from '@fluentui/react-components'
import { useEffect, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { DirectoryPerson } from '../../../shared/domain/directory'
import { requestPeople } from '../../store/directory-sync'
import { useStationContext, useStationState } from '../../store/store-context'

const useStyles = makeStyles({
  code: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  account: { color: tokens.colorNeutralForeground3 },
})

/**
 * The directory entry for a CM user GUID, asked for on first use (batched `directory:lookup`); null while
 * unknown, without a directory, or when the directory does not know the GUID.
 */
export function usePerson(uuid: string | null): DirectoryPerson | null {
  const { station, store } = useStationContext()
  const directory = useStationState((s) => s.app.info?.directory === true)
  const person = useStationState((s) => (uuid ? s.directory.people[uuid] : undefined))
  useEffect(() => {
    if (uuid && directory && person === undefined) requestPeople(station, store, [uuid])
  }, [uuid, directory, person, station, store])
  return person ?? null
}

/**
 * A person by name when the directory knows the GUID, else the GUID itself (CM REST knows users only by GUID).
 * `data-uuid` always carries the GUID; `none` is shown when there is no GUID at all. `withAccount` shows the account
 * beside the name (two "Ana Souza" are told apart where the holder of a badge is decided or confirmed).
 */
export function PersonName(props: {
  uuid: string | null
  none?: string
  testId?: string
  withAccount?: boolean
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const person = usePerson(props.uuid)
  if (props.uuid === null)
    return <Text data-testid={props.testId}>{props.none ?? t('common.unknownPerson')}</Text>
  if (!person) {
    return (
      <code className={styles.code} data-testid={props.testId} data-uuid={props.uuid}>
        {props.uuid}
      </code>
    )
  }
  const name = (
    <Text data-testid={props.testId} data-uuid={props.uuid} title={person.account}>
      {person.displayName}
    </Text>
  )
  if (!props.withAccount || !person.account) return name
  return (
    <span>
      {name} <span className={styles.account}>({person.account})</span>
    </span>
  )
}
