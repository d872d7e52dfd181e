// The item form of the new and edit pages. A plain multipart form: works without JavaScript,
// two submit buttons (保存草稿 / 报送) carry the intent, one file input and caption per new photo.
import { Form, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { useState } from "react";
import {
  controlProps, FieldError, FormError, formStateFrom, SelectField, TextAreaField, TextField, type FormState,
} from "~/components/form-kit";
import { ITEM_LIMITS, PHOTO_MIME_TYPES, type ItemFormValues } from "~/domain/item-form";
import { lateWarning } from "~/domain/report-month";

export const CONFIDENTIAL_LABEL = "本人已进行涉密自查，不得报送涉密信息";

const choices = (list: Array<{ id: number; name: string }>) => list.map((c) => ({ value: c.id, label: c.name }));

/** How many empty photo slots are shown open; the rest sit behind "添加更多图片". */
const OPEN_SLOTS = 3;

export interface ItemFormOptions {
  categories: Array<{ id: number; name: string }>;
  channels: Array<{ id: number; name: string }>;
  people: Array<{ id: number; name: string; role: string; active: boolean }>;
  /** 报送要点 the item may be tagged with (the month it would count in). */
  themes?: Array<{ id: number; name: string; guidance: string }>;
}

interface Props {
  options: ItemFormOptions;
  values: ItemFormValues;
  errors: Record<string, string | undefined>;
  formError?: string;
  /** Photos already saved on the draft (edit page). */
  photos?: Array<{ id: number; caption: string; width: number; height: number }>;
  version?: number;
  today: string;
  earliest: string;
  cancelHref: string;
  /** After a refusal the browser has forgotten the chosen files. */
  reselectPhotos?: boolean;
  /** The new-item form's one-time token (a repeated post of the same form creates nothing). */
  formToken?: string;
  /**
   * The 迟报 limit in days, when sending the item now would fix its lateness (it has never
   * reached the bureau); null or unset: no warning.
   */
  lateAfterDays?: number | null;
  /** The 约稿 this item answers (carried as a hidden field, named above the form). */
  request?: { id: number; topic: string } | null;
}

export function ItemForm({
  options, values, errors, formError, photos = [], version, today, earliest, cancelHref, reselectPhotos, formToken, lateAfterDays = null, request = null,
}: Props) {
  const navigation = useNavigation();
  // The late warning is rendered for the date the page arrives with, and follows the date
  // input once the page's script runs.
  const [eventDate, setEventDate] = useState(values.event_date ?? "");
  const late = lateAfterDays === null ? null : lateWarning(eventDate, today, lateAfterDays);
  const busy = navigation.state === "submitting";
  const form = formStateFrom(errors, values);
  const freeSlots = Math.max(0, ITEM_LIMITS.photosMax - photos.length);
  const slots = Array.from({ length: freeSlots }, (_, i) => i + 1);
  // The hidden slots open by themselves when one of them has a problem to show.
  const hiddenSlotErrors = slots.slice(OPEN_SLOTS).some((n) => errors[`photo_${n}`] || errors[`caption_${n}`]);

  return (
    <Form method="post" encType="multipart/form-data" className="item-form" noValidate>
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      {formToken !== undefined ? <input type="hidden" name="form_token" value={formToken} /> : null}
      {request ? (
        <p className="callout">
          <input type="hidden" name="request_id" value={request.id} />
          约稿：<strong>{request.topic}</strong>
          {errors.request_id ? <span className="error"> {errors.request_id}</span> : null}
        </p>
      ) : null}
      <FormError error={formError} />

      <section className="card">
        <h2>稿件内容</h2>
        <TextField form={form} name="title" label="标题" hint={`不超过 ${ITEM_LIMITS.titleMax} 字。`} maxLength={ITEM_LIMITS.titleMax} required />
        <TextAreaField
          form={form} name="body" label="正文" hint={`每段另起一行，段首不必空格；不超过 ${ITEM_LIMITS.bodyMax} 字。`} rows={14} required
        />
        <div className="form-row">
          <SelectField form={form} name="category_id" label="栏目" required placeholder="请选择栏目" options={choices(options.categories)} />
          <SelectField form={form} name="channel_id" label="投送频道" required placeholder="请选择频道" options={choices(options.channels)} />
          <TextField
            form={form} name="event_date" label="事件日期" type="date" min={earliest} max={today} required
            onChange={(event) => setEventDate(event.currentTarget.value)}
            hint={
              <>
                活动或事件发生的日期。
                <span className="late-warning" aria-live="polite">
                  {late}
                </span>
              </>
            }
          />
        </div>
        <ThemeSelect form={form} themes={options.themes ?? []} />
      </section>

      <section className="card">
        <fieldset className="field plain-fieldset" aria-describedby={errors.bylines ? "bylines-error bylines-hint" : "bylines-hint"}>
          <legend>署名作者</legend>
          <div className="choice-list">
            {options.people.map((p) => (
              <label key={p.id} className="check-option">
                <input type="checkbox" name="bylines" value={p.id} defaultChecked={values.bylines.includes(String(p.id))} />
                {p.name}
                <span className="muted small">
                  {p.role}
                  {p.active ? "" : "，已停用"}
                </span>
              </label>
            ))}
          </div>
          <span className="hint" id="bylines-hint">可多选，积分由署名作者平分；都不选则署名为本人。</span>
          <FieldError id="bylines" error={errors.bylines} />
        </fieldset>
      </section>

      <section className="card">
        <h2>图片</h2>
        <p className="hint small muted" id="photos-hint">
          JPG、PNG 或 WebP 格式，每张不超过 {ITEM_LIMITS.photoBytesMax / 1024 / 1024} MB，每篇最多 {ITEM_LIMITS.photosMax} 张；上传时会自动去除拍摄位置等信息。
        </p>
        <FieldError id="photos" error={errors.photos} />
        {/* Without JavaScript the page is new and the browser has dropped the chosen files. */}
        {reselectPhotos ? (
          <noscript>
            <p className="form-note small">如刚才选择了新图片，请重新选择后再提交。</p>
          </noscript>
        ) : null}
        {photos.length > 0 ? (
          <ul className="photo-edit-list">
            {photos.map((p) => {
              const name = `photo_caption_${p.id}`;
              return (
                <li key={p.id} className="photo-edit">
                  <img src={`/photos/${p.id}/thumb`} alt={p.caption || "稿件图片"} width={96} height={Math.max(1, Math.round((96 * p.height) / p.width))} />
                  <div className="field">
                    <label htmlFor={name}>图片说明</label>
                    <input
                      {...controlProps(form, name)} type="text" maxLength={ITEM_LIMITS.captionMax}
                      defaultValue={values.photo_captions[String(p.id)] ?? p.caption}
                    />
                    <FieldError id={name} error={errors[name]} />
                    <label className="check-option">
                      <input type="checkbox" name="remove_photo" value={p.id} defaultChecked={values.remove_photo.includes(String(p.id))} />
                      删除这张图片
                    </label>
                  </div>
                </li>
              );
            })}
          </ul>
        ) : null}
        {freeSlots === 0 ? (
          <p className="muted small">已达 {ITEM_LIMITS.photosMax} 张上限；如需换图，请先勾选删除再保存。</p>
        ) : (
          <>
            <div className="photo-slots">{slots.slice(0, OPEN_SLOTS).map((n) => <PhotoSlot key={n} n={n} form={form} values={values} />)}</div>
            {slots.length > OPEN_SLOTS ? (
              <details className="more-slots" open={hiddenSlotErrors || undefined}>
                <summary>添加更多图片（最多还可添加 {slots.length - OPEN_SLOTS} 张）</summary>
                <div className="photo-slots">
                  {slots.slice(OPEN_SLOTS).map((n) => (
                    <PhotoSlot key={n} n={n} form={form} values={values} />
                  ))}
                </div>
              </details>
            ) : null}
          </>
        )}
      </section>

      <section className="card submit-panel">
        <h2>报送</h2>
        <div className="field">
          <label className="check-option confidential">
            <input type="checkbox" value="1" defaultChecked={values.confidential_checked} {...controlProps(form, "confidential_checked")} />
            {CONFIDENTIAL_LABEL}
          </label>
          <FieldError id="confidential_checked" error={errors.confidential_checked} />
        </div>
        <p className="hint small muted">报送前须勾选涉密自查；只保存草稿时可以不勾选。报送后稿件交分管领导签发，不能再修改。</p>
        <div className="button-row">
          {/* The first submit button is the one Enter presses: saving is the safe default. */}
          <button type="submit" name="intent" value="save" className="button--secondary" disabled={busy}>
            保存草稿
          </button>
          <button type="submit" name="intent" value="submit" disabled={busy}>
            报送
          </button>
          <Link to={cancelHref}>取消</Link>
        </div>
        {busy ? <p className="muted small" role="status">正在提交，请稍候…</p> : null}
      </section>
    </Form>
  );
}

/** The optional 报送要点 tag; shown only when the month has themes (or the item carries one). */
function ThemeSelect({ form, themes }: { form: FormState; themes: Array<{ id: number; name: string; guidance: string }> }) {
  if (themes.length === 0) return null;
  return (
    <SelectField
      form={form} name="theme_id" label="报送要点（可选）" placeholder="不标注"
      hint="稿件围绕本月哪一项报送要点撰写；标注后计入该要点的完成情况。"
      options={themes.map((t) => ({ value: t.id, label: t.name }))}
    />
  );
}

function PhotoSlot({ n, form, values }: { n: number; form: FormState; values: ItemFormValues }) {
  const file = controlProps(form, `photo_${n}`);
  return (
    <div className="photo-slot">
      <div className="field">
        <label htmlFor={file.id}>新图片 {n}</label>
        <input
          type="file" accept={PHOTO_MIME_TYPES.join(",")} {...file}
          aria-describedby={[file["aria-describedby"], "photos-hint"].filter(Boolean).join(" ")}
        />
        <FieldError id={file.id} error={form.error(file.name)} />
      </div>
      <TextField
        form={form} name={`caption_${n}`} label={`图片 ${n} 说明`} maxLength={ITEM_LIMITS.captionMax}
        placeholder={`选填，${ITEM_LIMITS.captionMax} 字以内`} defaultValue={values.captions[String(n)] ?? ""}
      />
    </div>
  );
}

/** The empty form of a new item: today's date, the first channel, the author credited. */
export function newItemValues(input: { today: string; authorId: number; channelId?: number }): ItemFormValues {
  return {
    title: "", body: "", category_id: "", channel_id: input.channelId ? String(input.channelId) : "", event_date: input.today,
    bylines: [String(input.authorId)], theme_id: "", confidential_checked: false, captions: {}, photo_captions: {}, remove_photo: [],
  };
}

/** A saved draft as form values. */
export function draftValues(draft: {
  title: string; body: string; category_id: number; channel_id: number | null; event_date: string; bylines: number[];
  theme_id?: number | null;
}): ItemFormValues {
  return {
    title: draft.title, body: draft.body, category_id: String(draft.category_id),
    channel_id: draft.channel_id ? String(draft.channel_id) : "", event_date: draft.event_date, bylines: draft.bylines.map(String),
    theme_id: draft.theme_id ? String(draft.theme_id) : "",
    confidential_checked: false, captions: {}, photo_captions: {}, remove_photo: [],
  };
}
