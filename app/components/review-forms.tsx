// The reviewer's smaller forms on an item's review page: return or reject with a reason, record a
// pickup (上稿), record a leader's instruction (批示). Each works without JavaScript; a refused
// submission comes back open with its messages and what was typed.
import { Form } from "@remix-run/react";
import { FieldError, FormError } from "~/components/form-kit";
import { INSTRUCTION_LEVELS, TIERS } from "~/domain/catalog";
import { REASON_MAX } from "~/domain/review";

export interface SubFormProps {
  open: boolean;
  errors: Record<string, string | undefined>;
  values: Record<string, string | undefined>;
  formError?: string;
}

export function ReasonForm(props: SubFormProps & { intent: "return" | "reject"; title: string; button: string; label: string; version: number }) {
  const { intent, errors, values } = props;
  const id = `${intent}-reason`;
  return (
    <details className="decision-more" open={props.open}>
      <summary>{props.title}</summary>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="version" value={props.version} />
        <FormError error={props.formError} />
        <div className="field">
          <label htmlFor={id}>{props.label}</label>
          <textarea
            id={id} name="reason" rows={3} maxLength={REASON_MAX} required defaultValue={values.reason ?? ""}
            aria-invalid={errors.reason ? true : undefined} aria-describedby={errors.reason ? `${id}-error` : undefined}
          />
          <FieldError id={id} error={errors.reason} />
        </div>
        <FieldError id={`${intent}-version`} error={errors.version} />
        <div className="button-row">
          <button type="submit" className="button--secondary">
            {props.button}
          </button>
        </div>
      </Form>
    </details>
  );
}

export function PickupForm({ today, open, errors, values, formError }: SubFormProps & { today: string }) {
  const input = (name: string) => ({
    id: `pickup-${name}`,
    name,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `pickup-${name}-error` : undefined,
  });
  return (
    <details open={open}>
      <summary>登记上稿</summary>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="pickup" />
        <FormError error={formError} />
        <div className="field">
          <label htmlFor="pickup-outlet">刊发媒体</label>
          <input type="text" maxLength={100} required placeholder="如：某某日报、学习强国" defaultValue={values.outlet ?? ""} {...input("outlet")} />
          <FieldError id="pickup-outlet" error={errors.outlet} />
        </div>
        <div className="field">
          <label htmlFor="pickup-tier">媒体级别</label>
          <select required defaultValue={values.tier ?? ""} {...input("tier")}>
            <option value="">请选择</option>
            {TIERS.map((t) => (
              <option key={t.code} value={t.code}>
                {t.name}
              </option>
            ))}
          </select>
          <FieldError id="pickup-tier" error={errors.tier} />
        </div>
        <div className="field">
          <label htmlFor="pickup-picked_on">刊发日期</label>
          <input type="date" max={today} required defaultValue={values.picked_on ?? ""} {...input("picked_on")} />
          <FieldError id="pickup-picked_on" error={errors.picked_on} />
        </div>
        <div className="field">
          <label htmlFor="pickup-url">链接（可不填）</label>
          <input type="url" inputMode="url" maxLength={500} placeholder="https://" defaultValue={values.url ?? ""} {...input("url")} />
          <FieldError id="pickup-url" error={errors.url} />
        </div>
        <div className="button-row">
          <button type="submit">登记上稿</button>
        </div>
      </Form>
    </details>
  );
}

export function InstructionForm({ today, open, errors, values, formError }: SubFormProps & { today: string }) {
  const input = (name: string) => ({
    id: `instruction-${name}`,
    name,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `instruction-${name}-error` : undefined,
  });
  return (
    <details open={open}>
      <summary>登记领导批示</summary>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="instruction" />
        <FormError error={formError} />
        <div className="field">
          <label htmlFor="instruction-level">批示级别</label>
          <select required defaultValue={values.level ?? ""} {...input("level")}>
            <option value="">请选择</option>
            {INSTRUCTION_LEVELS.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
          <FieldError id="instruction-level" error={errors.level} />
        </div>
        <div className="field">
          <label htmlFor="instruction-leader">批示领导</label>
          <input type="text" maxLength={50} required placeholder="如：县政府副县长 某某" defaultValue={values.leader ?? ""} {...input("leader")} />
          <FieldError id="instruction-leader" error={errors.leader} />
        </div>
        <div className="field">
          <label htmlFor="instruction-instructed_on">批示日期</label>
          <input type="date" max={today} required defaultValue={values.instructed_on ?? ""} {...input("instructed_on")} />
          <FieldError id="instruction-instructed_on" error={errors.instructed_on} />
        </div>
        <div className="field">
          <label htmlFor="instruction-content">批示内容（可不填）</label>
          <textarea rows={3} maxLength={1000} defaultValue={values.content ?? ""} {...input("content")} />
          <FieldError id="instruction-content" error={errors.content} />
        </div>
        <div className="button-row">
          <button type="submit">登记批示</button>
        </div>
      </Form>
    </details>
  );
}
