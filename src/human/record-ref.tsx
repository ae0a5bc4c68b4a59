import type { Names } from './names.js';

/**
 * A record by its name, "Ada Lovelace (contact)", with its handle on hover (and for search);
 * the handle itself when the record has no name or is not one this page looked up.
 */
export function RecordRef(props: { handle: string; names: Names }) {
  const name = props.names.record(props.handle);
  if (!name) {
    // An agent or a person (a member's role changed): their label, else the handle itself.
    const label = props.names.label(props.handle);
    if (label !== props.handle) return <span title={props.handle}>{label}</span>;
    return <code class="break">{props.handle}</code>;
  }
  return (
    <span class="record-ref" title={props.handle}>
      <strong>{name}</strong> <span class="muted">({props.handle.slice(0, props.handle.indexOf('/'))})</span>
    </span>
  );
}
