import { type ComponentChildren, h } from 'preact';

// The input is built with h(): preact's JSX types only accept a literal `type`, not a union of them.
/**
 * Form building blocks for server-rendered pages. Each field has a visible label, an inline error tied to
 * it with aria-describedby, and aria-invalid when wrong, so screen readers announce the problem in place.
 */
export interface FieldProps {
  readonly name: string;
  /** Defaults to `field-<name>`; set it when two forms on one page share a field name. */
  readonly id?: string;
  readonly label: string;
  readonly type?: 'text' | 'email' | 'password' | 'url' | 'search';
  readonly value?: string | undefined;
  readonly error?: string | undefined;
  readonly hint?: string;
  readonly autocomplete?: string;
  readonly required?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly autofocus?: boolean;
}

export function Field(props: FieldProps) {
  const id = props.id ?? `field-${props.name}`;
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {h('input', {
        id,
        name: props.name,
        type: props.type ?? 'text',
        value: props.type === 'password' ? undefined : props.value,
        autocomplete: props.autocomplete,
        required: props.required ?? true,
        minLength: props.minLength,
        maxLength: props.maxLength,
        autofocus: props.autofocus,
        'aria-invalid': props.error ? 'true' : undefined,
        'aria-describedby': described || undefined,
      })}
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A message at the top of a form or page; `role="alert"` for errors so they are announced. */
export function Notice({
  kind,
  children,
}: {
  kind: 'error' | 'info' | 'success';
  children: ComponentChildren;
}) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function HiddenField({ name, value }: { name: string; value: string }) {
  return <input type="hidden" name={name} value={value} />;
}

/**
 * A button that does something that cannot be undone (disconnect an app, rotate a secret, delete): drawn in the
 * danger style, and its form only submits once the person ticks the checkbox next to it. `required` makes the
 * browser refuse the submit without any script; the server may also check `confirm=yes`.
 */
export function ConfirmButton(props: {
  readonly action: string;
  readonly csrf: string;
  /** The button's text, e.g. "Disconnect Open MOOC". */
  readonly label: string;
  /** What the checkbox says, e.g. "Yes, disconnect Open MOOC: it loses access now". */
  readonly confirm: string;
  /** Makes ids unique when a page has several of these. */
  readonly id: string;
}) {
  const box = `confirm-${props.id}`;
  return (
    <form method="post" action={props.action} class="confirm-form">
      <input type="hidden" name="_csrf" value={props.csrf} />
      <label class="check" for={box}>
        <input type="checkbox" id={box} name="confirm" value="yes" required />
        <span>{props.confirm}</span>
      </label>
      <button type="submit" class="danger">
        {props.label}
      </button>
    </form>
  );
}

/**
 * A native select with its label; as wide as its options, not the whole column. `options` are [value, label]
 * pairs; the selected one is `value`.
 */
export function SelectField(props: {
  readonly name: string;
  readonly label: string;
  readonly options: readonly (readonly [string, string])[];
  readonly value?: string | undefined;
  readonly id?: string;
  readonly hint?: string;
}) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <select id={id} name={props.name} aria-describedby={props.hint ? `${id}-hint` : undefined}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value} selected={value === props.value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
