// The form kit: every field is one line with its label, hint, error and accessibility wiring.
//
//   const form = useFormState("pickup", "pickup-");
//   <FormError error={form.formError} />
//   <TextField form={form} name="outlet" label="刊发媒体" maxLength={100} required />
//
// `useFormState` reads the page's action data (FormFailure, app/lib/form.server.ts) for one form
// of the page (its intent), so a refusal puts the typed values back and each message beside its
// field. The fields are plain inputs in a plain <Form>: everything works without JavaScript.
// With JavaScript, a refused answer also moves the focus to the first problem on the page.
import { useActionData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useEffect, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import type { FormFailure } from "~/lib/form.server";

export interface FormState {
  /** The field's message from the last refusal of this form. */
  error(name: string): string | undefined;
  /** What the person typed into the field before the refusal (undefined when nothing came back). */
  value(name: string): string | undefined;
  /** The message for the form as a whole. */
  formError?: string;
  /** The last submission of this form was refused (its values, not the defaults, fill the fields). */
  failed: boolean;
  /** Prefix of the fields' ids, for pages with several forms naming the same fields. */
  idPrefix: string;
}

const NO_FAILURE: FormState = { error: () => undefined, value: () => undefined, failed: false, idPrefix: "" };

export function isFormFailure(data: unknown): data is FormFailure {
  return typeof data === "object" && data !== null && (data as { ok?: unknown }).ok === false && "fieldErrors" in data;
}

/**
 * The form a refused answer belongs to: the intent the answer names, else the one the typed values
 * carry (a plain field check answers with what was typed, the form's hidden intent among it).
 */
export function failedIntent(data: unknown): string | undefined {
  if (!isFormFailure(data)) return undefined;
  return data.intent ?? data.values?.intent;
}

/** The state of one form from a given answer (for components handed the action data). */
export function formStateOf(data: unknown, intent?: string, idPrefix = ""): FormState {
  if (!isFormFailure(data) || (intent !== undefined && failedIntent(data) !== intent)) {
    return { ...NO_FAILURE, idPrefix };
  }
  return {
    error: (name) => data.fieldErrors[name],
    value: (name) => data.values[name],
    formError: data.formError,
    failed: true,
    idPrefix,
  };
}

/** A form state from values the page has already shaped (say, a draft being edited). */
export function formStateFrom(
  errors: Record<string, string | undefined>,
  values: object,
  idPrefix = "",
): FormState {
  const byName = values as Record<string, unknown>;
  return {
    error: (name) => errors[name],
    value: (name) => (typeof byName[name] === "string" ? (byName[name] as string) : undefined),
    failed: true,
    idPrefix,
  };
}

/** The state of the page's form named by `intent` (any form when the page has one). */
export function useFormState(intent?: string, idPrefix = ""): FormState {
  return formStateOf(useActionData(), intent, idPrefix);
}

/** What a refused answer marks on the page: a form's message, a control marked invalid, a field's message. */
const PROBLEMS = '.form-error[role="alert"], [aria-invalid="true"], .error[role="alert"]';

/**
 * Moves the focus to the first problem under `root` (in the page's order) and scrolls it into
 * view: on a phone the button just tapped is often far below the messages. A message is not
 * focusable by itself, so it is made focusable by script only (out of the tab order). Returns the
 * element focused, or null when there is nothing to show.
 */
function focusFirstProblem(root: ParentNode): HTMLElement | null {
  const first = root.querySelector<HTMLElement>(PROBLEMS);
  if (!first) return null;
  if (!first.hasAttribute("tabindex") && first.tabIndex < 0) first.setAttribute("tabindex", "-1");
  first.focus({ preventScroll: true });
  first.scrollIntoView({ block: "center" });
  return first;
}

/** The refused answers whose problems have taken the focus already: each answer moves it once. */
const focusedAnswers = new WeakSet<object>();

/**
 * Once per refused answer of the page's action, the first problem on the page takes the focus
 * (however many messages and fields show it, and whichever of them renders first).
 */
function useFocusOnRefusal(shown: boolean) {
  const answer = useActionData();
  useEffect(() => {
    if (!shown || !isFormFailure(answer) || focusedAnswers.has(answer)) return;
    focusedAnswers.add(answer);
    focusFirstProblem(document);
  }, [shown, answer]);
}

export function FieldError({ id, error }: { id: string; error?: string }) {
  useFocusOnRefusal(!!error);
  if (!error) return null;
  return (
    <span className="error" id={`${id}-error`} role="alert">
      {error}
    </span>
  );
}

export function FormError({ error }: { error?: string }) {
  useFocusOnRefusal(!!error);
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {error}
    </p>
  );
}

