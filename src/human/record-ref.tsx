import type { Names } from './names.js';

/**
 * A record by its name, "Ada Lovelace (contact)", with its handle on hover (and for search);
 * the handle itself when the record has no name or is not one this page looked up.
 */
export function RecordRef(props: { handle: string; names: Names }) {
  const name = props.names.record(props.handle);
  if (!name) return <code class="break">{props.handle}</code>;
  return (
    <span class="record-ref" title={props.handle}>
      <strong>{name}</strong> <span class="muted">({props.handle.slice(0, props.handle.indexOf('/'))})</span>
    </span>
  );
}
