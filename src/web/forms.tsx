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