/** What a control needs to be wired to its label, hint and error. */
export interface ControlProps {
  id: string;
  name: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

interface FieldFrame {
  form: FormState;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  /** Extra class on the field's wrapper. */
  className?: string;
}

/** The wiring of one control: its id, and which hint and error describe it. */
export function controlProps(form: FormState, name: string, hasHint = false): ControlProps {
  const id = `${form.idPrefix}${name}`;
  const error = form.error(name);
  const describedBy = [error ? `${id}-error` : "", hasHint ? `${id}-hint` : ""].filter(Boolean).join(" ");
  return {
    id,
    name,
    ...(error ? { "aria-invalid": true as const } : {}),
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
  };
}

/** What stands under a control: its hint, then its error. */
function FieldNotes({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint !== undefined ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <FieldError id={id} error={error} />
    </>
  );
}

/** A field around any control: label, the control (given its wiring), hint, error. */
export function Field({ form, name, label, hint, className, children }: FieldFrame & { children: (control: ControlProps) => ReactNode }) {
  const control = controlProps(form, name, hint !== undefined);
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={control.id}>{label}</label>
      {children(control)}
      <FieldNotes id={control.id} hint={hint} error={form.error(name)} />
    </div>
  );
}

/** The value a field shows: what was typed before a refusal, else the given default. */
export function shownValue(form: FormState, name: string, defaultValue?: string | number | null): string {
  const typed = form.failed ? form.value(name) : undefined;
  if (typed !== undefined) return typed;
  return defaultValue === undefined || defaultValue === null ? "" : String(defaultValue);
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "defaultValue" | "form"> & {
  defaultValue?: string | number | null;
};

export function TextField({ form, name, label, hint, className, defaultValue, type = "text", ...input }: FieldFrame & InputProps) {
  return (
    <Field form={form} name={name} label={label} hint={hint} className={className}>
      {(control) => <input type={type} {...input} {...control} defaultValue={shownValue(form, name, defaultValue)} />}
    </Field>
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "id" | "defaultValue" | "form"> & {
  defaultValue?: string | null;
};

export function TextAreaField({ form, name, label, hint, className, defaultValue, ...area }: FieldFrame & TextAreaProps) {
  return (
    <Field form={form} name={name} label={label} hint={hint} className={className}>
      {(control) => <textarea {...area} {...control} defaultValue={shownValue(form, name, defaultValue)} />}
    </Field>
  );
}

export interface Choice {
  value: string | number;
  label: ReactNode;
}

export interface ChoiceGroup {
  label: string;
  options: Choice[];
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "name" | "id" | "defaultValue" | "form"> & {
  options?: Choice[];
  groups?: ChoiceGroup[];
  /** The first, empty choice ("请选择", "全部栏目"). */
  placeholder?: string;
  defaultValue?: string | number | null;
};

export function ChoiceOptions({ options = [], groups = [], placeholder }: Pick<SelectProps, "options" | "groups" | "placeholder">) {
  return (
    <>
      {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
      {groups.map((g) => (
        <optgroup key={g.label} label={g.label}>
          {g.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

export function SelectField({ form, name, label, hint, className, defaultValue, options, groups, placeholder, ...select }: FieldFrame & SelectProps) {
  return (
    <Field form={form} name={name} label={label} hint={hint} className={className}>
      {(control) => (
        <select {...select} {...control} defaultValue={shownValue(form, name, defaultValue)}>
          <ChoiceOptions options={options} groups={groups} placeholder={placeholder} />
        </select>
      )}
    </Field>
  );
}

/** A checkbox that sends `value` (default "1") when ticked; its label is the text beside it. */
export function CheckboxField({
  form, name, label, hint, className, labelClassName, defaultChecked = false, value = "1",
}: FieldFrame & { defaultChecked?: boolean; value?: string; labelClassName?: string }) {
  const control = controlProps(form, name, hint !== undefined);
  const checked = form.failed ? form.value(name) === value : defaultChecked;
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label className={labelClassName}>
        <input type="checkbox" value={value} defaultChecked={checked} {...control} /> {label}
      </label>
      <FieldNotes id={control.id} hint={hint} error={form.error(name)} />
    </div>
  );
}

/**
 * A form's submit button in its row ("button--secondary" for the lesser action of a page; `busy`:
 * disabled while the form is being sent; `back`: a link out of the form beside it, as 取消 / 返回).
 */
export function SubmitRow({
  label, secondary = false, small = false, busy, back,
}: {
  label: string;
  secondary?: boolean;
  /** A small button, for a form inside a list or a fold-out. */
  small?: boolean;
  busy?: boolean;
  back?: { to: string; label: string };
}) {
  const className = [secondary ? "button--secondary" : "", small ? "button--small" : ""].filter(Boolean).join(" ");
  return (
    <div className="button-row">
      <button type="submit" className={className || undefined} disabled={busy}>
        {label}
      </button>
      {back ? (
        <Link to={back.to} className="button button--secondary">
          {back.label}
        </Link>
      ) : null}
    </div>
  );
}
