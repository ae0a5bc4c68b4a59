import type { AppError } from '../errors.js';
import { CsrfField, ErrorNotice, type Frame, Layout, type NavKey, Notice, sentence } from './layout.js';

/** Fields a confirmation never repeats: the form token is renewed and the code is typed again. */
const NOT_REPEATED = new Set(['csrf', 'stepup_code']);

/**
 * A sensitive action (promoting an admin, inviting one, deciding through step-up) answered
 * escalation_required: a code was emailed. This page repeats the same form, unchanged, with a
 * field for the code, because the code confirms exactly that request.
 */
export function StepUpPage(props: {
  frame: Frame;
  active: NavKey;
  action: string;
  fields: Record<string, string>;
  /** The escalation_required message: what is being confirmed and where the code went. */
  asked: string;
  cancel: string;
  minutes: number;
  error?: AppError | null;
}) {
  return (
    <Layout title="Confirm with the emailed code" frame={props.frame} active={props.active} narrow>
      <div class="card">
        <h1>Confirm with the emailed code</h1>
        <Notice kind="info">
          <p>{sentence(props.asked)}</p>
        </Notice>
        <ErrorNotice error={props.error} title="The code was not accepted" />
        <form method="post" action={props.action}>
          <CsrfField token={props.frame.csrf} />
          {Object.entries(props.fields)
            .filter(([name]) => !NOT_REPEATED.has(name))
            .map(([name, value]) => (
              <input type="hidden" name={name} value={value} />
            ))}
          <div class="field">
            <label for="stepup_code">Confirmation code</label>
            <input
              id="stepup_code"
              name="stepup_code"
              class="code"
              type="text"
              inputmode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9 ]{6,7}"
              maxlength={7}
              required
              autofocus
            />
            <p class="help">
              It confirms only this action, works once, and expires in {props.minutes} minutes.
            </p>
          </div>
          <div class="actions">
            <button type="submit">Confirm</button>
            <a href={props.cancel}>Cancel</a>
          </div>
        </form>
      </div>
    </Layout>
  );
}
