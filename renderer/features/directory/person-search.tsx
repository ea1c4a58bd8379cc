import {
  Field,
  Input,
  Spinner,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
  useId,
} from '@fluentui/react-components'
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { DirectoryPerson } from '../../../shared/domain/directory'
import type { ErrorInfo } from '../../../shared/errors'
import { settle } from '../../bridge/settle'
import { errorMessage } from '../../i18n/error-message'
import { useStationContext } from '../../store/store-context'

/** Wait this long after the last keystroke before asking the directory (type-ahead, not one call per key). */
export const SEARCH_DEBOUNCE_MS = 250
const MIN_QUERY = 2
/** The longest query the station sends (shared/ipc/directory.ts accepts 200 characters). */
const MAX_QUERY = 200

const useStyles = makeStyles({
  root: { position: 'relative', display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: tokens.spacingVerticalXXS,
    maxHeight: '16rem',
    overflowY: 'auto',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow8,
  },
  option: {
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusSmall,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  active: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
  },
  detail: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
})

type Search =
  | { phase: 'idle' }
  | { phase: 'searching' }
  | { phase: 'done'; people: DirectoryPerson[]; total: number }
  | { phase: 'failed'; error: ErrorInfo }

/**
 * Find a person in the directory (`directory:search`): a debounced type-ahead combobox (WAI-ARIA combobox with a
 * listbox popup). Arrow keys move through the results, Enter picks, Escape closes; the result count is announced.
 * Render it only when `app:info.directory` is true (no dead search box without a directory).
 */
export function PersonSearch(props: {
  label: string
  onPick: (person: DirectoryPerson) => void
  testId?: string
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { station } = useStationContext()
  const listId = useId('people')
  const optionId = useId('person')
  const [query, setQuery] = useState('')
  const [search, setSearch] = useState<Search>({ phase: 'idle' })
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const sequence = useRef(0)

  useEffect(() => {
    const text = query.trim()
    const mine = ++sequence.current
    if (text.length < MIN_QUERY) return
    const timer = setTimeout(() => {
      setSearch({ phase: 'searching' })
      void settle(() => station.directory.search({ query: text, limit: 20 })).then((result) => {
        // A slower answer to an older query must not replace the newer one.
        if (mine !== sequence.current) return
        setSearch(
          result.ok
            ? { phase: 'done', people: result.value.people, total: result.value.total }
            : { phase: 'failed', error: result.error },
        )
        setActive(-1)
      })
    }, SEARCH_DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [query, station])

  // A query too short to search shows nothing, whatever an earlier, longer one found.
  const shown: Search = query.trim().length < MIN_QUERY ? { phase: 'idle' } : search
  const people = shown.phase === 'done' ? shown.people : []
  const expanded = open && people.length > 0

  const pick = (person: DirectoryPerson): void => {
    props.onPick(person)
    setOpen(false)
    setActive(-1)
    setQuery('')
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (people.length === 0) return
      event.preventDefault()
      setOpen(true)
      const step = event.key === 'ArrowDown' ? 1 : -1
      setActive((i) => (i < 0 && step < 0 ? people.length - 1 : (i + step + people.length) % people.length))
    } else if (event.key === 'Home' && expanded) {
      event.preventDefault()
      setActive(0)
    } else if (event.key === 'End' && expanded) {
      event.preventDefault()
      setActive(people.length - 1)
    } else if (event.key === 'Enter') {
      // The highlighted person, or the only one found.
      const person = expanded ? (people[active] ?? (people.length === 1 ? people[0] : undefined)) : undefined
      if (person) {
        event.preventDefault()
        pick(person)
      }
    } else if (event.key === 'Escape') {
      if (expanded) {
        event.preventDefault()
        setOpen(false)
        setActive(-1)
      } else if (query !== '') {
        event.preventDefault()
        setQuery('')
      }
    }
  }

  const status =
    shown.phase === 'done'
      ? shown.people.length === 0
        ? t('directory.noResults')
        : shown.total > shown.people.length
          ? t('directory.resultCountMore', { n: shown.people.length, total: shown.total })
          : t('directory.resultCount', { n: shown.people.length })
      : shown.phase === 'failed'
        ? errorMessage(t, shown.error)
        : ''

  return (
    <div className={styles.root}>
      <Field
        label={props.label}
        hint={t('directory.searchHint')}
        validationState={shown.phase === 'failed' ? 'error' : 'none'}
      >
        <Input
          type="search"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${optionId}-${active}` : undefined}
          data-testid={props.testId}
          maxLength={MAX_QUERY}
          value={query}
          onChange={(_e, data) => {
            setQuery(data.value)
            setOpen(true)
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          onFocus={() => setOpen(true)}
        />
      </Field>
      {shown.phase === 'searching' ? (
        <Spinner size="extra-tiny" labelPosition="after" label={t('directory.searching')} />
      ) : null}
      <Text
        size={200}
        aria-live="polite"
        className={shown.phase === 'failed' ? styles.error : undefined}
        data-testid={props.testId ? `${props.testId}-status` : undefined}
        data-failed={shown.phase === 'failed' ? shown.error.code : undefined}
      >
        {status}
      </Text>
      <ul id={listId} role="listbox" aria-label={props.label} className={styles.list} hidden={!expanded}>
        {people.map((person, index) => (
          <li
            key={person.uuid}
            id={`${optionId}-${index}`}
            role="option"
            aria-selected={index === active}
            data-testid="person-option"
            data-uuid={person.uuid}
            className={mergeClasses(styles.option, index === active && styles.active)}
            // Keep the focus in the input while the mouse picks (the blur would close the list first).
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(person)}
          >
            <Text weight="semibold">{person.displayName}</Text>
            <Text size={200} className={styles.detail}>
              {[person.account, person.department, person.email].filter(Boolean).join(' · ')}
            </Text>
          </li>
        ))}
      </ul>
    </div>
  )
}
